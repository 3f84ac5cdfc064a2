/** Keras: findings and quick fixes from the Python language server, through vscode-languageclient. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateInitLint, applyCodeAction, initlintDiagnostics, openFixtureCopy, quickFixes, ruleOf, waitFor, waitForInitLintDiagnostics } from './helpers';

export function keras(): void {
  describe('Keras (language server)', () => {
    it('activates without loading the analysis: only the host bundle (its time is in `npm run bench -- activation`)', async () => {
      const api = await activateInitLint();
      // dist/extension-tests/ is this suite: the extension under development is the repository itself.
      const loaded = api.loadedAtActivation.map((file) => file.replace(/\\/g, '/')).filter((file) => !file.startsWith('dist/extension-tests/'));
      assert.deepEqual(loaded, ['dist/extension.js'], 'the analysis and the language client wait for the first model file');
    });

    it('reports He under tanh and a zero hidden layer', async () => {
      const editor = await openFixtureCopy('keras_model.py');
      const diagnostics = await waitForInitLintDiagnostics(editor.document.uri);
      const rules = diagnostics.map(ruleOf);
      assert.ok(rules.includes('saturating-he'), `rules: ${rules.join(', ')}`);
      assert.ok(rules.includes('symmetric-init'), `rules: ${rules.join(', ')}`);
    });

    it('links each finding to its bundled documentation page: the link runs "Show Rule Documentation", which opens the preview', async () => {
      const editor = await openFixtureCopy('keras_model.py');
      const [finding] = await waitForInitLintDiagnostics(editor.document.uri);
      const code = finding.code as { value: string; target: vscode.Uri };
      assert.equal(code.target.scheme, 'command', `link: ${code.target.toString()}`);
      assert.equal(code.target.path, 'initlint.showRuleDocumentation');
      assert.deepEqual(JSON.parse(code.target.query), [ruleOf(finding)]);
      // What the Problems panel, F8 and the hover do with the link (the opener runs command: links).
      const opened = await vscode.commands.executeCommand<string>(code.target.path, ...(JSON.parse(code.target.query) as unknown[]));
      assert.equal(opened, ruleOf(finding));
      const preview = await waitFor('the rule page in the Markdown preview', () => vscode.window.tabGroups.all.flatMap((group) => group.tabs)
        .find((tab) => tab.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(tab.input.viewType)));
      assert.match(preview.label, new RegExp(ruleOf(finding)));
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, finding.range.start);
      const markdown = hovers.flatMap((hover) => hover.contents).map((content) => (typeof content === 'string' ? content : content.value)).join('\n');
      assert.ok(markdown.includes(`](command:initlint.showRuleDocumentation?`), markdown);
    });

    it('fixes the zero hidden layer with its preferred quick fix', async () => {
      const editor = await openFixtureCopy('keras_model.py');
      const uri = editor.document.uri;
      const zeros = (await waitForInitLintDiagnostics(uri)).find((diagnostic) => ruleOf(diagnostic) === 'symmetric-init');
      assert.ok(zeros, 'no symmetric-init diagnostic');
      const line = zeros.range.start.line;
      assert.match(editor.document.lineAt(line).text, /"zeros"/);
      const fixes = await quickFixes(uri, zeros.range);
      const preferred = fixes.find((action) => action.isPreferred) ?? fixes[0];
      assert.ok(preferred, 'no quick fix offered');
      await applyCodeAction(preferred);
      assert.doesNotMatch(editor.document.lineAt(line).text, /"zeros"/, `after "${preferred.title}"`);
      await waitFor('symmetric-init to disappear', () => !initlintDiagnostics(uri).some((diagnostic) => ruleOf(diagnostic) === 'symmetric-init'));
    });

    it('offers "disable for this line" next to the fix', async () => {
      const editor = await openFixtureCopy('keras_model.py');
      const [first] = await waitForInitLintDiagnostics(editor.document.uri);
      const titles = (await quickFixes(editor.document.uri, first.range)).map((action) => action.title);
      assert.ok(titles.some((title) => /disable/i.test(title)), `titles: ${titles.join(' | ')}`);
    });
  });
}
