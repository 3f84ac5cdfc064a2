/**
 * One document's Python extraction, reparsing incrementally: the last tree is kept, and the edit since
 * then (the span between the texts' common prefix and suffix) tells Lezer which fragments to reuse.
 */
import type { Tree } from '@lezer/common';
import type { ExtractedFile } from '../core/ir';
import { extractPythonFromTree, parsePython } from '../frontends/python';

export class PythonExtractor {
  private last?: { tree: Tree; text: string };

  extract(text: string): ExtractedFile {
    const previous = this.last && { ...this.last, changes: [changedRange(this.last.text, text)] };
    const tree = parsePython(text, previous);
    this.last = { tree, text };
    return extractPythonFromTree(text, tree);
  }
}

/** The one range that differs between two texts, in Lezer's ChangedRange shape (A: old, B: new). */
export function changedRange(before: string, after: string): { fromA: number; toA: number; fromB: number; toB: number } {
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { fromA: prefix, toA: before.length - suffix, fromB: prefix, toB: after.length - suffix };
}
