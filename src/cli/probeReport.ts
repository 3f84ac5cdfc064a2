/**
 * `initlint report --probe`: measures every model of the file with the TensorFlow.js probe (loaded only
 * when asked, so plain reports never load tfjs) and hands the report its per-layer measurements.
 */
import type { Model } from '../core/model';
import { runProbe, type ProbeResult } from '../probe/engine';
import { useNodeBackend, type BackendPreference } from '../probe/nodeBackend';

export interface ProbeRequest {
  backend: BackendPreference;
  batch?: number;
  seed?: number;
}

/** Per model, in order: its measurement, or why the probe could not run on it (the prediction still shows). */
export type ModelMeasurement = { result: ProbeResult } | { error: string };

export async function measureModels(models: Model[], request: ProbeRequest): Promise<{ backend: string; measurements: ModelMeasurement[] }> {
  const backend = await useNodeBackend(request.backend);
  const measurements: ModelMeasurement[] = [];
  for (const model of models) {
    try {
      measurements.push({ result: await runProbe(model, { batch: request.batch, seed: request.seed }) });
    } catch (error) {
      measurements.push({ error: (error as Error).message });
    }
  }
  return { backend, measurements };
}
