/**
 * The variance-check webview in a real browser (Debian Chromium through playwright-core), under the CSP
 * the extension host serves, measuring real models with the real probe on TensorFlow.js: WebGL on
 * SwiftShader when it starts, else WASM, else CPU; then WASM explicitly. The models come from Keras source
 * through the project's own analysis (panelModel, as the host builds them). Its screenshot and PNG export go to
 * screenshotsDir() (a temporary folder).
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { DEFAULT_PROBE_SETTINGS, type PanelModel, type PanelRunSummary, type ProbeSettings } from '../../src/protocol/panel';
import { panelModel } from '../../src/protocol/panelModel';
import { missingBuildOutputs } from '../e2e/harness/build';
import { chromiumMissing, screenshotsDir } from '../e2e/harness/codeServer';
import { launchChromium } from '../e2e/harness/workbench';
import { PanelPage, PanelServer } from './panelPage';

const SCREENSHOTS = screenshotsDir();
const WIDTH = 256;
const HIDDEN_LAYERS = 5;

/** A Keras MLP: HIDDEN_LAYERS ReLU layers of WIDTH units and a linear output, every kernel `initializer`. */
function kerasSource(name: string, initializer: string): string {
  const dense = (activation: string) => `    layers.Dense(${WIDTH}${activation}, kernel_initializer=${initializer}),`;
  return [
    'import keras',
    'from keras import layers',
    '',
    `${name} = keras.Sequential([`,
    `    keras.Input(shape=(${WIDTH},)),`,
    ...Array.from({ length: HIDDEN_LAYERS }, () => dense(', activation="relu"')),
    dense(''),
    `], name="${name}")`,
    '',
  ].join('\n');
}

function panelFor(name: string, initializer: string): PanelModel {
  const fileName = `/workspace/${name}.py`;
  const panel = panelModel(kerasSource(name, initializer), fileName, DEFAULT_CONFIG, { uri: `file://${fileName}`, modelIndex: 0, modelName: name }, `${name}.py`);
  assert.ok(panel, `the analysis finds the model ${name}`);
  return panel;
}

const SETTINGS: ProbeSettings = { ...DEFAULT_PROBE_SETTINGS, batch: 128, seed: 3 };
const ACCEPTED_BACKENDS = ['webgl', 'wasm', 'cpu'];

function assertWithin(measured: number, predicted: number, factor: number, what: string): void {
  assert.ok(measured > 0 && predicted > 0 && measured / predicted < factor && predicted / measured < factor, `${what}: measured ${measured}, predicted ${predicted}`);
}

let server: PanelServer | undefined;
before(async () => {
  if (chromiumMissing()) return;
  assert.deepEqual(missingBuildOutputs(['media/variancePanel.js', 'media/variancePanel.css', 'media/wasm/tfjs-backend-wasm-simd.wasm']), [], 'run `npm run build` first');
  server = await PanelServer.start();
});
after(() => server?.close());

test('the variance-check webview in Chromium: measures, reveals, LSUV, exports, under the panel CSP', { timeout: 180_000 }, async (t) => {
  const unavailable = chromiumMissing();
  const served = server;
  if (unavailable || !served) return t.skip(unavailable);
  let browser: Browser | undefined;
  try {
    // Without a WebGPU adapter, so `auto` falls through to WebGL (SwiftShader), as on most machines today.
    browser = await launchChromium({ softwareWebGl: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const panel = await PanelPage.open(page, served);
    const good = panelFor('he_relu', '"he_normal"');
    const bad = panelFor('tiny_normal', 'keras.initializers.RandomNormal(stddev=0.01)');
    let badRun: PanelRunSummary | undefined;
    let goodRun: PanelRunSummary | undefined;

    await t.test('says ready, then draws the prediction of the model it is sent', async () => {
      await panel.next('ready');
      await panel.post({ type: 'load', panel: good, settings: SETTINGS, run: false });
      await page.locator('#forward-chart canvas').waitFor();
      assert.match(await panel.text('h1'), /he_relu/);
      assert.equal(await page.locator('#layers tbody tr').count(), HIDDEN_LAYERS + 1);
      assert.ok(await panel.isDisabled('#applyFixes-button'), 'nothing to fix in a He-normal ReLU model');
      assert.deepEqual(await panel.state(), { key: good.key, settings: SETTINGS }, 'the panel state is persisted');
    });

    await t.test('Run measures a He-normal ReLU model where the prediction says', async () => {
      await page.click('#run-button');
      assert.deepEqual((await panel.next('runStarted')).settings, SETTINGS);
      const { summary } = await panel.next('runFinished');
      goodRun = summary;
      t.diagnostic(`backend: ${summary.backend}${summary.renderer ? ` (${summary.renderer})` : ''}, ${summary.totalMs.toFixed(0)} ms; notes: ${summary.notes.join('; ')}`);
      assert.ok(ACCEPTED_BACKENDS.includes(summary.backend), `backend ${summary.backend}`);
      assert.equal(summary.layers.length, HIDDEN_LAYERS + 1);
      for (const layer of summary.layers) {
        const predicted = good.report.layers[layer.index].predicted;
        assertWithin(layer.forward, predicted.forward, 1.5, `layer ${layer.index + 1} forward`);
        assertWithin(layer.backward, predicted.backward, 1.5, `layer ${layer.index + 1} backward`);
      }
      assert.match(await panel.text('#run-info'), new RegExp(`Measured on ${summary.backend}`));
    });

    await t.test('eight weight draws: each layer\'s band holds its mean, the chart names the band once, the table shows mean and band', async () => {
      assert.equal(goodRun!.settings.draws, 8);
      for (const layer of goodRun!.layers) {
        const band = layer.spread?.forward;
        assert.ok(band && band.p10 <= layer.forward && layer.forward <= band.p90 && band.p10 < band.p90, `layer ${layer.index + 1}: ${JSON.stringify(band)}`);
      }
      for (const chart of ['#forward-chart', '#backward-chart']) {
        const bandEntries = page.locator(`${chart} .u-legend .u-series`, { hasText: 'current: measured, 10–90% of draws' });
        assert.equal(await bandEntries.count(), 2, 'the band\'s upper and lower edges are series');
        assert.equal(await bandEntries.first().isVisible(), true, 'the upper edge names the band');
        assert.equal(await bandEntries.last().isVisible(), false, 'the lower edge is not named twice');
      }
      // Forward measured is the table's 8th column: the mean, then the band in brackets.
      const cell = await panel.text('#layers tbody tr:nth-child(2) td:nth-child(8)');
      assert.match(cell, /^[\d.e-]+ \[[\d.e-]+–[\d.e-]+\]$/);
      assert.match(await panel.text('#run-info'), /8 weight draws \(mean and 10–90% band\)/);
      await page.screenshot({ path: join(SCREENSHOTS, 'panel-bands.png'), fullPage: true });
    });

    await t.test('a GELU model under He: its predictions are marked as infinite-width values, with the reason in their tooltip', async () => {
      const gelu = panelModel(kerasSource('he_gelu', '"he_normal"').replace(/activation="relu"/g, 'activation="gelu"'), '/workspace/he_gelu.py', DEFAULT_CONFIG,
        { uri: 'file:///workspace/he_gelu.py', modelIndex: 0, modelName: 'he_gelu' }, 'he_gelu.py');
      assert.ok(gelu);
      await panel.post({ type: 'load', panel: gelu, settings: SETTINGS, run: false });
      await page.locator('h1', { hasText: 'he_gelu' }).waitFor();
      const marked = page.locator('#layers td.finite-width');
      assert.equal(await marked.count(), 2 * (HIDDEN_LAYERS + 1), 'forward and backward of every layer');
      assert.match(await marked.first().getAttribute('title') ?? '', /^An infinite-width value that finite width moves: layer 1 \(gelu\) has mean-field slope 1\.\d\d > 1/);
      assert.match(await marked.first().innerText(), / ~$/);
    });

    await t.test('a load with run: true measures at once and shows the vanishing of a badly initialized model', async () => {
      await panel.post({ type: 'load', panel: bad, settings: SETTINGS, run: true });
      badRun = (await panel.next('runFinished')).summary;
      const forward = badRun.layers.map((layer) => layer.forward);
      const predicted = bad.report.layers.map((layer) => layer.predicted.forward);
      t.diagnostic(`measured forward: ${forward.map((value) => value.toExponential(1)).join(', ')}`);
      assert.ok(forward.at(-1)! / forward[0] < 1e-6, 'the measured signal vanishes');
      assert.ok(predicted.at(-1)! / predicted[0] < 1e-6, 'as predicted');
      // Finite width makes each layer's gain fluctuate by several percent; over six layers the measurement
      // stays within a factor 2 of the mean-field prediction (the well-initialized model pins ×1.5).
      badRun.layers.forEach((layer) => assertWithin(layer.forward, predicted[layer.index], 2, `layer ${layer.index + 1} forward`));
      assert.ok(bad.recommended, 'the analysis recommends fixes');
      assert.ok(!(await panel.isDisabled('#applyFixes-button')), 'Apply recommended fixes is enabled');
      await page.screenshot({ path: join(SCREENSHOTS, 'panel.png'), fullPage: true });
    });

    await t.test('a table row reveals its layer on click and on Enter', async () => {
      await page.click('#layers tbody tr:nth-child(3)');
      assert.deepEqual(await panel.next('reveal'), { type: 'reveal', layer: 2 });
      await page.focus('#layers tbody tr:nth-child(4)');
      await page.keyboard.press('Enter');
      assert.deepEqual(await panel.next('reveal'), { type: 'reveal', layer: 3 });
    });

    await t.test('Apply recommended fixes asks the host', async () => {
      await page.click('#applyFixes-button');
      assert.deepEqual(await panel.next('applyFixes'), { type: 'applyFixes' });
      assert.ok(await panel.isDisabled('#applyFixes-button'), 'no second request before the host answers');
      await panel.post({ type: 'done', request: 'applyFixes', ok: true, message: 'Applied 1 fix.' });
      await page.locator('#status', { hasText: 'Applied 1 fix.' }).waitFor();
      assert.ok(!(await panel.isDisabled('#applyFixes-button')));
    });

    await t.test('Run LSUV posts a positive scale per Dense layer: about 1 after N(0,1) inputs, about 2 after ReLU', async () => {
      await page.click('#lsuv-button');
      const { scales, tolerance } = await panel.next('applyLsuv');
      t.diagnostic(`LSUV scales: ${scales.map((scale) => scale.fanInScale.toFixed(2)).join(', ')}`);
      assert.equal(tolerance, 0.05);
      assert.deepEqual(scales.map((scale) => scale.index), bad.model.layers.map((layer) => layer.index));
      assert.ok(scales.every((scale) => scale.fanInScale > 0 && scale.converged));
      assertWithin(scales[0].fanInScale, 1, 1.3, 'first layer');
      for (const scale of scales.slice(1)) assertWithin(scale.fanInScale, 2, 1.3, `layer ${scale.index + 1} after ReLU`);
      await panel.post({ type: 'done', request: 'applyLsuv', ok: true, message: 'Applied 6 LSUV scales.' });
      await page.locator('#status', { hasText: 'Applied 6 LSUV scales.' }).waitFor();
    });

    await t.test('exports a PNG of the charts, the run as JSON and a Markdown table', async () => {
      await page.click('#exportPng-button');
      const png = await panel.next('export');
      assert.equal(png.format, 'png');
      const bytes = Buffer.from(png.content, 'base64');
      assert.ok(bytes.length > 10_000, `PNG of ${bytes.length} bytes`);
      assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
      writeFileSync(join(SCREENSHOTS, 'export.png'), bytes);

      await page.click('#exportJson-button');
      const json = await panel.next('export');
      assert.equal(json.format, 'json');
      const exported = JSON.parse(json.content);
      assert.equal(exported.model, 'tiny_normal');
      assert.deepEqual(exported.run.layers, badRun!.layers);
      assert.equal(exported.recommended.layers.length, HIDDEN_LAYERS + 1);

      await page.click('#exportMarkdown-button');
      const markdown = await panel.next('export');
      assert.equal(markdown.format, 'md');
      assert.match(markdown.content, /^# Variance check: tiny_normal/);
      assert.match(markdown.content, /\| # \| layer \|/);
    });

    await t.test('the WASM backend, chosen in the form, runs single-threaded SIMD from the wasm base URI', async () => {
      await page.click('#backend');
      await page.getByRole('option', { name: 'WebAssembly', exact: true }).click();
      await page.click('#run-button');
      assert.equal((await panel.next('runStarted')).settings.backend, 'wasm');
      const { summary } = await panel.next('runFinished');
      assert.equal(summary.backend, 'wasm');
      assert.ok(summary.notes.includes('WebAssembly with SIMD, single-threaded'), summary.notes.join('; '));
      assert.ok(served.requests.includes('/media/wasm/tfjs-backend-wasm-simd.wasm'), served.requests.join(', '));
      assert.ok(!served.requests.some((path) => path.includes('threaded')), 'no threaded build requested');
      badRun!.layers.forEach((layer, i) => assertWithin(summary.layers[i].forward, layer.forward, 1.01, `layer ${i + 1}: same seed, same numbers on wasm`));
      assert.deepEqual(await panel.state(), { key: bad.key, settings: { ...SETTINGS, backend: 'wasm' } }, 'the chosen backend is persisted');
    });

    await t.test('the host\'s run message measures again with the form\'s settings', async () => {
      await panel.post({ type: 'run' });
      assert.equal((await panel.next('runStarted')).settings.backend, 'wasm');
      assert.equal((await panel.next('runFinished')).summary.backend, 'wasm');
    });

    await t.test('Cancel stops a running measurement between draws\' layers; progress names the draw; the prediction stays', async () => {
      await page.locator('#batch input').fill('8192');
      await page.locator('#draws input').fill('3');
      await page.click('#run-button');
      assert.equal((await panel.next('runStarted')).settings.draws, 3);
      await page.locator('#progress-text', { hasText: /draw 1 of 3, / }).waitFor();
      await page.click('#cancel-button');
      assert.deepEqual(await panel.next('runFailed'), { type: 'runFailed', message: 'Cancelled.' });
      await page.locator('#status', { hasText: 'cancelled' }).waitFor();
      assert.equal(await page.locator('#error').isVisible(), false);
      await page.locator('#draws input').fill('8');
    });

    await t.test('a probe refusal (over the memory budget) is a clear message; the prediction stays', async () => {
      await page.locator('#memory input').fill('1');
      await page.click('#run-button');
      const { message } = await panel.next('runFailed');
      assert.match(message, /^The probe needs about \d+ MiB at batch 8 .* over the 1 MiB budget/);
      await page.locator('#error', { hasText: 'The analytic prediction still shows.' }).waitFor();
      assert.equal(await page.locator('#forward-chart canvas').count(), 1, 'the chart is still there');
      await page.locator('#memory input').fill('512');
    });

    await t.test('an update keeps the measurement but marks it stale; unavailable disables the actions', async () => {
      await panel.post({ type: 'update', panel: bad });
      await page.locator('#run-info', { hasText: 'stale' }).waitFor();
      assert.match(await panel.text('#status'), /The source changed/);
      await panel.post({ type: 'unavailable', message: 'The model tiny_normal is no longer found in tiny_normal.py.' });
      await page.locator('#error', { hasText: 'no longer found' }).waitFor();
      assert.ok(await panel.isDisabled('#run-button'));
      assert.ok(await panel.isDisabled('#lsuv-button'));
      assert.ok(await panel.isDisabled('#applyFixes-button'));
    });

    await t.test('a layer the probe cannot build stops the run with a message naming it; the prediction stays', async () => {
      const source = ['import keras', 'from keras import layers', '', 'reshaped = keras.Sequential([', '    keras.Input(shape=(64,)),',
        '    layers.Dense(64, activation="relu", kernel_initializer="he_normal"),', '    layers.Reshape((7, 9)),',
        '    layers.Dense(10),', '])', ''].join('\n');
      const unbuildable = panelModel(source, '/workspace/reshaped.py', DEFAULT_CONFIG, { uri: 'file:///workspace/reshaped.py', modelIndex: 0, modelName: 'reshaped' }, 'reshaped.py');
      assert.ok(unbuildable, 'the analysis finds the model');
      await panel.post({ type: 'load', panel: unbuildable, settings: SETTINGS, run: true });
      const { message } = await panel.next('runFailed');
      assert.match(message, /Reshape/, 'the message names the layer');
      assert.match(message, /cannot reshape \[64\] to \[7, ?9\]/);
      await page.locator('#error', { hasText: 'Reshape' }).waitFor();
      assert.match(await page.locator('#error').innerText(), /\]\. The analytic prediction still shows\.$/, 'two sentences, each with its full stop');
      assert.equal(await page.locator('#forward-chart canvas').count(), 1, 'the prediction is still drawn');
    });

    await t.test('no CSP violation, console error or page error, and every message passed the host parser', () => {
      assert.deepEqual(panel.problems, []);
      assert.deepEqual(panel.rejected(), []);
    });
  } finally {
    await browser?.close();
  }
});

test('with a WebGPU adapter, auto measures on WebGPU, as predicted', { timeout: 180_000 }, async (t) => {
  const unavailable = chromiumMissing();
  const served = server;
  if (unavailable || !served) return t.skip(unavailable);
  const browser = await launchChromium({ softwareWebGpu: true });
  try {
    const panel = await PanelPage.open(await browser.newPage(), served);
    const good = panelFor('he_relu', '"he_normal"');
    await panel.next('ready');
    // Two draws: WebGPU on SwiftShader is the slowest backend here, and one band is enough to check.
    await panel.post({ type: 'load', panel: good, settings: { ...SETTINGS, draws: 2 }, run: true });
    const { summary } = await panel.next('runFinished', 110_000);
    t.diagnostic(`backend: ${summary.backend} (${summary.renderer}), ${summary.totalMs.toFixed(0)} ms`);
    if (summary.backend !== 'webgpu' && summary.notes.some((note) => note.startsWith('webgpu:'))) {
      return t.skip(`this Chromium offers no WebGPU adapter even on SwiftShader: ${summary.notes[0]}`);
    }
    assert.equal(summary.backend, 'webgpu');
    assert.match(summary.renderer ?? '', /swiftshader/i);
    for (const layer of summary.layers) {
      assertWithin(layer.forward, good.report.layers[layer.index].predicted.forward, 1.5, `layer ${layer.index + 1} forward`);
      assertWithin(layer.backward, good.report.layers[layer.index].predicted.backward, 1.5, `layer ${layer.index + 1} backward`);
    }
    assert.deepEqual(panel.problems, []);
    assert.deepEqual(panel.rejected(), []);
  } finally {
    await browser.close();
  }
});
