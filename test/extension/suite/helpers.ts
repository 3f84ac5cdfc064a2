/** Shared steps of the extension-host specs: fresh copies of fixture files, polling the vscode API. */
import * as assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import * as vscode from 'vscode';
import type { InitLintApi } from '../../../src/extension/extension';

export const EXTENSION_ID = 'initlint.initlint';

export async function activateInitLint(): Promise<InitLintApi> {
  const extension = vscode.extensions.getExtension<InitLintApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  return extension.isActive ? extension.exports : extension.activate();
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder');
  return folder.uri.fsPath;
}

let copies = 0;

/** A fresh copy of a fixture file in the workspace, so each test edits its own file. */
function fixtureCopy(name: string): string {
  const root = workspaceRoot();
  const copy = join(root, `${basename(name, extname(name))}_${++copies}${extname(name)}`);
  copyFileSync(join(root, name), copy);
  return copy;
}

/** Opens a fresh copy of a fixture file. */
export async function openFixtureCopy(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixtureCopy(name));
  return vscode.window.showTextDocument(document);
}

/** A fresh copy of deep_mlp.ipynb (cells: `DEPTH = 20`, markdown, the Dense/ReLU loop), shown in the notebook editor. */
export async function openNotebookCopy(): Promise<vscode.NotebookDocument> {
  const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(fixtureCopy('deep_mlp.ipynb')));
  await vscode.window.showNotebookDocument(notebook);
  return notebook;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function initlintDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'initlint');
}

export async function waitForInitLintDiagnostics(uri: vscode.Uri, timeoutMs?: number): Promise<vscode.Diagnostic[]> {
  return waitFor(`InitLint diagnostics on ${basename(uri.fsPath)}`, () => {
    const found = initlintDiagnostics(uri);
    return found.length ? found : undefined;
  }, timeoutMs);
}

/** The rule a diagnostic names: LSP diagnostics carry the id as code, tsserver ones a number; both say `[id]`. */
export function ruleOf(diagnostic: vscode.Diagnostic): string {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  if (typeof code === 'string' && /^[a-z-]+$/.test(code)) return code;
  return /\[([a-z-]+)\]/.exec(diagnostic.message)?.[1] ?? String(code);
}

export async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value)) ?? [];
  return actions.filter((action): action is vscode.CodeAction => 'kind' in action || 'edit' in action);
}

export async function applyCodeAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `applying "${action.title}" failed`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}
