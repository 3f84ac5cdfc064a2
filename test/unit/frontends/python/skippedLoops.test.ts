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

const AGENT = `import numpy as np
import keras
from keras import layers

class Agent:
    def __init__(self):
        self.model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(64, activation="tanh", kernel_initializer="he_normal"), layers.Dense(2)])
        self.epsilon = 1.0
        self.steps = 0

    def act(self, state):
        if np.random.rand() < self.epsilon:
            return np.random.randint(2)
        return int(np.argmax(self.model.predict(state, verbose=0)[0]))

    def learn(self, batch):
        states = np.zeros((len(batch), 4))
        targets = self.model.predict(states, verbose=0)
        targets[0][1] = 1.0
        self.model.fit(states, targets, verbose=0)
        self.epsilon *= 0.995
        self.steps += 1

agent = Agent()
`;

const EPISODES = `
for episode in range(10000):
    state = np.zeros(4)
    for step in range(500):
        action = agent.act(state)
        agent.learn([state])
`;

test('an RL agent trained for 10,000 episodes after its model is built: the loop is not run, no budget runs out', () => {
  const without = summary(AGENT);
  assert.ok(without.length > 0, 'the agent model has a finding');
  const trained = analyzeSource(AGENT + EPISODES, 'agent.py');
  assert.deepEqual(trained.findings.map((finding) => `${finding.rule}:${finding.message}`), without);
  assert.equal(trained.extracted.cuts, undefined, 'no iteration or step budget ran out (5,000,000 iterations would)');
});

test('data preparation in short nested loops (30⁴ iterations) is not run either', () => {
  const nested = `\ncounts = {}\nfor a in range(30):\n    for b in range(30):\n        for c in range(30):\n            for d in range(30):\n                counts[a] = b + c + d\n`;
  const result = analyzeSource(MODEL + nested, 'model.py');
  assert.deepEqual(result.findings.map((finding) => `${finding.rule}:${finding.message}`), summary(MODEL));
  assert.equal(result.extracted.cuts, undefined, 'the 100,000-iteration budget was not spent');
});

test('loops whose methods or helpers fill a list the model reads later still run', () => {
  const viaMethod = `import keras\nfrom keras import layers\nclass Config:\n    def __init__(self):\n        self.widths = []\n    def grow(self, n):\n        self.widths.append(n)\ncfg = Config()\nfor i in range(40):\n    cfg.grow(64)\nmodel = keras.Sequential([keras.Input(shape=(8,))] + [layers.Dense(w) for w in cfg.widths])\n`;
  assert.equal(analyzeSource(viaMethod, 'model.py').models[0].model.layers.length, 40);
  const viaHelper = `import keras\nfrom keras import layers\nwidths = []\ndef grow(ws, n):\n    ws.append(n)\nfor i in range(40):\n    grow(widths, 32)\nmodel = keras.Sequential([keras.Input(shape=(8,))] + [layers.Dense(w) for w in widths])\n`;
  assert.equal(analyzeSource(viaHelper, 'model.py').models[0].model.layers.length, 40);
  const globalInFunction = `import keras\nfrom keras import layers\nwidths = []\ndef fill():\n    for i in range(40):\n        widths.append(8 + i)\nfill()\nmodel = keras.Sequential([keras.Input(shape=(8,))] + [layers.Dense(w) for w in widths])\n`;
  assert.equal(analyzeSource(globalInFunction, 'model.py').models[0].model.layers.length, 40);
  const counter = `import keras\nfrom keras import layers\nclass Builder:\n    def __init__(self):\n        self.units = 8\n    def step(self):\n        self.units = self.units + 1\nb = Builder()\nfor i in range(40):\n    b.step()\nmodel = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(b.units), layers.Dense(1)])\n`;
  const dense = analyzeSource(counter, 'model.py').models[0].model.layers[0];
  assert.ok(dense.widthAssumed || dense.width === 48, `the attribute a skipped loop sets is never taken at its old value: ${dense.width}`);
});

test('a training loop that builds a model not built yet still runs: an initializer set afterwards is reported', () => {
  const unbuilt = `import keras\nfrom keras import layers\nmodel = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(1)])\nfor epoch in range(50):\n    model.fit(None, None)\nmodel.layers[0].kernel_initializer = "he_normal"\n`;
  assert.ok(analyzeSource(unbuilt, 'model.py').findings.some((finding) => finding.rule === 'ineffective-initializer'));
});

test('a short loop whose values the model reads later (directly or in a function) still runs: the widths are exact', () => {
  const code = `import keras\nfrom keras import layers\nwidths = []\nfor i in range(3):\n    widths.append(16 * 2 ** i)\nunits = 4\nfor j in range(5):\n    units = units * 2\ndef build():\n    return keras.Sequential([keras.Input(shape=(8,))] + [layers.Dense(w) for w in widths] + [layers.Dense(units)])\nmodel = build()\nbest = 0\nfor epoch in range(30):\n    model.fit(None, None)\n    best = max(best, epoch)\nprint("best", best)\n`;
  const layers = analyzeSource(code, 'model.py').models[0].model.layers;
  assert.deepEqual(layers.map((layer) => layer.width), [16, 32, 64, 128]);
});
