/** Functional models: tf.input → layer.apply → tf.model, reported as the part of the graph the outputs use. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL_INPUT } from '../../../../src/core/ir';
import { extract, kindsOf, onlyModel, plain, sliceOf, unitsOf } from './extract';

const header = `import * as tf from '@tensorflow/tfjs';\n`;
const model = (body: string) => onlyModel(`${header}${body}`);

test('a chain of applied layers, with the input shape from tf.input', () => {
  const text = `${header}const input = tf.input({ shape: [784] });
const hidden = tf.layers.dense({ units: 128, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
const output = tf.layers.dense({ units: 10 }).apply(hidden) as tf.SymbolicTensor;
const model = tf.model({ inputs: input, outputs: output });`;
  const found = onlyModel(text);
  assert.equal(found.style, 'functional');
  assert.equal(found.name, 'model');
  assert.equal(sliceOf(text, found.span), 'const model = tf.model({ inputs: input, outputs: output });');
  assert.deepEqual(unitsOf(found), [128, 10]);
  assert.deepEqual(found.layers.map((layer) => layer.inputs), [[], [0]]);
  assert.deepEqual(found.inputShape && plain(found.inputShape.value), [784]);
  assert.equal(found.inputShape && sliceOf(text, found.inputShape.span), '[784]');
});

test('x reassigned in a loop: every application is a layer, repeated', () => {
  const found = model(`const input = tf.input({ shape: [64] });
let x = input;
for (let i = 0; i < 4; i++) {
  x = tf.layers.dense({ units: 64, activation: 'tanh' }).apply(x) as tf.SymbolicTensor;
}
const model = tf.model({ inputs: input, outputs: x });`);
  assert.deepEqual(found.layers.map((layer) => layer.inputs), [[], [0], [1], [2]]);
  assert.deepEqual(found.layers.map((layer) => layer.repeat?.iteration), [0, 1, 2, 3]);
});

test('layer objects made first and applied later; a shared layer is reported per application', () => {
  const found = model(`const input = tf.input({ shape: [8] });
const encoder = tf.layers.dense({ units: 8 });
const head = tf.layers.dense({ units: 2 });
const once = encoder.apply(input) as tf.SymbolicTensor;
const twice = encoder.apply(once) as tf.SymbolicTensor;
const model = tf.model({ inputs: input, outputs: head.apply(twice) as tf.SymbolicTensor });`);
  assert.deepEqual(unitsOf(found), [8, 8, 2]);
  assert.equal(found.layers[0].call, found.layers[1].call);
  assert.deepEqual(found.layers.map((layer) => layer.inputs), [[], [0], [1]]);
});

test('add and concatenate take their inputs from both branches', () => {
  const found = model(`const input = tf.input({ shape: [16] });
const a = tf.layers.dense({ units: 16 }).apply(input) as tf.SymbolicTensor;
const b = tf.layers.dense({ units: 16 }).apply(a) as tf.SymbolicTensor;
const sum = tf.layers.add().apply([a, b]) as tf.SymbolicTensor;
const joined = tf.layers.concatenate().apply([sum, input]) as tf.SymbolicTensor;
const model = tf.model({ inputs: input, outputs: joined });`);
  assert.deepEqual(kindsOf(found), ['dense', 'dense', 'add', 'concatenate']);
  // The model input is no layer: it is MODEL_INPUT (-1) beside the add, so concatenate weighs its moment in.
  assert.deepEqual(found.layers.map((layer) => layer.inputs), [[], [0], [0, 1], [2, MODEL_INPUT]]);
});

test('only layers that reach the outputs are reported, in application order', () => {
  const found = model(`const input = tf.input({ shape: [4] });
const unused = tf.layers.dense({ units: 99 }).apply(input);
const first = tf.layers.dense({ units: 1 }).apply(input) as tf.SymbolicTensor;
const second = tf.layers.dense({ units: 2 }).apply(first) as tf.SymbolicTensor;
const model = tf.model({ inputs: input, outputs: [second] });`);
  assert.deepEqual(unitsOf(found), [1, 2]);
});

test('several outputs: the union of what each one uses', () => {
  const found = model(`const input = tf.input({ shape: [4] });
const trunk = tf.layers.dense({ units: 8 }).apply(input) as tf.SymbolicTensor;
const left = tf.layers.dense({ units: 1 }).apply(trunk) as tf.SymbolicTensor;
const right = tf.layers.dense({ units: 2 }).apply(trunk) as tf.SymbolicTensor;
const model = tf.model({ inputs: input, outputs: [left, right] });`);
  assert.deepEqual(unitsOf(found), [8, 1, 2]);
  assert.deepEqual(found.layers.map((layer) => layer.inputs), [[], [0], [0]]);
});

test('a residual block helper inlined per call', () => {
  const found = model(`function block(x: tf.SymbolicTensor, units: number): tf.SymbolicTensor {
  const y = tf.layers.dense({ units, activation: 'relu', kernelInitializer: 'heNormal' }).apply(x) as tf.SymbolicTensor;
  return tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
}
const input = tf.input({ shape: [32] });
let x = input;
for (let i = 0; i < 3; i++) x = block(x, 32);
const model = tf.model({ inputs: input, outputs: x });`);
  assert.deepEqual(kindsOf(found), ['dense', 'add', 'dense', 'add', 'dense', 'add']);
  // The first skip connection carries the model input itself.
  assert.deepEqual(found.layers.map((layer) => layer.inputs), [[], [MODEL_INPUT, 0], [1], [1, 2], [3], [3, 4]]);
  assert.deepEqual(found.layers.map((layer) => layer.repeat?.iteration), [0, 0, 1, 1, 2, 2]);
});

test('layers threaded through reduce', () => {
  const found = model(`const stack = [64, 32, 16].map((units) => tf.layers.dense({ units }));
const input = tf.input({ shape: [128] });
const output = stack.reduce((x, layer) => layer.apply(x) as tf.SymbolicTensor, input);
const model = tf.model({ inputs: input, outputs: output });`);
  assert.deepEqual(unitsOf(found), [64, 32, 16]);
  assert.deepEqual(found.layers.map((layer) => layer.inputs), [[], [0], [1]]);
});

test('a sequential model applied inside a functional one contributes its layers', () => {
  const text = `${header}const block = tf.sequential({ layers: [tf.layers.dense({ units: 4 }), tf.layers.dense({ units: 2 })] });
const input = tf.input({ shape: [8] });
const model = tf.model({ inputs: input, outputs: block.apply(input) as tf.SymbolicTensor });`;
  const { models } = extract(text);
  assert.deepEqual(models.map((found) => [found.style, unitsOf(found)]), [['sequential', [4, 2]], ['functional', [4, 2]]]);
});

test('a functional model applied inside another (a VAE: decoder on the encoder\'s sample) contributes its graph, from its own inputs', () => {
  // Real-code audit (tfjs-examples fashion-mnist-vae): the VAE was read as its decoder alone.
  const text = `${header}function encoder(originalDim, latentDim) {
  const inputs = tf.input({ shape: [originalDim] });
  const x = tf.layers.dense({ units: 512, activation: 'relu' }).apply(inputs);
  const zMean = tf.layers.dense({ units: latentDim }).apply(x);
  const zLogVar = tf.layers.dense({ units: latentDim }).apply(x);
  return tf.model({ inputs, outputs: [zMean, zLogVar] });
}
function decoder(originalDim, latentDim) {
  const dec = tf.sequential();
  dec.add(tf.layers.dense({ units: 512, activation: 'relu', inputShape: [latentDim] }));
  dec.add(tf.layers.dense({ units: originalDim, activation: 'sigmoid' }));
  return dec;
}
const enc = encoder(784, 2);
const dec = decoder(784, 2);
const [zMean] = enc.apply(enc.inputs) as tf.SymbolicTensor[];
const vae = tf.model({ inputs: enc.inputs, outputs: dec.apply(zMean) as tf.SymbolicTensor });`;
  const vae = extract(text).models.find((found) => found.name === 'vae');
  assert.ok(vae, 'the VAE is read');
  assert.deepEqual(unitsOf(vae), [512, 2, 512, 784]);
  assert.deepEqual(vae.layers.map((layer) => layer.inputs), [[], [0], [1], [2]]);
  assert.deepEqual(vae.inputShape && plain(vae.inputShape.value), [784]);
});

test('a functional block joins a sequential model as its layers: a chain in order, a residual block with its Add wired to the block\'s input', () => {
  const block = (residual: boolean) => `${header}function block(width) {
  const input = tf.input({ shape: [width] });
  const h = tf.layers.dense({ units: width, activation: 'relu' }).apply(input);
  const out = tf.layers.dense({ units: width, activation: 'relu' }).apply(h);
  return tf.model({ inputs: input, outputs: ${residual ? 'tf.layers.add().apply([input, out])' : 'out'} });
}
const net = tf.sequential({ layers: [block(64), block(64), tf.layers.dense({ units: 10, activation: 'softmax' })] });`;
  const chained = extract(block(false)).models.find((found) => found.name === 'net')!;
  assert.deepEqual(unitsOf(chained), [64, 64, 64, 64, 10]);
  assert.deepEqual(chained.layers.map((layer) => layer.inputs), [[], [0], [1], [2], [3]]);
  assert.deepEqual(chained.inputShape && plain(chained.inputShape.value), [64]);
  // Real-code audit: transformer blocks (tf.model with Add and LayerNormalization) stacked in a tf.sequential.
  const residual = extract(block(true)).models.find((found) => found.name === 'net')!;
  assert.deepEqual(kindsOf(residual), ['dense', 'dense', 'add', 'dense', 'dense', 'add', 'dense']);
  assert.deepEqual(residual.layers.map((layer) => layer.inputs), [[], [0], [MODEL_INPUT, 1], [2], [3], [2, 4], [5]]);
});

test('a sequential model holding a residual block, applied inside a functional one, keeps the block\'s wiring', () => {
  const text = `${header}const x = tf.input({ shape: [8] });
const h = tf.layers.dense({ units: 8, activation: 'relu' }).apply(x);
const block = tf.model({ inputs: x, outputs: tf.layers.add().apply([x, h]) });
const trunk = tf.sequential({ layers: [block] });
const z = tf.input({ shape: [8] });
const model = tf.model({ inputs: z, outputs: tf.layers.dense({ units: 1 }).apply(trunk.apply(z)) });`;
  const found = extract(text).models.find((candidate) => candidate.name === 'model')!;
  assert.deepEqual(kindsOf(found), ['dense', 'add', 'dense']);
  assert.deepEqual(found.layers.map((layer) => layer.inputs), [[], [MODEL_INPUT, 0], [1]]);
});

test('outputs taken by a destructuring assignment ([fake, aux] = discriminator.apply(fake))) carry the applied model\'s graph', () => {
  // Real-code audit (tfjs-examples mnist-acgan): the combined model was read as its generator alone.
  const text = `${header}const image = tf.input({ shape: [16] });
const features = tf.layers.dense({ units: 32, activation: 'relu' }).apply(image);
const real = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(features);
const aux = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(features);
const discriminator = tf.model({ inputs: image, outputs: [real, aux] });
const z = tf.input({ shape: [4] });
let fake = tf.layers.dense({ units: 16, activation: 'tanh' }).apply(z);
let cls, unused = 1;
[fake, cls = unused] = discriminator.apply(fake);
const combined = tf.model({ inputs: z, outputs: [fake, cls] });`;
  const combined = extract(text).models.find((found) => found.name === 'combined');
  assert.deepEqual(unitsOf(combined!), [16, 32, 1, 10]);
});

test('named imports: input and model from the module', () => {
  const found = onlyModel(`import { input, layers, model } from '@tensorflow/tfjs';
const x = input({ shape: [3] });
export const net = model({ inputs: x, outputs: layers.dense({ units: 1 }).apply(x) as any });`);
  assert.equal(found.name, 'net');
  assert.deepEqual(found.inputShape && plain(found.inputShape.value), [3]);
});

test('an encoder whose state seeds the decoder (returnState, initialState) belongs to the model', () => {
  const found = onlyModel(`import { input, layers, model, SymbolicTensor } from '@tensorflow/tfjs';
const encIn = input({ shape: [null, 100] as any });
const [, stateH] = layers.gru({ units: 32, returnState: true }).apply(encIn) as SymbolicTensor[];
const decIn = input({ shape: [null, 100] as any });
const decOut = layers.gru({ units: 32, returnSequences: true }).apply(decIn, { initialState: [stateH] }) as SymbolicTensor;
export const seq2seq = model({ inputs: [encIn, decIn], outputs: layers.dense({ units: 100 }).apply(decOut) as SymbolicTensor });`);
  assert.deepEqual(kindsOf(found), ['gru', 'gru', 'dense']);
  // The state enters through the recurrent kernel: the decoder's moments come from its data input alone, the
  // model's second input (modelInput(1) = -2).
  assert.deepEqual(found.layers.map((layer) => layer.inputs), [[], [-2], [1]]);
});

test('an output picked by index from a multi-output layer is that layer\'s output', () => {
  const found = model(`const input = tf.input({ shape: [8] });
const outs = tf.layers.dense({ units: 4 }).apply(input) as tf.SymbolicTensor[];
const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1 }).apply(outs[0]) as tf.SymbolicTensor });`);
  assert.deepEqual(unitsOf(found), [4, 1]);
});

test('tf.layers.input is tf.input under another name: a model input, not a layer', () => {
  const found = model(`const tokens = tf.layers.input({ shape: [null, 71] as number[] });
const encoded = tf.layers.lstm({ units: 256 }).apply(tokens) as tf.SymbolicTensor;
const model = tf.model({ inputs: tokens, outputs: tf.layers.dense({ units: 71 }).apply(encoded) as tf.SymbolicTensor });`);
  assert.deepEqual(kindsOf(found), ['lstm', 'dense']);
  assert.deepEqual(plain(found.inputShape?.value ?? { kind: 'unknown' }), [null, 71]);
  assert.deepEqual(found.layers.map((layer) => layer.inputs), [[], [0]]);
});

test('an RNN applied to [input, ...states] reads the states as initial states, not as inputs', () => {
  const found = model(`const encoderInputs = tf.input({ shape: [null, 40] as number[] });
const [, stateH, stateC] = tf.layers.lstm({ units: 64, returnState: true }).apply(encoderInputs) as tf.SymbolicTensor[];
const decoderInputs = tf.input({ shape: [null, 50] as number[] });
const [decoded] = tf.layers.lstm({ units: 64, returnSequences: true, returnState: true })
  .apply([decoderInputs, stateH, stateC]) as tf.SymbolicTensor[];
const model = tf.model({ inputs: [encoderInputs, decoderInputs], outputs: tf.layers.dense({ units: 50 }).apply(decoded) as tf.SymbolicTensor });`);
  assert.deepEqual(kindsOf(found), ['lstm', 'lstm', 'dense']);
  // The decoder's moments come from the second model input alone; the encoder stays part of the model.
  assert.deepEqual(found.layers.map((layer) => layer.inputs), [[], [-2], [1]]);
});

test('a merge layer applied to a list keeps every tensor of it as an input', () => {
  const found = model(`const a = tf.input({ shape: [8] });
const b = tf.input({ shape: [8] });
const c = tf.input({ shape: [8] });
const model = tf.model({ inputs: [a, b, c], outputs: tf.layers.concatenate().apply([a, b, c]) as tf.SymbolicTensor });`);
  assert.deepEqual(found.layers.map((layer) => layer.inputs), [[-1, -2, -3]]);
});
