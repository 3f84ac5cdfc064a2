/**
 * Configuration: one typed object from every source (pyproject.toml `[tool.initlint]`, package.json
 * `"initlint"`, editor settings, CLI flags), validated here so each host only reads and merges.
 */
import type { FrameworkAssumptions } from './catalogue/initializers';
import { RULE_IDS, type RuleId, type Severity } from './findings';
import { editDistance } from './spelling';

export type RuleSetting = Severity | 'off';

export interface InitLintConfig {
  /** A chain vanishes below 1/threshold and explodes above threshold. */
  threshold: number;
  /**
   * A chain whose factor leaves [1/hintThreshold, hintThreshold] but not [1/threshold, threshold] gets hints:
   * the fix is better in theory, measured training did not suffer (docs/rules/README.md).
   */
  hintThreshold: number;
  rules: Partial<Record<RuleId, RuleSetting>>;
  /** Framework versions assumed: Keras ≤ 2.1.6 did not correct truncated normals. */
  frameworkVersion: { keras: string; tfjs: string };
}

export const DEFAULT_CONFIG: InitLintConfig = {
  // Measured (docs/rules/README.md, "Why these thresholds"): ReLU chains at ×7.8e-3 trained 2.7× slower with SGD,
  // at ×0.031 1.5× (the edge of seed noise), at ×0.13 not measurably; one layer's ×0.5 changed nothing.
  threshold: 50,
  hintThreshold: 3,
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
  if (!isTable(value)) {
    return { config, problems: [{ message: `${source}: the InitLint configuration must be a table/object (got ${describeValue(value)})` }] };
  }
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    const name = key.replace(/[-_]([a-z])/g, (_m, letter: string) => letter.toUpperCase());
    if (name === 'threshold') {
      if (typeof entry === 'number' && entry > 1 && Number.isFinite(entry)) config.threshold = entry;
      else problems.push({ message: `${source}: threshold must be a finite number greater than 1 (got ${describeValue(entry)})` });
    } else if (name === 'hintThreshold') {
      if (typeof entry === 'number' && entry > 1 && Number.isFinite(entry)) config.hintThreshold = entry;
      else problems.push({ message: `${source}: hint-threshold must be a finite number greater than 1 (got ${describeValue(entry)})` });
    } else if (name === 'rules') {
      config.rules = parseRules(entry, source, problems);
    } else if (name === 'frameworkVersion') {
      const versions = parseVersions(entry, source, problems);
      if (versions) config.frameworkVersion = versions;
    } else {
      problems.push({ message: `${source}: unknown InitLint setting '${key}' (known: threshold, hint-threshold, rules, framework-version)${didYouMean(key, ['threshold', 'hint-threshold', 'rules', 'framework-version'])}` });
    }
  }
  return { config, problems };
}

function parseRules(entry: unknown, source: string, problems: ConfigProblem[]): Partial<Record<RuleId, RuleSetting>> {
  const rules: Partial<Record<RuleId, RuleSetting>> = {};
  if (!isTable(entry)) {
    problems.push({ message: `${source}: rules must map rule ids to "error", "warning", "info", "hint" or "off" (got ${describeValue(entry)})` });
    return rules;
  }
  for (const [id, setting] of Object.entries(entry)) {
    if (!(RULE_IDS as readonly string[]).includes(id)) problems.push({ message: `${source}: unknown rule '${id}'${didYouMean(id, RULE_IDS)}` });
    else if (!SETTINGS.includes(setting as RuleSetting)) problems.push({ message: `${source}: rule '${id}' must be "error", "warning", "info", "hint" or "off" (got ${describeValue(setting)})` });
    else rules[id as RuleId] = setting as RuleSetting;
  }
  return rules;
}

function parseVersions(entry: unknown, source: string, problems: ConfigProblem[]): InitLintConfig['frameworkVersion'] | undefined {
  if (!isTable(entry)) {
    problems.push({ message: `${source}: framework-version must be a table like { keras = "3", tfjs = "4" } (got ${describeValue(entry)})` });
    return undefined;
  }
  const versions = { ...DEFAULT_CONFIG.frameworkVersion };
  for (const [framework, version] of Object.entries(entry)) {
    const written = typeof version === 'number' && Number.isFinite(version) && version >= 0 ? String(version) : version;
    if (framework !== 'keras' && framework !== 'tfjs') problems.push({ message: `${source}: framework-version.${framework} is not understood (known: keras, tfjs)` });
    else if (typeof written !== 'string' || !/^\d+(\.\d+)*$/.test(written.trim())) problems.push({ message: `${source}: framework-version.${framework} must be a version like "3" or "2.15" (got ${describeValue(version)})` });
    else versions[framework] = written.trim();
  }
  return versions;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** A value as a config message quotes it: JSON.stringify would call inf and NaN "null". */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return Number.isNaN(value) ? 'nan' : value === Infinity ? 'inf' : value === -Infinity ? '-inf' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'object') return 'a table';
  return typeof value;
}

/** `; did you mean 'x'?` for a name near a known one (see nearestName), else nothing. */
export function didYouMean(name: string, known: readonly string[]): string {
  const near = nearestName(name, known);
  return near ? `; did you mean '${near}'?` : '';
}

/** The known name one or two edits from `name` (a typo) or that `name` cuts short, if any. */
export function nearestName<T extends string>(name: string, known: readonly T[]): T | undefined {
  let best: T | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const lowered = name.toLowerCase();
    // A cut-off id ('relu-glorot' for 'relu-glorot-deep') is as near as a typo.
    const distance = lowered.length >= 4 && candidate.startsWith(lowered) ? 1.5 : editDistance(lowered, candidate, 2);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** Later sources win; rule settings merge per rule. */
export function mergeConfig(base: InitLintConfig, ...overrides: Partial<InitLintConfig>[]): InitLintConfig {
  return overrides.reduce<InitLintConfig>(
    (merged, override) => ({
      threshold: override.threshold ?? merged.threshold,
      hintThreshold: override.hintThreshold ?? merged.hintThreshold,
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
export function frameworkAssumptions(config: InitLintConfig): KerasAssumptions {
  // Read per model, from one version string per configuration: parsed once, the answer shared (and frozen).
  const version = config.frameworkVersion.keras;
  let assumptions = ASSUMPTIONS_BY_VERSION.get(version);
  if (!assumptions) {
    const [major, minor] = versionParts(version);
    assumptions = Object.freeze({
      kerasCorrectsTruncation: major > 2 || (major === 2 && minor >= 2),
      kerasMajor: major,
      // Multi-backend Keras 2.0–2.3 converted Keras 1 argument names (keras/legacy/interfaces.py); tf.keras never did.
      kerasReadsKeras1Names: major < 2 || (major === 2 && minor <= 3),
    });
    if (ASSUMPTIONS_BY_VERSION.size < 100) ASSUMPTIONS_BY_VERSION.set(version, assumptions);
  }
  return assumptions;
}

const ASSUMPTIONS_BY_VERSION = new Map<string, Readonly<KerasAssumptions>>();

/** What the configured Keras version does that the analysis must follow. */
export interface KerasAssumptions extends FrameworkAssumptions {
  kerasMajor: number;
  /** `Dense(64, init='normal')` builds (Keras ≤ 2.3) rather than raising (tf.keras, Keras 3). */
  kerasReadsKeras1Names: boolean;
}
