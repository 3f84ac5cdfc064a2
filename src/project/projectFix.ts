/**
 * Fix-all over a file and the project modules it imports (`initlint check --fix`): a finding the analysis
 * placed in a module (`Finding.file`, the layer written there) is fixed in that module's text, in the same
 * passes as the file's own, each pass reading the modules as the fixes left them. Nothing is written here: the
 * host writes the texts, and says which modules it may write (`mayEdit`, for example `insideRoots`).
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { InitLintConfig } from '../core/config';
import { applyFixes } from '../core/fixAll';
import type { Finding, Fix } from '../core/findings';
import { analyzeProjectSource, type ProjectAnalysis, type RelatedFile } from './analyzeProject';
import type { AnalysisLimits } from './analyzeSource';
import { MAX_FIX_PASSES } from './fixLoop';
import type { ProjectFileReader } from './pythonModules';
import { isInside } from './sourceFiles';

export interface FixedModule {
  /** The module's text as it was read before any fix. */
  original: string;
  text: string;
}

export interface FixedProject {
  text: string;
  /** The imported modules the fixes changed, by path. */
  modules: Map<string, FixedModule>;
  /** Fixes applied over all passes, in the file and its modules. */
  fixed: number;
  /** The analysis of `text` with the modules as fixed. */
  analysis: ProjectAnalysis;
}

/** Applies the preferred fix of each finding, in the file or the module it is placed in, until nothing changes. */
export function fixProjectInPasses(
  text: string, fileName: string, read: ProjectFileReader, config: InitLintConfig, limits: AnalysisLimits,
  mayEdit: (modulePath: string) => boolean, analysis?: ProjectAnalysis,
): FixedProject {
  const modules = new Map<string, FixedModule>();
  const readFixed: ProjectFileReader = (path) => modules.get(path)?.text ?? read(path);
  const analyze = (fileText: string) => analyzeProjectSource(fileText, fileName, readFixed, config, limits);
  analysis ??= analyze(text);
  let fixed = 0;
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    // The file's own fixes (findings without `file`), then each module's.
    const own = analysis.findings.filter((finding) => !finding.file).flatMap((finding) => finding.fixes.filter((fix) => fix.preferred).slice(0, 1));
    const result = own.length ? applyFixes(text, own) : undefined;
    const inFile = result?.applied && result.text !== text ? result.applied : 0;
    if (inFile) text = result!.text;
    const inModules = fixPlacedInModules(analysis.findings, analysis.related, modules, mayEdit);
    if (!inFile && !inModules) break;
    fixed += inFile + inModules;
    analysis = analyze(text);
  }
  return { text, modules, fixed, analysis };
}

/**
 * One pass over the findings placed in imported modules (`Finding.file`): each module's preferred fixes applied
 * to its text as earlier passes left it (`modules`, else as read: `related`), when `mayEdit` allows. Returns
 * how many fixes were applied. A notebook's fix loop uses it too.
 */
export function fixPlacedInModules(
  findings: readonly Finding[], related: readonly RelatedFile[], modules: Map<string, FixedModule>, mayEdit: (modulePath: string) => boolean,
): number {
  const fixesByModule = new Map<string, Fix[]>();
  for (const finding of findings) {
    const fix = finding.fixes.find((candidate) => candidate.preferred);
    if (!fix || !finding.file || !mayEdit(finding.file)) continue;
    fixesByModule.set(finding.file, [...(fixesByModule.get(finding.file) ?? []), fix]);
  }
  let fixed = 0;
  for (const [file, fixes] of fixesByModule) {
    const before = modules.get(file)?.text ?? related.find((module) => module.path === file)?.text;
    if (before === undefined) continue;
    const result = applyFixes(before, fixes);
    if (!result.applied || result.text === before) continue;
    fixed += result.applied;
    modules.set(file, { original: modules.get(file)?.original ?? before, text: result.text });
  }
  return fixed;
}

/** What marks a project's root folder (Python's and Node's): modules found below it belong to the project. */
const ROOT_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', 'requirements.txt', 'package.json', 'tsconfig.json', '.git'];

/**
 * Where `--fix` may edit the modules a file imports: the real folder of its project (the nearest at or above
 * it holding a root marker), else the file's own folder.
 */
export function projectRootOf(filePath: string): string {
  let folder: string;
  try {
    folder = dirname(realpathSync(filePath));
  } catch {
    return dirname(resolve(filePath));
  }
  for (let current = folder; ; current = dirname(current)) {
    if (ROOT_MARKERS.some((marker) => existsSync(join(current, marker)))) return current;
    if (dirname(current) === current) return folder;
  }
}

/** Whether the real path of `modulePath` lies inside one of `roots` (real paths); false when it cannot be resolved. */
export function insideRoots(modulePath: string, roots: readonly string[]): boolean {
  try {
    const real = realpathSync(modulePath);
    return roots.some((root) => isInside(real, root));
  } catch {
    return false;
  }
}
