/**
 * Chains: maximal runs of kernel layers not interrupted by a normalization layer (nor by an embedding or
 * the model input). A chain vanishes when its cumulative forward or backward factor falls below 1/T,
 * explodes above T.
 */
import { ACTIVATIONS, type ActivationSpec } from './catalogue/activations';
import { KERNEL_KINDS, NORMALIZATION_KINDS, type LayerKind } from './catalogue/layers';
import { mainRole, type Layer, type Model } from './model';
import { consumersOf, type MomentTable } from './propagation';

export type ChainStatus = 'stable' | 'vanishing' | 'exploding';

export interface Chain {
  /** Kernel layer indices in data-flow order. */
  layers: number[];
  /** The chain's hidden layers: what its factors measure and what chain rules may blame. */
  hiddenLayers: number[];
  /** Output second moment of the last hidden layer over the input second moment of the first. */
  forwardFactor: number;
  /** Gradient second moment into the first layer over the one out of the last. */
  backwardFactor: number;
  status: ChainStatus;
  /** Which direction fails first ('forward' when both do). */
  failing?: 'forward' | 'backward';
}

const stopsChain = (layer: Layer) => NORMALIZATION_KINDS.has(layer.kind) || layer.kind === 'embedding';

/** Nearest kernel layers upstream of a layer, walking through pass-through layers (activation, add, pooling…). */
function upstreamKernels(layer: Layer, layers: Layer[]): number[] {
  // The usual case, a kernel layer fed by a kernel layer, needs no walk.
  const only = layer.inputs.length === 1 ? layer.inputs[0] : -1;
  if (only >= 0 && KERNEL_KINDS.has(layers[only].kind)) return layer.inputs;
  const found: number[] = [];
  const stack = [...layer.inputs];
  const seen = new Set<number>();
  while (stack.length) {
    const index = stack.pop()!;
    if (index < 0 || seen.has(index)) continue;
    seen.add(index);
    const upstream = layers[index];
    if (KERNEL_KINDS.has(upstream.kind)) found.push(index);
    else if (!stopsChain(upstream)) stack.push(...upstream.inputs);
  }
  return found;
}

/**
 * Chains and their factors. Factors run over the chain's hidden layers only: the output layer's fans
 * reflect the loss (10 logits under 256 units), not depth, and it is never blamed (issue 2: "the output
 * layer is not hidden").
 */
export function findChains(model: Model, moments: MomentTable, threshold: number, hidden: Set<number>, consumers = consumersOf(model.layers)): Chain[] {
  const { layers } = model;
  const parent = layers.map((layer) => layer.index);
  const root = (index: number): number => {
    while (parent[index] !== index) index = parent[index] = parent[parent[index]];
    return index;
  };
  for (const layer of layers) {
    if (!KERNEL_KINDS.has(layer.kind)) continue;
    for (const upstream of upstreamKernels(layer, layers)) parent[root(upstream)] = root(layer.index);
  }
  const groups = new Map<number, number[]>();
  for (const layer of layers) {
    if (!KERNEL_KINDS.has(layer.kind)) continue;
    const key = root(layer.index);
    const group = groups.get(key) ?? [];
    group.push(layer.index);
    groups.set(key, group);
  }
  return [...groups.values()].map((indices) => {
    const measured = indices.filter((index) => hidden.has(index));
    // The kernel right before a normalization layer: its scale is normalized away (BN(αz) = BN(z)), forward
    // and backward, unless its output is too small for the normalization's ε (Keras and tfjs: 1e-3).
    const lastHidden = measured[measured.length - 1];
    if (lastHidden !== undefined && normalizesOutput(lastHidden, layers, consumers) && moments.outMoment[lastHidden] >= NORMALIZABLE_MOMENT) measured.pop();
    if (!measured.length) return { layers: indices, hiddenLayers: measured, forwardFactor: 1, backwardFactor: 1, status: 'stable' as const };
    const first = measured[0];
    const last = chainExit(measured[measured.length - 1], layers, consumers);
    const forwardFactor = moments.inMoment[first] > 0 ? moments.outMoment[last] / moments.inMoment[first] : 0;
    const backwardFactor = moments.outGrad[last] > 0 ? moments.inGrad[first] / moments.outGrad[last] : 0;
    return { layers: indices, hiddenLayers: measured, forwardFactor, backwardFactor, ...classify(forwardFactor, backwardFactor, threshold) };
  });
}

/**
 * Where a chain hands its signal on: past its last hidden layer, through the pass-through layers it alone
 * feeds (dropout, pooling, a residual Add), up to the next kernel or normalization layer. A residual chain's
 * signal is its last Add's output, not the last branch's (which a Fixup branch starts at zero).
 */
function chainExit(last: number, layers: Layer[], consumers: number[][]): number {
  let exit = last;
  for (let next = consumers[exit]; next.length === 1; next = consumers[exit]) {
    const consumer = layers[next[0]];
    if (KERNEL_KINDS.has(consumer.kind) || stopsChain(consumer)) break;
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
function normalizesOutput(index: number, layers: Layer[], consumers: number[][]): boolean {
  let next = consumers[index];
  for (let steps = 0; next.length > 0 && steps < layers.length; steps++) {
    if (next.every((consumer) => NORMALIZATION_KINDS.has(layers[consumer].kind))) return true;
    if (next.length !== 1) return false;
    const consumer = layers[next[0]];
    if (KERNEL_KINDS.has(consumer.kind) || consumer.inputs.length !== 1 || stopsChain(consumer)) return false;
    next = consumers[consumer.index];
  }
  return false;
}

function classify(forward: number, backward: number, threshold: number): Pick<Chain, 'status' | 'failing'> {
  if (forward < 1 / threshold) return { status: 'vanishing', failing: 'forward' };
  if (forward > threshold) return { status: 'exploding', failing: 'forward' };
  if (backward < 1 / threshold) return { status: 'vanishing', failing: 'backward' };
  if (backward > threshold) return { status: 'exploding', failing: 'backward' };
  return { status: 'stable' };
}

/** Kernel layers whose output reaches another kernel layer: the ones that must break symmetry. */
export function hiddenLayers(model: Model, consumers = consumersOf(model.layers)): Set<number> {
  const hidden = new Set<number>();
  const feedsKernel: boolean[] = new Array(model.layers.length).fill(false);
  for (let index = model.layers.length - 1; index >= 0; index--) {
    feedsKernel[index] = consumers[index].some((consumer) => KERNEL_KINDS.has(model.layers[consumer].kind) || feedsKernel[consumer]);
    if (KERNEL_KINDS.has(model.layers[index].kind) && feedsKernel[index]) hidden.add(index);
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
  if (sampling?.kind !== 'constant' || sampling.value !== 0 || !passesZeroBranch(layer.activation.spec)) return undefined;
  let throughNormalization = false;
  for (let at = index; ; ) {
    const consumers = consumersByLayer[at];
    if (consumers.length !== 1) return undefined;
    const next = model.layers[consumers[0]];
    // The skip input may be the model input itself, which the IR does not list: the Add is enough.
    if (next.kind === 'add') return { add: next.index, throughNormalization };
    if (!ZERO_PRESERVING_KINDS.has(next.kind) || !passesZeroBranch(next.activation.spec)) return undefined;
    throughNormalization ||= NORMALIZATION_KINDS.has(next.kind);
    at = next.index;
  }
}

export function isZeroResidualBranch(model: Model, consumersByLayer: number[][], index: number): boolean {
  return zeroResidualBranch(model, consumersByLayer, index) !== undefined;
}
