/**
 * After a window reload the variance panel restores only for documents the host itself opened a panel
 * for: a URI in the webview's saved state (data the webview wrote) is checked against the host's record.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenedPanelDocuments, restorablePanel, type PanelStorage } from '../../../src/extension/panelTrust';

/** A workspace-state stand-in that, like VS Code's, outlives the extension host (a reload). */
function storage(initial: Record<string, unknown> = {}): PanelStorage & { values: Record<string, unknown> } {
  const values = { ...initial };
  return { values, get: (key) => values[key], update: async (key, value) => void (values[key] = value) };
}

const settings = { batch: 128, seed: 0, draws: 8, memoryBudgetMiB: 512, backend: 'auto' };
const state = (uri: string) => ({ key: { uri, modelIndex: 0, modelName: 'model' }, settings });

test('a panel the host opened is restored after a reload; one naming another document is refused', async () => {
  const workspace = storage();
  await new OpenedPanelDocuments(workspace).remember('file:///project/model.py');
  // A reload: a new extension host, the same workspace storage.
  const afterReload = new OpenedPanelDocuments(workspace);
  const restored = restorablePanel(state('file:///project/model.py'), afterReload);
  assert.ok(restored.ok);
  assert.equal(restored.value.key.uri, 'file:///project/model.py');
  const forged = restorablePanel(state('file:///home/user/.bashrc.py'), afterReload);
  assert.deepEqual(forged, { ok: false, reason: 'no panel was opened for file:///home/user/.bashrc.py in this workspace' });
});

test('malformed state and a malformed record refuse, never throw', async () => {
  assert.equal(restorablePanel(undefined, new OpenedPanelDocuments(storage())).ok, false);
  assert.equal(restorablePanel({ key: { uri: 7 } }, new OpenedPanelDocuments(storage())).ok, false);
  const garbage = storage({ 'initlint.varianceCheck.openedPanelUris': { 'file:///a.py': true } });
  assert.equal(restorablePanel(state('file:///a.py'), new OpenedPanelDocuments(garbage)).ok, false);
  const mixed = storage({ 'initlint.varianceCheck.openedPanelUris': [3, null, 'file:///a.py'] });
  assert.equal(restorablePanel(state('file:///a.py'), new OpenedPanelDocuments(mixed)).ok, true);
});

test('the record is bounded: the oldest documents are forgotten first, a reopened one moves to the end', async () => {
  const workspace = storage();
  const opened = new OpenedPanelDocuments(workspace);
  for (let index = 0; index < 120; index++) await opened.remember(`file:///m${index}.py`);
  await opened.remember('file:///m30.py');
  const uris = workspace.values['initlint.varianceCheck.openedPanelUris'] as string[];
  assert.equal(uris.length, 100);
  assert.equal(opened.allows('file:///m19.py'), false);
  assert.equal(opened.allows('file:///m20.py'), true);
  assert.equal(uris.at(-1), 'file:///m30.py');
});
