/**
 * Edits scoped to one model of a file or notebook, for the variance-check panel: its preferred fixes applied
 * in passes like fix-all, and LSUV scales written into its kernel initializers (core/lsuvFixes.ts).
 */
import type { FileAnalysis } from '../core/analyze';
import { frameworkAssumptions, type InitLintConfig } from '../core/config';
import type { Finding, TextEdit } from '../core/findings';
import type { Span } from '../core/ir';
import { lsuvEdits, type LayerScale, type LsuvEdits } from '../core/lsuvFixes';
import { parseNotebook } from '../frontends/notebook';
import { analyzeNotebook, cellEdits, fixNotebook, type NotebookAnalysis } from './analyzeNotebook';
import { analyzeSource } from './analyzeSource';
import { changedRegion, fixInPasses, MAX_FIX_PASSES, type FixedSource } from './fixPasses';

/**
 * Where a panel's model is now: at its index while the name there still matches, else wherever that name
 * is (a model added above it), else at its index (the model was renamed: `Sequential@12` after a new line).
 */
export function locateModel(analysis: FileAnalysis, modelIndex: number, modelName?: string): number | undefined {
  const { models } = analysis;
  if (models[modelIndex] && (modelName === undefined || models[modelIndex].model.name === modelName)) return modelIndex;
  const named = modelName === undefined ? -1 : models.findIndex((entry) => entry.model.name === modelName);
  if (named >= 0) return named;
  return models[modelIndex] ? modelIndex : undefined;
}

/**
 * The findings about one model: those on its layers' source. Not by `Finding.model`: two models can share a
 * name, and a location shared by two models (a helper) is reported once, under the first model's name.
 */
export function modelFindings(analysis: FileAnalysis, modelIndex: number): Finding[] {
  const model = analysis.models[modelIndex]?.model;
  if (!model) return [];
  const spans: Span[] = model.layers.flatMap((layer) => [layer.call.span, ...(layer.activation.layerCall ? [layer.activation.layerCall.span] : [])]);
  return analysis.findings.filter((finding) => spans.some((span) => span.start <= finding.span.start && finding.span.end <= span.end));
}

export type FixedModel = FixedSource;

/** Every preferred fix of model `modelIndex`'s findings, in passes until nothing changes. */
export function fixModel(text: string, fileName: string, config: InitLintConfig, modelIndex: number, analysis = analyzeSource(text, fileName, config)): FixedModel {
  return fixInPasses(text, fileName, config, (current) => modelFindings(current, modelIndex), analysis);
}

/** The fixes of `fixModel` as one replacement of the changed region only, so the cursor and undo stay put. */
export function modelFixEdits(text: string, fileName: string, config: InitLintConfig, modelIndex: number): { fixed: number; edits: TextEdit[] } {
  const result = fixModel(text, fileName, config, modelIndex);
  return { fixed: result.fixed, edits: result.text === text ? [] : [changedRegion(text, result.text)] };
}

/** LSUV `scales` (measured on model `modelIndex` as it is in `text`) written into its kernel initializers. */
export function modelLsuvEdits(text: string, fileName: string, config: InitLintConfig, modelIndex: number, scales: readonly LayerScale[]): LsuvEdits {
  const analysis = analyzeSource(text, fileName, config);
  const model = analysis.models[modelIndex]?.model;
  if (!model) return { edits: [], notes: [`There is no model ${modelIndex + 1} in ${fileName}.`], layersChanged: 0, constantLeft: [] };
  return lsuvEdits(text, analysis.extracted.imports, model, scales, frameworkAssumptions(config));
}


// ---------------------------------------------------------------------------------------------
// Notebooks: the same, with edits inside the cells they change (offsets within each cell's source)
// ---------------------------------------------------------------------------------------------

export interface CellEdits {
  /** The cell's index among the notebook's `cells`. */
  cell: number;
  edits: TextEdit[];
}

/** `fixModel` for a notebook: the analysis of the fixed notebook, and the fixed cells as one edit each. */
export function fixNotebookModel(json: string, path: string, config: InitLintConfig, modelIndex: number): { fixed: number; result: NotebookAnalysis; cells: CellEdits[] } {
  const { fixed, result } = fixNotebook(json, path, config, MAX_FIX_PASSES, (analysis) => modelFindings(analysis, modelIndex));
  const fixedSources = new Map(result.notebook.cells.map((cell) => [cell.index, cell.source]));
  const cells = parseNotebook(json).cells
    .filter((cell) => fixedSources.has(cell.index) && fixedSources.get(cell.index) !== cell.source)
    .map((cell) => ({ cell: cell.index, edits: [changedRegion(cell.source, fixedSources.get(cell.index)!)] }));
  return { fixed, result, cells };
}

export function notebookModelFixEdits(json: string, path: string, config: InitLintConfig, modelIndex: number): { fixed: number; cells: CellEdits[] } {
  const { fixed, cells } = fixNotebookModel(json, path, config, modelIndex);
  return { fixed, cells };
}

/** `modelLsuvEdits` for a notebook: the edits inside the cells they change. */
export function notebookModelLsuvEdits(
  json: string, path: string, config: InitLintConfig, modelIndex: number, scales: readonly LayerScale[],
): Omit<LsuvEdits, 'edits'> & { cells: CellEdits[] } {
  const notebook = analyzeNotebook(json, path, config);
  const model = notebook.analysis.models[modelIndex]?.model;
  if (!model) return { cells: [], notes: [`There is no model ${modelIndex + 1} in ${path}.`], layersChanged: 0, constantLeft: [] };
  const result = lsuvEdits(notebook.program.text, notebook.analysis.extracted.imports, model, scales, frameworkAssumptions(config));
  const cells = [...cellEdits(notebook.program, result.edits)].map(([cell, edits]) => ({ cell, edits }));
  return { cells, notes: result.notes, layersChanged: result.layersChanged, constantLeft: result.constantLeft };
}
