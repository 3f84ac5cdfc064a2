/**
 * The variance panel's loop, measured: the panel model crosses postMessage as JSON, the probe measures the
 * written model and the recommended one from that JSON, and LSUV scales written back into the source give a
 * model whose measured Var(z) is ≈ 1 at every layer (a second LSUV run has only sampling noise to correct;
 * in tfjs a separable conv written without the depthwise conversion would need ×0.2).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { applyEdits } from '../../src/core/text';
import { runProbe } from '../../src/probe/engine';
import { runLsuv } from '../../src/probe/lsuv';
import type { PanelModel } from '../../src/protocol/panel';
import { modelLsuvEdits } from '../../src/project/modelEdits';
import { panelModel } from '../../src/protocol/panelModel';
import { probeBackend } from './models';

before(async () => {
  await probeBackend();
});

const BATCH = 128;

/** What the webview receives: the panel after JSON (VS Code's postMessage serialises with JSON.stringify). */
function posted(code: string, fileName: string): PanelModel {
  const panel = panelModel(code, fileName, DEFAULT_CONFIG, { uri: `file:///${fileName}`, modelIndex: 0, modelName: 'model' }, fileName);
  assert.ok(panel);
  return JSON.parse(JSON.stringify(panel)) as PanelModel;
}

test('20 ReLU layers with the Keras default vanish when measured; the recommended model from the JSON does not', async () => {
  const panel = posted(`import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(128,))])
for _ in range(20):
    model.add(layers.Dense(128, activation="relu"))
model.add(layers.Dense(10))
`, 'model.py');
  assert.ok(panel.recommended);
  const written = await runProbe(panel.model, { batch: BATCH, seed: 8 });
  const recommended = await runProbe(panel.recommended.model, { batch: BATCH, seed: 8 });
  const last = 19;
  const writtenRatio = written.layers[last].forward / written.layers[0].forward;
  const recommendedRatio = recommended.layers[last].forward / recommended.layers[0].forward;
  assert.ok(writtenRatio < 1e-4, `written: ×${writtenRatio} over 20 layers (predicted ${panel.report.worstChain?.forward})`);
  assert.ok(recommendedRatio > 0.3 && recommendedRatio < 3, `recommended: ×${recommendedRatio} (predicted ${panel.recommended.report.worstChain?.forward})`);
});

test('an open sequence length (Input(shape=(None, 16))) crosses JSON as null; the probe fills it in and says so', async () => {
  const panel = posted(`import keras
from keras import layers
inputs = keras.Input(shape=(None, 16))
x = layers.LSTM(32)(inputs)
model = keras.Model(inputs, layers.Dense(4)(x))
`, 'model.py');
  assert.deepEqual(panel.model.inputShape, [null, 16]);
  const measured = await runProbe(panel.model, { batch: 32, seed: 1 });
  assert.deepEqual(measured.inputShape, [8, 16]);
  assert.ok(measured.notes.includes('input shape assumed: [8, 16]'), measured.notes.join('; '));
  assert.ok(measured.layers.every((layer) => layer.forward > 0 && layer.backward > 0));
});

test('a model of two inputs of different widths: each branch is measured on its own input, as predicted', async () => {
  const panel = posted(`import keras
from keras import layers
wide = keras.Input(shape=(256,))
narrow = keras.Input(shape=(16,))
a = layers.Dense(128, activation="relu", kernel_initializer="he_normal")(wide)
b = layers.Dense(128, activation="relu", kernel_initializer=keras.initializers.RandomNormal(stddev=1.0))(narrow)
x = layers.Concatenate()([a, b])
x = layers.Dense(128, activation="relu", kernel_initializer="he_normal")(x)
model = keras.Model([wide, narrow], layers.Dense(1)(x))
`, 'model.py');
  assert.deepEqual(panel.model.layers.slice(0, 2).map((layer) => layer.fanIn), [256, 16]);
  const measured = await runProbe(panel.model, { batch: BATCH, seed: 2 });
  panel.report.layers.slice(0, 4).forEach((row, i) => {
    const ratio = measured.layers[i].forward / row.predicted.forward;
    assert.ok(ratio > 1 / 1.5 && ratio < 1.5, `layer ${i + 1}: measured ${measured.layers[i].forward}, predicted ${row.predicted.forward}`);
  });
  // RandomNormal(1.0) on 16 inputs: q = 16; He on 256: q = 2.
  assert.ok(measured.layers[1].forward > 4 * measured.layers[0].forward);
});

test('zeros in a hidden layer: the measured signal is exactly 0 after it; the recommended model carries it', async () => {
  const panel = posted(`import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({ layers: [
  tf.layers.dense({ units: 64, inputShape: [32], activation: 'relu', kernelInitializer: 'heUniform' }),
  tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'zeros' }),
  tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'heUniform' }),
  tf.layers.dense({ units: 4 }),
] });
`, 'model.ts');
  assert.equal(panel.recommended?.fixCount, 1);
  const written = await runProbe(panel.model, { batch: BATCH, seed: 8 });
  const recommended = await runProbe(panel.recommended!.model, { batch: BATCH, seed: 8 });
  assert.deepEqual(written.layers.slice(1).map((layer) => layer.forward), [0, 0, 0]);
  for (const layer of recommended.layers) assert.ok(layer.forward > 0.1, `layer ${layer.index + 1}: ${layer.forward}`);
});

for (const [fileName, code] of [
  ['model.py', `import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(12, 12, 4)),
    layers.Conv2D(32, 3, activation="tanh"),
    layers.SeparableConv2D(32, 3, activation="relu", depth_multiplier=2),
    layers.DepthwiseConv2D(3, activation="relu"),
    layers.Flatten(),
    layers.Dense(256, activation="selu", kernel_initializer="he_normal"),
    layers.Dense(64),
])
`],
  ['model.ts', `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({ layers: [
  tf.layers.conv2d({ filters: 32, kernelSize: 3, inputShape: [12, 12, 4], activation: 'tanh' }),
  tf.layers.separableConv2d({ filters: 32, kernelSize: 3, activation: 'relu', depthMultiplier: 2 }),
  tf.layers.depthwiseConv2d({ kernelSize: 3, activation: 'relu' }),
  tf.layers.flatten(),
  tf.layers.dense({ units: 256, activation: 'selu', kernelInitializer: 'heNormal' }),
  tf.layers.dense({ units: 64 }),
] });
`],
] as const) {
  test(`${fileName}: LSUV scales written into the source leave a second LSUV run only sampling noise to correct`, async () => {
    const lsuv = await runLsuv(posted(code, fileName).model, { batch: BATCH, seed: 8 });
    assert.equal(lsuv.scales.length, 5);
    assert.ok(lsuv.scales.some((scale) => scale.multiplier > 2), 'the written model needs rescaling');
    const result = modelLsuvEdits(code, fileName, DEFAULT_CONFIG, 0, lsuv.scales);
    assert.equal(result.layersChanged, 5);
    const rescaled = applyEdits(code, result.edits).text;
    const again = await runLsuv(posted(rescaled, fileName).model, { batch: BATCH, seed: 8 });
    // Weights are drawn anew from the written initializers, so each layer's Var(z) moves by the draw (±25% here
    // behind 9-weight depthwise channels): the first run's ×2–7 corrections are gone, that noise is what is left.
    for (const scale of again.scales) {
      assert.ok(scale.multiplier > 0.75 && scale.multiplier < 1.33, `layer ${scale.index + 1} (${scale.className}) still needs ×${scale.multiplier}:\n${rescaled}`);
    }
  });
}
