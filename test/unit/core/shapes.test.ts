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

test('a model of two inputs: each branch takes its fans from its own input, in both languages', () => {
  const keras = `import keras
from keras import layers
a_in = keras.Input(shape=(32,))
b_in = keras.Input(shape=(128,))
a = layers.Dense(64, activation="relu")(a_in)
b = layers.Dense(64, activation="relu")(b_in)
x = layers.Concatenate()([a, b])
model = keras.Model([a_in, b_in], layers.Dense(1)(x))
`;
  assert.deepEqual(fans(keras), [['Dense', 32, 64, false], ['Dense', 128, 64, false], ['Dense', 128, 1, false]]);
  const tfjs = `import * as tf from '@tensorflow/tfjs';
const aIn = tf.input({ shape: [32] });
const bIn = tf.input({ shape: [128] });
const a = tf.layers.dense({ units: 64, activation: 'relu' }).apply(aIn) as tf.SymbolicTensor;
const b = tf.layers.dense({ units: 64, activation: 'relu' }).apply(bIn) as tf.SymbolicTensor;
const x = tf.layers.concatenate().apply([a, b]) as tf.SymbolicTensor;
const model = tf.model({ inputs: [aIn, bIn], outputs: tf.layers.dense({ units: 1 }).apply(x) as tf.SymbolicTensor });
`;
  assert.deepEqual(fans(tfjs, 'model.ts'), [['dense', 32, 64, false], ['dense', 128, 64, false], ['dense', 128, 1, false]]);
});

test('the order of the declared inputs decides which is which, not the order they are written in', () => {
  const code = `import keras
from keras import layers
text = keras.Input(shape=(300,))
meta = keras.Input(shape=(12,))
m = layers.Dense(8, activation="relu")(meta)
t = layers.Dense(8, activation="relu")(text)
skip = layers.Concatenate()([t, m, meta])
model = keras.Model(inputs=[meta, text], outputs=layers.Dense(1)(skip))
`;
  const [model] = models(code);
  assert.deepEqual(model.inputShapes, [[12], [300]]);
  assert.deepEqual(fans(code), [['Dense', 12, 8, false], ['Dense', 300, 8, false], ['Dense', 28, 1, false]]);
});
