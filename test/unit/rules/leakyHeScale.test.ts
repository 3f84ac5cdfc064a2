/**
 * Under a leaky rectifier of slope α, He's own scale 2 gains ×(1+α²) per layer (×1.09 at the frameworks' default
 * α = 0.3): on a chain where that drift passes ×2, a chain rule's fix writes the exact 2/(1+α²) instead, and says
 * it keeps the chain at 1. Small slopes and short chains keep He by name. The Monte Carlo (test/helpers/monteCarlo.ts,
 * no src/) measures both scales on a real stack.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings } from '../../helpers/snippets';
import { Random, drawKernel, matmul, meanSquare } from '../../helpers/monteCarlo';

const kerasStack = (slope: number, depth = 30) => `import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(256,))])
for i in range(${depth}):
    model.add(layers.Dense(256, kernel_initializer='glorot_uniform'))
    model.add(layers.LeakyReLU(negative_slope=${slope}))
model.add(layers.Dense(10))
`;

test('Glorot under 30 LeakyReLU(0.3) layers: the fix is VarianceScaling(scale=2/(1+α²)), which keeps the chain at 1', () => {
  const code = kerasStack(0.3);
  const [found, ...rest] = findings(code);
  assert.equal(rest.length, 0);
  assert.equal(found.rule, 'relu-glorot-deep');
  assert.equal(found.severity, 'warning');
  assert.match(found.message, /variance_scaling\(scale=1\.835, mode='fan_in', distribution='uniform'\) keeps it at 1\./);
  const fixed = applyFix(code, found.finding);
  assert.match(fixed, /kernel_initializer=keras\.initializers\.VarianceScaling\(scale=1\.835, mode='fan_in', distribution='uniform'\)/);
  assert.deepEqual(findings(fixed, 'model.py', { hintThreshold: 2 }), [], 'the fixed stack holds its variance: not even a hint');
});

test('He under LeakyReLU(0.3) drifts ×1.09 per layer: it is what the message says He would give, so it is not the fix', () => {
  // Before: "he_uniform gives 12" after 30 layers.
  const [found] = findings(kerasStack(0.3));
  assert.doesNotMatch(found.message, /he_uniform/);
  assert.deepEqual(found.finding.fixes.map((fix) => fix.title), ["Use variance_scaling(scale=1.835, mode='fan_in', distribution='uniform')"]);
});

test('a small slope keeps He by name: LeakyReLU(0.1) drifts 1% per layer, ×1.3 over 30', () => {
  const [found] = findings(kerasStack(0.1));
  assert.equal(found.rule, 'relu-glorot-deep');
  assert.match(found.message, /he_uniform keeps it at 1\./);
});

test('a shorter chain keeps He by name: 10 LeakyReLU(0.2) layers, where He drifts ×1.4 in all', () => {
  const [found] = findings(kerasStack(0.2, 10));
  assert.equal(found.rule, 'relu-glorot-deep');
  assert.match(found.message, /he_uniform keeps it at 1\.\d\./);
});

test("tfjs leakyReLU({alpha: 0.2}) after Glorot dense layers: varianceScaling({scale: 1.923, mode: 'fanIn', distribution: 'uniform'})", () => {
  const code = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({units: 128, inputShape: [128]}));
for (let i = 0; i < 40; i++) {
  model.add(tf.layers.dense({units: 128}));
  model.add(tf.layers.leakyReLU({alpha: 0.2}));
}
model.add(tf.layers.dense({units: 1}));
`;
  const [found] = findings(code, 'model.ts');
  assert.equal(found.rule, 'relu-glorot-deep');
  assert.match(found.message, /varianceScaling\(\{scale: 1\.923, mode: 'fanIn', distribution: 'uniform'\}\) keeps it at 1\./);
  assert.match(applyFix(code, found.finding), /tf\.layers\.dense\(\{units: 128, kernelInitializer: tf\.initializers\.varianceScaling\(\{scale: 1\.923, mode: 'fanIn', distribution: 'uniform'\}\)\}\)/);
});

/** The mean square of a leaky-ReLU dense stack's last activations over its first's, weights drawn uniform with `scale`/fan_in. */
function measuredDrift(scale: number, slope: number, depth: number, seed: number): number {
  const random = new Random(seed);
  const width = 256;
  const batch = 64;
  let x = random.normals(batch * width);
  let first = 0;
  for (let layer = 0; layer < depth; layer++) {
    const z = matmul(x, drawKernel(random, { kind: 'uniform', scale, mode: 'fanIn' }, width * width, width, width), batch, width, width);
    for (let i = 0; i < z.length; i++) if (z[i] < 0) z[i] *= slope;
    x = z;
    if (layer === 0) first = meanSquare(x);
  }
  return meanSquare(x) / first;
}

test('Monte Carlo, 30 LeakyReLU(0.3) layers of width 256: scale 1.835 holds the signal, He grows it ×1.09 per layer (×12)', () => {
  const draws = [1, 2, 3];
  const exact = draws.map((seed) => measuredDrift(1.835, 0.3, 30, seed)).reduce((sum, drift) => sum + drift, 0) / draws.length;
  const he = draws.map((seed) => measuredDrift(2, 0.3, 30, seed)).reduce((sum, drift) => sum + drift, 0) / draws.length;
  assert.ok(exact > 1 / 1.3 && exact < 1.3, `scale 1.835: ×${exact.toFixed(2)} over 29 layers`);
  const predicted = 1.09 ** 29;
  assert.ok(he / predicted > 1 / 1.3 && he / predicted < 1.3, `He: ×${he.toFixed(1)} over 29 layers, predicted ×${predicted.toFixed(1)}`);
});
