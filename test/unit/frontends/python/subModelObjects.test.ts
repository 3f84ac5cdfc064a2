/**
 * A keras.Model subclass applied inside another model (a GAN's `critic(generator(z))`, or
 * `keras.Sequential([generator, critic])`) is entered where its call starts, as a named functional or
 * Sequential model already was: the core judges each part as the model it is. Without the mark a chain ran
 * from the generator's 2-wide output into the critic, and relu-glorot-deep warned on both (real-code audit
 * follow-up: Sequential models of custom layers are now read through their calls).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rules } from '../../../helpers/snippets';
import { model } from './extract';

const PARTS = `import keras
from keras import layers

class Generator(keras.Model):
    def __init__(self):
        super().__init__()
        self.d1 = layers.Dense(128, activation="relu")
        self.d2 = layers.Dense(128, activation="relu")
        self.d3 = layers.Dense(2)

    def call(self, z):
        return self.d3(self.d2(self.d1(z)))

class Critic(keras.Model):
    def __init__(self):
        super().__init__()
        self.d1 = layers.Dense(128, activation="relu")
        self.d2 = layers.Dense(128, activation="relu")
        self.d3 = layers.Dense(1)

    def call(self, x):
        return self.d3(self.d2(self.d1(x)))

generator = Generator()
critic = Critic()
`;

test('critic(generator(z)) in a functional model: the critic is entered at its first layer, and nothing warns', () => {
  const code = `${PARTS}z = keras.Input(shape=(16,))
gan = keras.Model(z, critic(generator(z)))
`;
  const gan = model(code, 'gan');
  assert.deepEqual(gan.layers.map((layer) => layer.entersModel), [undefined, undefined, undefined, 'Critic', undefined, undefined]);
  assert.deepEqual(rules(code), []);
});

test('keras.Sequential([generator, critic]): the same two parts, read through their calls', () => {
  const code = `${PARTS}gan = keras.Sequential([generator, critic])
`;
  const gan = model(code, 'gan');
  assert.deepEqual(gan.layers.map((layer) => layer.entersModel), [undefined, undefined, undefined, 'Critic', undefined, undefined]);
  assert.deepEqual(rules(code), []);
});

test('a Layer subclass applied in a model is part of that model: no mark', () => {
  const code = `import keras
from keras import layers

class Block(layers.Layer):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(64, activation="relu")

    def call(self, x):
        return self.dense(x)

inputs = keras.Input(shape=(64,))
x = layers.Dense(64, activation="relu")(inputs)
model = keras.Model(inputs, Block()(x))
`;
  assert.deepEqual(model(code, 'model').layers.map((layer) => layer.entersModel), [undefined, undefined]);
});
