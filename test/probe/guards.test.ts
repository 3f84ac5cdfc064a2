/**
 * The probe's guards: memory budget (smaller batch, then a refusal that says why), cancellation within a
 * second, progress per layer, no tensor left behind, LSUV reaching |Var(z) − 1| < tol, user samples.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runLsuv } from '../../src/probe/lsuv';
import { runProbe } from '../../src/probe/engine';
import { ProbeRefusedError, type ProbeProgress } from '../../src/probe/build';
import { parseCsv, parseNpy } from '../../src/probe/sampleInput';
import * as tf from '../../src/probe/tf';
import { mlp, resolve } from '../helpers/rawModels';
import { kerasModel, probeBackend } from './models';

before(probeBackend);

const deepMlp = (depth = 10, width = 256) => resolve(mlp('keras', depth, width, 'relu', 'glorot_uniform'), 'keras');

test('over the memory budget the batch shrinks, and below the smallest batch the probe refuses with the numbers', async () => {
  const reduced = await runProbe(deepMlp(), { batch: 512, memoryBudgetBytes: 8 * 2 ** 20 });
  assert.ok(reduced.batch < 512 && reduced.batch >= 8, `batch ${reduced.batch}`);
  assert.ok(reduced.estimatedBytes <= 8 * 2 ** 20);
  assert.match(reduced.notes.join('\n'), /batch reduced from 512 to \d+ to stay within the 8 MiB memory budget/);
  await assert.rejects(runProbe(deepMlp(), { memoryBudgetBytes: 2 ** 20 }), (error: Error) =>
    error instanceof ProbeRefusedError && /needs about \d+ MiB at batch 8 .*over the 1 MiB budget/.test(error.message));
});

test('progress is reported per layer and phase, and an abort stops the run within a second', async () => {
  const phases: ProbeProgress[] = [];
  await runProbe(deepMlp(4, 64), { batch: 16, onProgress: (progress) => phases.push(progress) });
  assert.deepEqual(phases.filter((p) => p.phase === 'forward').map((p) => p.layer), [0, 1, 2, 3, 4]);
  assert.deepEqual(phases.filter((p) => p.phase === 'backward').map((p) => p.layer), [4, 3, 2, 1, 0]);

  const controller = new AbortController();
  const started = Date.now();
  let abortedAt = 0;
  setTimeout(() => {
    abortedAt = Date.now();
    controller.abort();
  }, 150);
  await assert.rejects(runProbe(deepMlp(60, 768), { batch: 256, signal: controller.signal, memoryBudgetBytes: 2 ** 31 }), { name: 'AbortError' });
  assert.ok(abortedAt > 0, `the run finished before the abort (${Date.now() - started} ms)`);
  assert.ok(Date.now() - abortedAt < 1000, `stopped ${Date.now() - abortedAt} ms after the abort`);
});

test('no tensor outlives a run: completed, refused, cancelled, failed', async () => {
  const baseline = tf.memory().numTensors;
  await runProbe(deepMlp(3, 32), { batch: 8 });
  await runProbe(kerasModel([['Conv2D', { filters: 4, kernel_size: 3 }], ['LSTM', { units: 4 }]], [6, 6, 2])).catch(() => undefined);
  await runProbe(deepMlp(), { memoryBudgetBytes: 1 }).catch(() => undefined);
  const controller = new AbortController();
  controller.abort();
  await runProbe(deepMlp(), { signal: controller.signal }).catch(() => undefined);
  await runLsuv(deepMlp(3, 32), { batch: 16 });
  assert.equal(tf.memory().numTensors, baseline);
});

test('LSUV rescales each kernel until |Var(z) − 1| < tol and returns He-like scales under ReLU', async () => {
  const model = resolve(mlp('tfjs', 8, 128, 'relu', 'glorotNormal'), 'tfjs');
  const result = await runLsuv(model, { batch: 128, tolerance: 0.05, seed: 4 });
  assert.equal(result.scales.length, 9);
  for (const scale of result.scales) {
    assert.ok(scale.converged && Math.abs(scale.variance - 1) < 0.05, `layer ${scale.index + 1}: Var ${scale.variance}`);
  }
  // ReLU after the first layer needs about He: Var(W) ≈ 2/fan_in, fan_in scale ≈ 2.
  const middle = result.scales[4];
  assert.ok(middle.fanInScale > 1.5 && middle.fanInScale < 2.7, `fan_in scale ${middle.fanInScale}`);
  assert.ok(Math.abs(result.scales[0].fanInScale - 1) < 0.15, `first layer scale ${result.scales[0].fanInScale}`);
});

test('LSUV on a zeros layer starts it from a random draw and calibrates it, so every layer after it converges too', async () => {
  const model = kerasModel([
    ['Dense', { units: 128, activation: 'tanh', kernel_initializer: 'he_normal' }],
    ['Dense', { units: 128, activation: 'relu', kernel_initializer: 'zeros' }],
    ['Dense', { units: 128, activation: 'relu' }],
    ['Dense', { units: 10 }],
  ], [128]);
  const result = await runLsuv(model, { batch: 128, tolerance: 0.05, seed: 2 });
  assert.deepEqual(result.scales.map((scale) => scale.replacedConstant), [false, true, false, false]);
  for (const scale of result.scales) {
    assert.ok(scale.converged && scale.fanInScale > 0, `layer ${scale.index + 1}: Var ${scale.variance}, scale ${scale.fanInScale}`);
  }
});

test('a user sample from .npy (float32, float64) or .csv replaces the Gaussian batch', async () => {
  const rows = 12;
  const width = 8;
  const npy = (descr: string, bytesPer: number, write: (view: DataView, offset: number, value: number) => void) => {
    const header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${rows}, ${width}), }`.padEnd(118, ' ') + '\n';
    const bytes = new Uint8Array(10 + header.length + rows * width * bytesPer);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    new DataView(bytes.buffer).setUint16(8, header.length, true);
    bytes.set(new TextEncoder().encode(header), 10);
    const view = new DataView(bytes.buffer, 10 + header.length);
    for (let i = 0; i < rows * width; i++) write(view, i * bytesPer, i % 2 ? 2 : -2);
    return bytes;
  };
  const fromFloat32 = parseNpy(npy('<f4', 4, (view, offset, value) => view.setFloat32(offset, value, true)));
  const fromFloat64 = parseNpy(npy('<f8', 8, (view, offset, value) => view.setFloat64(offset, value, true)));
  const fromCsv = parseCsv(`a,b,c,d,e,f,g,h\n${Array.from({ length: rows }, () => '-2,2,-2,2,-2,2,-2,2').join('\n')}\n`);
  for (const sample of [fromFloat32, fromFloat64, fromCsv]) {
    assert.deepEqual(sample.shape, [rows, width]);
    const measured = await runProbe(resolve(mlp('keras', 1, width, 'linear', 'identity'), 'keras'), { sample, batch: 64 });
    assert.equal(measured.batch, rows);
    // Identity kernel: z is the sample itself, ±2 everywhere.
    assert.equal(measured.layers[0].forward, 4);
  }
  assert.throws(() => parseCsv('1,2\n3'), /row 2 has 1 values/);
});
