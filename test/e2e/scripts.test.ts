/**
 * TensorFlow.js files as first-class as Python ones, in code-server + Chromium with the packaged .vsix:
 * the hover's numbers (from the tsserver plugin's quick info), the quick-fix menu's entries, the Source Action
 * menu's InitLint entry, fix-on-save through `editor.codeActionsOnSave`, and the language status items
 * (plugin and server state, models, the failed state when the server cannot start).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXTENSION_BUILD, missingBuildOutputs } from './harness/build';
import { CodeServer, editorToolsMissing, REPO_ROOT, screenshotsDir } from './harness/codeServer';
import { launchChromium, SELECTORS, Workbench } from './harness/workbench';

test('JS/TS in code-server: hover numbers, quick-fix menu, Source Action, fix-on-save, status items', { timeout: 5 * 60_000 }, async (t) => {
  const unavailable = editorToolsMissing();
  if (unavailable) return t.skip(unavailable);
  assert.deepEqual(missingBuildOutputs(EXTENSION_BUILD), [], 'run `npm run build` first');

  const scratch = mkdtempSync(join(tmpdir(), 'initlint-e2e-scripts-'));
  const vsix = join(scratch, 'initlint.vsix');
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'package-vsix.mjs'), '--no-build', '--out', vsix], { cwd: REPO_ROOT, stdio: 'pipe' });
  const workspace = join(scratch, 'workspace');
  cpSync(join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'workspace'), workspace, { recursive: true });
  copyFileSync(join(workspace, 'tfjs_model.ts'), join(workspace, 'save_model.ts'));
  const screenshots = screenshotsDir();
  t.diagnostic(`screenshots: ${screenshots}`);

  const server = await CodeServer.start({
    workspace, vsix,
    settings: { 'workbench.colorTheme': 'Default Dark Modern', 'editor.codeActionsOnSave': { 'source.fixAll.initlint': 'explicit' }, 'files.autoSave': 'off' },
  });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const shot = (name: string) => page.screenshot({ path: join(screenshots, `${name}.png`) });
  const workbench = new Workbench(page);
  const modelLines = readFileSync(join(workspace, 'tfjs_model.ts'), 'utf8').split('\n');
  /** 1-based line and column of `text` in tfjs_model.ts (the first line holding it from `fromLine`). */
  const at = (text: string, fromLine = 1) => {
    const line = modelLines.findIndex((candidate, i) => i >= fromLine - 1 && candidate.includes(text));
    return { line: line + 1, column: modelLines[line].indexOf(text) + 1 };
  };
  try {
    await workbench.open(server.workbenchUrl(workspace));
    await workbench.openFile('tfjs_model.ts');
    await page.waitForSelector(SELECTORS.squiggle('warning'), { state: 'attached', timeout: 90_000 });

    await t.test('the hover on a layer\'s activation shows the numbers the Python hover shows', async () => {
      const loop = at('for (');
      const relu = at("activation: 'relu'", loop.line);
      await workbench.goTo(relu.line, relu.column + "activation: '".length + 1);
      const hover = await workbench.showHover();
      t.diagnostic(hover);
      assert.match(hover, /InitLint · dense \(layer \d+ of model\) · activation/);
      assert.match(hover, /kernel initializer: glorotNormal \(the default\): Var\(W\) = [\d.e-]+ \(fan_in 256, fan_out 256\)/);
      assert.match(hover, /this layer's forward gain: ×[\d.]+/);
      assert.match(hover, /its chain of \d+ layers: forward ×\S+, backward ×\S+/);
      await shot('tfjs-hover');
      await page.keyboard.press('Escape');
    });

    await t.test('the quick-fix menu has the fixes, Fix all, Disable for this line / file and Show documentation', async () => {
      assert.match(await workbench.goToNextProblem(), /relu-glorot-deep/);
      const titles = await workbench.actionTitles(() => page.keyboard.press('Control+.'), 'Show documentation for relu-glorot-deep');
      t.diagnostic(titles.join(' | '));
      for (const expected of ['Fix all InitLint problems', 'Disable initlint relu-glorot-deep for this line', 'Disable initlint relu-glorot-deep for this file', 'Show documentation for relu-glorot-deep']) {
        assert.ok(titles.some((title) => title.includes(expected)), `"${expected}" in ${titles.join(' | ')}`);
      }
      // The finding's own fix comes first (Ctrl+. then Enter applies it); the file-wide entries follow.
      assert.match(titles.find((title) => title !== 'Quick Fix') ?? '', /^Use heUniform/, titles.join(' | '));
    });

    await t.test('the Source Action menu has an InitLint entry', async () => {
      const titles = await workbench.actionTitles(() => workbench.runCommand('Source Action...'), 'Fix all InitLint problems');
      t.diagnostic(titles.join(' | '));
    });

    await t.test('the status items: the plugin analyses the file, one model, links to the variance check and the log', async () => {
      const items = await workbench.languageStatus(/1 model/);
      t.diagnostic(JSON.stringify(items));
      assert.ok(items.some((item) => /InitLint.*tsserver plugin running · \d+ findings?.*Show Log/.test(item.text)), JSON.stringify(items));
      assert.ok(items.some((item) => /1 model.*model \(\d+ layers\).*Variance check/.test(item.text)), JSON.stringify(items));
      await shot('tfjs-status');
      const links = await page.locator(`${SELECTORS.languageStatusItem} a`).evaluateAll((anchors) =>
        anchors.map((anchor) => `${(anchor as unknown as { innerText: string }).innerText} → ${decodeURIComponent(anchor.getAttribute('href') ?? '')}`));
      t.diagnostic(links.join(' | '));
      assert.ok(links.includes('Show Log → command:initlint.showLog'), links.join(' | '));
      // A command with arguments is passed through one of VS Code's converter commands, which names it.
      assert.ok(links.some((link) => link.startsWith('Variance check → command:') && link.includes('initlint.openVarianceCheck')), links.join(' | '));
      // What the Show Log link runs: the Output view on the InitLint channel.
      await page.mouse.move(700, 400);
      await workbench.runCommand('InitLint: Show Log');
      const output = page.locator('.part.panel');
      await output.locator('.view-lines').first().waitFor({ timeout: 15_000 });
      await shot('tfjs-status-log');
      const channel = await output.locator('select').evaluateAll((selects) => selects.map((select) => {
        const chosen = select as unknown as { selectedIndex: number; options: { text: string }[] };
        return chosen.options[chosen.selectedIndex]?.text ?? '';
      }));
      t.diagnostic(`output channel: ${channel.join(', ')}`);
      assert.ok(channel.includes('InitLint'), `the Output view shows the InitLint channel: ${channel.join(', ')}`);
    });

    await t.test('"source.fixAll.initlint": "explicit" in editor.codeActionsOnSave fixes a .ts file on save', async () => {
      await workbench.openFile('save_model.ts');
      await page.waitForSelector(SELECTORS.squiggle('warning'), { state: 'attached', timeout: 60_000 });
      await page.keyboard.press('Control+End');
      await page.keyboard.type('// edited\n');
      await page.keyboard.press('Control+S');
      await workbench.waitForEditorText((text) => /kernelInitializer: 'he(Uniform|Normal)'/.test(text), 30_000);
      const deadline = Date.now() + 15_000;
      let saved = '';
      while (Date.now() < deadline && !/kernelInitializer/.test(saved)) {
        saved = readFileSync(join(workspace, 'save_model.ts'), 'utf8');
        await page.waitForTimeout(200);
      }
      assert.match(saved, /kernelInitializer: 'he(Uniform|Normal)'/, 'the fixed text is what was saved');
      await page.waitForSelector(SELECTORS.squiggle('warning'), { state: 'detached', timeout: 30_000 });
      await shot('tfjs-fixed-on-save');
    });

    await t.test('Python: the server\'s state and the file\'s models; an Error state when the server fails to start', async () => {
      await workbench.openFile('keras_model.py');
      await page.waitForSelector(SELECTORS.squiggle('error'), { state: 'attached', timeout: 60_000 });
      // The server's answer for this file (after its first analysis): the model and the findings.
      const running = await workbench.languageStatus(/1 model/);
      assert.ok(running.some((item) => /1 model.*model \(4 layers\).*Variance check/.test(item.text)), JSON.stringify(running));
      assert.ok(running.some((item) => /InitLint.*language server running · \d+ findings?.*Show Log/.test(item.text)), JSON.stringify(running));
      assert.ok(!running.some((item) => item.error));
      // A broken install: the server bundle is gone, the restart cannot start it.
      const [installed] = readdirSync(join(server.home, 'extensions')).filter((name) => name.startsWith('initlint.'));
      rmSync(join(server.home, 'extensions', installed, 'dist', 'server.js'));
      await workbench.runCommand('InitLint: Restart Server');
      // Said in a notification that links the log, not in a modal dialog.
      await page.locator(SELECTORS.notification, { hasText: 'InitLint: the language server could not start' }).waitFor({ timeout: 20_000 });
      assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no modal dialog');
      const failed = await workbench.languageStatus(/failed to start/);
      t.diagnostic(JSON.stringify(failed));
      const state = failed.find((item) => /failed to start/.test(item.text));
      assert.match(state?.text ?? '', /language server failed to start: .*server\.js is missing/);
      assert.ok(state?.error, 'shown with the Error severity');
      await shot('python-status-failed');
    });
  } catch (error) {
    await shot('scripts-failure').catch(() => undefined);
    t.diagnostic(`code-server log: ${server.logFile}`);
    throw error;
  } finally {
    await browser.close();
    await server.stop();
  }
});
