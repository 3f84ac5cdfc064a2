/** Incremental reparsing while typing must extract exactly what a fresh parse extracts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractPython } from '../../src/frontends/python';
import { changedRange, PythonExtractor } from '../../src/server/pythonExtractor';

const MODEL = `import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(64,))])
for _ in range(12):
    model.add(layers.Dense(64, activation="relu"))
`;

test('the changed range is the span between common prefix and suffix', () => {
  assert.deepEqual(changedRange('abcXYZdef', 'abcQdef'), { fromA: 3, toA: 6, fromB: 3, toB: 4 });
  assert.deepEqual(changedRange('abc', 'abc'), { fromA: 3, toA: 3, fromB: 3, toB: 3 });
});

test('typing a model character by character extracts what a fresh parse does', () => {
  const extractor = new PythonExtractor();
  const edit = '    model.add(layers.Dense(32, activation="tanh", kernel_initializer="he_normal"))  # typed\n';
  let text = MODEL;
  extractor.extract(text);
  for (const character of edit) {
    text += character;
    assert.deepEqual(extractor.extract(text), extractPython(text));
  }
  text = text.replace('range(12)', 'range(3)');
  assert.deepEqual(extractor.extract(text), extractPython(text));
});
