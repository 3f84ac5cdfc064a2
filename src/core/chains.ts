/**
 * Chains: maximal runs of kernel layers not interrupted by a normalization layer, an embedding, the model
 * input, or something InitLint cannot see into (a custom layer, a pretrained block, a kernel of unknown width).
 *
 * What a chain measures is depth (issue 12, SCIENCE.md §7): the compounding of hidden-to-hidden gains. One
 * layer's constant rescaling is the same as rescaling the data, so the forward factor starts at the first
 * hidden layer's *output*, and the backward factor runs from the last hidden layer's ∂L/∂z to the first's
 * (the gradient that trains it), never to ∂L/∂input. A chain *fails* when either factor leaves [1/T, T] (warning; T = `threshold`), and is only worth
 * a hint when it leaves [1/H, H] (H = `hintThreshold`): the fix is better in theory, training did not suffer
 * (docs/rules/README.md, "Why these thresholds").
 */
import { ACTIVATIONS, type ActivationSpec } from './catalogue/activations';
import {
  cannotBeRead, NORMALIZATION_KINDS, RECURRENT_KINDS, type LayerKind,
} from './catalogue/layers';
import { mainRole, type Layer, type Model } from './model';
import { consumersOf, type MomentTable } from './propagation';

export type ChainStatus = 'stable' | 'vanishing' | 'exploding';
/** How much a failing chain matters: `warning` when measured training suffered at such factors, else `hint`. */
export type ChainTier = 'warning' | 'hint';

export interface Chain {
  /** Kernel layer indices in data-flow order. */
  layers: number[];
  /** The chain's hidden layers: what its factors measure and what chain rules may blame. */
  hiddenLayers: number[];
  /** Output second moment at the chain's exit over the first hidden layer's output second moment. */
  forwardFactor: number;
  /** ∂L/∂z second moment of the first hidden layer over the gradient second moment at the chain's exit. */
  backwardFactor: number;
  status: ChainStatus;
  /** Which direction fails first ('forward' when both do). */
  failing?: 'forward' | 'backward';
  tier?: ChainTier;
}

/** The thresholds a chain is judged by: T (warning) and H (hint), both > 1. */
export interface ChainThresholds {
  threshold: number;
  hintThreshold: number;
  /** Whether the configuration set `threshold`: then it holds for every rule, measured per-rule ones aside. */
  configured?: boolean;
}

/** Why a layer ends the chains that reach it, or undefined when the signal runs through it. */
export function chainBoundary(layer: Layer): string | undefined {
  if (NORMALIZATION_KINDS.has(layer.kind)) return 'normalization';
  if (layer.kind === 'embedding') return 'embedding';
  if (cannotBeRead(layer.kind, layer.className)) return `${layer.className} cannot be read`;
  if (layer.kernel && scaleUnknown(layer)) return `${layer.className}'s width is not written`;
  // A custom activation's moments are unknown: read as the identity, a chain through it would be judged on a guess.
  if (layer.activation.spec.id === 'other') return `${layer.className}'s activation cannot be read`;
  return undefined;
}

/**
 * A kernel whose width had to be assumed, under an initializer whose scale depends on it (Glorot's fan_avg,
 * a fixed stddev, an unresolved one): its gain would be a guess, so it is not judged (issue 12: unknown widths
 * stop the judgement, never ±∞). He and LeCun (fan_in mode) give c = scale whatever the width.
 */
function scaleUnknown(layer: Layer): boolean {
  if (!layer.widthAssumed) return false;
  const sampling = layer.initializers[mainRole(layer)]?.sampling;
  if (!sampling) return true;
  if (sampling.kind === 'varianceScaling') return sampling.mode !== 'fanIn' || layer.kind === 'depthwiseConv' || layer.kind === 'separableConv';
  return sampling.kind === 'normal' || sampling.kind === 'uniform';
}

const stopsChain = (layer: Layer) => chainBoundary(layer) !== undefined;

/**
 * Nearest kernel layers upstream of a layer, walking through pass-through layers (activation, add, pooling…).
 * `stops`: each layer's `stopsChain`, asked once per model by `findChains`.
 */
function upstreamKernels(layer: Layer, layers: Layer[], stops: boolean[]): readonly number[] {
  // A composed sub-model's first layer starts its chains, like a layer fed by the model input.
  if (layer.entersModel) return [];
  // The usual case, a kernel layer fed by a kernel layer, needs no walk.
  const only = layer.inputs.length === 1 ? layer.inputs[0] : -1;
  if (only >= 0 && layers[only].kernel && !stops[only]) return layer.inputs;
  const found: number[] = [];
  const stack = [...layer.inputs];
  const seen = new Set<number>();
  while (stack.length) {
    const index = stack.pop()!;
    if (index < 0 || seen.has(index)) continue;
    seen.add(index);
    const upstream = layers[index];
    if (stops[index]) continue;
    if (upstream.kernel) found.push(index);
    else if (!upstream.entersModel) stack.push(...upstream.inputs);
  }
  return found;
}

/**
 * Each layer's chain, found on first ask: only per-layer rules' findings and the hover ask, and a map filled for
 * every layer of every model cost more than all their asking.
 */
export class LayerChains {
  private byLayer: (Chain | undefined)[] | undefined;

  constructor(private readonly chains: readonly Chain[]) {}

  get(index: number): Chain | undefined {
    if (!this.byLayer) {
      this.byLayer = [];
      for (const chain of this.chains) for (const layer of chain.layers) this.byLayer[layer] = chain;
    }
    return this.byLayer[index];
  }
}

/**
 * Chains and their factors. Factors run over the chain's hidden layers only: the output layer's fans
 * reflect the loss (10 logits under 256 units), not depth, and it is never blamed (issue 2: "the output
 * layer is not hidden").
 */
export function findChains(
  model: Model, moments: MomentTable, thresholds: ChainThresholds, hidden: Set<number>, consumers = consumersOf(model.layers), corrections = widthCorrections(model, moments),
): Chain[] {
  const { layers } = model;
  const parent = layers.map((layer) => layer.index);
  const root = (index: number): number => {
    while (parent[index] !== index) index = parent[index] = parent[parent[index]];
    return index;
  };
  // Each layer's boundary asked once here, not again for every walk that passes it.
  const stops = layers.map(stopsChain);
  const judged = (layer: Layer) => layer.kernel && !stops[layer.index];
  for (const layer of layers) {
    if (!judged(layer)) continue;
    for (const upstream of upstreamKernels(layer, layers, stops)) parent[root(upstream)] = root(layer.index);
  }
  const groups = new Map<number, number[]>();
  for (const layer of layers) {
    if (!judged(layer)) continue;
    const key = root(layer.index);
    const group = groups.get(key);
    if (group) group.push(layer.index);
    else groups.set(key, [layer.index]);
  }
  return [...groups.values()].map((indices) => {
    const measured = indices.filter((index) => hidden.has(index));
    // The kernel right before a normalization layer: its scale is normalized away (BN(αz) = BN(z)), forward
    // and backward, unless its output is too small for the normalization's ε (Keras and tfjs: 1e-3).
    const lastHidden = measured[measured.length - 1];
    if (lastHidden !== undefined && normalizesOutput(lastHidden, layers, consumers) && moments.outMoment[lastHidden] >= NORMALIZABLE_MOMENT) measured.pop();
    if (measured.length < 2) return { layers: indices, hiddenLayers: measured, forwardFactor: 1, backwardFactor: 1, status: 'stable' as const };
    const last = measured[measured.length - 1];
    const { forward, backward } = chainFactors(moments, layers, measured, corrections, last, chainExit(last, layers, consumers));
    const judged = classify(forward, backward, thresholds);
    // Every measured slowdown came from three or more compounding steps; fewer is at most a hint.
    if (judged.tier === 'warning' && measured.length - 1 < MIN_WARNING_STEPS) judged.tier = 'hint';
    return { layers: indices, hiddenLayers: measured, forwardFactor: forward, backwardFactor: backward, ...judged };
  });
}

/**
 * A chain's factors between its first hidden layer (`hidden[0]`) and `last`: forward from the first's output
 * to the output at `exit` (the last's, or the residual Add it feeds), backward from the last's ∂L/∂z down to
 * the first's. Both count the same steps: He under ReLU gives 1 and 1.
 *
 * The backward factor is taken per unit of width: each layer's c' = fan_out·Var(W) is counted as c =
 * fan_in·Var(W), its ratio fan_out/fan_in being a change of width (He et al. 2015 §2.2: over a stack these
 * ratios telescope to d_last/d_first, "not a diminishing number"). So a 576 → 64 Dense after a convolution,
 * or a 1-channel stem, is not a vanishing gradient; c·E[φ'²] compounding over depth is. A layer that passes
 * nothing (zeros) leaves nothing to compare: factor 1.
 */
export function chainFactors(
  moments: MomentTable, layers: readonly Layer[], hidden: readonly number[], corrections: Float64Array, last: number, exit = last,
): { forward: number; backward: number } {
  const first = hidden[0];
  const start = moments.outMoment[first];
  const forward = start > 0 ? moments.outMoment[exit] / start : 1;
  // A recurrent first layer's g is its pre-activations' through time (a GRU's, averaged over 20 steps, is ×0.01 of
  // what reaches its output): the chain ends at its output, and what happens inside it through time is
  // recurrent-init's to judge.
  const end = RECURRENT_KINDS.has(layers[first].kind) ? moments.outGrad[first] : moments.g[first];
  let backward = moments.g[last] > 0 ? end / moments.g[last] : 1;
  const onPath = pathBetween(layers, first, last);
  for (const index of hidden) {
    if (index === first) continue;
    if (index > last) break;
    if (!onPath || onPath[index - first] === BOTH_WAYS) backward *= corrections[index];
  }
  return { forward, backward };
}

const FROM_FIRST = 1;
const TO_LAST = 2;
const BOTH_WAYS = FROM_FIRST | TO_LAST;

/**
 * The chain's hidden layers off the path from its first hidden layer to its last (a parallel branch joined by a
 * Concatenate, a second head): its factors are measured along that path, and such a layer is no part of them.
 * Undefined when there is none (a plain stack).
 */
export function offChainPath(layers: readonly Layer[], hidden: readonly number[]): Set<number> | undefined {
  const first = hidden[0];
  const marks = pathBetween(layers, first, hidden[hidden.length - 1]);
  if (!marks) return undefined;
  const off = new Set<number>();
  for (const index of hidden) if (marks[index - first] !== BOTH_WAYS) off.add(index);
  return off.size ? off : undefined;
}

/**
 * Which layers between `first` and `last` (by offset from `first`) lie on a path from one to the other: the
 * gradient from `last` reaches `first` through those alone. A parallel branch joined by a Concatenate (a
 * critic's action input beside its state input) is in the chain but not on the path, and its change of width
 * is no part of this one's. Undefined for a plain stack, where every layer is on it.
 */
function pathBetween(layers: readonly Layer[], first: number, last: number): Uint8Array | undefined {
  let plain = true;
  for (let index = first + 1; index <= last && plain; index++) plain = layers[index].inputs.length === 1 && layers[index].inputs[0] === index - 1;
  if (plain) return undefined;
  const marks = new Uint8Array(last - first + 1);
  marks[0] = FROM_FIRST;
  for (let index = first + 1; index <= last; index++) {
    for (const input of layers[index].inputs) {
      if (input >= first && input < index && marks[input - first] & FROM_FIRST) marks[index - first] |= FROM_FIRST;
    }
  }
  marks[last - first] |= TO_LAST;
  for (let index = last; index > first; index--) {
    if (!(marks[index - first] & TO_LAST)) continue;
    for (const input of layers[index].inputs) if (input >= first && input < index) marks[input - first] |= TO_LAST;
  }
  return marks;
}

/**
 * Per layer, what turns its backward gain into c·E[φ'²]: c/c' of a kernel layer (its variance cancels, so one
 * table serves every what-if propagation), 1 elsewhere. A kernel fed by a Concatenate of k inputs counts 1/k
 * of it: its fan_in holds every branch's width, but each branch's gradient sees only its own share (a U-Net's
 * skip concatenations would otherwise read ×2 per merge).
 */
export function widthCorrections(model: Model, moments: MomentTable): Float64Array {
  const corrections = new Float64Array(model.layers.length).fill(1);
  for (const layer of model.layers) {
    const forward = moments.forwardScale[layer.index];
    const backward = moments.backwardScale[layer.index];
    if (!(forward > 0 && backward > 0)) continue;
    corrections[layer.index] = forward / backward / concatenatedBranches(layer, model.layers);
  }
  return corrections;
}

/** The number of inputs of the Concatenate feeding a layer (through single-input pass-through layers), else 1. */
function concatenatedBranches(layer: Layer, layers: Layer[]): number {
  let at = layer;
  for (let steps = 0; at.inputs.length === 1 && at.inputs[0] >= 0 && steps < 16; steps++) {
    const upstream = layers[at.inputs[0]];
    if (upstream.kind === 'concatenate') return Math.max(upstream.inputs.length, 1);
    if (upstream.kernel || stopsChain(upstream)) return 1;
    at = upstream;
  }
  return 1;
}

/**
 * Where a chain hands its signal on: past its last hidden layer, through the pass-through layers it alone
 * feeds (dropout, pooling, a residual Add), up to the next kernel or normalization layer. A residual chain's
 * signal is its last Add's output, not the last branch's (which a Fixup branch starts at zero).
 */
export function chainExit(last: number, layers: Layer[], consumers: number[][]): number {
  let exit = last;
  for (let next = consumers[exit]; next.length === 1; next = consumers[exit]) {
    const consumer = layers[next[0]];
    if (consumer.kernel || stopsChain(consumer)) break;
    exit = consumer.index;
  }
  return exit;
}

/** The normalization layers' default ε (Keras and tfjs): a signal above it is still normalized to ≥ 0.5. */
const NORMALIZABLE_MOMENT = 1e-3;

/**
 * Whether a kernel layer's output reaches only normalization layers, through single-input pass-through layers
 * (activation, dropout, pooling, flatten): then its weights' scale cancels out. Not through an Add or a
 * Concatenate, whose other inputs the scale does not touch.
 */
export function normalizesOutput(index: number, layers: Layer[], consumers: number[][]): boolean {
  let next = consumers[index];
  for (let steps = 0; next.length > 0 && steps < layers.length; steps++) {
    if (next.every((consumer) => NORMALIZATION_KINDS.has(layers[consumer].kind))) return true;
    if (next.length !== 1) return false;
    const consumer = layers[next[0]];
    if (consumer.kernel || consumer.inputs.length !== 1 || stopsChain(consumer)) return false;
    next = consumers[consumer.index];
  }
  return false;
}

/** 0 stable, 1 hint, 2 warning: how far a factor is out of bounds. */
export function factorTier(factor: number, thresholds: ChainThresholds): 0 | 1 | 2 {
  const distance = Math.abs(Math.log(factor));
  if (!(distance <= Math.log(thresholds.threshold) + AT_THRESHOLD)) return 2;
  return distance > Math.log(thresholds.hintThreshold) + AT_THRESHOLD ? 1 : 0;
}

/**
 * A factor at the threshold is within it, whatever the last bits of its arithmetic: Glorot on a 3×3 conv
 * from 32 to 64 channels gives exactly 1/3 (the hint threshold), and rounding must not decide its tier.
 */
const AT_THRESHOLD = 1e-9;

const TIERS = [undefined, 'hint', 'warning'] as const;

/**
 * The fewest hidden-to-hidden steps a warning needs (docs/rules/README.md, "Why these thresholds"): the
 * shallowest measured slowdown was RandomNormal(0.05) on 4 ReLU layers (3 steps, ×4.1e-3); 2 layers at ×0.16
 * trained the same.
 */
const MIN_WARNING_STEPS = 3;

function classify(forward: number, backward: number, thresholds: ChainThresholds): Pick<Chain, 'status' | 'failing' | 'tier'> {
  const forwardTier = factorTier(forward, thresholds);
  const backwardTier = factorTier(backward, thresholds);
  if (forwardTier === 0 && backwardTier === 0) return { status: 'stable' };
  const failing = forwardTier >= backwardTier ? 'forward' : 'backward';
  const factor = failing === 'forward' ? forward : backward;
  return { status: factor < 1 ? 'vanishing' : 'exploding', failing, tier: TIERS[Math.max(forwardTier, backwardTier)] };
}

/** Kernel layers whose output reaches another kernel layer: the ones that must break symmetry. */
export function hiddenLayers(model: Model, consumers = consumersOf(model.layers)): Set<number> {
  const { layers } = model;
  const hidden = new Set<number>();
  const feedsKernel: boolean[] = new Array(layers.length).fill(false);
  for (let index = layers.length - 1; index >= 0; index--) {
    // A composed sub-model's output layer (a generator's, under a GAN's discriminator) is its model's output.
    // A plain loop: no closure per layer.
    let feeds = false;
    for (const consumer of consumers[index]) {
      const next = layers[consumer];
      if (!next.entersModel && (next.kernel || feedsKernel[consumer])) {
        feeds = true;
        break;
      }
    }
    feedsKernel[index] = feeds;
    if (feeds && layers[index].kernel) hidden.add(index);
  }
  return hidden;
}

/**
 * Layers a zero residual branch reaches its Add through and stays a zero branch: zero in, zero out, gradients
 * still passed back. Normalization of an all-zero input is zero (x − mean = 0, times γ, plus β = 0 at init),
 * so a Fixup-style zero conv followed by BatchNormalization is one too. Activation layers are judged by
 * their function (`passesZeroBranch`).
 */
const ZERO_PRESERVING_KINDS: ReadonlySet<LayerKind> = new Set([
  'dropout', 'flatten', 'reshape', 'maxPooling', 'averagePooling', 'batchNormalization', 'layerNormalization', 'groupNormalization', 'activation',
]);

/**
 * An activation that keeps a zero branch zero (φ(0) = 0) and lets gradients reach its kernel (φ'(0) ≠ 0).
 * ReLU is not one: TensorFlow takes its derivative at 0 as 0, so a zero branch under ReLU never trains.
 * Softmax and custom activations are modelled as the identity, which says nothing about φ(0): not one either.
 */
function passesZeroBranch(activation: ActivationSpec): boolean {
  const facts = ACTIVATIONS[activation.id];
  if (facts.family === 'other') return false;
  const parameter = activation.parameter ?? facts.defaultParameter ?? 0;
  return facts.value(0, parameter) === 0 && facts.derivative(0, parameter) !== 0;
}

/** A zero residual branch: the Add its zero kernel's output reaches, and whether a normalization lies on the way. */
export interface ZeroResidualBranch {
  add: number;
  throughNormalization: boolean;
}

/**
 * A zero kernel whose output reaches a residual Add as its only consumer, directly or through single-consumer
 * zero-preserving layers (Dropout, BatchNormalization, a tanh Activation…; no kernel layer in between):
 * Fixup/ReZero, intended (SCIENCE.md §5). At initialization the branch adds nothing, the skip path carries the
 * signal, and the kernel's gradients still differ per unit (they come through the Add from the skip path).
 */
export function zeroResidualBranch(model: Model, consumersByLayer: number[][], index: number): ZeroResidualBranch | undefined {
  const layer = model.layers[index];
  const sampling = layer.initializers[mainRole(layer)]?.sampling;
  if (sampling?.kind !== 'constant' || sampling.value !== 0) return undefined;
  // A separable conv with both kernels at zero (tfjs draws its pointwise kernel from depthwiseInitializer) never
  // trains: each kernel's gradient goes through the other. Only one zero kernel is Fixup's.
  const pointwise = layer.kind === 'separableConv' ? layer.initializers.pointwise?.sampling : undefined;
  if (pointwise?.kind === 'constant' && pointwise.value === 0) return undefined;
  return zeroBranchPath(model, consumersByLayer, index);
}

/** The path half of `zeroResidualBranch`: where this layer would be a zero branch if its kernel were zeros (residual-growth's fix). */
export function zeroBranchPath(model: Model, consumersByLayer: number[][], index: number): ZeroResidualBranch | undefined {
  if (!passesZeroBranch(model.layers[index].activation.spec)) return undefined;
  let throughNormalization = false;
  for (let at = index; ; ) {
    const consumers = consumersByLayer[at];
    if (consumers.length !== 1) return undefined;
    const next = model.layers[consumers[0]];
    // The skip input may be the model input itself, which the IR does not list: the Add is enough.
    if (next.kind === 'add') return { add: next.index, throughNormalization };
    const zeroKept = ZERO_PRESERVING_KINDS.has(next.kind) || !!rescalingScale(next);
    if (!zeroKept || !passesZeroBranch(next.activation.spec)) return undefined;
    throughNormalization ||= NORMALIZATION_KINDS.has(next.kind);
    at = next.index;
  }
}

/**
 * A `Rescaling(c)` layer's constant, as Python's `t * c` is written too: undefined for any other layer, null when
 * it is not one positive number InitLint can read, or an offset is added (which moves zero).
 */
export function rescalingScale(layer: Layer): number | null | undefined {
  if (layer.className.toLowerCase() !== 'rescaling') return undefined;
  const { positional, keyword } = layer.call;
  const scale = positional[0]?.value ?? keyword.scale?.value;
  const offset = keyword.offset?.value ?? positional[1]?.value;
  if (offset && !(offset.kind === 'number' && offset.value === 0)) return null;
  return scale?.kind === 'number' && scale.value > 0 ? scale.value : null;
}

export function isZeroResidualBranch(model: Model, consumersByLayer: number[][], index: number): boolean {
  return zeroResidualBranch(model, consumersByLayer, index) !== undefined;
}
