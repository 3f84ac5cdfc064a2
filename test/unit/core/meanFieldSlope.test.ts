/** The mean-field slope s = d log m2/d log q (SCIENCE.md §6) and the report rows it marks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meanFieldSlope, secondMoment, type ActivationId } from '../../../src/core/catalogue/activations';
import { buildReport, finiteWidthNote } from '../../../src/core/report';
import { analyzeSource } from '../../../src/project/analyzeSource';

const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: expected ${expected} ± ${tolerance}, got ${actual}`);

test('slopes at q = 1 are the table of SCIENCE.md §6', () => {
  const table: [ActivationId, number][] = [['relu', 1], ['elu', 0.891], ['gelu', 1.144], ['swish', 1.173], ['mish', 1.076], ['selu', 0.783], ['tanh', 0.461]];
  for (const [id, slope] of table) close(meanFieldSlope({ id }, 1), slope, 0.002, `slope of ${id}`);
});

test('positively homogeneous activations have slope exactly 1 at every q; leaky ReLU too', () => {
  for (const q of [1e-6, 0.3, 1, 40]) {
    close(meanFieldSlope({ id: 'relu' }, q), 1, 1e-9, `relu at ${q}`);
    close(meanFieldSlope({ id: 'leakyRelu', parameter: 0.2 }, q), 1, 1e-9, `leaky relu at ${q}`);
    close(meanFieldSlope({ id: 'linear' }, q), 1, 1e-9, `linear at ${q}`);
  }
});

test('the slope is the log-log derivative of m2: it agrees with a wide secant, and GELU tends to linear as q → 0', () => {
  // A secant over ×1.5 either side brackets the tangent for a smooth m2; GELU is convex in log-log near q = 1.
  const secant = (Math.log(secondMoment({ id: 'gelu' }, 1.5)) - Math.log(secondMoment({ id: 'gelu' }, 1 / 1.5))) / (2 * Math.log(1.5));
  close(meanFieldSlope({ id: 'gelu' }, 1), secant, 0.02, 'gelu tangent vs secant');
  close(meanFieldSlope({ id: 'gelu' }, 1e-4), 1, 0.001, 'gelu near 0 behaves as x/2');
  close(meanFieldSlope({ id: 'tanh' }, 1e-4), 1, 0.001, 'tanh near 0 is linear');
});

test('no slope where q is not positive and finite', () => {
  assert.ok(Number.isNaN(meanFieldSlope({ id: 'gelu' }, 0)));
  assert.ok(Number.isNaN(meanFieldSlope({ id: 'gelu' }, Infinity)));
  assert.ok(Number.isNaN(meanFieldSlope({ id: 'relu' }, NaN)));
});

const mlp = (activation: string, initializer: string, withNormalization = false) => `import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(256,)),
    layers.Dense(256, activation="${activation}", kernel_initializer="${initializer}"),
    layers.Dense(256, activation="${activation}", kernel_initializer="${initializer}"),${withNormalization ? '\n    layers.BatchNormalization(),' : ''}
    layers.Dense(256, kernel_initializer="${initializer}"),
])
`;

test('the report marks GELU under He from the first steep layer on, and names it; ReLU under He is not marked', () => {
  const [gelu] = buildReport(analyzeSource(mlp('gelu', 'he_normal'), 'model.py'));
  assert.equal(gelu.layers[0].finiteWidth?.layer, 0, 'its own activation makes the first layer steep');
  assert.ok(gelu.layers.every((layer) => layer.finiteWidth !== undefined), 'every later layer inherits it');
  assert.ok((gelu.layers[1].meanFieldSlope ?? 0) > 1.05);
  assert.match(finiteWidthNote(gelu.layers[2], gelu.layers) ?? '', /^an infinite-width value that finite width moves: layer \d \(gelu\) has mean-field slope 1\.\d\d > 1/);
  const [relu] = buildReport(analyzeSource(mlp('relu', 'he_normal'), 'model.py'));
  assert.ok(relu.layers.every((layer) => layer.finiteWidth === undefined && Math.abs((layer.meanFieldSlope ?? NaN) - 1) < 1e-9));
  assert.equal(finiteWidthNote(relu.layers[1], relu.layers), undefined);
});

test('normalization divides the drawn fluctuation out: the layers after BatchNormalization are not marked', () => {
  const [model] = buildReport(analyzeSource(mlp('gelu', 'he_normal', true), 'model.py'));
  const normalization = model.layers.findIndex((layer) => layer.className === 'BatchNormalization');
  assert.ok(normalization > 0);
  assert.ok(model.layers[normalization - 1].finiteWidth);
  assert.equal(model.layers[normalization].finiteWidth, undefined);
  assert.equal(model.layers[normalization + 1].finiteWidth, undefined);
});
