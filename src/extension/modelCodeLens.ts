/** A CodeLens above each detected model: "N layers · forward variance ×F · Open variance report". */
import * as vscode from 'vscode';
import { loadAnalysis, sourceDocument } from './analysisModule';
import type { Logger } from './logger';
import { readSettings } from './settings';

export const SHOW_VARIANCE_REPORT = 'initlint.showVarianceReport';

export class ModelCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly extensionPath: string, private readonly logger: Logger) {}

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const settings = readSettings(document);
    if (!settings.enable) return [];
    try {
      const lenses = loadAnalysis(this.extensionPath).modelLenses(sourceDocument(document), settings);
      return lenses.map((lens) => {
        const line = document.positionAt(lens.offset).line;
        return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
          title: lens.title,
          tooltip: 'Per-layer fan-in, initializer variance, gain and predicted forward/backward variance',
          command: SHOW_VARIANCE_REPORT,
          arguments: [document.uri],
        });
      });
    } catch (error) {
      this.logger.error(`CodeLens for ${document.uri.toString()} failed`, error);
      return [];
    }
  }

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
