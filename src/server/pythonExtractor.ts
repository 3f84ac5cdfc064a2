/**
 * One document's Python extraction, reparsing incrementally: the last tree is kept, and the edit since
 * then (the span between the texts' common prefix and suffix) tells Lezer which fragments to reuse. An edit
 * that leaves every statement as it was (a comment, blank lines) keeps the models read last time.
 */
import type { Tree } from '@lezer/common';
import type { ExtractedFile } from '../core/ir';
import { ExtractionCancelled, type WorkLimits } from '../frontends/budget';
import { changedRange, extractPythonAfterEdit, parsePython, readablePython, startPythonParse, withNestingCuts, type PreviousExtraction } from '../frontends/python';

export { changedRange };

/** Parsing time between two yields to the event loop: requests (a hover) are answered in between. */
const PARSE_SLICE_MS = 20;

export class PythonExtractor {
  private last?: PreviousExtraction;

  /** Throws `ExtractionCancelled` when `limits` say so; the last parse is then forgotten. */
  extract(text: string, limits?: WorkLimits): ExtractedFile {
    const readable = readablePython(text);
    return withNestingCuts(this.extractFrom(readable.text, parsePython(readable.text, this.previousParse(readable.text)), limits), readable.cuts);
  }

  /**
   * The same, parsing in slices of PARSE_SLICE_MS with a yield after each, so that a huge document does not
   * block the server; between slices `limits.isCancelled` (a newer version, a closed document) ends it.
   * `readMillis`: the interpreter's time once the parse is done (it cannot yield).
   */
  async extractInSlices(original: string, limits: WorkLimits, readMillis: number): Promise<ExtractedFile> {
    const { text, cuts } = readablePython(original);
    const parse = startPythonParse(text, this.previousParse(text));
    let tree: Tree | null = null;
    while (!tree) {
      const sliceEnd = performance.now() + PARSE_SLICE_MS;
      while (!tree && performance.now() < sliceEnd) tree = parse.advance();
      if (tree) break;
      await new Promise((resolve) => setImmediate(resolve));
      if (limits.isCancelled?.()) throw new ExtractionCancelled();
    }
    return withNestingCuts(this.extractFrom(text, tree, { ...limits, deadline: performance.now() + readMillis }), cuts);
  }

  private previousParse(text: string) {
    return this.last && { tree: this.last.tree, text: this.last.text, changes: [changedRange(this.last.text, text)] };
  }

  private extractFrom(text: string, tree: Tree, limits?: WorkLimits): ExtractedFile {
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
