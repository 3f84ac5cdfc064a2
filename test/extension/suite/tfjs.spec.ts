/** TensorFlow.js: findings and quick fixes from the tsserver plugin, through VS Code's TypeScript extension. */
import * as assert from 'node:assert/strict';
import { activateInitLint, applyCodeAction, openFixtureCopy, quickFixes, ruleOf, waitFor, waitForInitLintDiagnostics } from './helpers';

/** tsserver starts on the first TypeScript file: allow it a while. */
const TSSERVER_TIMEOUT_MS = 60_000;

export function tfjs(): void {
  describe('TensorFlow.js (tsserver plugin)', () => {
    before(activateInitLint);

    it('reports Glorot under 20 ReLU layers', async () => {
      const editor = await openFixtureCopy('tfjs_model.ts');
      // The first TypeScript document is what sends the settings to the plugin (and activates tsserver).
      assert.ok(await (await activateInitLint()).tsPluginConfigured, 'settings did not reach the tsserver plugin');
      const diagnostics = await waitForInitLintDiagnostics(editor.document.uri, TSSERVER_TIMEOUT_MS);
      assert.ok(diagnostics.map(ruleOf).includes('relu-glorot-deep'), `rules: ${diagnostics.map(ruleOf).join(', ')}`);
    });

    it('fixes it with the quick fix tsserver offers', async () => {
      const editor = await openFixtureCopy('tfjs_model.ts');
      const uri = editor.document.uri;
      const [finding] = (await waitForInitLintDiagnostics(uri, TSSERVER_TIMEOUT_MS)).filter((diagnostic) => ruleOf(diagnostic) === 'relu-glorot-deep');
      assert.ok(finding, 'no relu-glorot-deep diagnostic');
      const before = editor.document.getText();
      const fixes = (await quickFixes(uri, finding.range)).filter((action) => !/disable|ignore/i.test(action.title));
      assert.ok(fixes.length, 'no quick fix offered');
      await applyCodeAction(fixes[0]);
      await waitFor('the fix to change the text', () => editor.document.getText() !== before, 10_000);
      assert.match(editor.document.getText(), /heNormal|heUniform|varianceScaling/);
    });
  });
}
