/**
 * Sends the `initlint.*` settings to the tsserver plugin (contributes.typescriptServerPlugins) through the
 * TypeScript extension's `configurePlugin` API. The plugin merges them over its tsconfig.json options.
 */
import * as vscode from 'vscode';
import type { SettingsSection } from '../protocol/settingsSection';
import type { Logger } from './logger';

export const TS_PLUGIN_NAME = 'initlint-tsserver-plugin';
const TYPESCRIPT_EXTENSION_ID = 'vscode.typescript-language-features';

interface TypeScriptExtensionApi {
  getAPI(version: 0): { configurePlugin(pluginId: string, configuration: unknown): void } | undefined;
}

export async function configureTsServerPlugin(settings: SettingsSection, logger: Logger): Promise<boolean> {
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
