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
