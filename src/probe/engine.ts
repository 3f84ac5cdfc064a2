/**
 * The probe: builds a model from the IR in TensorFlow.js with weights sampled as the source framework
 * would, runs one forward pass and one backward pass of L = Σ y ⊙ r (y: the output layer's
 * pre-activations, r ~ N(0,1)), and measures per layer what propagation.ts predicts: the mean square of z
 * (`forward`) and of ∂L/∂z (`backward`), plus dead and saturated fractions and the weight-gradient norm.
 * With `draws` > 1 it does so for independent weight draws and reports their mean and spread: one draw of a
 * finite-width network is one sample of a random quantity (SCIENCE.md §6). The plan, the input batch, the
 * loss weights and the weights' host buffers are made once and reused by every draw.
 * Layer by layer, pausing between layers for progress and cancellation; every tensor is disposed.
 * Runs on whatever tfjs backend is active (see nodeBackend.ts for Node).
 */
import * as tf from './tf';
import { consumersOf } from '../core/propagation';
import { modelInputIndex } from '../core/ir';
import type { Layer, Model } from '../core/model';
import { activationBackward, applyActivation, inactiveStatistics } from './activations';
import {
  buildInputs, buildWeights, chooseBatch, DEFAULT_MEMORY_BUDGET, lossWeights, pauser, TensorOwner, WeightBuffers,
  type InputSample, type ProbeProgress, type RunControl,
} from './build';
import { planModel, type ModelPlan } from './modelPlan';
import type { LayerPlan } from './plan';
import { drawSeed, spreadOf, type Spread } from './spread';

export interface ProbeOptions extends RunControl {
  /** Requested batch size (default 128); reduced to fit `memoryBudgetBytes`. */
  batch?: number;
  seed?: number;
  /**
   * Independent weight draws (default 1). Draw k samples the weights from `drawSeed(seed, k)` (draw 0 from
   * `seed` itself); the input batch and the loss weights are those of `seed` for every draw.
   */
  draws?: number;
  /** Default 512 MiB. */
  memoryBudgetBytes?: number;
  sample?: InputSample;
}

/** The spread over draws of what the panel and the report show. */
export interface LayerSpread {
  forward: Spread;
  backward: Spread;
  deadFraction: Spread;
  saturatedFraction: Spread;
}

/** One layer's measurements: the mean over draws (the value itself for one draw), and their spread. */
export interface MeasuredLayer {
  index: number;
  kind: string;
  className: string;
  /** Mean square of the pre-activations z (an RNN: its candidate's, over all steps). */
  forward: number;
  /** Mean square of the layer's output φ(z) (propagation.ts's outMoment). */
  outputMoment: number;
  /** Mean square of ∂L/∂z. */
  backward: number;
  /** Units never active over the batch (ReLU-like activations). */
  deadFraction: number;
  /** Values with |φ'(z)| < 0.01 (tanh/sigmoid-like activations). */
  saturatedFraction: number;
  /** ‖∂L/∂W‖ over the layer's weights; null for layers without weights. */
  weightGradientNorm: number | null;
  spread: LayerSpread;
}

export interface ProbeResult {
  model: string;
  backend: string;
  batch: number;
  seed: number;
  /** Weight draws measured; `seeds[k]` sampled draw k. */
  draws: number;
  seeds: number[];
  inputShape: number[];
  inputShapeAssumed: boolean;
  estimatedBytes: number;
  parameterCount: number;
  /** Forward multiply–adds ×2 per sample; a forward+backward pass is about three times that. */
  flopsPerSample: number;
  /** Sampling and passes summed over draws, and each draw's whole time (sampling + pass + readback). */
  timings: { buildMs: number; passMs: number; drawMs: number[] };
  layers: MeasuredLayer[];
  notes: string[];
}

const STATISTICS_PER_LAYER = 6;

export async function runProbe(model: Model, options: ProbeOptions = {}): Promise<ProbeResult> {
  const plan = planModel(model);
  const seed = options.seed ?? 0;
  const draws = Math.max(1, Math.floor(options.draws ?? 1));
  const requested = options.sample ? Math.min(options.batch ?? options.sample.shape[0], options.sample.shape[0]) : options.batch ?? 128;
  const { batch: chosen, estimatedBytes, note } = chooseBatch(plan, requested, options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET);
  const notes = note ? [note] : [];
  if (plan.inputShapeAssumed) notes.push(`input shape assumed: [${plan.inputShape.join(', ')}]`);
  for (const layer of model.layers) if (layer.activation.spec.id === 'other') notes.push(`layer ${layer.index + 1}: custom activation measured as the identity`);
  const addNote = (text: string) => {
    if (!notes.includes(text)) notes.push(text);
  };

  const runOwner = new TensorOwner();
  const pause = pauser(options);
  const buffers = new WeightBuffers();
  const seeds = Array.from({ length: draws }, (_, draw) => drawSeed(seed, draw));
  const perDraw: Float32Array[] = [];
  const timings = { buildMs: 0, passMs: 0, drawMs: [] as number[] };
  try {
    const inputs = buildInputs(plan, chosen, seed, runOwner, options.sample);
    for (let draw = 0; draw < draws; draw++) {
      const pauseDraw = (progress: ProbeProgress) => pause({ ...progress, draw, draws });
      const owner = new TensorOwner();
      try {
        const start = now();
        const weights = await buildWeights(plan, seeds[draw], owner, pauseDraw, buffers);
        const built = now();
        const statistics = await measure(plan, weights, inputs, seed, owner, pauseDraw, addNote);
        const stacked = tf.stack(statistics);
        perDraw.push((await stacked.data()) as Float32Array);
        stacked.dispose();
        const end = now();
        timings.buildMs += built - start;
        timings.passMs += end - built;
        timings.drawMs.push(end - start);
      } finally {
        owner.disposeAll();
      }
    }
    return {
      model: model.name,
      backend: tf.getBackend(),
      batch: inputs[0].shape[0],
      seed,
      draws,
      seeds,
      inputShape: plan.inputShape,
      inputShapeAssumed: plan.inputShapeAssumed,
      estimatedBytes,
      parameterCount: plan.parameterCount,
      flopsPerSample: plan.flopsPerSample,
      timings,
      layers: plan.layers.map(({ layer, weights }, i) => {
        const over = (k: number) => perDraw.map((values) => values[i * STATISTICS_PER_LAYER + k]);
        const spread: LayerSpread = { forward: spreadOf(over(0)), backward: spreadOf(over(1)), deadFraction: spreadOf(over(2)), saturatedFraction: spreadOf(over(3)) };
        return {
          index: layer.index, kind: layer.kind, className: layer.className,
          forward: spread.forward.mean, backward: spread.backward.mean, deadFraction: spread.deadFraction.mean, saturatedFraction: spread.saturatedFraction.mean,
          weightGradientNorm: weights.length ? spreadOf(over(4)).mean : null, outputMoment: spreadOf(over(5)).mean,
          spread,
        };
      }),
      notes,
    };
  } finally {
    runOwner.disposeAll();
  }
}

/** The tensors a layer reads: earlier layers' outputs and model inputs (`modelInput(k)`), or the first model input. */
export function layerInputs(layer: Layer, outputs: tf.Tensor[], modelInputs: tf.Tensor[]): tf.Tensor[] {
  return layer.inputs.length ? layer.inputs.map((i) => (i < 0 ? modelInputs[modelInputIndex(i)] : outputs[i])) : [modelInputs[0]];
}

/** One layer's forward: z (for statistics and the backward pass) and its output. */
export function forwardLayer(layerPlan: LayerPlan, inputs: tf.Tensor[], weights: tf.Tensor[], owner: TensorOwner): { z: tf.Tensor; output: tf.Tensor } {
  if (!layerPlan.recurrent) {
    const z = owner.keep(tf.tidy(() => layerPlan.compute(inputs, weights, (t) => t)));
    return { z, output: owner.keep(tf.tidy(() => applyActivation(layerPlan.layer.activation.spec, z))) };
  }
  const steps: tf.Tensor[] = [];
  const output = owner.keep(tf.tidy(() => layerPlan.compute(inputs, weights, (t) => {
    steps.push(tf.keep(t.clone()));
    return t;
  })));
  const z = owner.keep(tf.concat(steps, 0));
  steps.forEach((step) => step.dispose());
  return { z, output };
}

/** Forward then backward, layer by layer; returns per layer [forward, backward, dead, saturated, ‖∂W‖, output moment] scalars. */
async function measure(
  plan: ModelPlan, weights: tf.Tensor[][], modelInputs: tf.Tensor[], seed: number, owner: TensorOwner, pause: ReturnType<typeof pauser>, note: (text: string) => void,
): Promise<tf.Tensor[]> {
  const count = plan.layers.length;
  const batch = modelInputs[0].shape[0];
  const inputsOf = (layerPlan: LayerPlan) => layerInputs(layerPlan.layer, outputs, modelInputs);
  const zs: tf.Tensor[] = [];
  const outputs: tf.Tensor[] = [];
  const forwardStatistics: tf.Tensor[][] = [];
  for (const layerPlan of plan.layers) {
    await pause({ phase: 'forward', layer: layerPlan.layer.index, layers: count });
    const { z, output } = forwardLayer(layerPlan, inputsOf(layerPlan), weights[layerPlan.layer.index], owner);
    zs.push(z);
    outputs.push(output);
    forwardStatistics.push(tf.tidy(() => {
      const { dead, saturated } = inactiveStatistics(layerPlan.layer.activation.spec, z);
      return [tf.mean(tf.square(z)), dead, saturated, tf.mean(tf.square(output))].map((t) => owner.keep(t));
    }));
  }

  const consumers = consumersOf(plan.layers.map((p) => p.layer));
  const outputGradients: (tf.Tensor | undefined)[] = [];
  const backwardStatistics: tf.Tensor[][] = [];
  for (let index = count - 1; index >= 0; index--) {
    await pause({ phase: 'backward', layer: index, layers: count });
    const layerPlan = plan.layers[index];
    const isOutput = consumers[index].length === 0;
    const dOutput = isOutput ? lossWeights([batch, ...layerPlan.outputShape], seed, index, owner) : outputGradients[index];
    const backward = () => tf.tidy(() => backwardLayer(layerPlan, inputsOf(layerPlan), weights[index], zs[index], dOutput, isOutput) as unknown as tf.TensorContainer) as unknown as LayerGradients;
    const { dz, inputGradients, weightGradients } = await withKernelFallback(backward, (missing) =>
      note(`layer ${index + 1} (${layerPlan.layer.className}): backward pass on the cpu backend (${missing})`));
    layerPlan.layer.inputs.forEach((source, k) => {
      const gradient = inputGradients[k];
      // A model input's gradient is not measured.
      if (!gradient || source < 0) return;
      const previous = outputGradients[source];
      outputGradients[source] = owner.keep(previous ? tf.add(previous, gradient) : gradient.clone());
      owner.release(previous);
    });
    backwardStatistics[index] = tf.tidy(() => [
      tf.mean(tf.square(dz)),
      weightGradients.length ? tf.sqrt(tf.addN(weightGradients.map((g: tf.Tensor) => tf.sum(tf.square(g))))) : tf.scalar(0),
    ].map((t) => owner.keep(t)));
    tf.dispose([dz, ...inputGradients, ...weightGradients]);
    // Consumers come later in the list: once this layer is done, nothing needs its tensors any more.
    for (const tensor of [zs[index], outputs[index], dOutput, outputGradients[index]]) owner.release(tensor);
  }
  return plan.layers.map((_, i) => {
    const [forward, dead, saturated, outputMoment] = forwardStatistics[i];
    const [backward, weightNorm] = backwardStatistics[i];
    return [forward, backward, dead, saturated, weightNorm, outputMoment];
  }).flat();
}

interface LayerGradients { dz: tf.Tensor; inputGradients: (tf.Tensor | undefined)[]; weightGradients: tf.Tensor[] }

/**
 * ∂L/∂z from ∂L/∂(output) through φ' (the output layer's own z is y, so its ∂L/∂z is r), then the linear
 * part: hand-written where the plan has one, else by differentiating the layer's recomputed z.
 * Recurrent layers are differentiated as a whole; their taps catch ∂L/∂z of every step.
 */
function backwardLayer(layerPlan: LayerPlan, inputs: tf.Tensor[], weights: tf.Tensor[], z: tf.Tensor, dOutput: tf.Tensor | undefined, isOutput: boolean): LayerGradients {
  const needsInputGradient = layerPlan.layer.inputs.length > 0;
  if (!dOutput) return { dz: tf.zerosLike(z), inputGradients: [], weightGradients: weights.map((w) => tf.zerosLike(w)) };
  if (layerPlan.recurrent) {
    const captured: tf.Tensor[] = [];
    const capture = tf.customGrad(((t: tf.Tensor) => ({
      value: t.clone(),
      gradFunc: (dy: tf.Tensor) => {
        captured.push(tf.keep(dy.clone()));
        return dy;
      },
    })) as unknown as Parameters<typeof tf.customGrad>[0]);
    try {
      const gradients = differentiate(layerPlan, inputs, weights, dOutput, needsInputGradient, (t) => capture(t));
      // Backpropagation visits the steps last to first.
      return { dz: tf.concat(captured.reverse(), 0), ...gradients };
    } finally {
      captured.forEach((t) => t.dispose());
    }
  }
  const dz = isOutput ? dOutput.clone() : activationBackward(layerPlan.layer.activation.spec, z, dOutput);
  if (layerPlan.linearBackward) {
    const { inputGradients, weightGradients } = tf.tidy(() => {
      const result = layerPlan.linearBackward!(inputs, weights, dz);
      return { inputGradients: result.inputGradients, weightGradients: result.weightGradients };
    });
    return { dz, inputGradients: needsInputGradient ? inputGradients : (tf.dispose(inputGradients), []), weightGradients };
  }
  return { dz, ...differentiate(layerPlan, inputs, weights, dz, needsInputGradient, (t) => t) };
}

/** Vector–Jacobian product of the layer's compute with `cotangent`, for its float inputs and its weights. */
function differentiate(layerPlan: LayerPlan, inputs: tf.Tensor[], weights: tf.Tensor[], cotangent: tf.Tensor, withInputs: boolean, tap: (t: tf.Tensor) => tf.Tensor): Omit<LayerGradients, 'dz'> {
  const differentiable = withInputs && !layerPlan.integerInput ? inputs : [];
  if (!differentiable.length && !weights.length) return { inputGradients: [], weightGradients: [] };
  const gradients = tf.grads((...xs: tf.Tensor[]) => {
    const layerInputs = differentiable.length ? xs.slice(0, differentiable.length) : inputs;
    return tf.sum(tf.mul(layerPlan.compute(layerInputs, xs.slice(differentiable.length), tap), cotangent));
  })([...differentiable, ...weights]);
  return { inputGradients: gradients.slice(0, differentiable.length), weightGradients: gradients.slice(differentiable.length) };
}

/**
 * Runs on the CPU backend what the active one has no kernel for (tfjs-backend-wasm 4.22 lacks
 * Conv2DBackpropFilter, the depthwise backprops and UnsortedSegmentSum); tensors move between backends.
 */
async function withKernelFallback<T>(run: () => T, onFallback: (missing: string) => void): Promise<T> {
  try {
    return run();
  } catch (error) {
    const missing = /Kernel '(\w+)' not registered/.exec((error as Error).message)?.[1];
    const previous = tf.getBackend();
    if (!missing || previous === 'cpu') throw error;
    onFallback(`no ${missing} kernel on ${previous}`);
    await tf.setBackend('cpu');
    try {
      return run();
    } finally {
      await tf.setBackend(previous);
    }
  }
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
