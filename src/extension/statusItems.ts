/**
 * The language status items (the `{}` next to the language in the status bar) for Python and JS/TS:
 * - "InitLint": the language server's state (Python) or the tsserver plugin's (JS/TS), Error when it
 *   failed to start; its link opens the InitLint log;
 * - the models found in the file, linking to the variance check.
 * Both read what the analysing host already holds (the server's `initlint/documentStatus`, the plugin's
 * `_initlint.status`): no analysis of their own.
 */
import * as vscode from 'vscode';
import type { PythonServer, ServerState } from './pythonServer';
import { TYPESCRIPT_EXTENSION_ID } from './tsServerPlugin';
import { pluginStatus } from './tsPluginRequests';

export const SHOW_LOG_COMMAND = 'initlint.showLog';
const REFRESH_DELAY_MS = 300;
const SCRIPT_LANGUAGES = new Set(['javascript', 'javascriptreact', 'typescript', 'typescriptreact']);

interface Shown {
  text: string;
  detail: string;
  severity: vscode.LanguageStatusSeverity;
}

type Models = { name: string; layers: number }[];

export class InitLintStatusItems implements vscode.Disposable {
  private readonly state: vscode.LanguageStatusItem;
  private readonly models: vscode.LanguageStatusItem;
  private readonly subscriptions: vscode.Disposable[];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped per refresh: an older refresh that answers late does not overwrite a newer one. */
  private generation = 0;

  constructor(selector: vscode.DocumentSelector, private readonly pythonServer: PythonServer) {
    this.state = vscode.languages.createLanguageStatusItem('initlint.state', selector);
    this.state.name = 'InitLint';
    this.state.command = { title: 'Show Log', command: SHOW_LOG_COMMAND, tooltip: 'Open the InitLint output channel' };
    this.models = vscode.languages.createLanguageStatusItem('initlint.models', selector);
    this.models.name = 'InitLint models';
    this.subscriptions = [
      this.state,
      this.models,
      vscode.window.onDidChangeActiveTextEditor(() => this.scheduleRefresh(0)),
      // New diagnostics: the analysis behind them is done, the model count may have changed.
      vscode.languages.onDidChangeDiagnostics((event) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (event.uris.some((uri) => uri.toString() === active)) this.scheduleRefresh(REFRESH_DELAY_MS);
      }),
      pythonServer.onDidChangeState(() => this.scheduleRefresh(0)),
    ];
    this.scheduleRefresh(0);
  }

  scheduleRefresh(delay = REFRESH_DELAY_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delay);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private async refresh(): Promise<void> {
    const document = vscode.window.activeTextEditor?.document;
    if (!document) return;
    const generation = ++this.generation;
    this.state.busy = true;
    try {
      const { shown, models } = SCRIPT_LANGUAGES.has(document.languageId) ? await scriptStatus(document) : await this.pythonStatus(document);
      if (generation !== this.generation) return;
      this.show(shown, models, document.uri);
    } catch (error) {
      if (generation !== this.generation) return;
      this.show({ text: '$(warning) InitLint', detail: `status unavailable: ${error instanceof Error ? error.message : String(error)}`, severity: vscode.LanguageStatusSeverity.Warning }, undefined, document.uri);
    } finally {
      if (generation === this.generation) this.state.busy = false;
    }
  }

  private async pythonStatus(document: vscode.TextDocument): Promise<{ shown: Shown; models?: Models }> {
    const state = this.pythonServer.state;
    const status = state.kind === 'running' ? await this.pythonServer.documentStatus(document.uri) : undefined;
    return { shown: serverShown(state, status?.findings), models: status?.models };
  }

  private show(shown: Shown, models: Models | undefined, uri: vscode.Uri): void {
    this.state.text = shown.text;
    this.state.detail = shown.detail;
    this.state.severity = shown.severity;
    if (!models) {
      this.models.text = 'No models read';
      this.models.detail = 'InitLint has not analysed this file';
      this.models.command = undefined;
      return;
    }
    this.models.text = models.length === 1 ? '1 model' : `${models.length} models`;
    this.models.detail = models.length ? models.map((model) => `${model.name} (${model.layers} layers)`).join(', ') : 'InitLint found no model in this file';
    this.models.command = models.length
      ? { title: 'Variance check', command: 'initlint.openVarianceCheck', arguments: [uri, 0], tooltip: 'Measure the first model at initialization, next to the prediction' }
      : undefined;
  }
}

function serverShown(state: ServerState, findings: number | undefined): Shown {
  const problems = findings === undefined ? '' : ` · ${findings} finding${findings === 1 ? '' : 's'}`;
  switch (state.kind) {
    case 'running':
      return { text: '$(check) InitLint', detail: `language server running${problems}`, severity: vscode.LanguageStatusSeverity.Information };
    case 'starting':
    case 'notStarted':
      return { text: '$(loading~spin) InitLint', detail: 'language server starting', severity: vscode.LanguageStatusSeverity.Information };
    case 'failed':
      return { text: '$(error) InitLint', detail: `language server failed to start: ${state.reason}`, severity: vscode.LanguageStatusSeverity.Error };
  }
}

async function scriptStatus(document: vscode.TextDocument): Promise<{ shown: Shown; models?: Models }> {
  const typescript = vscode.extensions.getExtension(TYPESCRIPT_EXTENSION_ID);
  if (!typescript) return { shown: { text: '$(error) InitLint', detail: `${TYPESCRIPT_EXTENSION_ID} is not installed: JavaScript/TypeScript files are not checked`, severity: vscode.LanguageStatusSeverity.Error } };
  // Still activating (the first script document of the session): not a failure yet; its diagnostics refresh this.
  if (!typescript.isActive) return { shown: { text: '$(loading~spin) InitLint', detail: 'waiting for the TypeScript extension', severity: vscode.LanguageStatusSeverity.Information } };
  const answer = await pluginStatus(document.uri);
  if (!answer.ok) {
    return {
      shown: { text: '$(error) InitLint', detail: `tsserver plugin not loaded: ${answer.reason}`, severity: vscode.LanguageStatusSeverity.Error },
    };
  }
  const { analysed, reason, models, findings } = answer.body;
  if (!analysed) return { shown: { text: '$(check) InitLint', detail: `tsserver plugin loaded; this file is not analysed: ${reason ?? 'no reason given'}`, severity: vscode.LanguageStatusSeverity.Information } };
  return {
    shown: { text: '$(check) InitLint', detail: `tsserver plugin running · ${findings} finding${findings === 1 ? '' : 's'}`, severity: vscode.LanguageStatusSeverity.Information },
    models,
  };
}
