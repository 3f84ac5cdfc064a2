/**
 * The CLI says when it cut an analysis: `analysis-incomplete` findings, a closing line naming the files (even
 * when `--severity` hides info findings), `"complete": false` in JSON, and `--max-file-size` sets the cap.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck, type CheckOptions } from '../../src/cli/check';
import { PLAIN } from '../../src/cli/formats/text';
import { kerasControl, kerasHugeFile, tfjsCallTree } from './generators';

function check(paths: string[], extra: Partial<CheckOptions> = {}): { code: number; out: string } {
  const out: string[] = [];
  const options: CheckOptions = { paths, format: 'text', fix: false, failOn: 'warning', severity: 'info', style: PLAIN, version: 'test', ...extra };
  const code = runCheck(options, (text) => out.push(text), () => undefined);
  return { code, out: out.join('\n') };
}

const directory = mkdtempSync(join(tmpdir(), 'initlint-cut-'));
// 10⁸ calls before the control model: cut at the statement budget.
writeFileSync(join(directory, 'busy.ts'), tfjsCallTree(10, 8));
writeFileSync(join(directory, 'big.py'), kerasHugeFile(2.5 * 1024 * 1024));
writeFileSync(join(directory, 'ok.py'), kerasControl());

test('text output: the cut findings, and a closing line naming the cut files even under --severity warning', () => {
  const { out } = check([directory]);
  assert.match(out, /big\.py:1:1: info Analysis incomplete: the file has 2\.5 MiB of text, over the 2 MiB size cap \(raise it with --max-file-size\): it was not analysed\. \[analysis-incomplete\]/);
  assert.match(out, /busy\.ts:11:1: info Analysis incomplete: this statement took over 2,000,000 evaluation steps/);
  const hidden = check([directory], { severity: 'warning' }).out;
  assert.doesNotMatch(hidden, /\[analysis-incomplete\]/);
  const last = hidden.split('\n').at(-1) ?? '';
  assert.match(last, /^Analysis incomplete in 2 files \(.*big\.py, .*busy\.ts\)/);
});

test('JSON output: "complete" per file', () => {
  const { out } = check([directory], { format: 'json' });
  type JsonFile = { path: string; complete: boolean; diagnostics: { rule: string }[] };
  const files = (JSON.parse(out) as { files: JsonFile[] }).files;
  const byName: Record<string, JsonFile> = Object.fromEntries(files.map((file) => [file.path.split('/').at(-1) ?? '', file]));
  assert.equal(byName['ok.py'].complete, true);
  assert.equal(byName['busy.ts'].complete, false);
  assert.equal(byName['big.py'].complete, false);
  assert.deepEqual(byName['big.py'].diagnostics.map((diagnostic) => diagnostic.rule), ['analysis-incomplete']);
  assert.ok(byName['busy.ts'].diagnostics.some((diagnostic) => diagnostic.rule === 'symmetric-init'), 'the model after the call tree is still checked');
});

test('the cap is the one given (maxFileChars, from --max-file-size): a small file over a small cap is not analysed', () => {
  const { out } = check([join(directory, 'ok.py')], { format: 'json', maxFileChars: 100 });
  const [file] = (JSON.parse(out) as { files: { complete: boolean; diagnostics: { rule: string; message: string }[] }[] }).files;
  assert.equal(file.complete, false);
  assert.deepEqual(file.diagnostics.map((diagnostic) => diagnostic.rule), ['analysis-incomplete']);
  assert.match(file.diagnostics[0].message, /over the 100 characters size cap/);
});
