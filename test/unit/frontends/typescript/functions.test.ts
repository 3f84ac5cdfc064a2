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

test('if on a constant takes its branch; on an unknown value the branch without else runs, if/else keeps one', () => {
  const found = onlyModel(`${header}function build(useNorm = false, dropout?: number) {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 8 }));
  if (useNorm) model.add(tf.layers.batchNormalization());
  if (dropout) model.add(tf.layers.dropout({ rate: dropout }));
  else model.add(tf.layers.activation({ activation: 'relu' }));
  return model;
}
export const model = build();`);
  assert.deepEqual(kindsOf(found), ['dense', 'activation']);
  // An unknown if/else: the model with each branch, the second one as an alternative that takes what follows too.
  const { models } = extract(`${header}declare const flag: boolean;
const model = tf.sequential();
if (flag) model.add(tf.layers.dense({ units: 1 })); else model.add(tf.layers.dense({ units: 2 }));
if (flag) model.add(tf.layers.dropout({ rate: 0.5 }));`);
  assert.deepEqual(models.map((model) => [model.name, kindsOf(model), unitsOf(model)]), [
    ['model', ['dense', 'dropout'], [1, '?']],
    ['model (alternative 2)', ['dense', 'dropout'], [2, '?']],
  ]);
});

test('branches on an option nobody passed are alternatives: the model is one of them, never all stacked', () => {
  // As in a sentiment classifier offering a multi-hot MLP or an embedding with a CNN, an LSTM or a GRU.
  const { models } = extract(`${header}export function buildClassifier(kind: string, vocabulary: number) {
  const model = tf.sequential();
  if (kind === 'bagOfWords') {
    model.add(tf.layers.dense({ units: 32, activation: 'relu', inputShape: [vocabulary] }));
    model.add(tf.layers.dense({ units: 32, activation: 'relu' }));
  } else {
    model.add(tf.layers.embedding({ inputDim: vocabulary, outputDim: 64 }));
    if (kind === 'recurrent') model.add(tf.layers.lstm({ units: 48 }));
    else if (kind === 'gated') model.add(tf.layers.gru({ units: 48 }));
    else throw new Error(kind);
  }
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  return model;
}`);
  const [found] = models;
  assert.deepEqual(kindsOf(found), ['dense', 'dense', 'dense']);
  assert.deepEqual(unitsOf(found), [32, 32, 1]);
  // The other branch is checked as its own model (with its own first nested choice), never stacked onto the first.
  assert.deepEqual(models.map(kindsOf), [['dense', 'dense', 'dense'], ['embedding', 'lstm', 'dense']]);
});

test('a builder nobody calls does not take its parameters as undefined: a type switch ending in throw keeps its model', () => {
  const found = onlyModel(`${header}export function buildModel(modelType: string, inputShape: number[]) {
  let model: tf.Sequential;
  if (modelType === 'linear') {
    model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape })] });
  } else {
    throw new Error(\`Unsupported model type: \${modelType}\`);
  }
  model.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
  return model;
}`);
  assert.deepEqual(unitsOf(found), [1]);
});

test('a builder another function calls is read through that call, not also alone; each model type once', () => {
  // As in a weather example: buildModel(modelType) picks among builders, itself called by nobody in the file.
  const { models } = extract(`${header}function buildMlp(inputShape: number[], dropoutRate?: number) {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape }));
  model.add(tf.layers.dense({ units: 32, activation: 'relu' }));
  if (dropoutRate > 0) model.add(tf.layers.dropout({ rate: dropoutRate }));
  model.add(tf.layers.dense({ units: 1 }));
  return model;
}
export function buildModel(modelType: string, steps: number, features: number) {
  const inputShape = [steps, features];
  if (modelType === 'mlp') return buildMlp(inputShape);
  else if (modelType === 'mlp-dropout') return buildMlp(inputShape, 0.25);
  throw new Error(modelType);
}`);
  assert.deepEqual(models.map(kindsOf), [['flatten', 'dense', 'dense'], ['flatten', 'dense', 'dropout', 'dense']]);
});

test('an alternative that builds nothing (a guard that throws) gives way to the next one', () => {
  const found = onlyModel(`${header}function build(units?: number) {
  const model = tf.sequential();
  if (units === undefined || units < 1) {
    throw new Error('units');
  } else {
    model.add(tf.layers.dense({ units: 16, inputShape: [4] }));
  }
  return model;
}`);
  assert.deepEqual(unitsOf(found), [16]);
});

test('alternatives each start from the values before them; a name set in the kept one keeps its value', () => {
  const found = onlyModel(`${header}declare const large: boolean;
let width = 8;
if (large) width = 512; else width = 16;
const input = tf.input({ shape: [4] });
let x = input;
if (large) x = tf.layers.dense({ units: width }).apply(x) as tf.SymbolicTensor;
else x = tf.layers.dense({ units: 3 }).apply(x) as tf.SymbolicTensor;
const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1 }).apply(x) as tf.SymbolicTensor });`);
  // Not dense(3) applied to dense(512): each branch starts from the model input.
  assert.deepEqual(unitsOf(found), [512, 1]);
  assert.deepEqual(found.layers.map((layer) => layer.inputs), [[], [0]]);
});

test('nested alternatives: the kept branch keeps its own first choice, whichever branch of the outer one is kept', () => {
  const text = (first: string) => `${header}declare const a: boolean, b: boolean;
const model = tf.sequential();
if (a) {
  ${first}
} else {
  if (b) model.add(tf.layers.dense({ units: 6 })); else model.add(tf.layers.dense({ units: 7 }));
}
model.add(tf.layers.dense({ units: 5 }));`;
  const nested = 'if (b) model.add(tf.layers.dense({ units: 1 })); else model.add(tf.layers.dense({ units: 2 }));\n  model.add(tf.layers.dense({ units: 3 }));';
  // The outer choice's other branch is a second model; the nested choices keep their first.
  assert.deepEqual(extract(text(nested)).models.map(unitsOf), [[1, 3, 5], [6, 5]]);
  assert.deepEqual(unitsOf(onlyModel(text("throw new Error('a');"))), [6, 5]);
});

test('a second choice after the first: no model loses the layers of either choice', () => {
  // As in an addition RNN choosing its cell type in one switch for the encoder and again for the decoder.
  const { models } = extract(`${header}declare const wide: boolean;
const model = tf.sequential();
if (wide) model.add(tf.layers.dense({ units: 64, inputShape: [8] })); else model.add(tf.layers.dense({ units: 16, inputShape: [8] }));
model.add(tf.layers.dense({ units: 4 }));
if (wide) model.add(tf.layers.dense({ units: 32 })); else model.add(tf.layers.dense({ units: 2 }));
model.add(tf.layers.dense({ units: 1 }));`);
  // The kept model has both first choices; the first choice's other branch takes the second's kept one, and the
  // second choice's other branch is a fork of its own.
  assert.deepEqual(models.map(unitsOf), [[64, 4, 32, 1], [16, 4, 32, 1], [64, 4, 2, 1]]);
});

test('a model made inside an alternative that is not kept is still reported, with its layers', () => {
  const { models } = extract(`${header}declare const kind: string;
let model;
if (kind === 'wide') {
  model = tf.sequential({ layers: [tf.layers.dense({ units: 512, inputShape: [8] })] });
} else {
  model = tf.sequential();
  model.add(tf.layers.dense({ units: 16, inputShape: [8] }));
  model.add(tf.layers.dense({ units: 16 }));
}`);
  assert.deepEqual(models.map(unitsOf), [[512], [16, 16]]);
});

test('an array pushed to in alternatives holds the kept alternative\'s layers only', () => {
  const found = onlyModel(`${header}declare const deep: boolean;
const hidden = [];
if (deep) { for (let i = 0; i < 3; i++) hidden.push(tf.layers.dense({ units: 64 })); }
else { hidden.push(tf.layers.dense({ units: 8 })); }
const model = tf.sequential({ layers: [...hidden, tf.layers.dense({ units: 1 })] });`);
  assert.deepEqual(unitsOf(found), [64, 64, 64, 1]);
});

test('switch on an unknown value: its cases are alternatives, each with its fall-through', () => {
  // As in an addition RNN offering SimpleRNN, GRU or LSTM twice: one cell type, not the three stacked.
  const found = onlyModel(`${header}export function build(cell: string, hidden: number) {
  const model = tf.sequential();
  for (let i = 0; i < 2; i++) {
    switch (cell) {
      case 'SimpleRNN': model.add(tf.layers.simpleRNN({ units: hidden, returnSequences: true, inputShape: [7, 12] })); break;
      case 'GRU': model.add(tf.layers.gru({ units: hidden, returnSequences: true })); break;
      case 'LSTM': model.add(tf.layers.lstm({ units: hidden, returnSequences: true })); break;
      default: throw new Error(cell);
    }
  }
  model.add(tf.layers.dense({ units: 12 }));
  return model;
}`);
  assert.deepEqual(kindsOf(found), ['simpleRNN', 'simpleRNN', 'dense']);
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

test('a model kept in a private #field and grown in the constructor', () => {
  const found = onlyModel(`${header}export class Agent {
  #net = tf.sequential();
  constructor() {
    this.#net.add(tf.layers.dense({ units: 8, inputShape: [4], activation: 'relu' }));
    this.#net.add(tf.layers.dense({ units: 2 }));
  }
}`);
  assert.equal(found.name, '#net');
  assert.deepEqual(unitsOf(found), [8, 2]);
});

test('a model built in a getter is found (the getter runs on its own, like a method nobody calls)', () => {
  const found = onlyModel(`${header}export class Net {
  get model(): tf.Sequential {
    const model = tf.sequential();
    for (let i = 0; i < 3; i++) model.add(tf.layers.dense({ units: 32, inputShape: i === 0 ? [16] : undefined }));
    return model;
  }
}`);
  assert.deepEqual(unitsOf(found), [32, 32, 32]);
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
