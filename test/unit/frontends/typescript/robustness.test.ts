/**
 * Code being typed: every prefix of a file still yields the models it completes, nothing ever throws,
 * and no input (endless loops, huge arrays, deep nesting) makes extraction hang.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { extractTypeScript } from '../../../../src/frontends/typescript';
import { extract, kindsOf, unitsOf } from './extract';

const FILE = `import * as tf from '@tensorflow/tfjs';

const WIDTH = 64;
const first = tf.sequential({
  layers: [
    tf.layers.dense({ units: WIDTH, inputShape: [WIDTH], activation: 'relu', kernelInitializer: 'heNormal' }),
    ...Array.from({ length: 3 }, () => tf.layers.dense({ units: WIDTH, activation: 'relu' })),
    tf.layers.dense({ units: 1 }),
  ],
});
// end first

function buildSecond(depth = 4) {
  const second = tf.sequential();
  second.add(tf.layers.dense({ units: 32, inputShape: [16] }));
  for (let i = 0; i < depth; i++) {
    second.add(tf.layers.dense({ units: 32, activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({}) }));
  }
  return second;
}
// end second

const input = tf.input({ shape: [8] });
let x = input as tf.SymbolicTensor;
for (const units of [8, 4]) x = tf.layers.dense({ units }).apply(x) as tf.SymbolicTensor;
const third = tf.model({ inputs: input, outputs: x });
// end third
`;

/** A model as compared across prefixes: what it is, not where it is. */
const summary = (model: { name: string; style: string; layers: unknown[] }) => JSON.stringify([model.name, model.style, model.layers]);

test('every 7th prefix of a file: never throws, and finds each model complete once its code is', () => {
  const full = extract(FILE).models;
  assert.deepEqual(full.map((model) => model.name), ['first', 'second', 'third']);
  const ends = ['// end first', '// end second', '// end third'].map((marker) => FILE.indexOf(marker));
  for (let cut = 0; cut <= FILE.length; cut += 7) {
    const prefix = FILE.slice(0, cut);
    const found = extract(prefix).models.map(summary);
    full.forEach((model, index) => {
      if (cut >= ends[index]) assert.ok(found.includes(summary(model)), `${model.name} complete at ${cut}:\n${prefix}`);
    });
  }
});

test('every single-character deletion and duplication never throws', () => {
  for (let at = 0; at < FILE.length; at += 3) {
    extract(FILE.slice(0, at) + FILE.slice(at + 1));
    extract(FILE.slice(0, at) + FILE[at] + FILE.slice(at));
  }
});

test('a partly written model still shows the layers written so far', () => {
  const typing = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: 16, inputShape: [4] }),
    tf.layers.dense({ units: 8, activ`;
  const [model] = extract(typing).models;
  assert.deepEqual(unitsOf(model), [16, 8]);
});

test('loops that never end and arrays too large to build stop within the budget', () => {
  const started = performance.now();
  const { models } = extract(`import * as tf from '@tensorflow/tfjs';
for (;;) {}
while (true) { let a = 1; }
let n = 0;
while (n >= 0) n++;
const huge = Array(1e9).fill(0);
const model = tf.sequential({ layers: [tf.layers.dense({ units: huge.length })] });`);
  assert.ok(performance.now() - started < 5_000, 'bounded time');
  assert.deepEqual(kindsOf(models[0]), ['dense']);
});

test('deeply nested expressions do not throw, even past what the parser can take: the model is still read and the cut said', () => {
  for (const depth of [400, 20_000]) {
    const nested = `const a = ${'['.repeat(depth)}1${']'.repeat(depth)};\nconst c = ${'f('.repeat(depth)}${')'.repeat(depth)};`;
    const { models, cuts } = extract(`import * as tf from '@tensorflow/tfjs';\n${nested}\nconst model = tf.sequential({ layers: [tf.layers.dense({ units: 1 })] });`);
    assert.equal(models.length, 1);
    assert.equal(cuts?.length ?? 0, depth < 1_000 ? 0 : 2, JSON.stringify(cuts));
  }
});

test('garbage and binary-looking text never throw', () => {
  const samples = ['', '}}}{{{', ')))', '`${`${`', '/*', '//', '/', '"unterminated', 'class { constructor( }', '\u0000\uffff\ud800', 'tf.layers.dense({...{...{', 'for (const x of) model.add(', 'import {'];
  for (const sample of samples) extract(sample);
});

test('works on the SourceFile a program made, with parent pointers, and through every script kind', () => {
  const text = `import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({ layers: [tf.layers.dense({ units: 2 }, 'extra', [1].concat(2))] });\n`;
  const withParents = ts.createSourceFile('a.ts', text, ts.ScriptTarget.ES2020, true, ts.ScriptKind.TS);
  const extracted = extractTypeScript(ts, withParents);
  assert.deepEqual(unitsOf(extracted.models[0]), [2]);
  // Plain data only: no AST node (with its circular parent pointers) leaks into the IR.
  assert.doesNotThrow(() => JSON.stringify(extracted));
  for (const fileName of ['a.ts', 'a.tsx', 'a.js', 'a.jsx', 'a.mjs', 'a.cjs', 'a.mts', 'a.cts']) {
    assert.deepEqual(unitsOf(extract(text, fileName).models[0]), [2], fileName);
  }
});

test('a TypeScript type assertion in a .ts file is not JSX', () => {
  const { models } = extract(`import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({ layers: [<tf.layers.Layer>tf.layers.dense({ units: 3 })] });`, 'a.ts');
  assert.deepEqual(unitsOf(models[0]), [3]);
});

test('a SourceFile re-parsed incrementally (as tsserver keeps them) gives the spans of a fresh parse', () => {
  const before = `import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential();\nfor (let i = 0; i < 3; i++) model.add(tf.layers.dense({ units: 4 }));\n`;
  const original = ts.createSourceFile('a.ts', before, ts.ScriptTarget.Latest, true);
  extractTypeScript(ts, original);
  // Typing above the model moves every node after the edit; the incremental parser reuses and shifts them in place.
  const insertion = '// a comment typed above\n';
  const at = before.indexOf('const model');
  const after = before.slice(0, at) + insertion + before.slice(at);
  const updated = ts.updateSourceFile(original, after, { span: { start: at, length: 0 }, newLength: insertion.length });
  assert.deepEqual(extractTypeScript(ts, updated).models, extract(after).models);
});

