/** Reusing the last extraction and model analyses after an edit must give what a fresh analysis gives. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeExtracted } from '../../src/core/analyze';
import { ModelMemo } from '../../src/core/modelMemo';
import { analyzeSource } from '../../src/project/analyzeSource';
import { PythonExtractor } from '../../src/server/pythonExtractor';

const DEEP_RELU = `import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(64,))])
for _ in range(30):
    model.add(layers.Dense(64, activation=keras.activations.relu))
`;

/** One document's server-side path: the incremental extractor and a model memo, checked against a fresh analysis. */
function editor() {
  const extractor = new PythonExtractor();
  const memo = new ModelMemo();
  return (text: string) => {
    const extracted = extractor.extract(text);
    const analysis = analyzeExtracted(text, extracted, undefined, memo);
    const fresh = analyzeSource(text, 'model.py');
    assert.deepEqual(analysis.findings, fresh.findings);
    assert.equal(analysis.suppressedCount, fresh.suppressedCount);
    assert.deepEqual(extracted.comments, fresh.extracted.comments);
    return { extracted, analysis };
  };
}

test('comments typed after the code keep the models and their findings, and still suppress', () => {
  const analyse = editor();
  const first = analyse(DEEP_RELU);
  assert.ok(first.analysis.findings.length > 0);
  let text = DEEP_RELU;
  for (const character of '# notes\n\n# initlint-disable-file\n') {
    text += character;
    const next = analyse(text);
    assert.equal(next.extracted.models[0], first.extracted.models[0], 'the RawModel read before the edit is reused');
  }
  assert.equal(analyse(text).analysis.findings.length, 0);
});

test('a quote typed after the code changes the quotes fixes write, so the findings are recomputed', () => {
  const analyse = editor();
  const before = analyse(DEEP_RELU);
  const after = analyse(`${DEEP_RELU}# the "relu" layers\n`);
  assert.equal(after.extracted.models[0], before.extracted.models[0]);
  assert.notEqual(after.analysis.findings[0].fixes[0].edits[0].newText, before.analysis.findings[0].fixes[0].edits[0].newText);
});

test('an edit to a statement reads the file again', () => {
  const analyse = editor();
  const before = analyse(DEEP_RELU);
  const after = analyse(DEEP_RELU.replace('range(30)', 'range(3)'));
  assert.notEqual(after.extracted.models[0], before.extracted.models[0]);
  const restored = analyse(`${DEEP_RELU.replace('range(30)', 'range(3)')}model.add(layers.Dense(8))\n`);
  assert.notEqual(restored.extracted.models[0], after.extracted.models[0]);
});
