/**
 * Jupyter notebooks in the built-in notebook editor: the language client syncs the notebook (LSP 3.17
 * notebook sync), the server analyses its Python cells as one program and publishes per cell URI; quick
 * fixes, the CodeLenses and the variance report work on a model whose depth is set in another cell (the
 * variance-check panel on notebooks: panel.spec.ts).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateInitLint, applyCodeAction, initlintDiagnostics, openNotebookCopy, quickFixes, ruleOf, waitFor, waitForInitLintDiagnostics } from './helpers';

export function notebookSpecs(): void {
  describe('Jupyter notebooks (notebook sync)', () => {
    before(async () => {
      await activateInitLint();
    });

    it('opens .ipynb as a jupyter-notebook with Python code cells', async () => {
      const notebook = await openNotebookCopy();
      assert.equal(notebook.notebookType, 'jupyter-notebook');
      assert.deepEqual(notebook.getCells().map((cell) => [cell.kind, cell.document.languageId]), [
        [vscode.NotebookCellKind.Code, 'python'],
        [vscode.NotebookCellKind.Markup, 'markdown'],
        [vscode.NotebookCellKind.Code, 'python'],
      ]);
    });

    it('publishes relu-glorot-deep on the loop\'s cell only (DEPTH comes from the first cell)', async () => {
      const notebook = await openNotebookCopy();
      const [constants, markdown, model] = notebook.getCells();
      const diagnostics = await waitForInitLintDiagnostics(model.document.uri);
      assert.deepEqual(diagnostics.map(ruleOf), ['relu-glorot-deep']);
      assert.equal(diagnostics[0].range.start.line, 3, 'the Dense call inside the loop');
      assert.deepEqual(initlintDiagnostics(constants.document.uri), []);
      assert.deepEqual(initlintDiagnostics(markdown.document.uri), []);
    });

    it('follows an edit of the constant cell: DEPTH = 2 clears the loop\'s cell', async () => {
      const notebook = await openNotebookCopy();
      const [constants, , model] = notebook.getCells();
      await waitForInitLintDiagnostics(model.document.uri);
      const line = constants.document.lineAt(3);
      assert.equal(line.text, 'DEPTH = 20');
      const edit = new vscode.WorkspaceEdit();
      edit.replace(constants.document.uri, line.range, 'DEPTH = 2');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitFor('the loop\'s cell to clear', () => initlintDiagnostics(model.document.uri).length === 0);
    });

    it('applies the preferred quick fix to the loop\'s cell', async () => {
      const notebook = await openNotebookCopy();
      const model = notebook.cellAt(2);
      const [diagnostic] = await waitForInitLintDiagnostics(model.document.uri);
      const fixes = await quickFixes(model.document.uri, diagnostic.range);
      const preferred = fixes.find((action) => action.isPreferred) ?? fixes[0];
      assert.ok(preferred, 'no quick fix offered');
      assert.match(preferred.title, /he_uniform/);
      await applyCodeAction(preferred);
      assert.match(model.document.lineAt(3).text, /kernel_initializer="he_uniform"/);
      assert.doesNotMatch(notebook.cellAt(0).document.getText(), /he_uniform/);
      await waitFor('the diagnostic to clear', () => initlintDiagnostics(model.document.uri).length === 0);
    });

    it('shows the model\'s CodeLenses on its cell: the variance check and the notebook\'s variance report', async () => {
      const notebook = await openNotebookCopy();
      const lensesOf = async (cell: vscode.NotebookCell) =>
        (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', cell.document.uri)) ?? [];
      const lenses = await lensesOf(notebook.cellAt(2));
      const check = lenses.filter((lens) => lens.command?.command === 'initlint.openVarianceCheck');
      assert.equal(check.length, 1);
      assert.equal(check[0].command!.title, '21 layers · forward variance ×1.9e-6 · Open variance check');
      assert.deepEqual(check[0].command!.arguments?.map(String), [notebook.uri.toString(), '0'], 'the notebook and the model index');
      const reports = lenses.filter((lens) => lens.command?.command === 'initlint.showVarianceReport');
      assert.equal(reports.length, 1);
      assert.equal(reports[0].command!.title, 'Variance report');
      assert.equal(reports[0].range.start.line, 0);
      assert.equal((await lensesOf(notebook.cellAt(0))).filter((lens) => lens.command?.command.startsWith('initlint.')).length, 0);
      await vscode.commands.executeCommand(reports[0].command!.command, ...(reports[0].command!.arguments ?? []));
      const report = await waitFor('the report editor', () => vscode.window.visibleTextEditors.find((editor) => editor.document.uri.scheme === 'initlint-report'));
      assert.match(report.document.getText(), /cell 3:4/);
      assert.match(report.document.getText(), /worst chain/);
      // The lens and the report follow an edit of the other cell: DEPTH = 2.
      const constants = notebook.cellAt(0);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(constants.document.uri, constants.document.lineAt(3).range, 'DEPTH = 2');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitFor('the lens to say 3 layers', async () => (await lensesOf(notebook.cellAt(2))).some((lens) => /^3 layers/.test(lens.command?.title ?? '')));
      await waitFor('the report to list 2 hidden layers', () => report.document.getText().match(/cell 3:4 /g)?.length === 2);
    });

    it('"InitLint: Fix All in File" in a cell fixes it through the server', async () => {
      const notebook = await openNotebookCopy();
      const model = notebook.cellAt(2);
      await waitForInitLintDiagnostics(model.document.uri);
      const fixed = await vscode.commands.executeCommand<number>('initlint.fixAllInFile', model.document.uri);
      assert.ok(fixed >= 1, `fixed ${fixed}`);
      assert.match(model.document.getText(), /kernel_initializer="he_uniform"/);
    });
  });
}
