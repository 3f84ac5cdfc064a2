/**
 * Sends the `initlint.*` settings to the tsserver plugin (contributes.typescriptServerPlugins) through the
 * TypeScript extension's `configurePlugin` API. The plugin merges them over its tsconfig.json options.
 * Sending needs the TypeScript extension active, so it waits for the first JavaScript/TypeScript document:
 * activating that extension (and tsserver) in a Python-only workspace is not InitLint's to do, and took
 * three quarters of InitLint's activation time when it did (`npm run bench -- activation`).
 */
import * as vscode from 'vscode';
import type { SettingsSection } from '../protocol/settingsSection';
import type { Logger } from './logger';

export const TS_PLUGIN_NAME = 'initlint-tsserver-plugin';
export const TYPESCRIPT_EXTENSION_ID = 'vscode.typescript-language-features';

interface TypeScriptExtensionApi {
  getAPI(version: 0): { configurePlugin(pluginId: string, configuration: unknown): void } | undefined;
}

const TS_LANGUAGES = new Set(['javascript', 'javascriptreact', 'typescript', 'typescriptreact']);

export class TsServerPluginSettings implements vscode.Disposable {
  private waiting: vscode.Disposable | undefined;
  private resolveFirst: (configured: boolean) => void = () => undefined;
  /** Resolves once the settings have first reached the plugin, or failed to. */
  readonly firstConfigured = new Promise<boolean>((resolve) => (this.resolveFirst = resolve));

  constructor(private readonly settings: () => SettingsSection, private readonly logger: Logger) {}

  /** Sends the settings now if the TypeScript extension is active or a JS/TS document is open, else on the first one. */
  startWhenNeeded(): void {
    const active = vscode.extensions.getExtension(TYPESCRIPT_EXTENSION_ID)?.isActive ?? false;
    if (active || vscode.workspace.textDocuments.some(isScript)) {
      void this.send();
      return;
    }
    this.waiting = vscode.workspace.onDidOpenTextDocument((document) => {
      if (!isScript(document)) return;
      this.waiting?.dispose();
      this.waiting = undefined;
      void this.send();
    });
  }

  /** After a settings change or a restart; before the first JS/TS document, that document will send them. */
  reconfigure(): Promise<boolean> {
    return this.waiting ? Promise.resolve(false) : this.send();
  }

  dispose(): void {
    this.waiting?.dispose();
  }

  private async send(): Promise<boolean> {
    const configured = await configureTsServerPlugin(this.settings(), this.logger);
    this.resolveFirst(configured);
    return configured;
  }
}

function isScript(document: vscode.TextDocument): boolean {
  return TS_LANGUAGES.has(document.languageId);
}

async function configureTsServerPlugin(settings: SettingsSection, logger: Logger): Promise<boolean> {
  const extension = vscode.extensions.getExtension<TypeScriptExtensionApi>(TYPESCRIPT_EXTENSION_ID);
  if (!extension) {
    logger.warn(`${TYPESCRIPT_EXTENSION_ID} is not installed: TypeScript/JavaScript files are not checked`);
    return false;
  }
  try {
    const exports = extension.isActive ? extension.exports : await extension.activate();
    const api = exports?.getAPI?.(0);
    if (!api) {
      logger.warn('the TypeScript extension offers no plugin API (version 0)');
      return false;
    }
    api.configurePlugin(TS_PLUGIN_NAME, settings);
    return true;
  } catch (error) {
    logger.error('configuring the tsserver plugin failed', error);
    return false;
  }
}
