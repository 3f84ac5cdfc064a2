/** Jupyter notebooks open in VS Code, as the analysis module sees them (cells, the notebook a cell belongs to). */
import * as vscode from 'vscode';
import type { NotebookCellSource, NotebookSource } from './analysisEntry';
import { JUPYTER_NOTEBOOK } from './pythonServer';

export const CELL_SCHEME = 'vscode-notebook-cell';

/** The open Jupyter notebook holding this cell document, and the cell. */
export function notebookOfCell(document: vscode.TextDocument | vscode.Uri): { notebook: vscode.NotebookDocument; cell: vscode.NotebookCell } | undefined {
  const uri = (document instanceof vscode.Uri ? document : document.uri).toString();
  if (!uri.startsWith(`${CELL_SCHEME}:`)) return undefined;
  for (const notebook of vscode.workspace.notebookDocuments) {
    if (notebook.notebookType !== JUPYTER_NOTEBOOK) continue;
    const cell = notebook.getCells().find((candidate) => candidate.document.uri.toString() === uri);
    if (cell) return { notebook, cell };
  }
  return undefined;
}

/** The open Jupyter notebook with this URI. */
export function openNotebook(uri: vscode.Uri): vscode.NotebookDocument | undefined {
  return vscode.workspace.notebookDocuments.find((notebook) => notebook.notebookType === JUPYTER_NOTEBOOK && notebook.uri.toString() === uri.toString());
}

export function isNotebookFile(uri: vscode.Uri): boolean {
  return uri.path.toLowerCase().endsWith('.ipynb');
}

function cellSources(notebook: vscode.NotebookDocument): NotebookCellSource[] {
  return notebook.getCells().map((cell) => ({
    kind: cell.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'code',
    language: cell.document.languageId,
    text: cell.document.getText(),
  }));
}

/** The notebook as the analysis reads it: its cells as the editor has them (unsaved edits included), and its paths. */
export function notebookSource(notebook: vscode.NotebookDocument): NotebookSource {
  const onDisk = notebook.uri.scheme === 'file';
  // The path the analysis names the notebook by, and where project configuration is searched from.
  return { cells: cellSources(notebook), notebookPath: onDisk ? notebook.uri.fsPath : 'untitled.ipynb', ...(onDisk && { diskPath: notebook.uri.fsPath }) };
}

/** The open notebook at `uri`, else the notebook opened from disk (a restored panel whose notebook is closed). */
export async function notebookAt(uri: vscode.Uri): Promise<vscode.NotebookDocument> {
  return openNotebook(uri) ?? vscode.workspace.openNotebookDocument(uri);
}
