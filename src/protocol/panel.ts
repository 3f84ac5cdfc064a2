/**
 * The variance-check panel's messages. The extension host sends a model (its IR and predictions, as
 * written and with the recommended fixes applied); the webview runs the probe on the user's GPU and
 * answers with results and requests. A webview is another process: each side validates what it receives
 * (`parseHostMessage`, `parsePanelMessage`) and drops what does not fit, with a reason.
 */
import type { Model } from '../core/model';
import type { ReportModel } from '../core/report';

/** Which backends the panel may try, in this order when `auto` (first that starts wins). */
export const PANEL_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type PanelBackend = (typeof PANEL_BACKENDS)[number];
export type BackendPreference = PanelBackend | 'auto';

export const EXPORT_FORMATS = ['png', 'json', 'md'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Identifies a model across reloads: the document and the model's position in it. */
export interface PanelModelKey {
  /** The source document's URI (a file or a notebook). */
  uri: string;
  /** Index among the document's detected models. */
  modelIndex: number;
  /** The model's name when the panel opened (the panel title). */
  modelName: string;
}

export interface ProbeSettings {
  batch: number;
  seed: number;
  /** Independent weight draws: the panel shows their mean and 10–90% band. */
  draws: number;
  /** Memory the probe may plan for (the probe reduces the batch, then refuses, above it). */
  memoryBudgetMiB: number;
  backend: BackendPreference;
}

export const DEFAULT_PROBE_SETTINGS: ProbeSettings = { batch: 128, seed: 0, draws: 8, memoryBudgetMiB: 512, backend: 'auto' };
export const MAX_DRAWS = 256;

/** Mean, median and 10–90% band over the draws (src/probe/spread.ts's Spread). */
export interface PanelSpread {
  mean: number;
  median: number;
  p10: number;
  p90: number;
}

/** What a measured layer's spread covers. */
export const SPREAD_QUANTITIES = ['forward', 'backward', 'deadFraction', 'saturatedFraction'] as const;
export type PanelLayerSpread = Record<(typeof SPREAD_QUANTITIES)[number], PanelSpread>;

/** One model as the panel shows it. */
export interface PanelModel {
  key: PanelModelKey;
  /** The document's path as the workspace shows it. */
  shownPath: string;
  /** The model's IR (what the probe builds) and the analytic prediction for it. */
  model: Model;
  report: ReportModel;
  /** 1-based source line of each layer, by layer index (the layer table's links); in a notebook, within its cell. */
  layerLines: number[];
  /** Notebooks only: each layer's cell (its index among the notebook's cells, as `initlint report` counts). */
  layerCells?: number[];
  /** The same model with every preferred fix of its findings applied; absent when it has none. */
  recommended?: { model: Model; report: ReportModel; fixCount: number };
  /** Vanishing/exploding threshold T of the document's configuration. */
  threshold: number;
}

/** Measurements of one probe run, as the webview reports them back (the JSON export is this). */
export interface PanelRunSummary {
  backend: string;
  /** The GPU renderer string when the backend exposes it (WebGL's UNMASKED_RENDERER). */
  renderer?: string;
  settings: ProbeSettings;
  /** Wall time of the whole run (current and recommended), milliseconds. */
  totalMs: number;
  /** Per layer of the current model: measured forward and backward mean squares (means over the draws) and their spread. */
  layers: { index: number; forward: number; backward: number; deadFraction: number; saturatedFraction: number; spread?: PanelLayerSpread }[];
  notes: string[];
}

/** One LSUV scale for a layer, as the webview measured it (src/probe/lsuv.ts's LsuvScale, trimmed). */
export interface PanelLsuvScale {
  index: number;
  /** `scale` of a fan_in variance-scaling initializer with the measured weight variance. */
  fanInScale: number;
  converged: boolean;
}

export type HostMessage =
  /** A model to show; `run`: start measuring at once (first open) rather than wait for the button. */
  | { type: 'load'; panel: PanelModel; settings: ProbeSettings; run: boolean }
  /** The source changed: new IR and predictions; earlier measurements are marked as stale. */
  | { type: 'update'; panel: PanelModel }
  /** The model can no longer be found in its document (deleted, renamed, file closed and gone). */
  | { type: 'unavailable'; message: string }
  /** The outcome of an apply/export request, shown in the panel's status line. */
  | { type: 'done'; request: 'applyFixes' | 'applyLsuv' | 'export' | 'reveal'; ok: boolean; message: string }
  /** Asks the webview to measure again (the palette command on an open panel). */
  | { type: 'run' };

export type PanelMessage =
  | { type: 'ready' }
  | { type: 'runStarted'; settings: ProbeSettings }
  | { type: 'runFinished'; summary: PanelRunSummary }
  | { type: 'runFailed'; message: string }
  /** Reveal layer `layer` (its index) in the source editor. */
  | { type: 'reveal'; layer: number }
  | { type: 'applyFixes' }
  | { type: 'applyLsuv'; scales: PanelLsuvScale[]; tolerance: number }
  /** `content`: text for json/md, base64 PNG bytes (no data: prefix) for png. */
  | { type: 'export'; format: ExportFormat; content: string };

/** What the webview persists with `setState` (restored by the WebviewPanelSerializer after a reload). */
export interface PanelState {
  key: PanelModelKey;
  settings: ProbeSettings;
}

/** Exports larger than this are refused: a chart PNG or a report is far smaller. */
export const MAX_EXPORT_CHARS = 32 * 1024 * 1024;
const MAX_MESSAGE_CHARS = 2000;

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isIndex = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
const isText = (value: unknown, max = MAX_MESSAGE_CHARS): value is string => typeof value === 'string' && value.length <= max;
const fail = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

export function parseModelKey(value: unknown): Parsed<PanelModelKey> {
  if (!isRecord(value)) return fail('model key is not an object');
  const { uri, modelIndex, modelName } = value;
  if (!isText(uri) || !uri) return fail('model key has no uri');
  if (!isIndex(modelIndex)) return fail('model key has no model index');
  if (!isText(modelName, 500)) return fail('model key has no model name');
  return { ok: true, value: { uri, modelIndex, modelName } };
}

/** Settings from the webview's form or state: out-of-range numbers are refused, not clamped silently. */
export function parseProbeSettings(value: unknown): Parsed<ProbeSettings> {
  if (!isRecord(value)) return fail('settings are not an object');
  const { batch, seed, memoryBudgetMiB, backend } = value;
  // Settings saved before draws existed have none: the default, not a refusal.
  const draws = value.draws ?? DEFAULT_PROBE_SETTINGS.draws;
  if (!Number.isInteger(batch) || (batch as number) < 1 || (batch as number) > 65536) return fail('batch must be an integer from 1 to 65536');
  if (!Number.isInteger(seed) || (seed as number) < 0 || (seed as number) > 2 ** 31 - 1) return fail('seed must be an integer from 0 to 2147483647');
  if (!Number.isInteger(draws) || (draws as number) < 1 || (draws as number) > MAX_DRAWS) return fail(`draws must be an integer from 1 to ${MAX_DRAWS}`);
  if (!isFiniteNumber(memoryBudgetMiB) || memoryBudgetMiB < 1 || memoryBudgetMiB > 65536) return fail('memory budget must be 1 to 65536 MiB');
  if (backend !== 'auto' && !(PANEL_BACKENDS as readonly unknown[]).includes(backend)) return fail(`unknown backend ${String(backend)}`);
  return { ok: true, value: { batch: batch as number, seed: seed as number, draws: draws as number, memoryBudgetMiB, backend: backend as BackendPreference } };
}

export function parsePanelState(value: unknown): Parsed<PanelState> {
  if (!isRecord(value)) return fail('no panel state');
  const key = parseModelKey(value.key);
  if (!key.ok) return key;
  const settings = parseProbeSettings(value.settings);
  return { ok: true, value: { key: key.value, settings: settings.ok ? settings.value : DEFAULT_PROBE_SETTINGS } };
}

/** A spread per quantity, each of four numbers (null: not finite, read back as NaN); null when malformed. */
function parseLayerSpread(value: unknown): PanelLayerSpread | null {
  if (!isRecord(value)) return null;
  const spread: Partial<PanelLayerSpread> = {};
  for (const quantity of SPREAD_QUANTITIES) {
    const entry = value[quantity];
    if (!isRecord(entry)) return null;
    const numbers = (['mean', 'median', 'p10', 'p90'] as const).map((key) => (typeof entry[key] === 'number' ? entry[key] : entry[key] === null ? NaN : undefined));
    if (numbers.some((number) => number === undefined)) return null;
    const [mean, median, p10, p90] = numbers as number[];
    spread[quantity] = { mean, median, p10, p90 };
  }
  return spread as PanelLayerSpread;
}

function parseRunSummary(value: unknown): Parsed<PanelRunSummary> {
  if (!isRecord(value)) return fail('run summary is not an object');
  const settings = parseProbeSettings(value.settings);
  if (!settings.ok) return settings;
  if (!isText(value.backend, 100) || !isFiniteNumber(value.totalMs)) return fail('run summary lacks backend or time');
  if (value.renderer !== undefined && !isText(value.renderer, 500)) return fail('renderer is not a string');
  if (!Array.isArray(value.layers) || !Array.isArray(value.notes) || !value.notes.every((note) => isText(note))) return fail('run summary lacks layers or notes');
  const layers: PanelRunSummary['layers'] = [];
  for (const layer of value.layers) {
    // An exploding model measures NaN/Infinity, which postMessage's JSON turns into null: read back as NaN.
    const measure = (k: string) => (typeof layer[k] === 'number' ? layer[k] : layer[k] === null ? NaN : undefined);
    if (!isRecord(layer) || !isIndex(layer.index)) return fail('a measured layer is malformed');
    const [forward, backward, deadFraction, saturatedFraction] = ['forward', 'backward', 'deadFraction', 'saturatedFraction'].map(measure);
    if (forward === undefined || backward === undefined || deadFraction === undefined || saturatedFraction === undefined) return fail('a measured layer is malformed');
    const spread = layer.spread === undefined ? undefined : parseLayerSpread(layer.spread);
    if (spread === null) return fail('a measured layer\'s spread is malformed');
    layers.push({ index: layer.index, forward, backward, deadFraction, saturatedFraction, ...(spread && { spread }) });
  }
  return { ok: true, value: { backend: value.backend, renderer: value.renderer as string | undefined, settings: settings.value, totalMs: value.totalMs, layers, notes: value.notes as string[] } };
}

/** The extension host's check of what a webview posts. */
export function parsePanelMessage(value: unknown): Parsed<PanelMessage> {
  if (!isRecord(value) || typeof value.type !== 'string') return fail('message has no type');
  switch (value.type) {
    case 'ready':
    case 'applyFixes':
      return { ok: true, value: { type: value.type } };
    case 'runStarted': {
      const settings = parseProbeSettings(value.settings);
      return settings.ok ? { ok: true, value: { type: 'runStarted', settings: settings.value } } : settings;
    }
    case 'runFinished': {
      const summary = parseRunSummary(value.summary);
      return summary.ok ? { ok: true, value: { type: 'runFinished', summary: summary.value } } : summary;
    }
    case 'runFailed':
      return isText(value.message, 10_000) ? { ok: true, value: { type: 'runFailed', message: value.message } } : fail('runFailed has no message');
    case 'reveal':
      return isIndex(value.layer) ? { ok: true, value: { type: 'reveal', layer: value.layer } } : fail('reveal needs a layer index');
    case 'applyLsuv': {
      if (!isFiniteNumber(value.tolerance) || value.tolerance <= 0 || !Array.isArray(value.scales)) return fail('applyLsuv needs scales and a tolerance');
      const scales: PanelLsuvScale[] = [];
      for (const scale of value.scales) {
        if (!isRecord(scale) || !isIndex(scale.index) || !isFiniteNumber(scale.fanInScale) || scale.fanInScale <= 0 || typeof scale.converged !== 'boolean') {
          return fail('an LSUV scale is malformed (positive finite fanInScale needed)');
        }
        scales.push({ index: scale.index, fanInScale: scale.fanInScale, converged: scale.converged });
      }
      return { ok: true, value: { type: 'applyLsuv', scales, tolerance: value.tolerance } };
    }
    case 'export': {
      if (!(EXPORT_FORMATS as readonly unknown[]).includes(value.format)) return fail(`unknown export format ${String(value.format)}`);
      if (!isText(value.content, MAX_EXPORT_CHARS)) return fail('export content missing or too large');
      return { ok: true, value: { type: 'export', format: value.format as ExportFormat, content: value.content } };
    }
    default:
      return fail(`unknown message type ${value.type}`);
  }
}

/** The webview's check of what the host posts (shape only: the host built it from the core's types). */
export function parseHostMessage(value: unknown): Parsed<HostMessage> {
  if (!isRecord(value) || typeof value.type !== 'string') return fail('message has no type');
  switch (value.type) {
    case 'load':
    case 'update': {
      const panel = value.panel;
      if (!isRecord(panel) || !parseModelKey(panel.key).ok || !isRecord(panel.model) || !Array.isArray((panel.model as { layers?: unknown }).layers)
        || !isRecord(panel.report) || !Array.isArray(panel.layerLines) || !isFiniteNumber(panel.threshold)
        || (panel.layerCells !== undefined && !Array.isArray(panel.layerCells))) {
        return fail(`${value.type} carries no valid model`);
      }
      if (value.type === 'update') return { ok: true, value: { type: 'update', panel: panel as unknown as PanelModel } };
      const settings = parseProbeSettings(value.settings);
      return { ok: true, value: { type: 'load', panel: panel as unknown as PanelModel, settings: settings.ok ? settings.value : DEFAULT_PROBE_SETTINGS, run: value.run === true } };
    }
    case 'unavailable':
      return isText(value.message, 10_000) ? { ok: true, value: { type: 'unavailable', message: value.message } } : fail('unavailable has no message');
    case 'done': {
      const requests = ['applyFixes', 'applyLsuv', 'export', 'reveal'];
      if (!requests.includes(value.request as string) || typeof value.ok !== 'boolean' || !isText(value.message, 10_000)) return fail('done is malformed');
      return { ok: true, value: { type: 'done', request: value.request as 'applyFixes', ok: value.ok, message: value.message } };
    }
    case 'run':
      return { ok: true, value: { type: 'run' } };
    default:
      return fail(`unknown message type ${value.type}`);
  }
}
