/**
 * LSUV scales written into the source: a model snippet and per-layer scales in, the edited text out, and the
 * edited text re-analysed by the real front ends has Var(W) = scale/fan_in on every rescaled layer
 * (Keras's corrected truncated normal, tfjs's uniform: both exact).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, frameworkAssumptions, mergeConfig } from '../../../src/core/config';
import { formatNumber } from '../../../src/core/fixes';
import { lsuvEdits, type LayerScale } from '../../../src/core/lsuvFixes';
import type { Layer } from '../../../src/core/model';
import { kernelScales } from '../../../src/core/kernelScales';
import { buildReport } from '../../../src/core/report';
import { mainRole } from '../../../src/core/rules/context';
import { applyEdits } from '../../../src/core/text';
import { analyzeSource } from '../../../src/project/analyzeSource';

/** Every kernel layer of the file's first model, with a scale that differs per layer. */
function everyKernel(layers: Layer[], scaleOf = (layer: Layer) => 1 + 0.37 * layer.index, converged = (_layer: Layer) => true): LayerScale[] {
  return layers.filter((layer) => layer.fanIn !== undefined && layer.initializers[mainRole(layer)])
    .map((layer) => ({ index: layer.index, fanInScale: scaleOf(layer), converged: converged(layer) }));
}

function rescale(code: string, fileName: string, scalesFor: (layers: Layer[]) => LayerScale[] = everyKernel, config = DEFAULT_CONFIG) {
  const before = analyzeSource(code, fileName, config);
  assert.deepEqual(before.internalErrors, []);
  const model = before.models[0].model;
  const scales = scalesFor(model.layers);
  const result = lsuvEdits(code, before.extracted.imports, model, scales, frameworkAssumptions(config));
  const text = applyEdits(code, result.edits).text;
  const after = analyzeSource(text, fileName, config);
  assert.deepEqual(after.internalErrors, []);
  assert.equal(after.extracted.syntaxProblems.length, 0, `the edited text parses:\n${text}`);
  return { text, result, scales, before: model, after: after.models[0].model, report: buildReport(after)[0] };
}

const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual / expected - 1) <= tolerance, `${what}: ${actual} is not ${expected}`);

/** The re-analysed Var(W)·fan_in of each rescaled layer is the written scale: exactly, and within rounding of the measured one. */
function assertScalesWritten(outcome: ReturnType<typeof rescale>, expected = new Map(outcome.scales.map((s) => [s.index, s.fanInScale]))) {
  for (const [index, scale] of expected) {
    const layer = outcome.report.layers[index];
    const variance = layer.initializer?.variance ?? NaN;
    close(variance * layer.fanIn!, Number(formatNumber(scale)), 1e-12, `layer ${index + 1} Var(W)·fan_in`);
    close(variance, scale / layer.fanIn!, 5e-4, `layer ${index + 1} Var(W)`);
  }
}

test('Keras Sequential: a string, an imported class, a call with arguments and a default all become VarianceScaling, the import extended once', () => {
  const code = `from keras import layers, models
from keras.initializers import GlorotUniform, HeNormal

model = models.Sequential([
    layers.Input(shape=(64,)),
    layers.Dense(64, activation="relu", kernel_initializer="he_normal"),
    layers.Dense(64, activation="relu", kernel_initializer=HeNormal()),
    layers.Dense(64, activation="tanh", kernel_initializer=GlorotUniform(seed=1)),
    layers.Dropout(0.1),
    layers.Dense(10),
])
`;
  const outcome = rescale(code, 'model.py');
  assert.equal(outcome.text, `from keras import layers, models
from keras.initializers import GlorotUniform, HeNormal, VarianceScaling

model = models.Sequential([
    layers.Input(shape=(64,)),
    layers.Dense(64, activation="relu", kernel_initializer=VarianceScaling(scale=1, mode="fan_in", distribution="truncated_normal")),
    layers.Dense(64, activation="relu", kernel_initializer=VarianceScaling(scale=1.37, mode="fan_in", distribution="truncated_normal")),
    layers.Dense(64, activation="tanh", kernel_initializer=VarianceScaling(scale=1.74, mode="fan_in", distribution="truncated_normal")),
    layers.Dropout(0.1),
    layers.Dense(10, kernel_initializer=VarianceScaling(scale=2.48, mode="fan_in", distribution="truncated_normal")),
])
`);
  assert.deepEqual(outcome.scales.map((scale) => scale.index), [0, 1, 2, 4], 'Dropout has no kernel and is not in the list');
  assert.equal(outcome.result.layersChanged, 4);
  assert.deepEqual(outcome.result.notes, []);
  assertScalesWritten(outcome);
});

test('Keras functional model without an initializers import: one import added for all layers, single quotes kept', () => {
  const code = `from keras import Input, Model, layers

inputs = Input(shape=(32,))
x = layers.Dense(48, activation='relu')(inputs)
x = layers.Dense(48, activation='relu', kernel_initializer='glorot_normal')(x)
outputs = layers.Dense(4, kernel_initializer='zeros')(x)
model = Model(inputs, outputs)
`;
  const outcome = rescale(code, 'model.py', (layers) => everyKernel(layers, (layer) => 0.5 + layer.index));
  assert.equal(outcome.text.match(/^from keras import initializers$/gm)?.length, 1, outcome.text);
  assert.match(outcome.text, /layers\.Dense\(48, activation='relu', kernel_initializer=initializers\.VarianceScaling\(scale=0\.5, mode='fan_in', distribution='truncated_normal'\)\)\(inputs\)/);
  assert.equal(outcome.after.style, 'functional');
  assertScalesWritten(outcome);
});

test('Keras loop: one edit in the loop body with the geometric mean of the iterations, which keeps their product', () => {
  const code = `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(128,))])
model.add(layers.Dense(128, activation="relu"))
for _ in range(20):
    model.add(layers.Dense(128, activation="relu", kernel_initializer="glorot_uniform"))
model.add(layers.Dense(10))
`;
  const loopScale = (layer: Layer) => (layer.repeat ? 1.6 + 0.05 * layer.repeat.iteration : 2.2);
  const outcome = rescale(code, 'model.py', (layers) => everyKernel(layers, loopScale, (layer) => layer.repeat?.iteration !== 3));
  assert.equal(outcome.text.match(/VarianceScaling/g)?.length, 3, 'first layer, loop body, output layer');
  const iterations = outcome.before.layers.filter((layer) => layer.repeat);
  assert.equal(iterations.length, 20);
  const mean = Math.exp(iterations.reduce((sum, layer) => sum + Math.log(loopScale(layer)), 0) / iterations.length);
  assert.match(outcome.text, new RegExp(`for _ in range\\(20\\):\\n    model\\.add\\(layers\\.Dense\\(128, activation="relu", kernel_initializer=keras\\.initializers\\.VarianceScaling\\(scale=${formatNumber(mean)}, `));
  assertScalesWritten(outcome, new Map(outcome.before.layers.map((layer) => [layer.index, layer.repeat ? mean : 2.2])));
  const product = (values: number[]) => values.reduce((a, b) => a * b, 1);
  close(product(iterations.map((layer) => outcome.report.layers[layer.index].initializer!.variance! * 128)), product(iterations.map(loopScale)), 20 * 5e-4, 'the chain product');
  assert.equal(outcome.result.layersChanged, 22);
  assert.deepEqual(outcome.result.notes, [
    `Layers 2–21 share one Dense call: it gets the geometric mean of their scales, ${formatNumber(mean)} (they range from 1.6 to 2.55).`,
    "Layer 5 (Dense) did not converge within LSUV's iteration limit: the last scale is written anyway.",
  ]);
});

test('tfjs Sequential: strings, calls and defaults become varianceScaling with the uniform distribution, whose variance is exact', () => {
  const code = `import * as tf from '@tensorflow/tfjs';

const model = tf.sequential();
model.add(tf.layers.dense({ units: 64, inputShape: [64], activation: 'relu', kernelInitializer: 'heNormal' }));
model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) }));
model.add(tf.layers.dense({ units: 10 }));
`;
  const outcome = rescale(code, 'model.ts');
  assert.equal(outcome.text, `import * as tf from '@tensorflow/tfjs';

const model = tf.sequential();
model.add(tf.layers.dense({ units: 64, inputShape: [64], activation: 'relu', kernelInitializer: tf.initializers.varianceScaling({scale: 1, mode: 'fanIn', distribution: 'uniform'}) }));
model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: tf.initializers.varianceScaling({scale: 1.37, mode: 'fanIn', distribution: 'uniform'}) }));
model.add(tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.varianceScaling({scale: 1.74, mode: 'fanIn', distribution: 'uniform'}) }));
`);
  assertScalesWritten(outcome);
  // tfjs's 'normal' would have been 0.7737× short (an uncorrected truncated normal): the re-analysis says uniform.
  for (const layer of outcome.after.layers) assert.equal(layer.initializers.kernel?.sampling?.kind === 'varianceScaling' && layer.initializers.kernel.sampling.sampler, 'uniform');
});

test('tfjs functional model built in a loop, with named imports: `initializers` added to the import once', () => {
  const code = `import { input, layers, model as makeModel, SymbolicTensor } from "@tensorflow/tfjs";

const inputs = input({ shape: [96] });
let x = inputs as SymbolicTensor;
for (let i = 0; i < 6; i++) {
  x = layers.dense({ units: 96, activation: "tanh", kernelInitializer: "glorotUniform" }).apply(x) as SymbolicTensor;
}
const outputs = layers.dense({ units: 1 }).apply(x) as SymbolicTensor;
export const model = makeModel({ inputs, outputs });
`;
  const outcome = rescale(code, 'model.ts', (layers) => everyKernel(layers, (layer) => 0.9 ** layer.index));
  assert.equal(outcome.text.split('\n')[0], 'import { input, layers, model as makeModel, SymbolicTensor, initializers } from "@tensorflow/tfjs";');
  assert.match(outcome.text, /kernelInitializer: initializers\.varianceScaling\(\{scale: [\d.]+, mode: "fanIn", distribution: "uniform"\}\)/);
  assert.equal(outcome.before.layers.length, 7);
  const mean = Math.exp(outcome.scales.slice(0, 6).reduce((sum, scale) => sum + Math.log(scale.fanInScale), 0) / 6);
  assertScalesWritten(outcome, new Map(outcome.before.layers.map((layer) => [layer.index, layer.repeat ? mean : 0.9 ** 6])));
});

test('Keras before 2.2 (no truncation correction) gets the uniform distribution, exact there too', () => {
  const code = `from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(32, input_shape=(32,), activation="relu", kernel_initializer="he_normal"), Dense(8)])
`;
  const outcome = rescale(code, 'model.py', everyKernel, mergeConfig(DEFAULT_CONFIG, { frameworkVersion: { keras: '2.1', tfjs: '4' } }));
  assert.match(outcome.text, /kernel_initializer=initializers\.VarianceScaling\(scale=1, mode="fan_in", distribution="uniform"\)/);
  assertScalesWritten(outcome);
});

test('only the listed kernel layers change; unconverged ones are written and named; a stale index is reported', () => {
  const code = `import keras
model = keras.Sequential([
    keras.Input(shape=(16,)),
    keras.layers.Dense(16, activation="relu", kernel_initializer="he_uniform"),
    keras.layers.BatchNormalization(),
    keras.layers.Dense(16, activation="relu", kernel_initializer="he_uniform"),
    keras.layers.Dense(2, kernel_initializer="he_uniform"),
])
`;
  const outcome = rescale(code, 'model.py', () => [
    { index: 2, fanInScale: 2.9, converged: false },
    { index: 1, fanInScale: 3, converged: true },
    { index: 9, fanInScale: 3, converged: true },
  ]);
  assert.equal(outcome.text.match(/"he_uniform"/g)?.length, 2, 'layers 1 and 4 are not in the list');
  assert.match(outcome.text, /Dense\(16, activation="relu", kernel_initializer=keras\.initializers\.VarianceScaling\(scale=2\.9, /);
  assert.equal(outcome.result.layersChanged, 1);
  assert.deepEqual(outcome.result.notes, [
    'Layer 2 has no kernel in model: left as it is.',
    'Layer 10 has no kernel in model: left as it is.',
    "Layer 3 (Dense) did not converge within LSUV's iteration limit: the last scale is written anyway.",
  ]);
  assertScalesWritten(outcome, new Map([[2, 2.9]]));
});

test('a tfjs config passed as a variable has nowhere to write: no edit, a note', () => {
  const code = `import * as tf from '@tensorflow/tfjs';
const config = { units: 8, inputShape: [8] };
const model = tf.sequential({ layers: [tf.layers.dense(config), tf.layers.dense({ units: 2 })] });
`;
  const outcome = rescale(code, 'model.ts', (layers) => everyKernel(layers, () => 2));
  assert.equal(outcome.result.layersChanged, 1);
  assert.deepEqual(outcome.result.notes, ['Layer 1 (dense): no place to write an initializer (its config is not written out in the call), left as it is.']);
  assert.match(outcome.text, /tf\.layers\.dense\(config\), tf\.layers\.dense\(\{ units: 2, kernelInitializer: tf\.initializers\.varianceScaling/);
});

test('depthwise conv writes depthwise_initializer; separable conv rescales its depthwise kernel by LSUV\'s pointwise multiplier', () => {
  for (const [fileName, code] of [
    ['model.py', `import keras
model = keras.Sequential([
    keras.Input(shape=(16, 16, 8)),
    keras.layers.DepthwiseConv2D(3, activation="relu"),
    keras.layers.SeparableConv2D(16, 3, activation="relu", depthwise_initializer="he_normal"),
    keras.layers.SeparableConv2D(16, 3, activation="relu", depth_multiplier=2),
])
`],
    ['model.ts', `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({ layers: [
  tf.layers.depthwiseConv2d({ kernelSize: 3, inputShape: [16, 16, 8], activation: 'relu' }),
  tf.layers.separableConv2d({ filters: 16, kernelSize: 3, activation: 'relu', depthwiseInitializer: 'heNormal' }),
  tf.layers.separableConv2d({ filters: 16, kernelSize: 3, activation: 'relu', depthMultiplier: 2 }),
] });
`],
  ] as const) {
    const outcome = rescale(code, fileName, (layers) => everyKernel(layers, (layer) => 1.5 + layer.index));
    assert.equal(outcome.text.match(/depthwise_?[iI]nitializer/g)?.length, 3, outcome.text);
    assertScalesWritten(outcome, new Map([[0, 1.5]]));
    for (const index of [1, 2]) {
      // What LSUV did: the pointwise kernel times m, with m² = scale / (fan_in(pw)·Var(pw)); the layer's c grows by m².
      const layer = outcome.before.layers[index];
      const rf = 9;
      const pointwiseFanIn = (layer.fanIn! / rf) * (layer.depthMultiplier ?? 1);
      const pointwiseVariance = kernelScales(layer).forward / (rf * kernelScales(layer).variance * pointwiseFanIn);
      const multiplierSquared = outcome.scales[index].fanInScale / (pointwiseFanIn * pointwiseVariance);
      close(kernelScales(outcome.after.layers[index]).forward, multiplierSquared * kernelScales(layer).forward, 1e-3, `${fileName} separable layer ${index + 1} c`);
    }
  }
});

test('separable conv: the note names the kernel LSUV\'s scale went into; tfjs\'s ignored pointwiseInitializer is written the same', () => {
  const keras = rescale(`import keras
model = keras.Sequential([
    keras.Input(shape=(16, 16, 8)),
    keras.layers.SeparableConv2D(16, 3, activation="relu", pointwise_initializer="he_uniform"),
    keras.layers.SeparableConv2D(16, 3, activation="relu"),
])
`, 'model.py');
  assert.ok(keras.result.notes.includes("Layer 1 (SeparableConv2D): the scale is written into depthwise_initializer; the pointwise kernel keeps its pointwise_initializer (the layer's gain is the product of both kernels')."), keras.result.notes.join('\n'));
  assert.match(keras.text, /pointwise_initializer="he_uniform"/);
  const tfjs = rescale(`import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({ layers: [
  tf.layers.separableConv2d({ filters: 16, kernelSize: 3, inputShape: [16, 16, 8], activation: 'relu', depthwiseInitializer: 'heNormal', pointwiseInitializer: 'heNormal' }),
  tf.layers.separableConv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
] });
`, 'model.ts');
  assert.match(tfjs.result.notes.join('\n'), /Layer 1 \(separableConv2d\): the scale is written into depthwiseInitializer, which TensorFlow\.js draws both the depthwise and the pointwise kernel from \(tfjs#8564\), and its ignored pointwiseInitializer is written the same\./);
  const written = tfjs.text.match(/depthwiseInitializer: (tf\.initializers\.varianceScaling\([^)]*\)), pointwiseInitializer: (tf\.initializers\.varianceScaling\([^)]*\))/);
  assert.ok(written && written[1] === written[2], tfjs.text);
  // The pointwise kernel tfjs draws is the depthwise initializer's, before and after: its scale is unchanged by the extra edit.
  assert.deepEqual(tfjs.after.layers[0].initializers.pointwise?.sampling, tfjs.after.layers[0].initializers.depthwise?.sampling);
});

test('a tfjs shorthand property keeps its name: `{ kernelInitializer }` becomes `kernelInitializer: …` (rule fixes too)', () => {
  const code = `import * as tf from '@tensorflow/tfjs';
const kernelInitializer = 'glorotNormal';
const model = tf.sequential();
for (let i = 0; i < 20; i++) model.add(tf.layers.dense({ units: 32, inputShape: [32], activation: 'relu', kernelInitializer }));
`;
  const outcome = rescale(code, 'model.ts', (layers) => everyKernel(layers, () => 2));
  assert.match(outcome.text, /activation: 'relu', kernelInitializer: tf\.initializers\.varianceScaling\(\{scale: 2, mode: 'fanIn', distribution: 'uniform'\}\) \}\)\);/);
  assertScalesWritten(outcome);
  const [finding] = analyzeSource(code, 'model.ts').findings;
  assert.equal(finding.rule, 'relu-glorot-deep');
  assert.match(applyEdits(code, finding.fixes[0].edits).text, /activation: 'relu', kernelInitializer: 'heUniform' \}\)\);/);
});

test('a loop measured at one iteration only: the loop body takes that scale for every iteration, and says so', () => {
  const code = `import keras
model = keras.Sequential([keras.Input(shape=(32,))])
for _ in range(4):
    model.add(keras.layers.Dense(32, activation="relu"))
`;
  const outcome = rescale(code, 'model.py', () => [{ index: 2, fanInScale: 1.8, converged: true }]);
  assert.equal(outcome.result.layersChanged, 4);
  assert.deepEqual(outcome.result.notes, ['Layer 3 is written by a Dense call that layers 1–4 share: they all take its scale, 1.8.']);
  assertScalesWritten(outcome, new Map([0, 1, 2, 3].map((index) => [index, 1.8])));
});

test('a zeros layer gets its calibrated initializer in place of the constant, with a note saying so; nothing constant is left', () => {
  const code = `import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(64,))])
model.add(layers.Dense(64, activation="tanh", kernel_initializer="he_normal"))
model.add(layers.Dense(64, activation="relu", kernel_initializer="zeros"))
model.add(layers.Dense(10))
`;
  const outcome = rescale(code, 'zeros.py');
  assert.doesNotMatch(outcome.text, /zeros/);
  assert.deepEqual(outcome.result.constantLeft, []);
  assert.ok(outcome.result.notes.some((note) => /^Layer 2 \(Dense\) started from a constant kernel \('zeros'\), which LSUV cannot calibrate/.test(note)), outcome.result.notes.join('\n'));
  assertScalesWritten(outcome);
});

test('a zeros layer LSUV has no scale for stays constant: the edits say so, and name it', () => {
  const code = `import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(64,))])
model.add(layers.Dense(64, activation="tanh", kernel_initializer="he_normal"))
model.add(layers.Dense(64, activation="relu", kernel_initializer="zeros"))
model.add(layers.Dense(10))
`;
  // Only the first layer measured (as before LSUV started constant kernels from a random draw).
  const outcome = rescale(code, 'zeros-left.py', (layers) => everyKernel(layers).filter((scale) => scale.index === 0));
  assert.match(outcome.text, /kernel_initializer="zeros"/);
  assert.deepEqual(outcome.result.constantLeft, [1]);
  assert.ok(outcome.result.notes.some((note) => /^Layer 2 keeps a constant kernel, which LSUV cannot calibrate .*symmetric-init/.test(note)), outcome.result.notes.join('\n'));
});
