/**
 * LSUV (Mishkin & Matas 2016, "All you need is a good init"): on one batch, per kernel layer in order,
 * divide the layer's main kernel by √Var(z) until |Var(z) − 1| < tol. Starts from the weights the source
 * framework samples (not an orthonormal pre-init) so the scales read as corrections to the written code.
 *
 * A constant kernel (`zeros`, `ones`, `constant`) is the one start LSUV cannot correct: rescaling keeps
 * every unit identical (and zeros stay zeros). Such a kernel is drawn from a random fan_in normal instead,
 * as the paper's pre-init would, and calibrated from there: the scale written back replaces the constant.
 */
import type { Model } from '../core/model';
import { buildInputs, buildWeights, chooseBatch, DEFAULT_MEMORY_BUDGET, pauser, TensorOwner, type InputSample, type RunControl } from './build';
import { forwardLayer, layerInputs } from './engine';
import { planModel } from './modelPlan';
import { product } from './plan';
import { SeededRandom } from './random';
import { sampleWeights } from './sampling';
import * as tf from './tf';

export interface LsuvOptions extends RunControl {
  batch?: number;
  seed?: number;
  /** Default 0.05 (the reference code uses 0.02–0.1). */
  tolerance?: number;
  /** Default 10. */
  maxIterations?: number;
  memoryBudgetBytes?: number;
  sample?: InputSample;
}

export interface LsuvScale {
  index: number;
  className: string;
  /** The factor the layer's sampled kernel was multiplied by. */
  multiplier: number;
  /** The kernel variance that gives Var(z) ≈ 1: multiplier² × the sampled kernel's variance. */
  weightVariance: number;
  /**
   * `scale` of a fan_in VarianceScaling whose variance is exactly `weightVariance` (uniform, or Keras's
   * corrected truncated normal); tfjs's uncorrected truncated normal needs it divided by 0.7737.
   */
  fanInScale: number;
  iterations: number;
  /** Var(z) after the last rescale. */
  variance: number;
  converged: boolean;
  /** The source's kernel was constant: LSUV started from a random fan_in normal instead (see above). */
  replacedConstant: boolean;
}

export interface LsuvResult {
  backend: string;
  batch: number;
  scales: LsuvScale[];
  /** Kernel layers LSUV leaves alone (recurrent ones), with the reason. */
  skipped: { index: number; className: string; reason: string }[];
}

export async function runLsuv(model: Model, options: LsuvOptions = {}): Promise<LsuvResult> {
  const plan = planModel(model);
  const seed = options.seed ?? 0;
  const tolerance = options.tolerance ?? 0.05;
  const maxIterations = options.maxIterations ?? 10;
  const { batch } = chooseBatch(plan, options.batch ?? 128, options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET);
  const owner = new TensorOwner();
  const pause = pauser(options);
  const scales: LsuvScale[] = [];
  const skipped: LsuvResult['skipped'] = [];
  try {
    const weights = await buildWeights(plan, seed, owner, pause);
    const modelInputs = buildInputs(plan, batch, seed, owner, options.sample);
    const outputs: tf.Tensor[] = [];
    for (const layerPlan of plan.layers) {
      const { layer } = layerPlan;
      await pause({ phase: 'lsuv', layer: layer.index, layers: plan.layers.length });
      const inputs = layerInputs(layer, outputs, modelInputs);
      const kernelIndex = layerPlan.weights.findIndex((w) => w.isMainKernel);
      const layerWeights = weights[layer.index];
      const rescalable = layer.kernel && !layerPlan.recurrent && kernelIndex >= 0;
      if (layer.kernel && !rescalable) skipped.push({ index: layer.index, className: layer.className, reason: 'recurrent layers are not rescaled' });
      let multiplier = 1;
      let iterations = 0;
      let variance = NaN;
      const replacedConstant = rescalable && (await isConstant(layerWeights[kernelIndex]));
      if (replacedConstant) {
        const spec = layerPlan.weights[kernelIndex];
        const random = new SeededRandom(seed).fork(2000 + layer.index);
        const drawn = owner.keep(tf.tensor(sampleWeights(PRE_INIT, spec.shape, random), spec.shape, 'float32'));
        owner.release(layerWeights[kernelIndex]);
        layerWeights[kernelIndex] = drawn;
      }
      while (rescalable) {
        variance = await varianceOf(tf.tidy(() => layerPlan.compute(inputs, layerWeights, (t) => t)));
        if (Math.abs(variance - 1) < tolerance || iterations >= maxIterations || !(variance > 0)) break;
        const factor = 1 / Math.sqrt(variance);
        const rescaled = owner.keep(tf.mul(layerWeights[kernelIndex], factor));
        owner.release(layerWeights[kernelIndex]);
        layerWeights[kernelIndex] = rescaled;
        multiplier *= factor;
        iterations++;
        await pause({ phase: 'lsuv', layer: layer.index, layers: plan.layers.length });
      }
      if (rescalable) {
        const spec = layerPlan.weights[kernelIndex];
        const sampledVariance = await varianceOf(tf.div(layerWeights[kernelIndex], multiplier));
        const fanIn = product(spec.shape.slice(0, -1));
        const weightVariance = multiplier ** 2 * sampledVariance;
        scales.push({
          index: layer.index, className: layer.className, multiplier, weightVariance, fanInScale: weightVariance * fanIn,
          iterations, variance, converged: Math.abs(variance - 1) < tolerance, replacedConstant,
        });
      }
      const { z, output } = forwardLayer(layerPlan, inputs, layerWeights, owner);
      owner.release(z);
      outputs.push(output);
    }
    return { backend: tf.getBackend(), batch: modelInputs[0].shape[0], scales, skipped };
  } finally {
    owner.disposeAll();
  }
}

/** LSUV's start for a constant kernel: Var(W) = 1/fan_in, a normal (the paper starts from an orthonormal matrix). */
const PRE_INIT = { kind: 'varianceScaling', scale: 1, mode: 'fanIn', sampler: 'normal' } as const;

/** No spread at all: every unit of the layer computes the same function. */
async function isConstant(kernel: tf.Tensor): Promise<boolean> {
  const spread = tf.tidy(() => tf.sub(tf.max(kernel), tf.min(kernel)));
  const [value] = await spread.data();
  spread.dispose();
  return value === 0;
}

/** Var of all values of a tensor (disposed here). */
async function varianceOf(tensor: tf.Tensor): Promise<number> {
  const variance = tf.tidy(() => tf.moments(tensor).variance);
  tensor.dispose();
  const [value] = await variance.data();
  variance.dispose();
  return value;
}
