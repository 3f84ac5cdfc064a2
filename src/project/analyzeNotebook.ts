/**
 * A notebook analysed as the one program its code cells form, with positions mapped back to cells and
 * fixes written back into the cells they touch (every other byte of the notebook unchanged).
 */
import { DEFAULT_CONFIG, type InitLintConfig } from '../core/config';
import { selectFixes } from '../core/fixAll';
import type { Finding, TextEdit } from '../core/findings';
import { applyEdits, LineIndex } from '../core/text';
import { locateInNotebook, notebookProgram, parseNotebook, rewriteNotebook, type Notebook, type NotebookProgram } from '../frontends/notebook';
import { analyzeSource, type SourceAnalysis } from './analyzeSource';
import { MAX_FIX_PASSES } from './fixPasses';

export interface NotebookAnalysis {
  notebook: Notebook;
  program: NotebookProgram;
  analysis: SourceAnalysis;
  /** Program offset → line and column within its cell, and the cell's index in the notebook. */
  positionAt(offset: number): { line: number; character: number; cell?: number };
}

export function analyzeNotebook(json: string, path: string, config: InitLintConfig = DEFAULT_CONFIG): NotebookAnalysis {
  return analyzeCells(parseNotebook(json), path, config);
}

function analyzeCells(notebook: Notebook, path: string, config: InitLintConfig): NotebookAnalysis {
  const program = notebookProgram(notebook);
  const analysis = analyzeSource(program.text, `${path}.py`, config);
  const cellLines = new Map<number, LineIndex>();
  return {
    notebook,
    program,
    analysis,
    positionAt(offset) {
      const located = locateInNotebook(program, offset);
      if (!located) return { line: 0, character: 0 };
      let lines = cellLines.get(located.cell.index);
      if (!lines) cellLines.set(located.cell.index, (lines = new LineIndex(located.cell.source)));
      return { ...lines.positionAt(located.offset), cell: located.cell.index };
    },
  };
}

/**
 * Applies preferred fixes cell by cell, up to `passes` times; returns the rewritten notebook JSON. `select`
 * picks the findings to fix in each pass (all of them by default; one model's for the variance panel).
 */
export function fixNotebook(
  json: string, path: string, config: InitLintConfig, passes = MAX_FIX_PASSES, select: (analysis: SourceAnalysis) => Finding[] = (analysis) => analysis.findings,
): { json: string; fixed: number; result: NotebookAnalysis } {
  const original = parseNotebook(json);
  let notebook = original;
  let result = analyzeCells(notebook, path, config);
  let fixed = 0;
  for (let pass = 0; pass < passes; pass++) {
    const fixes = selectFixes(select(result.analysis).flatMap((finding: Finding) => finding.fixes.filter((fix) => fix.preferred).slice(0, 1)));
    if (!fixes.length) break;
    const editsByCell = cellEdits(result.program, fixes.flatMap((fix) => fix.edits));
    if (!editsByCell.size) break;
    notebook = {
      cells: notebook.cells.map((cell) => {
        const edits = editsByCell.get(cell.index);
        return edits ? { ...cell, source: applyEdits(cell.source, edits).text } : cell;
      }),
    };
    const before = select(result.analysis).length;
    result = analyzeCells(notebook, path, config);
    fixed += Math.max(fixes.length, before - select(result.analysis).length);
  }
  const sources = new Map(notebook.cells.map((cell) => [cell.index, cell.source]));
  return { json: rewriteNotebook(json, original, sources), fixed, result };
}

/** Program edits as edits of the cells they fall in, keyed by cell index; an edit spanning two cells is dropped. */
export function cellEdits(program: NotebookProgram, edits: TextEdit[]): Map<number, TextEdit[]> {
  const byCell = new Map<number, TextEdit[]>();
  for (const edit of edits) {
    const start = locateInNotebook(program, edit.span.start);
    const end = locateInNotebook(program, edit.span.end);
    if (!start || !end || end.cell !== start.cell) continue;
    const list = byCell.get(start.cell.index) ?? [];
    list.push({ span: { start: start.offset, end: end.offset }, newText: edit.newText });
    byCell.set(start.cell.index, list);
  }
  return byCell;
}
