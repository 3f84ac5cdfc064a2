/** Subclassed models: layers made in `__init__`, in the order `call` applies them; named and spanned by the class. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL_INPUT } from '../../../../src/core/ir';
import { callees, model, modelsOf, textAt, widths } from './extract';

test('class Net(keras.Model): __init__ makes the layers, call orders them', () => {
  const code = `import keras
from keras.layers import Dense

class Net(keras.Model):
    def __init__(self, depth=3):
        super().__init__()
        self.out = Dense(10)
        self.blocks = [Dense(64, activation="relu") for _ in range(depth)]
        self.first = Dense(128)

    def call(self, inputs, training=None):
        x = self.first(inputs)
        for block in self.blocks:
            x = block(x)
        return self.out(x)
`;
  const net = model(code, 'Net');
  assert.equal(net.style, 'subclassed');
  assert.deepEqual(widths(net), [128, 64, 64, 64, 10]);
  assert.deepEqual(net.layers.map((layer) => layer.inputs), [[], [0], [1], [2], [3]]);
  assert.deepEqual(net.layers[2].repeat, { iteration: 1, count: 3 });
  assert.ok(textAt(code, net.span).startsWith('class Net(keras.Model):'));
  assert.ok(textAt(code, net.span).trimEnd().endsWith('return self.out(x)'));
});

test('tf.keras.Model, a bare Model base, and a Layer subclass are all read as models', () => {
  const code = `import tensorflow as tf
from keras import Model, layers

class A(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf.keras.layers.Dense(4)
    def call(self, x):
        return self.d(x)

class B(Model):
    def __init__(self):
        super().__init__()
        self.d = layers.Dense(5)
    def call(self, x):
        return self.d(x)

class C(layers.Layer):
    def __init__(self, units=6, **kwargs):
        super().__init__(**kwargs)
        self.d = layers.Dense(units)
    def call(self, x):
        return self.d(x)
`;
  assert.deepEqual(modelsOf(code).map((raw) => [raw.name, callees(raw)]), [
    ['A', ['tensorflow.keras.layers.Dense']],
    ['B', ['keras.layers.Dense']],
    ['C', ['keras.layers.Dense']],
  ]);
});

test('without a call method, the layers in the order __init__ made them', () => {
  const code = `import keras
class Encoder(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = [keras.layers.Dense(32) for _ in range(2)]
        self.head = keras.layers.Dense(8)
`;
  assert.deepEqual(widths(model(code, 'Encoder')), [32, 32, 8]);
});

test('a call that returns no tensor (an action sampled from a distribution) ends at the heads it applied, not at a chain of its attributes', () => {
  const code = `import tensorflow as tf
import tensorflow_probability as tfp

class Actor(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = [tf.keras.layers.Dense(64, activation="relu") for _ in range(2)]
        self.mean = tf.keras.layers.Dense(4)
        self.log_std = tf.keras.layers.Dense(4)

    def call(self, state):
        z = state
        for layer in self.hidden:
            z = layer(z)
        spread = tf.exp(tf.clip_by_value(self.log_std(z), -20, 2))
        return tfp.distributions.Normal(self.mean(z), spread).sample()
`;
  const actor = model(code, 'Actor');
  assert.deepEqual(widths(actor), [64, 64, 4, 4]);
  assert.deepEqual(actor.layers.map((layer) => layer.inputs), [[], [0], [1], [1]], 'both heads read the last hidden layer');
});

test('the model is read from the first instance, with its arguments', () => {
  const code = `import keras
class MLP(keras.Model):
    def __init__(self, widths):
        super().__init__()
        self.layers_ = [keras.layers.Dense(width) for width in widths]
    def call(self, x):
        for layer in self.layers_:
            x = layer(x)
        return x

model = MLP([256, 128, 10])
`;
  assert.deepEqual(widths(model(code, 'MLP')), [256, 128, 10]);
});

test('a subclass of a model class of the file inherits its call', () => {
  const code = `import keras
class Base(keras.Model):
    def call(self, x):
        return self.head(self.body(x))

class Small(Base):
    def __init__(self):
        super().__init__()
        self.body = keras.layers.Dense(16)
        self.head = keras.layers.Dense(1)
`;
  assert.deepEqual(widths(model(code, 'Small')), [16, 1]);
});

test('a custom layer used in a functional model is inlined there, and not reported apart', () => {
  const code = `import keras
from keras import layers

class ResidualBlock(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.dense = layers.Dense(units, activation="relu")
    def call(self, x):
        return x + self.dense(x)

inputs = keras.Input(shape=(16,))
x = inputs
for _ in range(2):
    x = ResidualBlock(16)(x)
model = keras.Model(inputs, layers.Dense(1)(x))
`;
  const models = modelsOf(code);
  assert.deepEqual(models.map((raw) => raw.name), ['model']);
  assert.deepEqual(callees(models[0]), ['keras.layers.Dense', 'keras.ops.add', 'keras.layers.Dense', 'keras.ops.add', 'keras.layers.Dense']);
  assert.deepEqual(models[0].layers.map((layer) => layer.inputs), [[], [MODEL_INPUT, 0], [1], [1, 2], [3]]);
  assert.deepEqual(models[0].layers.map((layer) => layer.repeat?.iteration), [0, 0, 1, 1, undefined]);
});

test('a custom layer whose call only uses its own weights is not a model', () => {
  const code = `import tensorflow as tf
class Scale(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(1,))
    def call(self, x):
        return tf.multiply(x, self.w)
`;
  assert.deepEqual(modelsOf(code), []);
});

test('a builder class that is never used still yields the model its method builds', () => {
  const code = `import keras
class Builder:
    def __init__(self, depth=2):
        self.depth = depth
    def build(self):
        model = keras.Sequential()
        for _ in range(self.depth):
            model.add(keras.layers.Dense(8))
        return model
`;
  assert.equal(model(code, 'model').layers.length, 2);
});

test('a builder class made with its arguments is read once: a method nothing calls runs on that instance, not on a new one without them', () => {
  const code = `import keras
class Gan:
    def __init__(self, z_dim, widths):
        self.z_dim = z_dim
        self.widths = widths
        self._build_generator()

    def wasserstein(self, y_true, y_pred):
        return -keras.ops.mean(y_true * y_pred)

    def _build_generator(self):
        z = keras.Input(shape=(self.z_dim,))
        x = z
        for width in self.widths:
            x = keras.layers.Dense(width, activation="relu")(x)
        self.generator = keras.Model(z, x)

gan = Gan(100, [256, 512])
`;
  const found = modelsOf(code);
  assert.deepEqual(found.map((built) => built.name), ['self.generator'], 'no second generator of unknown widths');
  assert.deepEqual(widths(found[0]), [256, 512]);
});

test('a model class first made in a loop is read once, without that loop\'s repeat marker', () => {
  const code = `import keras
class Member(keras.Model):
    def __init__(self):
        super().__init__()
        self.d = keras.layers.Dense(4)
    def call(self, x):
        return self.d(x)

ensemble = [Member() for _ in range(5)]
`;
  assert.deepEqual(model(code, 'Member').layers.map((layer) => layer.repeat), [undefined]);
});

test('a GAN without call: its generator and discriminator are models of their own, never chained together', () => {
  const code = `import keras
from keras import layers

discriminator = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(64, 3, strides=2), layers.GlobalMaxPooling2D(), layers.Dense(1)], name="discriminator")
generator = keras.Sequential([keras.Input(shape=(128,)), layers.Dense(7 * 7 * 128), layers.Reshape((7, 7, 128)), layers.Conv2D(1, 7, padding="same")], name="generator")

class GAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")

    def train_step(self, real_images):
        return {"d_loss": self.d_loss_tracker.result()}

gan = GAN(discriminator=discriminator, generator=generator, latent_dim=128)
`;
  assert.deepEqual(modelsOf(code).map((raw) => [raw.name, widths(raw)]), [
    ['discriminator', [64, '?', 1]],
    ['generator', [7 * 7 * 128, [7, 7, 128], 1]],
  ]);
});

test('a subclassed model calling its encoder model takes the encoder\'s input shape for its own input', () => {
  const code = `import keras
from keras import layers
encoder_inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(32, 3, activation="relu", strides=2, padding="same")(encoder_inputs)
encoder = keras.Model(encoder_inputs, layers.Dense(2)(layers.Flatten()(x)))

decoder = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(16, activation="relu"), layers.Dense(784)])

class VAE(keras.Model):
    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder
    def call(self, x):
        return self.decoder(self.encoder(x))

vae = VAE(encoder, decoder)
`;
  const raw = model(code, 'VAE');
  assert.equal(textAt(code, raw.inputShape!.span), '(28, 28, 1)');
  assert.deepEqual(widths(raw), [32, '?', 2, 16, 784]);
});

test('a subclass handing its graph to super().__init__(inputs, outputs) is that functional model, read once', () => {
  // A DDPG critic written as a "functional subclass": the layers are locals of __init__, there is no call.
  const code = `from keras import Model, layers

class Critic(Model):
    def __init__(self, state_size, action_size):
        state_input = layers.Input(shape=(state_size,))
        state_out = layers.Dense(16, activation="relu")(state_input)
        action_input = layers.Input(shape=(action_size,))
        action_out = layers.Dense(32, activation="relu")(action_input)
        concat = layers.Concatenate()([state_out, action_out])
        outputs = layers.Dense(1)(layers.Dense(256, activation="relu")(concat))
        super().__init__([state_input, action_input], outputs)

critic = Critic(12, 4)
target_critic = Critic(12, 4)
`;
  const raw = model(code, 'Critic');
  assert.equal(raw.style, 'subclassed');
  assert.deepEqual(widths(raw), [16, 32, '?', 256, 1]);
  assert.ok(textAt(code, raw.span).startsWith('class Critic(Model):'));
});

test('super(Net, self).__init__(inputs=…, outputs=…) and keras.Model.__init__(self, …) hand over the graph too', () => {
  const code = `import keras
from keras import layers

class A(keras.Model):
    def __init__(self):
        inputs = keras.Input(shape=(8,))
        outputs = layers.Dense(3)(layers.Dense(64, activation="tanh")(inputs))
        super(A, self).__init__(inputs=inputs, outputs=outputs, name="a")

class B(keras.Model):
    def __init__(self):
        inputs = keras.Input(shape=(8,))
        outputs = layers.Dense(2)(inputs)
        keras.Model.__init__(self, inputs, outputs)

class C(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.d = layers.Dense(5)
    def call(self, x):
        return self.d(x)

A()
B()
C()
`;
  assert.deepEqual(modelsOf(code).map((raw) => [raw.name, widths(raw)]), [['A', [64, 3]], ['B', [2]], ['C', [5]]]);
});

test('an instance of such a subclass called on tensors applies its graph, as keras.Model does', () => {
  const code = `import keras
from keras import layers

class Encoder(keras.Model):
    def __init__(self, width=64, **kwargs):
        inputs = keras.Input(shape=(32,))
        x = layers.Dense(width, activation="relu")(inputs)
        super().__init__(inputs, layers.Dense(8)(x), **kwargs)

encoder = Encoder(name="enc")
inp = keras.Input(shape=(32,))
head = keras.Model(inp, layers.Dense(1)(encoder(inp)))
`;
  // As for a keras.Model composed into another, the encoder is read as part of the model that uses it.
  assert.deepEqual(modelsOf(code).map((raw) => [raw.name, widths(raw)]), [['head', [64, 8, 1]]]);
});
