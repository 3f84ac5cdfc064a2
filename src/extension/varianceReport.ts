/**
 * The variance report as a read-only document (`initlint-report:` scheme, `initlint-report` language with
 * its own grammar): the same table as `initlint report <file>`, kept up to date while the source changes.
 */
import * as vscode from 'vscode';
import { loadAnalysis, sourceDocument } from './analysisModule';
import type { Logger } from './logger';
import { isNotebookFile, notebookAt, notebookOfCell, notebookSource } from './notebooks';
import { readSettings } from './settings';

export const REPORT_SCHEME = 'initlint-report';
const REPORT_LANGUAGE = 'initlint-report';
const REFRESH_DELAY_MS = 300;

/** `initlint-report:/abs/model.py.initlint-report?<source uri>`: the tab shows "model.py.initlint-report". */
export function reportUri(source: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: REPORT_SCHEME, path: `${source.path}.initlint-report`, query: source.toString() });
}

export class VarianceReportProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly open = new Set<string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly extensionPath: string, private readonly logger: Logger) {
    this.subscriptions = [
      // A notebook's report follows edits of its cells, and cells added or removed.
      vscode.workspace.onDidChangeTextDocument((event) => this.sourceChanged(notebookOfCell(event.document)?.notebook.uri ?? event.document.uri)),
      vscode.workspace.onDidChangeNotebookDocument((event) => this.sourceChanged(event.notebook.uri)),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document.uri.scheme === REPORT_SCHEME) this.open.delete(document.uri.toString());
      }),
    ];
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    this.open.add(uri.toString());
    const source = vscode.Uri.parse(uri.query);
    try {
      const shownPath = vscode.workspace.asRelativePath(source, false);
      if (isNotebookFile(source)) {
        // The cells as the editor has them (unsaved edits included), else the notebook as saved.
        const notebook = await notebookAt(source);
        return loadAnalysis(this.extensionPath).notebookVarianceReport(notebookSource(notebook), readSettings(notebook.uri), shownPath);
      }
      const document = await vscode.workspace.openTextDocument(source);
      return loadAnalysis(this.extensionPath).varianceReport(sourceDocument(document), readSettings(document), shownPath);
    } catch (error) {
      this.logger.error(`variance report for ${source.toString()} failed`, error);
      return `InitLint could not build the variance report for ${source.toString()}: ${error instanceof Error ? error.message : String(error)}\n`;
    }
  }

  async show(source: vscode.Uri): Promise<vscode.TextEditor> {
    const report = reportUri(source);
    let document = await vscode.workspace.openTextDocument(report);
    if (document.languageId !== REPORT_LANGUAGE) document = await vscode.languages.setTextDocumentLanguage(document, REPORT_LANGUAGE);
    return vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
  }

  /** Settings changed: every open report is rebuilt. */
  refreshAll(): void {
    for (const uri of this.open) this.changed.fire(vscode.Uri.parse(uri));
  }

  private sourceChanged(source: vscode.Uri): void {
    const report = reportUri(source).toString();
    if (!this.open.has(report)) return;
    clearTimeout(this.timers.get(report));
    this.timers.set(report, setTimeout(() => this.changed.fire(vscode.Uri.parse(report)), REFRESH_DELAY_MS));
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}
