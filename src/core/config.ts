/**
 * Configuration: one typed object from every source (pyproject.toml `[tool.initlint]`, package.json
 * `"initlint"`, editor settings, CLI flags), validated here so each host only reads and merges.
 */
import type { FrameworkAssumptions } from './catalogue/initializers';
import { RULE_IDS, type RuleId, type Severity } from './findings';

export type RuleSetting = Severity | 'off';

export interface InitLintConfig {
  /** A chain vanishes below 1/threshold and explodes above threshold. */
  threshold: number;
  rules: Partial<Record<RuleId, RuleSetting>>;
  /** Framework versions assumed: Keras ≤ 2.1.6 did not correct truncated normals. */
  frameworkVersion: { keras: string; tfjs: string };
}

export const DEFAULT_CONFIG: InitLintConfig = {
  threshold: 100,
  rules: {},
  frameworkVersion: { keras: '3', tfjs: '4' },
};

export interface ConfigProblem {
  message: string;
}

const SETTINGS: readonly RuleSetting[] = ['error', 'warning', 'info', 'hint', 'off'];

/**
 * Reads a plain object (parsed TOML/JSON, or editor settings) into a partial config. Unknown keys and bad
 * values are reported, not fatal: the rest of the configuration still applies.
 */
export function parseConfig(value: unknown, source: string): { config: Partial<InitLintConfig>; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const config: Partial<InitLintConfig> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { config, problems: [{ message: `${source}: the InitLint configuration must be a table/object` }] };
  }
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    const name = key.replace(/[-_]([a-z])/g, (_m, letter: string) => letter.toUpperCase());
    if (name === 'threshold') {
      if (typeof entry === 'number' && entry > 1 && Number.isFinite(entry)) config.threshold = entry;
      else problems.push({ message: `${source}: threshold must be a number greater than 1 (got ${JSON.stringify(entry)})` });
    } else if (name === 'rules') {
      config.rules = parseRules(entry, source, problems);
    } else if (name === 'frameworkVersion') {
      const versions = parseVersions(entry, source, problems);
      if (versions) config.frameworkVersion = versions;
    } else {
      problems.push({ message: `${source}: unknown InitLint setting '${key}' (known: threshold, rules, framework-version)` });
    }
  }
  return { config, problems };
}

function parseRules(entry: unknown, source: string, problems: ConfigProblem[]): Partial<Record<RuleId, RuleSetting>> {
  const rules: Partial<Record<RuleId, RuleSetting>> = {};
  if (typeof entry !== 'object' || entry === null) {
    problems.push({ message: `${source}: rules must map rule ids to "error", "warning", "info", "hint" or "off"` });
    return rules;
  }
  for (const [id, setting] of Object.entries(entry as Record<string, unknown>)) {
    if (!(RULE_IDS as readonly string[]).includes(id)) problems.push({ message: `${source}: unknown rule '${id}'` });
    else if (!SETTINGS.includes(setting as RuleSetting)) problems.push({ message: `${source}: rule '${id}' must be "error", "warning", "info", "hint" or "off"` });
    else rules[id as RuleId] = setting as RuleSetting;
  }
  return rules;
}

function parseVersions(entry: unknown, source: string, problems: ConfigProblem[]): InitLintConfig['frameworkVersion'] | undefined {
  if (typeof entry !== 'object' || entry === null) {
    problems.push({ message: `${source}: framework-version must be a table like { keras = "3", tfjs = "4" }` });
    return undefined;
  }
  const versions = { ...DEFAULT_CONFIG.frameworkVersion };
  for (const [framework, version] of Object.entries(entry as Record<string, unknown>)) {
    if ((framework === 'keras' || framework === 'tfjs') && (typeof version === 'string' || typeof version === 'number')) versions[framework] = String(version);
    else problems.push({ message: `${source}: framework-version.${framework} is not understood (keras or tfjs, as a version string)` });
  }
  return versions;
}

/** Later sources win; rule settings merge per rule. */
export function mergeConfig(base: InitLintConfig, ...overrides: Partial<InitLintConfig>[]): InitLintConfig {
  return overrides.reduce<InitLintConfig>(
    (merged, override) => ({
      threshold: override.threshold ?? merged.threshold,
      rules: { ...merged.rules, ...override.rules },
      frameworkVersion: { ...merged.frameworkVersion, ...override.frameworkVersion },
    }),
    base,
  );
}

function versionParts(version: string): number[] {
  return version.split('.').map((part) => Number.parseInt(part, 10) || 0);
}

/** Keras fixed its truncated normal in 2.2.0 (SCIENCE.md §3). */
export function frameworkAssumptions(config: InitLintConfig): FrameworkAssumptions & { kerasMajor: number } {
  const [major, minor] = versionParts(config.frameworkVersion.keras);
  return { kerasCorrectsTruncation: major > 2 || (major === 2 && minor >= 2), kerasMajor: major };
}
