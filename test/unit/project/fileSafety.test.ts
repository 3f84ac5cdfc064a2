/**
 * What `check` reads and what `--fix` writes, on real files in temporary folders: symbolic links (loops,
 * duplicates, links leading out), named pipes, a notebook with a stray byte, a notebook nested deep.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCheck, type CheckOptions } from '../../../src/cli/check';
import { PLAIN } from '../../../src/cli/formats/text';
import { collectFiles } from '../../../src/project/sourceFiles';
import { parseNotebook } from '../../../src/frontends/notebook';
import { analyzeNotebook } from '../../../src/project/analyzeNotebook';

const DEEP_KERAS = `import keras
model = keras.Sequential([keras.Input(shape=(64,))])
for _ in range(20):
    model.add(keras.layers.Dense(64, activation="relu"))
model.add(keras.layers.Dense(1))
`;
const FIXED_LINE = 'model.add(keras.layers.Dense(64, activation="relu", kernel_initializer="he_uniform"))';

function folder(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'initlint-files-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

function check(paths: string[], extra: Partial<CheckOptions> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const options: CheckOptions = { paths, format: 'json', fix: false, failOn: 'warning', severity: 'info', style: PLAIN, version: 'test', ...extra };
  const code = runCheck(options, (text) => out.push(text), (text) => err.push(text));
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const repo = resolve(__dirname, '../../..');

/**
 * `check` in a child process with a time limit: a walk that loops or a read that blocks (a named pipe) fails
 * the test instead of hanging the suite.
 */
function checkWithin(seconds: number, paths: string[]) {
  const script = `
    const { runCheck } = require(${JSON.stringify(join(repo, 'src/cli/check.ts'))});
    const { PLAIN } = require(${JSON.stringify(join(repo, 'src/cli/formats/text.ts'))});
    const out = [], err = [];
    const options = { paths: ${JSON.stringify(paths)}, format: 'json', fix: false, failOn: 'warning', severity: 'info', style: PLAIN, version: 'test' };
    const code = runCheck(options, (text) => out.push(text), (text) => err.push(text));
    process.stdout.write(JSON.stringify({ code, stdout: out.join('\\n'), stderr: err.join('\\n') }));`;
  const loader = pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href;
  const run = spawnSync(process.execPath, ['--import', loader, '-e', script], { encoding: 'utf8', timeout: seconds * 1000, env: { ...process.env, NODE_OPTIONS: '' } });
  assert.equal(run.signal, null, `check did not finish within ${seconds} s`);
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as { code: number; stdout: string; stderr: string };
}

test('two links to "." do not loop, and a file reached through them is reported once', () => {
  const dir = folder({ 'models/deep.py': DEEP_KERAS });
  symlinkSync('.', join(dir, 'here'));
  symlinkSync('..', join(dir, 'models/up'));
  symlinkSync('deep.py', join(dir, 'models/again.py'));
  const { code, stdout } = checkWithin(30, [dir]);
  // Sorted walk order meets the link again.py first: the file is listed under that name, once.
  assert.deepEqual(collectFiles([dir]).files, [join(dir, 'models/again.py')]);
  assert.equal(code, 1);
  assert.equal(JSON.parse(stdout).files.length, 1);
});

test('a link inside the root to a folder inside the root is followed once; a link leading out is not followed, and said so', () => {
  const outside = folder({ 'deep.py': DEEP_KERAS });
  const dir = folder({ 'src/clean.py': 'x = 1\n' });
  symlinkSync(join(dir, 'src'), join(dir, 'alias'));
  symlinkSync(outside, join(dir, 'vendor'));
  symlinkSync(join(outside, 'deep.py'), join(dir, 'linked.py'));
  const walked = collectFiles([dir]);
  assert.deepEqual(walked.files, [join(dir, 'alias/clean.py')]);
  assert.deepEqual(walked.skipped.map((entry) => entry.path), [join(dir, 'linked.py'), join(dir, 'vendor')]);
  const { code, stderr } = check([dir]);
  assert.equal(code, 0);
  assert.match(stderr, /vendor: a symbolic link leading outside the paths being checked: not followed/);
});

test('a named pipe called pipe.py: skipped inside a folder, a clear error when named, and check never blocks', () => {
  const dir = folder({ 'deep.py': DEEP_KERAS });
  assert.equal(spawnSync('mkfifo', [join(dir, 'pipe.py')]).status, 0);
  const walked = checkWithin(30, [dir]);
  assert.equal(walked.code, 1);
  assert.match(walked.stderr, /pipe\.py: a named pipe, not a regular file: not read/);
  assert.equal(JSON.parse(walked.stdout).files.length, 1);
  const named = checkWithin(30, [join(dir, 'pipe.py'), join(dir, 'deep.py')]);
  assert.equal(named.code, 2);
  assert.match(named.stderr, /pipe\.py: a named pipe, not a regular file: skipped/);
  assert.equal(JSON.parse(named.stdout).files[0].diagnostics[0].rule, 'relu-glorot-deep');
});

test('--fix DIR never writes outside DIR through a file link or a folder link', () => {
  const outside = folder({ 'victim.py': DEEP_KERAS, 'lib/victim2.py': DEEP_KERAS });
  const dir = folder({ 'own.py': DEEP_KERAS });
  symlinkSync(join(outside, 'victim.py'), join(dir, 'file-link.py'));
  symlinkSync(join(outside, 'lib'), join(dir, 'folder-link'));
  const { stdout } = check([dir], { fix: true, format: 'text' });
  assert.match(stdout, /Fixed 1 problem/);
  assert.match(readFileSync(join(dir, 'own.py'), 'utf8'), new RegExp(FIXED_LINE.replace(/[()]/g, '\\$&')));
  assert.equal(readFileSync(join(outside, 'victim.py'), 'utf8'), DEEP_KERAS);
  assert.equal(readFileSync(join(outside, 'lib/victim2.py'), 'utf8'), DEEP_KERAS);
});

test('--fix on a link inside the root to a file inside the root fixes the file once', () => {
  const dir = folder({ 'real/deep.py': DEEP_KERAS });
  symlinkSync(join(dir, 'real/deep.py'), join(dir, 'a-link.py'));
  const { code, stdout } = check([dir], { fix: true, format: 'text' });
  assert.equal(code, 0, stdout);
  assert.match(stdout, /Fixed 1 problem/);
  assert.ok(readFileSync(join(dir, 'real/deep.py'), 'utf8').includes(FIXED_LINE));
});

function notebook(cells: string[][]): string {
  const cellJson = cells.map((lines) => `  {\n   "cell_type": "code",\n   "execution_count": null,\n   "metadata": {},\n   "outputs": [],\n   "source": [\n${lines.map((line) => `    ${JSON.stringify(line)}`).join(',\n')}\n   ]\n  }`);
  return `{\n "cells": [\n${cellJson.join(',\n')}\n ],\n "metadata": {},\n "nbformat": 4,\n "nbformat_minor": 5\n}\n`;
}

test('--fix on a notebook with one non-UTF-8 byte keeps "café" and every byte it does not fix', () => {
  const cells = [['# café au lait\n', 's = "naïve"'], DEEP_KERAS.split(/(?<=\n)/)];
  const utf8 = Buffer.from(notebook(cells), 'utf8');
  // One stray latin-1 byte (0xE9) inside a string of the first cell: the file is no longer valid UTF-8.
  const marker = utf8.indexOf('au lait');
  const original = Buffer.concat([utf8.subarray(0, marker), Buffer.from([0xe9]), utf8.subarray(marker)]);
  const dir = folder({ 'nb.ipynb': original });
  const { code, stdout } = check([join(dir, 'nb.ipynb')], { fix: true, format: 'text' });
  assert.equal(code, 0, stdout);
  const fixed = readFileSync(join(dir, 'nb.ipynb'));
  const fixedLine = `"    ${FIXED_LINE.replace(/"/g, '\\"')}\\n"`;
  const at = fixed.indexOf(fixedLine);
  assert.ok(at > 0, fixed.toString('latin1'));
  const oldLine = Buffer.from(JSON.stringify('    model.add(keras.layers.Dense(64, activation="relu"))\n'));
  const oldAt = original.indexOf(oldLine);
  // Bytes before the fixed line and after it are the original bytes, "café" and "naïve" as UTF-8 included.
  assert.deepEqual(fixed.subarray(0, at), original.subarray(0, oldAt));
  assert.deepEqual(fixed.subarray(at + fixedLine.length), original.subarray(oldAt + oldLine.length));
  assert.ok(fixed.includes(Buffer.from('café', 'utf8')));
  assert.ok(!fixed.includes(Buffer.from('cafÃ©', 'utf8')));
});

test('--fix on a UTF-8 notebook rewrites only the lines it edits: an escape in the fixed cell is kept', () => {
  // nbformat writes "é" raw; a notebook from another writer may escape it, and the fix must not touch that line.
  const json = notebook([['# caf\u00e9\n', ...DEEP_KERAS.split(/(?<=\n)/)]]).replace('"# café\\n"', '"# caf\\u00e9\\n"');
  assert.ok(json.includes('"# caf\\u00e9\\n"'));
  const dir = folder({ 'nb.ipynb': json });
  check([join(dir, 'nb.ipynb')], { fix: true });
  const fixed = readFileSync(join(dir, 'nb.ipynb'), 'utf8');
  assert.ok(fixed.includes('"# caf\\u00e9\\n"'));
  assert.ok(fixed.includes(FIXED_LINE.replace(/"/g, '\\"')));
});

test('a valid notebook nested 6,000 deep in its metadata is read, and its findings kept', () => {
  const deep = `${'['.repeat(6000)}1${']'.repeat(6000)}`;
  const json = notebook([DEEP_KERAS.split(/(?<=\n)/)]).replace('"metadata": {},\n "nbformat"', `"metadata": {"deep": ${deep}},\n "nbformat"`);
  assert.ok(json.includes(deep));
  assert.equal(parseNotebook(json).cells.length, 1);
  assert.equal(analyzeNotebook(json, 'deep.ipynb').analysis.findings[0]?.rule, 'relu-glorot-deep');
  const objects = `${'{"a":'.repeat(6000)}null${'}'.repeat(6000)}`;
  assert.equal(parseNotebook(`{"cells": [], "metadata": ${objects}}`).cells.length, 0);
  assert.throws(() => parseNotebook(`{"cells": [], "metadata": ${'['.repeat(6000)}}`), /not valid JSON/);
});

test('a folder walk reads Vue and Svelte components (their <script> blocks), not HTML pages, which are read when named', () => {
  const script = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({ units: 64, inputShape: [64], activation: 'relu' }));
for (let i = 0; i < 30; i++) model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
model.add(tf.layers.dense({ units: 1 }));`;
  const dir = folder({
    'src/Trainer.vue': `<template><div>{{ loss }}</div></template>\n<script>\n${script}\n</script>\n`,
    'src/Model.svelte': `<script>\n${script}\n</script>\n<p>training</p>\n`,
    'htmlcov/index.html': `<html><body><script>\n${script}\n</script></body></html>\n`,
  });
  assert.deepEqual(collectFiles([dir]).files.map((path) => path.slice(dir.length + 1)), ['src/Model.svelte', 'src/Trainer.vue']);
  const walked = JSON.parse(check([dir]).stdout) as { files: { path: string; diagnostics: { rule: string }[] }[] };
  assert.deepEqual(walked.files.map((file) => [file.path.slice(dir.length + 1), file.diagnostics.map((finding) => finding.rule)]), [
    ['src/Model.svelte', ['relu-glorot-deep']],
    ['src/Trainer.vue', ['relu-glorot-deep']],
  ]);
  const named = JSON.parse(check([join(dir, 'htmlcov/index.html')]).stdout) as { files: { diagnostics: { rule: string }[] }[] };
  assert.deepEqual(named.files[0].diagnostics.map((finding) => finding.rule), ['relu-glorot-deep']);
});
