/** `initlint report --probe`: measured numbers beside the predicted ones, for models read from source. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';

const KERAS_MODEL = `from tensorflow import keras
model = keras.Sequential([
    keras.Input(shape=(256,)),
    keras.layers.Dense(256, activation="relu", kernel_initializer="he_normal"),
    keras.layers.Dense(256, activation="tanh"),
    keras.layers.Dense(10),
])
`;

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (text) => out.push(text), (text) => err.push(text));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('report --probe --draws 3 --format json: per layer the mean, median and 10–90% band of every measured quantity', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'initlint-probe-')), 'model.py');
  writeFileSync(file, KERAS_MODEL);
  const { code, out, err } = await run(['report', file, '--probe', '--backend', 'wasm', '--batch', '32', '--seed', '5', '--draws', '3', '--format', 'json']);
  assert.equal(code, 0);
  const [model] = JSON.parse(out).models;
  assert.equal(model.backend, 'wasm');
  assert.equal(model.batch, 32);
  assert.equal(model.draws, 3);
  assert.equal(model.seeds.length, 3);
  assert.equal(model.seeds[0], 5, 'the first draw is the requested seed');
  assert.equal(new Set(model.seeds).size, 3, 'the other draws have seeds of their own');
  for (const layer of model.layers) {
    assert.deepEqual(Object.keys(layer.measured), ['forward', 'backward', 'deadFraction', 'saturatedFraction', 'draws']);
    assert.equal(layer.measured.draws, 3);
    for (const quantity of ['forward', 'backward', 'deadFraction', 'saturatedFraction']) {
      const { mean, median, p10, p90 } = layer.measured[quantity];
      assert.ok(p10 <= median && median <= p90, `layer ${layer.index + 1} ${quantity}: p10 ${p10} ≤ median ${median} ≤ p90 ${p90}`);
      assert.ok(p10 <= mean && mean <= p90, `layer ${layer.index + 1} ${quantity}: mean ${mean} in [${p10}, ${p90}]`);
    }
    assert.ok(layer.measured.forward.p90 > layer.measured.forward.p10, `layer ${layer.index + 1}: three draws of a 256-wide layer differ`);
    const ratio = layer.measured.forward.mean / layer.predicted.forward;
    assert.ok(ratio > 1 / 1.5 && ratio < 1.5, `layer ${layer.index + 1}: measured ${layer.measured.forward.mean}, predicted ${layer.predicted.forward}`);
    if (layer.activation !== 'tanh') assert.ok(Math.abs(layer.meanFieldSlope - 1) < 1e-9, 'ReLU and linear layers have slope 1');
    assert.equal(layer.finiteWidth, null, 'no steep activation in this model');
  }
  // Progress on stderr, one line per draw; stdout is the JSON alone.
  assert.deepEqual(err.split('\n').map((line) => line.replace(/\(\d+\.\d s\)/, '(t)')), [1, 2, 3].map((draw) =>
    `initlint: probe of model on wasm: draw ${draw} of 3 measured (t)`));
});

test('the draws of a ReLU/He MLP: the band holds the mean, and the median agrees with the prediction', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'initlint-probe-')), 'relu.py');
  writeFileSync(file, `from tensorflow import keras
model = keras.Sequential([keras.Input(shape=(128,))] + [keras.layers.Dense(128, activation="relu", kernel_initializer="he_normal") for _ in range(6)] + [keras.layers.Dense(10)])
`);
  const { code, out } = await run(['report', file, '--probe', '--backend', 'wasm', '--batch', '64', '--draws', '5', '--format', 'json']);
  assert.equal(code, 0, out);
  const [model] = JSON.parse(out).models;
  assert.equal(model.layers.length, 7);
  for (const layer of model.layers) {
    for (const direction of ['forward', 'backward']) {
      const { mean, median, p10, p90 } = layer.measured[direction];
      assert.ok(p10 <= median && median <= p90 && p10 <= mean && mean <= p90, `layer ${layer.index + 1} ${direction}: ${JSON.stringify(layer.measured[direction])}`);
      const ratio = median / layer.predicted[direction];
      assert.ok(ratio > 1 / 1.5 && ratio < 1.5, `layer ${layer.index + 1} ${direction}: median ${median}, predicted ${layer.predicted[direction]}`);
    }
    assert.ok(layer.measured.deadFraction.p90 < 0.2, 'He-initialized ReLU layers keep their units alive');
  }
});

test('report --probe in text shows mean and band; one draw shows the value alone; --draws without --probe is a usage error', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'initlint-probe-')), 'model.py');
  writeFileSync(file, KERAS_MODEL);
  const text = await run(['report', file, '--probe', '--backend', 'wasm', '--batch', '16', '--draws', '3']);
  assert.equal(text.code, 0);
  assert.match(text.out, /measured q \[10–90%\]\s+measured g \[10–90%\]/);
  assert.match(text.out, /measured on wasm, batch 16, seed 0, 3 weight draws \(mean \[10–90% band\]\)/);
  assert.match(text.out, /\n1 +Dense .* \d[\d.e-]* \[\d[\d.e-]*–\d[\d.e-]*\]/, 'a row holds a mean and its band');
  const single = await run(['report', file, '--probe', '--backend', 'wasm', '--batch', '16', '--draws', '1']);
  assert.match(single.out, /measured q\s+measured g/);
  assert.doesNotMatch(single.out, /10–90%/);
  const usage = await run(['report', file, '--draws', '3']);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /need --probe/);
  const zero = await run(['report', file, '--probe', '--draws', '0']);
  assert.equal(zero.code, 2);
  assert.match(zero.err, /--draws must be a whole number ≥ 1/);
});

test('report in text marks GELU under He as an infinite-width value that finite width moves', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'initlint-probe-')), 'gelu.py');
  writeFileSync(file, `from tensorflow import keras
model = keras.Sequential([keras.Input(shape=(64,))] + [keras.layers.Dense(64, activation="gelu", kernel_initializer="he_normal") for _ in range(4)])
`);
  const { code, out } = await run(['report', file]);
  assert.equal(code, 0);
  assert.match(out, /\n1 +Dense .* \d[\d.e-]*~ +\d[\d.e-]*~/, 'the predictions carry the mark');
  assert.match(out, /\n~ an infinite-width value that finite width moves: layer \d \(gelu\) has mean-field slope 1\.\d\d > 1/);
  const json = JSON.parse((await run(['report', file, '--format', 'json'])).out);
  assert.ok(json.models[0].layers.every((layer: { finiteWidth: string | null }) => layer.finiteWidth?.startsWith('an infinite-width value')));
});
