/** The panel protocol's validation: what a webview may post, and what the host refuses with a reason. */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PROBE_SETTINGS, parseHostMessage, parsePanelMessage, parsePanelState } from '../../../src/protocol/panel';

const summary = {
  backend: 'webgl',
  renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device))',
  settings: DEFAULT_PROBE_SETTINGS,
  totalMs: 812,
  layers: [{ index: 0, forward: 1.02, backward: 0.98, deadFraction: 0.01, saturatedFraction: 0 }],
  notes: [],
};

test('a finished run is accepted with its measurements', () => {
  const parsed = parsePanelMessage({ type: 'runFinished', summary });
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.value, { type: 'runFinished', summary });
});

test('an exploding model measured Infinity, which postMessage turned into null: read back as NaN, not refused', () => {
  const wire = JSON.parse(JSON.stringify({ type: 'runFinished', summary: { ...summary, layers: [{ ...summary.layers[0], forward: Infinity, backward: NaN }] } }));
  const parsed = parsePanelMessage(wire);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
  assert.ok(parsed.value.type === 'runFinished' && Number.isNaN(parsed.value.summary.layers[0].forward));
});

test('a run of several draws carries each layer\'s spread; an overflowed band edge (null on the wire) reads back as NaN', () => {
  const band = { mean: 1.02, median: 1.01, p10: 0.9, p90: 1.15 };
  const layer = { ...summary.layers[0], spread: { forward: band, backward: band, deadFraction: band, saturatedFraction: { ...band, p90: Infinity } } };
  const parsed = parsePanelMessage(JSON.parse(JSON.stringify({ type: 'runFinished', summary: { ...summary, layers: [layer] } })));
  assert.ok(parsed.ok && parsed.value.type === 'runFinished', parsed.ok ? '' : parsed.reason);
  const spread = parsed.value.summary.layers[0].spread;
  assert.deepEqual(spread?.forward, band);
  assert.ok(Number.isNaN(spread?.saturatedFraction.p90));
});

test('settings saved before draws existed get the default of 8 draws', () => {
  const { draws: _draws, ...old } = DEFAULT_PROBE_SETTINGS;
  const parsed = parsePanelMessage({ type: 'runStarted', settings: { ...old, seed: 4 } });
  assert.ok(parsed.ok && parsed.value.type === 'runStarted');
  assert.deepEqual(parsed.value.settings, { ...DEFAULT_PROBE_SETTINGS, seed: 4 });
  assert.equal(DEFAULT_PROBE_SETTINGS.draws, 8);
});

test('malformed requests are refused with the reason', () => {
  const refusals: [unknown, RegExp][] = [
    [null, /no type/],
    [{ type: 'launchMissiles' }, /unknown message type launchMissiles/],
    [{ type: 'reveal', layer: -1 }, /layer index/],
    [{ type: 'reveal', layer: 1.5 }, /layer index/],
    [{ type: 'applyLsuv', tolerance: 0.05, scales: [{ index: 0, fanInScale: -2, converged: true }] }, /positive finite fanInScale/],
    [{ type: 'applyLsuv', tolerance: 0, scales: [] }, /tolerance/],
    [{ type: 'export', format: 'exe', content: 'MZ' }, /unknown export format exe/],
    [{ type: 'runStarted', settings: { ...DEFAULT_PROBE_SETTINGS, batch: 0 } }, /batch must be an integer/],
    [{ type: 'runStarted', settings: { ...DEFAULT_PROBE_SETTINGS, backend: 'cuda' } }, /unknown backend cuda/],
    [{ type: 'runStarted', settings: { ...DEFAULT_PROBE_SETTINGS, draws: 0 } }, /draws must be an integer from 1 to 256/],
    [{ type: 'runStarted', settings: { ...DEFAULT_PROBE_SETTINGS, draws: 2.5 } }, /draws must be an integer/],
    [{ type: 'runFinished', summary: { ...summary, layers: [{ ...summary.layers[0], spread: { forward: { mean: 1 } } }] } }, /spread is malformed/],
    [{ type: 'runFinished', summary: { ...summary, layers: [{ index: 0, forward: '1' }] } }, /malformed/],
  ];
  for (const [message, reason] of refusals) {
    const parsed = parsePanelMessage(message);
    assert.equal(parsed.ok, false, JSON.stringify(message));
    if (!parsed.ok) assert.match(parsed.reason, reason);
  }
});

test('the requests a panel makes pass through unchanged', () => {
  for (const message of [
    { type: 'ready' }, { type: 'applyFixes' }, { type: 'reveal', layer: 3 },
    { type: 'applyLsuv', tolerance: 0.05, scales: [{ index: 2, fanInScale: 1.93, converged: true }] },
    { type: 'export', format: 'md', content: '| layer |' },
    { type: 'runFailed', message: 'layer 3 (Lambda) is not supported' },
  ]) {
    const parsed = parsePanelMessage(message);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, message);
  }
});

test('saved panel state restores its model key; bad settings fall back to the defaults', () => {
  const key = { uri: 'file:///w/model.py', modelIndex: 0, modelName: 'mlp' };
  const restored = parsePanelState({ key, settings: { batch: 'many' } });
  assert.ok(restored.ok);
  assert.deepEqual(restored.value, { key, settings: DEFAULT_PROBE_SETTINGS });
  assert.equal(parsePanelState({ settings: DEFAULT_PROBE_SETTINGS }).ok, false);
});

test('the webview refuses a load without a model', () => {
  const parsed = parseHostMessage({ type: 'load', panel: { key: { uri: 'file:///x.py', modelIndex: 0, modelName: 'm' } }, settings: DEFAULT_PROBE_SETTINGS, run: true });
  assert.equal(parsed.ok, false);
  assert.deepEqual(parseHostMessage({ type: 'run' }), { ok: true, value: { type: 'run' } });
});

test('the webview takes a notebook model\'s layer cells, and refuses them when they are not a list', () => {
  const panel = { key: { uri: 'file:///w/n.ipynb', modelIndex: 0, modelName: 'model' }, model: { layers: [] }, report: {}, layerLines: [4], layerCells: [2], threshold: 100 };
  assert.equal(parseHostMessage({ type: 'update', panel }).ok, true);
  assert.equal(parseHostMessage({ type: 'update', panel: { ...panel, layerCells: 2 } }).ok, false);
});
