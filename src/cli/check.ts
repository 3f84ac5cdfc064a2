/** `initlint check`: walk, analyse, optionally fix, print, and decide the exit code. */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { mergeConfig, DEFAULT_CONFIG, type InitLintConfig } from '../core/config';
import { SEVERITY_RANK, type Finding, type Severity } from '../core/findings';
import { LineIndex } from '../core/text';
import { DEFAULT_MAX_FILE_CHARS } from '../frontends/budget';
import { analyzeProjectSource, type RelatedFile } from '../project/analyzeProject';
import { placeInFiles } from './relatedFiles';
import { ProjectConfigFinder } from '../project/configFiles';
import { MAX_FIX_PASSES } from '../project/fixPasses';
import { fixProjectInPasses, insideRoots, projectRootOf, type FixedModule } from '../project/projectFix';
import { collectFiles, describeFsError } from '../project/sourceFiles';
import { readRegularFile, writeInsideRoots } from '../project/fileAccess';
import { jsonDiagnostic, type Positions } from './formats/json';
import { analyzeNotebook, fixNotebook } from '../project/analyzeNotebook';
import { toSarif } from './formats/sarif';
import { findingLine, incompleteLine, summaryLine, type Style, type Totals } from './formats/text';

export type FailOn = Severity | 'never';

export interface CheckOptions {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  fix: boolean;
  threshold?: number;
  failOn: FailOn;
  /** The least severe findings shown (default `info`: hints only with `--severity hint`). */
  severity: Severity;
  style: Style;
  version: string;
  /** Files longer than this many characters are not analysed (an `analysis-incomplete` finding says so). */
  maxFileChars?: number;
}

export interface CheckedFile {
  path: string;
  /** Offsets → lines (and cells, for notebooks); absent when the file could not be read. */
  lines?: Positions;
  findings: Finding[];
  /** Why the file could not be checked. */
  error?: string;
  fixed: number;
  /** Places where a budget or a depth limit cut its analysis (each also an `analysis-incomplete` finding). */
  cuts?: number;
  /** The project modules it imports that were read: findings with `file` are placed in them (relatedFiles.ts). */
  related?: RelatedFile[];
  /** Imported modules `--fix` edited (fixes of layers written there). */
  rewritten?: string[];
}

/** `roots`: real paths `--fix` may write below (collectFiles' roots); by default the file's own. */
export function checkFile(path: string, finder: ProjectConfigFinder, options: Pick<CheckOptions, 'fix' | 'threshold' | 'maxFileChars'>, warn: (message: string) => void, roots?: readonly string[]): CheckedFile {
  let text: string;
  let encoding: BufferEncoding;
  try {
    ({ text, encoding } = readSource(path));
  } catch (error) {
    return { path, findings: [], error: describeFsError(error), fixed: 0 };
  }
  const project = finder.forFile(path);
  for (const problem of project.problems) warn(problem.message);
  const config: InitLintConfig = mergeConfig(DEFAULT_CONFIG, project.config, options.threshold ? { threshold: options.threshold } : {});
  const write = (fixedText: string) => writeInsideRoots(path, fixedText, encoding, roots ?? [realpathSync(path)]);
  if (path.toLowerCase().endsWith('.ipynb')) return checkNotebook(path, text, config, options, warn, write, roots);
  const limits = { maxFileChars: options.maxFileChars, maxFileSetting: 'raise it with --max-file-size' };
  // Imported modules of the project are read too: findings written there are reported there (`related`).
  const readModule = (modulePath: string) => readModuleText(modulePath, options.maxFileChars);
  let analysis = analyzeProjectSource(text, path, readModule, config, limits);
  let fixed = 0;
  const rewritten: string[] = [];
  if (options.fix) {
    const before = analysis.findings.length;
    // A fix of a layer written in an imported module edits that module, when it lies in the paths given or the project.
    const writable = [...(roots ?? [realpathSync(path)]), projectRootOf(path)];
    const result = fixProjectInPasses(text, path, readModule, config, limits, (modulePath) => insideRoots(modulePath, writable), analysis);
    rewritten.push(...writeFixedModules(result.modules, writable, warn));
    if (result.text !== text) {
      try {
        write(result.text);
      } catch (error) {
        return { path, lines: new LineIndex(text), findings: analysis.findings, error: `could not write fixes: ${describeFsError(error)}`, fixed: 0, rewritten };
      }
      text = result.text;
    }
    // Checked again as written: a module that could not be written still holds what it held.
    analysis = rewritten.length === result.modules.size ? result.analysis : analyzeProjectSource(text, path, readModule, config, limits);
    // One fix can clear several findings (a chain's other layers once it stops vanishing): say how many went.
    fixed = Math.max(result.fixed, before - analysis.findings.length);
  }
  for (const message of analysis.internalErrors) warn(`${path}: internal error (please report): ${message}`);
  return { path, lines: new LineIndex(text), findings: analysis.findings, fixed, cuts: analysis.extracted.cuts?.length ?? 0, related: analysis.related, rewritten };
}

/** An imported module's text, read as the files given are (regular files only, within the size cap). */
export function readModuleText(path: string, maxFileChars?: number): string | undefined {
  try {
    const { text } = readSource(path);
    return text.length <= (maxFileChars ?? DEFAULT_MAX_FILE_CHARS) ? text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A notebook is checked as a `.py` file is: with the project modules its cells import (findings written there are
 * reported there, `--fix` edits them where it may, and the summary counts them).
 */
function checkNotebook(
  path: string, json: string, config: InitLintConfig, options: Pick<CheckOptions, 'fix' | 'maxFileChars'>, warn: (message: string) => void,
  write: (json: string) => void, roots?: readonly string[],
): CheckedFile {
  const readModule = (modulePath: string) => readModuleText(modulePath, options.maxFileChars);
  try {
    if (!options.fix) {
      const result = analyzeNotebook(json, path, config, readModule);
      for (const message of result.analysis.internalErrors) warn(`${path}: internal error (please report): ${message}`);
      return { path, lines: result, findings: result.analysis.findings, fixed: 0, cuts: result.analysis.extracted.cuts?.length ?? 0, related: result.analysis.related };
    }
    const writable = [...(roots ?? [realpathSync(path)]), projectRootOf(path)];
    const fixed = fixNotebook(json, path, config, MAX_FIX_PASSES, undefined, { read: readModule, mayEdit: (modulePath) => insideRoots(modulePath, writable) });
    const rewritten = writeFixedModules(fixed.modules, writable, warn);
    if (fixed.json !== json) {
      try {
        write(fixed.json);
      } catch (error) {
        return { path, lines: fixed.result, findings: fixed.result.analysis.findings, error: `could not write fixes: ${describeFsError(error)}`, fixed: 0, rewritten };
      }
    }
    // Checked again as written: a module that could not be written still holds what it held.
    const result = rewritten.length === fixed.modules.size ? fixed.result : analyzeNotebook(fixed.json, path, config, readModule);
    for (const message of result.analysis.internalErrors) warn(`${path}: internal error (please report): ${message}`);
    return { path, lines: result, findings: result.analysis.findings, fixed: fixed.fixed, cuts: result.analysis.extracted.cuts?.length ?? 0, related: result.analysis.related, rewritten };
  } catch (error) {
    return { path, findings: [], error: error instanceof Error ? error.message : String(error), fixed: 0 };
  }
}

/** Writes the imported modules a fix-all changed (each only if unchanged on disk since it was read); the paths written. */
function writeFixedModules(modules: Map<string, FixedModule>, writable: readonly string[], warn: (message: string) => void): string[] {
  const rewritten: string[] = [];
  for (const [modulePath, module] of modules) {
    try {
      const current = readSource(modulePath);
      if (current.text !== module.original) throw new Error('it changed while it was being fixed');
      writeInsideRoots(modulePath, module.text, current.encoding, writable);
      rewritten.push(modulePath);
    } catch (error) {
      warn(`${modulePath}: could not write fixes: ${describeFsError(error)}`);
    }
  }
  return rewritten;
}

/**
 * A file's text, and the encoding that writes it back byte for byte. Python allows other encodings
 * (PEP 263 `# -*- coding: latin-1 -*-`) and stray bytes in comments: such a file is read one byte per
 * character, so `--fix` (which writes ASCII) leaves every other byte as it was instead of U+FFFD.
 */
export function readSource(path: string): { text: string; encoding: BufferEncoding } {
  const bytes = readRegularFile(path);
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? { text, encoding: 'utf8' } : { text: bytes.toString('latin1'), encoding: 'latin1' };
}

export function runCheck(options: CheckOptions, out: (text: string) => void, err: (text: string) => void): number {
  const { files, errors, skipped, roots } = collectFiles(options.paths.length ? options.paths : ['.']);
  const finder = new ProjectConfigFinder();
  const warnings = new Set<string>();
  const warn = (message: string) => {
    if (!warnings.has(message)) err(`initlint: ${message}`);
    warnings.add(message);
  };
  const checked: CheckedFile[] = errors.map((error) => ({ path: error.path, findings: [], error: error.message, fixed: 0 }));
  for (const entry of skipped) warn(`${entry.path}: ${entry.message}`);
  for (const path of files) {
    const result = checkFile(path, finder, options, warn, roots);
    checked.push(result);
    // A module checked before this file's fixes edited it is checked again, as it now is.
    for (const rewritten of result.rewritten ?? []) {
      const index = checked.findIndex((file) => file !== result && resolve(file.path) === resolve(rewritten));
      if (index >= 0) checked[index] = checkFile(checked[index].path, finder, options, warn, roots);
    }
  }
  placeInFiles(checked);

  // Below --severity a finding is neither shown nor counted (hints, by default), as if its rule were off.
  const shown = SEVERITY_RANK[options.severity];
  let hidden = 0;
  for (const file of checked) {
    const kept = file.findings.filter((finding) => SEVERITY_RANK[finding.severity] <= shown);
    hidden += file.findings.length - kept.length;
    file.findings = kept;
  }
  const unreadable = checked.filter((file) => file.error);
  for (const file of unreadable) err(`initlint: ${file.path}: ${file.error}`);
  const readable = checked.filter((file) => file.lines);

  if (options.format === 'json') {
    out(JSON.stringify({
      version: 1,
      files: readable.map((file) => ({
        path: file.path,
        // false: a size, time or depth budget cut the analysis (its analysis-incomplete diagnostics say where).
        complete: !file.cuts,
        diagnostics: file.findings.map((finding) => jsonDiagnostic(finding, file.lines!)),
      })),
    }, null, 2));
  } else if (options.format === 'sarif') {
    out(JSON.stringify(toSarif(checked, options.version), null, 2));
  } else {
    // Files checked: those given and the project modules they read, each once, whether or not a finding was placed
    // in the module (a module listed only while it held one was counted before a --fix and not after).
    const checkedPaths = new Set(readable.map((file) => resolve(file.path)));
    for (const file of readable) for (const module of file.related ?? []) checkedPaths.add(resolve(module.path));
    const totals: Totals = { error: 0, warning: 0, info: 0, hint: 0, hidden, fixable: 0, files: checkedPaths.size, fixed: 0 };
    for (const file of readable) {
      totals.fixed += file.fixed;
      for (const finding of file.findings) {
        out(findingLine(file.path, finding, file.lines!, options.style));
        totals[finding.severity]++;
        if (finding.fixes.some((fix) => fix.preferred)) totals.fixable++;
      }
    }
    out(summaryLine(totals, options.style));
    const incomplete = readable.filter((file) => file.cuts);
    if (incomplete.length) out(incompleteLine(incomplete.map((file) => file.path)));
  }

  if (unreadable.length) return 2;
  if (options.failOn === 'never') return 0;
  const threshold = SEVERITY_RANK[options.failOn];
  const failing = readable.some((file) => file.findings.some((finding) => SEVERITY_RANK[finding.severity] <= threshold));
  return failing ? 1 : 0;
}
