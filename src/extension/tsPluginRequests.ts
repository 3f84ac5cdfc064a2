/**
 * Requests to the tsserver plugin (src/tsPlugin/editorRequests.ts) through the TypeScript extension's
 * `typescript.tsserverRequest` command, which forwards commands whose name starts with `_` and turns a
 * `vscode.Uri` argument into tsserver's path for the open file.
 */
import * as vscode from 'vscode';
import { FIX_ALL_REQUEST, STATUS_REQUEST, type FixAllResponse, type StatusResponse } from '../protocol/tsPluginRequests';

export type PluginAnswer<T> = { ok: true; body: T } | { ok: false; reason: string };

async function request<T>(command: string, uri: vscode.Uri, token?: vscode.CancellationToken): Promise<PluginAnswer<T>> {
  try {
    const response = await vscode.commands.executeCommand<{ type?: string; body?: T } | undefined>('typescript.tsserverRequest', command, { file: uri }, undefined, token);
    if (response?.type === 'response' && response.body) return { ok: true, body: response.body };
    // A tsserver without the plugin answers "Unrecognized JSON command" (rejected below); a cancelled request has no body.
    return { ok: false, reason: response ? `tsserver gave no answer (${response.type ?? 'no type'})` : 'the TypeScript extension is not running' };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

export const pluginFixAll = (uri: vscode.Uri, token?: vscode.CancellationToken) => request<FixAllResponse>(FIX_ALL_REQUEST, uri, token);
export const pluginStatus = (uri: vscode.Uri, token?: vscode.CancellationToken) => request<StatusResponse>(STATUS_REQUEST, uri, token);

/** The plugin's fix-all as an edit of `document`, or undefined when the text tsserver fixed is not the document's. */
export function fixAllEdit(document: vscode.TextDocument, answer: FixAllResponse): vscode.WorkspaceEdit | undefined {
  const edit = new vscode.WorkspaceEdit();
  if (!answer.fixed) return edit;
  if (answer.end > document.getText().length) return undefined;
  const range = new vscode.Range(document.positionAt(answer.start), document.positionAt(answer.end));
  if (document.getText(range) !== answer.oldText) return undefined;
  edit.replace(document.uri, range, answer.newText);
  return edit;
}
