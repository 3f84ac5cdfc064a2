/**
 * One document's Python extraction, reparsing incrementally: the last tree is kept, and the edit since
 * then (the span between the texts' common prefix and suffix) tells Lezer which fragments to reuse.
 */
import type { Tree } from '@lezer/common';
import type { ExtractedFile } from '../core/ir';
import { changedRange, extractPythonFromTree, parsePython } from '../frontends/python';

export { changedRange };

export class PythonExtractor {
  private last?: { tree: Tree; text: string };

  extract(text: string): ExtractedFile {
    const previous = this.last && { ...this.last, changes: [changedRange(this.last.text, text)] };
    const tree = parsePython(text, previous);
    this.last = { tree, text };
    return extractPythonFromTree(text, tree);
  }
}
