/**
 * Fix-all on text, shared by `initlint check --fix`, the editor's "Fix All in File" and the panel's "apply the
 * recommended fixes": the preferred fix of each finding, applied in passes, because fixes that overlap wait for
 * the next pass and a fix can uncover another finding (a deeper chain once one layer is fixed).
 */
import type { InitLintConfig } from '../core/config';
import { applyFixes } from '../core/fixAll';
import type { Finding, TextEdit } from '../core/findings';
import { analyzeSource, type SourceAnalysis } from './analyzeSource';

/** Enough for every corpus file (two passes at most today); a bound in case two fixes undo each other. */
export const MAX_FIX_PASSES = 10;

export interface FixedSource {
  text: string;
  /** Fixes applied over all passes. */
  fixed: number;
  /** The analysis of `text`. */
  analysis: SourceAnalysis;
}

/** Applies the preferred fix of each finding `select` picks (all by default) until nothing changes. */
export function fixInPasses(
  text: string,
  fileName: string,
  config: InitLintConfig,
  select: (analysis: SourceAnalysis) => Finding[] = (analysis) => analysis.findings,
  analysis = analyzeSource(text, fileName, config),
): FixedSource {
  let fixed = 0;
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const fixes = select(analysis).flatMap((finding) => finding.fixes.filter((fix) => fix.preferred).slice(0, 1));
    if (!fixes.length) break;
    const result = applyFixes(text, fixes);
    if (!result.applied || result.text === text) break;
    text = result.text;
    fixed += result.applied;
    analysis = analyzeSource(text, fileName, config);
  }
  return { text, fixed, analysis };
}

/** The smallest single edit that turns `before` into `after`: editors keep the cursor and one undo step. */
export function changedRegion(before: string, after: string): TextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let tail = 0;
  while (tail < before.length - start && tail < after.length - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return { span: { start, end: before.length - tail }, newText: after.slice(start, after.length - tail) };
}
