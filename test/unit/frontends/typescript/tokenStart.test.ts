/**
 * Every span the TypeScript front end reports starts where TypeScript's `getStart` says: `tokenStart` reads the
 * common case itself (spaces, then a token) and must agree with TypeScript on every node of files that hold
 * comments, JSX, a shebang, conflict markers, unusual whitespace and half-typed code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { tokenStart } from '../../../../src/frontends/typescript/insertion';

const SOURCES: Record<string, string> = {
  'model.ts': [
    `import * as tf from '@tensorflow/tfjs';`,
    `const model = tf.sequential();`,
    `model.add(tf.layers.dense({units: 64, /* why */ activation: 'relu', kernelInitializer: // trailing`,
    `  'heNormal', inputShape: [784]}));`,
    `const x = a\t?\tb : -c;  const y = !z || (w as number) >= 2 && v << 1 | u;`,
    `const t = \`rate \${rate} at \${depth}\`; const r = /ab+c/g.test(s); label: for (;;) break label;`,
    `@sealed class Net { #width = 4; constructor(private readonly units = 8) {} }`,
  ].join('\n'),
  'view.tsx': `const App = () => <div className="x">{/* note */} text {value} <b>bold</b></div>;\nconst y = <T,>(v: T) => v;\n`,
  'script.js': `#!/usr/bin/env node\n'use strict';\nconst tf = require('@tensorflow/tfjs');\n`,
  'merge.ts': `const a = 1;\n<<<<<<< HEAD\nconst b = 2;\n=======\nconst b = 3;\n>>>>>>> branch\nconst c = a + b;\n`,
  'spaces.ts': `const\u00a0a = 1;\ufeffconst b\u2003= [ \u00a0 2, /**/3 ];\nconst c = {\r\n  d: 4 };\n`,
  'typing.ts': `const model = tf.sequential();\nmodel.add(tf.layers.dense({units: , activation: 'relu'\nconst z = foo(`,
};

function everyNode(sourceFile: ts.SourceFile): ts.Node[] {
  const nodes: ts.Node[] = [];
  const visit = (node: ts.Node) => {
    nodes.push(node);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return nodes;
}

for (const [fileName, text] of Object.entries(SOURCES)) {
  test(`tokenStart agrees with TypeScript's getStart on every node of ${fileName}`, () => {
    const kind = fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : fileName.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS;
    const sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, kind);
    const nodes = everyNode(sourceFile);
    assert.ok(nodes.length > 10);
    const disagreeing = nodes.filter((node) => tokenStart(node, sourceFile) !== node.getStart(sourceFile))
      .map((node) => `${ts.SyntaxKind[node.kind]} at ${node.pos}: ${tokenStart(node, sourceFile)} vs ${node.getStart(sourceFile)}`);
    assert.deepEqual(disagreeing, []);
  });
}
