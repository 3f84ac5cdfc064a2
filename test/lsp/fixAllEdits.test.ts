/** Fix-all as edits (what both editor hosts send) must be exactly what core `applyFixes` does to the text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fix } from '../../src/core/findings';
import { applyFixes } from '../../src/core/fixAll';
import { applyEdits } from '../../src/core/text';
import { fixAllEdits } from '../../src/project/fixAllEdits';

const TEXT = 'model.add(Dense(64, activation="relu"))\nmodel.add(Dense(64, activation="tanh"))\n';
const at = (start: number, end: number, newText: string) => ({ span: { start, end }, newText });
const fix = (...edits: ReturnType<typeof at>[]): Fix => ({ title: 'fix', preferred: true, edits });

const CASES: Record<string, Fix[]> = {
  'independent fixes all apply': [fix(at(18, 18, ', kernel_initializer="he_uniform"')), fix(at(58, 58, ', kernel_initializer="glorot_uniform"'))],
  'an identical import edit is shared, not doubled': [fix(at(0, 0, 'import keras\n'), at(18, 18, ', a=1')), fix(at(0, 0, 'import keras\n'), at(58, 58, ', b=2'))],
  'overlapping replacements: the first wins': [fix(at(20, 37, 'activation="elu"')), fix(at(31, 37, '"selu"'))],
  'two different insertions at one point: the first wins': [fix(at(18, 18, ', a=1')), fix(at(18, 18, ', b=2'))],
  'a fix is atomic: one clashing edit drops all of it': [fix(at(18, 18, ', a=1')), fix(at(18, 18, ', b=2'), at(58, 58, ', c=3')), fix(at(58, 58, ', d=4'))],
};

for (const [name, fixes] of Object.entries(CASES)) {
  test(`fix-all edits: ${name}`, () => {
    assert.equal(applyEdits(TEXT, fixAllEdits(fixes)).text, applyFixes(TEXT, fixes).text);
  });
}

test('fix-all edits scale to thousands of fixes', () => {
  const many = Array.from({ length: 3000 }, (_, index) => fix(at(index * 10 + 5, index * 10 + 5, `x${index}`), at(0, 0, 'import keras\n')));
  const started = performance.now();
  const edits = fixAllEdits(many);
  assert.equal(edits.length, 3001);
  assert.ok(performance.now() - started < 1000);
});
