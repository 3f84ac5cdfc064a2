/**
 * Edits scoped to one model (the variance panel's "Apply fixes" and "Apply LSUV"): only that model's
 * findings are fixed, as one minimal replacement; LSUV edits follow the configured Keras version; notebooks
 * get the same per cell.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, mergeConfig } from '../../../src/core/config';
import { applyEdits } from '../../../src/core/text';
import { analyzeSource } from '../../../src/project/analyzeSource';
import { locateModel, modelFindings, modelFixEdits, modelLsuvEdits, notebookModelFixEdits, notebookModelLsuvEdits } from '../../../src/project/modelEdits';
import { analyzeNotebook } from '../../../src/project/analyzeNotebook';

const twoModels = `import keras
from keras import layers

encoder = keras.Sequential([keras.Input(shape=(64,))])
for _ in range(20):
    encoder.add(layers.Dense(64, activation="relu"))

decoder = keras.Sequential([
    keras.Input(shape=(64,)),
    layers.Dense(64, activation="tanh", kernel_initializer="zeros"),
    layers.Dense(64, activation="tanh", kernel_initializer="he_normal"),
    layers.Dense(8),
])
`;

const rulesOf = (text: string, modelIndex: number) => modelFindings(analyzeSource(text, 'model.py'), modelIndex).map((finding) => finding.rule);

test('each model owns the findings on its own layers', () => {
  assert.deepEqual(rulesOf(twoModels, 0), ['relu-glorot-deep']);
  assert.deepEqual(rulesOf(twoModels, 1), ['symmetric-init', 'saturating-he']);
  assert.deepEqual(rulesOf(twoModels, 2), []);
});

test('modelFixEdits fixes one model only, as one replacement of the changed region', () => {
  const decoder = modelFixEdits(twoModels, 'model.py', DEFAULT_CONFIG, 1);
  assert.equal(decoder.fixed, 2);
  assert.equal(decoder.edits.length, 1);
  const [edit] = decoder.edits;
  assert.equal(twoModels.slice(edit.span.start, edit.span.end), 'zeros"),\n    layers.Dense(64, activation="tanh", kernel_initializer="he');
  const fixed = applyEdits(twoModels, decoder.edits).text;
  assert.match(fixed, /Dense\(64, activation="tanh", kernel_initializer="glorot_uniform"\),\n {4}layers\.Dense\(64, activation="tanh", kernel_initializer="glorot_normal"\)/);
  assert.deepEqual(rulesOf(fixed, 1), []);
  assert.deepEqual(rulesOf(fixed, 0), ['relu-glorot-deep'], 'the encoder is not touched');

  const encoder = modelFixEdits(twoModels, 'model.py', DEFAULT_CONFIG, 0);
  assert.equal(encoder.fixed, 1);
  assert.deepEqual(rulesOf(applyEdits(twoModels, encoder.edits).text, 1), ['symmetric-init', 'saturating-he']);
  assert.deepEqual(modelFixEdits(applyEdits(twoModels, encoder.edits).text, 'model.py', DEFAULT_CONFIG, 0), { fixed: 0, edits: [] });
});

test('locateModel: the index while its name matches, else the name, else the index of a renamed model', () => {
  const analysis = analyzeSource(twoModels, 'model.py');
  assert.equal(locateModel(analysis, 1, 'decoder'), 1);
  assert.equal(locateModel(analysis, 0, 'decoder'), 1, 'a model inserted above moved it');
  assert.equal(locateModel(analysis, 1, 'renamed'), 1);
  assert.equal(locateModel(analysis, 5, 'gone'), undefined);
});

test('modelLsuvEdits writes the scales of one model, in the distribution exact for the configured Keras', () => {
  const scales = [{ index: 0, fanInScale: 1.7, converged: true }, { index: 2, fanInScale: 0.9, converged: true }];
  const modern = applyEdits(twoModels, modelLsuvEdits(twoModels, 'model.py', DEFAULT_CONFIG, 1, scales).edits).text;
  assert.match(modern, /layers\.Dense\(64, activation="tanh", kernel_initializer=keras\.initializers\.VarianceScaling\(scale=1\.7, mode="fan_in", distribution="truncated_normal"\)\)/);
  assert.match(modern, /layers\.Dense\(8, kernel_initializer=keras\.initializers\.VarianceScaling\(scale=0\.9, /);
  assert.match(modern, /encoder\.add\(layers\.Dense\(64, activation="relu"\)\)/, 'the encoder keeps its text');
  const legacy = modelLsuvEdits(twoModels, 'model.py', mergeConfig(DEFAULT_CONFIG, { frameworkVersion: { keras: '2.1.6', tfjs: '4' } }), 1, scales);
  assert.match(applyEdits(twoModels, legacy.edits).text, /VarianceScaling\(scale=1\.7, mode="fan_in", distribution="uniform"\)/);
  assert.deepEqual(modelLsuvEdits(twoModels, 'model.py', DEFAULT_CONFIG, 4, scales), { edits: [], notes: ['There is no model 5 in model.py.'], layersChanged: 0, constantLeft: [] });
});

/** A notebook of code cells (nbformat 4), with a markdown cell between them. */
function notebook(...cells: string[]): string {
  return JSON.stringify({
    cells: cells.map((source, index) => ({ cell_type: index === 1 ? 'markdown' : 'code', metadata: {}, source, ...(index === 1 ? {} : { outputs: [], execution_count: null }) })),
    metadata: {}, nbformat: 4, nbformat_minor: 5,
  }, null, 1);
}

const deepNotebook = notebook(
  'import keras\nfrom keras import layers\nDEPTH = 20',
  '## The model',
  '%time\nmodel = keras.Sequential([keras.Input(shape=(128,))])\nfor _ in range(DEPTH):\n    model.add(layers.Dense(128, activation="relu"))\nmodel.add(layers.Dense(10, kernel_initializer="zeros"))',
);

/** The notebook's cell sources with per-cell edits applied. */
function applyCellEdits(json: string, cells: { cell: number; edits: { span: { start: number; end: number }; newText: string }[] }[]): string {
  const parsed = JSON.parse(json) as { cells: { source: string }[] };
  for (const { cell, edits } of cells) parsed.cells[cell].source = applyEdits(parsed.cells[cell].source, edits).text;
  return JSON.stringify(parsed);
}

test('notebooks: the model\'s fixes as one edit in the cell they change, offsets within that cell', () => {
  const result = notebookModelFixEdits(deepNotebook, 'deep.ipynb', DEFAULT_CONFIG, 0);
  assert.equal(result.fixed, 1);
  assert.deepEqual(result.cells.map((entry) => entry.cell), [2]);
  const fixed = applyCellEdits(deepNotebook, result.cells);
  assert.match((JSON.parse(fixed) as { cells: { source: string }[] }).cells[2].source, /^%time\n.*\n.*\n {4}model\.add\(layers\.Dense\(128, activation="relu", kernel_initializer="he_uniform"\)\)\n/);
  assert.deepEqual(analyzeNotebook(fixed, 'deep.ipynb').analysis.findings, []);
});

test('notebooks: LSUV edits land in the model\'s cell, and the one import in the imports cell', () => {
  const json = notebook(
    'from keras import Sequential, Input\nfrom keras.layers import Dense',
    '',
    'model = Sequential([Input(shape=(8,))])\nfor _ in range(20):\n    model.add(Dense(8, activation="relu"))\nmodel.add(Dense(1))',
  );
  const scales = Array.from({ length: 21 }, (_, index) => ({ index, fanInScale: 2, converged: true }));
  const result = notebookModelLsuvEdits(json, 'n.ipynb', DEFAULT_CONFIG, 0, scales);
  assert.equal(result.layersChanged, 21);
  assert.deepEqual(result.cells.map((entry) => [entry.cell, entry.edits.length]), [[0, 1], [2, 2]]);
  assert.equal(result.cells[0].edits[0].newText, '\nfrom keras import initializers');
  const rescaled = analyzeNotebook(applyCellEdits(json, result.cells), 'n.ipynb');
  assert.deepEqual(rescaled.analysis.models[0].moments.map((moment) => (moment.variance ?? NaN) * 8), Array(21).fill(2));
});
