/**
 * Autoencoders written as a keras.Model subclass holding an encoder and a decoder Sequential, each opened by its
 * own InputLayer. Real-code audit: the decoder's InputLayer was kept as a node where the decoder is applied,
 * the core made it the model's input, and the decoder's first Dense read the encoder's input width (32) instead
 * of the 8 the encoder hands it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { models } from '../../../helpers/snippets';

const fans = (code: string) => models(code)[0].layers.map((layer) => [layer.fanIn, layer.fanOut]);

const AUTOENCODER = (encoderInput: string, decoderInput: string) => `import keras

class AutoEncoder(keras.Model):
    def __init__(self):
        super().__init__()
        self.encoder = keras.Sequential([${encoderInput}keras.layers.Dense(32, activation="relu"), keras.layers.Dense(8, activation="relu")])
        self.decoder = keras.Sequential([${decoderInput}keras.layers.Dense(16, activation="relu"), keras.layers.Dense(32, activation="relu")])

    def call(self, inputs):
        return self.decoder(self.encoder(inputs))

ae = AutoEncoder()
`;

test('a Sequential applied to a tensor reads its leading InputLayer as the shape of that tensor, not as a new input', () => {
  const expected = [[32, 32], [32, 8], [8, 16], [16, 32]];
  assert.deepEqual(fans(AUTOENCODER('keras.layers.InputLayer(input_shape=(32,)), ', 'keras.layers.InputLayer(input_shape=(8,)), ')), expected);
  assert.deepEqual(fans(AUTOENCODER('keras.layers.InputLayer(shape=(32,)), ', 'keras.layers.InputLayer(batch_input_shape=(None, 8)), ')), expected);
  const [first] = models(AUTOENCODER('keras.layers.InputLayer(input_shape=(32,)), ', ''))[0].layers;
  assert.deepEqual([first.fanIn, first.widthAssumed], [32, false]);
});

test('the decoder is still judged as a part of its own: no chain runs from the encoder into it', () => {
  const layers = models(AUTOENCODER('keras.layers.InputLayer(input_shape=(32,)), ', 'keras.layers.InputLayer(input_shape=(8,)), '))[0].layers;
  assert.equal(layers.filter((layer) => layer.entersModel).length, 1);
  assert.equal(layers[2].entersModel, 'self.decoder');
});

test('Sequential([encoder, decoder]): the decoder’s InputLayer after the encoder is no layer of the composed model', () => {
  const code = `import keras
encoder = keras.Sequential([keras.layers.InputLayer(input_shape=(32,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(8, activation="relu")], name="encoder")
decoder = keras.Sequential([keras.layers.InputLayer(input_shape=(8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(32, activation="relu")], name="decoder")
ae = keras.Sequential([encoder, decoder])
`;
  const ae = models(code).find((found) => found.layers.length === 4);
  assert.deepEqual(ae?.layers.map((layer) => [layer.fanIn, layer.fanOut]), [[32, 32], [32, 8], [8, 16], [16, 32]]);
  assert.equal(ae?.layers[2].entersModel, 'decoder');
});

test('np.array(widths) iterates, indexes and slices as the list; its arithmetic is elementwise, never list repetition', () => {
  const code = (widths: string) => `import keras
import numpy as np

nodes = ${widths}
encoder = keras.Sequential([keras.layers.InputLayer(input_shape=(nodes[0],))] + [keras.layers.Dense(n, activation="relu") for n in nodes])
decoder = keras.Sequential([keras.layers.Dense(n, activation="relu") for n in nodes[::-1]])
`;
  const [encoder, decoder] = models(code('np.array([32, 16, 8])'));
  assert.deepEqual(encoder.layers.map((layer) => [layer.fanIn, layer.fanOut]), [[32, 32], [32, 16], [16, 8]]);
  assert.deepEqual(decoder.layers.map((layer) => layer.fanOut), [8, 16, 32]);
  // [32, 16] * 2 is [64, 32] in NumPy; read as a list it would be four layers [32, 16, 32, 16].
  assert.notEqual(models(code('np.array([32, 16]) * 2'))[0]?.layers.length, 4);
});
