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

test('a Sequential without an input shape: only its first layer is assumed, the channels after it are known', () => {
  const code = `import keras
from keras import layers
model = keras.Sequential([
    layers.Conv2D(32, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10),
])
`;
  assert.deepEqual(fans(code), [['Conv2D', 288, 288, true], ['Conv2D', 288, 576, false], ['Dense', 64, 10, false]]);
});

test('a Flatten needs every dimension: after an input of unknown size the next Dense is assumed, not given the channels', () => {
  const code = `import keras
from keras import layers
model = keras.Sequential([layers.Embedding(1000, 16), layers.Flatten(), layers.Dense(8)])
`;
  assert.deepEqual(fans(code).filter(([className]) => className === 'Dense'), [['Dense', 8, 8, true]]);
});

test('return_sequences keeps the time axis: a Flatten after it sees every step', () => {
  const code = `import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(30, 8)),
    layers.LSTM(64, return_sequences=True),
    layers.Bidirectional(layers.LSTM(32, return_sequences=True)),
    layers.Flatten(),
    layers.Dense(1),
])
`;
  assert.deepEqual(fans(code), [['LSTM', 8, 256, false], ['LSTM', 64, 128, false], ['Dense', 30 * 64, 1, false]]);
});

test("a grouped convolution (ConvMixer's depthwise Conv2D(groups=filters)) has the fans of its [k, k, in/groups, out] kernel", () => {
  const code = `import keras
from keras import layers
inputs = keras.Input(shape=(32, 32, 256))
x = layers.Conv2D(256, kernel_size=5, groups=256, padding="same", activation="gelu")(inputs)
x = layers.Conv2D(256, kernel_size=3, groups=4, padding="same")(x)
model = keras.Model(inputs, x)
`;
  assert.deepEqual(fans(code), [['Conv2D', 25, 25 * 256, false], ['Conv2D', 9 * 64, 9 * 256, false]]);
});

test('tf.concat in a functional model is a Concatenate: the next layer sees the widths summed', () => {
  const code = `import tensorflow as tf
from tensorflow.keras import layers
a_in = tf.keras.Input(shape=(32,))
b_in = tf.keras.Input(shape=(16,))
x = tf.concat([layers.Dense(8)(a_in), layers.Dense(4)(b_in)], axis=-1)
model = tf.keras.Model([a_in, b_in], layers.Dense(1)(x))
`;
  assert.deepEqual(fans(code), [['Dense', 32, 8, false], ['Dense', 16, 4, false], ['Dense', 12, 1, false]]);
});

test('a Lambda\'s declared output_shape is its output: the Atari frames transposed to channels-last have 4 channels', () => {
  const code = `import keras
import tensorflow as tf
from keras import layers
model = keras.Sequential([
    layers.Lambda(lambda t: tf.transpose(t, [0, 2, 3, 1]), output_shape=(84, 84, 4), input_shape=(4, 84, 84)),
    layers.Conv2D(32, 8, strides=4, activation="relu"),
    layers.Conv2D(64, 4, strides=2, activation="relu"),
    layers.Flatten(),
    layers.Dense(512, activation="relu"),
])
`;
  assert.deepEqual(fans(code), [['Conv2D', 256, 2048, false], ['Conv2D', 512, 1024, false], ['Dense', 9 * 9 * 64, 512, false]]);
});

test('a kernel larger than the input it was read with gives no size, never a negative fan_in', () => {
  const code = `import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(4, 84, 84)),
    layers.Conv2D(32, 8, strides=4, activation="relu"),
    layers.Flatten(),
    layers.Dense(64, activation="relu"),
])
`;
  assert.deepEqual(fans(code), [['Conv2D', 64 * 84, 64 * 32, false], ['Dense', 64, 64, true]]);
});

test("Keras padding='Same' is 'same': Keras lowercases it, so the Dense after Flatten sums 7·7·64 inputs, not 64", () => {
  // The much-copied Kaggle digit-recognizer convnet writes 'Same' (real-code audit): it read fan_in 64 and warned.
  const code = `from keras.models import Sequential
from keras.layers import Conv2D, MaxPool2D, Flatten, Dense
model = Sequential()
model.add(Conv2D(32, (5, 5), padding='Same', activation='relu', input_shape=(28, 28, 1)))
model.add(Conv2D(32, (5, 5), padding='Same', activation='relu'))
model.add(MaxPool2D(pool_size=(2, 2)))
model.add(Conv2D(64, (3, 3), padding='Same', activation='relu'))
model.add(MaxPool2D(pool_size=(2, 2), strides=(2, 2)))
model.add(Flatten())
model.add(Dense(256, activation='relu'))
model.add(Dense(10, activation='softmax'))
`;
  assert.deepEqual(fans(code).filter(([name]) => name === 'Dense'), [['Dense', 7 * 7 * 64, 256, false], ['Dense', 256, 10, false]]);
});

test('an elementwise product broadcasts: attention weights (10, 1) times values (10, 64) are (10, 64), in either order', () => {
  // Real-code audit (Bahdanau attention): `attention_weights * values` took the first operand's width, 1.
  const attention = (product: string) => `import keras
from keras import layers
values = keras.Input(shape=(10, 64))
weights = layers.Dense(1, activation='tanh')(values)
context = ${product}
pooled = layers.GlobalAveragePooling1D()(context)
out = layers.Dense(32)(pooled)
model = keras.Model(values, out)
`;
  for (const product of ['weights * values', 'values * weights', 'layers.Multiply()([weights, values])']) {
    assert.deepEqual(fans(attention(product)).at(-1), ['Dense', 64, 32, false], product);
  }
});

test('a layer InitLint cannot read passes its input width on only as a guess: the kernel after it has its fans marked assumed', () => {
  const code = (between: string) => `import keras
from keras import layers
class Antirectifier(layers.Layer):
    def call(self, x):
        return mystery_op(x)
model = keras.Sequential([
    keras.Input(shape=(64,)),
    layers.Dense(64, activation="relu"),
    ${between}
    layers.Dropout(0.1),
    layers.Dense(32, activation="relu"),
    layers.Dense(10),
])
`;
  // The unreadable custom layer may double the channels (the keras.io Antirectifier does): 64 is a guess,
  // through the Dropout too, until a layer with a width of its own (the Dense(32)) sets the next one.
  assert.deepEqual(fans(code('Antirectifier(),')), [['Dense', 64, 64, false], ['Dense', 64, 32, true], ['Dense', 32, 10, false]]);
  // A layer known to own no weights (ActivityRegularization) passes the width on as known.
  assert.deepEqual(fans(code('layers.ActivityRegularization(),')), [['Dense', 64, 64, false], ['Dense', 64, 32, false], ['Dense', 32, 10, false]]);
});
