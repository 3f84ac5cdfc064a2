/**
 * Long loops that cannot change a model (training loops, data preparation) are not run: the findings stay
 * those of the file without them, and what the loops assign is unknown, never a value they did not compute.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../../src/project/analyzeSource';

const MODEL = `import numpy as np
import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(64,))])
for _ in range(20):
    model.add(layers.Dense(64, activation="relu"))
model.add(layers.Dense(64, activation="tanh", kernel_initializer="he_normal"))
model.add(layers.Dense(1, kernel_initializer="zeros"))
`;

const TRAINING = `
scores = []
for episode in range(600):
    state = np.zeros(4)
    total = 0
    for step in range(500):
        action = int(np.argmax(state))
        total += action * 0.99 ** step
        if total > 100:
            break
    scores.append(total)
    if episode % 50 == 0:
        print(episode, np.mean(scores[-50:]))
`;

const summary = (text: string) => analyzeSource(text, 'model.py').findings.map((finding) => `${finding.rule}:${finding.message}`);

test('a model file with a 600-episode training loop gives the findings of the file without it', () => {
  const without = summary(MODEL);
  assert.ok(without.length > 0);
  assert.deepEqual(summary(MODEL + TRAINING), without);
  const withLoopFirst = analyzeSource(TRAINING + MODEL, 'model.py');
  assert.deepEqual(withLoopFirst.findings.map((finding) => `${finding.rule}:${finding.message}`), without);
  assert.equal(withLoopFirst.extracted.cuts, undefined, 'no budget ran out');
});

test('a long loop that adds layers is still run, and a value it computes is not taken at its value before the loop', () => {
  const layersLoop = `import keras\nblocks = []\nfor i in range(40):\n    blocks.append(keras.layers.Dense(64, activation="relu"))\nmodel = keras.Sequential([keras.Input(shape=(8,))] + blocks)\n`;
  assert.equal(analyzeSource(layersLoop, 'model.py').models[0].model.layers.length, 40);
  const widthLoop = `import keras\nunits = 8\nfor i in range(40):\n    units = units + 1\nmodel = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(units), keras.layers.Dense(1)])\n`;
  const dense = analyzeSource(widthLoop, 'model.py').models[0].model.layers[0];
  assert.ok(dense.widthAssumed || dense.width === 48, `never the width before the loop as if written: ${dense.width}`);
});
