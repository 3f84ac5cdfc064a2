/** Suppression comments and configuration change what is reported, never what is computed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, rules } from '../../helpers/snippets';

const zeros = (comment = '') => `import keras
model = keras.Sequential([
    keras.layers.Dense(8, activation="relu", input_shape=(8,), kernel_initializer="zeros"),${comment}
    keras.layers.Dense(1),
])
`;

test('initlint-disable-line with and without rule ids', () => {
  assert.deepEqual(rules(zeros('  # initlint-disable-line symmetric-init')), []);
  assert.deepEqual(rules(zeros('  # initlint-disable-line')), []);
  assert.deepEqual(rules(zeros('  # initlint-disable-line relu-glorot-deep')), ['symmetric-init']);
});

test('initlint-disable-next-line and initlint-disable-file, with a reason after --', () => {
  const nextLine = zeros().replace('    keras.layers.Dense(8,', '    # initlint-disable-next-line symmetric-init -- zero init is intended here\n    keras.layers.Dense(8,');
  assert.deepEqual(rules(nextLine), []);
  assert.deepEqual(rules(`# initlint-disable-file symmetric-init\n${zeros()}`), []);
});

test('JS and TS comments suppress the same way', () => {
  const code = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({units: 8, inputShape: [8], kernelInitializer: 'zeros'})); // initlint-disable-line symmetric-init
/* initlint-disable-next-line */
model.add(tf.layers.dense({units: 8, kernelInitializer: 'ones'}));
model.add(tf.layers.dense({units: 1}));
`;
  assert.deepEqual(rules(code, 'model.ts'), []);
  // Without the comments both hidden layers are reported: the comments, not the front end, hide them.
  const bare = code.replace(' // initlint-disable-line symmetric-init', '').replace('/* initlint-disable-next-line */\n', '');
  assert.deepEqual(rules(bare, 'model.ts'), ['symmetric-init', 'symmetric-init']);
});

test('configuration: a rule off, a rule raised to error, and the threshold', () => {
  const deep = `import keras
model = keras.Sequential([keras.Input(shape=(64,))])
for _ in range(8):
    model.add(keras.layers.Dense(64, activation="relu"))
`;
  // 0.5^8 = 3.9e-3: vanishing at T = 100, fine at T = 1000.
  assert.deepEqual(rules(deep), ['relu-glorot-deep']);
  assert.deepEqual(rules(deep, 'model.py', { threshold: 1000 }), []);
  assert.deepEqual(rules(deep, 'model.py', { rules: { 'relu-glorot-deep': 'off' } }), []);
  assert.equal(findings(deep, 'model.py', { rules: { 'relu-glorot-deep': 'error' } })[0].severity, 'error');
});
