/**
 * Mean-field propagation of moments through a model at initialization (SCIENCE.md §1, extended as
 * docs/rules/README.md "How the numbers are computed" derives).
 *
 * Forward, per layer: the second moment of its input signal `inMoment`, of its pre-activation
 * `q = c · inMoment` (c = fan_in·Var(W) for kernels, counting only the window taps on real inputs), its mean
 * (nonzero after an Add or Concatenate of post-activation tensors), and of its output
 * `outMoment = E[φ(z)²]`, z ~ N(mean, q − mean²). Backward, from `L = Σ y ⊙ r` (output g = 1):
 * `outGrad` = E[(∂L/∂output)²], `g` = E[(∂L/∂z)²] = outGrad · E[φ'(z)²], and `inGrad` = c' · g
 * (c' = fan_out·Var(W) times the windows reading each input); normalization divides by its input's
 * variance over what it normalizes. Recurrent layers: recurrentMoments.ts.
 * A layer's own gains say what its initializer and activation do to the signal: forward
 * outMoment / inMoment, backward inGrad / outGrad. He under ReLU: 1 and 1.
 */
import { inactiveFraction, shiftedMoments, type GaussianMoments } from './catalogue/activations';
import { NORMALIZATION_KINDS, RECURRENT_GATES } from './catalogue/layers';
import { mainRole, type InitializerRole, type Layer, type Model } from './model';
import {
  activationUnitMeans, combinedInput, combinedPositions, convInputSpatial, inputMean, modelInputShapes,
  outputGradientPositions, outputsLength, POSITION_KEEPING, type Signal,
} from './nodeSignals';
import { recurrentBackward, recurrentCell, recurrentForward, type RecurrentCell, type RecurrentForward, type RecurrentSteps } from './recurrentMoments';
import { initializerVariance, neutralVariance, writeKernelScales, type KernelScales } from './kernelScales';
import { atomsOf, composedGradientFactor, composedMoments, profileMean, skipAdd, skipProfile, type Atoms, type SkipAdd } from './residualGating';
import { axesOf, backwardAxis, forwardAxis, windowCoverage, type Axis, type WindowCoverage } from './windows';

export interface LayerMoments {
  inMoment: number;
  /** Predicted mean square of the pre-activations (the report's `forward`). */
  q: number;
  outMoment: number;
  outGrad: number;
  /** Predicted mean square of ∂L/∂z (the report's `backward`). */
  g: number;
  inGrad: number;
  /** c = fan_in·Var(W) (forward scale) and c' = fan_out·Var(W) (backward scale) of kernel layers. */
  forwardScale?: number;
  backwardScale?: number;
  /** Effective Var(W) of the layer's main kernel. */
  variance?: number;
  forwardGain: number;
  backwardGain: number;
  /** Fraction of units with φ' ≈ 0: dead ReLUs, saturated tanh/sigmoid. */
  inactiveFraction: number;
}

/**
 * Replaces a kernel layer's effective Var(W) (by role), e.g. to ask "what if this layer used He?".
 * Return undefined to keep the layer's own.
 */
export type VarianceOverride = (layer: Layer, role: InitializerRole) => number | undefined;

/**
 * Var(W) replacing some layers' main kernel, by layer index ("what if these layers used He?"): the rules'
 * replacements, copied and extended per rule, read through `override` without a lookup table per call.
 */
export class KernelVariances {
  private readonly variances: Float64Array;
  private readonly replaced: Uint8Array;
  private count = 0;
  /** A separable conv's second (pointwise) kernel, where it is replaced too: by layer index. */
  private pointwise = new Map<number, number>();

  constructor(readonly size: number) {
    this.variances = new Float64Array(size);
    this.replaced = new Uint8Array(size);
  }

  setPointwise(index: number, variance: number): void {
    if (!this.pointwise.has(index)) this.count++;
    this.pointwise.set(index, variance);
  }

  get empty(): boolean {
    return this.count === 0;
  }

  set(index: number, variance: number): void {
    if (!this.replaced[index]) this.count++;
    this.replaced[index] = 1;
    this.variances[index] = variance;
  }

  get(index: number): number | undefined {
    return this.replaced[index] ? this.variances[index] : undefined;
  }

  copy(): KernelVariances {
    const copy = new KernelVariances(this.size);
    copy.variances.set(this.variances);
    copy.replaced.set(this.replaced);
    copy.count = this.count;
    copy.pointwise = new Map(this.pointwise);
    return copy;
  }

  /** As a `VarianceOverride`: the main kernel of a replaced layer, and a separable conv's pointwise kernel. */
  readonly override: VarianceOverride = (layer, role) =>
    role === mainRole(layer) ? this.get(layer.index) : role === 'pointwise' ? this.pointwise.get(layer.index) : undefined;
}

/**
 * Every layer's moments as columns, one Float64Array per quantity: a propagation allocates no object per
 * layer, so the rules' what-if propagations (one per rule) stay cheap on 10,000-layer models.
 * `forwardScale`, `backwardScale` and `variance` are NaN where the layer has none. `mean` is the
 * pre-activation's mean (q is its second moment), `outMean` the output's.
 */
export class MomentTable {
  readonly inMoment: Float64Array;
  readonly q: Float64Array;
  readonly outMoment: Float64Array;
  readonly outGrad: Float64Array;
  readonly g: Float64Array;
  readonly inGrad: Float64Array;
  readonly forwardScale: Float64Array;
  readonly backwardScale: Float64Array;
  readonly variance: Float64Array;
  readonly forwardGain: Float64Array;
  readonly backwardGain: Float64Array;
  readonly mean: Float64Array;
  readonly outMean: Float64Array;

  constructor(readonly size: number) {
    // One buffer for the 13 columns: one allocation per propagation.
    const buffer = new Float64Array(size * 13);
    const column = (index: number) => buffer.subarray(index * size, (index + 1) * size);
    this.inMoment = column(0);
    this.q = column(1);
    this.outMoment = column(2);
    this.outGrad = column(3);
    this.g = column(4);
    this.inGrad = column(5);
    this.forwardScale = column(6);
    this.backwardScale = column(7);
    this.variance = column(8);
    this.forwardGain = column(9);
    this.backwardGain = column(10);
    this.mean = column(11);
    this.outMean = column(12);
  }
}

/** `fractions: false` skips the dead/saturated fractions (only the report shows them). */
export function propagate(model: Model, override?: VarianceOverride, options: { fractions?: boolean } = {}): LayerMoments[] {
  return layerMoments(model, propagateTable(model, consumersOf(model.layers), override), options.fractions ?? true);
}

/**
 * The recurrent mean-field of one cell and input, computed once per model: the rule pass propagates again
 * with other kernels elsewhere, and a recurrent layer whose own inputs did not change gives the same steps.
 */
const recurrentRuns = new WeakMap<Model, Map<string, { forward: RecurrentForward; steps: RecurrentSteps }>>();

function recurrentForwardOnce(model: Model, cell: RecurrentCell, inMoment: number): { forward: RecurrentForward; steps: RecurrentSteps } {
  let runs = recurrentRuns.get(model);
  if (!runs) recurrentRuns.set(model, runs = new Map());
  const key = `${cell.kind} ${cell.activation.id} ${cell.activation.parameter} ${cell.gate.id} ${cell.gate.parameter} ${cell.kernelForward} ${cell.recurrent} ${cell.forgetBias} ${cell.steps} ${cell.returnSequences} ${inMoment}`;
  let run = runs.get(key);
  if (!run) {
    const steps: RecurrentSteps = [];
    run = { forward: recurrentForward(cell, inMoment, steps), steps };
    runs.set(key, run);
  }
  return run;
}

/** The table as one object per layer (what the report, hover and panel read). */
export function layerMoments(model: Model, table: MomentTable, withFractions = true): LayerMoments[] {
  const { inMoment, q, outMoment, outGrad, g, inGrad, forwardScale, backwardScale, variance, forwardGain, backwardGain, mean } = table;
  return model.layers.map((layer, i): LayerMoments => {
    const inactive = withFractions ? inactiveFraction(layer.activation.spec, q[i], mean[i]) : 0;
    // Kernel layers carry their scales and variance, embeddings their variance; other layers have no such keys.
    if (layer.kernel) {
      return {
        inMoment: inMoment[i], q: q[i], outMoment: outMoment[i], outGrad: outGrad[i], g: g[i], inGrad: inGrad[i],
        forwardGain: forwardGain[i], backwardGain: backwardGain[i], inactiveFraction: inactive,
        forwardScale: forwardScale[i], backwardScale: backwardScale[i], variance: variance[i],
      };
    }
    if (layer.kind === 'embedding') {
      return {
        inMoment: inMoment[i], q: q[i], outMoment: outMoment[i], outGrad: outGrad[i], g: g[i], inGrad: inGrad[i],
        forwardGain: forwardGain[i], backwardGain: backwardGain[i], inactiveFraction: inactive, variance: variance[i],
      };
    }
    return {
      inMoment: inMoment[i], q: q[i], outMoment: outMoment[i], outGrad: outGrad[i], g: g[i], inGrad: inGrad[i],
      forwardGain: forwardGain[i], backwardGain: backwardGain[i], inactiveFraction: inactive,
    };
  });
}

/** The propagation itself, into a table; `consumers` is `consumersOf(model.layers)`, computed once per model. */
export function propagateTable(model: Model, consumers: number[][], override?: VarianceOverride): MomentTable {
  const { layers } = model;
  const table = new MomentTable(layers.length);
  const { inMoment, q, outMoment, outGrad, g, inGrad, forwardScale, backwardScale, variance, forwardGain, backwardGain, mean, outMean } = table;
  const inputShape = modelInputShapes(model);
  const scales: KernelScales = { forward: 0, backward: 0, variance: 0 };
  const moments: GaussianMoments = { mean: 0, m2: 0, dm2: 0 };
  const trackUnitMeans = layers.some((layer) => layer.kind === 'batchNormalization');
  const unitMeans = trackUnitMeans ? new Float64Array(layers.length) : undefined;
  const inUnitMeans = trackUnitMeans ? new Float64Array(layers.length) : undefined;
  const recurrentSteps = new Map<number, { cell: RecurrentCell; steps: RecurrentSteps }>();
  // A plain array: a typed array's allocation costs more than this column's arithmetic on small models.
  const dm2: number[] = new Array(layers.length).fill(0);
  // Pre-activations of rectifying Adds, as atoms (residualGating.ts).
  const atoms = new Map<number, Atoms>();
  // Per spatial axis, how E[z²] (forward) and g (backward) vary by position, mean 1 (windows.ts).
  const positions: (Float64Array[] | undefined)[] = new Array(layers.length);
  const gradientPositions: (Float64Array[] | undefined)[] = new Array(layers.length);
  const convAxes: (Axis[] | undefined)[] = new Array(layers.length);
  const skipAdds = new Map<number, SkipAdd>();
  // Backward: each rectifying Add's gradient profile over its atoms; the Add each skip source feeds.
  const profiles = new Map<number, Float64Array>();
  const skippedBy = new Map<number, number>();
  const input: Signal = { m2: 0, mean: 0, unitMeans: 0 };

  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    combinedInput(layer, layers, table, unitMeans, inputShape, input);
    inMoment[i] = input.m2;
    if (inUnitMeans) inUnitMeans[i] = input.unitMeans;
    forwardScale[i] = NaN;
    backwardScale[i] = NaN;
    variance[i] = NaN;
    // The pre-activation's mean and per-unit means: a kernel's zero-mean weights centre the signal.
    let zMean = 0;
    let zUnitMeans = 0;
    const cell = RECURRENT_GATES[layer.kind] ? recurrentCell(model, layer, initializerVariance(layer, 'kernel', override) ?? neutralVariance(layer), override?.(layer, 'recurrent')) : undefined;
    if (cell) {
      const { forward, steps } = recurrentForwardOnce(model, cell, input.m2);
      recurrentSteps.set(i, { cell, steps });
      writeKernelScales(layer, override, scales, undefined);
      forwardScale[i] = scales.forward;
      backwardScale[i] = scales.backward;
      variance[i] = scales.variance;
      q[i] = forward.q;
      mean[i] = 0;
      outMoment[i] = forward.outMoment;
      outMean[i] = 0;
      forwardGain[i] = input.m2 > 0 ? outMoment[i] / input.m2 : 0;
      continue;
    }
    const kernel = layer.kernel;
    if (kernel) {
      const axes = layer.kernelSize ? axesOf(layer, convInputSpatial(layer, layers, inputShape)) : undefined;
      let windows: WindowCoverage | undefined;
      if (axes) {
        // Taps per output weighted by where the input is strong (windows.ts `forwardAxis`).
        const inProfile = layer.inputs.length && layer.inputs[0] >= 0 ? positions[layer.inputs[0]] : undefined;
        const out: Float64Array[] = [];
        let forward = 1;
        axes.forEach((axis, a) => {
          const along = forwardAxis(axis, inProfile?.[a]?.length === axis.n ? inProfile[a] : undefined);
          forward *= along.factor;
          out.push(along.profile);
        });
        positions[i] = out;
        convAxes[i] = axes;
        windows = { forward, backward: windowCoverage(layer, axes.map((axis) => axis.n)).backward };
      }
      writeKernelScales(layer, override, scales, windows);
      forwardScale[i] = scales.forward;
      backwardScale[i] = scales.backward;
      variance[i] = scales.variance;
      q[i] = scales.forward * input.m2;
      zUnitMeans = scales.forward * input.unitMeans;
    } else if (NORMALIZATION_KINDS.has(layer.kind)) {
      q[i] = 1;
      // Layer/group normalization centre each example, not each unit: what was spread over units stays, rescaled.
      const centred = input.m2 - input.mean * input.mean;
      zUnitMeans = layer.kind === 'batchNormalization' || !(centred > 0) ? 0 : Math.min(Math.max(input.unitMeans - input.mean * input.mean, 0) / centred, 1);
    } else if (layer.kind === 'embedding') {
      variance[i] = initializerVariance(layer, 'embeddings', override) ?? 1;
      q[i] = variance[i];
    } else if (layer.kind === 'pretrained') {
      // A block of given weights (a backbone): what it puts out is taken as a fresh unit signal, through its last activation.
      q[i] = 1;
    } else {
      q[i] = input.m2;
      zMean = input.mean;
      zUnitMeans = input.unitMeans;
    }
    if (!kernel && POSITION_KEEPING.has(layer.kind)) positions[i] = combinedPositions(layer, positions, outMoment);
    mean[i] = zMean;
    const activated = layer.kind === 'activation' && layer.inputs.length === 1 && layer.inputs[0] >= 0 ? layers[layer.inputs[0]] : undefined;
    const skipped = layer.kind === 'add' ? skipAdd(layer, table, layers, atoms, skipAdds)
      : activated && activated.activation.spec.id !== 'linear' ? composedMoments(layer.activation.spec, activated.activation.spec, atomsOf(activated.index, table, atoms))
        : undefined;
    if (skipped) {
      moments.mean = skipped.mean;
      moments.m2 = skipped.m2;
      moments.dm2 = skipped.dm2;
    }
    else shiftedMoments(layer.activation.spec, zMean, q[i], moments);
    outMoment[i] = moments.m2;
    outMean[i] = moments.mean;
    dm2[i] = moments.dm2;
    if (unitMeans) unitMeans[i] = activationUnitMeans(layer.activation.spec, zMean, zUnitMeans, q[i]);
    forwardGain[i] = input.m2 > 0 ? outMoment[i] / input.m2 : 0;
  }

  for (const [add, moments] of skipAdds) skippedBy.set(moments.skip, add);
  // Most models have no recurrent layer or rectifying Add: their lookups are skipped per layer.
  const anyRecurrent = recurrentSteps.size > 0;
  const anySkipAdd = skipAdds.size > 0;
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    const kernel = layer.kernel;
    const layerConsumers = consumers[i];
    const recurrent = anyRecurrent ? recurrentSteps.get(i) : undefined;
    if (layerConsumers.length === 0) {
      // The loss is taken on the output layer's pre-activations (logits): its g is 1.
      outGrad[i] = 1;
      g[i] = 1;
    } else {
      let sum = 0;
      let uniform = 0;
      const skipAdd = anySkipAdd ? skipAdds.get(skippedBy.get(i) ?? -1) : undefined;
      let passed = 0;
      for (const consumer of layerConsumers) {
        sum += inGrad[consumer];
        if (skipAdd?.skip !== i || consumer !== skippedBy.get(i)) uniform += inGrad[consumer];
        // An activation layer on this activated output masks the same units again (residualGating.ts).
        const composed = layers[consumer].kind === 'activation' && layer.activation.spec.id !== 'linear'
          ? composedGradientFactor(layers[consumer].activation.spec, layer.activation.spec, atomsOf(i, table, atoms)) : undefined;
        passed += inGrad[consumer] * (composed ?? dm2[i]);
      }
      outGrad[i] = sum;
      g[i] = recurrent ? 0 : passed;
      // A skip into a rectifying Add, or such an Add itself: the gradient follows the units' masks along the
      // chain (residualGating.ts).
      if (skipAdd || (anySkipAdd && skipAdds.has(i))) {
        const profile = skipProfile(layer.activation.spec, atomsOf(i, table, atoms), skipAdd, skipAdd && profiles.get(skippedBy.get(i)!), uniform);
        if (skipAdds.has(i)) profiles.set(i, profile);
        g[i] = profileMean(atomsOf(i, table, atoms), profile);
      }
    }
    if (recurrent) {
      const backward = recurrentBackward(recurrent.cell, recurrent.steps, outGrad[i]);
      g[i] = backward.g;
      inGrad[i] = backward.inGrad;
    } else if (kernel) {
      inGrad[i] = backwardScale[i] * g[i];
      const axes = convAxes[i];
      if (axes) {
        // Windows per input weighted by where the gradient is strong, relative to the flat coverage in c'.
        const outProfile = outputGradientPositions(layerConsumers, gradientPositions, inGrad);
        let weighted = 1;
        const into: Float64Array[] = [];
        axes.forEach((axis, a) => {
          const along = backwardAxis(axis, outProfile && outProfile[a]?.length === outputsLength(positions[i], a) ? outProfile[a] : undefined);
          weighted *= along.factor;
          into.push(along.profile);
        });
        const flat = windowCoverage(layer, axes.map((axis) => axis.n)).backward;
        if (flat > 0) inGrad[i] *= weighted / flat;
        gradientPositions[i] = into;
      }
    } else if (NORMALIZATION_KINDS.has(layer.kind)) {
      // ∂x̂/∂x = 1/σ: the variance over the batch per unit (BatchNormalization) or over the features per example.
      const spread = layer.kind === 'batchNormalization' && inUnitMeans ? inUnitMeans[i] : table.inMoment[i] > 0 ? inputMean(layer, layers, table) ** 2 : 0;
      const normalized = inMoment[i] - spread;
      inGrad[i] = normalized > 0 ? g[i] / normalized : g[i];
    } else {
      inGrad[i] = g[i];
    }
    if (!kernel && POSITION_KEEPING.has(layer.kind)) gradientPositions[i] = outputGradientPositions(layerConsumers, gradientPositions, inGrad);
    backwardGain[i] = outGrad[i] > 0 ? inGrad[i] / outGrad[i] : 1;
  }
  return table;
}

export function consumersOf(layers: Layer[]): number[][] {
  // Counted first, so each list is allocated at its size once rather than grown (10,000-layer models). Plain
  // arrays and loops: a typed array's allocation, or `Array.from`'s iteration, cost more on small models.
  const counts: number[] = new Array(layers.length).fill(0);
  for (const layer of layers) for (const input of layer.inputs) if (input >= 0) counts[input]++;
  const consumers: number[][] = [];
  for (let index = 0; index < layers.length; index++) consumers.push(new Array<number>(counts[index]));
  const filled = counts.fill(0);
  for (const layer of layers) for (const input of layer.inputs) if (input >= 0) consumers[input][filled[input]++] = layer.index;
  return consumers;
}
