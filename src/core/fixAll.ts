/** Applying many fixes to one text: each fix is atomic (all its edits or none), overlapping fixes wait for the next pass. */
import type { Fix, TextEdit } from './findings';
import { applyEdits } from './text';

/** Overlapping replacements clash; so do two different insertions at one point (`Dense(` + two new keywords). */
const overlaps = (a: TextEdit, b: TextEdit) =>
  (a.span.start < b.span.end && b.span.start < a.span.end) ||
  (a.span.start === a.span.end && b.span.start === b.span.end && a.span.start === b.span.start);

/** A conflict-free subset of fixes, in order: what one fix-all pass applies. */
export function selectFixes(fixes: Fix[]): Fix[] {
  const chosen: TextEdit[] = [];
  const selected: Fix[] = [];
  for (const fix of fixes) {
    const clash = fix.edits.some((edit) => chosen.some((taken) => !sameEdit(edit, taken) && overlaps(edit, taken)));
    if (clash) continue;
    chosen.push(...fix.edits);
    selected.push(fix);
  }
  return selected;
}

/** Applies a conflict-free subset of fixes; returns how many fixes were applied. */
export function applyFixes(text: string, fixes: Fix[]): { text: string; applied: number } {
  const selected = selectFixes(fixes);
  return { text: applyEdits(text, selected.flatMap((fix) => fix.edits)).text, applied: selected.length };
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.span.start === b.span.start && a.span.end === b.span.end && a.newText === b.newText;
}
