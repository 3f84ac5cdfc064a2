/** What every rule reads: the model, its predicted moments, its chains, and the helpers that word findings. */
import { ACTIVATIONS, secondMoment, type ActivationFamily } from '../catalogue/activations';
import {
  distributionFamily, INITIALIZERS, modeFan, namedInitializer, preferredString, samplingOf, weightVariance,
  type FanMode, type FrameworkAssumptions, type InitializerId, type InitializerParams, type Recommendation, type Sampling,
} from '../catalogue/initializers';
import { chainFactors, type Chain, type ChainThresholds, type LayerChains } from '../chains';
import type { FixContext, InitializerTarget, TargetArg } from '../fixes';
import { formatNumber } from '../fixes';
import type { Finding, Fix, RuleId } from '../findings';
import type { Framework, Span } from '../ir';
import { TRUNCATED_NORMAL_VARIANCE_FACTOR } from '../math';
import { mainRole, pointwiseFans, signalFanIn, type InitializerRole, type InitializerUse, type Layer, type Model } from '../model';
import { propagateTable, type KernelVariances, type LayerMoments, type MomentTable, type VarianceOverride } from '../propagation';

export interface ModelAnalysis {
  model: Model;
  /** Moments of the model as written, one object per layer with the dead/saturated fractions (the report, hover, panel). */
  moments: LayerMoments[];
  /** The same moments as columns: what the rules read. */
  writtenMoments: MomentTable;
  /**
   * Moments with constant and unresolvable kernels replaced by their recommended initializer: chain rules
   * judge the rest of a chain as if symmetric-init were already fixed, so one zero layer does not blame its neighbours.
   */
  ruleMoments: MomentTable;
  /** The replacements `ruleMoments` assume (the recommended initializer's Var(W) on constant and unresolved kernels). */
  ruleKernels: KernelVariances;
  ruleOverride: VarianceOverride;
  chains: Chain[];
  chainOf: LayerChains;
  /** Per layer, what turns its backward gain into c·E[φ'²] (chains.ts `widthCorrections`). */
  widthCorrections: Float64Array;
  hidden: Set<number>;
  consumers: number[][];
}

export interface RuleContext {
  analysis: ModelAnalysis;
  fix: FixContext;
  thresholds: ChainThresholds;
  /** `kerasMajor`: the configured Keras version's major (frameworkVersion.keras; 3 when absent). */
  assumptions: FrameworkAssumptions & { kerasMajor?: number; kerasReadsKeras1Names?: boolean };
}

/**
 * A finding before configuration assigns its severity. `hint`: the rule's own judgement that this one is only
 * a hint (the fix is better in theory, measured training did not suffer); it stays a hint whatever the setting.
 */
export type DraftFinding = Omit<Finding, 'severity'> & { hint?: boolean };

export interface Rule {
  id: RuleId;
  check(context: RuleContext): DraftFinding[];
}

export { mainRole, signalFanIn };

export function familyOf(layer: Layer): ActivationFamily {
  return ACTIVATIONS[layer.activation.spec.id].family;
}

/**
 * He, or any variance scaling with scale ≥ 2, on a hidden saturating layer: what saturating-he reports. The
 * chain rules leave such a layer to it: their fixes would keep He (truncated-variance's heUniform) where
 * saturating-he's says Glorot, and two findings at one place must not pull opposite ways.
 */
export function isHeOnSaturatingLayer(layer: Layer, hidden: Set<number>): boolean {
  // The activation's family first: most layers are not saturating ones.
  if (familyOf(layer) !== 'saturating' || !hidden.has(layer.index)) return false;
  const use = layer.initializers[mainRole(layer)];
  const sampling = use?.sampling;
  return sampling?.kind === 'varianceScaling' && signalScale(layer, sampling) >= 2 && !use?.ignoredByFramework;
}

/** Why He is not He on a depthwise kernel, for its messages: " (the framework divides by fan_in = 2304, …)". */
export function depthwiseNote(layer: Layer): string {
  if (layer.kind !== 'depthwiseConv' || layer.fanIn === undefined) return '';
  return ` (the framework divides by fan_in = ${layer.fanIn}, every input channel, but each depthwise output sums only ${signalFanIn(layer)} inputs)`;
}

type VarianceScalingSampling = Extract<Sampling, { kind: 'varianceScaling' }>;

/**
 * A variance-scaling initializer's scale relative to the inputs each output really sums (`signalFanIn`):
 * 2 is He, 1 is LeCun or Glorot on a square layer. Its written scale, except on a depthwise kernel, where
 * the frameworks' fans count every input channel (He there is 2·k²/(k²·in) = 2/in in these terms).
 */
export function signalScale(layer: Layer, sampling: VarianceScalingSampling): number {
  if (layer.kind !== 'depthwiseConv' && layer.kind !== 'separableConv') return sampling.scale;
  const depthwise = (sampling.scale * kernelTaps(layer)) / Math.max(modeFan(sampling.mode, layer.fanIn ?? 1, layer.fanOut ?? 1), 1);
  return layer.kind === 'separableConv' ? depthwise * pointwiseScale(layer) : depthwise;
}

/** k·…: the inputs each depthwise output sums. */
export function kernelTaps(layer: Pick<Layer, 'kernelSize'>): number {
  return (layer.kernelSize ?? []).reduce((product, size) => product * size, 1);
}

/**
 * A separable conv's pointwise kernel's scale (fan_in·Var(W) as its initializer states it, before tfjs's
 * truncation): a separable conv is its two kernels with no activation between, so its scale is the product
 * of the depthwise kernel's and this (He under ReLU wants 2 in all). An unresolved one counts 1, as propagation does.
 */
export function pointwiseScale(layer: Layer): number {
  const sampling = layer.initializers.pointwise?.sampling;
  if (!sampling) return 1;
  const fans = pointwiseFans(layer);
  if (sampling.kind === 'varianceScaling') return (sampling.scale * fans.fanIn) / Math.max(modeFan(sampling.mode, fans.fanIn, fans.fanOut), 1);
  return weightVariance(sampling, fans.fanIn, fans.fanOut) * fans.fanIn;
}

/**
 * Smooth ReLU-like activations (ELU, GELU, swish, mish, hard swish): He is not their scale. The scale that
 * keeps q = 1 a fixed point is c* = 1/m2_φ(1) (SCIENCE.md §6: swish ≈ 2.81, GELU ≈ 2.35, mish ≈ 2.21,
 * ELU ≈ 1.55); undefined for every other activation, whose recommendation is He, LeCun or Glorot.
 */
export function activationScale(layer: Layer): number | undefined {
  const { id } = layer.activation.spec;
  if (!SMOOTH_RELU_LIKE.has(id)) return undefined;
  return Number(formatNumber(1 / secondMoment(layer.activation.spec, 1)));
}

const SMOOTH_RELU_LIKE: ReadonlySet<string> = new Set(['elu', 'gelu', 'swish', 'mish', 'hardSwish']);

/**
 * He's scale for a leaky rectifier of slope α, on a chain of `depth` such layers: 2/(1+α²), which keeps q fixed
 * as 2 does for ReLU (He et al. 2015, eq. 10: ½(1+a²)·n·Var(w) = 1; SCIENCE.md §1, m2 = (1+α²)/2). He's own 2
 * gains ×(1+α²) per layer (×1.09 under the Keras and tfjs default α = 0.3: ×12 over 30 layers). Undefined where
 * that drift stays under ×2 over the chain (a GAN discriminator's few LeakyReLU(0.2) layers, PReLU's α = 0 at
 * init): there He by name is the simpler fix and as good.
 */
export function leakyHeScale(layer: Layer, depth: number): number | undefined {
  const { id, parameter } = layer.activation.spec;
  if ((id !== 'leakyRelu' && id !== 'prelu') || !parameter) return undefined;
  const perLayer = 1 + parameter * parameter;
  return depth * Math.log(perLayer) < Math.LN2 ? undefined : Number(formatNumber(2 / perLayer));
}

export function recommendationFor(layer: Layer): Recommendation {
  const family = familyOf(layer);
  return family === 'relu' ? 'he' : family === 'selu' ? 'lecun' : 'glorot';
}

/**
 * The initializer a fix writes for a layer: the recommendation for its activation, in the distribution
 * family already written (uniform when none is: exact in both frameworks). `chainDepth`: the layers of its chain
 * whose gains compound (a leaky rectifier's exact He scale depends on it: `leakyHeScale`).
 */
export function recommendedTarget(layer: Layer, role: InitializerRole, framework: 'keras' | 'tfjs', assumptions?: FrameworkAssumptions, chainDepth = 1): InitializerTarget {
  const recommendation = recommendationFor(layer);
  const use = layer.initializers[role];
  // tfjs draws its named normals from an uncorrected truncated normal (0.7737 of the variance): a fix there is
  // the uniform form, exact in both frameworks, so it never raises truncated-variance where it lands.
  const family = (framework === 'keras' && use?.written && use.id && distributionFamily(use.id, use.params)) || 'uniform';
  // SELU's LeCun is the normal form, whatever was written.
  if (layer.kind === 'depthwiseConv' && role === 'depthwise') return depthwiseTarget(layer, recommendation, recommendation === 'lecun' ? 'normal' : family, framework, assumptions);
  if (layer.kind === 'separableConv' && role === 'depthwise') return separableDepthwiseTarget(layer, recommendation === 'lecun' ? 'normal' : family, framework, assumptions);
  if (recommendation === 'lecun') return exactLecunNormal(framework, assumptions);
  const scale = role === 'recurrent' ? undefined : activationScale(layer) ?? leakyHeScale(layer, chainDepth);
  if (scale !== undefined) return scaledTarget(scale, 'fanIn', family, framework, assumptions);
  return namedTarget(namedInitializer(recommendation, family));
}

/** A named initializer as a fix target: one frozen object per id, shared by every fix, its labels written once. */
function namedTarget(id: InitializerId): InitializerTarget {
  let target = NAMED_TARGETS.get(id);
  if (!target) NAMED_TARGETS.set(id, (target = constantTarget({ id })));
  return target;
}

const NAMED_TARGETS = new Map<InitializerId, InitializerTarget>();

/**
 * A depthwise kernel's He/Glorot/LeCun in terms of the k² inputs each output sums: fan_out mode, whose fan is
 * k²·multiplier in both frameworks, with scale gain²·multiplier (2 for He, 1 for Glorot and LeCun, which
 * agree here when the multiplier is 1). The fan_in forms divide by k²·in: 1/in of what they intend.
 */
function depthwiseTarget(layer: Layer, recommendation: Recommendation, family: 'normal' | 'uniform', framework: 'keras' | 'tfjs', assumptions?: FrameworkAssumptions): InitializerTarget {
  const gain = activationScale(layer) ?? (recommendation === 'he' ? 2 : 1);
  return scaledTarget(gain * (layer.depthMultiplier ?? 1), 'fanOut', family, framework, assumptions);
}

/**
 * The gain a layer's kernels should give in all: He's 2 under ReLU, the activation's own c* (ELU, GELU…),
 * 1 for Glorot and LeCun.
 */
export function recommendedGain(layer: Layer): number {
  return activationScale(layer) ?? (recommendationFor(layer) === 'he' ? 2 : 1);
}

/**
 * A separable conv's depthwise kernel, whose output reaches the pointwise kernel unactivated. Keras: gain 1 in
 * terms of the k² inputs each output sums (fan_out mode, scale = multiplier), the activation's gain left to the
 * pointwise kernel's own He, Glorot or LeCun. TensorFlow.js draws both kernels from this one initializer:
 * fan_out mode with scale s gives s/multiplier and s·in·multiplier/filters, so s = √(gain·filters/in) makes
 * their product the gain (`widening`: filters/in, a location's typical one).
 */
export function separableDepthwiseTarget(
  layer: Layer, family: 'normal' | 'uniform', framework: 'keras' | 'tfjs', assumptions?: FrameworkAssumptions, widening = separableWidening(layer),
): InitializerTarget {
  if (framework === 'keras') return scaledTarget(layer.depthMultiplier ?? 1, 'fanOut', family, framework, assumptions);
  return scaledTarget(Number(formatNumber(Math.sqrt(recommendedGain(layer) * widening))), 'fanOut', family, framework, assumptions);
}

/** filters/in of a separable conv: 1 on a square one. */
export function separableWidening(layer: Layer): number {
  const inChannels = (layer.fanIn ?? 1) / kernelTaps(layer);
  return layer.width !== undefined && inChannels > 0 ? layer.width / inChannels : 1;
}

/** `VarianceScaling(scale, mode)` with Var(W) = scale/fan exactly: uniform, or a normal corrected for its truncation. */
function scaledTarget(scale: number, mode: FanMode, family: 'normal' | 'uniform', framework: 'keras' | 'tfjs', assumptions?: FrameworkAssumptions): InitializerTarget {
  if (family === 'uniform') return { id: 'varianceScaling', args: varianceScalingArgs(scale, mode, 'uniform') };
  const corrects = framework === 'keras' && (assumptions?.kerasCorrectsTruncation ?? true);
  return {
    id: 'varianceScaling',
    args: varianceScalingArgs(corrects ? scale : scale / TRUNCATED_NORMAL_VARIANCE_FACTOR, mode, 'normal', framework === 'keras' && !corrects),
  };
}

/** LeCun normal with Var = 1/fan_in exactly: Keras ≥ 2.2 corrects its truncation; tfjs (and old Keras) need scale / 0.7737. */
export function exactLecunNormal(framework: 'keras' | 'tfjs', assumptions?: FrameworkAssumptions): InitializerTarget {
  const corrects = assumptions?.kerasCorrectsTruncation ?? true;
  if (framework === 'keras' && corrects) return { id: 'lecunNormal' };
  // Keras < 2.2 accepted only 'normal' and 'uniform' as distributions.
  return { id: 'varianceScaling', args: varianceScalingArgs(1 / TRUNCATED_NORMAL_VARIANCE_FACTOR, 'fanIn', 'normal', !corrects) };
}

/** The `mode` and `distribution` arguments as each language writes them, quoted: written once, not per fix. */
const MODE_ARGS: Record<FanMode, TargetArg> = {
  fanIn: { name: 'mode', python: "'fan_in'", javascript: "'fanIn'" },
  fanOut: { name: 'mode', python: "'fan_out'", javascript: "'fanOut'" },
  fanAvg: { name: 'mode', python: "'fan_avg'", javascript: "'fanAvg'" },
};
const DISTRIBUTION_ARGS = {
  uniform: { name: 'distribution', python: "'uniform'", javascript: "'uniform'" },
  normal: { name: 'distribution', python: "'truncated_normal'", javascript: "'normal'" },
  // Keras < 2.2 accepted only 'normal' and 'uniform'.
  legacyNormal: { name: 'distribution', python: "'normal'", javascript: "'normal'" },
} satisfies Record<string, TargetArg>;

export function varianceScalingArgs(scale: number, mode: FanMode, distribution: 'normal' | 'uniform', legacyKeras = false): TargetArg[] {
  const written = formatNumber(scale);
  return [
    { name: 'scale', python: written, javascript: written },
    MODE_ARGS[mode],
    DISTRIBUTION_ARGS[distribution === 'normal' && legacyKeras ? 'legacyNormal' : distribution],
  ];
}

/** Var(W) a target initializer would really have on this layer (for "He keeps it at 1"); `role` picks a separable conv's kernel. */
export function targetVariance(layer: Layer, target: InitializerTarget, framework: Framework, assumptions: FrameworkAssumptions, role?: InitializerRole): number {
  const params = target.args?.length ? Object.fromEntries(target.args.map((arg) => [arg.name, parseArg(arg.javascript)])) : NO_PARAMS;
  const sampling = samplingOf(framework, target.id, params, assumptions);
  if (role === 'pointwise') {
    const fans = pointwiseFans(layer);
    return weightVariance(sampling, fans.fanIn, fans.fanOut);
  }
  return weightVariance(sampling, layer.fanIn ?? 1, layer.fanOut ?? 1);
}

const NO_PARAMS: InitializerParams = Object.freeze({});

function parseArg(javascript: string): number | string {
  if (javascript === 'Math.SQRT2') return Math.SQRT2;
  const number = Number(javascript);
  return Number.isNaN(number) ? javascript.replace(/'/g, '') : number;
}

/** Where a finding about an initializer points: the written argument, else the layer's callee. */
export function initializerSpan(layer: Layer, role: InitializerRole): Span {
  return layer.initializers[role]?.written?.span ?? layer.call.calleeSpan;
}

/** `glorot_uniform (the Keras default)`, written once per framework and id (a default is named in many findings). */
const DEFAULT_LABELS: Record<Framework, Partial<Record<InitializerId, string>>> = { keras: {}, tfjs: {} };

/** How messages name an initializer: `glorot_uniform (the Keras default)`, `'heNormal'`, `RandomNormal(stddev=0.05)`. */
export function initializerLabel(use: InitializerUse | undefined, context: RuleContext): string {
  const framework = context.fix.framework;
  if (!use?.id) return 'an unresolved initializer';
  if (!use.written) return (DEFAULT_LABELS[framework][use.id] ??= `${preferredString(framework, use.id)} (the ${framework === 'keras' ? 'Keras' : 'TensorFlow.js'} default)`);
  return context.fix.text.slice(use.written.span.start, use.written.span.end);
}

export function targetLabel(target: InitializerTarget, framework: 'keras' | 'tfjs'): string {
  return CONSTANT_LABELS.get(target)?.[framework] ?? writeLabel(target, framework);
}

/**
 * Labels of the targets made once for every fix (`constantTarget`): tfjs's exact He normal is offered beside
 * heUniform on every written normal, and its label was written, then hashed for its title, once per fix.
 */
const CONSTANT_LABELS = new WeakMap<InitializerTarget, Record<'keras' | 'tfjs', string>>();

/** A target made once at module level and shared by every fix that writes it: frozen, its labels written now. */
export function constantTarget(target: InitializerTarget): InitializerTarget {
  if (target.args) Object.freeze(target.args);
  Object.freeze(target);
  CONSTANT_LABELS.set(target, { keras: writeLabel(target, 'keras'), tfjs: writeLabel(target, 'tfjs') });
  return target;
}

function writeLabel(target: InitializerTarget, framework: 'keras' | 'tfjs'): string {
  const name = preferredString(framework, target.id);
  if (!target.args?.length) return name;
  // Each language's own call: `VarianceScaling(scale=2, mode='fan_out')`, `varianceScaling({scale: 2, mode: 'fanOut'})`.
  if (framework === 'tfjs') return `${name}({${target.args.map((arg) => `${arg.name}: ${arg.javascript}`).join(', ')}})`;
  return `${name}(${target.args.map((arg) => `${arg.name}=${arg.python}`).join(', ')})`;
}

/** A fix's title, `Use heNormal`: one string per label, shared by the thousands of fixes that write it. */
export function fixTitle(target: InitializerTarget, framework: 'keras' | 'tfjs'): string {
  return labelTitle(targetLabel(target, framework));
}

/** `Use <label>` for a label already written (a message's), shared like `fixTitle`'s. */
export function labelTitle(label: string): string {
  let title = FIX_TITLES.get(label);
  if (title === undefined) {
    title = `Use ${label}`;
    if (FIX_TITLES.size < 1000) FIX_TITLES.set(label, title);
  }
  return title;
}

const FIX_TITLES = new Map<string, string>();

export function activationLabel(layer: Layer): string {
  return ACTIVATIONS[layer.activation.spec.id].label;
}

export function layerCount(count: number, what: string): string {
  return `${count} ${what} layer${count === 1 ? '' : 's'}`;
}

/**
 * The rule moments with some layers' main-kernel variance replaced ("what if these were fixed").
 * Chains are separated by normalization, and their factors are ratios, so one propagation answers for
 * every chain at once.
 */
export function momentsWith(context: RuleContext, replaced: Map<number, number>, pointwise?: Map<number, number>): MomentTable {
  const kernels = context.analysis.ruleKernels.copy();
  replaced.forEach((variance, index) => kernels.set(index, variance));
  return momentsWithKernels(context, kernels, pointwise);
}

/** `momentsWith` where the replacements are already written into a copy of `ruleKernels`. */
export function momentsWithKernels(context: RuleContext, kernels: KernelVariances, pointwise?: Map<number, number>): MomentTable {
  // A separable conv's second kernel (pointwise), replaced too where a fix rewrites it.
  const override: VarianceOverride = pointwise?.size
    ? (layer, role) => (role === 'pointwise' ? pointwise.get(layer.index) : kernels.override(layer, role))
    : kernels.override;
  return propagateTable(context.analysis.model, context.analysis.consumers, override);
}

/**
 * The cumulative factor of a chain up to the output of `throughLayer`, measured as chains are (chains.ts):
 * forward from the first hidden layer's output, backward down to its ∂L/∂z.
 */
export function cumulativeFactor(
  moments: MomentTable, layers: readonly Layer[], chain: Chain, corrections: Float64Array, throughLayer: number, direction: 'forward' | 'backward',
): number {
  const factors = chainFactors(moments, layers, chain.hiddenLayers, corrections, throughLayer);
  return direction === 'forward' ? factors.forward : factors.backward;
}

export function fixFor(title: string, edits: Fix['edits'], preferred = true): Fix {
  return { title, edits, preferred };
}

export function categoryOf(use: InitializerUse | undefined) {
  return use?.id ? INITIALIZERS[use.id].category : undefined;
}
