/**
 * Which locations of a failing chain are reported: the fewest whose fixes cure it. A model written layer by
 * layer is judged as the same model written in a loop, and a fix that cannot change the chain's tier is not
 * offered as a cause.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, rules } from '../../helpers/snippets';

const TFJS_HEADER = "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential();\n";
const truncatedHe = "model.add(tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: 'heNormal'}));";

test("tfjs heNormal on 31 ReLU layers warns whether the layers are written in a loop or one per line (×0.77 each, 4.5e-4 in all)", () => {
  const loop = `${TFJS_HEADER}model.add(tf.layers.dense({units: 64, inputShape: [64], activation: 'relu', kernelInitializer: 'heNormal'}));
for (let i = 0; i < 30; i++) ${truncatedHe}
model.add(tf.layers.dense({units: 1}));
`;
  const lines = `${TFJS_HEADER}model.add(tf.layers.dense({units: 64, inputShape: [64], activation: 'relu', kernelInitializer: 'heNormal'}));
${Array.from({ length: 30 }, () => truncatedHe).join('\n')}
model.add(tf.layers.dense({units: 1}));
`;
  const inLoop = findings(loop, 'model.ts');
  assert.deepEqual(inLoop.map((finding) => `${finding.severity}:${finding.rule}`), ['warning:truncated-variance']);
  assert.match(inLoop[0].message, /on 30 ReLU layers: forward variance ×0\.77 per layer → 4\.5e-4 at layer 31; heUniform keeps it at 1/);
  // Each layer alone moves the chain ×1.3 only: together they are the cause, and each written one is reported.
  const perLine = findings(lines, 'model.ts');
  assert.equal(perLine.length, 30);
  assert.ok(perLine.every((finding) => finding.severity === 'warning' && finding.rule === 'truncated-variance'), perLine.map((finding) => finding.message).join('\n'));
  assert.match(perLine[0].message, /at this layer → 4\.5e-4 at layer 31; heUniform keeps it at 1/);
  // The first layer's gain does not compound (it rescales the input once): it is not a cause.
  const firstLine = lines.indexOf('inputShape');
  assert.ok(perLine.every((finding) => finding.finding.span.start > firstLine));
});

test('a Keras VarianceScaling(scale=1.5) under ReLU loses a quarter per layer: 20 layers are relu-glorot-deep, fixed to He', () => {
  const code = `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(64,))])
for _ in range(20):
    model.add(layers.Dense(64, activation="relu", kernel_initializer=keras.initializers.VarianceScaling(scale=1.5)))
model.add(layers.Dense(1))
`;
  const found = findings(code);
  assert.deepEqual(found.map((finding) => `${finding.severity}:${finding.rule}`), ['warning:relu-glorot-deep']);
  assert.match(found[0].message, /VarianceScaling\(scale=1\.5\) on 20 ReLU layers: forward variance ×0\.75 per layer → 4\.2e-3 at layer 20; he_normal keeps it at 1/);
  assert.deepEqual(rules(applyFix(code, found[0].finding)), []);
  // He's own scale (and the leaky-ReLU He scale just below it) is not this rule's.
  assert.deepEqual(rules(code.replace('scale=1.5', 'scale=2.0')), []);
});

test('a stacked tfjs LSTM forecaster: the ReLU head is a hint, the LSTM kernel is not blamed (its fix moves ×0.044 to ×0.057, the same tier)', () => {
  const code = `import * as tf from '@tensorflow/tfjs';
const input = tf.input({ shape: [48, 3] });
let x = tf.layers.lstm({ units: 64, returnSequences: true }).apply(input) as tf.SymbolicTensor;
x = tf.layers.lstm({ units: 32 }).apply(x) as tf.SymbolicTensor;
x = tf.layers.dense({ units: 64, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
const output = tf.layers.dense({ units: 12 }).apply(x) as tf.SymbolicTensor;
const model = tf.model({ inputs: input, outputs: output });
`;
  const found = findings(code, 'model.ts');
  assert.deepEqual(found.map((finding) => `${finding.severity}:${finding.rule}:${finding.at}`), ['hint:relu-glorot-deep:tf.layers.dense']);
});

test('a location of gain close to 1 beside the layers that fail the chain stays silent: fixing the Glorot loop cures it', () => {
  const code = `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(64,))])
for _ in range(12):
    model.add(layers.Dense(64, activation="relu"))
model.add(layers.Dense(64, activation="relu", kernel_initializer=keras.initializers.VarianceScaling(scale=1.7)))
model.add(layers.Dense(1))
`;
  const found = findings(code);
  assert.deepEqual(found.map((finding) => `${finding.severity}:${finding.at}`), ['warning:layers.Dense']);
});

test("a critic's action branch beside its state branch: the chain is measured along the state path, and the action layer is not blamed", () => {
  const code = `import keras
from keras import layers
state_input = layers.Input(shape=(12,))
state_out = layers.Dense(16, activation="relu")(state_input)
state_out = layers.Dense(32, activation="relu")(state_out)
action_input = layers.Input(shape=(4,))
action_out = layers.Dense(32, activation="relu")(action_input)
concat = layers.Concatenate()([state_out, action_out])
out = layers.Dense(256, activation="relu")(concat)
out = layers.Dense(256, activation="relu")(out)
outputs = layers.Dense(1)(out)
critic = keras.Model([state_input, action_input], outputs)
`;
  const found = findings(code);
  // 16 → 32 (×0.33), the merge into 256 (×0.1, one of two branches), 256 → 256 (×0.5): ×0.017. The action
  // layer's 4 → 32 (×0.125) lies on no path from the first state layer: it was multiplied in (×2.1e-3).
  assert.deepEqual(found.map((finding) => finding.message.match(/→ ([\d.e-]+) at layer/)?.[1]), ['0.017', '0.017', '0.017']);
  assert.ok(!found.some((finding) => finding.finding.span.start === code.indexOf('layers.Dense(32, activation="relu")(action_input)')), found.map((finding) => finding.at).join(', '));
});

test('a loop body blamed in every block of a normalized stack is reported once, not once per block', () => {
  const code = `import keras
from keras import layers
inputs = keras.Input(shape=(64,), dtype="int32")
x = layers.Embedding(65, 256)(inputs)
for _ in range(3):
    h = layers.LayerNormalization()(x)
    h = layers.Dense(1024, activation="relu", kernel_initializer="he_normal")(h)
    h = layers.Dense(256, kernel_initializer=keras.initializers.RandomNormal(stddev=0.02))(h)
    x = layers.Add()([x, h])
x = layers.LayerNormalization()(x)
logits = layers.Dense(65)(x)
model = keras.Model(inputs, logits)
`;
  // Three chains (one per block, LayerNormalization ends each) blame the same written Dense.
  assert.deepEqual(rules(code), ['hint:fixed-scale-init']);
});

test('a fix that only carries a chain across a threshold is not offered: LeCun normal written by hand on tanh layers (×0.3 → ×0.36)', () => {
  // stddev = 1/√fan_in is LeCun normal: c = 1 at each layer, tanh's own critical point. The factor sits just
  // outside the hint band from the widths, and Glorot would only move it to ×0.36.
  const code = `import math
import keras
from keras import layers

def lecun(fan_in):
    return {"kernel_initializer": keras.initializers.RandomNormal(stddev=1 / math.sqrt(fan_in))}

inputs = keras.Input(shape=(32,))
x = layers.Dense(64, activation="tanh", **lecun(32))(inputs)
x = layers.Dense(64, activation="tanh", **lecun(64))(x)
x = layers.Dense(64, activation="tanh", **lecun(64))(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
`;
  assert.deepEqual(rules(code), []);
});

test("a chain that starts at a GRU ends at its output: the gradient's fading through 20 time steps inside it is recurrent-init's, not depth", () => {
  const code = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.gru({ inputShape: [20, 256], units: 256 }));
model.add(tf.layers.dense({ units: 512, activation: 'relu' }));
model.add(tf.layers.dense({ units: 512, activation: 'relu' }));
model.add(tf.layers.dense({ units: 512, activation: 'relu' }));
model.add(tf.layers.dense({ units: 256, activation: 'softmax' }));
`;
  // Three Glorot ReLU layers after it: ×0.039, hints. The GRU's time-averaged g made it ×9.2e-4 backward: warnings.
  const found = findings(code, 'model.ts');
  assert.deepEqual(found.map((finding) => `${finding.severity}:${finding.rule}`), ['hint:relu-glorot-deep', 'hint:relu-glorot-deep', 'hint:relu-glorot-deep']);
  assert.match(found[0].message, /→ 0\.039 at layer 4/);
});
