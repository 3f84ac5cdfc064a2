/**
 * A notebook analysed as the one program its code cells form, with positions mapped back to cells and
 * fixes written back into the cells they touch (every other byte of the notebook unchanged).
 */
import { DEFAULT_CONFIG, type InitLintConfig } from '../core/config';
import { selectFixes } from '../core/fixAll';
import type { Finding } from '../core/findings';
import { applyEdits, LineIndex } from '../core/text';
import { locateInNotebook, notebookProgram, parseNotebook, rewriteNotebook, type Notebook, type NotebookProgram } from '../frontends/notebook';
import { analyzeSource, type SourceAnalysis } from './analyzeSource';

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

/** Applies preferred fixes cell by cell, up to `passes` times; returns the rewritten notebook JSON. */
export function fixNotebook(json: string, path: string, config: InitLintConfig, passes = 10): { json: string; fixed: number; result: NotebookAnalysis } {
  const original = parseNotebook(json);
  let notebook = original;
  let result = analyzeCells(notebook, path, config);
  let fixed = 0;
  for (let pass = 0; pass < passes; pass++) {
    const fixes = selectFixes(result.analysis.findings.flatMap((finding: Finding) => finding.fixes.filter((fix) => fix.preferred).slice(0, 1)));
    if (!fixes.length) break;
    const editsByCell = new Map<number, { span: { start: number; end: number }; newText: string }[]>();
    for (const edit of fixes.flatMap((fix) => fix.edits)) {
      const located = locateInNotebook(result.program, edit.span.start);
      const end = locateInNotebook(result.program, edit.span.end);
      if (!located || !end || end.cell !== located.cell) continue;
      const list = editsByCell.get(located.cell.index) ?? [];
      list.push({ span: { start: located.offset, end: end.offset }, newText: edit.newText });
      editsByCell.set(located.cell.index, list);
    }
    if (!editsByCell.size) break;
    notebook = {
      cells: notebook.cells.map((cell) => {
        const edits = editsByCell.get(cell.index);
        return edits ? { ...cell, source: applyEdits(cell.source, edits).text } : cell;
      }),
    };
    const before = result.analysis.findings.length;
    result = analyzeCells(notebook, path, config);
    fixed += Math.max(fixes.length, before - result.analysis.findings.length);
  }
  const sources = new Map(notebook.cells.map((cell) => [cell.index, cell.source]));
  return { json: rewriteNotebook(json, original, sources), fixed, result };
}
