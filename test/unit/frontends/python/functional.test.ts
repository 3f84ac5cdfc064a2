/** Functional models: the layers that feed the outputs, in the order they are applied, with their graph. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL_INPUT } from '../../../../src/core/ir';
import { callees, model, modelsOf, textAt, widths } from './extract';

test('Input → layers → keras.Model(inputs=…, outputs=…): a chain, with the input shape', () => {
  const code = `import keras
from keras import layers
inputs = keras.Input(shape=(784,))
x = layers.Dense(64, activation="relu")(inputs)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs=inputs, outputs=outputs)
`;
  const raw = model(code, 'model');
  assert.equal(raw.style, 'functional');
  assert.deepEqual(callees(raw), ['keras.layers.Dense', 'keras.layers.Dense']);
  assert.deepEqual(raw.layers.map((layer) => layer.inputs), [[], [0]]);
  assert.equal(textAt(code, raw.inputShape!.span), '(784,)');
  assert.equal(textAt(code, raw.span), 'model = keras.Model(inputs=inputs, outputs=outputs)');
  assert.equal(textAt(code, raw.layers[0].call.span), 'layers.Dense(64, activation="relu")');
});

test('layers.Input, tf.keras.Input and positional Model(inputs, outputs)', () => {
  const code = `import tensorflow as tf
from tensorflow.keras import layers, Model
a = layers.Input((8,))
b = tf.keras.Input(shape=(4,))
y = layers.Dense(2)(a)
m = Model([a, b], y)
`;
  const raw = model(code, 'm');
  assert.deepEqual(callees(raw), ['tensorflow.keras.layers.Dense']);
  assert.equal(textAt(code, raw.inputShape!.span), '(8,)');
});

test('x = Dense(…)(x) in a loop: one node per iteration, marked', () => {
  const code = `import keras
inputs = keras.Input(shape=(32,))
x = inputs
for _ in range(3):
    x = keras.layers.Dense(32, activation="relu")(x)
model = keras.Model(inputs, x)
`;
  const raw = model(code, 'model');
  assert.deepEqual(raw.layers.map((layer) => [layer.inputs, layer.repeat]), [
    [[], { iteration: 0, count: 3 }], [[0], { iteration: 1, count: 3 }], [[1], { iteration: 2, count: 3 }],
  ]);
});

test('a layer made first and applied twice appears twice, marked by the loop that applies it', () => {
  const code = `import keras
shared = keras.layers.Dense(8)
inputs = keras.Input(shape=(8,))
y = shared(inputs)
for _ in range(2):
    y = shared(y)
model = keras.Model(inputs, y)
`;
  const raw = model(code, 'model');
  assert.equal(raw.layers.length, 3);
  assert.ok(raw.layers.every((layer) => textAt(code, layer.call.span) === 'keras.layers.Dense(8)'));
  assert.deepEqual(raw.layers.map((layer) => layer.repeat?.count), [undefined, 2, 2]);
});

test('residual Add and concatenate: inputs name the layers they consume, MODEL_INPUT the model input among them', () => {
  const code = `import keras
from keras import layers
inputs = keras.Input(shape=(32,))
x = layers.Dense(32)(inputs)
shortcut = x
x = layers.Dense(32)(x)
x = layers.Add()([x, shortcut])
y = layers.concatenate([x, shortcut, inputs], axis=-1)
outputs = layers.Dense(1)(y)
model = keras.Model(inputs=inputs, outputs=outputs)
`;
  const raw = model(code, 'model');
  assert.deepEqual(callees(raw), ['keras.layers.Dense', 'keras.layers.Dense', 'keras.layers.Add', 'keras.layers.concatenate', 'keras.layers.Dense']);
  assert.deepEqual(raw.layers.map((layer) => layer.inputs), [[], [0], [1, 0], [2, 0, MODEL_INPUT], [3]]);
});

test('x + shortcut of two tensors is an add node; a tensor times a number is a Rescaling of that number', () => {
  const code = `import keras
inputs = keras.Input(shape=(4,))
x = keras.layers.Dense(4)(inputs)
y = keras.layers.Dense(4)(x) * 0.5
z = y + x
model = keras.Model(inputs, z)
`;
  const raw = model(code, 'model');
  assert.deepEqual(callees(raw), ['keras.layers.Dense', 'keras.layers.Dense', 'keras.layers.Rescaling', 'keras.ops.add']);
  assert.deepEqual(raw.layers[2].call.positional.map((arg) => arg.value), [{ kind: 'number', value: 0.5 }]);
  assert.deepEqual(raw.layers[3].inputs, [2, 0]);
  assert.equal(textAt(code, raw.layers[3].call.span), 'y + x');
});

test('a tensor divided by a number is a Rescaling of its inverse; other arithmetic with a number keeps the tensor', () => {
  const code = `import keras
inputs = keras.Input(shape=(4,))
x = keras.layers.Dense(4)(inputs) / 4
x = x + 1.0
x = x * 1
x = 2 / x
model = keras.Model(inputs, keras.layers.Dense(2)(x))
`;
  const raw = model(code, 'model');
  assert.deepEqual(callees(raw), ['keras.layers.Dense', 'keras.layers.Rescaling', 'keras.layers.Dense']);
  assert.deepEqual(raw.layers[1].call.positional.map((arg) => arg.value), [{ kind: 'number', value: 0.25 }]);
});

test('a Lambda runs its function with its `arguments` as keywords (Keras calls function(x, **arguments)); an unreadable dict leaves it a layer', () => {
  const code = (args: string) => `import keras
from keras import layers
from options import scale_options
opts = scale_options()
inputs = keras.Input(shape=(4,))
h = keras.layers.Dense(4)(inputs)
h = layers.Lambda(lambda t, s: t * s, arguments=${args})(h)
model = keras.Model(inputs, h)
`;
  const read = model(code('{"s": 0.1}'), 'model');
  assert.deepEqual(callees(read), ['keras.layers.Dense', 'keras.layers.Rescaling']);
  assert.deepEqual(read.layers[1].call.positional.map((arg) => arg.value), [{ kind: 'number', value: 0.1 }]);
  // A dict InitLint cannot read whole: the Lambda stays an opaque layer rather than run without its scale.
  assert.deepEqual(callees(model(code('opts'), 'model')), ['keras.layers.Dense', 'keras.layers.Lambda']);
});

test('functions applied to tensors are layers with their callee: tf.nn.relu, keras.activations.relu', () => {
  const code = `import tensorflow as tf
import keras
inputs = keras.Input(shape=(4,))
x = keras.layers.Dense(4)(inputs)
x = tf.nn.relu(x)
x = keras.activations.relu(keras.layers.Dense(4)(x))
model = keras.Model(inputs, x)
`;
  assert.deepEqual(callees(model(code, 'model')), ['keras.layers.Dense', 'tensorflow.nn.relu', 'keras.layers.Dense', 'keras.activations.relu']);
});

test('only the layers that contribute to the outputs are emitted', () => {
  const code = `import keras
inputs = keras.Input(shape=(4,))
x = keras.layers.Dense(4)(inputs)
unused = keras.layers.Dense(99)(x)
probe = keras.layers.Dense(98)(inputs)
model = keras.Model(inputs, keras.layers.Dense(1)(x))
`;
  assert.deepEqual(widths(model(code, 'model')), [4, 1]);
});

test('a helper function that builds a block is inlined with its arguments, in a loop', () => {
  const code = `import keras
from keras import layers

def block(x, units):
    x = layers.Dense(units, activation='relu')(x)
    return layers.Dropout(0.1)(x)

inputs = keras.Input(shape=(10,))
x = inputs
for width in [64, 32]:
    x = block(x, width)
model = keras.Model(inputs, layers.Dense(1)(x))
`;
  const raw = model(code, 'model');
  assert.deepEqual(widths(raw), [64, 0.1, 32, 0.1, 1]);
  assert.deepEqual(raw.layers.map((layer) => layer.repeat?.iteration), [0, 0, 1, 1, undefined]);
});

test('a recursive helper is followed once; the recursive call is a node named by the helper', () => {
  const code = `import keras
def tower(x, n):
    x = keras.layers.Dense(8)(x)
    return tower(x, n - 1) if n else x
inputs = keras.Input(shape=(8,))
model = keras.Model(inputs, tower(inputs, 3))
`;
  assert.deepEqual(callees(model(code, 'model')), ['keras.layers.Dense', 'tower']);
});

test('a Sequential sub-model applied to a tensor contributes its layers, and is not reported apart', () => {
  const code = `import keras
encoder = keras.Sequential([keras.layers.Dense(16), keras.layers.Dense(4)])
inputs = keras.Input(shape=(32,))
outputs = keras.layers.Dense(32)(encoder(inputs))
autoencoder = keras.Model(inputs, outputs)
`;
  const models = modelsOf(code);
  assert.deepEqual(models.map((raw) => raw.name), ['autoencoder']);
  assert.deepEqual(widths(models[0]), [16, 4, 32]);
  assert.deepEqual(models[0].layers.map((layer) => layer.inputs), [[], [0], [1]]);
});

test('a functional sub-model applied to a tensor is copied into the outer graph', () => {
  const code = `import keras
a = keras.Input(shape=(8,))
encoder = keras.Model(a, keras.layers.Dense(2)(keras.layers.Dense(4)(a)))
b = keras.Input(shape=(8,))
model = keras.Model(b, keras.layers.Dense(8)(encoder(b)))
`;
  const models = modelsOf(code);
  assert.deepEqual(models.map((raw) => raw.name), ['model']);
  assert.deepEqual(widths(models[0]), [4, 2, 8]);
});

test('two independent functional models in one file', () => {
  const code = `import keras
i1 = keras.Input((3,))
m1 = keras.Model(i1, keras.layers.Dense(1)(i1))
i2 = keras.Input((5,))
m2 = keras.Model(inputs=i2, outputs=[keras.layers.Dense(2)(i2), keras.layers.Dense(3)(i2)])
`;
  assert.deepEqual(modelsOf(code).map((raw) => [raw.name, widths(raw)]), [['m1', [1]], ['m2', [2, 3]]]);
});

test('a layer with several outputs unpacked into names (LSTM return_state, an encoder returning three tensors) stays in the graph', () => {
  const code = `import keras
from keras.layers import Dense, Input, LSTM
encoder_inputs = Input(shape=(None, 71))
encoder_outputs, state_h, state_c = LSTM(256, return_state=True)(encoder_inputs)
decoder_inputs = Input(shape=(None, 71))
decoder_outputs, _, _ = LSTM(256, return_sequences=True, return_state=True)(decoder_inputs, initial_state=[state_h, state_c])
outputs = Dense(93, activation="softmax")(decoder_outputs)
model = keras.Model([encoder_inputs, decoder_inputs], outputs)
`;
  const raw = model(code, 'model');
  assert.deepEqual(callees(raw), ['keras.layers.LSTM', 'keras.layers.LSTM', 'keras.layers.Dense']);
  assert.deepEqual(raw.layers[2].inputs, [1]);
});

test('a residual written x += y is an add of the graph, not the end of it', () => {
  const code = `import keras
from keras import layers
inputs = keras.Input(shape=(32,))
x = layers.Dense(32, activation="relu")(inputs)
for _ in range(2):
    y = layers.Dense(32, activation="relu")(x)
    x += y
model = keras.Model(inputs, layers.Dense(1)(x))
`;
  const raw = model(code, 'model');
  assert.deepEqual(callees(raw), ['keras.layers.Dense', 'keras.layers.Dense', 'keras.ops.add', 'keras.layers.Dense', 'keras.ops.add', 'keras.layers.Dense']);
  assert.deepEqual(raw.layers.map((layer) => layer.inputs), [[], [0], [0, 1], [2], [2, 3], [4]]);
  assert.equal(textAt(code, raw.layers[2].call.span), 'x += y');
});

test('ZeroPadding2D(padding=correct_pad(x, 3)) is a layer applied to x: the MobileNet block stays one graph', () => {
  const code = `import keras
from keras import layers
from keras.applications import imagenet_utils

def block(x, filters, stride):
    x = layers.Conv2D(filters * 6, 1, use_bias=False)(x)
    if stride == 2:
        x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, 3))(x)
    x = layers.DepthwiseConv2D(3, strides=stride, padding="same" if stride == 1 else "valid")(x)
    return layers.Conv2D(filters, 1)(x)

inputs = keras.Input(shape=(96, 96, 3))
x = block(inputs, 16, 2)
x = block(x, 24, 2)
model = keras.Model(inputs, x)
`;
  const raw = model(code, 'model');
  const names = callees(raw).map((callee) => callee.split('.').pop());
  assert.deepEqual(names, ['Conv2D', 'ZeroPadding2D', 'DepthwiseConv2D', 'Conv2D', 'Conv2D', 'ZeroPadding2D', 'DepthwiseConv2D', 'Conv2D']);
  assert.deepEqual(raw.layers.map((layer) => layer.inputs), [[], [0], [1], [2], [3], [4], [5], [6]]);
});

test('shapes read with tf.shape / ops.shape size other tensors: they are no layers of the model', () => {
  const code = `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

class Sampling(layers.Layer):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch = tf.shape(z_mean)[0]
        dim = keras.ops.shape(z_mean)[1]
        epsilon = tf.random.normal(shape=(batch, dim))
        return z_mean + tf.exp(0.5 * z_log_var) * epsilon

inputs = keras.Input(shape=(16,))
z_mean = layers.Dense(2)(inputs)
z_log_var = layers.Dense(2)(inputs)
model = keras.Model(inputs, Sampling()([z_mean, z_log_var]))
`;
  const names = callees(model(code, 'model')).map((callee) => callee.split('.').pop());
  // `0.5 * z_log_var` is a Rescaling(0.5); `* epsilon` (no number InitLint knows) keeps the tensor.
  assert.deepEqual(names, ['Dense', 'Dense', 'Rescaling', 'exp', 'add']);
});

test('a model of two inputs applied to two tensors maps each declared input to its own tensor', () => {
  const code = `import keras
from keras import layers
tokens = keras.Input(shape=(None,), dtype="int64")
encoded = layers.Dense(64)(layers.Embedding(1000, 64)(tokens))
encoder = keras.Model(tokens, encoded)

targets = keras.Input(shape=(None,), dtype="int64")
memory = keras.Input(shape=(None, 64))
x = layers.Embedding(1000, 64)(targets)
x = layers.Concatenate()([x, layers.Dense(64)(memory)])
decoder = keras.Model([targets, memory], layers.Dense(1000)(x))

transformer = keras.Model([tokens, targets], decoder([targets, encoded]))
`;
  const raw = model(code, 'transformer');
  assert.deepEqual(widths(raw), [1000, 64, 1000, 64, '?', 1000]);
  // The decoder's memory input is the encoder's output (layer 1), not the decoder's token input.
  const memoryDense = raw.layers[3];
  assert.deepEqual(memoryDense.inputs, [1]);
});

test('a keras.Model subclass that only overrides train_step, built as CustomModel(inputs, outputs), is the functional model', () => {
  const code = `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

class CustomModel(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compiled_loss(y, y_pred)
        return {"loss": loss}

def make_model():
    inputs = keras.Input(shape=(32,))
    x = layers.Dense(64, activation="relu")(inputs)
    return CustomModel(inputs, layers.Dense(1)(x))

model = make_model()
`;
  const raw = model(code, 'model');
  assert.equal(raw.style, 'functional');
  assert.deepEqual(widths(raw), [64, 1]);
  assert.equal(textAt(code, raw.inputShape!.span), '(32,)');
});

test('layers taken from a loaded model (model.layers[3]) make no model: nothing there is a layer we can read', () => {
  const code = `import keras
model = keras.models.load_model("s2s.keras")
state_h = keras.Input(shape=(256,))
state_c = keras.Input(shape=(256,))
decoder_lstm = model.layers[3]
outputs, h, c = decoder_lstm(model.input[1], initial_state=[state_h, state_c])
decoder_model = keras.Model([model.input[1], state_h, state_c], [model.layers[4](outputs), h, c])
`;
  assert.deepEqual(modelsOf(code), []);
});

test('inputs made in a dict comprehension ({name: keras.Input(…) for name in FEATURES}) are the model\'s inputs, with their shapes', () => {
  const code = `import keras
from keras import layers
FEATURES = ["age", "chol", "thalach"]
inputs = {name: keras.Input(shape=(1,), name=name) for name in FEATURES}
x = layers.concatenate([layers.Normalization()(inputs[name]) for name in FEATURES])
model = keras.Model(inputs, layers.Dense(1)(layers.Dense(16, activation="relu")(x)))
`;
  const raw = model(code, 'model');
  assert.deepEqual(raw.inputShapes?.map((shape) => shape && textAt(code, shape.span)), ['(1,)', '(1,)', '(1,)']);
  assert.deepEqual(raw.layers.map((layer) => layer.inputs), [[], [-2], [-3], [0, 1, 2], [3], [4]]);
});

test('models a helper returns in a tuple are named by their targets: `actor, critic = build_actor_critic()`', () => {
  const models = modelsOf(`
import keras
from keras import layers

def build_actor_critic(actions):
    inputs = keras.Input(shape=(32,))
    hidden = layers.Dense(64, activation="relu")(inputs)
    critic = keras.Sequential([keras.Input(shape=(32,)), layers.Dense(64, activation="relu"), layers.Dense(1)])
    return keras.Model(inputs, layers.Dense(actions)(hidden)), critic

actor, critic = build_actor_critic(4)
`);
  assert.deepEqual(models.map((found) => found.name).sort(), ['actor', 'critic']);
});
