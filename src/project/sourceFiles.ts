/** Which files InitLint checks, and walking directories for them. */
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

export const PYTHON_EXTENSIONS = ['.py', '.pyi'];
export const SCRIPT_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx'];
export const NOTEBOOK_EXTENSIONS = ['.ipynb'];
const CHECKED_EXTENSIONS = new Set(['.py', ...SCRIPT_EXTENSIONS, ...NOTEBOOK_EXTENSIONS]);

/** Directories never walked into: dependencies, VCS data, virtual environments, caches. */
const SKIPPED_DIRECTORIES = new Set([
  'node_modules', '.git', '.hg', '.svn', '.venv', 'venv', '.env', 'env', '__pycache__', 'site-packages',
  '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.ipynb_checkpoints',
]);

export function isCheckedFile(path: string): boolean {
  return CHECKED_EXTENSIONS.has(extname(path).toLowerCase()) && !path.endsWith('.d.ts');
}

export interface WalkResult {
  files: string[];
  /** Paths that could not be read, with why. */
  errors: { path: string; message: string }[];
}

/**
 * Expands the given paths: files are taken as given (even with another extension, as ESLint does when a
 * file is named explicitly), directories are walked in sorted order.
 */
export function collectFiles(paths: string[]): WalkResult {
  const files: string[] = [];
  const errors: WalkResult['errors'] = [];
  const walk = (directory: string) => {
    let entries: string[];
    try {
      entries = readdirSync(directory).sort();
    } catch (error) {
      errors.push({ path: directory, message: (error as Error).message });
      return;
    }
    for (const entry of entries) {
      const path = join(directory, entry);
      let isDirectory: boolean;
      try {
        const stat = statSync(path);
        isDirectory = stat.isDirectory();
      } catch {
        continue; // a dangling link inside a tree is not the user's named input
      }
      if (isDirectory) {
        if (!SKIPPED_DIRECTORIES.has(entry) && !isVirtualEnvironment(path)) walk(path);
      } else if (isCheckedFile(path)) {
        files.push(path);
      }
    }
  };
  for (const path of paths) {
    try {
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    } catch (error) {
      errors.push({ path, message: describeFsError(error) });
    }
  }
  return { files, errors };
}

function isVirtualEnvironment(directory: string): boolean {
  try {
    return statSync(join(directory, 'pyvenv.cfg')).isFile();
  } catch {
    return false;
  }
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return (error as Error).message;
}
