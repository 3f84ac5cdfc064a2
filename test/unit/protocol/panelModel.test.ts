/**
 * The variance panel's model: the model of the key (followed when it moves), its report and source lines,
 * the same model with its own fixes applied, and plain data that survives the JSON of postMessage.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG, mergeConfig } from '../../../src/core/config';
import { analyzeSource } from '../../../src/project/analyzeSource';
import { notebookPanelModel, panelModel } from '../../../src/protocol/panelModel';
import { layerRows } from '../../../src/webview/layerRows';
import { corpusFiles } from '../../corpus/files';

const key = (modelIndex: number, modelName: string) => ({ uri: 'file:///work/model.py', modelIndex, modelName });

const file = `import keras
from keras import layers

clean = keras.Sequential([keras.Input(shape=(16,)), layers.Dense(16, activation="relu", kernel_initializer="he_uniform"), layers.Dense(1)])

model = keras.Sequential([keras.Input(shape=(64,))])
for _ in range(20):
    model.add(layers.Dense(64, activation="relu"))
model.add(layers.Dense(64, activation="tanh", kernel_initializer="zeros"))
model.add(
    layers.Dense(10)
)
`;

test('the model of the key: its IR, report, 1-based source line per layer, and the configured threshold', () => {
  const panel = panelModel(file, 'model.py', mergeConfig(DEFAULT_CONFIG, { threshold: 1000 }), key(1, 'model'), 'src/model.py')!;
  assert.equal(panel.model.name, 'model');
  assert.equal(panel.shownPath, 'src/model.py');
  assert.equal(panel.threshold, 1000);
  assert.equal(panel.model.layers.length, 22);
  assert.deepEqual(panel.report.layers.map((layer) => layer.index), panel.model.layers.map((layer) => layer.index));
  assert.deepEqual(panel.layerLines, [...Array(20).fill(8), 9, 11]);
});

test('recommended: the same model with its own preferred fixes applied, re-analysed; absent for a clean model', () => {
  const panel = panelModel(file, 'model.py', DEFAULT_CONFIG, key(1, 'model'), 'model.py')!;
  assert.deepEqual(panel.report.layers.flatMap((layer) => layer.findings).sort(), [...Array(20).fill('relu-glorot-deep'), 'symmetric-init']);
  assert.equal(panel.report.worstChain?.status, 'vanishing');
  const { recommended } = panel;
  assert.ok(recommended);
  assert.equal(recommended.fixCount, 2, 'the loop body (one location for 20 layers) and the zeros');
  assert.deepEqual(recommended.report.layers.flatMap((layer) => layer.findings), []);
  assert.equal(recommended.report.worstChain?.status, 'stable');
  assert.deepEqual(recommended.report.layers.map((layer) => layer.initializer?.name), [...Array(20).fill('he_uniform'), 'glorot_uniform', 'glorot_uniform']);
  assert.equal(recommended.model.layers[20].initializers.kernel?.written?.value.kind, 'string');
  assert.equal(panelModel(file, 'model.py', DEFAULT_CONFIG, key(0, 'clean'), 'model.py')!.recommended, undefined);
});

test('the key follows its model: a model added above, a renamed model, a model that is gone', () => {
  const above = `import keras\nfirst = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(4)])\n${file.slice('import keras\n'.length)}`;
  assert.deepEqual(panelModel(above, 'model.py', DEFAULT_CONFIG, key(1, 'model'), 'model.py')!.key, key(2, 'model'));
  const renamed = panelModel(file.replaceAll('model', 'net'), 'model.py', DEFAULT_CONFIG, key(1, 'model'), 'model.py')!;
  assert.equal(renamed.model.name, 'net');
  assert.deepEqual(renamed.key, key(1, 'model'), 'the key keeps the name the panel was opened with');
  assert.equal(panelModel('import keras\n', 'model.py', DEFAULT_CONFIG, key(1, 'model'), 'model.py'), undefined);
});

test('tfjs: the recommended model corrects the truncated normals', () => {
  const code = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
for (let i = 0; i < 30; i++) model.add(tf.layers.dense({ units: 64, inputShape: [64], activation: 'relu', kernelInitializer: 'heNormal' }));
`;
  const panel = panelModel(code, 'model.ts', DEFAULT_CONFIG, key(0, 'model'), 'model.ts')!;
  assert.equal(panel.report.worstChain?.status, 'vanishing');
  assert.equal(panel.recommended?.fixCount, 1);
  assert.equal(panel.recommended?.report.worstChain?.status, 'stable');
  assert.deepEqual(new Set(panel.recommended?.report.layers.map((layer) => layer.initializer?.name)), new Set(['heUniform']));
});

test('notebooks: layer lines count within each layer\'s cell, named by layerCells', () => {
  const json = readFileSync(`${__dirname}/../../notebook/fixtures/deep_mlp.ipynb`, 'utf8');
  const panel = notebookPanelModel(json, 'deep_mlp.ipynb', DEFAULT_CONFIG, key(0, 'model'), 'deep_mlp.ipynb')!;
  assert.equal(panel.model.layers.length, 21);
  assert.deepEqual(panel.layerCells, Array(21).fill(3));
  assert.deepEqual(panel.layerLines, [...Array(20).fill(4), 5]);
  // The host's reveal: each Dense call's range within cell 3 (`!nvidia-smi` is line 0 there).
  assert.deepEqual(panel.layerRanges[0], { cell: 3, start: { line: 3, character: 14 }, end: { line: 3, character: 52 } });
  assert.deepEqual(panel.layerRanges[20], { cell: 3, start: { line: 4, character: 10 }, end: { line: 4, character: 26 } });
  assert.equal(panel.recommended?.fixCount, 1);
  assert.equal(panel.recommended?.report.worstChain?.status, 'stable');
});

/** Paths of everything JSON would not carry as it is: functions, Maps, class instances, non-finite numbers, cycles. */
function notPlainData(value: unknown, path = '', seen = new Set<object>()): string[] {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return [];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path} = ${value}`];
  if (typeof value !== 'object') return [`${path}: ${typeof value}`];
  if (seen.has(value)) return [`${path}: a cycle`];
  seen.add(value);
  const prototype = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return [`${path}: ${prototype.constructor.name}`];
  const problems = Object.entries(value).flatMap(([name, item]) =>
    item === undefined && !Array.isArray(value) ? [] : notPlainData(item, `${path}.${name}`, seen));
  seen.delete(value);
  return problems;
}

/** An open dimension (`Input(shape=(None, 71))`) is NaN in the IR and null after JSON; the probe fills both in. */
const OPEN_DIMENSION = /\.(inputShape|inputShapes\.\d+|outputShape|targetShape)\.\d+ = NaN$/;

test('every corpus model\'s panel is plain data: JSON keeps everything but optional keys left undefined and open dimensions', () => {
  let panels = 0;
  for (const path of corpusFiles.filter((name) => /\.(py|ts|js)$/.test(name))) {
    const text = readFileSync(path, 'utf8');
    analyzeSource(text, path).models.forEach(({ model }, index) => {
      const panel = panelModel(text, path, DEFAULT_CONFIG, { uri: path, modelIndex: index, modelName: model.name }, path)!;
      assert.deepEqual(notPlainData(panel).filter((problem) => !OPEN_DIMENSION.test(problem)), [], path);
      const json = JSON.stringify(panel);
      assert.equal(JSON.stringify(JSON.parse(json)), json);
      panels++;
    });
  }
  assert.ok(panels >= 20, `${panels} models`);
});

test('an overflowing prediction is the one thing JSON changes: report numbers become null, the IR stays exact', () => {
  const code = `import keras
model = keras.Sequential([keras.Input(shape=(512,))])
for _ in range(200):
    model.add(keras.layers.Dense(512, kernel_initializer=keras.initializers.RandomNormal(stddev=1.0)))
`;
  const panel = panelModel(code, 'model.py', DEFAULT_CONFIG, key(0, 'model'), 'model.py')!;
  const problems = notPlainData(panel);
  assert.ok(problems.length > 0 && problems.every((problem) => /^\.report\.(layers\.\d+\.(predicted\.(forward|backward)|gain)|worstChain\.(forward|backward)) = (Infinity|NaN)$/.test(problem)), problems.slice(0, 5).join('\n'));
  assert.deepEqual(notPlainData(panel.model), []);
  assert.deepEqual(notPlainData(panel.recommended), [], 'the recommended model (fixed-scale-init fixed) does not overflow');
  assert.equal((JSON.parse(JSON.stringify(panel)) as typeof panel).report.layers[199].predicted.forward, null);
});

test('the panel shows no fan for a layer whose width nothing states (its placeholder fan 1 is no fan)', () => {
  const code = `import * as tf from '@tensorflow/tfjs';\nexport function encoder(inputDim, hidden) {\n  const model = tf.sequential();\n  model.add(tf.layers.dense({units: hidden, inputShape: [inputDim], activation: 'relu'}));\n  model.add(tf.layers.dense({units: 4}));\n  return model;\n}\n`;
  const panel = panelModel(code, 'encoder.js', DEFAULT_CONFIG, { uri: 'file:///work/encoder.js', modelIndex: 0, modelName: 'model' }, 'encoder.js')!;
  assert.equal(panel.report.layers[0].widthUnknown, true);
  assert.deepEqual(layerRows(panel).map((row) => row.fanIn), [undefined, 4]);
});
