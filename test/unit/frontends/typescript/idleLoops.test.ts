/**
 * Loops that build no model (training loops, rollouts, data pipelines) are cut once they have spent a few
 * hundred evaluation steps building nothing: real code reads at parse speed, and what such a loop writes is
 * unknown afterwards, never the value of an iteration it happened to stop at.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { Interpreter } from '../../../../src/frontends/typescript/interpreter';
import { collectImports } from '../../../../src/frontends/typescript/imports';
import { extract, unitsOf } from './extract';

/** Evaluation steps the whole file took: what the reading cost. */
function stepsOf(text: string): number {
  const sourceFile = ts.createSourceFile('agent.ts', text, ts.ScriptTarget.Latest, false);
  const interpreter = new Interpreter(ts, sourceFile);
  interpreter.run(collectImports(ts, sourceFile).bindings);
  return interpreter.state.steps;
}

const POLICY = `import * as tf from '@tensorflow/tfjs';
const policy = tf.sequential();
policy.add(tf.layers.dense({ units: 64, inputShape: [16], activation: 'relu' }));
policy.add(tf.layers.dense({ units: 4, activation: 'softmax' }));
`;

test('a 600-episode rollout that runs the model on data costs a few hundred steps, and the model is read whole', () => {
  const text = `${POLICY}
const optimizer = tf.train.adam(1e-3);
for (let episode = 0; episode < 600; episode++) {
  const states = [];
  for (let t = 0; t < 200; t++) {
    const state = new Array(16).fill(0);
    state[t % 16] = 1;
    const probs = policy.predict(tf.tensor2d([state])).dataSync();
    states.push(state);
  }
  optimizer.minimize(() => tf.mean(policy.apply(tf.tensor2d(states))));
}`;
  const { models, cuts } = extract(text);
  assert.deepEqual(unitsOf(models[0]), [64, 4]);
  assert.equal(cuts, undefined, 'no budget ran out: nothing is reported as unread');
  // 120,000 inner iterations read one by one took over 2,000,000 steps (and ran out of the statement budget).
  assert.ok(stepsOf(text) < 5_000, `steps: ${stepsOf(text)}`);
});

test('what a cut loop writes is unknown afterwards, not the value of the iteration it stopped at', () => {
  const { models } = extract(`import * as tf from '@tensorflow/tfjs';
let units = 8;
const history = [32];
for (let i = 0; i < 100000; i++) { units = units + 1; history.push(i); }
const model = tf.sequential({ layers: [tf.layers.dense({ units, inputShape: [4] }), tf.layers.dense({ units: history[0] })] });`);
  assert.deepEqual(unitsOf(models[0]), ['?', '?'], 'unknown widths');
});

test('a loop that computes the configuration (widths, doubling filters) is read to the end', () => {
  const { models } = extract(`import * as tf from '@tensorflow/tfjs';
const widths = [];
let width = 16;
for (let i = 0; i < 6; i++) { widths.push(width); width *= 2; }
const model = tf.sequential();
model.add(tf.layers.dense({ units: widths[5], inputShape: [4] }));
model.add(tf.layers.dense({ units: width }));`);
  assert.deepEqual(unitsOf(models[0]), [512, 1024]);
});

test('a loop that builds layers is never cut, however long its idle stretches between them', () => {
  const { models } = extract(`import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
for (let block = 0; block < 40; block++) {
  let checksum = 0;
  for (let k = 0; k < 20; k++) checksum += k * block;
  model.add(tf.layers.dense({ units: 8, inputShape: block === 0 ? [8] : undefined }));
}`);
  assert.equal(models[0].layers.length, 40);
});

test('a data callback over a large array (Array.from, map, reduce) is cut as a loop is, and its result is unknown', () => {
  const text = `${POLICY}
const xs = Array.from({ length: 50000 }, (_, i) => Math.sin(i / 10));
const scaled = xs.map((x) => x * 2 + 1);
const total = scaled.reduce((sum, x) => sum + x, 0);
const head = tf.sequential({ layers: [tf.layers.dense({ units: xs.length, inputShape: [4] }), tf.layers.dense({ units: total })] });`;
  const { models, cuts } = extract(text);
  assert.equal(cuts, undefined);
  assert.deepEqual(unitsOf(models.find((model) => model.name === 'head')!), ['?', '?'], 'never the length or sum of the first few hundred items');
  assert.ok(stepsOf(text) < 2_000, `steps: ${stepsOf(text)}`);
});

test('a callback that builds layers is never cut', () => {
  const { models } = extract(`import * as tf from '@tensorflow/tfjs';
const blocks = Array.from({ length: 60 }, (_, i) => tf.layers.dense({ units: 8 + (i % 2) }));
const model = tf.sequential({ layers: blocks });`);
  assert.equal(models[0].layers.length, 60);
});

test('a counting loop or for…of known to be long that cannot build is not run at all; a short one is', () => {
  const long = `const rows = [];\nfor (let t = 0; t < 5000; t++) { rows.push([Math.sin(t), Math.cos(t)]); }\nfor (const row of rows) row.push(1);`;
  assert.ok(stepsOf(long) < 40, `steps: ${stepsOf(long)}`);
  const { models } = extract(`import * as tf from '@tensorflow/tfjs';
let filters = 8;
for (let i = 1; i <= 3; i++) filters *= 2;
const model = tf.sequential({ layers: [tf.layers.dense({ units: filters, inputShape: [4] })] });`);
  assert.deepEqual(unitsOf(models[0]), [64]);
});

test('functions nobody calls are run alone only when they may build: a recursive data helper is not, a builder is', () => {
  const text = `import * as tf from '@tensorflow/tfjs';
export function shuffle(xs, depth = 0) { for (let i = 0; i < 20; i++) { xs = xs.concat([i * depth]); } return depth > 3 ? xs : shuffle(xs, depth + 1); }
export function build(units = 16) { return tf.sequential({ layers: [tf.layers.dense({ units, inputShape: [4] })] }); }`;
  assert.deepEqual(unitsOf(extract(text).models[0]), [16]);
  assert.ok(stepsOf(text) < 60, `steps: ${stepsOf(text)}`);
});
