/**
 * Small fixes of issue 13: an activation layer after an explicit 'linear' is folded, GELU's inactive fraction
 * has its |φ'| = 0.01 crossings as panel breaks, window coverage and BN's variance in the numbers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inactiveFraction } from '../../../src/core/catalogue/activations';
import { gaussianExpectation } from '../../../src/core/math';
import { propagate } from '../../../src/core/propagation';
import { windowCoverage } from '../../../src/core/windows';
import { models } from '../../helpers/snippets';
import type { Layer } from '../../../src/core/model';

test("tfjs dense({activation: 'linear'}) then a leakyReLU() layer is a leaky ReLU layer (the chain is not read as linear)", () => {
  const code = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({units: 64, inputShape: [64], activation: 'linear'}));
model.add(tf.layers.leakyReLU({alpha: 0.2}));
model.add(tf.layers.dense({units: 64}));
model.add(tf.layers.leakyReLU());
model.add(tf.layers.dense({units: 10}));
`;
  const [model] = models(code, 'model.ts');
  assert.deepEqual(model.layers.map((layer) => [layer.kind, layer.activation.spec.id, layer.activation.spec.parameter ?? null]),
    [['dense', 'leakyRelu', 0.2], ['dense', 'leakyRelu', 0.3], ['dense', 'linear', null]]);
  // The written 'linear' layer now passes (1 + 0.04)/2 of its signal, like the one with no activation written.
  const moments = propagate(model);
  assert.ok(Math.abs(moments[0].outMoment / moments[0].q - 0.52) < 1e-9);
});

test("Keras Dense(64, activation='linear') then LeakyReLU(): folded the same way", () => {
  const code = `import keras
model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(64, activation="linear"), keras.layers.LeakyReLU(), keras.layers.Dense(10)])
`;
  const [model] = models(code);
  assert.deepEqual(model.layers.map((layer) => layer.activation.spec.id), ['leakyRelu', 'linear']);
});

test("GELU's inactive fraction (|φ'| < 0.01) matches a fine quadrature, 0.021 at q = 1.69, where it read 0.071", () => {
  const density = (x: number) => Math.exp(-(x * x) / 2) / Math.sqrt(2 * Math.PI);
  for (const q of [0.5, 1, 1.69, 4, 9]) {
    // A Riemann sum on a 1e-3 grid of ε (no panel breaks needed), with Φ accumulated along the grid by the
    // trapezoid rule: independent of the catalogue's erf and quadrature.
    const scale = Math.sqrt(q);
    let cdf = 0;
    let previous = -9 * scale;
    let inactive = 0;
    for (let e = -9 + 5e-4; e < 9; e += 1e-3) {
      const x = scale * e;
      cdf += ((x - previous) * (density(previous) + density(x))) / 2;
      previous = x;
      if (Math.abs(cdf + x * density(x)) < 0.01) inactive += density(e) * 1e-3;
    }
    const predicted = inactiveFraction({ id: 'gelu' }, q);
    assert.ok(Math.abs(predicted - inactive) < 1e-3, `GELU at q = ${q}: ${predicted} vs ${inactive}`);
  }
  assert.ok(Math.abs(inactiveFraction({ id: 'gelu' }, 1.69) - 0.0212) < 5e-4);
  // The other smooth activations keep what they had (their crossings are found the same way).
  assert.ok(Math.abs(inactiveFraction({ id: 'tanh' }, 4) - gaussianExpectation((x) => (1 - Math.tanh(x) ** 2 < 0.01 ? 1 : 0), 4, [-2.9932, 2.9932])) < 1e-4);
});

test("window coverage: a stride-2 3×3 'valid' conv on 10×10 reads 1.2 windows per input row, 'same' on 4×4 loses its borders", () => {
  const layer = (kernelSize: number[], strides: number[], padding: string, kind: Layer['kind'] = 'conv') => ({ kind, kernelSize, strides, padding }) as Layer;
  const valid = windowCoverage(layer([3, 3], [2, 2], 'valid'), [10, 10]);
  assert.ok(Math.abs(valid.backward - 1.2 * 1.2) < 1e-12 && valid.forward === 9);
  const same = windowCoverage(layer([3, 3], [1, 1], 'same'), [4, 4]);
  // Per row: 4 outputs read 2 + 3 + 3 + 2 real inputs.
  assert.ok(Math.abs(same.forward - 2.5 * 2.5) < 1e-12 && Math.abs(same.backward - 2.5 * 2.5) < 1e-12);
  assert.deepEqual(windowCoverage(layer([3, 3], [2, 2], 'valid'), undefined), { forward: 9, backward: 2.25 });
  // Transposed, stride 2, 'same' on 5: 10 outputs, each written by 3·5/10 taps on average; each input writes 3.
  const transposed = windowCoverage(layer([3], [2], 'same', 'convTranspose'), [5]);
  assert.ok(Math.abs(transposed.forward - 1.4) < 1e-12 && Math.abs(transposed.backward - 14 / 5) < 1e-12, JSON.stringify(transposed));
});

test('a softmax across another axis (attention weights over time steps) is not folded into the Dense before it; over the units it is', () => {
  // Real-code audit (Bahdanau attention): `tf.nn.softmax(score, axis=1)` after Dense(1) read as that Dense's activation.
  const attention = (softmax: string) => `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
values = keras.Input(shape=(10, 64))
score = layers.Dense(1)(layers.Dense(32, activation='tanh')(values))
weights = ${softmax}
model = keras.Model(values, weights)
`;
  for (const across of ['tf.nn.softmax(score, axis=1)', 'layers.Softmax(axis=1)(score)', 'layers.Softmax(1)(score)']) {
    const read = models(attention(across))[0].layers;
    assert.deepEqual(read.map((layer) => [layer.kind, layer.activation.spec.id]), [['dense', 'tanh'], ['dense', 'linear'], ['unknown', 'linear']], across);
  }
  for (const units of ['tf.nn.softmax(score)', 'tf.nn.softmax(score, axis=-1)', 'layers.Softmax()(score)']) {
    assert.deepEqual(models(attention(units))[0].layers.map((layer) => [layer.kind, layer.activation.spec.id]), [['dense', 'tanh'], ['dense', 'softmax']], units);
  }
});
