/**
 * Exact mean-field propagation of second moments through a model at initialization (SCIENCE.md §1).
 *
 * Forward, per layer: the second moment of its input signal `inMoment`, of its pre-activation
 * `q = c · inMoment` (c = fan_in·Var(W) for kernels), and of its output `outMoment = m2_φ(q)`.
 * Backward, from `L = Σ y ⊙ r` (output g = 1): `outGrad` = E[(∂L/∂output)²], `g` = E[(∂L/∂z)²] =
 * outGrad · E[φ'(z)²], and `inGrad` = c' · g (c' = fan_out·Var(W)).
 * A layer's own gains say what its initializer and activation do to the signal: forward
 * outMoment / inMoment, backward inGrad / outGrad. He under ReLU: 1 and 1.
 */
import { derivativeSecondMoment, inactiveFraction, secondMoment } from './catalogue/activations';
import { weightVariance } from './catalogue/initializers';
import { KERNEL_KINDS, NORMALIZATION_KINDS, RECURRENT_GATES } from './catalogue/layers';
import { mainRole, signalFanIn, type InitializerRole, type Layer, type Model } from './model';
import { modelInputIndex } from './ir';

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

  constructor(readonly size: number) {
    this.variances = new Float64Array(size);
    this.replaced = new Uint8Array(size);
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
    return copy;
  }

  /** As a `VarianceOverride`: the main kernel of a replaced layer, nothing else. */
  readonly override: VarianceOverride = (layer, role) => (role === mainRole(layer) ? this.get(layer.index) : undefined);
}

/**
 * Every layer's moments as columns, one Float64Array per quantity: a propagation allocates no object per
 * layer, so the rules' what-if propagations (one per rule) stay cheap on 10,000-layer models.
 * `forwardScale`, `backwardScale` and `variance` are NaN where the layer has none.
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

  constructor(readonly size: number) {
    // One buffer for the 11 columns: one allocation per propagation.
    const buffer = new Float64Array(size * 11);
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
  }
}

/** `fractions: false` skips the dead/saturated fractions (only the report shows them). */
export function propagate(model: Model, override?: VarianceOverride, options: { fractions?: boolean } = {}): LayerMoments[] {
  return layerMoments(model, propagateTable(model, consumersOf(model.layers), override), options.fractions ?? true);
}

/** The table as one object per layer (what the report, hover and panel read). */
export function layerMoments(model: Model, table: MomentTable, withFractions = true): LayerMoments[] {
  const { inMoment, q, outMoment, outGrad, g, inGrad, forwardScale, backwardScale, variance, forwardGain, backwardGain } = table;
  return model.layers.map((layer, i): LayerMoments => {
    const inactive = withFractions ? inactiveFraction(layer.activation.spec, q[i]) : 0;
    // Kernel layers carry their scales and variance, embeddings their variance; other layers have no such keys.
    if (KERNEL_KINDS.has(layer.kind)) {
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
  const { inMoment, q, outMoment, outGrad, g, inGrad, forwardScale, backwardScale, variance, forwardGain, backwardGain } = table;
  const inputWidth = modelInputWidths(model);
  const scales: KernelScales = { forward: 0, backward: 0, variance: 0 };

  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    const input = combinedInput(layer, layers, outMoment, inputWidth);
    inMoment[i] = input;
    forwardScale[i] = NaN;
    backwardScale[i] = NaN;
    variance[i] = NaN;
    if (KERNEL_KINDS.has(layer.kind)) {
      writeKernelScales(layer, override, scales);
      forwardScale[i] = scales.forward;
      backwardScale[i] = scales.backward;
      variance[i] = scales.variance;
      q[i] = scales.forward * input;
    } else if (NORMALIZATION_KINDS.has(layer.kind)) {
      q[i] = 1;
    } else if (layer.kind === 'embedding') {
      variance[i] = initializerVariance(layer, 'embeddings', override) ?? 1;
      q[i] = variance[i];
    } else {
      q[i] = input;
    }
    outMoment[i] = secondMoment(layer.activation.spec, q[i]);
    forwardGain[i] = input > 0 ? outMoment[i] / input : 0;
  }

  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    const layerConsumers = consumers[i];
    if (layerConsumers.length === 0) {
      // The loss is taken on the output layer's pre-activations (logits): its g is 1.
      outGrad[i] = 1;
      g[i] = 1;
    } else {
      let sum = 0;
      for (const consumer of layerConsumers) sum += inGrad[consumer];
      outGrad[i] = sum;
      g[i] = sum * derivativeSecondMoment(layer.activation.spec, q[i]);
    }
    if (KERNEL_KINDS.has(layer.kind)) inGrad[i] = backwardScale[i] * g[i];
    else if (NORMALIZATION_KINDS.has(layer.kind)) inGrad[i] = inMoment[i] > 0 ? g[i] / inMoment[i] : g[i];
    else inGrad[i] = g[i];
    backwardGain[i] = outGrad[i] > 0 ? inGrad[i] / outGrad[i] : 1;
  }
  return table;
}

/** The width of each model input (`modelInput(k)` → its last dimension), where written. */
function modelInputWidths(model: Model): (input: number) => number | undefined {
  const widthOf = (shape: number[] | undefined) => shape?.[shape.length - 1];
  const { inputShapes, inputShape } = model;
  return inputShapes ? (input) => widthOf(inputShapes[modelInputIndex(input)]) : () => widthOf(inputShape);
}

/** Second moment of what flows into a layer: Add sums independent branches, Concatenate averages by width. */
function combinedInput(layer: Layer, layers: Layer[], outMoment: Float64Array, inputWidth: (input: number) => number | undefined): number {
  const { inputs } = layer;
  if (inputs.length === 0) return 1;
  // The raw input (MODEL_INPUT) has second moment 1.
  if (layer.kind === 'add') {
    let sum = 0;
    for (const input of inputs) sum += input < 0 ? 1 : outMoment[input];
    return sum;
  }
  if (layer.kind === 'concatenate') {
    let weighted = 0;
    let total = 0;
    for (const input of inputs) {
      const width = input < 0 ? inputWidth(input) ?? 1 : layers[input].width ?? 1;
      weighted += (input < 0 ? 1 : outMoment[input]) * width;
      total += width;
    }
    return weighted / total;
  }
  return inputs[0] < 0 ? 1 : outMoment[inputs[0]];
}

export function consumersOf(layers: Layer[]): number[][] {
  // Counted first, so each list is allocated at its size once rather than grown (10,000-layer models).
  const counts = new Int32Array(layers.length);
  for (const layer of layers) for (const input of layer.inputs) if (input >= 0) counts[input]++;
  const consumers: number[][] = Array.from(counts, (count) => new Array<number>(count));
  const filled = counts.fill(0);
  for (const layer of layers) for (const input of layer.inputs) if (input >= 0) consumers[input][filled[input]++] = layer.index;
  return consumers;
}

export function initializerVariance(layer: Layer, role: InitializerRole, override?: VarianceOverride): number | undefined {
  const overridden = override?.(layer, role);
  if (overridden !== undefined) return overridden;
  const sampling = layer.initializers[role]?.sampling;
  if (!sampling) return undefined;
  return weightVariance(sampling, layer.fanIn ?? 1, layer.fanOut ?? 1);
}

/** The variance that keeps a kernel neutral for a linear signal (c = 1): used for unresolvable initializers. */
function neutralVariance(layer: Layer): number {
  return 1 / Math.max(signalFanIn(layer) ?? 1, 1);
}

/** c, c' and Var(W) of a kernel layer. */
export interface KernelScales {
  forward: number;
  backward: number;
  variance: number;
}

/**
 * c and c' of a kernel layer, from the variance the framework samples and the fans the *signal* sees
 * (which differ from the framework's fans for transposed, depthwise and strided convolutions).
 */
export function kernelScales(layer: Layer, override?: VarianceOverride): KernelScales {
  return writeKernelScales(layer, override, { forward: 0, backward: 0, variance: 0 });
}

/** `kernelScales` into `scales`: a propagation reuses one object for all its layers. */
function writeKernelScales(layer: Layer, override: VarianceOverride | undefined, scales: KernelScales): KernelScales {
  const fanIn = layer.fanIn ?? 1;
  const fanOut = layer.fanOut ?? 1;
  const stride = product(layer.strides);
  const rf = product(layer.kernelSize);
  switch (layer.kind) {
    case 'depthwiseConv': {
      const variance = initializerVariance(layer, 'depthwise', override) ?? neutralVariance(layer);
      return setScales(scales, rf * variance, (fanOut * variance) / stride, variance);
    }
    case 'separableConv': {
      const depthwise = initializerVariance(layer, 'depthwise', override) ?? 1 / rf;
      const inChannels = fanIn / rf;
      const multiplier = fanOut / rf;
      const pointwiseFanIn = inChannels * multiplier;
      const filters = layer.width ?? pointwiseFanIn;
      const pointwiseSampling = layer.initializers.pointwise?.sampling;
      const pointwise = override?.(layer, 'pointwise')
        ?? (pointwiseSampling ? weightVariance(pointwiseSampling, pointwiseFanIn, filters) : 1 / pointwiseFanIn);
      return setScales(scales, rf * depthwise * pointwiseFanIn * pointwise, ((rf * multiplier * depthwise) / stride) * filters * pointwise, depthwise);
    }
    case 'convTranspose': {
      // Kernel [k…, out, in]: each output sees rf·in/stride inputs; each input feeds rf·out outputs.
      const variance = initializerVariance(layer, 'kernel', override) ?? 1 / Math.max(fanOut / stride, 1);
      return setScales(scales, (fanOut * variance) / stride, fanIn * variance, variance);
    }
    default: {
      const variance = initializerVariance(layer, 'kernel', override) ?? neutralVariance(layer);
      const gates = RECURRENT_GATES[layer.kind];
      // Recurrent kernels: one step from a zero state, the candidate path alone (fan_out per gate), through
      // every concatenated copy (a Bidirectional layer's input feeds both directions).
      // A grouped convolution's input feeds the filters of its own group only.
      const groups = layer.kind === 'conv' && layer.groups !== undefined && layer.groups > 1 ? layer.groups : 1;
      const backwardFan = gates ? (fanOut / gates) * layer.concatenatedCopies : fanOut / stride / groups;
      return setScales(scales, fanIn * variance, backwardFan * variance, variance);
    }
  }
}

function setScales(scales: KernelScales, forward: number, backward: number, variance: number): KernelScales {
  scales.forward = forward;
  scales.backward = backward;
  scales.variance = variance;
  return scales;
}

/** Product of a kernel size or strides list; 1 when absent (no array made per call: this runs per layer and propagation). */
function product(values: number[] | undefined): number {
  let result = 1;
  if (values) for (const value of values) result *= value;
  return result;
}
