/**
 * A function of the file whose body is a known activation, passed as `activation=`: PINNs write swish as
 * `x * tf.math.sigmoid(x)` and mish as `x * tf.math.tanh(tf.math.softplus(x))`, often as methods looked up in a
 * dict. Real-code audit (the pinn_cavity "Network" class: He-normal Dense layers with `self.activations['swish']`):
 * read as a custom activation, modelled as the identity, the swish chain was reported growing ×2 a layer
 * (forward ×8) where it shrinks ×0.7 a layer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { models } from '../../../helpers/snippets';

const activations = (code: string) => models(code)[0].layers.filter((layer) => layer.kind === 'dense').map((layer) => layer.activation.spec.id);

const mlp = (definition: string, activation: string) => `import tensorflow as tf

${definition}

inputs = tf.keras.layers.Input(shape=(2,))
x = inputs
for width in [32, 32, 32]:
    x = tf.keras.layers.Dense(width, activation=${activation}, kernel_initializer='he_normal')(x)
outputs = tf.keras.layers.Dense(2)(x)
model = tf.keras.models.Model(inputs, outputs)
`;

test('a def returning x * sigmoid(x) is swish, x * tanh(softplus(x)) is mish, with any module prefix or order', () => {
  assert.deepEqual(activations(mlp('def swish(x):\n    return x * tf.math.sigmoid(x)', 'swish')), ['swish', 'swish', 'swish', 'linear']);
  assert.deepEqual(activations(mlp('def act(z):\n    return tf.sigmoid(z)*z', 'act'))[0], 'swish');
  assert.deepEqual(activations(mlp('def mish(x):\n    """Mish."""\n    return x * tf.math.tanh(tf.math.softplus(x))', 'mish'))[0], 'mish');
  assert.deepEqual(activations(mlp('def act(x):\n    return tf.nn.relu(x)', 'act'))[0], 'relu');
  assert.deepEqual(activations(mlp('', 'lambda v: v * tf.nn.sigmoid(v)'))[0], 'swish');
});

test('a method looked up in a dict (the PINN Network class) is read as its formula', () => {
  const code = `import tensorflow as tf

class Network:
    def __init__(self):
        self.activations = {'tanh': 'tanh', 'swish': self.swish}

    def swish(self, x):
        return x * tf.math.sigmoid(x)

    def build(self, num_inputs=2, layers=[32, 16, 16, 32], activation='swish', num_outputs=2):
        inputs = tf.keras.layers.Input(shape=(num_inputs,))
        x = inputs
        for layer in layers:
            x = tf.keras.layers.Dense(layer, activation=self.activations[activation], kernel_initializer='he_normal')(x)
        outputs = tf.keras.layers.Dense(num_outputs, kernel_initializer='he_normal')(x)
        return tf.keras.models.Model(inputs=inputs, outputs=outputs)

network = Network().build()
`;
  assert.deepEqual(activations(code), ['swish', 'swish', 'swish', 'swish', 'linear']);
});

test('other functions stay custom activations: another formula, two statements, a second parameter', () => {
  assert.equal(activations(mlp('def act(x):\n    return x * tf.sigmoid(1.702 * x)', 'act'))[0], 'other');
  assert.equal(activations(mlp('def act(x):\n    y = tf.sigmoid(x)\n    return x * y', 'act'))[0], 'other');
  assert.equal(activations(mlp('def act(x, beta=1.0):\n    return x * tf.sigmoid(x)', 'act'))[0], 'other');
  assert.equal(activations(mlp('def act(x):\n    return tf.cos(x)', 'act'))[0], 'other');
});

test('a function returning tf.sin(x) is the sine activation InitLint models', () => {
  assert.equal(activations(mlp('def act(x):\n    return tf.sin(x)', 'act'))[0], 'sin');
});
