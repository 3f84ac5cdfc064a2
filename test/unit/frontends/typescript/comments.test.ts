/** Comments (for suppressions) and syntax problems: every comment once, nothing inside strings, regexes or JSX text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { collectComments } from '../../../../src/frontends/typescript/comments';
import { parseScript } from '../../../../src/frontends/typescript/fromText';
import { extract, sliceOf } from './extract';

/** The comment lexer alone (extraction runs it only on files with a suppression directive). */
const texts = (source: string, fileName = 'model.ts') => collectComments(ts, parseScript(source, fileName)).map((comment) => comment.text);

test('a file without a suppression directive is not searched for comments: the core reads them for suppressions only', () => {
  assert.deepEqual(extract('const a = 1; // a comment\n/* another */\n').comments, []);
  assert.deepEqual(extract('const a = 1; // initlint-disable-line relu-glorot-deep\n').comments.map((comment) => comment.text), [' initlint-disable-line relu-glorot-deep']);
});

test('line and block comments, with their markers stripped and spans covering the markers', () => {
  const source = `// initlint-disable-file\nconst a = 1; /* inline */\n/**\n * doc\n */\nconst b = 2; // initlint-disable-line relu-glorot-deep\n`;
  const { comments } = extract(source);
  assert.deepEqual(comments.map((comment) => comment.text), [' initlint-disable-file', ' inline ', '*\n * doc\n ', ' initlint-disable-line relu-glorot-deep']);
  assert.deepEqual(comments.map((comment) => sliceOf(source, comment.span)), ['// initlint-disable-file', '/* inline */', '/**\n * doc\n */', '// initlint-disable-line relu-glorot-deep']);
});

test('comment markers inside strings and templates are not comments', () => {
  const source = `const url = 'http://example.com'; // real
const quoted = "/* not */";
const t = \`// not \${'//'} still not \${ { a: '/*' }.a } // not\`; /* real too */`;
  assert.deepEqual(texts(source), [' real', ' real too ']);
});

test('a regular expression is told from a division by what precedes it', () => {
  const source = `const r = /\\/\\/ not a comment/g; // after regex
const half = total / 2 / 3; // after division
function f() { return /[/]*/.test(x); } // after return regex
const d = (a) / b; // after paren`;
  assert.deepEqual(texts(source), [' after regex', ' after division', ' after return regex', ' after paren']);
});

test('JSX text may contain //, and is no comment', () => {
  const source = `const view = <p>see https://example.com // not</p>; // real\nconst x = <div>{/* inside jsx */}</div>;`;
  assert.deepEqual(texts(source, 'view.tsx'), [' real']);
});

test('an unterminated block comment runs to the end of the file', () => {
  const source = `const a = 1; /* still typing`;
  assert.deepEqual(collectComments(ts, parseScript(source, 'model.ts')), [{ span: { start: 13, end: source.length }, text: ' still typing' }]);
});

test('a shebang is not a comment', () => {
  assert.deepEqual(texts(`#!/usr/bin/env node\n// real\n`, 'cli.js'), [' real']);
});

test('syntax problems are the parser’s recovered errors, with spans', () => {
  const source = `import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({ layers: [ });\n`;
  const { syntaxProblems } = extract(source);
  assert.ok(syntaxProblems.length > 0);
  for (const problem of syntaxProblems) {
    assert.ok(problem.span.start >= 0 && problem.span.end <= source.length && problem.message.length > 0);
  }
  assert.deepEqual(extract(`const ok = 1;\n`).syntaxProblems, []);
});
