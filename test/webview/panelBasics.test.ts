/** The webview's small rules: backend order, number formats, and the page's Content Security Policy. */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { panelCsp, panelHtml } from '../../src/protocol/panelHtml';
import { backendOrder, describeBackend } from '../../src/webview/backendOrder';
import { agreementRatio, disagreement, formatFraction, formatMoment, formatMs } from '../../src/webview/format';

test('auto tries WebGPU, WebGL, WASM, CPU; a chosen backend goes first and the others remain as fallbacks', () => {
  assert.deepEqual(backendOrder('auto'), ['webgpu', 'webgl', 'wasm', 'cpu']);
  assert.deepEqual(backendOrder('wasm'), ['wasm', 'webgpu', 'webgl', 'cpu']);
  assert.deepEqual(backendOrder('cpu'), ['cpu', 'webgpu', 'webgl', 'wasm']);
  assert.equal(describeBackend('webgl', 'ANGLE (NVIDIA)'), 'webgl (ANGLE (NVIDIA))');
  assert.equal(describeBackend('wasm', undefined), 'wasm');
});

test('mean squares, fractions and times as the panel prints them', () => {
  assert.equal(formatMoment(2), '2');
  assert.equal(formatMoment(0.0256), '0.0256');
  assert.equal(formatMoment(5.7248e-12), '5.72e-12');
  assert.equal(formatMoment(123456), '1.23e5');
  assert.equal(formatMoment(0), '0');
  assert.equal(formatMoment(undefined), '—', 'not measured');
  assert.equal(formatMoment(null), 'not finite', 'NaN or Infinity after JSON');
  assert.equal(formatMoment(Infinity), '∞');
  assert.equal(formatFraction(0.5), '50%');
  assert.equal(formatFraction(0.0125), '1.3%');
  assert.equal(formatMs(542.4), '542 ms');
  assert.equal(formatMs(1234), '1.23 s');
});

test('a measurement disagrees when it is more than ×1.5 away from the prediction, either way', () => {
  assert.equal(disagreement(agreementRatio(1.4, 1)), undefined);
  assert.equal(disagreement(agreementRatio(0.7, 1)), undefined);
  assert.equal(disagreement(agreementRatio(0.651, 1)), '×0.651');
  assert.equal(disagreement(agreementRatio(3, 1)), '×3');
  assert.equal(agreementRatio(0, 1), undefined, 'no ratio to a zero');
  assert.equal(agreementRatio(NaN, 1), undefined);
});

test('the CSP allows the nonce\'d script, WebAssembly compilation, and the webview\'s own styles and fetches; nothing else', () => {
  assert.equal(panelCsp('https://*.vscode-cdn.net', 'abc'),
    "default-src 'none'; script-src 'nonce-abc' 'wasm-unsafe-eval'; style-src https://*.vscode-cdn.net; connect-src https://*.vscode-cdn.net");
  assert.doesNotMatch(panelCsp('x', 'n'), /'unsafe-inline'|'unsafe-eval'/);
});

test('the page links the bundle with the nonce, passes the wasm folder, and escapes what it is given', () => {
  const html = panelHtml({
    scriptUri: 'https://r/media/variancePanel.js', styleUri: 'https://r/media/variancePanel.css', cspSource: 'https://r', nonce: 'n0nce',
    wasmBaseUri: 'https://r/media/wasm/', title: 'Variance check: <mlp> & "co"',
  });
  assert.match(html, /<script nonce="n0nce" src="https:\/\/r\/media\/variancePanel\.js"><\/script>/);
  assert.match(html, /<link rel="stylesheet" href="https:\/\/r\/media\/variancePanel\.css">/);
  assert.match(html, /<body data-wasm-base="https:\/\/r\/media\/wasm\/">/);
  assert.match(html, /<title>Variance check: &lt;mlp&gt; &amp; &quot;co&quot;<\/title>/);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-n0nce' 'wasm-unsafe-eval';/);
  assert.equal((html.match(/<script/g) ?? []).length, 1, 'one script, no inline one');
});
