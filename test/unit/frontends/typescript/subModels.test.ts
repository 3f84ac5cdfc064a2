/**
 * Named models composed into another — a GAN's combined model, an autoencoder's `decoder.apply(encoder.apply(x))`,
 * `combined.add(generator)` — mark where each part begins (`entersModel`), as the Keras front end does: the core
 * judges each part as the model it is, and a chain does not run from one into the other.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract } from './extract';
import { findings } from '../../../helpers/snippets';

const GAN = `import * as tf from '@tensorflow/tfjs';
const generator = tf.sequential();
generator.add(tf.layers.dense({ units: 256, inputShape: [100], activation: 'relu', kernelInitializer: 'heUniform' }));
generator.add(tf.layers.dense({ units: 784, activation: 'tanh' }));
const discriminator = tf.sequential();
discriminator.add(tf.layers.dense({ units: 512, inputShape: [784], activation: 'relu', kernelInitializer: 'heUniform' }));
discriminator.add(tf.layers.dense({ units: 256, activation: 'relu', kernelInitializer: 'heUniform' }));
discriminator.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
`;

test("a functional combined model marks where the discriminator begins: discriminator.apply(generator.apply(z))", () => {
  const text = `${GAN}const z = tf.input({ shape: [100] });
const combined = tf.model({ inputs: z, outputs: discriminator.apply(generator.apply(z)) as tf.SymbolicTensor });
`;
  const combined = extract(text).models.find((model) => model.name === 'combined');
  assert.ok(combined);
  assert.deepEqual(combined.layers.map((layer) => layer.entersModel), ['generator', undefined, 'discriminator', undefined, undefined]);
});

test("a sequential combined model marks the same: combined.add(generator); combined.add(discriminator)", () => {
  const text = `${GAN}const combined = tf.sequential();
combined.add(generator);
combined.add(discriminator);
`;
  const combined = extract(text).models.find((model) => model.name === 'combined');
  assert.deepEqual(combined?.layers.map((layer) => layer.entersModel), ['generator', undefined, 'discriminator', undefined, undefined]);
  // The generator's own model is not marked: the mark is the combined model's.
  assert.deepEqual(extract(text).models.find((model) => model.name === 'generator')?.layers.map((layer) => layer.entersModel), [undefined, undefined]);
});

test("a chain does not run from the generator into the discriminator: the discriminator's widening stem is its own first layer", () => {
  // The generator ends in 4 tanh units; the discriminator's first Dense (4 → 512, Glorot: ×0.008 at that layer) is
  // the first of its own chain, whose gain does not compound. Run on from the generator, it was blamed.
  const parts = `import * as tf from '@tensorflow/tfjs';
const generator = tf.sequential();
generator.add(tf.layers.dense({ units: 64, inputShape: [16], activation: 'relu', kernelInitializer: 'heUniform' }));
generator.add(tf.layers.dense({ units: 4, activation: 'tanh' }));
const discriminator = tf.sequential();
discriminator.add(tf.layers.dense({ units: 512, inputShape: [4], activation: 'relu' }));
discriminator.add(tf.layers.dense({ units: 256, activation: 'relu' }));
discriminator.add(tf.layers.dense({ units: 256, activation: 'relu' }));
discriminator.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
`;
  const alone = findings(parts, 'model.ts').map((finding) => `${finding.severity}:${finding.at}`);
  const combined = findings(`${parts}const z = tf.input({ shape: [16] });
const combined = tf.model({ inputs: z, outputs: discriminator.apply(generator.apply(z)) as tf.SymbolicTensor });
`, 'model.ts').map((finding) => `${finding.severity}:${finding.at}`);
  assert.deepEqual(combined, alone);
});
