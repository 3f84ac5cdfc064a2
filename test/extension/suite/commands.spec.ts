/** The palette commands, the model CodeLens and the variance report document. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateInitLint, initlintDiagnostics, openFixtureCopy, ruleOf, waitFor, waitForInitLintDiagnostics } from './helpers';

export function commandSpecs(): void {
  describe('commands', () => {
    before(activateInitLint);

    it('"Fix All in File" applies every preferred fix to a Keras file', async () => {
      const editor = await openFixtureCopy('keras_model.py');
      await waitForInitLintDiagnostics(editor.document.uri);
      const fixed = await vscode.commands.executeCommand<number>('initlint.fixAllInFile', editor.document.uri);
      assert.ok(fixed >= 3, `fixed ${fixed}`);
      const text = editor.document.getText();
      assert.doesNotMatch(text, /"he_normal"|"zeros"/);
      await waitFor('the fixed file to be clean', () => initlintDiagnostics(editor.document.uri).length === 0);
    });

    it('"Fix All in File" fixes a TensorFlow.js file', async () => {
      const editor = await openFixtureCopy('tfjs_model.ts');
      const fixed = await vscode.commands.executeCommand<number>('initlint.fixAllInFile', editor.document.uri);
      assert.ok(fixed >= 1, `fixed ${fixed}`);
      assert.match(editor.document.getText(), /kernelInitializer/);
    });

    it('puts CodeLenses with the layer count and forward variance above each model: the variance check and the report', async () => {
      const editor = await openFixtureCopy('tfjs_model.ts');
      const lenses = await waitFor('a CodeLens', async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 10);
        return found?.filter((lens) => lens.command?.command === 'initlint.openVarianceCheck').length ? found : undefined;
      }, 20_000);
      const check = lenses.find((lens) => lens.command?.command === 'initlint.openVarianceCheck')?.command;
      assert.match(check?.title ?? '', /^\d+ layers · forward variance ×\S+ · Open variance check$/);
      assert.equal(check?.arguments?.[1], 0, 'the lens names the model it sits on');
      const report = lenses.find((lens) => lens.command?.command === 'initlint.showVarianceReport')?.command;
      assert.equal(report?.title, 'Variance report');
    });

    it('"Show Variance Report" opens the report as a read-only initlint-report document', async () => {
      const editor = await openFixtureCopy('keras_model.py');
      const report = await vscode.commands.executeCommand<vscode.TextEditor>('initlint.showVarianceReport', editor.document.uri);
      assert.equal(report.document.uri.scheme, 'initlint-report');
      assert.equal(report.document.languageId, 'initlint-report');
      const text = report.document.getText();
      assert.match(text, /\(keras, sequential\) — keras_model_\d+\.py:5/);
      assert.match(text, /fan_in\s+fan_out/);
      assert.match(text, /saturating-he/);
      // Its ×, →, — are meant: the report language turns off the highlighter that boxes them as look-alikes.
      assert.match(text, /×/);
      const editorSettings = vscode.workspace.getConfiguration('editor', report.document);
      assert.equal(editorSettings.get('unicodeHighlight.ambiguousCharacters'), false);
      assert.equal(editorSettings.get('unicodeHighlight.nonBasicASCII'), false);
    });

    it('the walkthrough opens its sample model as a file with a relu-glorot-deep finding, and its fix step fixes the sample', async () => {
      const sample = await vscode.commands.executeCommand<vscode.TextEditor>('initlint.openSampleModel');
      assert.equal(sample.document.uri.scheme, 'file');
      assert.equal(sample.document.languageId, 'python');
      const diagnostics = await waitForInitLintDiagnostics(sample.document.uri);
      assert.deepEqual(diagnostics.map(ruleOf), ['relu-glorot-deep']);
      // The step's button is clicked from the walkthrough: the sample need not be the active editor.
      await vscode.window.showTextDocument(sample.document);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      assert.notEqual(vscode.window.activeTextEditor?.document.uri.toString(), sample.document.uri.toString());
      const fixed = await vscode.commands.executeCommand<number>('initlint.walkthrough.fixSample');
      assert.equal(fixed, 1);
      const reopened = vscode.workspace.textDocuments.find((document) => document.uri.toString() === sample.document.uri.toString());
      assert.match(reopened?.getText() ?? '', /kernel_initializer="he_uniform"/);
      await waitFor('the sample to be clean', () => initlintDiagnostics(sample.document.uri).length === 0);
    });

    it('"Show Rule Documentation" opens the documentation of a rule', async () => {
      const rule = await vscode.commands.executeCommand<string>('initlint.showRuleDocumentation', 'symmetric-init');
      assert.equal(rule, 'symmetric-init');
    });

    it('"Restart Server" restarts the language server, which reports again', async () => {
      await vscode.commands.executeCommand('initlint.restartServer');
      const editor = await openFixtureCopy('keras_model.py');
      const diagnostics = await waitForInitLintDiagnostics(editor.document.uri);
      assert.ok(diagnostics.map(ruleOf).includes('symmetric-init'));
    });
  });
}
