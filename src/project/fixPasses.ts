/**
 * Fix-all on text, shared by `initlint check --fix`, the editor's "Fix All in File" and the panel's "apply the
 * recommended fixes": the preferred fix of each finding, applied in passes, because fixes that overlap wait for
 * the next pass and a fix can uncover another finding (a deeper chain once one layer is fixed).
 */
import type { InitLintConfig } from '../core/config';
import type { Finding } from '../core/findings';
import { analyzeSource, type SourceAnalysis } from './analyzeSource';
import { applyInPasses } from './fixLoop';

export { changedRegion, MAX_FIX_PASSES } from './fixLoop';

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
  return applyInPasses(text, analysis, select, (fixedText) => analyzeSource(fixedText, fileName, config));
}
