/**
 * One document's Python extraction, reparsing incrementally: the last tree is kept, and the edit since
 * then (the span between the texts' common prefix and suffix) tells Lezer which fragments to reuse. An edit
 * that leaves every statement as it was (a comment, blank lines) keeps the models read last time.
 */
import type { ExtractedFile } from '../core/ir';
import type { WorkLimits } from '../frontends/budget';
import { changedRange, extractPythonAfterEdit, parsePython, type PreviousExtraction } from '../frontends/python';

export { changedRange };

export class PythonExtractor {
  private last?: PreviousExtraction;

  /** Throws `ExtractionCancelled` when `limits` say so; the last parse is then forgotten. */
  extract(text: string, limits?: WorkLimits): ExtractedFile {
    const previous = this.last && { tree: this.last.tree, text: this.last.text, changes: [changedRange(this.last.text, text)] };
    const tree = parsePython(text, previous);
    let extracted: ExtractedFile;
    try {
      extracted = extractPythonAfterEdit(text, tree, this.last, limits);
    } catch (error) {
      this.last = undefined;
      throw error;
    }
    this.last = { tree, text, extracted };
    return extracted;
  }
}
