/**
 * The extension-host suite (./suite, bundled to dist/extension-tests/index.js) in desktop VS Code through
 * @vscode/test-electron, where a VS Code is at hand: INITLINT_VSCODE=<path to a VS Code executable>, or
 * INITLINT_VSCODE=download to let test-electron download one (needs the internet; on Linux, a display, e.g.
 * `xvfb-run -a npm test`). Our CI machines can download neither VS Code nor Electron, so there it is skipped
 * and the same suite runs in code-server's extension host (extensionHost.test.ts).
 */
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SuiteResult } from './suite/index';
import { REPO_ROOT } from '../e2e/harness/codeServer';
import { EXTENSION_BUILD, missingBuildOutputs } from '../e2e/harness/build';

const FIXTURE_WORKSPACE = join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'workspace');
const SUITE_TIMEOUT_MS = 10 * 60_000;

test('extension-host suite passes in desktop VS Code (@vscode/test-electron)', { timeout: SUITE_TIMEOUT_MS }, async (t) => {
  const vscodeExecutable = process.env.INITLINT_VSCODE;
  if (!vscodeExecutable) {
    return t.skip('no desktop VS Code here: set INITLINT_VSCODE to its executable, or to "download" where it can be downloaded (the suite runs in code-server instead)');
  }
  assert.deepEqual(missingBuildOutputs([...EXTENSION_BUILD, 'dist/extension-tests/index.js']), [], 'run `npm run build` first');
  const scratch = mkdtempSync(join(tmpdir(), 'initlint-electron-tests-'));
  const workspace = join(scratch, 'workspace');
  cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
  const resultFile = join(scratch, 'result.json');
  const { runTests } = await import('@vscode/test-electron');
  // run() rejects when a spec fails, so VS Code exits non-zero and runTests rejects; the result file says which.
  const exitCode = await runTests({
    ...(vscodeExecutable === 'download' ? {} : { vscodeExecutablePath: vscodeExecutable }),
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: join(REPO_ROOT, 'dist', 'extension-tests', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', join(scratch, 'user-data')],
    extensionTestsEnv: { INITLINT_TEST_RESULT: resultFile, CI: process.env.CI ?? '1' },
  }).catch((error: unknown) => {
    const result = existsSync(resultFile) ? (JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteResult) : undefined;
    const failures = result?.tests.filter((entry) => entry.state === 'failed') ?? [];
    assert.fail(`${String(error)}\n${failures.map((entry) => `${entry.title}\n${entry.error}`).join('\n\n')}`);
  });
  assert.equal(exitCode, 0);
  const result = JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteResult;
  for (const entry of result.tests) t.diagnostic(`${entry.state.padEnd(7)} ${entry.title}`);
  assert.equal(result.failures, 0);
  assert.ok(result.passes >= 10, `only ${result.passes} tests passed`);
});
