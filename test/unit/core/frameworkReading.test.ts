/**
 * A layer's arguments as the framework reads them. tfjs reads a config by camelCase field: a key spelled the Keras
 * way is dropped, and the analysis must draw what tfjs draws (ignored-argument reports the key; no rule may judge
 * the initializer written there). tf.keras 2.x read an activation layer's class name as that layer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../src/project/analyzeSource';
import { DEFAULT_CONFIG, mergeConfig } from '../../../src/core/config';
import { models, rules } from '../../helpers/snippets';

test("tfjs kernel_initializer: 'zeros' is ignored: the layer draws glorotNormal, so it is no symmetric-init, only the ignored key", () => {
  const code = `const tf = require('@tensorflow/tfjs');
const model = tf.sequential();
model.add(tf.layers.dense({ inputShape: [64], units: 64, activation: 'relu', kernelInitializer: 'heUniform' }));
model.add(tf.layers.dense({ units: 64, activation: 'relu', kernel_initializer: 'zeros' }));
model.add(tf.layers.dense({ units: 1 }));
`;
  assert.deepEqual(rules(code, 'model.js'), ['ignored-argument']);
  const layer = analyzeSource(code, 'model.js').models[0].model.layers[1];
  assert.equal(layer.initializers.kernel?.id, 'glorotNormal');
  assert.equal(layer.initializers.kernel?.written, undefined);
});

test('tfjs input_shape is no field either (tfjs reads inputShape), while the same key in Keras is read', () => {
  const tfjs = `const tf = require('@tensorflow/tfjs');
const model = tf.sequential();
model.add(tf.layers.dense({ input_shape: [64], units: 32 }));
`;
  assert.deepEqual(analyzeSource(tfjs, 'model.js').models[0].model.inputShape, undefined);
  const keras = `import keras
from keras import layers
model = keras.Sequential([layers.Dense(32, input_shape=(64,))])
`;
  assert.deepEqual(analyzeSource(keras, 'model.py').models[0].model.inputShape, [64]);
});

test("configured for tf.keras 2.x, activation='LeakyReLU' is LeakyReLU() (alpha 0.3), and its chain is judged like the layer's", () => {
  const code = `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(64,))])
for _ in range(20):
    model.add(layers.Dense(64, activation="LeakyReLU"))
model.add(layers.Dense(1))
`;
  const tfKeras2 = { frameworkVersion: { keras: '2.15', tfjs: '4' } };
  const layer = analyzeSource(code, 'model.py', mergeConfig(DEFAULT_CONFIG, tfKeras2)).models[0].model.layers[0];
  assert.deepEqual(layer.activation.spec, { id: 'leakyRelu', parameter: 0.3 });
  assert.deepEqual(rules(code, 'model.py', tfKeras2), ['relu-glorot-deep']);
  // Under Keras 3 the name is an error (Keras 3 raises), and nothing is judged through it.
  assert.deepEqual(rules(code), ['unknown-identifier']);
});

test('an initializer parameter the file does not show (scale read from the command line) leaves the draw unresolved: nothing is judged by a default', () => {
  // Real-code audit: VarianceScaling(scale=s) with s = float(sys.argv[2]) was taken at scale 1 and warned "×0.5 per layer".
  const stack = (scale: string) => `import sys
import keras
from keras import layers
s = float(sys.argv[2])
model = keras.Sequential([keras.Input(shape=(128,))])
for _ in range(8):
    model.add(layers.Dense(128, activation='relu', kernel_initializer=keras.initializers.VarianceScaling(scale=${scale})))
model.add(layers.Dense(1))
`;
  assert.deepEqual(rules(stack('s')), []);
  assert.equal(models(stack('s'))[0].layers[0].initializers.kernel?.sampling, undefined);
  assert.deepEqual(rules(stack('1.0')), ['relu-glorot-deep'], 'a written scale is still judged');
  const tfjs = `import * as tf from '@tensorflow/tfjs';
export function build(std) {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 64, inputShape: [64], activation: 'relu', kernelInitializer: tf.initializers.randomNormal({stddev: std})}));
  for (let i = 0; i < 6; i++) model.add(tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: tf.initializers.randomNormal({stddev: std})}));
  model.add(tf.layers.dense({units: 1}));
  return model;
}
`;
  assert.deepEqual(rules(tfjs, 'model.ts'), [], 'a stddev given by the caller is not the default 0.05');
});
