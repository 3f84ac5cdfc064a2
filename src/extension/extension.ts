/**
 * InitLint's VS Code glue. TypeScript/JavaScript findings come from the tsserver plugin (loaded by the
 * built-in TypeScript extension through contributes.typescriptServerPlugins), Python findings from the
 * language server; this host adds settings, commands, the model CodeLens, the variance report and the
 * variance-check panel.
 */
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { PanelModelKey } from '../protocol/panel';
import { ANALYSED_LANGUAGES } from './analysisModule';
import { InitLintCodeActions } from './codeActions';
import { registerCommands } from './commands';
import { createLogger } from './logger';
import { ModelCodeLensProvider } from './modelCodeLens';
import { JUPYTER_NOTEBOOK, PythonServer } from './pythonServer';
import { affectsSettings, readSettings } from './settings';
import { InitLintStatusItems, SHOW_LOG_COMMAND } from './statusItems';
import { TsServerPluginSettings } from './tsServerPlugin';
import { VARIANCE_PANEL_VIEW_TYPE, VariancePanels, type VariancePanelSnapshot } from './variancePanel';
import { REPORT_SCHEME, VarianceReportProvider } from './varianceReport';
import { registerWalkthroughCommands } from './walkthrough';

const moduleLoadedAt = performance.now();

/** What `getExtension('initlint.initlint').exports` returns (tests and the bench read it). */
export interface InitLintApi {
  /** From loading this module to the end of `activate`, in milliseconds (`npm run bench -- activation`). */
  activationMillis: number;
  /** InitLint's bundles (dist/) in the module cache when `activate` returned, relative to the extension. */
  loadedAtActivation: string[];
  /** Resolves once the settings have first reached the tsserver plugin (when the first JS/TS document opens). */
  tsPluginConfigured: Promise<boolean>;
  /** The open variance-check panels: model, readiness, last measurement. */
  variancePanels(): VariancePanelSnapshot[];
  /**
   * Handles `message` as if the webview of the panel of `key` had posted it (a layer row's reveal, an apply
   * button), validated like any webview message; resolves with the panel's `done` answer, if any.
   */
  variancePanelRequest(key: Pick<PanelModelKey, 'uri' | 'modelIndex'>, message: unknown): Promise<VariancePanelSnapshot['lastDone']>;
}

export function activate(context: vscode.ExtensionContext): InitLintApi {
  const activateCalledAt = performance.now();
  const logger = createLogger('InitLint');
  const pythonServer = new PythonServer(context.extensionPath, logger);
  const reports = new VarianceReportProvider(context.extensionPath, logger);
  const lenses = new ModelCodeLensProvider(context.extensionPath, logger);
  const panels = new VariancePanels(context.extensionUri, logger, context.workspaceState);
  const tsPlugin = new TsServerPluginSettings(readSettings, logger);
  const reconfigureTsPlugin = () => tsPlugin.reconfigure();

  const selector: vscode.DocumentFilter[] = [
    ...ANALYSED_LANGUAGES.flatMap((language) => [{ language, scheme: 'file' }, { language, scheme: 'untitled' }]),
    // Python cells of Jupyter notebooks: the lens sits on the cell that defines the model.
    { notebookType: JUPYTER_NOTEBOOK, language: 'python' },
  ];
  const statusItems = new InitLintStatusItems(selector, pythonServer);
  context.subscriptions.push(
    logger.channel,
    pythonServer,
    statusItems,
    tsPlugin,
    reports,
    lenses,
    panels,
    vscode.window.registerWebviewPanelSerializer(VARIANCE_PANEL_VIEW_TYPE, panels),
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports),
    vscode.languages.registerCodeLensProvider(selector, lenses),
    vscode.languages.registerCodeActionsProvider(selector, new InitLintCodeActions(logger), InitLintCodeActions.metadata),
    vscode.commands.registerCommand(SHOW_LOG_COMMAND, () => logger.channel.show(true)),
    ...registerCommands({ extensionPath: context.extensionPath, logger, pythonServer, reports, panels, reconfigureTsPlugin }),
    ...registerWalkthroughCommands(context),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!affectsSettings(event)) return;
      // The language client forwards the change to the server itself (synchronize.configurationSection).
      void reconfigureTsPlugin();
      lenses.refresh();
      reports.refreshAll();
      panels.refreshAll();
      statusItems.scheduleRefresh();
    }),
  );

  pythonServer.startWhenNeeded();
  tsPlugin.startWhenNeeded();
  // The TypeScript extension is active once the settings reached the plugin: the JS/TS status can ask it now.
  void tsPlugin.firstConfigured.then(() => statusItems.scheduleRefresh(0));

  const activationMillis = performance.now() - moduleLoadedAt;
  logger.info(`activated in ${activationMillis.toFixed(1)} ms (activate() itself ${(performance.now() - activateCalledAt).toFixed(1)} ms)`);
  return {
    activationMillis,
    loadedAtActivation: ownModules(context.extensionPath),
    tsPluginConfigured: tsPlugin.firstConfigured,
    variancePanels: () => panels.snapshots(),
    variancePanelRequest: (key, message) => panels.request(key, message),
  };
}

/** Which of the extension's bundles are loaded: activation should need only the host bundle. */
function ownModules(extensionPath: string): string[] {
  const bundles = join(extensionPath, 'dist');
  return Object.keys(require.cache).filter((file) => file.startsWith(bundles)).map((file) => relative(extensionPath, file)).sort();
}

export function deactivate(): void {
  // Everything is in context.subscriptions, disposed by VS Code.
}
