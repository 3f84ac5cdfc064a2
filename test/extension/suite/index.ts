/**
 * Entry the extension host calls (`extensionTestsPath` payload, bundled to dist/extension-tests/index.js).
 * Runs the mocha specs and writes a JSON result file: code-server's host exits 0 whatever `run()` does,
 * so its runner (../extensionHost.test.ts) reads this file for the verdict; desktop VS Code
 * (../electron.test.ts) exits non-zero when `run()` rejects, which it does on any failure.
 */
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';
import { commandSpecs } from './commands.spec';
import { keras } from './keras.spec';
import { notebookSpecs } from './notebook.spec';
import { panelSpecs } from './panel.spec';
import { settingsSpecs } from './settings.spec';
import { tfjs } from './tfjs.spec';

export interface SuiteResult {
  passes: number;
  failures: number;
  pending: number;
  tests: { title: string; state: 'passed' | 'failed' | 'pending'; durationMs?: number; error?: string }[];
}

export async function run(): Promise<void> {
  const resultFile = process.env.INITLINT_TEST_RESULT;
  const result: SuiteResult = { passes: 0, failures: 0, pending: 0, tests: [] };
  try {
    const mocha = new Mocha({ ui: 'bdd', timeout: 90_000, color: false, reporter: 'spec' });
    // Defines describe/it for the spec functions below (what mocha does before requiring spec files).
    mocha.suite.emit('pre-require', globalThis, 'initlint-extension-tests', mocha);
    keras();
    tfjs();
    commandSpecs();
    settingsSpecs();
    notebookSpecs();
    panelSpecs();
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (test) => result.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration }));
      runner.on('fail', (test, error: Error) => result.tests.push({ title: test.fullTitle(), state: 'failed', error: error.stack ?? String(error) }));
      runner.on('pending', (test) => result.tests.push({ title: test.fullTitle(), state: 'pending' }));
    });
  } catch (error) {
    result.tests.push({ title: 'suite setup', state: 'failed', error: error instanceof Error ? error.stack : String(error) });
  }
  for (const state of ['passed', 'failed', 'pending'] as const) {
    const count = result.tests.filter((test) => test.state === state).length;
    if (state === 'passed') result.passes = count;
    else if (state === 'failed') result.failures = count;
    else result.pending = count;
  }
  if (resultFile) writeFileSync(resultFile, JSON.stringify(result, null, 2));
  else console.log(JSON.stringify(result, null, 2));
  // Desktop VS Code (@vscode/test-electron) exits non-zero when run() rejects; code-server ignores it.
  if (result.failures > 0) throw new Error(`${result.failures} extension-host test(s) failed`);
}
