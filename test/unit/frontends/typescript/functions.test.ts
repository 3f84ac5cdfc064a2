/** Models built in functions: defaults stand in for arguments nobody passes, helpers are inlined where called. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract, kindsOf, onlyModel, plain, sliceOf, unitsOf } from './extract';

const header = `import * as tf from '@tensorflow/tfjs';\n`;

test('a builder function nobody calls runs with its parameter defaults', () => {
  const text = `${header}export function buildModel(depth = 3, width = 16): tf.Sequential {
  const model = tf.sequential();
  for (let i = 0; i < depth; i++) model.add(tf.layers.dense({ units: width, activation: 'relu' }));
  return model;
}`;
  const found = onlyModel(text);
  assert.equal(found.name, 'model');
  assert.equal(sliceOf(text, found.span), 'const model = tf.sequential();');
  assert.deepEqual(unitsOf(found), [16, 16, 16]);
});

test('a builder called with arguments builds with those arguments', () => {
  const found = onlyModel(`${header}function build(depth = 10) {
  return tf.sequential({ layers: Array.from({ length: depth }, () => tf.layers.dense({ units: 2 })) });
}
export const model = build(2);`);
  assert.equal(found.name, 'model');
  assert.equal(found.layers.length, 2);
});

test('a model returned without a variable is named after its function, spanning the declaration', () => {
  const text = `${header}const makeNet = (units = 4) => tf.sequential({ layers: [tf.layers.dense({ units })] });`;
  const found = onlyModel(text);
  assert.equal(found.name, 'makeNet');
  assert.equal(sliceOf(text, found.span), text.slice(header.length));
});

test('destructured options with defaults', () => {
  const found = onlyModel(`${header}function build({ depth = 2, units = 8 }: { depth?: number; units?: number } = {}) {
  const model = tf.sequential();
  for (let i = 0; i < depth; i++) model.add(tf.layers.dense({ units }));
  return model;
}`);
  assert.deepEqual(unitsOf(found), [8, 8]);
});

test('options read with ?? fall back to the written default', () => {
  const found = onlyModel(`${header}function build(options: { depth?: number }) {
  const depth = options.depth ?? 3;
  const model = tf.sequential();
  for (let i = 0; i < depth; i++) model.add(tf.layers.dense({ units: 1 }));
  return model;
}`);
  assert.equal(found.layers.length, 3);
});

test('helpers that return a layer are inlined with their arguments', () => {
  const found = onlyModel(`${header}const hidden = (units: number, init = 'heNormal') => tf.layers.dense({ units, activation: 'relu', kernelInitializer: init });
function output() { return tf.layers.dense({ units: 1 }); }
const model = tf.sequential({ layers: [hidden(64), hidden(32, 'heUniform'), output()] });`);
  assert.deepEqual(unitsOf(found), [64, 32, 1]);
  assert.deepEqual(found.layers.map((layer) => layer.call.keyword.kernelInitializer?.value), [
    { kind: 'string', value: 'heNormal' }, { kind: 'string', value: 'heUniform' }, undefined,
  ]);
});

test('a helper that adds a block to the model it is given', () => {
  const found = onlyModel(`${header}function addBlock(model: tf.Sequential, units: number) {
  model.add(tf.layers.dense({ units }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.activation({ activation: 'relu' }));
}
const model = tf.sequential();
for (const units of [32, 16]) addBlock(model, units);`);
  assert.deepEqual(kindsOf(found), ['dense', 'batchNormalization', 'activation', 'dense', 'batchNormalization', 'activation']);
});

test('if on a constant takes its branch; on an unknown value both branches run', () => {
  const found = onlyModel(`${header}function build(useNorm = false, dropout?: number) {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 8 }));
  if (useNorm) model.add(tf.layers.batchNormalization());
  if (dropout) model.add(tf.layers.dropout({ rate: dropout }));
  else model.add(tf.layers.activation({ activation: 'relu' }));
  return model;
}`);
  assert.deepEqual(kindsOf(found), ['dense', 'activation']);
  const unknown = onlyModel(`${header}declare const flag: boolean;
const model = tf.sequential();
if (flag) model.add(tf.layers.dense({ units: 1 })); else model.add(tf.layers.dense({ units: 2 }));`);
  assert.deepEqual(unitsOf(unknown), [1, 2]);
});

test('switch on a constant', () => {
  const found = onlyModel(`${header}function build(kind = 'wide') {
  const model = tf.sequential();
  switch (kind) {
    case 'deep': model.add(tf.layers.dense({ units: 4 })); break;
    case 'wide': model.add(tf.layers.dense({ units: 512 }));
    default: model.add(tf.layers.dense({ units: 1 }));
  }
  return model;
}`);
  assert.deepEqual(unitsOf(found), [512, 1]);
});

test('class methods share `this`: a model made in one method and grown in another', () => {
  const found = onlyModel(`${header}class Classifier {
  private model: tf.Sequential;
  private readonly width = 32;
  build() {
    this.model = tf.sequential();
    this.addHidden();
    this.model.add(tf.layers.dense({ units: 10 }));
    return this.model;
  }
  addHidden() {
    this.model.add(tf.layers.dense({ units: this.width }));
  }
}`);
  assert.equal(found.name, 'model');
  assert.deepEqual(unitsOf(found), [32, 10]);
});

test('constructor parameter properties and their defaults are fields of `this`', () => {
  const found = onlyModel(`${header}export class Net {
  constructor(private readonly depth = 2, public width = 24) {}
  build() {
    const model = tf.sequential();
    for (let i = 0; i < this.depth; i++) model.add(tf.layers.dense({ units: this.width }));
    return model;
  }
}`);
  assert.deepEqual(unitsOf(found), [24, 24]);
});

test('async builders and callbacks passed to calls we cannot follow', () => {
  const { models } = extract(`${header}async function main() {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 4 }));
  await model.fit(xs, ys, { epochs: 1 });
}
const other = tf.tidy(() => tf.sequential({ layers: [tf.layers.dense({ units: 2 })] }));
main();`);
  // Reported in source order, though main() runs after tf.tidy's callback.
  assert.deepEqual(models.map((model) => [model.name, unitsOf(model)]), [['model', [4]], ['other', [2]]]);
});

test('a builder called twice with the same arguments is one model', () => {
  const { models } = extract(`${header}function build() {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 4 }));
  return model;
}
const a = build();
const b = build();`);
  assert.equal(models.length, 1);
});

test('recursion is cut at a depth limit, never looping forever', () => {
  const { models } = extract(`${header}function grow(model: tf.Sequential, n: number): tf.Sequential {
  model.add(tf.layers.dense({ units: n }));
  return grow(model, n + 1);
}
const model = grow(tf.sequential(), 1);`);
  assert.ok(models[0].layers.length > 1 && models[0].layers.length < 100);
});

test('new Class(args) runs its constructor with those arguments before the method that builds the model', () => {
  const found = onlyModel(`${header}export class DenseNetwork {
  private model!: tf.Sequential;
  constructor(private readonly sizes: number[], private readonly act = 'relu') {}
  build(inputDim: number): tf.Sequential {
    this.model = tf.sequential();
    this.sizes.forEach((units, i) => {
      this.model.add(tf.layers.dense({ units, activation: this.act, ...(i === 0 ? { inputShape: [inputDim] } : {}) }));
    });
    return this.model;
  }
}
export const model = new DenseNetwork([256, 128, 64], 'tanh').build(784);`);
  assert.deepEqual(unitsOf(found), [256, 128, 64]);
  assert.deepEqual(found.layers.map((layer) => plain(layer.call.keyword.activation.value)), ['tanh', 'tanh', 'tanh']);
  assert.deepEqual(plain(found.layers[0].call.keyword.inputShape.value), [784]);
});

test('Object.assign({}, DEFAULTS, options) reads the defaults the options do not override', () => {
  const found = onlyModel(`${header}const DEFAULTS = { hiddenUnits: 16, inputs: 2 };
class NeuralNetwork {
  constructor(options = {}) {
    this.options = Object.assign({}, DEFAULTS, options);
    this.model = tf.sequential();
  }
  createLayers() {
    this.model.add(tf.layers.dense({ units: this.options.hiddenUnits, inputShape: [this.options.inputs] }));
  }
}`, 'nn.js');
  assert.deepEqual(unitsOf(found), [16]);
  assert.deepEqual(plain(found.layers[0].call.keyword.inputShape.value), [2]);
});

test('a value chosen by ?? or a condition keeps the span of the operand chosen, so a fix keeps the option', () => {
  const text = `${header}export function build(spec?: { init?: string }, deep = true) {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 8, inputShape: [8], kernelInitializer: spec?.init ?? 'glorotNormal' }));
  model.add(tf.layers.dense({ units: 8, kernelInitializer: deep ? 'heNormal' : 'glorotUniform' }));
  return model;
}`;
  const found = onlyModel(text);
  assert.deepEqual(found.layers.map((layer) => sliceOf(text, layer.call.keyword.kernelInitializer.span)), ["'glorotNormal'", "'heNormal'"]);
});
