/** Shapes followed through a model: the fans each kernel really has. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { models } from '../../helpers/snippets';

const fans = (code: string, fileName = 'model.py') =>
  models(code, fileName)[0].layers.filter((layer) => layer.fanIn !== undefined).map((layer) => [layer.className, layer.fanIn, layer.fanOut, layer.widthAssumed]);

test('Reshape to a written target shape: the DCGAN generator\'s transposed convolutions have their kernels\' fans', () => {
  const code = `import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(100,)),
    layers.Dense(7 * 7 * 256, use_bias=False),
    layers.BatchNormalization(),
    layers.LeakyReLU(),
    layers.Reshape((7, 7, 256)),
    layers.Conv2DTranspose(128, (5, 5), padding="same", use_bias=False),
    layers.Conv2DTranspose(1, (5, 5), strides=(2, 2), padding="same", activation="tanh"),
])
`;
  // Transposed kernels are [k, k, out, in]: fan_in = 25·out, fan_out = 25·in.
  assert.deepEqual(fans(code), [['Dense', 100, 12544, false], ['Conv2DTranspose', 3200, 6400, false], ['Conv2DTranspose', 25, 3200, false]]);
});

test('Reshape fills its one -1 from the input size', () => {
  const tfjs = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({ inputShape: [10], units: 64 }));
model.add(tf.layers.reshape({ targetShape: [-1, 16] }));
model.add(tf.layers.lstm({ units: 8 }));
`;
  assert.deepEqual(fans(tfjs, 'model.ts'), [['dense', 10, 64, false], ['lstm', 16, 32, false]]);
  const keras = `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(10,)), layers.Dense(64), layers.Reshape((-1, 16)), layers.LSTM(8)])
`;
  assert.deepEqual(fans(keras), [['Dense', 10, 64, false], ['LSTM', 16, 32, false]]);
});
