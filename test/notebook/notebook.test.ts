/** Notebooks are one program: a constant in one cell, the model in another; findings and fixes map to cells. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { blankMagics, parseNotebook, rewriteNotebook } from '../../src/frontends/notebook';
import { analyzeNotebook, fixNotebook } from '../../src/project/analyzeNotebook';
import { DEFAULT_CONFIG } from '../../src/core/config';

const fixture = join(__dirname, 'fixtures/deep_mlp.ipynb');
const json = readFileSync(fixture, 'utf8');

test('a model spanning cells: DEPTH = 20 in cell 1, the loop in cell 3, markdown between', () => {
  const result = analyzeNotebook(json, fixture);
  const [finding] = result.analysis.findings;
  assert.equal(finding.rule, 'relu-glorot-deep');
  assert.match(finding.message, /on 20 ReLU layers/);
  assert.deepEqual(result.positionAt(finding.span.start), { line: 3, character: 14, cell: 3 });
  assert.equal(result.analysis.models[0].model.layers.length, 21);
});

test('magics and shell lines are blanked, keeping every offset; a syntax error in the last cell loses nothing', () => {
  assert.equal(blankMagics('%matplotlib inline\nx = 1\n  !ls -l\n'), '                  \nx = 1\n        \n');
  const result = analyzeNotebook(json, fixture);
  assert.ok(result.analysis.extracted.syntaxProblems.length > 0, 'the broken cell is reported as a syntax problem');
  assert.equal(result.analysis.findings.length, 1);
});

test('--fix rewrites only the edited cell and keeps every other byte of the notebook', () => {
  const { json: fixed, fixed: count } = fixNotebook(json, fixture, DEFAULT_CONFIG);
  assert.equal(count, 1);
  const before = JSON.parse(json);
  const after = JSON.parse(fixed);
  assert.deepEqual(after.cells[3].source[3], '    model.add(layers.Dense(WIDTH, activation="relu", kernel_initializer="he_uniform"))\n');
  // Everything else, outputs, metadata and key order included, is the same text.
  const changedStart = json.indexOf('"    model.add(layers.Dense(WIDTH');
  assert.equal(fixed.slice(0, changedStart), json.slice(0, changedStart));
  const tail = json.slice(json.indexOf('"model.add(layers.Dense(10))'));
  assert.ok(fixed.endsWith(tail));
  assert.deepEqual(Object.keys(after), Object.keys(before));
  assert.deepEqual(after.cells[3].outputs, before.cells[3].outputs);
  assert.deepEqual(analyzeNotebook(fixed, fixture).analysis.findings, []);
});

test('rewriting a string-form source keeps it a string', () => {
  const notebook = '{"cells": [{"cell_type": "code", "source": "x = 1", "metadata": {}}], "nbformat": 4}';
  const parsed = parseNotebook(notebook);
  assert.equal(rewriteNotebook(notebook, parsed, new Map([[0, 'x = 2']])), '{"cells": [{"cell_type": "code", "source": "x = 2", "metadata": {}}], "nbformat": 4}');
});

test('not a notebook: a clear error', () => {
  assert.throws(() => parseNotebook('{"cells": 3}'), /no "cells" list/);
  assert.throws(() => parseNotebook('{"cells": [}'), /not valid JSON/);
});

test('the CLI: JSON names the cell, text names the cell, --fix writes the notebook, bad notebooks exit 2', () => {
  const root = resolve(__dirname, '../..');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const dir = mkdtempSync(join(tmpdir(), 'initlint-nb-'));
  copyFileSync(fixture, join(dir, 'deep.ipynb'));
  writeFileSync(join(dir, 'broken.ipynb'), '{"cells": [');
  const run = (args: string[]) => spawnSync(process.execPath, [join(root, 'bin/initlint.js'), ...args], { cwd: dir, encoding: 'utf8' });
  const json = JSON.parse(run(['check', 'deep.ipynb', '--format', 'json']).stdout);
  assert.equal(json.files[0].diagnostics[0].cell, 3);
  assert.deepEqual(json.files[0].diagnostics[0].range.start, { line: 4, column: 15 });
  // Text counts cells from 1 as editors do; JSON and SARIF keep the 0-based index into `cells`.
  assert.match(run(['check', 'deep.ipynb']).stdout, /^deep\.ipynb\[cell 4\]:4:15: warning/m);
  const sarif = JSON.parse(run(['check', 'deep.ipynb', '--format', 'sarif']).stdout);
  assert.equal(sarif.runs[0].results[0].properties.cell, 3);
  const broken = run(['check', '.']);
  assert.equal(broken.status, 2);
  assert.match(broken.stderr, /broken\.ipynb: not valid JSON/);
  assert.equal(run(['check', 'deep.ipynb', '--fix']).status, 0);
  assert.match(readFileSync(join(dir, 'deep.ipynb'), 'utf8'), /kernel_initializer=\\"he_uniform\\"/);
  assert.match(run(['report', 'deep.ipynb']).stdout, /Dense +cell 4:4 /);
});
