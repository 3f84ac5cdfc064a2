/**
 * `npm test` installs nothing and writes nothing into the repository: without code-server and Chromium (which
 * only `npm run setup:editor` installs) the editor suites say *skipped* and why, and screenshots go to
 * temporary folders (`npm run screenshots` alone updates docs/images/).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const EDITOR_SUITES = ['test/extension/extensionHost.test.ts', 'test/e2e/editor.test.ts', 'test/e2e/notebook.test.ts', 'test/e2e/panel.test.ts', 'test/webview/panel.browser.test.ts'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'node_modules' ? [] : sources(path);
    return /\.(ts|mjs|js)$/.test(entry) ? [path] : [];
  });
}

test('without code-server and Chromium the editor suites report themselves skipped, say why, and install nothing', { timeout: 120_000 }, () => {
  const cache = mkdtempSync(join(tmpdir(), 'initlint-empty-cache-'));
  // NODE_TEST_CONTEXT would make the child a part of this run instead of a run of its own.
  const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', ...EDITOR_SUITES], {
    cwd: ROOT, encoding: 'utf8', env: { ...env, NODE_OPTIONS: '', INITLINT_CACHE: cache, INITLINT_CHROMIUM: join(cache, 'no-chromium') },
  });
  const output = `${run.stdout}${run.stderr}`;
  assert.equal(run.status, 0, output);
  const skipped = output.match(/^# skipped (\d+)$/m)?.[1];
  const passed = output.match(/^# pass (\d+)$/m)?.[1];
  assert.equal(passed, '0', `a suite passed without its tools:\n${output}`);
  assert.ok(Number(skipped) >= EDITOR_SUITES.length, `skipped ${skipped}:\n${output}`);
  for (const line of output.split('\n').filter((entry) => /^\s*ok \d+ .*# SKIP/.test(entry))) {
    assert.match(line, /not installed: run `npm run setup:editor` first/, line);
  }
  assert.deepEqual(readdirSync(cache), [], 'the tests created or installed something in the cache');
});

test('no test names the setup script or a package manager\'s install in the code it runs', () => {
  // String literals only: comments may point at `npm run setup:editor`.
  const installers = [/['"`]setup-code-server\.sh['"`]/, /['"`]apt(-get)?['"`]/, /['"`](install|ci|i)['"`]/, /['"`]npx['"`]/];
  const offenders = sources(join(ROOT, 'test')).filter((file) => file !== __filename)
    .flatMap((file) => installers.filter((pattern) => pattern.test(readFileSync(file, 'utf8'))).map((pattern) => `${relative(ROOT, file)}: ${pattern}`));
  assert.deepEqual(offenders, []);
});

test('no test writes into docs/ (the README\'s screenshots come from `npm run screenshots`)', () => {
  const offenders = sources(join(ROOT, 'test')).filter((file) => file !== __filename)
    .filter((file) => /['"]docs['"],\s*['"]images['"]|docs\/images/.test(readFileSync(file, 'utf8')))
    .map((file) => relative(ROOT, file));
  assert.deepEqual(offenders, []);
  const script = readFileSync(join(ROOT, 'scripts', 'screenshots.mjs'), 'utf8');
  for (const image of readdirSync(join(ROOT, 'docs', 'images'))) assert.ok(script.includes(`'${image}'`), `npm run screenshots does not retake docs/images/${image}`);
});

test('.ci/run installs the editor tools with `npm run setup:editor` before `npm test`', () => {
  const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8').split('\n').filter((line) => line && !line.startsWith('#'));
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.equal(manifest.scripts['setup:editor'], 'bash scripts/setup-code-server.sh');
  const step = (pattern: RegExp) => ci.findIndex((line) => pattern.test(line));
  assert.ok(step(/^npm ci$/) >= 0 && step(/^npm ci$/) < step(/^npm run setup:editor\b/) && step(/^npm run setup:editor\b/) < step(/^npm test$/), ci.join('\n'));
});
