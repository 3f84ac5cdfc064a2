/**
 * `x.shape` of a tensor the file builds is read as Keras knows it while building: modern blocks branch on it
 * (keras.io ddim/ddpm residual blocks, the GRN of classification_with_grn_and_vsn) and size layers by it
 * (timeseries_classification_transformer's `Conv1D(filters=inputs.shape[-1])`). Real-code audit: the 1×1
 * projection of every width-changing residual block was missed, and the GRN projected where widths matched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callees, model, widths } from './extract';

const RESIDUAL_BLOCK = `import keras
from keras import layers

def ResidualBlock(width):
    def apply(x):
        input_width = x.shape[3]
        if input_width == width:
            residual = x
        else:
            residual = layers.Conv2D(width, kernel_size=1)(x)
        x = layers.BatchNormalization(center=False, scale=False)(x)
        x = layers.Conv2D(width, kernel_size=3, padding="same", activation="swish")(x)
        x = layers.Conv2D(width, kernel_size=3, padding="same")(x)
        return layers.Add()([x, residual])
    return apply
`;

test('a residual block that projects only when the width changes: the 1×1 Conv2D is read where x.shape[3] differs', () => {
  const code = `${RESIDUAL_BLOCK}
images = keras.Input(shape=(64, 64, 3))
x = layers.Conv2D(32, kernel_size=1)(images)
for width in [32, 64, 64]:
    x = ResidualBlock(width)(x)
network = keras.Model(images, x)
`;
  const unet = model(code, 'network');
  // Stem; 32 → 32 (no projection); 32 → 64 (projection first); 64 → 64 (none).
  assert.deepEqual(widths(unet), [32, '?', 32, 32, '?', 64, '?', 64, 64, '?', '?', 64, 64, '?']);
  assert.equal(callees(unet).filter((callee) => callee === 'keras.layers.Conv2D').length, 8);
});

test('a shape the file does not fix (no Input shape) leaves the branch read as written', () => {
  const code = `${RESIDUAL_BLOCK}
images = keras.Input(shape=(None, None, None))
x = ResidualBlock(64)(images)
network = keras.Model(images, x)
`;
  assert.deepEqual(widths(model(code, 'network')), ['?', 64, 64, '?']);
});

test('Conv1D(filters=inputs.shape[-1]) takes the width of its block input', () => {
  const code = `from tensorflow import keras
from tensorflow.keras import layers

def transformer_encoder(inputs, ff_dim):
    x = layers.LayerNormalization(epsilon=1e-6)(inputs)
    x = layers.Conv1D(filters=ff_dim, kernel_size=1, activation="relu")(x)
    x = layers.Conv1D(filters=inputs.shape[-1], kernel_size=1)(x)
    return x + inputs

inputs = keras.Input(shape=(500, 3))
x = transformer_encoder(inputs, 4)
model = keras.Model(inputs, x)
`;
  const raw = model(code, 'model');
  const filters = raw.layers.map((layer) => layer.call.keyword.filters?.value);
  assert.deepEqual(filters.filter((value) => value !== undefined), [{ kind: 'number', value: 4 }, { kind: 'number', value: 3 }]);
});

test("a custom layer's call that projects only when inputs.shape[-1] != self.units (a GRN)", () => {
  const code = `import keras
from keras import layers

class GatedResidualNetwork(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.units = units
        self.elu_dense = layers.Dense(units, activation="elu")
        self.linear_dense = layers.Dense(units)
        self.project = layers.Dense(units)
        self.layer_norm = layers.LayerNormalization()

    def call(self, inputs):
        x = self.elu_dense(inputs)
        x = self.linear_dense(x)
        if inputs.shape[-1] != self.units:
            inputs = self.project(inputs)
        return self.layer_norm(inputs + x)

features = keras.Input(shape=(80,))
x = GatedResidualNetwork(16)(features)
x = GatedResidualNetwork(16)(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(features, outputs)
`;
  // The first block projects 80 → 16; the second, already 16 wide, does not.
  const dense = callees(model(code, 'model')).filter((callee) => callee === 'keras.layers.Dense');
  assert.equal(dense.length, 3 + 2 + 1);
});

test('K.int_shape(x) and keras.ops.shape(x) read the static shape too; tf.shape(x), a run-time tensor, does not', () => {
  const block = (shapeOf: string) => `import keras
import tensorflow as tf
from keras import backend as K
from keras import layers

def squeeze_excite(init, ratio=4):
    filters = ${shapeOf}(init)[-1]
    se = layers.GlobalAveragePooling2D()(init)
    se = layers.Dense(filters // ratio, activation="relu")(se)
    se = layers.Dense(filters, activation="sigmoid")(se)
    return layers.multiply([init, se])

images = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(64, 3, padding="same", activation="relu")(images)
x = squeeze_excite(x)
model = keras.Model(images, x)
`;
  const dense = (shapeOf: string) => {
    const raw = model(block(shapeOf), 'model');
    return widths(raw).filter((_, index) => raw.layers[index].call.callee.endsWith('.Dense'));
  };
  assert.deepEqual(dense('K.int_shape'), [16, 64]);
  assert.deepEqual(dense('keras.ops.shape'), [16, 64]);
  assert.deepEqual(dense('tf.shape'), ['?', '?']);
});
