/**
 * What a run shares: choosing the batch under the memory budget, sampling every weight, the input batch,
 * cooperative pauses (progress, cancellation) and an owner that disposes every tensor a run keeps.
 */
import * as tf from './tf';
import { consumesModelInput, estimateBytes, type ModelPlan } from './modelPlan';
import { product } from './plan';
import { fillNormal, SeededRandom } from './random';
import { sampleWeights } from './sampling';

export interface ProbeProgress {
  phase: 'build' | 'forward' | 'backward' | 'lsuv';
  /** Layer index (0-based) being worked on, and the number of layers. */
  layer: number;
  layers: number;
  /** Which weight draw (0-based) of how many; absent for one-draw work (LSUV). */
  draw?: number;
  draws?: number;
}

export interface RunControl {
  signal?: AbortSignal;
  onProgress?: (progress: ProbeProgress) => void;
}

/** A user's input sample: rows along the first axis, each the size of one model input. */
export interface InputSample {
  values: Float32Array;
  shape: number[];
}

export class ProbeCancelledError extends Error {
  constructor() {
    super('the probe was cancelled');
    this.name = 'AbortError';
  }
}

/** The probe will not run: the memory it needs is over budget even at the smallest batch. */
export class ProbeRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProbeRefusedError';
  }
}

export const DEFAULT_MEMORY_BUDGET = 512 * 2 ** 20;
const MINIMUM_BATCH = 8;
/** Yield to the event loop at least this often, so an abort (or a UI) gets through within a second. */
const YIELD_EVERY_MS = 40;

const mebibytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** The requested batch if it fits the budget, else the largest that does (halving), else a refusal saying why. */
export function chooseBatch(plan: ModelPlan, requested: number, budget: number): { batch: number; estimatedBytes: number; note?: string } {
  let batch = Math.max(1, Math.floor(requested));
  const floor = Math.min(batch, MINIMUM_BATCH);
  while (estimateBytes(plan, batch) > budget && batch > floor) batch = Math.max(floor, Math.floor(batch / 2));
  const estimatedBytes = estimateBytes(plan, batch);
  if (estimatedBytes > budget) {
    throw new ProbeRefusedError(
      `the probe needs about ${mebibytes(estimatedBytes)} at batch ${batch} (${(plan.parameterCount / 1e6).toFixed(1)}M parameters, ` +
      `${(plan.activationFloatsPerSample / 1e6).toFixed(1)}M activations per sample), over the ${mebibytes(budget)} budget; ` +
      'raise the memory budget or probe a smaller model. The analytic prediction still applies.',
    );
  }
  const note = batch < requested ? `batch reduced from ${requested} to ${batch} to stay within the ${mebibytes(budget)} memory budget` : undefined;
  return { batch, estimatedBytes, note };
}

/** Tensors a run keeps across layers: released one by one, or all at once when the run ends or fails. */
export class TensorOwner {
  private readonly owned = new Set<tf.Tensor>();

  keep<T extends tf.Tensor>(tensor: T): T {
    this.owned.add(tf.keep(tensor));
    return tensor;
  }

  release(tensor: tf.Tensor | undefined): void {
    if (!tensor || !this.owned.delete(tensor)) return;
    tensor.dispose();
  }

  disposeAll(): void {
    for (const tensor of this.owned) tensor.dispose();
    this.owned.clear();
  }
}

/** Checks for cancellation and yields to the event loop when the last yield is older than YIELD_EVERY_MS. */
export function pauser(control: RunControl): (progress: ProbeProgress) => Promise<void> {
  let lastYield = Date.now();
  return async (progress) => {
    if (control.signal?.aborted) throw new ProbeCancelledError();
    control.onProgress?.(progress);
    if (Date.now() - lastYield >= YIELD_EVERY_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      lastYield = Date.now();
      if (control.signal?.aborted) throw new ProbeCancelledError();
    }
  };
}

/**
 * Host-side buffers of every weight, kept across a run's draws: each draw samples into the same memory
 * rather than allocating the model's size again. A buffer is only refilled once the tensors made from it
 * are disposed (the CPU backend keeps the array it is given).
 */
export class WeightBuffers {
  private readonly buffers = new Map<string, Float32Array>();

  of(layer: number, weight: number, size: number): Float32Array {
    const key = `${layer}:${weight}`;
    let buffer = this.buffers.get(key);
    if (!buffer || buffer.length !== size) this.buffers.set(key, (buffer = new Float32Array(size)));
    return buffer;
  }
}

/**
 * Samples every layer's weights from the run's seed: one derived stream per layer, so layers are independent.
 * `buffers`: reuse the host memory of an earlier draw (disposed by now).
 */
export async function buildWeights(plan: ModelPlan, seed: number, owner: TensorOwner, pause: ReturnType<typeof pauser>, buffers?: WeightBuffers): Promise<tf.Tensor[][]> {
  const weights: tf.Tensor[][] = [];
  for (const layerPlan of plan.layers) {
    await pause({ phase: 'build', layer: layerPlan.layer.index, layers: plan.layers.length });
    const random = new SeededRandom(seed).fork(1000 + layerPlan.layer.index);
    weights.push(layerPlan.weights.map((spec, k) => {
      const values = sampleWeights(spec.sampling, spec.shape, random, buffers?.of(layerPlan.layer.index, k, product(spec.shape)));
      if (spec.overwrite) values.fill(spec.overwrite[2], spec.overwrite[0], spec.overwrite[0] + spec.overwrite[1]);
      return owner.keep(tf.tensor(values, spec.shape, 'float32'));
    }));
  }
  return weights;
}

/**
 * One batch per model input: N(0,1), integer ids for an input an Embedding reads, or the first `batch` rows
 * of the user's sample (a one-input model only: a sample is one array).
 */
export function buildInputs(plan: ModelPlan, batch: number, seed: number, owner: TensorOwner, sample?: InputSample): tf.Tensor[] {
  if (sample) {
    if (plan.inputs.length > 1) throw new Error(`the input sample is one array, and this model has ${plan.inputs.length} inputs: run without a sample`);
    const rowSize = product(sample.shape.slice(1));
    if (rowSize !== product(plan.inputShape)) {
      throw new Error(`the input sample's rows hold ${rowSize} values, the model input [${plan.inputShape.join(', ')}] needs ${product(plan.inputShape)}`);
    }
    const rows = Math.min(batch, sample.shape[0]);
    return [owner.keep(tf.tensor(sample.values.subarray(0, rows * rowSize), [rows, ...plan.inputShape], 'float32'))];
  }
  return plan.inputs.map((input, k) => {
    const shape = [batch, ...input.shape];
    const size = product(shape);
    // The first input keeps the stream it always had: one-input runs measure what they did before.
    const random = new SeededRandom(seed).fork(k === 0 ? 1 : 3 + 200000 + k);
    if (input.integer) {
      const vocabulary = plan.layers.find((layer) => layer.integerInput && consumesModelInput(layer.layer, k))?.weights[0].shape[0] ?? 1;
      const ids = new Int32Array(size);
      for (let i = 0; i < size; i++) ids[i] = Math.floor(random.next() * vocabulary);
      return owner.keep(tf.tensor(ids, shape, 'int32'));
    }
    return owner.keep(tf.tensor(fillNormal(random, size, 0, 1, false), shape, 'float32'));
  });
}

/** The r of L = Σ y ⊙ r for an output of this shape, seeded per output layer. */
export function lossWeights(shape: number[], seed: number, outputIndex: number, owner: TensorOwner): tf.Tensor {
  const random = new SeededRandom(seed).fork(2 + 100000 + outputIndex);
  return owner.keep(tf.tensor(fillNormal(random, product(shape), 0, 1, false), shape, 'float32'));
}
