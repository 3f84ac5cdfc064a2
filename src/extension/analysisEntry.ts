/**
 * Entry of dist/analysis.js: the analysis the extension host runs itself (CodeLens numbers, the variance
 * report document, fix-all). Bundled apart from dist/extension.js and loaded on first use, because it holds
 * the TypeScript compiler and the Python parser (see analysisModule.ts).
 */
import { reportText } from '../cli/report';
import { formatFactor } from '../core/math';
import { buildReport, type ReportModel } from '../core/report';
import { LineIndex } from '../core/text';
import { analyzeNotebook } from '../project/analyzeNotebook';
import { analyzeSource } from '../project/analyzeSource';
import { changedRegion, fixInPasses } from '../project/fixPasses';
import { modelFixEdits, modelLsuvEdits as lsuvEditsOfModel, notebookModelFixEdits, notebookModelLsuvEdits as lsuvEditsOfNotebookModel, type CellEdits } from '../project/modelEdits';
import type { PanelLsuvScale, PanelModel, PanelModelKey } from '../protocol/panel';
import { notebookPanelModel, panelModel, type CellRange } from '../protocol/panelModel';
import { ProjectConfigFinder } from '../project/configFiles';
import { configForFile, readEditorSettings } from '../protocol/settings';
import type { SettingsSection } from '../protocol/settingsSection';

/** What the extension knows about a document: its text, the name that picks a front end, its path on disk. */
export interface SourceDocument {
  text: string;
  /** A file name whose extension selects the front end (`.py`, `.ts`, …). */
  fileName: string;
  /** Where project configuration is searched from; absent for untitled documents. */
  diskPath?: string;
}

export interface ModelLens {
  /** Offset of the model definition in the text. */
  offset: number;
  /** Position among the document's models (what the variance check opens). */
  modelIndex: number;
  /** "20 layers · forward variance ×9.5e-7". */
  summary: string;
}

/** A cell of an open notebook, as the editor has it (possibly unsaved). */
export interface NotebookCellSource {
  /** Only Python code cells are part of the program, like in the language server. */
  kind: 'code' | 'markdown';
  language: string;
  text: string;
}

/** An open notebook as the analysis sees it: its cells, the path it is named by, where it is on disk. */
export interface NotebookSource {
  cells: NotebookCellSource[];
  /** The notebook's path (`untitled.ipynb` when it has none). */
  notebookPath: string;
  /** Where project configuration is searched from; absent for untitled notebooks. */
  diskPath?: string;
}

/** A model's lens in a notebook: the cell (its index among all cells) and the offset within that cell. */
export interface NotebookModelLens extends ModelLens {
  cell: number;
}

function configFor(document: SourceDocument, settings: SettingsSection) {
  return configForFile(document.diskPath, readEditorSettings(settings, 'VS Code settings (initlint.*)'), new ProjectConfigFinder()).config;
}

/** "20 layers · forward variance ×9.5e-7": the lens's numbers for one model. */
function modelSummary(model: ReportModel): string {
  const layers = `${model.layers.length} layer${model.layers.length === 1 ? '' : 's'}`;
  return model.worstChain ? `${layers} · forward variance ×${formatFactor(model.worstChain.forward)}` : layers;
}

/** One lens per model. */
export function modelLenses(document: SourceDocument, settings: SettingsSection): ModelLens[] {
  const models = buildReport(analyzeSource(document.text, document.fileName, configFor(document, settings)));
  return models.map((model, modelIndex) => ({ offset: model.span.start, modelIndex, summary: modelSummary(model) }));
}

/**
 * The notebook as nbformat 4 JSON, so the CLI's notebook analysis (cells joined, magics blanked, offsets
 * mapped back to cells) runs on the editor's cells. Non-Python code cells become raw cells: they keep their
 * index but are not part of the program.
 */
function notebookJson(cells: NotebookCellSource[]): string {
  return JSON.stringify({
    cells: cells.map((cell) => ({
      cell_type: cell.kind === 'markdown' ? 'markdown' : cell.language === 'python' ? 'code' : 'raw',
      metadata: {},
      source: cell.text,
    })),
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  });
}

function notebookConfig(notebook: NotebookSource, settings: SettingsSection) {
  return configFor({ text: '', fileName: notebook.notebookPath, diskPath: notebook.diskPath }, settings);
}

function analyzeOpenNotebook(notebook: NotebookSource, settings: SettingsSection) {
  return analyzeNotebook(notebookJson(notebook.cells), notebook.notebookPath, notebookConfig(notebook, settings));
}

/** `modelLenses` for a notebook: one per model, on the cell that holds the model's definition. */
export function notebookModelLenses(source: NotebookSource, settings: SettingsSection): NotebookModelLens[] {
  const notebook = analyzeOpenNotebook(source, settings);
  const cellStarts = new Map(notebook.program.cells.map((entry) => [entry.cell.index, entry.start]));
  return buildReport(notebook.analysis).flatMap((model, modelIndex) => {
    const cell = notebook.positionAt(model.span.start).cell;
    if (cell === undefined) return [];
    return [{ cell, modelIndex, offset: model.span.start - (cellStarts.get(cell) ?? 0), summary: modelSummary(model) }];
  });
}

/** `varianceReport` for a notebook: rows name `cell N:line` like `initlint report x.ipynb`. */
export function notebookVarianceReport(source: NotebookSource, settings: SettingsSection, shownPath: string): string {
  const notebook = analyzeOpenNotebook(source, settings);
  return `${reportText(shownPath, buildReport(notebook.analysis), notebook)}\n`;
}

/** The same table as `initlint report <file>`. */
export function varianceReport(document: SourceDocument, settings: SettingsSection, shownPath: string): string {
  const analysis = analyzeSource(document.text, document.fileName, configFor(document, settings));
  return `${reportText(shownPath, buildReport(analysis), new LineIndex(document.text))}\n`;
}

/** A detected model: its position among the document's models, its name, where it is defined. */
export interface DetectedModel {
  index: number;
  name: string;
  span: { start: number; end: number };
}

export function detectedModels(document: SourceDocument, settings: SettingsSection): DetectedModel[] {
  return analyzeSource(document.text, document.fileName, configFor(document, settings)).models
    .map(({ model }, index) => ({ index, name: model.name, span: model.span }));
}

/** The model whose definition holds `offset`, else the last one defined above it, else the first. */
export function modelAt(models: DetectedModel[], offset: number): DetectedModel | undefined {
  const containing = models.filter((model) => model.span.start <= offset && offset <= model.span.end);
  if (containing.length) return containing.sort((a, b) => (a.span.end - a.span.start) - (b.span.end - b.span.start))[0];
  return models.filter((model) => model.span.start <= offset).at(-1) ?? models[0];
}

/** What the variance-check panel shows for one model: its IR, predictions, lines and recommended version. */
export function variancePanelModel(document: SourceDocument, settings: SettingsSection, key: PanelModelKey, shownPath: string): PanelModel | undefined {
  return panelModel(document.text, document.fileName, configFor(document, settings), key, shownPath);
}

/** The panel's "apply the recommended fixes": this model's preferred fixes only, as one replacement. */
export function modelFixes(document: SourceDocument, settings: SettingsSection, modelIndex: number): FixAllResult {
  const { fixed, edits } = modelFixEdits(document.text, document.fileName, configFor(document, settings), modelIndex);
  const [edit] = edits;
  return edit ? { fixed, start: edit.span.start, end: edit.span.end, newText: edit.newText } : { fixed: 0, start: 0, end: 0, newText: '' };
}

/** The panel's LSUV scales as initializer edits (src/core/lsuvFixes.ts), non-overlapping. */
export function modelLsuvEdits(document: SourceDocument, settings: SettingsSection, modelIndex: number, scales: PanelLsuvScale[]): { edits: { start: number; end: number; newText: string }[]; notes: string[]; layersChanged: number; constantLeft: number[] } {
  const result = lsuvEditsOfModel(document.text, document.fileName, configFor(document, settings), modelIndex, scales);
  return { ...result, edits: result.edits.map((edit) => ({ start: edit.span.start, end: edit.span.end, newText: edit.newText })) };
}

/** A cursor in a notebook: the cell (its index among all cells) and the offset within that cell's text. */
export interface NotebookCursor {
  cell: number;
  offset: number;
}

/**
 * A notebook's models (spans in the program its code cells form), and `atCursor`: the model whose
 * definition holds the cursor, else the last one defined above it, else the first. A cursor in a markdown
 * cell counts as the end of the code above it.
 */
export function notebookDetectedModels(source: NotebookSource, settings: SettingsSection, cursor?: NotebookCursor): { models: DetectedModel[]; atCursor?: DetectedModel } {
  const notebook = analyzeOpenNotebook(source, settings);
  const models = notebook.analysis.models.map(({ model }, index) => ({ index, name: model.name, span: model.span }));
  if (!cursor) return { models, atCursor: models[0] };
  const inProgram = notebook.program.cells.filter((entry) => entry.cell.index <= cursor.cell).at(-1);
  const offset = !inProgram ? 0
    : inProgram.cell.index === cursor.cell ? inProgram.start + Math.min(cursor.offset, inProgram.cell.source.length)
    : inProgram.start + inProgram.cell.source.length;
  return { models, atCursor: modelAt(models, offset) };
}

/** The panel model of a notebook's model, and where each layer is (its cell and range there) for the host's reveal. */
export function notebookVariancePanelModel(source: NotebookSource, settings: SettingsSection, key: PanelModelKey, shownPath: string): { panel: PanelModel; layerRanges: CellRange[] } | undefined {
  const model = notebookPanelModel(notebookJson(source.cells), source.notebookPath, notebookConfig(source, settings), key, shownPath);
  if (!model) return undefined;
  const { layerRanges, ...panel } = model;
  return { panel, layerRanges };
}

/** Edits of one notebook cell (its index among all cells), offsets within that cell's text. */
export interface CellTextEdits {
  cell: number;
  edits: { start: number; end: number; newText: string }[];
}

const cellTextEdits = (cells: CellEdits[]): CellTextEdits[] =>
  cells.map(({ cell, edits }) => ({ cell, edits: edits.map((edit) => ({ start: edit.span.start, end: edit.span.end, newText: edit.newText })) }));

/** `modelFixes` for a notebook's model: the fixed cells, one replacement each. */
export function notebookModelFixes(source: NotebookSource, settings: SettingsSection, modelIndex: number): { fixed: number; cells: CellTextEdits[] } {
  const { fixed, cells } = notebookModelFixEdits(notebookJson(source.cells), source.notebookPath, notebookConfig(source, settings), modelIndex);
  return { fixed, cells: cellTextEdits(cells) };
}

/** `modelLsuvEdits` for a notebook's model: the edits inside the cells they change (an import may land in another cell). */
export function notebookModelLsuvEdits(source: NotebookSource, settings: SettingsSection, modelIndex: number, scales: PanelLsuvScale[]): { cells: CellTextEdits[]; notes: string[]; layersChanged: number; constantLeft: number[] } {
  const result = lsuvEditsOfNotebookModel(notebookJson(source.cells), source.notebookPath, notebookConfig(source, settings), modelIndex, scales);
  return { ...result, cells: cellTextEdits(result.cells) };
}

/** The fixed text as one replacement of the changed region only, so the cursor and undo stay put. */
export interface FixAllResult {
  fixed: number;
  start: number;
  end: number;
  newText: string;
}

/** Every preferred fix, in passes like `initlint check --fix` (conflicting fixes wait for the next pass). */
export function fixAll(document: SourceDocument, settings: SettingsSection): FixAllResult {
  const { text, fixed } = fixInPasses(document.text, document.fileName, configFor(document, settings));
  const { span, newText } = changedRegion(document.text, text);
  return { fixed, start: span.start, end: span.end, newText };
}
