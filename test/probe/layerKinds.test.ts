/**
 * Every layer kind the core extracts builds and measures: a small model per kind, its measured forward
 * and backward finite, and each kernel layer fed by Gaussian inputs within ×1.5 of the prediction.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { propagate } from '../../src/core/propagation';
import type { Model } from '../../src/core/model';
import { runProbe } from '../../src/probe/engine';
import { UnsupportedLayerError } from '../../src/probe/plan';
import { call, resolve } from '../helpers/rawModels';
import { kerasModel, probeBackend, tfjsModel, tuple } from './models';

before(probeBackend);

/** Runs the probe; checks finiteness everywhere and agreement on the layers listed (0-based). */
async function probeAgrees(model: Model, agreeing: number[], factor = 1.5) {
  const predicted = propagate(model);
  const measured = await runProbe(model, { batch: 32, seed: 3 });
  for (const layer of measured.layers) {
    assert.ok(Number.isFinite(layer.forward) && layer.forward > 0, `layer ${layer.index + 1} forward ${layer.forward}`);
    assert.ok(Number.isFinite(layer.backward) && layer.backward > 0, `layer ${layer.index + 1} backward ${layer.backward}`);
  }
  for (const index of agreeing) {
    const ratio = measured.layers[index].forward / predicted[index].q;
    assert.ok(ratio < factor && ratio > 1 / factor, `${model.layers[index].className} forward ×${ratio.toFixed(3)} of predicted ${predicted[index].q}`);
  }
  return measured;
}

test('Conv1D (valid, causal), Conv2D (same, strided), Conv3D', async () => {
  await probeAgrees(kerasModel([
    ['Conv1D', { filters: 32, kernel_size: 3, activation: 'relu', kernel_initializer: 'he_normal' }],
    ['Conv1D', { filters: 32, kernel_size: 5, padding: 'causal' }],
  ], [40, 16]), [0, 1]);
  await probeAgrees(kerasModel([
    ['Conv2D', { filters: 32, kernel_size: 3, padding: 'same', activation: 'relu' }],
    ['Conv2D', { filters: 16, kernel_size: tuple(3, 3), strides: 2 }],
  ], [16, 16, 8]), [0]);
  await probeAgrees(tfjsModel([['conv3d', { filters: 8, kernelSize: 3, activation: 'tanh' }]], [8, 8, 8, 4]), [0]);
});

test('Conv2DTranspose, SeparableConv2D and DepthwiseConv2D use the signal fans, not the frameworks\'', async () => {
  await probeAgrees(kerasModel([['Conv2DTranspose', { filters: 16, kernel_size: 3, strides: 2, padding: 'same' }]], [8, 8, 32]), [0], 1.6);
  await probeAgrees(kerasModel([['SeparableConv2D', { filters: 32, kernel_size: 3, depth_multiplier: 2 }]], [12, 12, 16]), [0]);
  await probeAgrees(tfjsModel([['depthwiseConv2d', { kernelSize: 3, depthMultiplier: 2 }]], [12, 12, 16]), [0]);
});

test('SimpleRNN on one step matches the zero-state prediction; GRU and LSTM run over a sequence', async () => {
  await probeAgrees(kerasModel([['SimpleRNN', { units: 256 }], ['Dense', { units: 64 }]], [1, 256]), [0, 1]);
  const gru = await probeAgrees(kerasModel([['GRU', { units: 32, return_sequences: true }], ['LSTM', { units: 32 }]], [6, 16]), []);
  assert.equal(gru.layers.length, 2);
  await probeAgrees(tfjsModel([['lstm', { units: 32 }]], [4, 16]), []);
});

test('Embedding, Flatten, pooling, Dropout and normalization', async () => {
  await probeAgrees(kerasModel([
    ['Embedding', { input_dim: 1000, output_dim: 64 }], ['Flatten'], ['Dropout', { rate: 0.5 }], ['Dense', { units: 32 }],
  ], [10]), [0, 3]);
  const normalized = await probeAgrees(kerasModel([
    ['Conv2D', { filters: 32, kernel_size: 3, kernel_initializer: 'RandomNormal' }], ['BatchNormalization'],
    ['MaxPooling2D'], ['AveragePooling2D', { pool_size: 2 }], ['GroupNormalization', { groups: 8 }],
    ['GlobalAveragePooling2D'], ['LayerNormalization'], ['Dense', { units: 16 }],
  ], [18, 18, 3]), [0, 7]);
  for (const index of [1, 4, 6]) assert.ok(Math.abs(normalized.layers[index].forward - 1) < 0.05, `normalization layer ${index + 1}: ${normalized.layers[index].forward}`);
});

test('Add sums independent branches and Concatenate averages them by width', async () => {
  const dense = (units: number, inputs: number[]) => ({ call: call('keras.layers.Dense', { units }), inputs });
  const model = resolve({
    name: 'branches', style: 'functional', span: { start: 0, end: 0 },
    layers: [dense(256, []), dense(256, [0]), dense(256, [0]), { call: call('keras.layers.Add'), inputs: [1, 2] },
      { call: call('keras.layers.Concatenate'), inputs: [1, 3] }, dense(64, [4])],
    inputShape: { span: { start: 0, end: 0 }, value: tuple(256) },
  }, 'keras');
  await probeAgrees(model, [0, 1, 2, 3, 4, 5]);
});

test('an unsupported layer stops the probe with its name', async () => {
  const model = kerasModel([['Dense', { units: 8 }], ['Conv2D', { filters: 4, kernel_size: 3, groups: 2 }]], [8]);
  await assert.rejects(runProbe(model), (error: Error) => error instanceof UnsupportedLayerError && /layer 2 \(Conv2D\)/.test(error.message));
  const unknown = kerasModel([['Dense', { units: 8 }], ['Bidirectional', {}]], [8]);
  await assert.rejects(runProbe(unknown), /layer 2 \(Bidirectional\): layer kind 'unknown' is not supported/);
});
