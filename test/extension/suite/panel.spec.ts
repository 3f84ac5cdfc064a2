/**
 * The variance-check panel from the extension host: it opens on the model at the cursor, its webview (in
 * the test's Chromium page) measures the model with TensorFlow.js and reports back, one panel per model,
 * and an edit of the source reaches the open panel. In a notebook the model spans cells: the lens opens the
 * panel, a layer row reveals its cell, and the panel's edits land in the cells they change.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PanelModelKey } from '../../../src/protocol/panel';
import type { VariancePanelSnapshot } from '../../../src/extension/variancePanel';
import { activateInitLint, openFixtureCopy, openNotebookCopy, waitFor } from './helpers';

const MEASURED_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'];

async function panelOf(key: PanelModelKey, ready: (panel: VariancePanelSnapshot) => boolean, what: string, timeoutMs = 90_000): Promise<VariancePanelSnapshot> {
  const api = await activateInitLint();
  return waitFor(what, () => api.variancePanels().find((panel) => panel.key.uri === key.uri && panel.key.modelIndex === key.modelIndex && ready(panel)), timeoutMs);
}

/** The notebook's model lens "21 layers · … · Open variance check" on the loop's cell, run as a click would. */
async function openNotebookPanelFromLens(notebook: vscode.NotebookDocument): Promise<PanelModelKey> {
  const lens = await waitFor('the variance check lens', async () =>
    ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', notebook.cellAt(2).document.uri)) ?? [])
      .find((candidate) => candidate.command?.command === 'initlint.openVarianceCheck'), 20_000);
  assert.match(lens.command!.title, /^21 layers · forward variance ×1\.9e-6 · Open variance check$/);
  return vscode.commands.executeCommand<PanelModelKey>(lens.command!.command, ...(lens.command!.arguments ?? []));
}

/** Handles `message` as if the panel's webview had posted it (a row click, a button). */
async function panelRequest(key: PanelModelKey, message: unknown) {
  const api = await activateInitLint();
  return api.variancePanelRequest(key, message);
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

    it('measures an open panel again from the palette, where its lens only reveals it', async () => {
      const editor = await openFixtureCopy('tfjs_model.ts');
      const key = await vscode.commands.executeCommand<PanelModelKey>('initlint.openVarianceCheck', editor.document.uri, 0);
      const { lastRun: firstRun } = await panelOf(key, (panel) => panel.lastRun !== undefined, 'the first measurement');
      await vscode.commands.executeCommand('initlint.openVarianceCheck', editor.document.uri, 0);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal((await panelOf(key, () => true, 'the panel')).lastRun, firstRun, 'the lens of an open panel does not measure again');

      const shown = await vscode.window.showTextDocument(editor.document, editor.viewColumn);
      shown.selection = new vscode.Selection(0, 0, 0, 0);
      const again = await vscode.commands.executeCommand<PanelModelKey>('initlint.openVarianceCheck');
      assert.equal(again.modelIndex, key.modelIndex);
      const measured = await panelOf(key, (panel) => panel.lastRun !== firstRun, 'a second measurement');
      assert.equal(measured.lastRun!.layers.length, firstRun!.layers.length);
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

  describe('variance check panel in a notebook', () => {
    before(activateInitLint);
    afterEach(async () => {
      // The tests edit their notebook copies: saved, they close without asking.
      await vscode.workspace.saveAll(false);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('the model\'s lens opens a panel that measures the model across cells (DEPTH is set in another cell)', async () => {
      const notebook = await openNotebookCopy();
      const key = await openNotebookPanelFromLens(notebook);
      assert.deepEqual(key, { uri: notebook.uri.toString(), modelIndex: 0, modelName: 'model' });
      const panel = await panelOf(key, (candidate) => Boolean(candidate.lastRun || candidate.lastFailure), 'the first measurement');
      assert.equal(panel.lastFailure, undefined, `the probe failed: ${panel.lastFailure}`);
      assert.match(panel.title, /^Variance check: model \(deep_mlp_\d+\.ipynb\)$/);
      const run = panel.lastRun!;
      assert.equal(run.layers.length, 21, 'the 20 Dense/ReLU layers of the loop (DEPTH = 20 from the first cell) and the output');
      // Glorot uniform under ReLU: E[z²] = 1 after the first layer, then halved per layer.
      assert.ok(run.layers[0].forward > 0.7 && run.layers[0].forward < 1.4, `first layer forward ${run.layers[0].forward}`);
      assert.ok(run.layers[19].forward < 1e-4, `layer 20 forward ${run.layers[19].forward}: the chain vanishes`);
      assert.deepEqual(panel.rejected, []);
      // One panel per model: the palette command in the constants cell (above the model) finds the same one.
      await vscode.window.showTextDocument(notebook.cellAt(0).document);
      const again = await vscode.commands.executeCommand<PanelModelKey>('initlint.openVarianceCheck');
      assert.deepEqual(again, key);
      assert.equal((await activateInitLint()).variancePanels().filter((candidate) => candidate.key.uri === key.uri).length, 1);
    });

    it('a layer row reveals the layer\'s call in its cell', async () => {
      const notebook = await openNotebookCopy();
      const key = await openNotebookPanelFromLens(notebook);
      await panelOf(key, (panel) => panel.ready && panel.layers === 21, 'the panel to have its model');
      const done = await panelRequest(key, { type: 'reveal', layer: 3 });
      assert.deepEqual(done, { type: 'done', request: 'reveal', ok: true, message: 'layer 4 at cell 3, line 4' });
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document.uri.toString(), notebook.cellAt(2).document.uri.toString(), 'the model\'s cell has the focus');
      assert.equal(editor.document.getText(editor.selection), 'layers.Dense(WIDTH, activation="relu")');
      assert.equal(vscode.window.activeNotebookEditor?.notebook.uri.toString(), notebook.uri.toString());
      assert.equal(vscode.window.activeNotebookEditor?.selection.start, 2);
      const last = await panelRequest(key, { type: 'reveal', layer: 20 });
      assert.equal(last?.message, 'layer 21 at cell 3, line 5');
      assert.equal(vscode.window.activeTextEditor?.document.getText(vscode.window.activeTextEditor.selection), 'layers.Dense(10)');
      assert.equal((await panelRequest(key, { type: 'reveal', layer: 21 }))?.ok, false, 'there is no layer 22');
    });

    it('"Apply recommended fixes" changes the model\'s cell only, and the panel follows edits of any cell', async () => {
      const notebook = await openNotebookCopy();
      const [constants, , model] = notebook.getCells();
      const constantsBefore = constants.document.getText();
      const key = await openNotebookPanelFromLens(notebook);
      await panelOf(key, (panel) => panel.ready && panel.layers === 21, 'the panel to have its model');
      const done = await panelRequest(key, { type: 'applyFixes' });
      assert.deepEqual(done, { type: 'done', request: 'applyFixes', ok: true, message: '1 fix applied.' });
      assert.equal(model.document.lineAt(3).text, '    model.add(layers.Dense(WIDTH, activation="relu", kernel_initializer="he_uniform"))');
      assert.equal(constants.document.getText(), constantsBefore);
      assert.deepEqual(await panelRequest(key, { type: 'applyFixes' }), { type: 'done', request: 'applyFixes', ok: true, message: 'Nothing to fix in this model.' });
      // DEPTH = 2 in the first cell: the panel's model has 2 hidden layers and the output.
      const edit = new vscode.WorkspaceEdit();
      edit.replace(constants.document.uri, constants.document.lineAt(3).range, 'DEPTH = 2');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await panelOf(key, (panel) => panel.layers === 3, 'the panel to follow DEPTH = 2', 10_000);
    });

    it('"LSUV" writes the measured scales into the model\'s cell', async () => {
      const notebook = await openNotebookCopy();
      const key = await openNotebookPanelFromLens(notebook);
      await panelOf(key, (panel) => panel.ready && panel.layers === 21, 'the panel to have its model');
      const scales = Array.from({ length: 21 }, (_, index) => ({ index, fanInScale: 2, converged: true }));
      const done = await panelRequest(key, { type: 'applyLsuv', scales, tolerance: 0.05 });
      assert.equal(done?.ok, true, done?.message);
      assert.match(done!.message, /^LSUV scales written to 21 layers\./);
      assert.match(notebook.cellAt(2).document.getText(), /layers\.Dense\(WIDTH, activation="relu", kernel_initializer=.*VarianceScaling\(scale=2(\.0)?, mode="fan_in"/);
      assert.doesNotMatch(notebook.cellAt(0).document.getText(), /VarianceScaling/);
    });
  });
}
