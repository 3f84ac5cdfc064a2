/**
 * CodeLenses above each detected model: "N layers · forward variance ×F · Open variance check" (the
 * panel) and "Variance report" (the text report). In notebooks the model spans cells: the lenses sit on the
 * cell that defines it and open the panel and the report of the whole notebook.
 */
import * as vscode from 'vscode';
import { loadAnalysis, sourceDocument } from './analysisModule';
import type { Logger } from './logger';
import { notebookOfCell, notebookSource } from './notebooks';
import { readSettings } from './settings';

export const SHOW_VARIANCE_REPORT = 'initlint.showVarianceReport';
export const OPEN_VARIANCE_CHECK = 'initlint.openVarianceCheck';
const NOTEBOOK_REFRESH_DELAY_MS = 250;

export class ModelCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  private readonly subscriptions: vscode.Disposable[];
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly extensionPath: string, private readonly logger: Logger) {
    // VS Code asks again for the lenses of the document that changed only; a notebook's model also
    // depends on its other cells (`DEPTH = 20` in the first), so any change to a notebook refreshes all.
    const notebookChanged = () => {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => this.refresh(), NOTEBOOK_REFRESH_DELAY_MS);
    };
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => notebookOfCell(event.document) && notebookChanged()),
      vscode.workspace.onDidChangeNotebookDocument((event) => event.contentChanges.length && notebookChanged()),
    ];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const settings = readSettings(document);
    if (!settings.enable) return [];
    const inNotebook = notebookOfCell(document);
    if (inNotebook) return this.notebookLenses(inNotebook.notebook, inNotebook.cell, document, settings);
    try {
      return loadAnalysis(this.extensionPath).modelLenses(sourceDocument(document), settings)
        .flatMap((lens) => modelLenses(document.positionAt(lens.offset).line, lens.summary, document.uri, lens.modelIndex));
    } catch (error) {
      this.logger.error(`CodeLens for ${document.uri.toString()} failed`, error);
      return [];
    }
  }

  /** A notebook's cells form one program: the model is found across cells, its lenses shown on its own cell. */
  private notebookLenses(notebook: vscode.NotebookDocument, cell: vscode.NotebookCell, document: vscode.TextDocument, settings: ReturnType<typeof readSettings>): vscode.CodeLens[] {
    try {
      return loadAnalysis(this.extensionPath).notebookModelLenses(notebookSource(notebook), settings)
        .filter((lens) => lens.cell === cell.index)
        .flatMap((lens) => modelLenses(document.positionAt(lens.offset).line, lens.summary, notebook.uri, lens.modelIndex));
    } catch (error) {
      this.logger.error(`CodeLens for ${document.uri.toString()} failed`, error);
      return [];
    }
  }

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}

/** The two lenses of a model on `line`: the variance check (panel) and the report, of `source` (a file or a notebook). */
function modelLenses(line: number, summary: string, source: vscode.Uri, modelIndex: number): vscode.CodeLens[] {
  const range = new vscode.Range(line, 0, line, 0);
  return [
    new vscode.CodeLens(range, {
      title: `${summary} · Open variance check`,
      tooltip: 'Measure this model at initialization with TensorFlow.js on your GPU, next to the prediction',
      command: OPEN_VARIANCE_CHECK,
      arguments: [source, modelIndex],
    }),
    new vscode.CodeLens(range, {
      title: 'Variance report',
      tooltip: 'Per-layer fan-in, initializer variance, gain and predicted forward/backward variance',
      command: SHOW_VARIANCE_REPORT,
      arguments: [source],
    }),
  ];
}
