/** `initlint.*` settings reach both hosts: turning a rule off removes its findings in Python and TypeScript. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateInitLint, initlintDiagnostics, openFixtureCopy, ruleOf, waitFor, waitForInitLintDiagnostics } from './helpers';

export function settingsSpecs(): void {
  describe('settings', () => {
    const settings = () => vscode.workspace.getConfiguration('initlint');
    before(activateInitLint);
    afterEach(async () => {
      await settings().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    });

    it('initlint.rules: "off" removes that rule from a Keras file', async () => {
      const editor = await openFixtureCopy('keras_model.py');
      const uri = editor.document.uri;
      assert.ok((await waitForInitLintDiagnostics(uri)).some((diagnostic) => ruleOf(diagnostic) === 'saturating-he'));
      await settings().update('rules', { 'saturating-he': 'off' }, vscode.ConfigurationTarget.Workspace);
      await waitFor('saturating-he to disappear', () => {
        const rules = initlintDiagnostics(uri).map(ruleOf);
        return !rules.includes('saturating-he') && rules.includes('symmetric-init');
      });
    });

    it('initlint.rules: "off" removes that rule from a TypeScript file', async () => {
      const editor = await openFixtureCopy('tfjs_model.ts');
      const uri = editor.document.uri;
      await waitForInitLintDiagnostics(uri);
      await settings().update('rules', { 'relu-glorot-deep': 'off' }, vscode.ConfigurationTarget.Workspace);
      await waitFor('relu-glorot-deep to disappear', () => !initlintDiagnostics(uri).map(ruleOf).includes('relu-glorot-deep'));
    });
  });
}
