/**
 * residual-growth: un-normalized residual stacks whose variance compounds block after block. With an identity
 * skip, x_{k+1} = x_k + F(x_k), and a variance-preserving branch (He on every layer), Var(F(x)) ≈ Var(x), so
 * the stream doubles per block: ×2^N after N blocks (post-activation ReLU blocks ×2.4: the mean of the skip
 * adds to it). A normalization inside the branch makes F's variance independent of x and the growth linear,
 * not compounding (every BatchNormalization ResNet): those blocks are not judged, nor are bounded branches
 * (tanh, a WaveNet gate), whose variance stops scaling with x the same way. A constant scale c on a branch
 * (EDSR's `t * 0.1`) multiplies its variance by c²; a scale InitLint cannot read leaves the block unjudged.
 * The fixes scale the branch's last layer: zeros (Fixup, SkipInit: the block starts as the identity) or
 * Var(W)/(2·blocks).
 */
import { ACTIVATIONS, type ActivationId } from '../catalogue/activations';
import type { LayerKind } from '../catalogue/layers';
import { chainBoundary, factorTier, rescalingScale, zeroBranchPath, type ChainThresholds } from '../chains';
import { initializerEdits, formatNumber, type InitializerTarget } from '../fixes';
import type { RuleId } from '../findings';
import { distributionFamily } from '../catalogue/initializers';
import { formatFactor } from '../math';
import type { Layer, Model } from '../model';
import type { MomentTable } from '../propagation';
import { sharedBranchScale } from './separableFixes';
import {
  fixFor, fixTitle, initializerLabel, initializerSpan, mainRole, momentsWith, targetLabel, varianceScalingArgs,
  type DraftFinding, type RuleContext,
} from './context';

const RULE: RuleId = 'residual-growth';
/** Fewer blocks compound too little to matter, whatever the factor (the chain rules' 3 compounding steps). */
const MIN_BLOCKS = 3;
/**
 * Measured (docs/rules/README.md, "Why these thresholds": residual MLP, He on both branch layers against a
 * zero last layer): ×7 (2 blocks) trained as fast, ×17 (3) at the edge (SGD 1.5×, Adam 1.4×), ×40 (4) 2.7–2.9×
 * slower with both optimizers, ×95 (5) and beyond worse still. So warnings start at ×25 unless `threshold` is configured.
 */
const OWN_THRESHOLD = 25;
/** Layers between two Adds that keep the residual stream what it is: a post-activation ReLU, a Dropout. */
const STREAM_KINDS: ReadonlySet<LayerKind> = new Set(['activation', 'dropout']);
/**
 * Merges that propagation reads as their first input (nodeSignals.ts `combinedInput`): a branch through one (a
 * gated unit's `Multiply`) has no growth InitLint can number.
 */
const UNMODELLED_MERGES: ReadonlySet<string> = new Set(['multiply', 'subtract', 'average', 'maximum', 'minimum']);
/** A branch walk gives up past this many layers (a branch is a few layers; a whole U-Net half is not one). */
const MAX_BRANCH_LAYERS = 512;

/** One residual block: an Add of an identity skip and branches whose last kernels the rule would rescale. */
export interface ResidualBlock {
  add: number;
  /** The Add's skip input (negative: a model input). */
  skip: number;
  /** Where the skip comes from through stream layers: the previous block's Add, in a stack. */
  origin: number;
  /** The branches' last kernel layers: what feeds the Add on the branch side. */
  lastKernels: number[];
  /** A constant scale between a last kernel and the Add (EDSR's `t * 0.1`), by kernel: propagation does not apply it. */
  branchScales: Map<number, number>;
}

export interface ResidualStack {
  blocks: ResidualBlock[];
  /** q at the last Add over the second moment of the first block's skip input: N blocks of growth. */
  growth: number;
  /** The geometric mean per block (from the last Add whose q is still a number, when the stack overflows). */
  perBlock: number;
}

/** Follows a skip input up through stream layers to where the stream comes from. */
function streamOrigin(input: number, layers: Layer[]): number {
  let at = input;
  while (at >= 0 && STREAM_KINDS.has(layers[at].kind) && layers[at].inputs.length === 1) at = layers[at].inputs[0];
  return at;
}

/**
 * A branch from `origin` to `input`: its last kernels, or undefined when it is not an un-normalized branch of
 * `origin` (no path back to it, no kernel on the way, a normalization, something InitLint cannot read).
 */
function branchKernels(input: number, origin: number, layers: Layer[], scales: Map<number, number>): number[] | undefined {
  const last: number[] = [];
  let reached = false;
  const seen = new Set<number>();
  // [layer, whether a kernel lies between it and the Add, the constant scale between it and the Add]
  const stack: [number, boolean, number][] = [[input, false, 1]];
  while (stack.length) {
    const [index, behindKernel, scale] = stack.pop()!;
    if (index === origin) {
      reached = true;
      continue;
    }
    // Outside the block: before its origin in the model's order, or another model input.
    if (index < 0 || index < origin || seen.has(index)) continue;
    seen.add(index);
    if (seen.size > MAX_BRANCH_LAYERS) return undefined;
    const layer = layers[index];
    if (layer.entersModel || chainBoundary(layer) !== undefined) return undefined;
    const kernel = layer.kernel;
    if (kernel && !layer.initializers[mainRole(layer)]?.sampling) return undefined;
    // A bounded activation bounds the branch (tanh, sigmoid, a WaveNet gate): its variance stops scaling with x
    // and the stream grows by a constant per block, as with a normalization. A gate's product is not modelled.
    if (ACTIVATIONS[layer.activation.spec.id]?.family === 'saturating' || UNMODELLED_MERGES.has(layer.className.toLowerCase())) return undefined;
    // A scale InitLint cannot carry onto the last kernel's variance (unreadable, before that kernel, past a
    // step that does not commute with it): the numbers would be wrong, so the block is not judged.
    const constant = rescalingScale(layer);
    if (constant === null || (constant !== undefined && behindKernel)) return undefined;
    if (constant === undefined && scale !== 1 && !behindKernel && !scaleCommutes(layer)) return undefined;
    if (kernel && !behindKernel) {
      last.push(index);
      if (scale !== 1) scales.set(index, scale);
    }
    for (const upstream of layer.inputs) stack.push([upstream, behindKernel || kernel, scale * (constant ?? 1)]);
  }
  return reached && last.length ? last.sort((a, b) => a - b) : undefined;
}

/** Layers through which `c·x` can be moved onto the kernel before them: linear ones and ReLU's kin (c > 0). */
const HOMOGENEOUS_ACTIVATIONS: ReadonlySet<ActivationId> = new Set(['linear', 'relu', 'leakyRelu', 'prelu']);
function scaleCommutes(layer: Layer): boolean {
  return (STREAM_KINDS.has(layer.kind) || layer.kernel) && HOMOGENEOUS_ACTIVATIONS.has(layer.activation.spec.id);
}

/**
 * Where a skip input comes from: through stream layers, and through one projection kernel (a strided 1×1
 * shortcut at a stage's first block, whose output still scales with its input: the stack goes on through it).
 */
function skipOrigins(skip: number, layers: Layer[]): number[] {
  const direct = streamOrigin(skip, layers);
  const projection = direct >= 0 ? layers[direct] : undefined;
  if (!projection || !projection.kernel || projection.inputs.length !== 1) return [direct];
  return [direct, streamOrigin(projection.inputs[0], layers)];
}

/** The block an Add closes: the input that every other input branches from is its skip. */
function blockAt(add: Layer, layers: Layer[]): ResidualBlock | undefined {
  if (add.inputs.length < 2) return undefined;
  for (const skip of add.inputs) for (const origin of skipOrigins(skip, layers)) {
    const branchScales = new Map<number, number>();
    const branches = add.inputs.filter((input) => input !== skip).map((input) => branchKernels(input, origin, layers, branchScales));
    if (branches.length && branches.every((kernels) => kernels !== undefined)) return { add: add.index, skip, origin, lastKernels: branches.flat() as number[], branchScales };
  }
  return undefined;
}

/** Residual stacks: runs of un-normalized blocks, each one's skip coming from the previous one's Add. */
export function residualStacks(model: Model, moments: MomentTable): ResidualStack[] {
  const { layers } = model;
  const stackOf = new Map<number, ResidualBlock[]>();
  const stacks: ResidualBlock[][] = [];
  for (const layer of layers) {
    if (layer.kind !== 'add') continue;
    const block = blockAt(layer, layers);
    if (!block) continue;
    const previous = stackOf.get(block.origin);
    const stack = previous ?? [];
    if (!previous) stacks.push(stack);
    stack.push(block);
    // A stack continues from its last Add only (an Add feeding two blocks starts a second stack).
    if (previous) stackOf.delete(block.origin);
    stackOf.set(block.add, stack);
  }
  return stacks.map((blocks) => ({ blocks, ...stackGrowth(blocks, moments) }));
}

/**
 * The stream's growth over a stack in `moments`: q at the last Add over E[x²] of the first skip input. Past
 * double precision (2.4^1000) q stops being a number: the growth is then ∞, at the rate it had until there.
 */
function stackGrowth(blocks: ResidualBlock[], moments: MomentTable): { growth: number; perBlock: number } {
  const { skip } = blocks[0];
  const entry = skip < 0 ? 1 : moments.outMoment[skip];
  if (!(entry > 0 && Number.isFinite(entry))) return { growth: 1, perBlock: 1 };
  for (let last = blocks.length - 1; last >= 0; last--) {
    const growth = moments.q[blocks[last].add] / entry;
    if (Number.isFinite(growth) && growth > 0) return { growth: last === blocks.length - 1 ? growth : Infinity, perBlock: growth ** (1 / (last + 1)) };
  }
  return { growth: 1, perBlock: 1 };
}

/** One source location blamed: the last branch layers written there, and the worst stack they are in. */
interface Location {
  layers: Layer[];
  indices: Set<number>;
  stack: ResidualStack;
  /** Other kernel layers written at the same place (a helper making every Dense): a fix there would change them too. */
  others: number;
  /** The branch scale fix where one edit gives it. */
  scale?: InitializerTarget;
}

export function residualGrowth(context: RuleContext): DraftFinding[] {
  const { model, ruleMoments } = context.analysis;
  const thresholds = context.thresholds.configured ? context.thresholds : { threshold: OWN_THRESHOLD, hintThreshold: Math.min(context.thresholds.hintThreshold, OWN_THRESHOLD) };
  const found = residualStacks(model, ruleMoments);
  // Branch scales propagation does not apply, carried onto their kernels' variances (c·W has Var c²·Var(W)).
  const carried = new Map<number, number>();
  for (const { blocks } of found) for (const block of blocks) block.branchScales.forEach((scale, index) => carried.set(index, scale * scale));
  const carriedVariance = (replaced: Map<number, number>) => {
    const all = new Map([...carried].map(([index, factor]) => [index, factor * ruleMoments.variance[index]]));
    replaced.forEach((variance, index) => all.set(index, variance * (carried.get(index) ?? 1)));
    return all;
  };
  const moments = carried.size ? momentsWith(context, carriedVariance(new Map())) : ruleMoments;
  const stacks = carried.size ? found.map(({ blocks }) => ({ blocks, ...stackGrowth(blocks, moments) })) : found;
  const judged = stacks.filter((stack) => stack.blocks.length >= MIN_BLOCKS && tierOf(stack.growth, thresholds) > 0);
  if (!judged.length) return [];
  const locations = new Map<string, Location>();
  for (const stack of judged) {
    for (const block of stack.blocks) {
      for (const index of block.lastKernels) {
        const layer = model.layers[index];
        // A branch already starting at zero (Fixup) adds nothing: it is not the cause. Another constant kernel is
        // symmetric-init's, judged here as its fix would leave it.
        if (!(ruleMoments.variance[index] > 0) || layer.initializers[mainRole(layer)]?.sampling?.kind === 'constant') continue;
        const span = initializerSpan(layer, mainRole(layer));
        const key = `${span.start}:${span.end}`;
        const location = locations.get(key) ?? { layers: [], indices: new Set<number>(), stack, others: 0 };
        if (!location.indices.has(index)) location.layers.push(layer);
        location.indices.add(index);
        if (stack.growth > location.stack.growth) location.stack = stack;
        locations.set(key, location);
      }
    }
  }
  for (const layer of model.layers) {
    if (!layer.kernel) continue;
    const span = initializerSpan(layer, mainRole(layer));
    const location = locations.get(`${span.start}:${span.end}`);
    if (location && !location.indices.has(layer.index)) location.others++;
  }
  // One propagation per fix for the whole model, every location fixed (stacks are ratios: one table serves all).
  const zeroed = new Map<number, number>();
  const scaled = new Map<number, number>();
  const scaledPointwise = new Map<number, number>();
  for (const location of locations.values()) {
    const { layers, stack, others } = location;
    if (others) continue;
    for (const layer of layers) zeroed.set(layer.index, 0);
    const shared = context.fix.framework === 'tfjs' && layers[0].kind === 'separableConv';
    if (shared) {
      const fix = sharedBranchScale(layers, stack.blocks.length);
      if (!fix) continue;
      location.scale = { id: 'varianceScaling', args: varianceScalingArgs(Number(formatNumber(fix.scale)), 'fanIn', 'uniform') };
      fix.variances.forEach(({ depthwise, pointwise }, index) => (scaled.set(index, depthwise), scaledPointwise.set(index, pointwise)));
      continue;
    }
    location.scale = branchScale(layers, context, stack.blocks.length);
    for (const layer of layers) scaled.set(layer.index, ruleMoments.variance[layer.index] / (2 * stack.blocks.length));
  }
  const zeroMoments = momentsWith(context, carriedVariance(zeroed));
  const scaledMoments = momentsWith(context, carriedVariance(scaled), scaledPointwise);
  return [...locations.values()].map((location) => findingFor(location, zeroMoments, scaledMoments, thresholds, context));
}

/** Growth only: a residual stream never vanishes through its skip, and a shrinking one is not this rule's. */
function tierOf(growth: number, thresholds: ChainThresholds): 0 | 1 | 2 {
  return growth > 1 ? factorTier(growth, thresholds) : 0;
}

function findingFor(location: Location, zeroMoments: MomentTable, scaledMoments: MomentTable, thresholds: ChainThresholds, context: RuleContext): DraftFinding {
  const { layers, stack } = location;
  const first = layers[0];
  const role = mainRole(first);
  const framework = context.fix.framework;
  const { model, consumers } = context.analysis;
  const blocks = stack.blocks.length;
  const targets: { target: InitializerTarget; growth: number }[] = [];
  // Zeros only where the zero branch still trains: a ReLU right before the Add would pass no gradient (chains.ts).
  // tfjs draws a separable conv's pointwise kernel from its depthwiseInitializer: zeros there zero both kernels,
  // and a branch whose two kernels are zero gets no gradient through either.
  const zeroTrains = layers.every((layer) => zeroBranchPath(model, consumers, layer.index)?.throughNormalization === false && !(layer.kind === 'separableConv' && framework === 'tfjs'));
  if (!location.others && zeroTrains) {
    targets.push({ target: { id: 'zeros' }, growth: stackGrowth(stack.blocks, zeroMoments).growth });
  }
  if (location.scale) targets.push({ target: location.scale, growth: stackGrowth(stack.blocks, scaledMoments).growth });
  const outcome = (growth: number) => (Math.abs(Math.log(growth)) < Math.log(2) ? `keeps it at ${formatFactor(growth)}` : `gives ${formatFactor(growth)}`);
  // Why each fix, after its label: zeros start the block as the identity; the scale is Var(W)/(2·blocks).
  const shared = framework === 'tfjs' && first.kind === 'separableConv';
  const why: Partial<Record<InitializerTarget['id'], string>> = {
    zeros: ' (Fixup/SkipInit: each block starts as the identity)',
    varianceScaling: shared ? ` (both kernels: their product of gains over 2·${blocks})` : ` (Var(W)/(2·${blocks}))`,
  };
  const fixes = targets.map(({ target, growth }) => `${targetLabel(target, framework)}${why[target.id] ?? ''} ${outcome(growth)}`);
  const message =
    `${initializerLabel(first.initializers[role], context)} on the last layer of ${layers.length} residual branch${layers.length === 1 ? '' : 'es'} with no normalization: ` +
    `the residual stream's variance grows ×${formatFactor(stack.perBlock)} per block over ${blocks} blocks → ×${formatFactor(stack.growth)} at the last Add` +
    `${fixes.length ? `; ${fixes.join('; ')}` : ''}.` +
    (location.others ? ` This initializer is also written for ${location.others} other layer${location.others === 1 ? '' : 's'}: give the branches' last layers their own, ${zeroTrains ? 'zeros (Fixup/SkipInit) or ' : ''}Var(W)/(2·${blocks}).` : '');
  const finding: DraftFinding = {
    rule: RULE,
    message,
    span: initializerSpan(first, role),
    model: model.name,
    layers: layers.map((layer) => layer.index),
    fixes: targets.map(({ target }, index) => fixFor(fixTitle(target, framework), initializerEdits(first, role, target, context.fix), index === 0)),
  };
  if (tierOf(stack.growth, thresholds) < 2) finding.hint = true;
  return finding;
}

/**
 * Var(W)/(2·blocks) as a VarianceScaling with fan_in mode: scale = fan_in·Var(W)/(2·blocks), the same for every
 * layer of the location (else no single edit fits them all). Keras keeps a written normal (its truncated normal
 * is exact); tfjs's is not, so it gets the uniform form.
 */
function branchScale(layers: Layer[], context: RuleContext, blocks: number): InitializerTarget | undefined {
  const { ruleMoments } = context.analysis;
  const scales = layers.map((layer) => ((layer.fanIn ?? Number.NaN) * ruleMoments.variance[layer.index]) / (2 * blocks));
  if (!scales.every((scale) => scale > 0 && Math.abs(scale / scales[0] - 1) < 0.01)) return undefined;
  const use = layers[0].initializers[mainRole(layers[0])];
  const writtenNormal = !!use?.written && !!use.id && distributionFamily(use.id, use.params) === 'normal';
  const normal = context.fix.framework === 'keras' && writtenNormal && (context.assumptions.kerasCorrectsTruncation ?? true);
  return { id: 'varianceScaling', args: varianceScalingArgs(Number(formatNumber(scales[0])), 'fanIn', normal ? 'normal' : 'uniform') };
}
