/**
 * What flows into a layer, for propagation.ts: the combined moments of its inputs (Add, Concatenate), the
 * per-unit batch means BatchNormalization subtracts, and where on the spatial grid the signal and its
 * gradient are strong (position profiles, windows.ts). See docs/rules/README.md, "How the numbers are computed".
 */
import { activationMean, type ActivationSpec } from './catalogue/activations';
import type { LayerKind } from './catalogue/layers';
import { modelInputIndex } from './ir';
import type { Layer, Model } from './model';
import type { MomentTable } from './propagation';

/** What flows into a layer: its second moment, its mean, and the mean square of its units' batch means. */
export interface Signal {
  m2: number;
  mean: number;
  /**
   * E over units of (the unit's mean over the batch)²: what BatchNormalization subtracts before it divides.
   * A kernel spreads a nonzero input mean into per-unit means (Σ_i w_ji·E[h_i] differs by unit): after a
   * ReLU-fed kernel this is E[z²]/π, so BN divides by (1 − 1/π)·E[z²], not by E[z²]. Tracked only in models
   * with BatchNormalization.
   */
  unitMeans: number;
}

/** The mean of what flows into a layer (the inputs' output means, combined as `combinedInput` does). */
export function inputMean(layer: Layer, layers: Layer[], table: MomentTable): number {
  const signal: Signal = { m2: 0, mean: 0, unitMeans: 0 };
  combinedInput(layer, layers, table, undefined, () => undefined, signal);
  return signal.mean;
}

/** Each model input's shape (`modelInput(k)`), where written. */
export function modelInputShapes(model: Model): (input: number) => number[] | undefined {
  const { inputShapes, inputShape } = model;
  return inputShapes ? (input) => inputShapes[modelInputIndex(input)] : () => inputShape;
}

/**
 * What flows into a layer. Add sums independent branches: means add, second moments add with the cross terms
 * of their means (2·μ_a·μ_b: a post-ReLU skip and a post-ReLU branch are both positive). Concatenate averages
 * by width. The raw input is N(0, 1).
 */
export function combinedInput(
  layer: Layer, layers: Layer[], table: MomentTable, unitMeans: Float64Array | undefined,
  inputShape: (input: number) => number[] | undefined, into: Signal,
): Signal {
  const { inputs } = layer;
  const { outMoment, outMean } = table;
  // Inline reads, no closures: this runs for every layer of every propagation (10,000-layer models, what-ifs).
  // The raw input (a negative index) has m2 1, mean 0.
  if (inputs.length === 0) {
    into.m2 = 1;
    into.mean = 0;
    into.unitMeans = 0;
  } else if (layer.kind === 'add') {
    let m2 = 0;
    let mean = 0;
    let spread = 0;
    for (const input of inputs) {
      const inputMean = input < 0 ? 0 : outMean[input];
      m2 += (input < 0 ? 1 : outMoment[input]) + 2 * mean * inputMean;
      spread += (input < 0 || !unitMeans ? 0 : unitMeans[input]) + 2 * mean * inputMean;
      mean += inputMean;
    }
    into.m2 = m2;
    into.mean = mean;
    into.unitMeans = spread;
  } else if (layer.kind === 'concatenate') {
    let m2 = 0;
    let mean = 0;
    let spread = 0;
    let total = 0;
    for (const input of inputs) {
      const width = (input < 0 ? lastDimension(inputShape(input)) : layers[input].width) ?? 1;
      m2 += (input < 0 ? 1 : outMoment[input]) * width;
      mean += (input < 0 ? 0 : outMean[input]) * width;
      spread += (input < 0 || !unitMeans ? 0 : unitMeans[input]) * width;
      total += width;
    }
    into.m2 = m2 / total;
    into.mean = mean / total;
    into.unitMeans = spread / total;
  } else {
    const input = inputs[0];
    into.m2 = input < 0 ? 1 : outMoment[input];
    into.mean = input < 0 ? 0 : outMean[input];
    into.unitMeans = input < 0 || !unitMeans ? 0 : unitMeans[input];
  }
  return into;
}

function lastDimension(shape: number[] | undefined): number | undefined {
  const last = shape?.[shape.length - 1];
  return last !== undefined && Number.isFinite(last) && last > 0 ? last : undefined;
}

/**
 * E over units of (E_batch φ(z_j))², where unit j's z is N(μ + δ_j, V) over the batch, δ_j ~ N(0, s) over
 * units, s = unitMeans − μ², V = q − unitMeans: a Gaussian expectation over δ of the squared mean over ε.
 */
export function activationUnitMeans(spec: ActivationSpec, mean: number, unitMeans: number, q: number): number {
  const spread = Math.max(unitMeans - mean * mean, 0);
  const within = Math.max(q - Math.max(unitMeans, mean * mean), 0);
  if (spec.id === 'linear' || spec.id === 'other' || spec.id === 'softmax') return Math.max(unitMeans, mean * mean);
  if (spread === 0) return activationMean(spec, mean, within) ** 2;
  // 12 panels of 3-point Gauss–Legendre over δ/√s ∈ [−6, 6]: the outer integral is smooth.
  const sd = Math.sqrt(spread);
  let sum = 0;
  for (let panel = -6; panel < 6; panel++) {
    for (let k = 0; k < 3; k++) {
      const x = panel + 0.5 + 0.5 * LEGENDRE3_NODES[k];
      const unitMean = activationMean(spec, mean + sd * x, within);
      sum += 0.5 * LEGENDRE3_WEIGHTS[k] * Math.exp(-(x * x) / 2) * unitMean * unitMean;
    }
  }
  return sum / Math.sqrt(2 * Math.PI);
}
const LEGENDRE3_NODES = [-Math.sqrt(0.6), 0, Math.sqrt(0.6)];
const LEGENDRE3_WEIGHTS = [5 / 9, 8 / 9, 5 / 9];

/** The input's spatial size for a convolution (channels last), when its shape can be followed. */
export function convInputSpatial(layer: Layer, layers: Layer[], inputShape: (input: number) => number[] | undefined): number[] | undefined {
  const rank = layer.kernelSize?.length;
  if (!rank) return undefined;
  // No inputs: the model's (first) input.
  const source = layer.inputs.length ? layer.inputs[0] : -1;
  const shape = source < 0 ? inputShape(source) : layers[source].outputShape;
  if (!shape || shape.length !== rank + 1) return undefined;
  return shape.slice(0, rank);
}

/** Layers whose output keeps its input's positions: their profiles pass through (Add and Concatenate mix). */
export const POSITION_KEEPING: ReadonlySet<LayerKind> = new Set([
  'activation', 'batchNormalization', 'layerNormalization', 'groupNormalization', 'dropout', 'add', 'concatenate',
]);

/** The forward position profile of a layer that keeps positions: its inputs' profiles weighted by their E[h²]. */
export function combinedPositions(layer: Layer, positions: (Float64Array[] | undefined)[], outMoment: Float64Array): Float64Array[] | undefined {
  const profiles = layer.inputs.map((input) => (input >= 0 ? positions[input] : undefined));
  const weights = layer.inputs.map((input) => (input >= 0 ? outMoment[input] : 1));
  return mixed(profiles, weights);
}

/** The gradient's position profile at a layer's output: its consumers' input profiles weighted by their inGrad. */
export function outputGradientPositions(consumers: number[], gradientPositions: (Float64Array[] | undefined)[], inGrad: Float64Array): Float64Array[] | undefined {
  return mixed(consumers.map((consumer) => gradientPositions[consumer]), consumers.map((consumer) => inGrad[consumer]));
}

/** Weighted mean of per-axis profiles of the same lengths (a missing one is flat); undefined when none is known. */
function mixed(profiles: (Float64Array[] | undefined)[], weights: number[]): Float64Array[] | undefined {
  const known = profiles.find((profile) => profile !== undefined);
  if (!known) return undefined;
  if (profiles.length === 1) return known;
  if (profiles.some((profile) => profile && (profile.length !== known.length || profile.some((axis, a) => axis.length !== known[a].length)))) return undefined;
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (!(total > 0)) return known;
  return known.map((axis, a) => axis.map((_, position) =>
    profiles.reduce((sum, profile, k) => sum + weights[k] * (profile ? profile[a][position] : 1), 0) / total));
}

export function outputsLength(profile: Float64Array[] | undefined, axis: number): number | undefined {
  return profile?.[axis]?.length;
}
