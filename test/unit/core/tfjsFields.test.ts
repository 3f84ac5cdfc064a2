/**
 * tfjs reads a layer's config by camelCase field: a key spelled the Keras way is dropped, and the analysis
 * must draw what tfjs draws (ignored-argument reports the key; no rule may judge the initializer written there).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../src/project/analyzeSource';
import { rules } from '../../helpers/snippets';

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
