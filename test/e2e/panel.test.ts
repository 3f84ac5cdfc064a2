/**
 * The variance-check panel end to end in code-server + Chromium: the CodeLens opens the panel, its webview
 * measures the model with TensorFlow.js (WebGL on Chromium's software renderer here, the user's GPU at
 * home), the backend it used is shown, a layer row reveals its line, "Apply recommended fixes" edits the
 * source, an export lands on disk, and the "Variance report" lens opens the report document.
 * Screenshots go to screenshotsDir() (a temporary folder; `npm run screenshots` takes the README's from them).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { EXTENSION_BUILD, missingBuildOutputs } from './harness/build';
import { CodeServer, editorToolsMissing, REPO_ROOT, screenshotsDir } from './harness/codeServer';
import { launchChromium, SELECTORS, Workbench } from './harness/workbench';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

test('the variance check in code-server: lens → panel → measured backend → reveal → apply fixes → export → report', { timeout: 6 * 60_000 }, async (t) => {
  const unavailable = editorToolsMissing();
  if (unavailable) return t.skip(unavailable);
  assert.deepEqual(missingBuildOutputs([...EXTENSION_BUILD, 'media/variancePanel.js']), [], 'run `npm run build` first');

  const scratch = mkdtempSync(join(tmpdir(), 'initlint-e2e-panel-'));
  const vsix = join(scratch, 'initlint.vsix');
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'package-vsix.mjs'), '--no-build', '--out', vsix], { cwd: REPO_ROOT, stdio: 'pipe' });
  const workspace = join(scratch, 'workspace');
  cpSync(join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'workspace'), workspace, { recursive: true });
  const exports = join(scratch, 'exports');
  mkdirSync(exports);
  const SCREENSHOTS = screenshotsDir();
  t.diagnostic(`screenshots: ${SCREENSHOTS}`);

  const server = await CodeServer.start({
    workspace,
    vsix,
    settings: { 'editor.codeLens': true, 'workbench.colorTheme': 'Default Dark Modern', 'initlint.varianceCheck.exportFolder': exports },
  });
  const browser = await launchChromium({ softwareWebGl: true });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  const workbench = new Workbench(page);
  // The webview: code-server's outer iframe, then the frame that holds our page.
  const panel: FrameLocator = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  try {
    await workbench.open(server.workbenchUrl(workspace));

    await t.test('the CodeLens opens the panel, which measures the model and shows the backend it used', async () => {
      await workbench.openFile('keras_model.py');
      const lens = page.locator(`${SELECTORS.codeLens} a`, { hasText: 'Open variance check' });
      await lens.first().waitFor({ timeout: 60_000 });
      assert.match(await lens.first().innerText(), /^4 layers · forward variance ×\S+ · Open variance check$/);
      await lens.first().click();
      await page.waitForSelector(`${SELECTORS.tab}[aria-label*="Variance check: model"]`, { timeout: 30_000 });
      // The run starts on open; the run line names the backend and the time once it is done.
      const runInfo = panel.locator('#run-info');
      await runInfo.filter({ hasText: /\b(webgpu|webgl|wasm|cpu)\b/i }).waitFor({ timeout: 120_000 });
      const info = await runInfo.innerText();
      t.diagnostic(`panel says: ${info}`);
      assert.match(info, /\d+(\.\d+)? ?(ms|s)\b/, 'the timing is shown');
      await panel.locator('#forward-chart canvas').first().waitFor({ timeout: 10_000 });
      assert.equal(await panel.locator('#layers tbody tr[data-layer]').count(), 4);
      await shot('variance-check');
    });

    await t.test('a layer row reveals its line in the editor', async () => {
      await panel.locator('#layers tbody tr[data-layer="2"]').click();
      // Layer 3 is the all-zero Dense on line 9: the editor beside shows its text selected.
      await page.waitForSelector(`${SELECTORS.activeTab}[data-resource-name="keras_model.py"]`, { timeout: 10_000 });
      await page.waitForSelector('.editor-instance .monaco-editor .selected-text', { state: 'attached', timeout: 10_000 });
      const status = await page.locator('.statusbar-item[id*="status.editor.selection"]').innerText().catch(() => '');
      t.diagnostic(`status bar: ${status}`);
      assert.match(status, /Ln 9\b/);
    });

    await t.test('"Apply recommended fixes" in the panel fixes the source', async () => {
      await panel.locator('#applyFixes-button').click();
      await workbench.waitForEditorText((text) => !text.includes('kernel_initializer="zeros"') && !text.includes('"he_normal"'), 20_000);
      await panel.locator('#status').filter({ hasText: /applied/i }).waitFor({ timeout: 10_000 });
      await shot('variance-check-fixed');
    });

    await t.test('an export lands in the configured folder', async () => {
      await panel.locator('#exportPng-button').click();
      const deadline = Date.now() + 20_000;
      while (!readdirSync(exports).some((name) => name.endsWith('.png')) && Date.now() < deadline) await page.waitForTimeout(200);
      const png = readdirSync(exports).find((name) => name.endsWith('.png'));
      assert.ok(png, 'a PNG was exported');
      assert.deepEqual(readFileSync(join(exports, png)).subarray(0, 8), PNG_SIGNATURE);
      assert.ok(existsSync(join(exports, png)));
    });

    await t.test('the "Variance report" lens opens the report document', async () => {
      await workbench.openFile('keras_model.py');
      await page.locator(`${SELECTORS.codeLens} a`, { hasText: 'Variance report' }).first().click();
      await page.waitForSelector(`${SELECTORS.tab}[aria-label*=".initlint-report"]`, { timeout: 20_000 });
      await page.waitForSelector(`${SELECTORS.viewLines} >> text=/model\\s+\\(keras,\\s+sequential\\)/`, { timeout: 20_000 });
      await shot('variance-check-report');
    });
  } catch (error) {
    await shot('variance-check-failure').catch(() => undefined);
    t.diagnostic(`code-server log: ${server.logFile}`);
    throw error;
  } finally {
    await browser.close();
    await server.stop();
  }
});
