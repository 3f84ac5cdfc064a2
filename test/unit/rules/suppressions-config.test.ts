/** Suppression comments and configuration change what is reported, never what is computed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, rules } from '../../helpers/snippets';

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

test('an unknown rule id in a suppression comment is a finding of its own, on the id, with the near id as a fix', () => {
  const code = zeros('  # initlint-disable-line symetric-init -- typo');
  const found = findings(code);
  assert.deepEqual(found.map((finding) => finding.rule), ['symmetric-init', 'unknown-suppression']);
  const unknown = found[1];
  assert.equal(unknown.at, 'symetric-init');
  assert.equal(unknown.severity, 'warning');
  assert.equal(unknown.message, "'symetric-init' is not an InitLint rule id, so this comment suppresses nothing for it; did you mean 'symmetric-init'?");
  // The fix is offered, never applied by --fix on its own (it would start hiding a finding).
  assert.equal(unknown.finding.fixes[0].preferred, false);
  assert.deepEqual(rules(applyFix(code, unknown.finding)), []);
  // A cut-short id is near too; a known id next to an unknown one still suppresses.
  assert.match(findings(zeros('  # initlint-disable-line relu-glorot'))[1].message, /did you mean 'relu-glorot-deep'\?$/);
  // Swapped neighbours are one edit each, as in the misspelled-keyword rule: two swaps are still a typo.
  assert.match(findings(zeros('  # initlint-disable-line smymetric-iint'))[1].message, /did you mean 'symmetric-init'\?$/);
  assert.deepEqual(rules(zeros('  # initlint-disable-line symmetric-init, bogus')), ['unknown-suppression']);
});

test('unknown ids in JS/TS comments and in file-wide directives; nothing near, no fix; the rule can be turned off', () => {
  const code = `import * as tf from '@tensorflow/tfjs';
/* initlint-disable-file completely-made-up */
const model = tf.sequential();
model.add(tf.layers.dense({units: 1, inputShape: [8]})); // initlint-disable-line recurrent-init
`;
  const [unknown] = findings(code, 'model.ts');
  assert.equal(unknown.rule, 'unknown-suppression');
  assert.equal(unknown.at, 'completely-made-up');
  assert.match(unknown.message, /suppresses nothing for it$/);
  assert.deepEqual(unknown.finding.fixes, []);
  assert.equal(findings(code, 'model.ts').length, 1);
  assert.deepEqual(rules(code, 'model.ts', { rules: { 'unknown-suppression': 'off' } }), []);
});

test('configuration: a rule off, a rule raised to error, and the threshold', () => {
  const deep = `import keras
model = keras.Sequential([keras.Input(shape=(64,))])
for _ in range(10):
    model.add(keras.layers.Dense(64, activation="relu"))
`;
  // Nine hidden layers, eight halvings after the first: 0.5^8 = 3.9e-3, a warning at T = 100, a hint at T = 1000,
  // nothing with the hint threshold raised too.
  assert.deepEqual(rules(deep), ['relu-glorot-deep']);
  assert.deepEqual(rules(deep, 'model.py', { threshold: 1000 }), ['hint:relu-glorot-deep']);
  assert.deepEqual(rules(deep, 'model.py', { threshold: 1000, hintThreshold: 1000 }), []);
  assert.deepEqual(rules(deep, 'model.py', { rules: { 'relu-glorot-deep': 'off' } }), []);
  assert.equal(findings(deep, 'model.py', { rules: { 'relu-glorot-deep': 'error' } })[0].severity, 'error');
});
