/** "Disable <rule> for this file": the directive lands where it counts and silences only that rule. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../../src/core/text';
import { analyzeSource } from '../../../src/project/analyzeSource';
import { disableFileEdit } from '../../../src/project/suppressionEdits';

const DEEP = `import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(64,))])
for _ in range(30):
    model.add(layers.Dense(64, activation="relu"))
`;

const disabled = (text: string, language: 'python' | 'javascript', rule: 'relu-glorot-deep' | 'symmetric-init' = 'relu-glorot-deep') =>
  applyEdits(text, [disableFileEdit(text, rule, language)]).text;

test('a Python file gets the directive on its first line, and the finding is gone', () => {
  assert.deepEqual(analyzeSource(DEEP, 'deep.py').findings.map((finding) => finding.rule), ['relu-glorot-deep']);
  const text = disabled(DEEP, 'python');
  assert.equal(text.split('\n')[0], '# initlint-disable-file relu-glorot-deep');
  assert.deepEqual(analyzeSource(text, 'deep.py').findings, []);
});

test('a shebang and a PEP 263 encoding line stay first', () => {
  const text = disabled(`#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n${DEEP}`, 'python');
  assert.deepEqual(text.split('\n').slice(0, 4), ['#!/usr/bin/env python', '# -*- coding: utf-8 -*-', '# initlint-disable-file relu-glorot-deep', 'import keras']);
});

test('a directive already at the top gets one more rule id', () => {
  const text = disabled(`# initlint-disable-file symmetric-init\n${DEEP}`, 'python');
  assert.equal(text.split('\n')[0], '# initlint-disable-file symmetric-init, relu-glorot-deep');
  assert.deepEqual(analyzeSource(text, 'deep.py').findings, []);
});

test('JavaScript gets a // comment after its shebang, with the file\'s line breaks', () => {
  const script = "#!/usr/bin/env node\r\nimport * as tf from '@tensorflow/tfjs';\r\n";
  assert.equal(disabled(script, 'javascript', 'symmetric-init'), "#!/usr/bin/env node\r\n// initlint-disable-file symmetric-init\r\nimport * as tf from '@tensorflow/tfjs';\r\n");
});
