/**
 * The fix-in-passes loop, apart from any front end: the CLI and the extension host analyse text with
 * `analyzeSource`, the tsserver plugin with the TypeScript instance tsserver injects; both loop the same way.
 */
import { applyFixes } from '../core/fixAll';
import type { Finding, TextEdit } from '../core/findings';

/** Enough for every corpus file (two passes at most today); a bound in case two fixes undo each other. */
export const MAX_FIX_PASSES = 10;

/**
 * Applies the preferred fix of each finding `findingsOf` picks until nothing changes: fixes that overlap wait
 * for the next pass, and a fix can uncover another finding (a deeper chain once one layer is fixed).
 */
export function applyInPasses<A>(text: string, analysis: A, findingsOf: (analysis: A) => Finding[], analyze: (text: string) => A): { text: string; fixed: number; analysis: A } {
  let fixed = 0;
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const fixes = findingsOf(analysis).flatMap((finding) => finding.fixes.filter((fix) => fix.preferred).slice(0, 1));
    if (!fixes.length) break;
    const result = applyFixes(text, fixes);
    if (!result.applied || result.text === text) break;
    text = result.text;
    fixed += result.applied;
    analysis = analyze(text);
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
