/**
 * The variance-check panel from the extension host: it opens on the model at the cursor, its webview (in
 * the test's Chromium page) measures the model with TensorFlow.js and reports back, one panel per model,
 * and an edit of the source reaches the open panel.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PanelModelKey } from '../../../src/protocol/panel';
import type { VariancePanelSnapshot } from '../../../src/extension/variancePanel';
import { activateInitLint, openFixtureCopy, waitFor } from './helpers';

const MEASURED_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'];

async function panelOf(key: PanelModelKey, ready: (panel: VariancePanelSnapshot) => boolean, what: string, timeoutMs = 90_000): Promise<VariancePanelSnapshot> {
  const api = await activateInitLint();
  return waitFor(what, () => api.variancePanels().find((panel) => panel.key.uri === key.uri && panel.key.modelIndex === key.modelIndex && ready(panel)), timeoutMs);
}

export function panelSpecs(): void {
  describe('variance check panel', () => {
    before(activateInitLint);
    afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

    it('opens on the model at the cursor and measures every layer in the webview', async () => {
      const editor = await openFixtureCopy('keras_model.py');
      editor.selection = new vscode.Selection(7, 4, 7, 4); // inside the Sequential model's definition
      const key = await vscode.commands.executeCommand<PanelModelKey>('initlint.openVarianceCheck');
      assert.equal(key?.modelName, 'model', 'a model takes the name of the variable it is assigned to');
      assert.equal(key?.uri, editor.document.uri.toString());
      const panel = await panelOf(key, (candidate) => Boolean(candidate.lastRun || candidate.lastFailure), 'the first measurement');
      assert.equal(panel.lastFailure, undefined, `the probe failed: ${panel.lastFailure}`);
      const run = panel.lastRun!;
      assert.ok(MEASURED_BACKENDS.includes(run.backend), `backend ${run.backend}`);
      assert.equal(run.layers.length, 4, 'four Dense layers measured');
      // He normal on N(0,1) inputs: E[z²] = 2 (predicted exactly; measured within sampling noise).
      assert.ok(run.layers[0].forward > 1.5 && run.layers[0].forward < 2.6, `first layer forward ${run.layers[0].forward}`);
      // The all-zero third layer: nothing reaches the softmax layer after it.
      assert.equal(run.layers[3].forward, 0, 'the zero kernel silences the output layer');
      assert.deepEqual(panel.rejected, [], 'every webview message passed validation');
    });

    it('keeps one panel per model: the lens of an open model reveals its panel', async () => {
      const editor = await openFixtureCopy('tfjs_model.ts');
      const first = await vscode.commands.executeCommand<PanelModelKey>('initlint.openVarianceCheck', editor.document.uri, 0);
      await panelOf(first, (panel) => panel.ready, 'the panel to be ready');
      const again = await vscode.commands.executeCommand<PanelModelKey>('initlint.openVarianceCheck', editor.document.uri, 0);
      assert.deepEqual(again, first);
      const api = await activateInitLint();
      assert.equal(api.variancePanels().filter((panel) => panel.key.uri === first.uri).length, 1);
    });

    it('closes its panel with the editor group and forgets it', async () => {
      const editor = await openFixtureCopy('tfjs_model.ts');
      const key = await vscode.commands.executeCommand<PanelModelKey>('initlint.openVarianceCheck', editor.document.uri, 0);
      await panelOf(key, (panel) => panel.ready, 'the panel to be ready');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const api = await activateInitLint();
      await waitFor('the panel to be forgotten', () => !api.variancePanels().some((panel) => panel.key.uri === key.uri), 10_000);
    });
  });
}
