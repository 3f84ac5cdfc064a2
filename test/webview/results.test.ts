/** From the probe's results to the panel's messages: the run summary, progress, LSUV scales, failures. */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LsuvResult, ProbeResult } from '../../src/probe';
import { DEFAULT_PROBE_SETTINGS } from '../../src/protocol/panel';
import { assembleMeasurements, failureMessage, isCancellation, lsuvScales, progressFraction, progressText } from '../../src/webview/results';

/** A probe result of `draws` draws whose forward values are spread ±10% around `forwards`. */
function probeResult(forwards: number[], notes: string[] = [], draws = 1): ProbeResult {
  const spread = (mean: number, relative: number) => ({ mean, median: mean, p10: mean * (1 - relative), p90: mean * (1 + relative) });
  return {
    model: 'mlp', backend: 'webgl', batch: 64, seed: 0, draws, seeds: Array.from({ length: draws }, (_, k) => k), inputShape: [64], inputShapeAssumed: false,
    estimatedBytes: 1, parameterCount: 1, flopsPerSample: 1,
    timings: { buildMs: 1, passMs: 1, drawMs: Array(draws).fill(2) },
    layers: forwards.map((forward, index) => ({
      index, kind: 'dense', className: 'Dense', forward, outputMoment: forward / 2, backward: 1, deadFraction: 0.01 * index, saturatedFraction: 0, weightGradientNorm: 1,
      spread: {
        forward: spread(forward, draws > 1 ? 0.1 : 0), backward: spread(1, 0), deadFraction: spread(0.01 * index, 0), saturatedFraction: spread(0, 0),
      },
    })),
    notes,
  };
}

test('the summary carries the requested settings, the measured rows, and every note once', () => {
  const settings = { ...DEFAULT_PROBE_SETTINGS, batch: 128 };
  const measurements = assembleMeasurements({
    backend: 'webgl', renderer: 'SwiftShader', settings, totalMs: 900,
    current: probeResult([1, 0.5], ['batch reduced from 128 to 64 to stay within the 512 MiB memory budget']),
    recommended: probeResult([1, 1], ['batch reduced from 128 to 64 to stay within the 512 MiB memory budget', 'input shape assumed: [64]']),
    backendNotes: ['webgpu: no WebGPU adapter; measured on webgl'],
  });
  assert.deepEqual(measurements.summary, {
    backend: 'webgl', renderer: 'SwiftShader', settings, totalMs: 900,
    layers: [
      { index: 0, forward: 1, backward: 1, deadFraction: 0, saturatedFraction: 0 },
      { index: 1, forward: 0.5, backward: 1, deadFraction: 0.01, saturatedFraction: 0 },
    ],
    notes: [
      'webgpu: no WebGPU adapter; measured on webgl',
      'batch reduced from 128 to 64 to stay within the 512 MiB memory budget',
      'recommended model: input shape assumed: [64]',
    ],
  });
  assert.deepEqual(measurements.recommended?.map((layer) => layer.forward), [1, 1]);
  assert.equal(measurements.stale, false);
});

test('several draws: each measured row carries the spread of its quantities; one draw carries none', () => {
  const measurements = assembleMeasurements({ backend: 'wasm', settings: DEFAULT_PROBE_SETTINGS, totalMs: 5, current: probeResult([2, 1], [], 8), backendNotes: [] });
  assert.deepEqual(measurements.summary.layers[0].spread?.forward, { mean: 2, median: 2, p10: 1.8, p90: 2.2 });
  assert.deepEqual(Object.keys(measurements.summary.layers[1].spread ?? {}), ['forward', 'backward', 'deadFraction', 'saturatedFraction']);
  const single = assembleMeasurements({ backend: 'wasm', settings: { ...DEFAULT_PROBE_SETTINGS, draws: 1 }, totalMs: 5, current: probeResult([2, 1]), backendNotes: [] });
  assert.equal(single.summary.layers[0].spread, undefined);
});

test('a recommended model that could not be measured is a note, not a failed run', () => {
  const measurements = assembleMeasurements({
    backend: 'cpu', settings: DEFAULT_PROBE_SETTINGS, totalMs: 10, current: probeResult([1]), recommendedFailure: 'The probe failed: out of memory.', backendNotes: [],
  });
  assert.equal(measurements.recommended, undefined);
  assert.equal(measurements.summary.renderer, undefined);
  assert.deepEqual(measurements.summary.notes, ['recommended model not measured: The probe failed: out of memory.']);
});

test('progress runs through build, forward and backward (last layer first), current model then recommended', () => {
  const layers = 4;
  assert.equal(progressFraction({ phase: 'build', layer: 0, layers }, 'current', false), 0);
  assert.equal(progressFraction({ phase: 'forward', layer: 0, layers }, 'current', false), 1 / 3);
  assert.equal(progressFraction({ phase: 'backward', layer: 3, layers }, 'current', false), 2 / 3);
  assert.equal(progressFraction({ phase: 'backward', layer: 0, layers }, 'current', false), 11 / 12);
  assert.equal(progressFraction({ phase: 'build', layer: 0, layers }, 'recommended', true), 0.5);
  assert.equal(progressFraction({ phase: 'lsuv', layer: 2, layers }, 'current', false), 0.5);
  assert.equal(progressText({ phase: 'backward', layer: 2, layers }, 'recommended', true), 'Recommended model: backward pass, layer 3 of 4');
  assert.equal(progressText({ phase: 'forward', layer: 0, layers }, 'current', false), 'forward pass, layer 1 of 4');
});

test('with several draws, progress runs through the draws in turn and names the draw', () => {
  const layers = 4;
  assert.equal(progressFraction({ phase: 'build', layer: 0, layers, draw: 0, draws: 8 }, 'current', false), 0);
  assert.equal(progressFraction({ phase: 'build', layer: 0, layers, draw: 4, draws: 8 }, 'current', false), 0.5);
  assert.equal(progressFraction({ phase: 'forward', layer: 0, layers, draw: 1, draws: 2 }, 'current', false), (1 + 1 / 3) / 2);
  assert.equal(progressFraction({ phase: 'build', layer: 0, layers, draw: 1, draws: 2 }, 'recommended', true), 0.75);
  assert.equal(progressText({ phase: 'forward', layer: 1, layers, draw: 2, draws: 8 }, 'current', false), 'draw 3 of 8, forward pass, layer 2 of 4');
});

test('LSUV scales go to the host when positive; a constant kernel calibrated from a random start, a silent layer and a recurrent one become notes', () => {
  const result: LsuvResult = {
    backend: 'wasm', batch: 64,
    scales: [
      { index: 0, className: 'Dense', multiplier: 1.2, weightVariance: 0.02, fanInScale: 1.02, iterations: 2, variance: 1.01, converged: true, replacedConstant: false },
      { index: 1, className: 'Dense', multiplier: 1, weightVariance: 0, fanInScale: 0, iterations: 0, variance: 0, converged: false, replacedConstant: false },
      { index: 2, className: 'Dense', multiplier: 3, weightVariance: 0.03, fanInScale: 1.9, iterations: 10, variance: 1.2, converged: false, replacedConstant: false },
      { index: 3, className: 'Dense', multiplier: 1.4, weightVariance: 0.008, fanInScale: 2.05, iterations: 3, variance: 1.02, converged: true, replacedConstant: true },
    ],
    skipped: [{ index: 4, className: 'LSTM', reason: 'recurrent layers are not rescaled' }],
  };
  const { scales, notes } = lsuvScales(result);
  assert.deepEqual(scales, [{ index: 0, fanInScale: 1.02, converged: true }, { index: 2, fanInScale: 1.9, converged: false }, { index: 3, fanInScale: 2.05, converged: true }]);
  assert.equal(notes.length, 3);
  assert.match(notes[0], /^layer 2 \(Dense\): no scale makes Var\(z\) = 1/);
  assert.match(notes[1], /^layer 4 \(Dense\): its kernel is constant, which no scale can fix; calibrated from a random fan_in normal instead/);
  assert.equal(notes[2], 'layer 5 (LSTM): recurrent layers are not rescaled');
});

test('failures read as the panel shows them: cancellation, the probe\'s own refusals, anything else', () => {
  const named = (name: string, message: string) => Object.assign(new Error(message), { name });
  assert.equal(failureMessage(named('AbortError', 'the probe was cancelled')), 'Cancelled.');
  assert.ok(isCancellation(named('AbortError', 'x')));
  assert.equal(failureMessage(named('UnsupportedLayerError', 'the probe cannot build layer 3 (Lambda): custom code')), 'The probe cannot build layer 3 (Lambda): custom code.');
  assert.match(failureMessage(named('ProbeRefusedError', 'the probe needs about 900 MiB')), /^The probe needs about 900 MiB/);
  assert.equal(failureMessage(new TypeError('x is undefined')), 'The probe failed: x is undefined.');
  assert.equal(failureMessage('lost context'), 'The probe failed: lost context.');
  // The panel appends "The analytic prediction still shows.": a message never runs into it.
  assert.equal(failureMessage(named('UnsupportedLayerError', 'its kernel initializer cannot be resolved from the source')), 'Its kernel initializer cannot be resolved from the source.');
  assert.equal(failureMessage(named('ProbeRefusedError', 'the batch does not fit.')), 'The batch does not fit.');
});
