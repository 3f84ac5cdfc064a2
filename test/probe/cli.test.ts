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

test('report --probe --format json adds measured numbers per layer and the backend per model', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'initlint-probe-')), 'model.py');
  writeFileSync(file, KERAS_MODEL);
  const { code, out } = await run(['report', file, '--probe', '--backend', 'wasm', '--batch', '32', '--seed', '5', '--format', 'json']);
  assert.equal(code, 0);
  const [model] = JSON.parse(out).models;
  assert.equal(model.backend, 'wasm');
  assert.equal(model.batch, 32);
  for (const layer of model.layers) {
    assert.deepEqual(Object.keys(layer.measured), ['forward', 'backward', 'deadFraction', 'saturatedFraction']);
    const ratio = layer.measured.forward / layer.predicted.forward;
    assert.ok(ratio > 1 / 1.5 && ratio < 1.5, `layer ${layer.index + 1}: measured ${layer.measured.forward}, predicted ${layer.predicted.forward}`);
  }
});

test('report --probe in text adds measured columns; --batch without --probe is a usage error', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'initlint-probe-')), 'model.py');
  writeFileSync(file, KERAS_MODEL);
  const text = await run(['report', file, '--probe', '--backend', 'wasm', '--batch', '16']);
  assert.equal(text.code, 0);
  assert.match(text.out, /measured q\s+measured g/);
  assert.match(text.out, /measured on wasm, batch 16, seed 0/);
  const usage = await run(['report', file, '--batch', '16']);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /need --probe/);
});
