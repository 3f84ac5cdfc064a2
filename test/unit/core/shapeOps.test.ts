/** Weightless shape changes (Permute, UpSampling, padding, cropping, depth_to_space, reshape in `call`) and given weights. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { models, rules } from '../../helpers/snippets';

const layersOf = (code: string, fileName = 'model.py') =>
  models(code, fileName)[0].layers.map((layer) => [layer.className, layer.outputShape, layer.fanIn]);

test('Permute swaps the axes: the Dense after it sums the 21 time steps, not the 256 features', () => {
  const code = `import keras
from keras import layers
inputs = keras.Input(shape=(21, 256))
x = layers.Permute((2, 1))(inputs)
x = layers.Dense(64, activation="relu")(x)
x = layers.Flatten()(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
`;
  assert.deepEqual(layersOf(code), [
    ['Permute', [256, 21], undefined],
    ['Dense', [256, 64], 21],
    ['Flatten', [16384], undefined],
    ['Dense', [10], 16384],
  ]);
});

test('UpSampling2D, ZeroPadding2D, Cropping2D and depth_to_space change the spatial size a Flatten sees', () => {
  const code = `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
inp = keras.Input(shape=(7, 7, 64))
y = layers.UpSampling2D()(inp)
y = layers.ZeroPadding2D(padding=((1, 1), (2, 0)))(y)
y = layers.Cropping2D(cropping=1)(y)
y = tf.nn.depth_to_space(y, 2)
y = layers.Flatten()(y)
y = layers.Dense(10)(y)
model = keras.Model(inp, y)
`;
  assert.deepEqual(layersOf(code), [
    ['UpSampling2D', [14, 14, 64], undefined],
    ['ZeroPadding2D', [16, 16, 64], undefined],
    ['Cropping2D', [14, 14, 64], undefined],
    ['depth_to_space', [28, 28, 16], undefined],
    ['Flatten', [12544], undefined],
    ['Dense', [10], 12544],
  ]);
});

test('tfjs: upSampling2d, zeroPadding2d, cropping2D and permute, then flatten', () => {
  const code = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.conv2d({inputShape: [8, 8, 3], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu'}));
model.add(tf.layers.upSampling2d({size: [2, 2]}));
model.add(tf.layers.zeroPadding2d({padding: 1}));
model.add(tf.layers.cropping2D({cropping: [[1, 1], [2, 2]]}));
model.add(tf.layers.permute({dims: [2, 1, 3]}));
model.add(tf.layers.flatten());
model.add(tf.layers.dense({units: 10}));
`;
  assert.deepEqual(layersOf(code, 'model.ts').slice(1), [
    ['upSampling2d', [16, 16, 16], undefined],
    ['zeroPadding2d', [18, 18, 16], undefined],
    ['cropping2D', [16, 14, 16], undefined],
    ['permute', [14, 16, 16], undefined],
    ['flatten', [3584], undefined],
    ['dense', [10], 3584],
  ]);
});

test('tf.reshape inside call(): the batch dimension is dropped and -1 is filled from the input', () => {
  const code = `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.conv = layers.Conv2D(32, 3, padding="same")
        self.fc = layers.Dense(10)
    def call(self, x):
        x = self.conv(x)
        x = tf.reshape(x, (-1, 28 * 28 * 32))
        return self.fc(x)
`;
  const [, reshape, dense] = models(code)[0].layers;
  assert.deepEqual(reshape.outputShape, [25088]);
  assert.equal(dense.fanIn, 25088);
  const inferred = code.replace('(-1, 28 * 28 * 32)', '(tf.shape(x)[0], -1, 32)');
  // The spatial size of the conv's input is unknown, so the -1 stays unknown; the width is still 32.
  assert.equal(models(inferred)[0].layers[2].fanIn, 32);
});

test('Constant(array) is given weights, not a constant init: no symmetric-init, and the embedding is not sampled', () => {
  const code = `import numpy as np
import keras
from keras import layers
embedding_matrix = np.load("glove.npy")
model = keras.Sequential([
    keras.Input(shape=(100,)),
    layers.Embedding(20000, 100, embeddings_initializer=keras.initializers.Constant(embedding_matrix), trainable=False),
    layers.LSTM(64),
    layers.Dense(64, activation="relu", kernel_initializer=keras.initializers.Constant(np.ones((64, 64)))),
    layers.Dense(1),
])
`;
  const [embedding, , dense] = models(code)[0].layers;
  assert.equal(embedding.initializers.embeddings?.pretrained, true);
  assert.equal(embedding.initializers.embeddings?.sampling, undefined);
  assert.equal(dense.initializers.kernel?.pretrained, true);
  assert.ok(!rules(code).includes('symmetric-init'));
  // A number is still a constant init.
  assert.ok(rules(code.replace('Constant(np.ones((64, 64)))', 'Constant(0.5)')).includes('symmetric-init'));
});

test('Lambda(lambda t: tf.nn.depth_to_space(t, 4)) runs its function: the sub-pixel upscaling a Flatten sees', () => {
  const code = `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(64, 5, padding="same", activation="relu")(inputs)
x = layers.Conv2D(3 * 4 ** 2, 3, padding="same")(x)
x = layers.Lambda(lambda t: tf.nn.depth_to_space(t, 4))(x)
x = layers.Flatten()(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
`;
  assert.deepEqual(layersOf(code).slice(2), [
    ['depth_to_space', [128, 128, 3], undefined],
    ['Flatten', [49152], undefined],
    ['Dense', [1], 49152],
  ]);
});

test('an MLP-Mixer block: Resizing, extract_patches, transpose and split change the widths its Dense layers mix', () => {
  // keras.io mlp_image_classification, reduced: 32 → 64 pixels, 8×8 patches of 3 channels (192 features, 64 of
  // them), token mixing over the 64 patches after a transpose, a split halving 512 channels.
  const code = `import keras
from keras import layers

class Patches(layers.Layer):
    def call(self, x):
        patches = keras.ops.image.extract_patches(x, 8)
        return keras.ops.reshape(patches, (-1, 64, 192))

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Resizing(64, 64)(inputs)
x = Patches()(x)
x = layers.Dense(256)(x)
t = keras.ops.transpose(x, axes=(0, 2, 1))
t = layers.Dense(64, activation="gelu")(t)
t = keras.ops.transpose(t, axes=(0, 2, 1))
x = layers.Dense(512, activation="gelu")(t)
u, v = keras.ops.split(x, indices_or_sections=2, axis=2)
v = layers.Dense(256)(v)
outputs = layers.Dense(10)(layers.GlobalAveragePooling1D()(v))
model = keras.Model(inputs, outputs)
`;
  const dense = models(code)[0].layers.filter((layer) => layer.className === 'Dense').map((layer) => layer.fanIn);
  // Embedding 192 → 256; token mixing over 64 patches; 256 → 512; 512 split in two → 256; the head.
  assert.deepEqual(dense, [192, 64, 256, 256, 256]);
});

test('tf.image.extract_patches with sizes and strides [1, p, p, 1] and tf.split on the last axis; other strides stay unknown', () => {
  const code = (strides: string) => `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
inputs = keras.Input(shape=(32, 32, 3))
p = tf.image.extract_patches(inputs, sizes=[1, 4, 4, 1], strides=${strides}, rates=[1, 1, 1, 1], padding="VALID")
a, b = tf.split(p, 2, axis=-1)
outputs = layers.Dense(10)(a)
model = keras.Model(inputs, outputs)
`;
  assert.deepEqual(models(code('[1, 4, 4, 1]'))[0].layers.at(-1)?.fanIn, 24);
  assert.notEqual(models(code('[1, 2, 2, 1]'))[0].layers.at(-1)?.fanIn, 24);
});

test("sequence pooling: matmul of the transposed attention weights and the values has the values' width", () => {
  // keras.io cct.py's SequencePooling: softmax(Dense(1)(x)) transposed, times x, squeezed: 128 features.
  const code = `import keras
from keras import layers
inputs = keras.Input(shape=(64, 128))
weights = keras.ops.softmax(layers.Dense(1)(inputs), axis=1)
weights = keras.ops.transpose(weights, axes=(0, 2, 1))
pooled = keras.ops.squeeze(keras.ops.matmul(weights, inputs), -2)
outputs = layers.Dense(10)(pooled)
model = keras.Model(inputs, outputs)
`;
  assert.equal(models(code)[0].layers.at(-1)?.fanIn, 128);
});

test("GlobalAveragePooling1D(data_format='channels_first') averages each step's features: the head sees the sequence length", () => {
  // keras.io timeseries_classification_transformer: 500 steps of 1 feature through the encoder, pooled per step.
  const code = (dataFormat: string) => `import keras
from keras import layers
inputs = keras.Input(shape=(500, 1))
x = layers.Dense(4)(inputs)
x = layers.GlobalAveragePooling1D(${dataFormat})(x)
x = layers.Dense(128, activation="relu")(x)
outputs = layers.Dense(2, activation="softmax")(x)
model = keras.Model(inputs, outputs)
`;
  assert.equal(models(code('data_format="channels_first"'))[0].layers[2].fanIn, 500);
  assert.equal(models(code(''))[0].layers[2].fanIn, 4);
});

test('keras_hub TokenAndPositionEmbedding(vocabulary_size, sequence_length, embedding_dim) puts out embedding_dim features', () => {
  const code = (call: string) => `import keras
import keras_hub
inputs = keras.Input(shape=(200,), dtype="int32")
x = ${call}(inputs)
x = keras.layers.GlobalAveragePooling1D()(x)
outputs = keras.layers.Dense(2, activation="softmax")(x)
model = keras.Model(inputs, outputs)
`;
  const embedding = (call: string) => models(code(call))[0].layers[0];
  for (const call of ['keras_hub.layers.TokenAndPositionEmbedding(20000, 200, 32)', 'keras_hub.layers.TokenAndPositionEmbedding(vocabulary_size=20000, sequence_length=200, embedding_dim=32)']) {
    assert.deepEqual([embedding(call).kind, embedding(call).width, embedding(call).fanIn], ['embedding', 32, 20000]);
    assert.equal(models(code(call))[0].layers.at(-1)?.fanIn, 32);
  }
});
