/**
 * Finding a file's project configuration on disk: the nearest `pyproject.toml` with `[tool.initlint]` or
 * `package.json` with an `"initlint"` key, walking up from the file. Shared by the CLI, the language
 * server and the tsserver plugin.
 */
import { dirname, join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describeValue, parseConfig, type ConfigProblem, type InitLintConfig } from '../core/config';
import { readRegularFile } from './fileAccess';

export interface ProjectConfig {
  /** The file the configuration came from, if any. */
  source?: string;
  config: Partial<InitLintConfig>;
  problems: ConfigProblem[];
}

/**
 * The file's text without a UTF-8 byte-order mark (editors on Windows write one; JSON.parse rejects it).
 * Only a regular file is read: a named pipe called pyproject.toml must not block every check below it.
 */
function readIfExists(path: string): string | undefined {
  try {
    return readRegularFile(path).toString('utf8').replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The configuration in one directory, or undefined when neither file there configures InitLint. */
function configIn(directory: string): ProjectConfig | undefined {
  const pyprojectPath = join(directory, 'pyproject.toml');
  const pyproject = readIfExists(pyprojectPath);
  if (pyproject !== undefined) {
    let tool: unknown;
    try {
      tool = (parseToml(pyproject) as { tool?: unknown }).tool;
    } catch (error) {
      return { source: pyprojectPath, config: {}, problems: [{ message: `${pyprojectPath}: not valid TOML (${(error as Error).message.split('\n')[0]})` }] };
    }
    if (tool !== undefined && !isTable(tool)) {
      return { source: pyprojectPath, config: {}, problems: [{ message: `${pyprojectPath}: "tool" must be a table (got ${describeValue(tool)}), so [tool.initlint] cannot be read` }] };
    }
    if (tool && 'initlint' in tool) return { source: pyprojectPath, ...parseConfig(tool.initlint, `${pyprojectPath} [tool.initlint]`) };
  }
  const packagePath = join(directory, 'package.json');
  const packageJson = readIfExists(packagePath);
  if (packageJson !== undefined) {
    let manifest: unknown;
    try {
      manifest = JSON.parse(packageJson);
    } catch (error) {
      return { source: packagePath, config: {}, problems: [{ message: `${packagePath}: not valid JSON (${(error as Error).message})` }] };
    }
    if (!isTable(manifest)) {
      return { source: packagePath, config: {}, problems: [{ message: `${packagePath}: must hold a JSON object (got ${describeValue(manifest)}), so its "initlint" settings cannot be read` }] };
    }
    if ('initlint' in manifest) return { source: packagePath, ...parseConfig(manifest.initlint, `${packagePath} "initlint"`) };
  }
  return undefined;
}

/** Caches per directory, so a tree of thousands of files reads each config file once. */
export class ProjectConfigFinder {
  private readonly cache = new Map<string, ProjectConfig>();

  forFile(filePath: string): ProjectConfig {
    return this.forDirectory(dirname(filePath));
  }

  forDirectory(directory: string): ProjectConfig {
    const cached = this.cache.get(directory);
    if (cached) return cached;
    const parent = dirname(directory);
    const found = configIn(directory) ?? (parent === directory ? { config: {}, problems: [] } : this.forDirectory(parent));
    this.cache.set(directory, found);
    return found;
  }

  clear(): void {
    this.cache.clear();
  }
}
