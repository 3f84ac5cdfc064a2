/**
 * Generated pathological inputs (test/robustness/generators.ts) through the whole analysis path: each must
 * end within a generous bound (a hang detector, not a performance assertion), still report the control
 * model's finding where the file has one, and say with `analysis-incomplete` what it cut and where.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../src/project/analyzeSource';
import { LineIndex } from '../../src/core/text';
import { ExtractionCancelled } from '../../src/frontends/budget';
import * as generate from './generators';

/** Seconds any one input may take on a loaded CI machine before it counts as a hang. */
const HANG_BOUND_MS = 10_000;

interface Case {
  name: string;
  fileName: string;
  text: () => string;
  /** The control model is in the file: its symmetric-init finding must still be reported. */
  control: boolean;
  /** What the analysis-incomplete finding must say (a fragment of its message), and on which line; undefined: no cut. */
  cut?: { says: RegExp; line?: number };
  /** The hang bound, where the input is a model of 100,000 layers the core then analyses (seconds of real work). */
  boundMs?: number;
}

const CASES: Case[] = [
  { name: 'tfjs control file', fileName: 'control.ts', text: generate.tfjsControl, control: true },
  { name: 'Keras control file', fileName: 'control.py', text: generate.kerasControl, control: true },
  { name: 'Array.from of 4,000 models (the 53-second tsserver freeze)', fileName: 'models.ts', text: () => generate.tfjsArrayFromModels(4000), control: false },
  { name: 'one-line tf.sequential of 10,000 layers', fileName: 'wide.ts', text: () => generate.tfjsOneLineSequential(10_000), control: false },
  { name: 'tfjs array literal nested 1,000 deep', fileName: 'deep.ts', text: () => generate.tfjsNestedArray(1000), control: true },
  { name: 'tfjs array literal nested 20,000 deep', fileName: 'deep.ts', text: () => generate.tfjsNestedArray(20_000), control: true, cut: { says: /nested over 256 deep/, line: 7 } },
  { name: 'tfjs parentheses 5,000 deep', fileName: 'parens.ts', text: () => generate.tfjsNestedParens(5000), control: true, cut: { says: /nested over 256 deep/, line: 7 } },
  // A loop that has built nothing after a few hundred steps is cut, its writes unknown (issue 14 §6): no cut said.
  { name: 'tfjs busy loop before the model', fileName: 'busy.ts', text: generate.tfjsBusyLoop, control: true },
  { name: 'tfjs 10⁸-call tree', fileName: 'calls.ts', text: () => generate.tfjsCallTree(10, 8), control: true, cut: { says: /this statement took over 2,000,000 evaluation steps/, line: 11 } },
  { name: 'tfjs loop adding 120,000 layers', fileName: 'many.ts', text: () => generate.tfjsManyLayers(120_000), control: true, cut: { says: /evaluation steps|100,000 layers/ }, boundMs: 3 * HANG_BOUND_MS },
  { name: 'Keras parentheses 3,000 deep', fileName: 'parens.py', text: () => generate.kerasNestedParens(3000), control: true, cut: { says: /nested over 100 deep/, line: 3 } },
  { name: 'Keras list nested 20,000 deep', fileName: 'deep.py', text: () => generate.kerasNestedList(20_000), control: true, cut: { says: /nested over 100 deep/, line: 3 } },
  { name: 'Keras 10⁸-call tree', fileName: 'calls.py', text: () => generate.kerasCallTree(10, 8), control: true, cut: { says: /this statement took over 1,500,000 evaluation steps/ } },
  // A loop that touches no layer, model or value that flows into one is skipped, not run (issue 14 §6): no cut.
  { name: 'Keras busy loop before the model', fileName: 'busy.py', text: generate.kerasBusyLoop, control: true },
  { name: 'Keras comprehension of 120,000 layers', fileName: 'many.py', text: () => generate.kerasManyLayers(120_000), control: true, cut: { says: /makes 120,000 items: only the first 100,000 were read/, line: 3 }, boundMs: 3 * HANG_BOUND_MS },
  { name: 'Keras file over the size cap', fileName: 'big.py', text: () => generate.kerasHugeFile(2.5 * 1024 * 1024), control: false, cut: { says: /over the 2 MiB size cap/, line: 1 } },
  { name: 'tfjs file over the size cap', fileName: 'big.ts', text: () => generate.tfjsHugeFile(2.5 * 1024 * 1024), control: false, cut: { says: /over the 2 MiB size cap/, line: 1 } },
];

for (const input of CASES) {
  test(`pathological input: ${input.name}`, () => {
    const text = input.text();
    const started = performance.now();
    const analysis = analyzeSource(text, input.fileName);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < (input.boundMs ?? HANG_BOUND_MS), `${input.name} took ${elapsed.toFixed(0)} ms`);
    assert.deepEqual(analysis.internalErrors, []);
    const rules = analysis.findings.map((finding) => finding.rule);
    if (input.control) assert.ok(rules.includes('symmetric-init'), `the control finding is lost: ${rules.join(', ')}`);
    const cuts = analysis.findings.filter((finding) => finding.rule === 'analysis-incomplete');
    if (!input.cut) {
      assert.deepEqual(cuts.map((cut) => cut.message), [], 'nothing was cut');
      return;
    }
    const { says, line } = input.cut;
    const cut = cuts.find((finding) => says.test(finding.message));
    assert.ok(cut, `no analysis-incomplete finding says ${says}: ${cuts.map((finding) => finding.message).join(' | ') || 'none'}`);
    assert.equal(cut.severity, 'info');
    if (line !== undefined) assert.equal(new LineIndex(text).positionAt(cut.span.start).line + 1, line, 'the cut is reported where it happened');
  });
}

test('Array.from of 4,000 models reads every model once, de-duplicated in linear time', () => {
  const timeFor = (count: number) => {
    const started = performance.now();
    const analysis = analyzeSource(generate.tfjsArrayFromModels(count), 'models.ts');
    assert.equal(analysis.extracted.models.length, count);
    return performance.now() - started;
  };
  timeFor(250);
  // Quadratic de-duplication made 4× the models cost ~14×; linear work costs ~4× (8× leaves room for noise).
  const small = timeFor(1000);
  const large = timeFor(4000);
  assert.ok(large < small * 8 + 500, `1,000 models: ${small.toFixed(0)} ms, 4,000: ${large.toFixed(0)} ms`);
});

test('a one-line list is linear in its length (its indentation is not rescanned per element)', () => {
  const timeFor = (count: number) => {
    const started = performance.now();
    analyzeSource(generate.tfjsOneLineSequential(count), 'wide.ts');
    return performance.now() - started;
  };
  timeFor(1000);
  const small = timeFor(5000);
  const large = timeFor(20_000);
  assert.ok(large < small * 8 + 500, `5,000 layers: ${small.toFixed(0)} ms, 20,000: ${large.toFixed(0)} ms`);
});

test('the size cap is configurable, and a cancelled host gets no analysis at all', () => {
  const text = generate.kerasControl();
  const capped = analyzeSource(text, 'small.py', undefined, { maxFileChars: 100 });
  assert.deepEqual(capped.findings.map((finding) => finding.rule), ['analysis-incomplete']);
  const raised = analyzeSource(generate.kerasHugeFile(2.1 * 1024 * 1024), 'big.py', undefined, { maxFileChars: 3 * 1024 * 1024 });
  assert.ok(raised.findings.some((finding) => finding.rule === 'symmetric-init'));
  assert.throws(() => analyzeSource(generate.tfjsCallTree(10, 8), 'calls.ts', undefined, { isCancelled: () => true }), ExtractionCancelled);
});

test('a deadline cuts the reading where it passed, and the models read before it are analysed', () => {
  const text = `${generate.kerasControl()}${generate.kerasCallTree(10, 8).split('\n').slice(2).join('\n')}`;
  const analysis = analyzeSource(text, 'late.py', undefined, { deadline: performance.now() + 50 });
  assert.ok(analysis.findings.some((finding) => finding.rule === 'symmetric-init'));
  assert.ok(analysis.findings.some((finding) => finding.rule === 'analysis-incomplete' && /time budget/.test(finding.message)));
});
