/**
 * The variance check on a model with a zeros layer, in code-server + Chromium with the packaged .vsix: the
 * charts mark the zeros the log scale cannot show, and LSUV replaces the constant kernel with a calibrated
 * one (it cannot calibrate a constant: it starts that layer from a random draw) and says so; afterwards the
 * old measurement is shown stale.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { EXTENSION_BUILD, missingBuildOutputs } from './harness/build';
import { CodeServer, editorToolsMissing, REPO_ROOT, screenshotsDir } from './harness/codeServer';
import { launchChromium, SELECTORS, Workbench } from './harness/workbench';

test('LSUV on a model with a zeros layer: zeros charted, the constant replaced, never a silent success', { timeout: 6 * 60_000 }, async (t) => {
  const unavailable = editorToolsMissing();
  if (unavailable) return t.skip(unavailable);
  assert.deepEqual(missingBuildOutputs([...EXTENSION_BUILD, 'media/variancePanel.js']), [], 'run `npm run build` first');

  const scratch = mkdtempSync(join(tmpdir(), 'initlint-e2e-lsuv-'));
  const vsix = join(scratch, 'initlint.vsix');
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'package-vsix.mjs'), '--no-build', '--out', vsix], { cwd: REPO_ROOT, stdio: 'pipe' });
  const workspace = join(scratch, 'workspace');
  cpSync(join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'workspace'), workspace, { recursive: true });
  const screenshots = screenshotsDir();
  t.diagnostic(`screenshots: ${screenshots}`);

  const server = await CodeServer.start({ workspace, vsix, settings: { 'editor.codeLens': true, 'workbench.colorTheme': 'Default Dark Modern', 'initlint.varianceCheck.backend': 'wasm' } });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const shot = (name: string) => page.screenshot({ path: join(screenshots, `${name}.png`) });
  const workbench = new Workbench(page);
  const panel: FrameLocator = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  try {
    await workbench.open(server.workbenchUrl(workspace));
    await workbench.openFile('keras_model.py');
    const lens = page.locator(`${SELECTORS.codeLens} a`, { hasText: 'Open variance check' });
    await lens.first().waitFor({ timeout: 60_000 });
    await lens.first().click();
    await panel.locator('#run-info').filter({ hasText: /Measured on/ }).waitFor({ timeout: 120_000 });

    await t.test('the zero layer\'s values are marked on the log charts, not left out', async () => {
      const forward = await panel.locator('#forward-chart .chart-zeros').innerText();
      const backward = await panel.locator('#backward-chart .chart-zeros').innerText();
      t.diagnostic(forward);
      t.diagnostic(backward);
      assert.match(forward, /current: measured at layers 3–4/, 'the zero kernel\'s output, and the layer after it');
      assert.match(backward, /current: measured at layers 1–\d/, 'nothing flows back through the zero kernel');
      await shot('lsuv-before');
      // The panel beside the editor (about a third of this window): the layer table scrolls within it.
      const table = await panel.locator('.table-scroll').evaluate((scroller) => {
        scroller.scrollLeft = 200;
        const page = scroller.ownerDocument.documentElement;
        return { scroll: scroller.scrollWidth, client: scroller.clientWidth, left: scroller.scrollLeft, page: page.scrollWidth, viewport: page.clientWidth };
      });
      t.diagnostic(`layer table: ${JSON.stringify(table)}`);
      assert.ok(table.scroll > table.client && table.left > 0, 'the table scrolls sideways');
      assert.ok(table.page <= table.viewport, 'the panel itself does not');
    });

    await t.test('LSUV writes a calibrated initializer in place of zeros, and its message says so', async () => {
      await panel.locator('#lsuv-button').click();
      await workbench.waitForEditorText((text) => !text.includes('"zeros"') && (text.match(/VarianceScaling/g)?.length ?? 0) >= 3, 120_000);
      const status = panel.locator('#status');
      await status.filter({ hasText: /LSUV scales written to \d+ layers/ }).waitFor({ timeout: 20_000 });
      const message = await status.innerText();
      t.diagnostic(message);
      assert.doesNotMatch(message, /incomplete/);
      assert.match(message, /Layer 3 \(Dense\) started from a constant kernel \('zeros'\), which LSUV cannot calibrate/);
      assert.equal(await panel.locator('#error').isVisible(), false);
      assert.match(await panel.locator('#notes').innerText(), /LSUV: layer 3 \(Dense\): its kernel is constant/);
      await shot('lsuv-applied');
    });

    await t.test('the measurement from before the edit is shown stale until measured again', async () => {
      await panel.locator('#forward-chart .u-legend', { hasText: 'current: measured (stale: re-run)' }).waitFor({ timeout: 20_000 });
      await panel.locator('#run-button').click();
      await panel.locator('#run-info').filter({ hasText: /Measured on/ }).filter({ hasNotText: 'stale' }).waitFor({ timeout: 120_000 });
      assert.equal(await panel.locator('#forward-chart .chart-zeros').count(), 0, 'no zero left after LSUV');
    });
  } catch (error) {
    await shot('lsuv-failure').catch(() => undefined);
    t.diagnostic(`code-server log: ${server.logFile}`);
    throw error;
  } finally {
    await browser.close();
    await server.stop();
  }
});
