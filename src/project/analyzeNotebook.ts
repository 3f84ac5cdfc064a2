/**
 * A notebook analysed as the one program its code cells form, with positions mapped back to cells and
 * fixes written back into the cells they touch (every other byte of the notebook unchanged).
 */
import { DEFAULT_CONFIG, type InitLintConfig } from '../core/config';
import { selectFixes } from '../core/fixAll';
import type { Finding, TextEdit } from '../core/findings';
import { applyEdits, LineIndex } from '../core/text';
import { locateInNotebook, notebookProgram, parseNotebook, rewriteNotebook, type Notebook, type NotebookProgram } from '../frontends/notebook';
import { analyzeMountedProject, placedProject, type MountedProjectAnalysis, type ProjectAnalysis } from './analyzeProject';
import { analyzeSource, type SourceAnalysis } from './analyzeSource';
import { MAX_FIX_PASSES } from './fixPasses';
import { fixPlacedInModules, type FixedModule } from './projectFix';
import type { ProjectFileReader } from './pythonModules';
import { SegmentPositions } from './segmentPositions';

export interface NotebookAnalysis {
  notebook: Notebook;
  program: NotebookProgram;
  /** Findings placed in the file they are written in: the notebook's in program offsets, an imported module's with `file`. */
  analysis: ProjectAnalysis;
  /** The same reading unplaced (every model the cells build, in `mounted` offsets): what `initlint report` lists. */
  mounted: SourceAnalysis;
  /** Program offset → line and column within its cell, and the cell's index; a module's offset → its line there. */
  positionAt(offset: number): { line: number; character: number; cell?: number };
  /** The imported module a mounted offset was written in; undefined for the notebook's cells. */
  fileAt(offset: number): string | undefined;
}

/**
 * `read` (the CLI's and the language server's file reader): the project modules the cells import are read as a
 * `.py` file's are (`analyzeProject.ts`); without it the cells are read alone.
 */
export function analyzeNotebook(json: string, path: string, config: InitLintConfig = DEFAULT_CONFIG, read?: ProjectFileReader): NotebookAnalysis {
  return analyzeCells(parseNotebook(json), path, config, read);
}

function analyzeCells(notebook: Notebook, path: string, config: InitLintConfig, read?: ProjectFileReader): NotebookAnalysis {
  const program = notebookProgram(notebook);
  // Named as a .py file beside the notebook: its imports resolve from the notebook's folder, as Jupyter runs them.
  const fileName = `${path}.py`;
  const mounted: MountedProjectAnalysis = read
    ? analyzeMountedProject(program.text, fileName, read, config)
    : { analysis: analyzeSource(program.text, fileName, config), segments: [{ path: fileName, start: 0, end: program.text.length, text: program.text }] };
  const modules = new SegmentPositions(mounted.segments);
  const cellLines = new Map<number, LineIndex>();
  return {
    notebook,
    program,
    analysis: placedProject(mounted),
    mounted: mounted.analysis,
    positionAt(offset) {
      if (modules.fileAt(offset) !== undefined) return modules.positionAt(offset);
      const located = locateInNotebook(program, offset);
      if (!located) return { line: 0, character: 0 };
      let lines = cellLines.get(located.cell.index);
      if (!lines) cellLines.set(located.cell.index, (lines = new LineIndex(located.cell.source)));
      return { ...lines.positionAt(located.offset), cell: located.cell.index };
    },
    fileAt: (offset) => modules.fileAt(offset),
  };
}

/** Where `fixNotebook` may also fix the project modules the cells import (`--fix`); absent, only the cells are fixed. */
export interface NotebookProjectFix {
  read: ProjectFileReader;
  /** Whether a module may be edited (for example inside the paths checked or the project: `insideRoots`). */
  mayEdit(modulePath: string): boolean;
}

/**
 * Applies preferred fixes cell by cell, up to `passes` times; returns the rewritten notebook JSON. `select`
 * picks the findings to fix in each pass (all of them by default; one model's for the variance panel).
 */
export function fixNotebook(
  json: string, path: string, config: InitLintConfig, passes = MAX_FIX_PASSES, select: (analysis: SourceAnalysis) => Finding[] = (analysis) => analysis.findings,
  project?: NotebookProjectFix,
): { json: string; fixed: number; result: NotebookAnalysis; modules: Map<string, FixedModule> } {
  const original = parseNotebook(json);
  let notebook = original;
  // Each pass reads the modules as the earlier passes' fixes left them.
  const modules = new Map<string, FixedModule>();
  const read = project && ((modulePath: string) => modules.get(modulePath)?.text ?? project.read(modulePath));
  let result = analyzeCells(notebook, path, config, read);
  let fixed = 0;
  for (let pass = 0; pass < passes; pass++) {
    const selected = select(result.analysis);
    const fixes = selectFixes(selected.filter((finding) => !finding.file).flatMap((finding: Finding) => finding.fixes.filter((fix) => fix.preferred).slice(0, 1)));
    const editsByCell = cellEdits(result.program, fixes.flatMap((fix) => fix.edits));
    const inModules = project ? fixPlacedInModules(selected, result.analysis.related, modules, project.mayEdit) : 0;
    if (!editsByCell.size && !inModules) break;
    notebook = {
      cells: notebook.cells.map((cell) => {
        const edits = editsByCell.get(cell.index);
        return edits ? { ...cell, source: applyEdits(cell.source, edits).text } : cell;
      }),
    };
    result = analyzeCells(notebook, path, config, read);
    fixed += Math.max((editsByCell.size ? fixes.length : 0) + inModules, selected.length - select(result.analysis).length);
  }
  const sources = new Map(notebook.cells.map((cell) => [cell.index, cell.source]));
  return { json: rewriteNotebook(json, original, sources), fixed, result, modules };
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
