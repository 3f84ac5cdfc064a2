/**
 * Runs the mocha suite (./suite, bundled to dist/extension-tests/index.js) inside code-server's own
 * extension host: the `extensionDevelopmentPath` + `extensionTestsPath` payload (RECIPES.md), opened by
 * headless Chromium. The suite writes a JSON result file; a failing run() would still exit 0.
 */
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SuiteResult } from './suite/index';
import { CodeServer, editorToolsMissing, REPO_ROOT } from '../e2e/harness/codeServer';
import { launchChromium } from '../e2e/harness/workbench';
import { EXTENSION_BUILD, missingBuildOutputs } from '../e2e/harness/build';

const FIXTURE_WORKSPACE = join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'workspace');
const SUITE_TIMEOUT_MS = 5 * 60_000;

test('extension-host suite passes inside code-server', { timeout: SUITE_TIMEOUT_MS + 60_000 }, async (t) => {
  const unavailable = editorToolsMissing();
  if (unavailable) return t.skip(unavailable);
  const missing = missingBuildOutputs([...EXTENSION_BUILD, 'dist/extension-tests/index.js']);
  assert.deepEqual(missing, [], 'run `npm run build` first');

  const scratch = mkdtempSync(join(tmpdir(), 'initlint-extension-tests-'));
  const workspace = join(scratch, 'workspace');
  cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
  const resultFile = join(scratch, 'result.json');
  const server = await CodeServer.start({ workspace, env: { INITLINT_TEST_RESULT: resultFile, CI: process.env.CI ?? '1' } });
  const browser = await launchChromium({ softwareWebGl: true });
  try {
    const page = await browser.newPage();
    await page.goto(server.workbenchUrl(workspace, [
      ['extensionDevelopmentPath', server.remoteUri(REPO_ROOT)],
      ['extensionTestsPath', server.remoteUri(join(REPO_ROOT, 'dist', 'extension-tests', 'index.js'))],
    ]));
    const deadline = Date.now() + SUITE_TIMEOUT_MS;
    while (!existsSync(resultFile) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    assert.ok(existsSync(resultFile), `no result file after ${SUITE_TIMEOUT_MS} ms; code-server log: ${server.logFile}`);
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteResult;
    for (const entry of result.tests) t.diagnostic(`${entry.state.padEnd(7)} ${entry.title}${entry.durationMs !== undefined ? ` (${entry.durationMs} ms)` : ''}`);
    const failures = result.tests.filter((entry) => entry.state === 'failed');
    assert.equal(failures.length, 0, failures.map((entry) => `${entry.title}\n${entry.error}`).join('\n\n'));
    assert.ok(result.passes >= 10, `only ${result.passes} tests passed`);
  } finally {
    await browser.close();
    await server.stop();
  }
});
