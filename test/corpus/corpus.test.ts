/**
 * The corpus: realistic model files of both languages. Each declares its expected findings with
 * `expect: <rule>[, <rule>…]` comments on the line where the finding starts (`hint:<rule>` for a hint); files
 * without any are clean.
 * Every fix offered on the corpus must leave code that parses and remove its own finding.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeSource } from '../../src/project/analyzeSource';
import { LineIndex, applyEdits } from '../../src/core/text';
import { corpusFiles, corpusRoot as root } from './files';

function expectedFindings(text: string): string[] {
  const expected: string[] = [];
  text.split('\n').forEach((line, index) => {
    const marker = line.match(/(?:#|\/\/)\s*expect:\s*(.+)$/);
    if (!marker) return;
    for (const rule of marker[1].split(',')) expected.push(`${index + 1}:${rule.trim()}`);
  });
  return expected.sort();
}

for (const file of corpusFiles) {
  const name = file.slice(root.length);
  const text = readFileSync(file, 'utf8');

  test(`${name}: finds exactly the expected findings`, () => {
    const analysis = analyzeSource(text, file);
    const lines = new LineIndex(text);
    const found = analysis.findings
      .map((finding) => `${lines.positionAt(finding.span.start).line + 1}:${finding.severity === 'hint' ? 'hint:' : ''}${finding.rule}`)
      .sort();
    assert.deepEqual(found, expectedFindings(text), analysis.findings.map((finding) => finding.message).join('\n'));
    assert.deepEqual(analysis.internalErrors, []);
    assert.ok(analysis.models.length > 0, 'the model is found');
  });

  test(`${name}: every fix parses and removes its own finding`, () => {
    const analysis = analyzeSource(text, file);
    for (const finding of analysis.findings) {
      for (const fix of finding.fixes) {
        const fixed = applyEdits(text, fix.edits).text;
        const after = analyzeSource(fixed, file);
        assert.equal(after.extracted.syntaxProblems.length, analysis.extracted.syntaxProblems.length, `${fix.title} keeps the file parsing:\n${fixed}`);
        // An initializer written once for layers of different activations has no right value: its fixes are
        // offered, none preferred, and one may move the finding to the other layers.
        if (!finding.fixes.some((offered) => offered.preferred)) continue;
        const before = analysis.findings.filter((other) => other.rule === finding.rule).length;
        const remaining = after.findings.filter((other) => other.rule === finding.rule).length;
        assert.ok(remaining < before, `${fix.title} removes its ${finding.rule} finding:\n${fixed}`);
      }
    }
  });
}
