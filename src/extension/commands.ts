/** The palette commands: fix all in file, show rule documentation, restart server, variance report and variance check. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { docsUrl, RULE_IDS, RULES, type RuleId } from '../core/findings';
import { SHOW_RULE_DOCUMENTATION_COMMAND } from '../protocol/ruleDocumentation';
import { loadAnalysis, sourceDocument } from './analysisModule';
import type { Logger } from './logger';
import type { NotebookCursor } from './analysisEntry';
import { isNotebookFile, notebookAt, notebookOfCell } from './notebooks';
import { JUPYTER_NOTEBOOK, type PythonServer } from './pythonServer';
import { readSettings } from './settings';
import type { VariancePanels } from './variancePanel';
import type { VarianceReportProvider } from './varianceReport';

export interface CommandHosts {
  extensionPath: string;
  logger: Logger;
  pythonServer: PythonServer;
  reports: VarianceReportProvider;
  panels: VariancePanels;
  /** Re-sends settings to the tsserver plugin (after a restart). */
  reconfigureTsPlugin: () => Promise<unknown>;
}

export function registerCommands(hosts: CommandHosts): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('initlint.fixAllInFile', (uri?: vscode.Uri) => fixAllInFile(hosts, uri)),
    vscode.commands.registerCommand(SHOW_RULE_DOCUMENTATION_COMMAND, (rule?: string) => showRuleDocumentation(hosts, rule)),
    vscode.commands.registerCommand('initlint.restartServer', async () => {
      // A server that cannot start is reported here (and by the status item), not as a modal command error.
      await hosts.pythonServer.restart().catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        void vscode.window.showErrorMessage(`InitLint: the language server could not start: ${reason}`, 'Show Log')
          .then((choice) => choice && hosts.logger.channel.show(true));
      });
      await hosts.reconfigureTsPlugin();
    }),
    vscode.commands.registerCommand('initlint.showVarianceReport', async (uri?: vscode.Uri) => {
      // From a notebook cell (or the notebook editor's toolbar): the report of the whole notebook.
      const given = uri ?? vscode.window.activeTextEditor?.document.uri ?? vscode.window.activeNotebookEditor?.notebook.uri;
      const source = given && (notebookOfCell(given)?.notebook.uri ?? given);
      if (!source) return void vscode.window.showInformationMessage('InitLint: open a Keras or TensorFlow.js file first.');
      return hosts.reports.show(source);
    }),
    // From the CodeLens: (uri, model index), the uri a file's or a notebook's; from the palette: the model at the cursor.
    vscode.commands.registerCommand('initlint.openVarianceCheck', async (uri?: vscode.Uri, modelIndex?: number) => {
      // The palette on a model whose panel is open measures it again; its lens only shows the panel.
      const target = { modelIndex: typeof modelIndex === 'number' ? modelIndex : undefined, measureAgain: uri === undefined };
      const notebook = await notebookTarget(uri);
      if (notebook) return (await hosts.panels.openNotebook(notebook.notebook, { ...target, cursor: notebook.cursor }))?.key;
      const editor = vscode.window.activeTextEditor;
      const document = uri ? await vscode.workspace.openTextDocument(uri) : editor?.document;
      if (!document) return void vscode.window.showInformationMessage('InitLint: open a Keras or TensorFlow.js file first.');
      const offset = editor && editor.document === document ? document.offsetAt(editor.selection.active) : 0;
      return (await hosts.panels.open(document, { ...target, offset }))?.key;
    }),
  ];
}

/**
 * The notebook the variance check is asked for, and the cursor in it: a notebook's URI (its lens), a cell's
 * URI, else the active cell editor, else the active notebook editor's selected cell. Undefined for files.
 */
async function notebookTarget(uri?: vscode.Uri): Promise<{ notebook: vscode.NotebookDocument; cursor?: NotebookCursor } | undefined> {
  if (uri && isNotebookFile(uri)) return { notebook: await notebookAt(uri) };
  const editor = vscode.window.activeTextEditor;
  const cellUri = uri ?? editor?.document.uri;
  const inNotebook = cellUri && notebookOfCell(cellUri);
  if (inNotebook) {
    const offset = editor && editor.document.uri.toString() === cellUri.toString() ? editor.document.offsetAt(editor.selection.active) : 0;
    return { notebook: inNotebook.notebook, cursor: { cell: inNotebook.cell.index, offset } };
  }
  const notebookEditor = !uri && !editor ? vscode.window.activeNotebookEditor : undefined;
  if (notebookEditor?.notebook.notebookType === JUPYTER_NOTEBOOK) {
    return { notebook: notebookEditor.notebook, cursor: { cell: notebookEditor.selection.start, offset: 0 } };
  }
  return undefined;
}

/**
 * Applies every preferred fix with the same core code the server and the plugin use. Done here rather than
 * through each host because tsserver offers combined fixes only per fix id, from the quick-fix menu.
 * Returns how many fixes were applied.
 */
async function fixAllInFile(hosts: CommandHosts, uri?: vscode.Uri): Promise<number> {
  const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!document) return 0;
  if (notebookOfCell(document)) return fixAllInCell(hosts, document);
  const { fixed, start, end, newText } = loadAnalysis(hosts.extensionPath).fixAll(sourceDocument(document), readSettings(document));
  if (!fixed) {
    void vscode.window.showInformationMessage('InitLint: nothing to fix in this file.');
    return 0;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(start), document.positionAt(end)), newText);
  await vscode.workspace.applyEdit(edit);
  hosts.logger.info(`fix-all: ${fixed} fix${fixed === 1 ? '' : 'es'} applied to ${document.uri.toString()}`);
  return fixed;
}

/**
 * A notebook cell is only part of its program (a constant in one cell, the model in another): its fixes
 * come from the language server, which analyses the notebook's cells together (`source.fixAll.initlint`).
 */
async function fixAllInCell(hosts: CommandHosts, document: vscode.TextDocument): Promise<number> {
  await hosts.pythonServer.start();
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const actions = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider', document.uri, whole, 'source.fixAll.initlint')) ?? [];
  const fix = actions.find((action): action is vscode.CodeAction => 'edit' in action && action.edit !== undefined);
  const edits = fix?.edit?.entries().reduce((count, [, list]) => count + list.length, 0) ?? 0;
  if (!fix?.edit || !edits) {
    void vscode.window.showInformationMessage('InitLint: nothing to fix in this cell.');
    return 0;
  }
  await vscode.workspace.applyEdit(fix.edit);
  hosts.logger.info(`fix-all: ${edits} edit${edits === 1 ? '' : 's'} applied from ${document.uri.toString()}`);
  return edits;
}

/** The rule of the InitLint diagnostic under the cursor, else a pick from the rule table. */
async function showRuleDocumentation(hosts: CommandHosts, requested?: string): Promise<RuleId | undefined> {
  const rule = isRuleId(requested) ? requested : ruleAtCursor() ?? (await pickRule());
  if (!rule) return undefined;
  const localDoc = path.join(hosts.extensionPath, 'docs', 'rules', `${rule}.md`);
  if (fs.existsSync(localDoc)) await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(localDoc));
  else await vscode.env.openExternal(vscode.Uri.parse(docsUrl(rule)));
  return rule;
}

function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && (RULE_IDS as readonly string[]).includes(value);
}

/** tsserver diagnostics carry the numeric rule code, LSP ones the rule id; both name the rule in `[id]`. */
export function ruleOfDiagnostic(diagnostic: vscode.Diagnostic): RuleId | undefined {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  if (isRuleId(code)) return code;
  const byNumber = RULE_IDS.find((id) => RULES[id].code === Number(code));
  if (byNumber) return byNumber;
  const named = /\[([a-z-]+)\]/.exec(diagnostic.message)?.[1];
  return isRuleId(named) ? named : undefined;
}

function ruleAtCursor(): RuleId | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const here = editor.selection.active;
  return vscode.languages
    .getDiagnostics(editor.document.uri)
    .filter((diagnostic) => diagnostic.source === 'initlint' && diagnostic.range.contains(here))
    .map(ruleOfDiagnostic)
    .find((rule) => rule !== undefined);
}

async function pickRule(): Promise<RuleId | undefined> {
  const picked = await vscode.window.showQuickPick(
    RULE_IDS.map((id) => ({ label: id, description: RULES[id].defaultSeverity, detail: RULES[id].summary })),
    { placeHolder: 'InitLint rule' },
  );
  return picked?.label as RuleId | undefined;
}
