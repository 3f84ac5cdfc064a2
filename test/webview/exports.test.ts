/** The panel's JSON and Markdown exports: what a saved report holds, before and after a run. */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PROBE_SETTINGS } from '../../src/protocol/panel';
import { jsonExport, markdownExport } from '../../src/webview/exports';
import type { PanelMeasurements } from '../../src/webview/results';
import { kerasMlp, panelOf } from './panels';

const written = kerasMlp([[128, 'relu', 'glorot_uniform'], [128, 'relu', 'glorot_uniform'], [10, 'linear', 'glorot_uniform']]);
const fixed = kerasMlp([[128, 'relu', 'he_uniform'], [128, 'relu', 'he_uniform'], [10, 'linear', 'glorot_uniform']]);
const panel = panelOf(written, { source: fixed, fixCount: 2 });

const measurements: PanelMeasurements = {
  summary: {
    backend: 'webgl',
    renderer: 'ANGLE (SwiftShader)',
    settings: { ...DEFAULT_PROBE_SETTINGS, seed: 7 },
    totalMs: 1234,
    layers: [
      { index: 0, forward: 0.67, backward: 0.035, deadFraction: 0, saturatedFraction: 0 },
      { index: 1, forward: 0.21, backward: 0.6, deadFraction: 0.02, saturatedFraction: 0 },
      { index: 2, forward: NaN, backward: 1, deadFraction: 0, saturatedFraction: 0 },
    ],
    notes: ['batch reduced from 128 to 64 to stay within the 512 MiB memory budget'],
  },
  recommended: [
    { index: 0, forward: 2.05, backward: 0.07, deadFraction: 0, saturatedFraction: 0 },
    { index: 1, forward: 1.95, backward: 0.07, deadFraction: 0, saturatedFraction: 0 },
    { index: 2, forward: 1.8, backward: 1, deadFraction: 0, saturatedFraction: 0 },
  ],
  stale: false,
};

test('JSON: the run summary as the host received it, the predictions, and the recommended model beside them', () => {
  const exported = JSON.parse(jsonExport(panel, measurements));
  assert.equal(exported.version, 1);
  assert.equal(exported.model, 'mlp');
  assert.equal(exported.path, 'mlp.py');
  assert.equal(exported.framework, 'keras');
  assert.equal(exported.run.backend, 'webgl');
  assert.equal(exported.run.stale, false);
  assert.deepEqual(exported.run.settings, measurements.summary.settings);
  assert.deepEqual(exported.run.notes, measurements.summary.notes);
  assert.equal(exported.layers.length, 3);
  assert.deepEqual(exported.layers[0], {
    index: 0, className: 'Dense', activation: 'relu', initializer: 'glorot_uniform', fanIn: 64, line: 6,
    predicted: panel.report.layers[0].predicted,
    measured: { forward: 0.67, backward: 0.035, deadFraction: 0, saturatedFraction: 0 },
  });
  assert.equal(exported.layers[2].measured.forward, null, 'NaN has no JSON form: null');
  assert.equal(exported.recommended.fixCount, 2);
  assert.equal(exported.recommended.layers[0].initializer, 'he_uniform');
  assert.equal(exported.recommended.layers[1].measured.forward, 1.95);
});

test('JSON before any run: predictions only', () => {
  const exported = JSON.parse(jsonExport(panel));
  assert.equal(exported.run, null);
  assert.ok(exported.layers.every((layer: { measured: unknown }) => layer.measured === null));
  assert.ok(exported.recommended.layers.every((layer: { measured: unknown }) => layer.measured === null));
});

test('Markdown: the run line, one table row per layer with predicted and measured, the recommended table, the notes', () => {
  const markdown = markdownExport(panel, measurements);
  const lines = markdown.split('\n');
  assert.equal(lines[0], '# Variance check: mlp');
  assert.match(markdown, /Measured with TensorFlow\.js on webgl \(ANGLE \(SwiftShader\)\): batch 128, seed 7, 8 weight draws \(mean \[10–90% band\]\), memory budget 512 MiB, 1\.23 s\./);
  const header = lines.findIndex((line) => line.startsWith('| # | layer |'));
  assert.ok(header > 0);
  assert.match(lines[header + 1], /^\| ---: \| --- \| --- \| --- \| ---: /);
  assert.equal(lines[header + 2], '| 1 | Dense (line 6) | relu | glorot_uniform | 64 | 0.667 | 0.67 | 0.0362 | 0.035 | 50% | 0% | 0% |');
  assert.match(lines[header + 4], /\| not finite \|/);
  assert.match(markdown, /## With the recommended fixes \(2\)/);
  assert.ok(lines.includes('| 1 | Dense (line 6) | relu | he_uniform | 64 | 2 | 2.05 | 0.0725 | 0.07 | 50% | 0% | 0% |'), markdown);
  assert.match(markdown, /## Notes\n\n- batch reduced from 128 to 64/);
});

test('several draws: JSON keeps each layer\'s spread, Markdown shows mean and band', () => {
  const band = (mean: number) => ({ mean, median: mean, p10: mean * 0.8, p90: mean * 1.25 });
  const drawn: PanelMeasurements = {
    ...measurements,
    summary: {
      ...measurements.summary,
      layers: measurements.summary.layers.map((layer) => ({
        ...layer, spread: { forward: band(layer.forward), backward: band(layer.backward), deadFraction: band(layer.deadFraction), saturatedFraction: band(0) },
      })),
    },
  };
  const exported = JSON.parse(jsonExport(panel, drawn));
  assert.deepEqual(exported.layers[0].measured.spread.forward, { mean: 0.67, median: 0.67, p10: 0.536, p90: 0.8375 });
  assert.deepEqual(exported.run.layers[1].spread.deadFraction, { mean: 0.02, median: 0.02, p10: 0.016, p90: 0.025 });
  const markdown = markdownExport(panel, drawn);
  assert.ok(markdown.includes('| 1 | Dense (line 6) | relu | glorot_uniform | 64 | 0.667 | 0.67 [0.536–0.838] | 0.0362 | 0.035 [0.028–0.0438] | 50% | 0% [0%–0%] | 0% [0%–0%] |'), markdown);
  assert.match(markdown, /\| 2% \[1\.6%–2\.5%\] \|/);
});

test('Markdown marks a measurement more than ×1.5 away from the prediction with the ratio, and stale runs as stale', () => {
  const off: PanelMeasurements = { ...measurements, stale: true, summary: { ...measurements.summary, layers: [{ ...measurements.summary.layers[0], forward: 2.01 }] } };
  const markdown = markdownExport(panel, off);
  assert.match(markdown, /\| 0\.667 \| 2\.01 \(×3\.01\) \|/);
  assert.match(markdown, /these measurements are stale/);
});

test('Markdown before any run says so, and a pipe in a note cannot break the table', () => {
  assert.match(markdownExport(panel), /Not measured yet: predictions only\./);
  const withPipe: PanelMeasurements = { ...measurements, summary: { ...measurements.summary, notes: ['a | b'] } };
  assert.match(markdownExport(panel, withPipe), /- a \\\| b/);
});

test('a notebook\'s layers name their cell: `cell` in JSON, `cell N:line` in Markdown', () => {
  const inNotebook = { ...panel, layerCells: panel.layerLines.map(() => 2) };
  const exported = JSON.parse(jsonExport(inNotebook));
  assert.equal(exported.layers[0].cell, 2);
  assert.equal(exported.layers[0].line, 6);
  assert.equal(JSON.parse(jsonExport(panel)).layers[0].cell, undefined, 'files have no cells');
  assert.match(markdownExport(inNotebook), /\| 1 \| Dense \(cell 3:6\) \| relu \|/, 'cell index 2 is the third cell');
});
