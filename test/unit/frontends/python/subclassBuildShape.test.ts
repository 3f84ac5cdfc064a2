/**
 * A subclassed model given its input shape by `build`: `self.build(input_shape=(None, 2))` in `__init__`, or
 * `model.build((None, 3))` after the model is made (how PINNs and other subclassed MLPs make their weights).
 * Keras runs `call` on an input of that shape. Real-code audit (mamtasaini003/sciml core/models/pinn.py): the
 * first tanh layer's fan_in was assumed square (20*) where the code says 2. Also the PINN way of counting layers,
 * `range(self.denseList.__len__())`, which lost helonayala/pinn's whole DeepVIV model ("no model found").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { models } from '../../../helpers/snippets';

const PINN = (build: string, after = '') => `import tensorflow as tf

class PINN(tf.keras.Model):
    def __init__(self, layers):
        super().__init__()
        self.hidden_layers = [tf.keras.layers.Dense(units, activation='tanh') for units in layers[1:-1]]
        self.output_layer = tf.keras.layers.Dense(layers[-1])
        ${build}

    def call(self, x):
        for layer in self.hidden_layers:
            x = layer(x)
        return self.output_layer(x)

model = PINN([2, 20, 20, 20, 1])
${after}
`;

const fans = (code: string) => models(code)[0].layers.map((layer) => [layer.fanIn, layer.fanOut]);

test('self.build(input_shape=(None, n)) in __init__ gives the first layer its fan_in', () => {
  const built = models(PINN('self.build(input_shape=(None, layers[0]))'))[0].layers;
  assert.deepEqual(built.map((layer) => [layer.fanIn, layer.fanOut]), [[2, 20], [20, 20], [20, 20], [20, 1]]);
  assert.equal(built[0].widthAssumed, false);
  assert.deepEqual(fans(PINN('self.build((None, layers[0]))'))[0], [2, 20]);
});

test('model.build((None, n)) after the model was made gives the first layer its fan_in', () => {
  assert.deepEqual(fans(PINN('pass', 'model.build((None, 3))'))[0], [3, 20]);
  assert.deepEqual(fans(PINN('pass', 'model.build(input_shape=(None, 3))'))[0], [3, 20]);
});

test('without build the first layer stays assumed square, and an unreadable shape changes nothing', () => {
  const unbuilt = models(PINN('pass'))[0].layers[0];
  assert.deepEqual([unbuilt.fanIn, unbuilt.widthAssumed], [20, true]);
  assert.equal(models(PINN('self.build(shape_from_config)'))[0].layers[0].fanIn, 20);
});

test('a layer list looped over range(layers.__len__()) is read as range(len(layers)) (helonayala/pinn DeepVIV)', () => {
  const code = `import tensorflow as tf

class Block(tf.keras.layers.Layer):
    def __init__(self, widths):
        super().__init__()
        self.denseList = [tf.keras.layers.Dense(n, activation="sigmoid") for n in widths]
        self.denseList.append(tf.keras.layers.Dense(1))

    def call(self, t):
        for i in range(self.denseList.__len__()):
            if i == 0:
                x = self.denseList[i](t)
            else:
                x = self.denseList[i](x)
        return x

class PINN(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.block = Block(4 * [16])

    def call(self, t):
        return self.block(t)

mdl = PINN()
`;
  const pinn = models(code).find((found) => found.name === 'PINN');
  assert.deepEqual(pinn?.layers.map((layer) => layer.width), [16, 16, 16, 16, 1]);
});
