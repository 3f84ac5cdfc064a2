/**
 * Where a relative JS/TS import of the project lives, as TypeScript and bundlers resolve it: the path as
 * written, with a script extension added, `.js` written for a `.ts` source, or the folder's `index`.
 */
import { statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import type { ScriptModuleFile, ScriptModuleResolver } from '../frontends/typescript/modules';
import type { ProjectFileReader } from './pythonModules';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** `./layers.js` in TypeScript source names `./layers.ts`. */
const SOURCE_FOR_OUTPUT: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'], '.jsx': ['.tsx'] };

/** `exists`: whether a path is a file (by default, on disk). */
export function scriptModuleResolver(read: ProjectFileReader, exists: (path: string) => boolean = isFile): ScriptModuleResolver {
  return (importer: string, specifier: string): ScriptModuleFile | undefined => {
    if (!/^\.\.?(?:\/|$)/.test(specifier)) return undefined;
    const base = resolvePath(dirname(importer), specifier);
    for (const candidate of candidatesFor(base)) {
      if (candidate === resolvePath(importer) || candidate.endsWith('.d.ts') || !exists(candidate)) continue;
      const text = read(candidate);
      if (text !== undefined) return { path: candidate, text };
    }
    return undefined;
  };
}

function candidatesFor(base: string): string[] {
  const written = /\.[cm]?[jt]sx?$/.exec(base)?.[0];
  const candidates: string[] = [];
  if (written) {
    for (const source of SOURCE_FOR_OUTPUT[written] ?? []) candidates.push(base.slice(0, -written.length) + source);
    candidates.push(base);
  }
  for (const extension of EXTENSIONS) candidates.push(base + extension);
  for (const extension of EXTENSIONS) candidates.push(`${base}/index${extension}`);
  return candidates;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
