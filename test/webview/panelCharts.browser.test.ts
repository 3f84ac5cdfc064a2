/**
 * The panel's charts in Chromium, on a model with a zero hidden layer measured by the real probe: zeros drawn
 * on the log charts' bottom edge with a label (not vanished), predicted and measured told apart in the lines'
 * points and in the legend, a stale measurement greyed after an edit until re-measured, and the layer table
 * scrolling sideways at a panel's default width (half a 1400-pixel window).
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { DEFAULT_PROBE_SETTINGS, type ProbeSettings } from '../../src/protocol/panel';
import { panelModel } from '../../src/protocol/panelModel';
import { missingBuildOutputs } from '../e2e/harness/build';
import { chromiumMissing, screenshotsDir } from '../e2e/harness/codeServer';
import { launchChromium } from '../e2e/harness/workbench';
import { PanelPage, PanelServer } from './panelPage';

const SOURCE = `import keras
from keras import layers

zero_hidden = keras.Sequential([
    keras.Input(shape=(64,)),
    layers.Dense(64, activation="relu", kernel_initializer="he_normal"),
    layers.Dense(64, activation="relu", kernel_initializer="zeros"),
    layers.Dense(64, activation="relu", kernel_initializer="he_normal"),
    layers.Dense(10),
], name="zero_hidden")
`;

const SETTINGS: ProbeSettings = { ...DEFAULT_PROBE_SETTINGS, batch: 64, seed: 1, backend: 'wasm' };

/** Legend entries of a chart: label, marker border style and fill, as the page renders them. */
const LEGEND = (chart: string) => `[...document.querySelectorAll('#${chart} .u-legend .u-series')].filter((row) => row.offsetParent !== null).map((row) => {
  const marker = row.querySelector('.u-marker');
  const style = marker ? getComputedStyle(marker) : undefined;
  return { label: row.querySelector('.u-label')?.textContent ?? '', border: style?.borderTopStyle, borderColor: style?.borderTopColor, fill: style?.backgroundColor };
}).filter((entry) => entry.label !== 'layer')`;

/** Pixels of the colour `--il-current` in the bottom 12 CSS pixels of a chart's plot area (uPlot's .u-over covers it). */
const BOTTOM_EDGE_MARKS = (chart: string) => `(() => {
  const host = document.getElementById('${chart}');
  const canvas = host.querySelector('canvas');
  const over = host.querySelector('.u-over').getBoundingClientRect();
  const box = canvas.getBoundingClientRect();
  const ratio = canvas.width / box.width;
  const probe = document.createElement('div');
  probe.style.color = getComputedStyle(document.body).getPropertyValue('--il-current');
  document.body.append(probe);
  const [r, g, b] = getComputedStyle(probe).color.match(/\\d+/g).map(Number);
  probe.remove();
  const x0 = Math.round((over.left - box.left) * ratio), width = Math.round(over.width * ratio);
  const y0 = Math.round((over.bottom - box.top - 12) * ratio), height = Math.round(12 * ratio);
  const pixels = canvas.getContext('2d').getImageData(x0, y0, width, height).data;
  let count = 0;
  for (let i = 0; i < pixels.length; i += 4) if (Math.abs(pixels[i] - r) + Math.abs(pixels[i + 1] - g) + Math.abs(pixels[i + 2] - b) < 60 && pixels[i + 3] > 200) count++;
  return count;
})()`;

let server: PanelServer | undefined;
before(async () => {
  if (chromiumMissing()) return;
  assert.deepEqual(missingBuildOutputs(['media/variancePanel.js', 'media/variancePanel.css']), [], 'run `npm run build` first');
  server = await PanelServer.start();
});
after(() => server?.close());

test('the charts: zeros on the bottom edge, predicted vs measured, stale greyed, the table scrolls sideways', { timeout: 120_000 }, async (t) => {
  const unavailable = chromiumMissing();
  const served = server;
  if (unavailable || !served) return t.skip(unavailable);
  const model = panelModel(SOURCE, '/workspace/zero_hidden.py', DEFAULT_CONFIG, { uri: 'file:///workspace/zero_hidden.py', modelIndex: 0, modelName: 'zero_hidden' }, 'zero_hidden.py');
  assert.ok(model, 'the analysis finds the model');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 700, height: 1000 } });
    const panel = await PanelPage.open(page, served);
    await panel.next('ready');
    await panel.post({ type: 'load', panel: model, settings: SETTINGS, run: true });
    const { summary } = await panel.next('runFinished');
    t.diagnostic(`measured backward: ${summary.layers.map((layer) => layer.backward).join(', ')}`);
    assert.ok(summary.layers.some((layer) => layer.backward === 0), 'nothing flows back through the zero kernel');
    await page.screenshot({ path: join(screenshotsDir(), 'panel-zero-hidden.png'), fullPage: true });

    await t.test('a zero is marked on the log chart\'s bottom edge and named under it', async () => {
      const note = await page.locator('#backward-chart .chart-zeros').innerText();
      assert.match(note, /^Exactly 0, marked ▼ on the bottom edge: .*current: measured at layers? [\d–, ]+/);
      assert.ok(await page.evaluate(BOTTOM_EDGE_MARKS('backward-chart')) as number > 20, 'the current model\'s colour is drawn on the bottom edge');
      // A chart without zeros has no note and nothing of that colour on its bottom edge.
      await panel.post({ type: 'load', panel: panelModel(SOURCE.replace('"zeros"', '"he_normal"'), '/workspace/zero_hidden.py', DEFAULT_CONFIG, model.key, 'zero_hidden.py')!, settings: SETTINGS, run: false });
      await page.locator('#backward-chart .chart-zeros').waitFor({ state: 'detached' });
      assert.equal(await page.evaluate(BOTTOM_EDGE_MARKS('backward-chart')), 0);
      await panel.post({ type: 'load', panel: model, settings: SETTINGS, run: true });
      await panel.next('runFinished');
    });

    await t.test('predicted and measured differ in the legend: a dashed hollow swatch, a solid filled one', async () => {
      const legend = await page.evaluate(LEGEND('forward-chart')) as { label: string; border: string; fill: string }[];
      const predicted = legend.find((entry) => entry.label === 'current: predicted');
      const measured = legend.find((entry) => entry.label === 'current: measured');
      assert.ok(predicted && measured, JSON.stringify(legend));
      assert.deepEqual([predicted.border, measured.border], ['dashed', 'solid']);
      assert.equal(predicted.fill, 'rgba(0, 0, 0, 0)');
      assert.notEqual(measured.fill, 'rgba(0, 0, 0, 0)');
    });

    await t.test('after an edit the measurement is greyed and named stale until it is measured again', async () => {
      const colourBefore = (await page.evaluate(LEGEND('forward-chart')) as { label: string; borderColor: string }[]).find((entry) => entry.label === 'current: measured')!.borderColor;
      await panel.post({ type: 'update', panel: model });
      await page.locator('#forward-chart .u-legend', { hasText: 'current: measured (stale: re-run)' }).waitFor();
      const stale = (await page.evaluate(LEGEND('forward-chart')) as { label: string; borderColor: string }[]).find((entry) => entry.label.startsWith('current: measured'))!;
      assert.notEqual(stale.borderColor, colourBefore, 'grey, not the model\'s colour');
      assert.equal(stale.borderColor, 'rgb(139, 139, 139)');
      await page.click('#run-button');
      await panel.next('runFinished');
      await page.locator('#forward-chart .u-legend', { hasText: 'current: measured' }).waitFor();
      assert.ok(!(await page.locator('#forward-chart .u-legend').innerText()).includes('stale'));
    });

    await t.test('the layer table scrolls sideways inside the panel, the page itself does not', async () => {
      const widths = await page.evaluate(`(() => {
        const scroller = document.querySelector('.table-scroll');
        scroller.scrollLeft = 300;
        return { scroll: scroller.scrollWidth, client: scroller.clientWidth, left: scroller.scrollLeft, page: document.documentElement.scrollWidth, viewport: innerWidth };
      })()`) as { scroll: number; client: number; left: number; page: number; viewport: number };
      t.diagnostic(JSON.stringify(widths));
      assert.ok(widths.scroll > widths.client, 'the table is wider than the panel');
      assert.ok(widths.left > 0, 'and scrolls');
      assert.ok(widths.page <= widths.viewport, `the page does not scroll sideways (${widths.page} > ${widths.viewport})`);
    });

    await t.test('no CSP violation, console error or page error', () => {
      assert.deepEqual(panel.problems, []);
    });
  } finally {
    await browser.close();
  }
});
