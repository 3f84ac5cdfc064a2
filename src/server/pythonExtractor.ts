/**
 * One document's Python extraction, reparsing incrementally: the last tree is kept, and the edit since
 * then (the span between the texts' common prefix and suffix) tells Lezer which fragments to reuse. An edit
 * that leaves every statement as it was (a comment, blank lines) keeps the models read last time.
 */
import type { ExtractedFile } from '../core/ir';
import { changedRange, extractPythonAfterEdit, parsePython, type PreviousExtraction } from '../frontends/python';

export { changedRange };

export class PythonExtractor {
  private last?: PreviousExtraction;

  extract(text: string): ExtractedFile {
    const previous = this.last && { tree: this.last.tree, text: this.last.text, changes: [changedRange(this.last.text, text)] };
    const tree = parsePython(text, previous);
    const extracted = extractPythonAfterEdit(text, tree, this.last);
    this.last = { tree, text, extracted };
    return extracted;
  }
}
