/**
 * Where a Python import of the project lives: the file Python would load for `from blocks import conv_block`
 * (next to the importing file, at the project root, or in its `src/` folder) or `from .blocks import …`
 * (relative to the importing file's package). Only files that exist are returned; anything else is a library
 * or unknown, never guessed.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import type { PythonModuleFile, PythonModuleResolver } from '../frontends/python/modules';

/** Reads a project file's text (an editor's unsaved text first); undefined when it cannot be read. */
export type ProjectFileReader = (path: string) => string | undefined;

/** Markers of a project's root folder: Python adds the folder a program runs from to its import path. */
const ROOT_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', '.git', 'requirements.txt'];

export function pythonModuleResolver(read: ProjectFileReader): PythonModuleResolver {
  const roots = new Map<string, string | undefined>();
  return (importer: string, module: string, level: number): PythonModuleFile | undefined => {
    const folder = dirname(resolvePath(importer));
    const segments = module ? module.split('.') : [];
    const bases: string[] = [];
    if (level > 0) {
      let base = folder;
      for (let up = 1; up < level; up++) base = dirname(base);
      bases.push(base);
    } else {
      bases.push(folder);
      const root = projectRoot(folder, roots);
      if (root) bases.push(root, join(root, 'src'));
    }
    for (const base of new Set(bases)) {
      const stem = join(base, ...segments);
      for (const candidate of segments.length ? [`${stem}.py`, join(stem, '__init__.py')] : [join(stem, '__init__.py')]) {
        if (candidate === resolvePath(importer) || !isFile(candidate)) continue;
        const text = read(candidate);
        if (text !== undefined) return { path: candidate, text };
      }
    }
    return undefined;
  };
}

/** The nearest folder at or above `folder` holding a root marker; undefined when none does. */
function projectRoot(folder: string, cache: Map<string, string | undefined>): string | undefined {
  if (cache.has(folder)) return cache.get(folder);
  let found: string | undefined;
  for (let current = folder; ; current = dirname(current)) {
    if (ROOT_MARKERS.some((marker) => existsSync(join(current, marker)))) {
      found = current;
      break;
    }
    if (dirname(current) === current) break;
  }
  cache.set(folder, found);
  return found;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
