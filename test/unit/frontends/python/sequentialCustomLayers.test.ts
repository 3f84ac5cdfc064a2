/**
 * A Sequential of custom layers applied in a functional graph (keras.io mlp_image_classification:
 * `keras.Sequential([MLPMixerLayer(…) for _ in range(num_blocks)])`): each custom layer brings the layers its
 * `call` applies, as it does applied on its own. Real-code audit: the blocks were four opaque nodes of gain 1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callees, model, modelsOf } from './extract';

const BLOCK = `import keras
from keras import layers

class Block(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(units, activation="relu")
        self.norm = layers.LayerNormalization()

    def call(self, inputs):
        return self.norm(inputs + self.dense(inputs))
`;

test('a Sequential of custom layers applied to a tensor brings the layers each call applies', () => {
  const code = `${BLOCK}
blocks = keras.Sequential([Block(64) for _ in range(3)])
inputs = keras.Input(shape=(64,))
x = blocks(inputs)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
`;
  const raw = model(code, 'model');
  const block = ['keras.layers.Dense', 'add', 'keras.layers.LayerNormalization'];
  assert.deepEqual(callees(raw).map((callee) => (callee.endsWith('.add') ? 'add' : callee)), [...block, ...block, ...block, 'keras.layers.Dense']);
  // Each block's residual add takes the block's input and its Dense: the blocks are chained.
  assert.deepEqual(raw.layers.map((layer) => layer.inputs), [[], [-1, 0], [1], [2], [2, 3], [4], [5], [5, 6], [7], [8]]);
  // The Sequential is reported as part of the model that applies it, not again on its own.
  assert.deepEqual(modelsOf(code).map((found) => found.name), ['model']);
});

test('plain layers and custom layers mixed in one applied Sequential keep their order', () => {
  const code = `${BLOCK}
stack = keras.Sequential([layers.Dense(64), Block(64), layers.Dropout(0.1)])
inputs = keras.Input(shape=(32,))
model = keras.Model(inputs, stack(inputs))
`;
  assert.deepEqual(callees(model(code, 'model')).map((callee) => callee.replace(/^.*\./, '')), ['Dense', 'Dense', 'add', 'LayerNormalization', 'Dropout']);
});

test('a Sequential model of custom layers, reported itself, is read as the layers their calls apply', () => {
  const code = `${BLOCK}
model = keras.Sequential([layers.Input((64,)), Block(64), Block(64), layers.Dense(10)])
`;
  const raw = model(code, 'model');
  assert.equal(raw.style, 'sequential');
  assert.deepEqual(callees(raw).map((callee) => callee.replace(/^.*\./, '')), ['Dense', 'add', 'LayerNormalization', 'Dense', 'add', 'LayerNormalization', 'Dense']);
  assert.deepEqual(raw.layers.map((layer) => layer.inputs), [[], [-1, 0], [1], [2], [2, 3], [4], [5]]);
  assert.equal(raw.inputShape?.value.kind, 'array');
  assert.deepEqual(modelsOf(code).map((found) => found.name), ['model']);
});

test('a Sequential of plain layers is read as before: its layers, one after the other', () => {
  const code = `import keras
from keras import layers
model = keras.Sequential([layers.Input((8,)), layers.Dense(4, activation="relu"), layers.Dense(1)])
`;
  const raw = model(code, 'model');
  assert.equal(raw.style, 'sequential');
  assert.deepEqual(raw.layers.map((layer) => layer.inputs), [[], [0]]);
});
