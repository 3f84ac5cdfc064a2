/**
 * Fix-all as edits rather than text: the editors (tsserver's getCombinedCodeFix, LSP's source.fixAll)
 * want the edits, so the cursor and undo history stay where they were.
 */
import { selectFixes } from '../core/fixAll';
import type { Finding, Fix, TextEdit } from '../core/findings';

/** The preferred fix of each finding. */
export function preferredFixes(findings: Finding[]): Fix[] {
  return findings.flatMap((finding) => finding.fixes.filter((fix) => fix.preferred).slice(0, 1));
}

/**
 * The edits of the fixes `applyFixes` would apply (core's `selectFixes`: each fix atomic, a fix that clashes
 * with an earlier kept one skipped). Sorted, identical edits merged, so they never overlap.
 */
export function fixAllEdits(fixes: Fix[]): TextEdit[] {
  const unique = new Map<string, TextEdit>();
  for (const edit of selectFixes(fixes).flatMap((fix) => fix.edits)) unique.set(`${edit.span.start}:${edit.span.end}:${edit.newText}`, edit);
  return [...unique.values()].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}
