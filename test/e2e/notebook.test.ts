/**
 * End to end in code-server's built-in notebook editor (no Jupyter extension): a notebook whose model spans
 * cells (`DEPTH = 20` in the first cell, a markdown cell, the Dense/ReLU loop in the third). The squiggle must
 * appear in the third cell's editor only, Ctrl+. there must rewrite that cell, and the model's CodeLens must
 * open the notebook's variance report. Screenshots go to test-results/e2e/; the quick-fix one is copied to
 * docs/images/notebook-quick-fix.png.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXTENSION_BUILD, missingBuildOutputs } from './harness/build';
import { CodeServer, ensureEditorTools, REPO_ROOT } from './harness/codeServer';
import { launchChromium, SELECTORS, Workbench } from './harness/workbench';

const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'e2e');
const DOC_IMAGE = join(REPO_ROOT, 'docs', 'images', 'notebook-quick-fix.png');
const NOTEBOOK = 'deep_mlp.ipynb';

/** The notebook editor's cell list rows (`data-index`: the cell's index, markdown cells included). */
const cell = (index: number) => `.notebook-editor .monaco-list-row[data-index="${index}"]`;
const cellEditor = (index: number) => `${cell(index)} .cell-editor-container .monaco-editor`;
const cellSquiggle = (index: number) => `${cellEditor(index)} :is(.squiggly-error, .squiggly-warning, .squiggly-info)`;

test('InitLint in code-server\'s notebook editor: squiggle in the right cell, quick fix, CodeLens report', { timeout: 5 * 60_000 }, async (t) => {
  const unavailable = ensureEditorTools();
  if (unavailable) return t.skip(unavailable);
  assert.deepEqual(missingBuildOutputs(EXTENSION_BUILD), [], 'run `npm run build` first');

  const scratch = mkdtempSync(join(tmpdir(), 'initlint-e2e-notebook-'));
  const vsix = join(scratch, 'initlint.vsix');
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'package-vsix.mjs'), '--no-build', '--out', vsix], { cwd: REPO_ROOT, stdio: 'pipe' });
  const workspace = join(scratch, 'workspace');
  cpSync(join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'workspace'), workspace, { recursive: true });
  mkdirSync(SCREENSHOTS, { recursive: true });

  const server = await CodeServer.start({
    workspace,
    vsix,
    settings: { 'editor.codeLens': true, 'workbench.colorTheme': 'Default Dark Modern', 'notebook.lineNumbers': 'on' },
  });
  const browser = await launchChromium();
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
      await page.locator(`${cellEditor(2)} .codelens-decoration a`, { hasText: 'Open variance report' }).filter({ hasNotText: '9.5e-7' }).first()
        .waitFor({ timeout: 15_000 });
      await page.keyboard.press('Escape');
      await shot('notebook-quick-fix');
      mkdirSync(join(REPO_ROOT, 'docs', 'images'), { recursive: true });
      copyFileSync(join(SCREENSHOTS, 'notebook-quick-fix.png'), DOC_IMAGE);
    });
    await t.test('the model\'s CodeLens sits on its cell and opens the notebook\'s variance report (after the fix)', async () => {
      const lens = page.locator(`${cellEditor(2)} .codelens-decoration a`, { hasText: 'Open variance report' });
      await lens.first().waitFor({ timeout: 30_000 });
      assert.match(await lens.first().innerText(), /20 layers?|21 layers?/);
      assert.equal(await page.locator(`${cellEditor(0)} .codelens-decoration`).count(), 0, 'no lens on the DEPTH cell');
      await lens.first().click();
      await page.waitForSelector(`${SELECTORS.tab}[aria-label*="${NOTEBOOK}.initlint-report"]`, { timeout: 20_000 });
      await page.waitForSelector(`${SELECTORS.viewLines} >> text=cell 2:4`, { timeout: 20_000 });
      // The report follows the fixed cell: he_uniform keeps the forward variance at 1.
      await page.waitForSelector(`${SELECTORS.viewLines} >> text=he_uniform`, { timeout: 20_000 });
      await shot('notebook-variance-report');
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
