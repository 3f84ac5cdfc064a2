/** Sequential models: a layer list or `model.add` calls, loops unrolled, arrays built every way model code builds them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract, kindsOf, onlyModel, plain, sliceOf, unitsOf } from './extract';

const header = `import * as tf from '@tensorflow/tfjs';\n`;
const model = (body: string) => onlyModel(`${header}${body}`);

test('tf.sequential({layers}) lists its layers in order, each fed by the previous one', () => {
  const text = `${header}const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: 32, inputShape: [16] }),
    tf.layers.dropout({ rate: 0.2 }),
    tf.layers.dense({ units: 1 }),
  ],
});`;
  const found = onlyModel(text);
  assert.equal(found.name, 'model');
  assert.equal(found.style, 'sequential');
  assert.ok(sliceOf(text, found.span).startsWith('const model = tf.sequential({'));
  assert.deepEqual(kindsOf(found), ['dense', 'dropout', 'dense']);
  assert.deepEqual(found.layers.map((layer) => layer.inputs), [[], [0], [1]]);
  assert.equal(found.layers.some((layer) => layer.repeat), false);
});

test('a named sequential import builds the same model', () => {
  const found = onlyModel(`import { layers, sequential } from '@tensorflow/tfjs';\nexport const net = sequential({ layers: [layers.dense({ units: 3 })] });`);
  assert.equal(found.name, 'net');
  assert.deepEqual(unitsOf(found), [3]);
});

test('model.add appends, including inside a for loop with a constant bound (repeated N times)', () => {
  const found = model(`const DEPTH = 3;
const model = tf.sequential();
model.add(tf.layers.dense({ units: 8, inputShape: [8] }));
for (let i = 0; i < DEPTH; i++) {
  model.add(tf.layers.dense({ units: 8, activation: 'relu' }));
}
model.add(tf.layers.dense({ units: 1 }));`);
  assert.deepEqual(unitsOf(found), [8, 8, 8, 8, 1]);
  assert.deepEqual(found.layers.map((layer) => layer.repeat), [undefined, { iteration: 0, count: 3 }, { iteration: 1, count: 3 }, { iteration: 2, count: 3 }, undefined]);
  // Every copy is the same call in the source.
  assert.deepEqual(found.layers[1].call, found.layers[3].call);
});

test('loop forms: <=, i += 2, counting down, while and do…while with constant counters', () => {
  const counts: [string, number][] = [
    ['for (let i = 1; i <= 4; i++)', 4],
    ['for (let i = 0; i < 10; i += 2)', 5],
    ['for (let i = 5; i > 0; i--)', 5],
    ['for (let i = 8; i >= 1; i /= 2)', 4],
  ];
  for (const [loop, count] of counts) {
    const found = model(`const model = tf.sequential();\n${loop} model.add(tf.layers.dense({ units: 2 }));`);
    assert.equal(found.layers.length, count, loop);
    assert.deepEqual(found.layers.at(-1)?.repeat, { iteration: count - 1, count }, loop);
  }
  const whileLoop = model(`const model = tf.sequential();\nlet n = 0;\nwhile (n < 3) { model.add(tf.layers.dense({ units: 2 })); n++; }`);
  assert.equal(whileLoop.layers.length, 3);
  const doLoop = model(`const model = tf.sequential();\nlet n = 0;\ndo { model.add(tf.layers.dense({ units: 2 })); } while (++n < 2);`);
  assert.equal(doLoop.layers.length, 2);
});

test('for…of binds the loop variable on each iteration', () => {
  const found = model(`const model = tf.sequential();
for (const units of [512, 256, 128]) {
  model.add(tf.layers.dense({ units, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.5 }));
}`);
  assert.deepEqual(unitsOf(found), [512, '?', 256, '?', 128, '?']);
  assert.deepEqual(found.layers.map((layer) => layer.repeat?.iteration), [0, 0, 1, 1, 2, 2]);
});

test('nested loops unroll fully; the marker counts the innermost loop', () => {
  const found = model(`const model = tf.sequential();
for (let stage = 0; stage < 2; stage++) {
  for (let block = 0; block < 3; block++) model.add(tf.layers.dense({ units: 16 * (stage + 1) }));
  model.add(tf.layers.batchNormalization());
}`);
  assert.deepEqual(kindsOf(found), ['dense', 'dense', 'dense', 'batchNormalization', 'dense', 'dense', 'dense', 'batchNormalization']);
  assert.deepEqual(unitsOf(found).filter((units) => units !== '?'), [16, 16, 16, 32, 32, 32]);
  assert.deepEqual(found.layers[4].repeat, { iteration: 0, count: 3 });
  assert.deepEqual(found.layers[7].repeat, { iteration: 1, count: 2 });
});

test('break and continue inside a counted loop', () => {
  const found = model(`const model = tf.sequential();
for (let i = 0; i < 10; i++) {
  if (i % 2 === 1) continue;
  if (i === 6) break;
  model.add(tf.layers.dense({ units: i + 1 }));
}`);
  assert.deepEqual(unitsOf(found), [1, 3, 5]);
});

test('a loop bound nobody can know runs its body once, without a repeat marker', () => {
  const found = model(`declare const depth: number;\nconst model = tf.sequential();\nfor (let i = 0; i < depth; i++) model.add(tf.layers.dense({ units: 4 }));`);
  assert.equal(found.layers.length, 1);
  assert.equal(found.layers[0].repeat, undefined);
});

test('arrays of layers: Array.from with a length, [...Array(n)].map, new Array(n).fill().map, Array.from().map', () => {
  const forms = [
    'Array.from({ length: 3 }, () => tf.layers.dense({ units: 4 }))',
    '[...Array(3)].map(() => tf.layers.dense({ units: 4 }))',
    'new Array(3).fill(0).map(() => tf.layers.dense({ units: 4 }))',
    'Array.from({ length: 3 }).map(() => tf.layers.dense({ units: 4 }))',
    '[...Array(3).keys()].map(() => tf.layers.dense({ units: 4 }))',
  ];
  for (const form of forms) {
    const found = model(`const model = tf.sequential({ layers: ${form} });`);
    assert.deepEqual(unitsOf(found), [4, 4, 4], form);
    assert.deepEqual(found.layers.map((layer) => layer.repeat), [0, 1, 2].map((iteration) => ({ iteration, count: 3 })), form);
  }
});

test('a callback sees its index: widths that halve per layer', () => {
  const found = model(`const model = tf.sequential({ layers: Array.from({ length: 4 }, (_, i) => tf.layers.dense({ units: 256 >> i })) });`);
  assert.deepEqual(unitsOf(found), [256, 128, 64, 32]);
});

test('spread and concat assemble a layer list', () => {
  const found = model(`const hidden = Array.from({ length: 2 }, () => tf.layers.dense({ units: 8 }));
const head = [tf.layers.dense({ units: 1 })];
const model = tf.sequential({ layers: [tf.layers.dense({ units: 16 }), ...hidden].concat(head) });`);
  assert.deepEqual(unitsOf(found), [16, 8, 8, 1]);
  assert.deepEqual(found.layers.map((layer) => layer.repeat?.count), [undefined, 2, 2, undefined]);
});

test('a layer list built with push in a loop, then passed by shorthand', () => {
  const found = model(`const layers: tf.layers.Layer[] = [tf.layers.dense({ units: 32, inputShape: [32] })];
for (let i = 0; i < 4; i++) layers.push(tf.layers.dense({ units: 32, activation: 'relu' }));
layers.push(tf.layers.dense({ units: 1 }));
const model = tf.sequential({ layers });`);
  assert.deepEqual(unitsOf(found), [32, 32, 32, 32, 32, 1]);
  assert.deepEqual(found.layers.map((layer) => layer.repeat?.iteration), [undefined, 0, 1, 2, 3, undefined]);
});

test('forEach and map over constant arrays add layers', () => {
  const found = model(`const model = tf.sequential();\n[64, 32].forEach((units) => model.add(tf.layers.dense({ units })));`);
  assert.deepEqual(unitsOf(found), [64, 32]);
});

test('a sequential model added to another contributes its layers', () => {
  const { models } = extract(`${header}const block = tf.sequential({ layers: [tf.layers.dense({ units: 4 }), tf.layers.dense({ units: 2 })] });
const model = tf.sequential();
model.add(tf.layers.dense({ units: 8 }));
model.add(block);`);
  assert.deepEqual(models.map((found) => [found.name, unitsOf(found)]), [['block', [4, 2]], ['model', [8, 4, 2]]]);
});

test('a model nobody names is named by its factory and line', () => {
  const { models } = extract(`${header}\nexport default tf.sequential({ layers: [tf.layers.dense({ units: 1 })] });`);
  assert.equal(models[0].name, 'sequential@3');
});

test('unrolling stops at 100000 layers per file', () => {
  const found = model(`const model = tf.sequential();\nfor (let i = 0; i < 1e6; i++) model.add(tf.layers.dense({ units: 1 }));`);
  assert.equal(found.layers.length, 100_000);
});

test('a while loop whose counter never changes (code being typed) runs once', () => {
  const found = model(`const model = tf.sequential();\nlet n = 0;\nwhile (n < 3) { model.add(tf.layers.dense({ units: 2 })); }`);
  assert.equal(found.layers.length, 1);
  assert.equal(found.layers[0].repeat, undefined);
});

test('for…of over entries() binds index and item', () => {
  const found = onlyModel(`${header}export const build = (inputDim: number, units: number[]) => {
  const model = new tf.Sequential();
  model.add(tf.layers.dense({ inputDim, units: units[0], activation: 'relu' }));
  for (const [i, width] of units.slice(1).entries()) {
    model.add(tf.layers.dense({ units: width, activation: i === units.length - 2 ? 'tanh' : 'relu' }));
  }
  return model;
};
export const policy = build(8, [64, 32, 2]);`);
  assert.deepEqual(unitsOf(found), [64, 32, 2]);
  assert.deepEqual(found.layers.map((layer) => plain(layer.call.keyword.activation.value)), ['relu', 'relu', 'tanh']);
});

test('Object.entries, keys and values of a config object with known keys iterate it in order', () => {
  const found = onlyModel(`const tf = require('@tensorflow/tfjs');
const config = { hidden: { encoder: 128, bottleneck: 64, decoder: 32 } };
const model = tf.sequential();
for (const [name, units] of Object.entries(config.hidden)) model.add(tf.layers.dense({ units, name }));
for (const units of Object.values({ 2: 8, 1: 4 })) model.add(tf.layers.dense({ units }));
model.add(tf.layers.dense({ units: Object.keys(config.hidden).length }));`, 'model.js');
  assert.deepEqual(unitsOf(found), [128, 64, 32, 4, 8, 3]);
  assert.deepEqual(found.layers.slice(0, 3).map((layer) => plain(layer.call.keyword.name.value)), ['encoder', 'bottleneck', 'decoder']);
});
