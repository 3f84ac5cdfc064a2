/**
 * The editor settings (`initlint.*` in VS Code, the `initlint` section over LSP, the tsserver plugin's
 * configuration): one typed shape read here, so the extension, the language server and the tsserver
 * plugin agree on it.
 */
import { DEFAULT_CONFIG, mergeConfig, parseConfig, type ConfigProblem, type InitLintConfig } from '../core/config';
import type { ProjectConfigFinder } from '../project/configFiles';

/** The LSP configuration section and the VS Code settings prefix. */
export const SETTINGS_SECTION = 'initlint';

export interface EditorSettings {
  enable: boolean;
  /** Documents longer than this many characters are not analysed (the language server's size cap; default 2 MiB). */
  maxFileChars?: number;
  /** Only what the user set: absent keys leave the project's config files in charge. */
  config: Partial<InitLintConfig>;
  problems: ConfigProblem[];
}

export const DEFAULT_EDITOR_SETTINGS: EditorSettings = { enable: true, config: {}, problems: [] };

/**
 * Keys that belong to the host (editor, tsconfig plugin entry), not to the analysis config. tsserver hands a
 * plugin loaded through `--globalPlugins` (VS Code's `typescriptServerPlugins`) the entry `{name, global: true}`
 * (typescript's `enableGlobalPlugins`).
 */
const HOST_KEYS = new Set(['enable', 'trace', 'varianceCheck', 'name', 'global', 'maxFileChars', 'maxMillis']);

/**
 * Reads `{enable, threshold, rules, frameworkVersion}` from an editor. Null and undefined values mean
 * "not set" (settings schemas default to null so that pyproject.toml / package.json win unless the user
 * overrides them in the editor); `rules: {}` likewise changes nothing.
 */
export function readEditorSettings(value: unknown, source: string): EditorSettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return DEFAULT_EDITOR_SETTINGS;
  const entries = Object.entries(value as Record<string, unknown>);
  const enable = (value as { enable?: unknown }).enable !== false;
  const analysisEntries = entries.filter(([key, entry]) => !HOST_KEYS.has(key) && entry !== null && entry !== undefined);
  const { config, problems } = parseConfig(Object.fromEntries(analysisEntries), source);
  const maxFileChars = (value as { maxFileChars?: unknown }).maxFileChars;
  if (typeof maxFileChars === 'number' && Number.isFinite(maxFileChars) && maxFileChars > 0) return { enable, maxFileChars, config, problems };
  if (maxFileChars !== undefined && maxFileChars !== null) problems.push({ message: `${source}: maxFileChars must be a positive number of characters (got ${JSON.stringify(maxFileChars)})` });
  return { enable, config, problems };
}

/** DEFAULT_CONFIG ← the file's nearest project config ← editor settings. */
export function configForFile(filePath: string | undefined, settings: EditorSettings, finder: ProjectConfigFinder): { config: InitLintConfig; problems: ConfigProblem[] } {
  const project = filePath ? finder.forFile(filePath) : { config: {}, problems: [] };
  return { config: mergeConfig(DEFAULT_CONFIG, project.config, settings.config), problems: [...project.problems, ...settings.problems] };
}

/** Later settings win; rule settings merge per rule (tsconfig plugin options, then configurePlugin). */
export function combineSettings(base: EditorSettings, override: EditorSettings): EditorSettings {
  return {
    enable: base.enable && override.enable,
    config: {
      ...base.config,
      ...override.config,
      rules: { ...base.config.rules, ...override.config.rules },
      frameworkVersion: { ...DEFAULT_CONFIG.frameworkVersion, ...base.config.frameworkVersion, ...override.config.frameworkVersion },
    },
    problems: [...base.problems, ...override.problems],
  };
}
