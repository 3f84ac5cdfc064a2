/** The words under a log chart for the zeros it marks on its bottom edge. */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChartSeries } from '../../src/webview/chartSeries';
import { zerosNote } from '../../src/webview/chartZeros';

const series = (label: string, zeros: number[]): ChartSeries => ({ label, model: 'current', quantity: 'backward', source: 'measured', values: [], zeros });

test('runs of layers read as ranges, scattered ones as lists, one layer as itself; none: no note', () => {
  const xs = [1, 2, 3, 4, 5, 6];
  assert.equal(zerosNote({ xs, series: [series('current: measured', [0, 1, 2, 3]), series('current: predicted', [4])] }),
    'Exactly 0, marked ▼ on the bottom edge: current: measured at layers 1–4; current: predicted at layer 5.');
  assert.equal(zerosNote({ xs, series: [series('recommended: measured', [1, 3, 5])] }), 'Exactly 0, marked ▼ on the bottom edge: recommended: measured at layers 2, 4, 6.');
  assert.equal(zerosNote({ xs, series: [series('current: measured', [])] }), undefined);
});
