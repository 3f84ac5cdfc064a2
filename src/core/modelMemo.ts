/**
 * A model's analysis kept between edits of one document (the language server keeps one memo per document).
 * The Python front end hands back the very RawModel object it read last time when an edit changed no
 * statement (a comment, blank lines): such a model, under the same configuration, imports and file quote
 * style, and with the text it was read from unchanged up to everything it reads, has the same analysis and
 * findings, so they are reused instead of recomputed. Everything else is analysed afresh.
 */
import type { InitLintConfig } from './config';
import type { Finding } from './findings';
import type { ImportScope, RawModel } from './ir';
import type { ModelAnalysis } from './rules/context';

/** What analysing one model produced: its analysis (absent when it failed), its findings and its internal errors. */
export interface ModelResult {
  analysis?: ModelAnalysis;
  findings: Finding[];
  internalErrors: string[];
}

/** Everything besides the RawModel that a model's findings depend on. */
export interface ModelInputs {
  text: string;
  config: InitLintConfig;
  imports: ImportScope;
  /** The file's string quote (fixes write new strings with it). */
  quote: string;
}

interface Kept extends Omit<ModelInputs, 'config'> {
  settings: string;
  /** End of the model's last call: the text up to here is what its analysis read. */
  extent: number;
  result: ModelResult;
}

export class ModelMemo {
  private kept = new Map<RawModel, Kept>();
  private next = new Map<RawModel, Kept>();

  /** The result kept for `raw` when nothing it depends on changed. */
  reuse(raw: RawModel, inputs: ModelInputs): ModelResult | undefined {
    const kept = this.kept.get(raw);
    if (!kept || kept.imports !== inputs.imports || kept.quote !== inputs.quote || kept.settings !== settingsKey(inputs.config)) return undefined;
    if (kept.text !== inputs.text && !inputs.text.startsWith(kept.text.slice(0, kept.extent))) return undefined;
    this.next.set(raw, kept);
    return kept.result;
  }

  keep(raw: RawModel, inputs: ModelInputs, result: ModelResult): void {
    const extent = extentOf(raw, inputs.imports);
    this.next.set(raw, { text: inputs.text, imports: inputs.imports, quote: inputs.quote, settings: settingsKey(inputs.config), extent, result });
  }

  /** Ends one analysis of the document: models it no longer has are forgotten. */
  finish(): void {
    this.kept = this.next;
    this.next = new Map();
  }
}

function settingsKey(config: InitLintConfig): string {
  return JSON.stringify(config);
}

/** The furthest offset the model's findings and fixes read: its calls, and where fixes add imports. */
function extentOf(raw: RawModel, imports: ImportScope): number {
  let end = Math.max(raw.span.end, raw.inputShape?.span.end ?? 0, imports.newImportAt.offset);
  for (const point of Object.values(imports.extendableImports)) end = Math.max(end, point.offset);
  for (const layer of raw.layers) end = Math.max(end, layer.call.span.end, layer.call.insertAt.offset);
  for (const shape of raw.inputShapes ?? []) end = Math.max(end, shape?.span.end ?? 0);
  for (const assignment of raw.initializerAssignments ?? []) end = Math.max(end, assignment.span.end, assignment.removal?.span.end ?? 0);
  return end;
}
