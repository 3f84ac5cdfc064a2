/**
 * What a run in the panel produces, and the pure steps from the probe's results to the panel's messages:
 * measured rows, the run summary posted to the host, progress, LSUV scales, failure messages.
 * Type-only imports from the probe: this module runs in unit tests without TensorFlow.js.
 */
import type { LsuvResult, ProbeProgress, ProbeResult } from '../probe';
import type { PanelLsuvScale, PanelRunSummary, ProbeSettings } from '../protocol/panel';

export type MeasuredLayer = PanelRunSummary['layers'][number];

/** The panel's last measurement: the current model (what the host receives) and the recommended one. */
export interface PanelMeasurements {
  summary: PanelRunSummary;
  /** The recommended model's layers, when it was measured. */
  recommended?: MeasuredLayer[];
  /** Why the recommended model has no measurements although the panel has one (its probe failed). */
  recommendedFailure?: string;
  /** The source changed after this run: the numbers describe an earlier version of the model. */
  stale: boolean;
}

/** The means over the draws, and with several draws their spread (one draw has no band to show). */
export function measuredLayers(result: ProbeResult): MeasuredLayer[] {
  return result.layers.map(({ index, forward, backward, deadFraction, saturatedFraction, spread }) => ({
    index, forward, backward, deadFraction, saturatedFraction, ...(result.draws > 1 && { spread }),
  }));
}

export interface RunParts {
  backend: string;
  renderer?: string;
  settings: ProbeSettings;
  totalMs: number;
  current: ProbeResult;
  recommended?: ProbeResult;
  recommendedFailure?: string;
  /** Backend notes (fallbacks, precision). */
  backendNotes: string[];
}

/** The run summary the host receives, plus the recommended model's rows for the panel itself. */
export function assembleMeasurements(parts: RunParts): PanelMeasurements {
  const notes = [
    ...parts.backendNotes,
    ...parts.current.notes,
    ...(parts.recommended?.notes ?? []).filter((note) => !parts.current.notes.includes(note)).map((note) => `recommended model: ${note}`),
    ...(parts.recommendedFailure ? [`recommended model not measured: ${parts.recommendedFailure}`] : []),
  ];
  const summary: PanelRunSummary = {
    backend: parts.backend,
    ...(parts.renderer && { renderer: parts.renderer }),
    // As requested: when the probe lowers the batch to fit the memory budget, a note says so.
    settings: parts.settings,
    totalMs: parts.totalMs,
    layers: measuredLayers(parts.current),
    notes,
  };
  return {
    summary,
    ...(parts.recommended && { recommended: measuredLayers(parts.recommended) }),
    ...(parts.recommendedFailure && { recommendedFailure: parts.recommendedFailure }),
    stale: false,
  };
}

export type MeasuredModel = 'current' | 'recommended';

/** How far a run is, 0–1: each model has, per weight draw, a build, a forward and a backward sweep over its layers. */
export function progressFraction(progress: ProbeProgress, model: MeasuredModel, withRecommended: boolean): number {
  const layers = Math.max(1, progress.layers);
  const sweep = { build: 0, forward: 1, backward: 2, lsuv: 0 }[progress.phase];
  const sweeps = progress.phase === 'lsuv' ? 1 : 3;
  // The backward sweep runs from the last layer to the first.
  const step = progress.phase === 'backward' ? layers - 1 - progress.layer : progress.layer;
  const draws = Math.max(1, progress.draws ?? 1);
  const withinModel = ((progress.draw ?? 0) + (sweep * layers + step) / (sweeps * layers)) / draws;
  if (!withRecommended) return withinModel;
  return (model === 'current' ? 0 : 0.5) + withinModel / 2;
}

export function progressText(progress: ProbeProgress, model: MeasuredModel, withRecommended: boolean): string {
  const what = { build: 'sampling weights', forward: 'forward pass', backward: 'backward pass', lsuv: 'LSUV' }[progress.phase];
  const whose = withRecommended ? `${model === 'current' ? 'Current' : 'Recommended'} model: ` : '';
  const draw = (progress.draws ?? 1) > 1 ? `draw ${(progress.draw ?? 0) + 1} of ${progress.draws}, ` : '';
  return `${whose}${draw}${what}, layer ${progress.layer + 1} of ${progress.layers}`;
}

/**
 * The scales the host can write as fan_in VarianceScaling initializers. A constant kernel was calibrated from
 * a random start (src/probe/lsuv.ts): its scale replaces the constant, with a note. A layer whose measured
 * variance stays 0 (no signal reaches it) or is not finite has no usable scale: it is left out with a note, as
 * the host refuses a non-positive scale.
 */
export function lsuvScales(result: LsuvResult): { scales: PanelLsuvScale[]; notes: string[] } {
  const scales: PanelLsuvScale[] = [];
  const notes: string[] = [];
  for (const scale of result.scales) {
    if (Number.isFinite(scale.fanInScale) && scale.fanInScale > 0) {
      scales.push({ index: scale.index, fanInScale: scale.fanInScale, converged: scale.converged });
      if (scale.replacedConstant) notes.push(`layer ${scale.index + 1} (${scale.className}): its kernel is constant, which no scale can fix; calibrated from a random fan_in normal instead, so the written initializer replaces the constant`);
    } else {
      notes.push(`layer ${scale.index + 1} (${scale.className}): no scale makes Var(z) = 1 (its output variance is ${scale.variance}); change its initializer instead`);
    }
  }
  for (const skipped of result.skipped) notes.push(`layer ${skipped.index + 1} (${skipped.className}): ${skipped.reason}`);
  return { scales, notes };
}

/** A failure as the panel says it; the probe's own errors already explain themselves. */
export function failureMessage(error: unknown): string {
  if (!(error instanceof Error)) return sentence(`The probe failed: ${String(error)}`);
  switch (error.name) {
    case 'AbortError':
      return 'Cancelled.';
    case 'ProbeRefusedError':
    case 'UnsupportedLayerError':
      return sentence(error.message);
    default:
      return sentence(`The probe failed: ${error.message}`);
  }
}

export function isCancellation(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** A message as a sentence: capitalized and ending in a full stop (the panel may add another sentence after it). */
function sentence(text: string): string {
  const trimmed = text.trim();
  return `${trimmed.charAt(0).toUpperCase()}${trimmed.slice(1)}${/[.!?]$/.test(trimmed) ? '' : '.'}`;
}
