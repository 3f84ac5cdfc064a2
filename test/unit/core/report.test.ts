/** The per-layer report: which findings each row lists. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../src/project/analyzeSource';
import { buildReport } from '../../../src/core/report';

const rowsWithFindings = (code: string) =>
  buildReport(analyzeSource(code, 'model.py')).map((model) =>
    model.layers.filter((layer) => layer.findings.length).map((layer) => `${layer.className}: ${layer.findings.join(', ')}`));

test('two builders that both call their model `model`: each row lists only the findings on its own layers', () => {
  const code = `import keras
from keras import layers

def make_generator():
    model = keras.Sequential([keras.Input(shape=(100,))])
    model.add(layers.Dense(256, activation="tanh"))
    model.add(layers.Dense(256, activation="tanh"))
    model.add(layers.Dense(784))
    return model

def make_discriminator():
    model = keras.Sequential([keras.Input(shape=(784,))])
    model.add(layers.Dense(256, activation="relu", kernel_initializer="zeros"))
    model.add(layers.Dense(1))
    return model

generator = make_generator()
discriminator = make_discriminator()
`;
  assert.deepEqual(rowsWithFindings(code), [[], ['Dense: symmetric-init']]);
});

test('a layer repeated by a loop: the copies the finding blames list it', () => {
  const code = `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(784,))])
for _ in range(20):
    model.add(layers.Dense(256, activation="relu"))
model.add(layers.Dense(10))
`;
  const [rows] = rowsWithFindings(code);
  assert.equal(rows.length, 20);
});

test('an un-normalized residual stack reported by residual-growth: the worst chain is blamed on initializers, not "would not cure it"', () => {
  const code = (last: string) => `import keras
from keras import layers
inputs = keras.Input(shape=(256,))
x = layers.Dense(256, activation="relu", kernel_initializer="he_normal")(inputs)
for _ in range(10):
    h = layers.Dense(256, activation="relu", kernel_initializer="he_normal")(x)
    h = layers.Dense(256, kernel_initializer="${last}")(h)
    x = layers.ReLU()(layers.Add()([x, h]))
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
`;
  const [model] = buildReport(analyzeSource(code('he_normal'), 'model.py'));
  assert.equal(model.worstChain?.status, 'exploding');
  assert.equal(model.worstChain?.verdict, 'warning');
  assert.equal(model.layers.filter((layer) => layer.findings.includes('residual-growth')).length, 10);
  // Fixup: the zero last layers keep the stream near 1, and the report says the chain is not exploding.
  assert.notEqual(buildReport(analyzeSource(code('zeros'), 'model.py'))[0].worstChain?.status, 'exploding');
});
