/** Reads the `initlint.*` section (package.json schema → SettingsSection) for a document or the window. */
import * as vscode from 'vscode';
import { DEFAULT_SETTINGS_SECTION, type SettingsSection } from '../protocol/settingsSection';
import { SETTINGS_SECTION } from '../protocol/settings';

export function readSettings(scope?: vscode.ConfigurationScope): SettingsSection {
  const section = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const frameworkVersion = section.get<SettingsSection['frameworkVersion']>('frameworkVersion', null);
  return {
    enable: section.get('enable', DEFAULT_SETTINGS_SECTION.enable),
    threshold: section.get('threshold', DEFAULT_SETTINGS_SECTION.threshold),
    rules: { ...section.get('rules', DEFAULT_SETTINGS_SECTION.rules) },
    // Copied without empty entries: an empty version string would override the project's configuration.
    frameworkVersion: frameworkVersion && Object.keys(frameworkVersion).length ? dropEmpty(frameworkVersion) : null,
    trace: { server: section.get('trace.server', DEFAULT_SETTINGS_SECTION.trace.server) },
    maxFileChars: section.get('maxFileChars', DEFAULT_SETTINGS_SECTION.maxFileChars),
    varianceCheck: {
      batch: section.get('varianceCheck.batch', DEFAULT_SETTINGS_SECTION.varianceCheck.batch),
      seed: section.get('varianceCheck.seed', DEFAULT_SETTINGS_SECTION.varianceCheck.seed),
      draws: section.get('varianceCheck.draws', DEFAULT_SETTINGS_SECTION.varianceCheck.draws),
      memoryBudgetMiB: section.get('varianceCheck.memoryBudgetMiB', DEFAULT_SETTINGS_SECTION.varianceCheck.memoryBudgetMiB),
      backend: section.get('varianceCheck.backend', DEFAULT_SETTINGS_SECTION.varianceCheck.backend),
      exportFolder: section.get('varianceCheck.exportFolder', DEFAULT_SETTINGS_SECTION.varianceCheck.exportFolder) || null,
    },
  };
}

function dropEmpty(versions: { keras?: string; tfjs?: string }): { keras?: string; tfjs?: string } {
  return Object.fromEntries(Object.entries(versions).filter(([, version]) => typeof version === 'string' && version !== ''));
}

export function affectsSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(SETTINGS_SECTION);
}
