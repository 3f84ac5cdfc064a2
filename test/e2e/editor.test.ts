/**
 * End to end in a real VS Code (code-server) in a real browser (Debian Chromium, playwright-core): the
 * packaged .vsix installed, a workspace with a Keras and a TensorFlow.js file; squiggles, a hover, a
 * quick fix with Ctrl+., fix-all from the palette. Screenshots go to screenshotsDir() (a temporary folder).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXTENSION_BUILD, missingBuildOutputs } from './harness/build';
import { CodeServer, editorToolsMissing, REPO_ROOT, screenshotsDir } from './harness/codeServer';
import { launchChromium, SELECTORS, Workbench } from './harness/workbench';


test('InitLint in code-server: squiggles, hover, quick fix, fix-all', { timeout: 5 * 60_000 }, async (t) => {
  const unavailable = editorToolsMissing();
  if (unavailable) return t.skip(unavailable);
  assert.deepEqual(missingBuildOutputs(EXTENSION_BUILD), [], 'run `npm run build` first');

  const scratch = mkdtempSync(join(tmpdir(), 'initlint-e2e-'));
  const vsix = join(scratch, 'initlint.vsix');
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'package-vsix.mjs'), '--no-build', '--out', vsix], { cwd: REPO_ROOT, stdio: 'pipe' });
  const workspace = join(scratch, 'workspace');
  cpSync(join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'workspace'), workspace, { recursive: true });
  const SCREENSHOTS = screenshotsDir();
  t.diagnostic(`screenshots: ${SCREENSHOTS}`);

  const server = await CodeServer.start({ workspace, vsix, settings: { 'editor.codeLens': true, 'workbench.colorTheme': 'Default Dark Modern' } });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  const workbench = new Workbench(page);
  try {
    await workbench.open(server.workbenchUrl(workspace));

    await t.test('a Keras file shows squiggles from the language server, and a hover explains one', async () => {
      await workbench.openFile('keras_model.py');
      await page.waitForSelector(SELECTORS.squiggle('error'), { state: 'attached', timeout: 60_000 });
      // He under two tanh layers is a hint (measured: it trained as fast as Glorot), drawn as dots.
      await page.waitForSelector(SELECTORS.squiggle('hint'), { state: 'attached', timeout: 30_000 });
      await page.waitForSelector(SELECTORS.codeLens, { timeout: 30_000 });
      const problem = await workbench.goToNextProblem(); // errors come first: the zero hidden layer, line 9
      assert.match(problem, /symmetric-init/);
      const hover = await workbench.showHover();
      assert.match(hover, /symmetric-init|constant kernel/);
      await shot('keras-diagnostics-hover');
      await page.keyboard.press('Escape');
    });

    await t.test('Ctrl+. applies the preferred quick fix to the Keras file', async () => {
      const title = await workbench.applyFirstQuickFix();
      t.diagnostic(`applied: ${title}`);
      await workbench.waitForEditorText((text) => !text.includes('kernel_initializer="zeros"'));
      await shot('keras-quick-fix-applied');
    });

    await t.test('a TypeScript file shows squiggles from the tsserver plugin, and Ctrl+. fixes one', async () => {
      await workbench.openFile('tfjs_model.ts');
      await page.waitForSelector(SELECTORS.squiggle('warning'), { state: 'attached', timeout: 90_000 });
      assert.match(await workbench.goToNextProblem(), /relu-glorot-deep/);
      await shot('tfjs-diagnostics');
      const title = await workbench.applyFirstQuickFix();
      t.diagnostic(`applied: ${title}`);
      await workbench.waitForEditorText((text) => /kernelInitializer/.test(text));
      await shot('tfjs-quick-fix-applied');
    });

    await t.test('"InitLint: Fix All in File" clears the Keras file', async () => {
      await workbench.openFile('keras_model.py');
      await workbench.runCommand('InitLint: Fix All in File');
      await workbench.waitForEditorText((text) => !text.includes('"he_normal"') && !text.includes('"zeros"'));
      await page.waitForSelector(SELECTORS.anySquiggle, { state: 'detached', timeout: 30_000 });
      await shot('keras-fix-all');
    });

    await t.test('"InitLint: Show Variance Report" opens the report beside the model', async () => {
      await workbench.openFile('tfjs_model.ts');
      await workbench.runCommand('InitLint: Show Variance Report');
      await shot('variance-report-opening');
      await page.waitForSelector(`${SELECTORS.tab}[aria-label*=".initlint-report"]`, { timeout: 20_000 });
      await page.waitForSelector(`${SELECTORS.viewLines} >> text=worst chain`, { timeout: 20_000 });
      await shot('variance-report');
    });
  } catch (error) {
    await shot('failure').catch(() => undefined);
    t.diagnostic(`code-server log: ${server.logFile}`);
    throw error;
  } finally {
    await browser.close();
    await server.stop();
  }
});
