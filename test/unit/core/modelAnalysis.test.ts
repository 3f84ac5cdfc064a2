/**
 * What hosts read from a model's analysis beyond its findings: the per-layer moments travel with the analysis
 * (the panel and report serialize it) and are built once on first read; what is resolved once and shared
 * (fix targets, samplings, written strings) never carries from one model or framework into another.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../src/project/analyzeSource';

const tfjs = (layers: string[]) => `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({units: 64, inputShape: [32]}));
${layers.map((layer) => `model.add(tf.layers.dense(${layer}));`).join('\n')}
`;

test('the moments are an own property, second after the model, built once and serialized with the analysis', () => {
  const [analysis] = analyzeSource(tfjs(["{units: 64, activation: 'relu'}", '{units: 10}']), 'model.ts').models;
  assert.deepEqual(Object.keys(analysis).slice(0, 2), ['model', 'moments']);
  assert.equal(analysis.moments, analysis.moments);
  assert.equal(analysis.moments.length, analysis.model.layers.length);
  const serialized = JSON.parse(JSON.stringify({ ...analysis, chainOf: undefined, hidden: undefined }));
  assert.equal(serialized.moments.length, analysis.model.layers.length);
  assert.equal(serialized.moments[1].q, analysis.moments[1].q);
});

test('two files with different initializers and activations: each reads its own, though the tables are shared', () => {
  const glorot = analyzeSource(tfjs(Array(6).fill("{units: 64, activation: 'relu', kernelInitializer: 'glorotNormal'}")), 'a.ts');
  const he = analyzeSource(tfjs(Array(6).fill("{units: 64, activation: 'tanh', kernelInitializer: 'heNormal'}")), 'b.ts');
  assert.deepEqual(new Set(glorot.findings.map((finding) => finding.rule)), new Set(['relu-glorot-deep']));
  assert.deepEqual(new Set(he.findings.map((finding) => finding.rule)), new Set(['saturating-he']));
  const glorotLayer = glorot.models[0].model.layers[1];
  const heLayer = he.models[0].model.layers[1];
  assert.equal(glorotLayer.activation.spec.id, 'relu');
  assert.equal(heLayer.activation.spec.id, 'tanh');
  assert.equal(glorotLayer.initializers.kernel?.id, 'glorotNormal');
  assert.equal(heLayer.initializers.kernel?.id, 'heNormal');
  assert.ok(glorot.findings.every((finding) => finding.fixes[0].title === 'Use heUniform'));
});

test("'he_normal' is Keras's spelling, not TensorFlow.js's: a string resolved for one framework is not reused by the other", () => {
  const keras = `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(32,))])
model.add(layers.Dense(64, activation="relu", kernel_initializer="he_normal"))
model.add(layers.Dense(10))
`;
  const kerasFirst = analyzeSource(keras, 'model.py');
  const tfjsAfter = analyzeSource(tfjs(["{units: 64, activation: 'relu', kernelInitializer: 'he_normal'}", '{units: 10}']), 'model.ts');
  assert.equal(kerasFirst.models[0].model.layers[0].initializers.kernel?.id, 'heNormal');
  assert.ok(!kerasFirst.findings.some((finding) => finding.rule === 'unknown-identifier'));
  assert.equal(tfjsAfter.models[0].model.layers[1].initializers.kernel?.unknownString, 'he_normal');
  assert.ok(tfjsAfter.findings.some((finding) => finding.rule === 'unknown-identifier'));
});
