/**
 * `initlint report --probe`: measures every model of the file with the TensorFlow.js probe (loaded only
 * when asked, so plain reports never load tfjs) over several weight draws, and hands the report its
 * per-layer measurements; progress goes to the caller (stderr) after each draw.
 */
import type { Model } from '../core/model';
import { runProbe, type ProbeResult } from '../probe/engine';
import { useNodeBackend, type BackendPreference } from '../probe/nodeBackend';

export interface ProbeRequest {
  backend: BackendPreference;
  batch?: number;
  seed?: number;
  /** Independent weight draws per model (the CLI's default is DEFAULT_DRAWS). */
  draws?: number;
}

/** One draw is one sample of a finite-width network: eight give a mean and a 10–90% band. */
export const DEFAULT_DRAWS = 8;

/** Per model, in order: its measurement, or why the probe could not run on it (the prediction still shows). */
export type ModelMeasurement = { result: ProbeResult } | { error: string };

export async function measureModels(
  models: Model[], request: ProbeRequest, progress: (text: string) => void = () => undefined,
): Promise<{ backend: string; measurements: ModelMeasurement[] }> {
  const backend = await useNodeBackend(request.backend);
  const draws = request.draws ?? DEFAULT_DRAWS;
  const measurements: ModelMeasurement[] = [];
  for (const model of models) {
    let started = Date.now();
    try {
      const result = await runProbe(model, {
        batch: request.batch, seed: request.seed, draws,
        onProgress: ({ draw = 0, phase, layer }) => {
          // The last layer's backward step is where a draw ends: report the one before it as done.
          if (draw > 0 && phase === 'build' && layer === 0) {
            progress(`initlint: probe of ${model.name} on ${backend}: draw ${draw} of ${draws} measured (${((Date.now() - started) / 1000).toFixed(1)} s)`);
            started = Date.now();
          }
        },
      });
      progress(`initlint: probe of ${model.name} on ${backend}: draw ${draws} of ${draws} measured (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      measurements.push({ result });
    } catch (error) {
      measurements.push({ error: (error as Error).message });
    }
  }
  return { backend, measurements };
}
