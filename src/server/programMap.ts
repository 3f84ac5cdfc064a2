/**
 * Where an analysed program's text comes from: one text document, or the code cells of a notebook joined
 * into one program (`notebookProgram`: cells in order, magics blanked keeping offsets). Maps program
 * offsets to (document URI, position) and back, so diagnostics, edits and hovers land on the right cell.
 */
import type { Position, Range } from 'vscode-languageserver/node';
import { LineIndex } from '../core/text';
import { locateInNotebook, notebookProgram, type NotebookCell, type NotebookProgram } from '../frontends/notebook';

export interface Located {
  uri: string;
  range: Range;
}

export interface ProgramMap {
  /** The program's text (what was parsed and analysed). */
  readonly text: string;
  /** The document holding the span's start, and the span there (its end clamped to that document). */
  locate(span: { start: number; end: number }): Located;
  /** Like `locate`, but undefined when the span crosses documents (an edit that cannot be expressed). */
  locateExactly(span: { start: number; end: number }): Located | undefined;
  /** A document position as a program offset; undefined for a document that is not part of the program. */
  offsetAt(uri: string, position: Position): number | undefined;
  /** The URIs of the documents the program is made of. */
  readonly uris: readonly string[];
}

export class DocumentMap implements ProgramMap {
  readonly lines: LineIndex;
  readonly uris: readonly string[];

  constructor(readonly uri: string, readonly text: string) {
    this.lines = new LineIndex(text);
    this.uris = [uri];
  }

  locate(span: { start: number; end: number }): Located {
    return { uri: this.uri, range: { start: this.lines.positionAt(span.start), end: this.lines.positionAt(span.end) } };
  }

  locateExactly(span: { start: number; end: number }): Located {
    return this.locate(span);
  }

  offsetAt(uri: string, position: Position): number | undefined {
    return uri === this.uri ? this.lines.offsetAt(position) : undefined;
  }
}

/** A notebook's code cells (in notebook order) as one program. */
export class NotebookMap implements ProgramMap {
  readonly text: string;
  readonly uris: readonly string[];
  private readonly program: NotebookProgram;
  private readonly cellLines: LineIndex[];
  private readonly startOf = new Map<string, number>();

  /** `blank`: cells left out of the program (kept as spaces of the same length, so offsets still map). */
  constructor(cells: readonly { uri: string; text: string; blank?: boolean }[]) {
    const notebookCells: NotebookCell[] = cells.map((cell, index) => ({
      index,
      cellType: 'code',
      source: cell.blank ? cell.text.replace(/[^\r\n]/g, ' ') : cell.text,
      sourceSpan: { start: 0, end: 0 },
      sourceForm: 'string',
    }));
    this.program = notebookProgram({ cells: notebookCells });
    this.text = this.program.text;
    this.uris = cells.map((cell) => cell.uri);
    this.cellLines = cells.map((cell) => new LineIndex(cell.text));
    for (const entry of this.program.cells) this.startOf.set(this.uris[entry.cell.index], entry.start);
  }

  private at(offset: number): { index: number; offset: number } | undefined {
    const located = locateInNotebook(this.program, offset);
    return located && { index: located.cell.index, offset: located.offset };
  }

  locate(span: { start: number; end: number }): Located {
    const start = this.at(span.start) ?? { index: 0, offset: 0 };
    const end = this.at(span.end);
    const lines = this.cellLines[start.index] ?? new LineIndex('');
    const endOffset = end && end.index === start.index ? end.offset : lines.text.length;
    return { uri: this.uris[start.index] ?? '', range: { start: lines.positionAt(start.offset), end: lines.positionAt(Math.max(endOffset, start.offset)) } };
  }

  locateExactly(span: { start: number; end: number }): Located | undefined {
    const start = this.at(span.start);
    const end = this.at(span.end);
    if (!start || !end || start.index !== end.index) return undefined;
    const lines = this.cellLines[start.index];
    return { uri: this.uris[start.index], range: { start: lines.positionAt(start.offset), end: lines.positionAt(end.offset) } };
  }

  offsetAt(uri: string, position: Position): number | undefined {
    const start = this.startOf.get(uri);
    if (start === undefined) return undefined;
    return start + this.cellLines[this.uris.indexOf(uri)].offsetAt(position);
  }
}
