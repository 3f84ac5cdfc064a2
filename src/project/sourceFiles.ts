/** Which files InitLint checks, and walking directories for them. */
import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { extname, join, sep } from 'node:path';

export const PYTHON_EXTENSIONS = ['.py', '.pyi'];
export const SCRIPT_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx'];
export const NOTEBOOK_EXTENSIONS = ['.ipynb'];
/**
 * Vue and Svelte components: their `<script>` blocks are read (typescript/embedded.ts). HTML pages are read when
 * named, not walked: a folder of generated pages (coverage reports, built docs) is no model code.
 */
export const COMPONENT_EXTENSIONS = ['.vue', '.svelte'];
const CHECKED_EXTENSIONS = new Set(['.py', ...SCRIPT_EXTENSIONS, ...NOTEBOOK_EXTENSIONS, ...COMPONENT_EXTENSIONS]);

/** Directories never walked into: dependencies, VCS data, virtual environments, caches. */
const SKIPPED_DIRECTORIES = new Set([
  'node_modules', '.git', '.hg', '.svn', '.venv', 'venv', '.env', 'env', '__pycache__', 'site-packages',
  '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.ipynb_checkpoints',
]);

export function isCheckedFile(path: string): boolean {
  return CHECKED_EXTENSIONS.has(extname(path).toLowerCase()) && !path.endsWith('.d.ts');
}

export interface WalkResult {
  /** Each file once, by the first path it was met under (sorted walk order). */
  files: string[];
  /** Paths that could not be read, with why. */
  errors: { path: string; message: string }[];
  /** Entries passed over on purpose that a user may wonder about (links leading out, named pipes). */
  skipped: { path: string; message: string }[];
  /**
   * Real paths of the roots given: `--fix` writes only to regular files at or below one of them (a named
   * file is its own root, so naming a link explicitly still fixes its target).
   */
  roots: string[];
}

/**
 * Expands the given paths: files are taken as given (even with another extension, as ESLint does when a
 * file is named explicitly), directories are walked in sorted order. Inside a walk, symbolic links are
 * followed only while they stay inside the roots given, each real directory is walked once (two links to
 * `.` do not loop) and each real file is listed once; only regular files are listed.
 */
export function collectFiles(paths: string[]): WalkResult {
  const result: WalkResult = { files: [], errors: [], skipped: [], roots: [] };
  const roots: string[] = [];
  for (const path of paths) {
    try {
      roots.push(realpathSync(path));
    } catch {
      // reported below, when the path itself is looked at
    }
  }
  result.roots = roots;
  const visited = new Set<string>();
  const add = (path: string, real: string) => {
    if (visited.has(real)) return;
    visited.add(real);
    result.files.push(path);
  };
  const walk = (directory: string, directoryReal: string) => {
    if (visited.has(directoryReal)) return;
    visited.add(directoryReal);
    let entries: string[];
    try {
      entries = readdirSync(directory).sort();
    } catch (error) {
      result.errors.push({ path: directory, message: describeFsError(error) });
      return;
    }
    for (const entry of entries) {
      const path = join(directory, entry);
      let stat: Stats;
      let real = join(directoryReal, entry);
      try {
        stat = lstatSync(path);
        if (stat.isSymbolicLink()) {
          real = realpathSync(path);
          stat = statSync(real);
          if (!roots.some((root) => isInside(real, root))) {
            if (stat.isDirectory() || isCheckedFile(path)) result.skipped.push({ path, message: 'a symbolic link leading outside the paths being checked: not followed' });
            continue;
          }
        }
      } catch {
        continue; // a dangling link inside a tree is not the user's named input
      }
      if (stat.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry) && !isVirtualEnvironment(path)) walk(path, real);
      } else if (isCheckedFile(path)) {
        if (stat.isFile()) add(path, real);
        else result.skipped.push({ path, message: `${describeFileType(stat)}, not a regular file: not read` });
      }
    }
  };
  for (const path of paths) {
    try {
      const stat = statSync(path);
      const real = realpathSync(path);
      if (stat.isDirectory()) walk(path, real);
      else if (stat.isFile()) add(path, real);
      else result.errors.push({ path, message: `${describeFileType(stat)}, not a regular file: skipped` });
    } catch (error) {
      result.errors.push({ path, message: describeFsError(error) });
    }
  }
  return result;
}

/** Whether `path` is `root` or below it; both real paths. */
export function isInside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

function describeFileType(stat: Stats): string {
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a file';
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
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return (error as Error).message;
}
