/** Keras custom layers that make their own weights: add_weight in build, applied with ops.matmul / tf.matmul / @ / conv2d. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, models, rules } from '../../../helpers/snippets';

const linear = (initializer: string, use = 'ops.relu(ops.matmul(inputs, self.w) + self.b)') => `import keras
from keras import layers, ops


class Linear(layers.Layer):
    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units)${initializer}, trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return ${use}


inputs = keras.Input(shape=(784,))
x = inputs
for _ in range(8):
    x = Linear(256)(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
`;

test('add_weight in build, used through ops.matmul in call: a kernel of the weight\'s initializer and fans', () => {
  const [model] = models(linear(', initializer="random_normal"'));
  const kernels = model.layers.filter((layer) => layer.className === 'add_weight');
  assert.equal(kernels.length, 8);
  assert.deepEqual([kernels[0].fanIn, kernels[0].fanOut, kernels[1].fanIn], [784, 256, 256]);
  assert.equal(kernels[0].initializers.kernel?.id, 'randomNormal');
  // ops.relu on its output is the layer's activation; the bias weight is not a kernel.
  assert.equal(kernels[0].activation.spec.id, 'relu');
  assert.equal(model.layers[model.layers.length - 1].fanIn, 256);
});

test('a custom layer keeping initializers.get(kernel_initializer) makes its kernel with the initializer the identifier names', () => {
  const code = `import keras
from keras import initializers, layers, ops


class Linear(layers.Layer):
    def __init__(self, units, kernel_initializer="he_uniform"):
        super().__init__()
        self.units = units
        self.kernel_initializer = initializers.get(kernel_initializer)

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer=self.kernel_initializer)

    def call(self, inputs):
        return ops.relu(ops.matmul(inputs, self.w))


inputs = keras.Input(shape=(32,))
model = keras.Model(inputs, layers.Dense(1)(Linear(64, kernel_initializer=keras.initializers.get("zeros"))(Linear(64)(inputs))))
`;
  const [model] = models(code);
  const kernels = model.layers.filter((layer) => layer.className === 'add_weight');
  assert.deepEqual(kernels.map((layer) => layer.initializers.kernel?.id), ['heUniform', 'zeros']);
});

test('a custom layer keeping activations.get(activation) applies that activation in call, linear for None', () => {
  const code = `import keras
from keras import activations, layers, ops


class Linear(layers.Layer):
    def __init__(self, units, activation=None):
        super().__init__()
        self.units = units
        self.activation = activations.get(activation)

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="he_uniform")

    def call(self, inputs):
        return self.activation(ops.matmul(inputs, self.w))


inputs = keras.Input(shape=(32,))
model = keras.Model(inputs, Linear(8)(Linear(64, activation="relu")(inputs)))
`;
  const [model] = models(code);
  const kernels = model.layers.filter((layer) => layer.className === 'add_weight');
  assert.deepEqual(kernels.map((layer) => [layer.fanIn, layer.activation.spec.id]), [[32, 'relu'], [64, 'linear']]);
});

test('the finding points at the add_weight initializer and its fix writes an id add_weight takes', () => {
  const code = linear(', initializer="random_normal"');
  const [finding] = findings(code);
  assert.equal(finding.rule, 'fixed-scale-init');
  assert.equal(finding.at, '"random_normal"');
  const fixed = applyFix(code, finding.finding);
  assert.match(fixed, /self\.add_weight\(shape=\(input_shape\[-1\], self\.units\), initializer="he_normal", trainable=True\)/);
  assert.deepEqual(rules(fixed), []);
});

test('tf.matmul and the @ operator read the same way; without an initializer add_weight draws glorot_uniform', () => {
  for (const use of ['tf.nn.relu(tf.matmul(inputs, self.w) + self.b)', 'tf.nn.relu(inputs @ self.w + self.b)']) {
    const code = linear('', use).replace('import keras\n', 'import keras\nimport tensorflow as tf\n');
    const [model] = models(code);
    const kernels = model.layers.filter((layer) => layer.className === 'add_weight');
    assert.equal(kernels.length, 8, use);
    assert.equal(kernels[0].initializers.kernel?.id, 'glorotUniform');
    assert.equal(kernels[0].initializers.kernel?.written, undefined);
  }
});

test('a weight made in __init__ with a written shape, and a convolution kernel applied with tf.nn.conv2d', () => {
  const code = `import keras
import tensorflow as tf


class Dense(keras.layers.Layer):
    def __init__(self, units=32, input_dim=32):
        super().__init__()
        self.w = self.add_weight(shape=(input_dim, units), initializer="random_normal")

    def call(self, inputs):
        return tf.matmul(inputs, self.w)


class Conv(keras.layers.Layer):
    def __init__(self, filters):
        super().__init__()
        self.filters = filters

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(3, 3, input_shape[-1], self.filters), initializer="he_normal")

    def call(self, x):
        return tf.nn.relu(tf.nn.conv2d(x, self.kernel, strides=1, padding="SAME"))


inputs = keras.Input(shape=(28, 28, 1))
x = Conv(16)(inputs)
x = Conv(32)(x)
x = keras.layers.Flatten()(x)
outputs = Dense(10, 25088)(x)
model = keras.Model(inputs, outputs)
`;
  const [model] = models(code);
  assert.deepEqual(model.layers.map((layer) => [layer.kind, layer.fanIn, layer.outputShape]), [
    ['conv', 9, [28, 28, 16]],
    ['conv', 144, [28, 28, 32]],
    ['flatten', undefined, [25088]],
    ['dense', 25088, [10]],
  ]);
});

test('a function named like an Object member (constructor, toString) applied to a weight is no kernel', () => {
  for (const use of ['ops.constructor(inputs, self.w)', 'ops.toString(inputs, self.w)']) {
    const kernels = models(linear(', initializer="random_normal"', use)).flatMap((model) => model.layers).filter((layer) => layer.className === 'add_weight');
    assert.deepEqual(kernels, [], use);
  }
});
