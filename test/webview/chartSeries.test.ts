/** The charts' series: predicted against measured, current against recommended, gaps where a log scale cannot go. */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PROBE_SETTINGS } from '../../src/protocol/panel';
import { fractionChart, momentChart } from '../../src/webview/chartSeries';
import type { PanelMeasurements } from '../../src/webview/results';
import { kerasMlp, panelOf } from './panels';

const panel = panelOf(kerasMlp([[128, 'relu', 'glorot_uniform'], [128, 'tanh', 'glorot_uniform'], [10, 'linear', 'zeros']]),
  { source: kerasMlp([[128, 'relu', 'he_uniform'], [128, 'tanh', 'glorot_uniform'], [10, 'linear', 'glorot_uniform']]), fixCount: 2 });

const measurements: PanelMeasurements = {
  summary: {
    backend: 'cpu', settings: DEFAULT_PROBE_SETTINGS, totalMs: 1, notes: [],
    layers: [
      { index: 0, forward: 0.66, backward: 0, deadFraction: 0.02, saturatedFraction: 0 },
      { index: 1, forward: 0.3, backward: 0, deadFraction: 0, saturatedFraction: 0.001 },
      { index: 2, forward: 0, backward: NaN, deadFraction: 0, saturatedFraction: 0 },
    ],
  },
  recommended: [
    { index: 0, forward: 2, backward: 0.1, deadFraction: 0, saturatedFraction: 0 },
    { index: 1, forward: 0.7, backward: 0.3, deadFraction: 0, saturatedFraction: 0.002 },
    { index: 2, forward: 0.4, backward: 1, deadFraction: 0, saturatedFraction: 0 },
  ],
  stale: false,
};

test('before a run: the predictions of the current and the recommended model, x = layer number', () => {
  const chart = momentChart('forward', panel);
  assert.deepEqual(chart.xs, [1, 2, 3]);
  assert.deepEqual(chart.series.map((series) => series.label), ['current: predicted', 'recommended: predicted']);
  assert.equal(chart.series[0].values[0], panel.report.layers[0].predicted.forward);
});

test('after a run: measured series beside the predicted ones; zeros and NaN are gaps on the log scale', () => {
  const forward = momentChart('forward', panel, measurements);
  assert.deepEqual(forward.series.map((series) => `${series.label} (${series.source})`),
    ['current: predicted (predicted)', 'current: measured (measured)', 'recommended: predicted (predicted)', 'recommended: measured (measured)']);
  assert.deepEqual(forward.series[1].values, [0.66, 0.3, null], 'the zero-initialized output layer measures 0: no point');
  assert.equal(forward.series[0].values[2], null, 'and is predicted 0');
  const backward = momentChart('backward', panel, measurements);
  assert.deepEqual(backward.series[1].values, [null, null, null], 'nothing flows back through a zero kernel');
  assert.deepEqual(backward.series[3].values, [0.1, 0.3, 1]);
});

test('zeros are listed for the bottom-edge marks; NaN is only a gap', () => {
  const forward = momentChart('forward', panel, measurements);
  assert.deepEqual(forward.series[1].zeros, [2], 'the output layer measured 0');
  assert.deepEqual(forward.series[0].zeros, [2], 'and predicted 0');
  const backward = momentChart('backward', panel, measurements);
  assert.deepEqual(backward.series[1].zeros, [0, 1], 'layer 3 measured NaN: not a zero');
  assert.deepEqual(backward.series[3].zeros, []);
});

test('a stale measurement (the source changed since) is named and flagged for grey; a fresh one is not', () => {
  const stale = momentChart('forward', panel, { ...measurements, stale: true });
  assert.deepEqual(stale.series.filter((series) => series.stale).map((series) => series.label), ['current: measured (stale: re-run)', 'recommended: measured (stale: re-run)']);
  assert.ok(stale.series.filter((series) => series.source === 'predicted').every((series) => !series.stale), 'predictions are of the model as it is now');
  assert.ok(momentChart('forward', panel, measurements).series.every((series) => !series.stale));
  assert.ok(fractionChart(panel, { ...measurements, stale: true }).series.filter((series) => series.source === 'measured').every((series) => series.stale));
});

test('a model without recommended fixes has only its own series', () => {
  const alone = { ...panel, recommended: undefined };
  assert.deepEqual(momentChart('forward', alone, measurements).series.map((series) => series.model), ['current', 'current']);
});

test('fractions: the prediction always; measured dead units and saturation only where some are non-zero', () => {
  const chart = fractionChart(panel, measurements);
  assert.deepEqual(chart.series.map((series) => series.label), [
    'current: predicted φ′ ≈ 0', 'current: measured dead units', 'current: measured saturated',
    'recommended: predicted φ′ ≈ 0', 'recommended: measured saturated',
  ]);
  assert.equal(chart.series[0].values[0], 0.5, 'half of a ReLU layer\'s values are 0');
  assert.deepEqual(chart.series[1].values, [0.02, 0, 0]);
});

test('several draws: the measured line gets its 10–90% band, upper edge then lower, with gaps where the log scale cannot go', () => {
  const band = (mean: number) => ({ mean, median: mean, p10: mean / 2, p90: mean * 2 });
  const spreadOf = (forward: number, backward: number) => ({ forward: band(forward), backward: band(backward), deadFraction: band(0), saturatedFraction: band(0) });
  const drawn: PanelMeasurements = {
    ...measurements,
    summary: { ...measurements.summary, layers: measurements.summary.layers.map((layer) => ({ ...layer, spread: spreadOf(layer.forward, layer.backward) })) },
  };
  const forward = momentChart('forward', { ...panel, recommended: undefined }, drawn);
  assert.deepEqual(forward.series.map((series) => [series.source, series.edge]), [['predicted', undefined], ['measured', undefined], ['band', 'p90'], ['band', 'p10']]);
  assert.deepEqual(forward.series[2].values, [1.32, 0.6, null]);
  assert.deepEqual(forward.series[3].values, [0.33, 0.15, null]);
  assert.equal(forward.series[2].label, 'current: measured, 10–90% of draws');
  assert.deepEqual(momentChart('forward', { ...panel, recommended: undefined }, measurements).series.map((series) => series.source), ['predicted', 'measured'],
    'one draw: no band');
});
