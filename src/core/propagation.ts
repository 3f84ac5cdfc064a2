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
import type { InitializerRole, Layer, Model } from './model';

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

/** `fractions: false` skips the dead/saturated fractions (only the report shows them). */
export function propagate(model: Model, override?: VarianceOverride, options: { fractions?: boolean } = {}): LayerMoments[] {
  const withFractions = options.fractions ?? true;
  const { layers } = model;
  const moments: LayerMoments[] = layers.map(() => ({
    inMoment: 1, q: 1, outMoment: 1, outGrad: 0, g: 0, inGrad: 0, forwardGain: 1, backwardGain: 1, inactiveFraction: 0,
  }));

  for (const layer of layers) {
    const m = moments[layer.index];
    m.inMoment = combinedInput(layer, model, moments);
    if (KERNEL_KINDS.has(layer.kind)) {
      const scales = kernelScales(layer, override);
      m.forwardScale = scales.forward;
      m.backwardScale = scales.backward;
      m.variance = scales.variance;
      m.q = scales.forward * m.inMoment;
    } else if (NORMALIZATION_KINDS.has(layer.kind)) {
      m.q = 1;
    } else if (layer.kind === 'embedding') {
      m.variance = initializerVariance(layer, 'embeddings', override) ?? 1;
      m.q = m.variance;
    } else {
      m.q = m.inMoment;
    }
    m.outMoment = secondMoment(layer.activation.spec, m.q);
    m.forwardGain = m.inMoment > 0 ? m.outMoment / m.inMoment : 0;
    if (withFractions) m.inactiveFraction = inactiveFraction(layer.activation.spec, m.q);
  }

  const consumers = consumersOf(layers);
  for (let index = layers.length - 1; index >= 0; index--) {
    const layer = layers[index];
    const m = moments[index];
    const isOutput = consumers[index].length === 0;
    m.outGrad = isOutput ? 1 : consumers[index].reduce((sum, consumer) => sum + moments[consumer].inGrad, 0);
    // The loss is taken on the output layer's pre-activations (logits): its g is 1.
    m.g = isOutput ? 1 : m.outGrad * derivativeSecondMoment(layer.activation.spec, m.q);
    if (KERNEL_KINDS.has(layer.kind)) m.inGrad = (m.backwardScale ?? 1) * m.g;
    else if (NORMALIZATION_KINDS.has(layer.kind)) m.inGrad = m.inMoment > 0 ? m.g / m.inMoment : m.g;
    else m.inGrad = m.g;
    m.backwardGain = m.outGrad > 0 ? m.inGrad / m.outGrad : 1;
  }
  return moments;
}

/** Second moment of what flows into a layer: Add sums independent branches, Concatenate averages by width. */
function combinedInput(layer: Layer, model: Model, moments: LayerMoments[]): number {
  const { layers } = model;
  const inputWidth = model.inputShape?.[model.inputShape.length - 1];
  if (layer.inputs.length === 0) return 1;
  // The raw input (MODEL_INPUT) has second moment 1.
  const incoming = layer.inputs.map((input) => (input < 0 ? 1 : moments[input].outMoment));
  if (layer.kind === 'add') return incoming.reduce((a, b) => a + b, 0);
  if (layer.kind === 'concatenate') {
    const widths = layer.inputs.map((input) => (input < 0 ? inputWidth ?? 1 : layers[input].width ?? 1));
    const total = widths.reduce((a, b) => a + b, 0);
    return incoming.reduce((sum, moment, i) => sum + moment * widths[i], 0) / total;
  }
  return incoming[0];
}

export function consumersOf(layers: Layer[]): number[][] {
  const consumers: number[][] = layers.map(() => []);
  for (const layer of layers) for (const input of layer.inputs) if (input >= 0) consumers[input].push(layer.index);
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
  return 1 / Math.max(layer.fanIn ?? 1, 1);
}

/**
 * c and c' of a kernel layer, from the variance the framework samples and the fans the *signal* sees
 * (which differ from the framework's fans for transposed, depthwise and strided convolutions).
 */
export function kernelScales(layer: Layer, override?: VarianceOverride): { forward: number; backward: number; variance: number } {
  const fanIn = layer.fanIn ?? 1;
  const fanOut = layer.fanOut ?? 1;
  const stride = (layer.strides ?? []).reduce((a, b) => a * b, 1);
  const rf = (layer.kernelSize ?? [1]).reduce((a, b) => a * b, 1);
  switch (layer.kind) {
    case 'depthwiseConv': {
      const variance = initializerVariance(layer, 'depthwise', override) ?? neutralVariance(layer);
      return { forward: rf * variance, backward: (fanOut * variance) / stride, variance };
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
      return {
        forward: rf * depthwise * pointwiseFanIn * pointwise,
        backward: ((rf * multiplier * depthwise) / stride) * filters * pointwise,
        variance: depthwise,
      };
    }
    case 'convTranspose': {
      // Kernel [k…, out, in]: each output sees rf·in/stride inputs; each input feeds rf·out outputs.
      const variance = initializerVariance(layer, 'kernel', override) ?? 1 / Math.max(fanOut / stride, 1);
      return { forward: (fanOut * variance) / stride, backward: fanIn * variance, variance };
    }
    default: {
      const variance = initializerVariance(layer, 'kernel', override) ?? neutralVariance(layer);
      const gates = RECURRENT_GATES[layer.kind];
      // Recurrent kernels: one step from a zero state, the candidate path alone (fan_out per gate).
      const backwardFan = gates ? fanOut / gates : fanOut / stride;
      return { forward: fanIn * variance, backward: backwardFan * variance, variance };
    }
  }
}
