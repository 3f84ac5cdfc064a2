/**
 * Parameter defaults are expressions, not parameters: `def create_cct_model(input_shape=input_shape,
 * transformer_units=transformer_units)` (keras.io cct.py) has two parameters defaulting to the globals. The
 * default's name was read as one more parameter, unknown, shadowing the first: the model was built from an
 * unknown input shape and unknown widths (real-code audit).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argsOf, model, textAt, widths } from './extract';

test('def f(name=name): the parameter takes the global of the same name as its default', () => {
  const code = `import keras
from keras import layers

transformer_units = [128, 64]
input_shape = (32, 32, 3)

def create(input_shape=input_shape, transformer_units=transformer_units):
    inputs = layers.Input(input_shape)
    x = layers.Conv2D(64, 3, activation="relu", kernel_initializer="he_normal")(inputs)
    for units in transformer_units:
        x = layers.Dense(units, activation="gelu")(x)
    return keras.Model(inputs=inputs, outputs=x)

m = create()
`;
  const raw = model(code, 'm');
  assert.deepEqual(widths(raw), [64, 128, 64]);
  assert.equal(textAt(code, raw.inputShape!.span), 'input_shape');
});

test('lambda t, s=scale: t * s captures the scale as its default', () => {
  const code = `import keras
from keras import layers

scale = 0.1
inputs = keras.Input(shape=(16,))
x = layers.Dense(16)(inputs)
x = layers.Lambda(lambda t, s=scale: t * s)(x)
model = keras.Model(inputs, x)
`;
  const raw = model(code, 'model');
  assert.deepEqual(argsOf(raw.layers[1].call).positional, [0.1]);
});
