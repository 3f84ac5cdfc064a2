/**
 * The variance-check panel's host side: one webview panel per model (of a file, or of a notebook's cells),
 * restored after a reload by a WebviewPanelSerializer. The webview (src/webview, bundled into media/) runs
 * the probe on the user's GPU; this side sends it the model, follows edits of the source, and turns its
 * requests (reveal a layer, apply the recommended fixes or LSUV scales, export) into editor actions
 * (panelSources.ts knows files from notebooks). Everything the webview posts is validated first
 * (src/protocol/panel.ts).
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  parsePanelMessage, type HostMessage, type PanelMessage, type PanelModel, type PanelModelKey, type PanelRunSummary,
  type ProbeSettings,
} from '../protocol/panel';
import { panelHtml } from '../protocol/panelHtml';
import type { NotebookCursor } from './analysisEntry';
import { loadAnalysis, sourceDocument } from './analysisModule';
import type { Logger } from './logger';
import { notebookSource } from './notebooks';
import { panelSource, type PanelSource } from './panelSources';
import { OpenedPanelDocuments, restorablePanel, type PanelStorage } from './panelTrust';
import { readSettings } from './settings';

export const VARIANCE_PANEL_VIEW_TYPE = 'initlint.varianceCheck';
const UPDATE_DELAY_MS = 400;
const EXPORT_EXTENSIONS = { png: 'png', json: 'json', md: 'md' } as const;

/** What the extension API reports about each open panel (the tests and the bench read it). */
export interface VariancePanelSnapshot {
  key: PanelModelKey;
  title: string;
  /** The webview said `ready`. */
  ready: boolean;
  lastRun?: PanelRunSummary;
  lastFailure?: string;
  /** Messages from the webview that failed validation, with the reason. */
  rejected: string[];
  /** The last `done` message sent to the webview (apply, export, reveal). */
  lastDone?: Extract<HostMessage, { type: 'done' }>;
  /** Layers of the model last sent to the webview (it follows edits of the source). */
  layers?: number;
}

const keyString = (key: Pick<PanelModelKey, 'uri' | 'modelIndex'>) => `${key.uri}#${key.modelIndex}`;

export class VariancePanels implements vscode.WebviewPanelSerializer<unknown>, vscode.Disposable {
  private readonly panels = new Map<string, VariancePanel>();
  private readonly opened: OpenedPanelDocuments;

  /** `storage`: the extension's workspace state, where the documents the host opened panels for are kept. */
  constructor(private readonly extensionUri: vscode.Uri, private readonly logger: Logger, storage: PanelStorage) {
    this.opened = new OpenedPanelDocuments(storage);
  }

  /**
   * Opens (or reveals) the panel of the model at `offset` in `document`, or of model `modelIndex`.
   * `measureAgain`: an already open panel also measures again (the palette command), not only shows itself (the lens).
   */
  async open(document: vscode.TextDocument, target: { modelIndex?: number; offset?: number; measureAgain?: boolean }): Promise<VariancePanel | undefined> {
    const analysis = loadAnalysis(this.extensionUri.fsPath);
    const settings = readSettings(document);
    const source = sourceDocument(document);
    const models = analysis.detectedModels(source, settings);
    if (!models.length) {
      void vscode.window.showInformationMessage('InitLint: no Keras or TensorFlow.js model found in this file.');
      return undefined;
    }
    const chosen = target.modelIndex !== undefined ? models.find((model) => model.index === target.modelIndex) : analysis.modelAt(models, target.offset ?? 0);
    const model = chosen ?? models[0];
    return this.show({ uri: document.uri.toString(), modelIndex: model.index, modelName: model.name }, settings, target.measureAgain ?? false);
  }

  /** `open` for a notebook: model `modelIndex`, else the one nearest the cursor's cell, else the first. */
  async openNotebook(notebook: vscode.NotebookDocument, target: { modelIndex?: number; cursor?: NotebookCursor; measureAgain?: boolean }): Promise<VariancePanel | undefined> {
    const settings = readSettings(notebook.uri);
    const { models, atCursor } = loadAnalysis(this.extensionUri.fsPath).notebookDetectedModels(notebookSource(notebook), settings, target.cursor);
    if (!models.length) {
      void vscode.window.showInformationMessage('InitLint: no Keras model found in the code cells of this notebook.');
      return undefined;
    }
    const model = (target.modelIndex !== undefined ? models.find((candidate) => candidate.index === target.modelIndex) : atCursor) ?? models[0];
    return this.show({ uri: notebook.uri.toString(), modelIndex: model.index, modelName: model.name }, settings, target.measureAgain ?? false);
  }

  /** Reveals the panel of `key` (measuring again when asked), or opens one that measures at once. */
  private show(key: PanelModelKey, settings: ReturnType<typeof readSettings>, measureAgain: boolean): VariancePanel {
    const existing = this.panels.get(keyString(key));
    if (existing) {
      existing.reveal();
      if (measureAgain) void existing.measureAgain();
      return existing;
    }
    void this.opened.remember(key.uri);
    const panel = vscode.window.createWebviewPanel(VARIANCE_PANEL_VIEW_TYPE, panelTitle(key), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, this.webviewOptions());
    return this.adopt(panel, key, probeSettingsOf(settings), true);
  }

  /**
   * After a window reload: the state the webview saved names the model; settings come back with it. The
   * document it names is restored only if the host itself opened a panel for it (panelTrust.ts).
   */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const parsed = restorablePanel(state, this.opened);
    if (!parsed.ok) {
      this.logger.warn(`variance panel not restored: ${parsed.reason}`);
      panel.dispose();
      return;
    }
    panel.webview.options = this.webviewOptions();
    this.adopt(panel, parsed.value.key, parsed.value.settings, false);
  }

  snapshots(): VariancePanelSnapshot[] {
    return [...this.panels.values()].map((panel) => panel.snapshot());
  }

  /**
   * Handles `message` as if the webview of `key`'s panel had posted it, validation included (the tests'
   * way to click a layer row or an apply button). Resolves with the `done` answer it got, if any.
   */
  async request(key: Pick<PanelModelKey, 'uri' | 'modelIndex'>, message: unknown): Promise<VariancePanelSnapshot['lastDone']> {
    const panel = this.panels.get(keyString(key));
    if (!panel) throw new Error(`no variance panel is open for ${keyString(key)}`);
    return panel.request(message);
  }

  /** Settings changed: open panels get the new predictions (threshold, framework versions). */
  refreshAll(): void {
    for (const panel of this.panels.values()) panel.scheduleUpdate();
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
  }

  private adopt(webviewPanel: vscode.WebviewPanel, key: PanelModelKey, settings: ProbeSettings, runOnLoad: boolean): VariancePanel {
    const source = panelSource(key, this.extensionUri.fsPath);
    const panel = new VariancePanel(webviewPanel, key, source, settings, runOnLoad, this.extensionUri, this.logger, () => this.panels.delete(keyString(key)));
    this.panels.set(keyString(key), panel);
    return panel;
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      // The bundle, its CSS and the .wasm files: nothing else of the disk is readable from the webview.
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')],
      // A measurement costs seconds of GPU time: keep it when the tab is hidden rather than re-running.
      retainContextWhenHidden: true,
      enableFindWidget: true,
    };
  }
}

function panelTitle(key: PanelModelKey): string {
  return `Variance check: ${key.modelName} (${path.posix.basename(vscode.Uri.parse(key.uri).path)})`;
}

function probeSettingsOf(settings: ReturnType<typeof readSettings>): ProbeSettings {
  const { batch, seed, draws, memoryBudgetMiB, backend } = settings.varianceCheck;
  return { batch, seed, draws, memoryBudgetMiB, backend };
}

/** One panel: its webview, the model it shows, and the source (a file or a notebook) it follows. */
class VariancePanel implements vscode.Disposable {
  private ready = false;
  private lastModel: PanelModel | undefined;
  private lastRun: PanelRunSummary | undefined;
  private lastFailure: string | undefined;
  private lastDone: VariancePanelSnapshot['lastDone'];
  private readonly rejected: string[] = [];
  private updateTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    readonly key: PanelModelKey,
    private readonly source: PanelSource,
    private readonly settings: ProbeSettings,
    private readonly runOnLoad: boolean,
    private readonly extensionUri: vscode.Uri,
    private readonly logger: Logger,
    private readonly onDisposed: () => void,
  ) {
    panel.title = panelTitle(key);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'panel-icon.svg');
    panel.webview.html = this.html();
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.received(message)),
      panel.onDidDispose(() => this.dispose()),
      source.watch(() => this.scheduleUpdate()),
    );
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  /** Sends the source as it is now, then asks the webview to measure it (a webview not loaded yet measures on load). */
  async measureAgain(): Promise<void> {
    if (!this.ready) return;
    clearTimeout(this.updateTimer);
    await this.sendModel('update');
    if (this.lastModel) await this.post({ type: 'run' });
  }

  snapshot(): VariancePanelSnapshot {
    return {
      key: this.key, title: this.panel.title, ready: this.ready, lastRun: this.lastRun, lastFailure: this.lastFailure, rejected: [...this.rejected], lastDone: this.lastDone,
      layers: this.lastModel?.model.layers.length,
    };
  }

  /** See VariancePanels.request. */
  async request(message: unknown): Promise<VariancePanelSnapshot['lastDone']> {
    const before = this.lastDone;
    await this.received(message);
    return this.lastDone === before ? undefined : this.lastDone;
  }

  scheduleUpdate(): void {
    clearTimeout(this.updateTimer);
    this.updateTimer = setTimeout(() => void this.sendModel('update'), UPDATE_DELAY_MS);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.updateTimer);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.panel.dispose();
    this.onDisposed();
  }

  private html(): string {
    const webview = this.panel.webview;
    const media = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', file)).toString();
    return panelHtml({
      scriptUri: media('variancePanel.js'),
      styleUri: media('variancePanel.css'),
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      wasmBaseUri: `${media('wasm')}/`,
      title: panelTitle(this.key),
    });
  }

  /** Builds the panel model from the source as the editor has it and posts it. */
  private async sendModel(type: 'load' | 'update'): Promise<void> {
    if (this.disposed) return;
    let message: HostMessage;
    try {
      const model = await this.source.panelModel(this.key);
      this.lastModel = model;
      message = !model
        ? { type: 'unavailable', message: `The model ${this.key.modelName} is no longer found in ${this.source.shownPath}.` }
        : type === 'load' ? { type: 'load', panel: model, settings: this.settings, run: this.runOnLoad } : { type: 'update', panel: model };
    } catch (error) {
      this.logger.error(`variance panel for ${this.key.uri} could not read its model`, error);
      message = { type: 'unavailable', message: `InitLint could not read ${this.key.uri}: ${error instanceof Error ? error.message : String(error)}` };
    }
    await this.post(message);
  }

  /** The model's index now (it follows a model that moved), for the requests made on what the panel shows. */
  private modelIndex(): number {
    return this.lastModel?.key.modelIndex ?? this.key.modelIndex;
  }

  private async post(message: HostMessage): Promise<void> {
    if (message.type === 'done') this.lastDone = message;
    if (!this.disposed) await this.panel.webview.postMessage(message);
  }

  private async received(raw: unknown): Promise<void> {
    const parsed = parsePanelMessage(raw);
    if (!parsed.ok) {
      this.rejected.push(parsed.reason);
      this.logger.warn(`variance panel message rejected: ${parsed.reason}`);
      return;
    }
    try {
      await this.handle(parsed.value);
    } catch (error) {
      // A failed request is reported in the panel; the host carries on.
      this.logger.error(`variance panel: ${parsed.value.type} failed`, error);
      const request = parsed.value.type;
      if (request === 'applyFixes' || request === 'applyLsuv' || request === 'export' || request === 'reveal') {
        await this.post({ type: 'done', request, ok: false, message: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  private async handle(message: PanelMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        return this.sendModel('load');
      case 'runStarted':
        this.logger.info(`variance check of ${this.key.modelName}: running (batch ${message.settings.batch}, seed ${message.settings.seed}, ${message.settings.draws} draws, backend ${message.settings.backend})`);
        return;
      case 'runFinished':
        this.lastRun = message.summary;
        this.lastFailure = undefined;
        this.logger.info(`variance check of ${this.key.modelName}: ${message.summary.layers.length} layers measured on ${message.summary.backend}${message.summary.renderer ? ` (${message.summary.renderer})` : ''} in ${message.summary.totalMs.toFixed(0)} ms`);
        return;
      case 'runFailed':
        this.lastFailure = message.message;
        this.logger.warn(`variance check of ${this.key.modelName} failed: ${message.message}`);
        return;
      case 'reveal':
        return this.revealLayer(message.layer);
      case 'applyFixes':
        return this.applyFixes();
      case 'applyLsuv':
        return this.applyLsuv(message.scales);
      case 'export':
        return this.export(message.format, message.content);
    }
  }

  private async revealLayer(layer: number): Promise<void> {
    const where = await this.source.revealLayer(layer);
    await this.post(where
      ? { type: 'done', request: 'reveal', ok: true, message: `layer ${layer + 1} at ${where}` }
      : { type: 'done', request: 'reveal', ok: false, message: `layer ${layer + 1} is not in the model` });
  }

  private async applyFixes(): Promise<void> {
    const { edit, count } = await this.source.fixEdits(this.modelIndex());
    if (!edit) return this.post({ type: 'done', request: 'applyFixes', ok: true, message: 'Nothing to fix in this model.' });
    const applied = await vscode.workspace.applyEdit(edit);
    const fixes = `${count} fix${count === 1 ? '' : 'es'}`;
    this.logger.info(`variance panel: ${fixes} applied to ${this.key.modelName}`);
    await this.post({ type: 'done', request: 'applyFixes', ok: applied, message: applied ? `${fixes} applied.` : 'The editor refused the edit.' });
  }

  private async applyLsuv(scales: { index: number; fanInScale: number; converged: boolean }[]): Promise<void> {
    const { edit, count, notes, constantLeft = [] } = await this.source.lsuvEdits(this.modelIndex(), scales);
    if (!edit) return this.post({ type: 'done', request: 'applyLsuv', ok: false, message: ['No layer could be rescaled in the source.', ...notes].join(' ') });
    const applied = await vscode.workspace.applyEdit(edit);
    const summary = `LSUV scales written to ${count} layer${count === 1 ? '' : 's'}.`;
    // A constant kernel left in place: every unit of that layer stays identical, whatever was written elsewhere.
    const incomplete = constantLeft.length > 0;
    const message = !applied ? 'The editor refused the edit.' : [incomplete ? `LSUV is incomplete: ${summary}` : summary, ...notes].join(' ');
    await this.post({ type: 'done', request: 'applyLsuv', ok: applied && !incomplete, message });
  }

  /** Into `initlint.varianceCheck.exportFolder` when set, else where the user picks. */
  private async export(format: keyof typeof EXPORT_EXTENSIONS, content: string): Promise<void> {
    const source = vscode.Uri.parse(this.key.uri);
    const fileName = `${this.key.modelName.replace(/[^\w.-]+/g, '_')}-variance.${EXPORT_EXTENSIONS[format]}`;
    const folder = readSettings(source).varianceCheck.exportFolder;
    const target = folder
      ? vscode.Uri.joinPath(vscode.Uri.file(folder), fileName)
      : await vscode.window.showSaveDialog({
        defaultUri: source.scheme === 'file' ? vscode.Uri.joinPath(source, '..', fileName) : undefined,
        filters: { [format.toUpperCase()]: [EXPORT_EXTENSIONS[format]] },
        title: `Export the variance check as ${format.toUpperCase()}`,
      });
    if (!target) return this.post({ type: 'done', request: 'export', ok: false, message: 'Export cancelled.' });
    const bytes = format === 'png' ? Buffer.from(content, 'base64') : Buffer.from(content, 'utf8');
    await vscode.workspace.fs.writeFile(target, bytes);
    this.logger.info(`variance panel: exported ${format} to ${target.toString()}`);
    await this.post({ type: 'done', request: 'export', ok: true, message: `Saved ${vscode.workspace.asRelativePath(target, false)}` });
  }
}
