/**
 * A weight a custom layer makes and uses as a tensor (keras.io cct.py's PositionEmbedding, a class token) is no
 * layer: the class whose `call` returns no graph tensor was read by chaining its attributes, the weight among
 * them, and reported as a model of one Dense kernel of width 1 (real-code audit).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callees, modelsOf } from './extract';

test('a layer holding only a weight it uses as a tensor (a position embedding) is no model', () => {
  const code = `import keras

class PositionEmbedding(keras.layers.Layer):
    def __init__(self, sequence_length, **kwargs):
        super().__init__(**kwargs)
        self.sequence_length = int(sequence_length)

    def build(self, input_shape):
        self.position_embeddings = self.add_weight(shape=[self.sequence_length, input_shape[-1]], initializer="glorot_uniform")

    def call(self, inputs):
        return keras.ops.convert_to_tensor(self.position_embeddings)
`;
  assert.deepEqual(modelsOf(code), []);
});

test('its layers are still chained when call returns no graph tensor: only the weight is left out', () => {
  const code = `import keras
from keras import layers

class Head(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.token = self.add_weight(shape=(1, 1, 64), initializer="zeros")
        self.dense = layers.Dense(64, activation="relu")
        self.out = layers.Dense(10)

    def call(self, inputs):
        return None
`;
  assert.deepEqual(modelsOf(code).map((found) => callees(found)), [['keras.layers.Dense', 'keras.layers.Dense']]);
});
