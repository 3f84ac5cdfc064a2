/**
 * The variance-check panel's model, built on the extension host side: one model of a document, its
 * prediction, and the same model with its recommended fixes applied (what the webview probes side by side).
 * Here rather than in src/project because it builds a protocol type from the project's analysis: protocol
 * imports project, never the other way round.
 */
import type { FileAnalysis } from '../core/analyze';
import type { InitLintConfig } from '../core/config';
import { buildReport } from '../core/report';
import { LineIndex } from '../core/text';
import { analyzeNotebook, type NotebookAnalysis } from '../project/analyzeNotebook';
import { analyzeSource } from '../project/analyzeSource';
import { fixModel, fixNotebookModel, locateModel, type FixedModel } from '../project/modelEdits';
import type { PanelModel, PanelModelKey } from './panel';

/** The model of `key` in a source file, or undefined when the file no longer has it. */
export function panelModel(text: string, fileName: string, config: InitLintConfig, key: PanelModelKey, shownPath: string): PanelModel | undefined {
  const analysis = analyzeSource(text, fileName, config);
  const index = locateModel(analysis, key.modelIndex, key.modelName);
  if (index === undefined) return undefined;
  const lines = new LineIndex(text);
  const layerLines = analysis.models[index].model.layers.map((layer) => lines.positionAt(layer.call.span.start).line + 1);
  return assemble(analysis, index, key, shownPath, config, layerLines, () => fixModel(text, fileName, config, index, analysis));
}

/** Where a layer's call is in a notebook: its cell, and 0-based line/character positions within that cell. */
export interface CellRange {
  cell: number;
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/**
 * A notebook's panel model: `layerLines` count within each layer's cell, `layerCells` names the cell.
 * `layerRanges` is for the host (revealing a layer in its cell), not for the webview.
 */
export type NotebookPanelModel = PanelModel & { layerCells: number[]; layerRanges: CellRange[] };

/** `panelModel` for a notebook (nbformat JSON, its code cells analysed as one program). */
export function notebookPanelModel(json: string, path: string, config: InitLintConfig, key: PanelModelKey, shownPath: string): NotebookPanelModel | undefined {
  const notebook: NotebookAnalysis = analyzeNotebook(json, path, config);
  const index = locateModel(notebook.analysis, key.modelIndex, key.modelName);
  if (index === undefined) return undefined;
  const layerRanges = notebook.analysis.models[index].model.layers.map(({ call }): CellRange => {
    const { cell = -1, ...start } = notebook.positionAt(call.span.start);
    const end = notebook.positionAt(call.span.end);
    // A call cannot leave its cell (each cell ends a statement); should one seem to, stop at its start.
    return { cell, start, end: end.cell === cell ? { line: end.line, character: end.character } : start };
  });
  const panel = assemble(notebook.analysis, index, key, shownPath, config, layerRanges.map((range) => range.start.line + 1), () => {
    const { fixed, result } = fixNotebookModel(json, path, config, index);
    return { fixed, analysis: result.analysis };
  });
  return { ...panel, layerCells: layerRanges.map((range) => range.cell), layerRanges };
}

function assemble(
  analysis: FileAnalysis, index: number, key: PanelModelKey, shownPath: string, config: InitLintConfig, layerLines: number[],
  fix: () => Pick<FixedModel, 'fixed' | 'analysis'>,
): PanelModel {
  const { model } = analysis.models[index];
  const fixed = fix();
  // Fixes change initializers, not which models there are: the fixed model is at the same index.
  const fixedIndex = fixed.fixed > 0 ? locateModel(fixed.analysis, index, model.name) : undefined;
  const recommended = fixedIndex === undefined
    ? undefined
    : { model: fixed.analysis.models[fixedIndex].model, report: buildReport(fixed.analysis)[fixedIndex], fixCount: fixed.fixed };
  return {
    // The index follows the model when it moved, so the host's next request (apply fixes, LSUV) finds it.
    key: { ...key, modelIndex: index },
    shownPath,
    model,
    report: buildReport(analysis)[index],
    layerLines,
    ...(recommended && { recommended }),
    threshold: config.threshold,
  };
}
