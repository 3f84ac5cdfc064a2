/**
 * End to end in code-server's built-in notebook editor (no Jupyter extension): a notebook whose model spans
 * cells (`DEPTH = 20` in the first cell, a markdown cell, the Dense/ReLU loop in the third). The squiggle must
 * appear in the third cell's editor only, Ctrl+. there must rewrite that cell, and the model's CodeLenses must
 * open the notebook's variance report and the variance-check panel, whose layer table names each layer's cell
 * and whose rows select the layer in that cell. Screenshots go to screenshotsDir() (a temporary folder).
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

const NOTEBOOK = 'deep_mlp.ipynb';

/** The notebook editor's cell list rows (`data-index`: the cell's index, markdown cells included). */
const cell = (index: number) => `.notebook-editor .monaco-list-row[data-index="${index}"]`;
const cellEditor = (index: number) => `${cell(index)} .cell-editor-container .monaco-editor`;
const cellSquiggle = (index: number) => `${cellEditor(index)} :is(.squiggly-error, .squiggly-warning, .squiggly-info)`;

test('InitLint in code-server\'s notebook editor: squiggle in the right cell, quick fix, CodeLens report and variance check', { timeout: 5 * 60_000 }, async (t) => {
  const unavailable = editorToolsMissing();
  if (unavailable) return t.skip(unavailable);
  assert.deepEqual(missingBuildOutputs(EXTENSION_BUILD), [], 'run `npm run build` first');

  const scratch = mkdtempSync(join(tmpdir(), 'initlint-e2e-notebook-'));
  const vsix = join(scratch, 'initlint.vsix');
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'package-vsix.mjs'), '--no-build', '--out', vsix], { cwd: REPO_ROOT, stdio: 'pipe' });
  const workspace = join(scratch, 'workspace');
  cpSync(join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'workspace'), workspace, { recursive: true });
  const SCREENSHOTS = screenshotsDir();
  t.diagnostic(`screenshots: ${SCREENSHOTS}`);

  const server = await CodeServer.start({
    workspace,
    vsix,
    // Two weight draws: this test follows cells, not the spread, and 20 layers × 8 draws is slow on a software GPU.
    settings: { 'editor.codeLens': true, 'workbench.colorTheme': 'Default Dark Modern', 'notebook.lineNumbers': 'on', 'initlint.varianceCheck.draws': 2 },
  });
  // WebGL on SwiftShader for the variance check's probe, as in panel.test.ts.
  const browser = await launchChromium({ softwareWebGl: true });
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  const cellText = async (index: number) => (await page.innerText(`${cellEditor(index)} .view-lines`)).replace(/\u00a0/g, ' ');
  const workbench = new Workbench(page);
  try {
    await workbench.open(server.workbenchUrl(workspace));

    await t.test('the .ipynb opens in the built-in notebook editor and the squiggle is in the model\'s cell', async () => {
      await workbench.openFile(NOTEBOOK);
      await page.waitForSelector(cellEditor(2), { timeout: 30_000 });
      assert.match(await cellText(0), /DEPTH = 20/);
      assert.match(await cellText(2), /for _ in range\(DEPTH\)/);
      await page.waitForSelector(`${cellEditor(2)} .squiggly-warning`, { state: 'attached', timeout: 60_000 });
      // The lens comes from the extension host, the squiggle from the language server, in either order: a lens
      // arriving later moves the cell's lines down one line, and the next step's click would land above the squiggle.
      await page.locator(`${cellEditor(2)} .codelens-decoration a`, { hasText: 'Open variance check' }).first().waitFor({ timeout: 30_000 });
      assert.equal(await page.locator(cellSquiggle(0)).count(), 0, 'no squiggle in the DEPTH cell');
      assert.equal(await page.locator(`${cell(1)} .squiggly-warning`).count(), 0, 'no squiggle in the markdown cell');
      // Only Python cells are InitLint's: the language the built-in ipynb serializer gave them.
      await shot('notebook-diagnostics');
    });

    await t.test('Ctrl+. in the cell applies "Use he_uniform" to that cell', async () => {
      // A click on the squiggle puts the cursor inside the diagnostic's range, in that cell's editor.
      const box = await page.locator(cellSquiggle(2)).first().boundingBox();
      assert.ok(box, 'the squiggle has a box');
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.keyboard.press('Control+.');
      const row = await page.waitForSelector(SELECTORS.focusedAction, { timeout: 10_000 });
      const title = (await row.innerText()).trim();
      await shot('notebook-quick-fix-menu');
      await page.keyboard.press('Enter');
      t.diagnostic(`applied: ${title}`);
      assert.match(title, /he_uniform/);
      const deadline = Date.now() + 15_000;
      let text = await cellText(2);
      while (!text.includes('kernel_initializer="he_uniform"') && Date.now() < deadline) {
        await page.waitForTimeout(100);
        text = await cellText(2);
      }
      assert.match(text, /layers\.Dense\(WIDTH, activation="relu", kernel_initializer="he_uniform"\)/);
      assert.doesNotMatch(await cellText(0), /he_uniform/, 'the DEPTH cell is unchanged');
      await page.waitForSelector(cellSquiggle(2), { state: 'detached', timeout: 30_000 });
      // The lens follows: he_uniform keeps the forward variance near 1.
      await page.locator(`${cellEditor(2)} .codelens-decoration a`, { hasText: 'Open variance check' }).filter({ hasNotText: '1.9e-6' }).first()
        .waitFor({ timeout: 15_000 });
      await page.keyboard.press('Escape');
      await shot('notebook-quick-fix');
    });
    await t.test('the model\'s CodeLenses sit on its cell; "Variance report" opens the notebook\'s report (after the fix)', async () => {
      const check = page.locator(`${cellEditor(2)} .codelens-decoration a`, { hasText: 'Open variance check' });
      await check.first().waitFor({ timeout: 30_000 });
      assert.match(await check.first().innerText(), /^21 layers · forward variance ×\S+ · Open variance check$/);
      assert.equal(await page.locator(`${cellEditor(0)} .codelens-decoration`).count(), 0, 'no lens on the DEPTH cell');
      const lens = page.locator(`${cellEditor(2)} .codelens-decoration a`, { hasText: /^Variance report$/ });
      await lens.first().click();
      await page.waitForSelector(`${SELECTORS.tab}[aria-label*="${NOTEBOOK}.initlint-report"]`, { timeout: 20_000 });
      await page.waitForSelector(`${SELECTORS.viewLines} >> text=cell 3:4`, { timeout: 20_000 });
      // The report follows the fixed cell: he_uniform keeps the forward variance at 1.
      await page.waitForSelector(`${SELECTORS.viewLines} >> text=he_uniform`, { timeout: 20_000 });
      await shot('notebook-variance-report');
    });

    await t.test('"Open variance check" opens the panel on the notebook\'s model: measured, each layer named by its cell, a row selects it there', async () => {
      await page.locator(`${cellEditor(2)} .codelens-decoration a`, { hasText: 'Open variance check' }).first().click();
      await page.waitForSelector(`${SELECTORS.tab}[aria-label*="Variance check: model (${NOTEBOOK})"]`, { timeout: 30_000 });
      const panel = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
      await panel.locator('#run-info').filter({ hasText: /\b(webgpu|webgl|wasm|cpu)\b/i }).waitFor({ timeout: 120_000 });
      const rows = panel.locator('#layers tbody tr[data-layer]');
      assert.equal(await rows.count(), 21, 'DEPTH = 20 from the first cell: 20 hidden layers and the output');
      assert.match(await rows.nth(3).innerText(), /cell 3:4/);
      await shot('notebook-variance-check');
      await rows.nth(20).click();
      // The output layer, `layers.Dense(10)` on the loop cell's line 5, selected in that cell's editor.
      await page.waitForSelector(`${cellEditor(2)} .selected-text`, { state: 'attached', timeout: 10_000 });
      await panel.locator('#status').filter({ hasText: 'layer 21 at cell 3, line 5' }).waitFor({ timeout: 10_000 });
    });

  } catch (error) {
    await shot('notebook-failure').catch(() => undefined);
    t.diagnostic(`code-server log: ${server.logFile}`);
    throw error;
  } finally {
    await browser.close();
    await server.stop();
  }
});
