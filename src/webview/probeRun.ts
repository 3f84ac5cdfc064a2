/** The panel's measurements: the probe on the current and the recommended model, and LSUV, on the started backend. */
import { runLsuv, runProbe, type LsuvResult, type ProbeProgress, type ProbeResult } from '../probe';
import type { PanelModel, ProbeSettings } from '../protocol/panel';
import type { ActiveBackend } from './backend';
import { assembleMeasurements, failureMessage, isCancellation, type MeasuredModel, type PanelMeasurements } from './results';

export interface RunControl {
  signal: AbortSignal;
  onProgress: (progress: ProbeProgress, model: MeasuredModel) => void;
}

const MIB = 2 ** 20;

function probeOptions(settings: ProbeSettings, control: RunControl, model: MeasuredModel) {
  return {
    batch: settings.batch,
    seed: settings.seed,
    draws: settings.draws,
    memoryBudgetBytes: settings.memoryBudgetMiB * MIB,
    signal: control.signal,
    onProgress: (progress: ProbeProgress) => control.onProgress(progress, model),
  };
}

/**
 * Measures the current model, then the recommended one. A failure of the current model fails the run; a
 * failure of the recommended one only leaves it unmeasured (cancellation still cancels the run).
 */
export async function measurePanel(panel: PanelModel, settings: ProbeSettings, backend: ActiveBackend, control: RunControl): Promise<PanelMeasurements> {
  const start = performance.now();
  const current = await runProbe(panel.model, probeOptions(settings, control, 'current'));
  let recommended: ProbeResult | undefined;
  let recommendedFailure: string | undefined;
  if (panel.recommended) {
    try {
      recommended = await runProbe(panel.recommended.model, probeOptions(settings, control, 'recommended'));
    } catch (error) {
      if (isCancellation(error)) throw error;
      recommendedFailure = failureMessage(error);
    }
  }
  return assembleMeasurements({
    backend: current.backend, renderer: backend.renderer, settings, totalMs: performance.now() - start,
    current, recommended, recommendedFailure, backendNotes: backend.notes,
  });
}

/** LSUV on the current model, with the run's batch, seed and memory budget. */
export async function measureLsuv(panel: PanelModel, settings: ProbeSettings, tolerance: number, control: RunControl): Promise<LsuvResult> {
  return runLsuv(panel.model, { ...probeOptions(settings, control, 'current'), tolerance });
}
