/**
 * `report --probe` loads the optional native backend (@tensorflow/tfjs-node) only from where InitLint is
 * installed: a project's own node_modules (the current directory, NODE_PATH) is never searched, so a
 * repository cannot make InitLint run its code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { initLintRoot, resolveBesideInitLint } from '../../src/probe/nodeBackend';

const repo = resolve(__dirname, '../..');

/** A folder holding node_modules/@tensorflow/tfjs-node whose code leaves a marker file when it runs. */
function withFakeTfjsNode(folder: string): string {
  const packageFolder = join(folder, 'node_modules/@tensorflow/tfjs-node');
  mkdirSync(join(packageFolder, 'dist'), { recursive: true });
  writeFileSync(join(packageFolder, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', version: '9.9.9', main: 'dist/index.js' }));
  const marker = join(folder, 'LOADED');
  writeFileSync(join(packageFolder, 'dist/index.js'), `require('fs').writeFileSync(${JSON.stringify(marker)}, __filename);\n`);
  return marker;
}

test('InitLint\'s root is the folder of its own package.json', () => {
  assert.equal(initLintRoot(join(repo, 'src/probe')), repo);
});

test('the package is resolved in node_modules at or above InitLint\'s own package, hoisted or not', () => {
  const install = mkdtempSync(join(tmpdir(), 'initlint-install-'));
  const initlint = join(install, 'node_modules/initlint');
  mkdirSync(join(initlint, 'dist'), { recursive: true });
  writeFileSync(join(initlint, 'package.json'), '{"name": "initlint"}');
  assert.equal(resolveBesideInitLint('@tensorflow/tfjs-node', initlint), undefined);
  // npm hoists dependencies next to the package: found there.
  withFakeTfjsNode(install);
  assert.equal(resolveBesideInitLint('@tensorflow/tfjs-node', initlint), join(install, 'node_modules/@tensorflow/tfjs-node/dist/index.js'));
  // A copy inside InitLint's own node_modules comes first.
  withFakeTfjsNode(initlint);
  assert.equal(resolveBesideInitLint('@tensorflow/tfjs-node', initlint), join(initlint, 'node_modules/@tensorflow/tfjs-node/dist/index.js'));
});

test('run inside a project with its own tfjs-node (also on NODE_PATH), the probe never loads it', () => {
  const project = mkdtempSync(join(tmpdir(), 'initlint-hostile-'));
  const marker = withFakeTfjsNode(project);
  const script = `
    const { resolveBesideInitLint, useNodeBackend } = require(${JSON.stringify(join(repo, 'src/probe/nodeBackend.ts'))});
    const found = resolveBesideInitLint('@tensorflow/tfjs-node');
    useNodeBackend('tensorflow').then(
      (backend) => console.log(JSON.stringify({ found, backend })),
      (error) => console.log(JSON.stringify({ found, error: error.message })),
    );`;
  const run = spawnSync(process.execPath, ['--import', pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href, '-e', script], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: join(project, 'node_modules'), NODE_OPTIONS: '' },
    timeout: 60_000,
  });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout.trim().split('\n').pop()!);
  assert.ok(!String(result.found ?? '').startsWith(project), `resolved inside the project: ${result.found}`);
  assert.equal(existsSync(marker), false, 'the project\'s tfjs-node ran');
  // Here tfjs-node is not installed beside InitLint: the choice fails with a message instead.
  if (!result.found) assert.match(result.error, /tensorflow: not available/);
});
