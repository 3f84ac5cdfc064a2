/**
 * Where a variance-check panel's model lives: a source file, or a Jupyter notebook whose code cells form one
 * program (`DEPTH = 20` in one cell, the model in another). Each kind reads the model as the editor has it
 * (unsaved edits included), says which edits concern it, shows a layer in its editor, and turns the model's
 * recommended fixes and LSUV scales into one WorkspaceEdit of the documents they change.
 */
import * as vscode from 'vscode';
import type { CellTextEdits } from './analysisEntry';
import { loadAnalysis, sourceDocument } from './analysisModule';
import { isNotebookFile, notebookAt, notebookOfCell, notebookSource } from './notebooks';
import type { PanelLsuvScale, PanelModel, PanelModelKey } from '../protocol/panel';
import type { CellRange } from '../protocol/panelModel';
import { readSettings } from './settings';

/** Edits for the panel's "apply" buttons; `edit` is absent when there is nothing to change. */
export interface ModelEdits {
  edit?: vscode.WorkspaceEdit;
  /** Fixes applied, or layers rescaled. */
  count: number;
  notes: string[];
  /** LSUV: layers (indices) that keep a constant kernel after the edit, which LSUV cannot calibrate. */
  constantLeft?: number[];
}

export interface PanelSource {
  /** The document as the workspace shows it (the panel's subtitle and messages). */
  readonly shownPath: string;
  /** Calls `changed` on every edit that can change the model. */
  watch(changed: () => void): vscode.Disposable;
  /** The model of `key` as the editor has it now; undefined when it is gone. */
  panelModel(key: PanelModelKey): Promise<PanelModel | undefined>;
  /** Selects layer `layer` (of the last model read) in its editor; says where it is, or undefined when unknown. */
  revealLayer(layer: number): Promise<string | undefined>;
  /** Model `modelIndex`'s preferred fixes, in passes like fix-all. */
  fixEdits(modelIndex: number): Promise<ModelEdits>;
  /** LSUV `scales` written into model `modelIndex`'s kernel initializers. */
  lsuvEdits(modelIndex: number, scales: PanelLsuvScale[]): Promise<ModelEdits>;
}

/** The source of a panel's model: a notebook when the key names a `.ipynb`, else a text document. */
export function panelSource(key: PanelModelKey, extensionPath: string): PanelSource {
  const uri = vscode.Uri.parse(key.uri);
  return isNotebookFile(uri) ? new NotebookSource(uri, extensionPath) : new FileSource(uri, extensionPath);
}

/** Opens `document` in the column it is visible in (else the first) with `selection` selected and in view. */
async function showSelection(document: vscode.TextDocument, selection: vscode.Range, viewColumn?: vscode.ViewColumn): Promise<void> {
  const column = viewColumn ?? vscode.window.visibleTextEditors.find((editor) => editor.document === document)?.viewColumn ?? vscode.ViewColumn.One;
  const editor = await vscode.window.showTextDocument(document, { viewColumn: column, selection, preserveFocus: false });
  editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

class FileSource implements PanelSource {
  private lastModel: PanelModel | undefined;

  constructor(private readonly uri: vscode.Uri, private readonly extensionPath: string) {}

  get shownPath(): string {
    return vscode.workspace.asRelativePath(this.uri, false);
  }

  watch(changed: () => void): vscode.Disposable {
    const uri = this.uri.toString();
    return vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document.uri.toString() === uri && event.contentChanges.length) changed();
    });
  }

  async panelModel(key: PanelModelKey): Promise<PanelModel | undefined> {
    const document = await this.document();
    this.lastModel = loadAnalysis(this.extensionPath).variancePanelModel(sourceDocument(document), readSettings(document), key, this.shownPath);
    return this.lastModel;
  }

  async revealLayer(layer: number): Promise<string | undefined> {
    const span = this.lastModel?.report.layers.find((entry) => entry.index === layer)?.span;
    if (!span) return undefined;
    const document = await this.document();
    const range = new vscode.Range(document.positionAt(span.start), document.positionAt(span.end));
    await showSelection(document, range);
    return `line ${range.start.line + 1}`;
  }

  async fixEdits(modelIndex: number): Promise<ModelEdits> {
    const document = await this.document();
    const result = loadAnalysis(this.extensionPath).modelFixes(sourceDocument(document), readSettings(document), modelIndex);
    if (!result.fixed) return { count: 0, notes: [] };
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(result.start), document.positionAt(result.end)), result.newText);
    return { edit, count: result.fixed, notes: [] };
  }

  async lsuvEdits(modelIndex: number, scales: PanelLsuvScale[]): Promise<ModelEdits> {
    const document = await this.document();
    const result = loadAnalysis(this.extensionPath).modelLsuvEdits(sourceDocument(document), readSettings(document), modelIndex, scales);
    if (!result.edits.length) return { count: 0, notes: result.notes, constantLeft: result.constantLeft };
    const edit = new vscode.WorkspaceEdit();
    for (const change of result.edits) edit.replace(document.uri, new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)), change.newText);
    return { edit, count: result.layersChanged, notes: result.notes, constantLeft: result.constantLeft };
  }

  private document(): Thenable<vscode.TextDocument> {
    return vscode.workspace.openTextDocument(this.uri);
  }
}

/** A notebook: the model is read from all its cells; reveals and edits land in the cells they concern. */
class NotebookSource implements PanelSource {
  /** Where each layer of the last model read is, by layer index. */
  private layerRanges: CellRange[] = [];

  constructor(private readonly uri: vscode.Uri, private readonly extensionPath: string) {}

  get shownPath(): string {
    return vscode.workspace.asRelativePath(this.uri, false);
  }

  /** An edit of any cell (`DEPTH` may live in another cell than the model), and cells added or removed. */
  watch(changed: () => void): vscode.Disposable {
    const uri = this.uri.toString();
    return vscode.Disposable.from(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length && notebookOfCell(event.document)?.notebook.uri.toString() === uri) changed();
      }),
      vscode.workspace.onDidChangeNotebookDocument((event) => {
        if (event.contentChanges.length && event.notebook.uri.toString() === uri) changed();
      }),
    );
  }

  async panelModel(key: PanelModelKey): Promise<PanelModel | undefined> {
    const notebook = await notebookAt(this.uri);
    const result = loadAnalysis(this.extensionPath).notebookVariancePanelModel(notebookSource(notebook), readSettings(notebook.uri), key, this.shownPath);
    this.layerRanges = result?.layerRanges ?? [];
    return result?.panel;
  }

  /** Shows the notebook with the layer's cell selected, and the layer's call selected in that cell's editor. */
  async revealLayer(layer: number): Promise<string | undefined> {
    const range = this.layerRanges[layer];
    const notebook = await notebookAt(this.uri);
    if (!range || range.cell < 0 || range.cell >= notebook.cellCount) return undefined;
    const cell = notebook.cellAt(range.cell);
    const cells = new vscode.NotebookRange(cell.index, cell.index + 1);
    const visible = vscode.window.visibleNotebookEditors.find((editor) => editor.notebook === notebook);
    const notebookEditor = await vscode.window.showNotebookDocument(notebook, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, selections: [cells], preserveFocus: false });
    notebookEditor.revealRange(cells, vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
    const selection = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
    await showSelection(cell.document, selection, notebookEditor.viewColumn);
    return `cell ${cell.index + 1}, line ${range.start.line + 1}`;
  }

  async fixEdits(modelIndex: number): Promise<ModelEdits> {
    const notebook = await notebookAt(this.uri);
    const result = loadAnalysis(this.extensionPath).notebookModelFixes(notebookSource(notebook), readSettings(notebook.uri), modelIndex);
    return { ...(result.fixed > 0 && result.cells.length > 0 && { edit: cellsEdit(notebook, result.cells) }), count: result.fixed, notes: [] };
  }

  async lsuvEdits(modelIndex: number, scales: PanelLsuvScale[]): Promise<ModelEdits> {
    const notebook = await notebookAt(this.uri);
    const result = loadAnalysis(this.extensionPath).notebookModelLsuvEdits(notebookSource(notebook), readSettings(notebook.uri), modelIndex, scales);
    return { ...(result.cells.length > 0 && { edit: cellsEdit(notebook, result.cells) }), count: result.layersChanged, notes: result.notes, constantLeft: result.constantLeft };
  }
}

/** Per-cell edits (offsets within each cell, cells by index) as one edit of the cells' documents. */
function cellsEdit(notebook: vscode.NotebookDocument, cells: CellTextEdits[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const { cell, edits } of cells) {
    const document = notebook.cellAt(cell).document;
    for (const change of edits) edit.replace(document.uri, new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)), change.newText);
  }
  return edit;
}
