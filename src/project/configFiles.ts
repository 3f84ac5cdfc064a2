/**
 * Finding a file's project configuration on disk: the nearest `pyproject.toml` with `[tool.initlint]` or
 * `package.json` with an `"initlint"` key, walking up from the file. Shared by the CLI, the language
 * server and the tsserver plugin.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parseConfig, type ConfigProblem, type InitLintConfig } from '../core/config';

export interface ProjectConfig {
  /** The file the configuration came from, if any. */
  source?: string;
  config: Partial<InitLintConfig>;
  problems: ConfigProblem[];
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The configuration in one directory, or undefined when neither file there configures InitLint. */
function configIn(directory: string): ProjectConfig | undefined {
  const pyprojectPath = join(directory, 'pyproject.toml');
  const pyproject = readIfExists(pyprojectPath);
  if (pyproject !== undefined) {
    try {
      const tool = (parseToml(pyproject) as { tool?: Record<string, unknown> }).tool;
      if (tool && 'initlint' in tool) return { source: pyprojectPath, ...parseConfig(tool.initlint, `${pyprojectPath} [tool.initlint]`) };
    } catch (error) {
      return { source: pyprojectPath, config: {}, problems: [{ message: `${pyprojectPath}: not valid TOML (${(error as Error).message.split('\n')[0]})` }] };
    }
  }
  const packagePath = join(directory, 'package.json');
  const packageJson = readIfExists(packagePath);
  if (packageJson !== undefined) {
    try {
      const manifest = JSON.parse(packageJson) as Record<string, unknown>;
      if ('initlint' in manifest) return { source: packagePath, ...parseConfig(manifest.initlint, `${packagePath} "initlint"`) };
    } catch (error) {
      return { source: packagePath, config: {}, problems: [{ message: `${packagePath}: not valid JSON (${(error as Error).message})` }] };
    }
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
