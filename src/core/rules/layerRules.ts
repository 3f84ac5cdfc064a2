/** Rules about a single layer's initializers, whatever its chain does. */
import { RECURRENT_KINDS } from '../catalogue/layers';
import { factorTier, isZeroResidualBranch, normalizesOutput, type Chain } from '../chains';
import { initializerEdits, type InitializerTarget } from '../fixes';
import { formatFactor, normalCdf } from '../math';
import { ACTIVATIONS, inactiveFraction, parameterOf } from '../catalogue/activations';
import type { InitializerRole, Layer } from '../model';
import {
  activationLabel, categoryOf, depthwiseNote, fixFor, fixTitle, initializerLabel, initializerSpan, isHeOnSaturatingLayer, mainRole,
  recommendedTarget, signalFanIn, targetLabel, targetVariance, type DraftFinding, type RuleContext,
} from './context';
import { fanInNote, kernelGains, planEdits, plannedGain, planLabel, separablePlan } from './separableFixes';

/** Runs `check` once per source location (a loop body repeated N times is one location). */
function perLocation(context: RuleContext, check: (layer: Layer) => DraftFinding | undefined): DraftFinding[] {
  const seen = new Map<string, DraftFinding>();
  const { layers } = context.analysis.model;
  // An index loop: five rules walk every layer of 10,000-layer models, and this one allocates no iterator results.
  for (let index = 0; index < layers.length; index++) {
    const layer = layers[index];
    const finding = check(layer);
    if (!finding) continue;
    const key = `${finding.span.start}:${finding.span.end}`;
    const existing = seen.get(key);
    if (existing) existing.layers.push(layer.index);
    else seen.set(key, finding);
  }
  return [...seen.values()];
}

/**
 * A per-layer rule's tier follows the layer's chain (docs/rules/README.md, "Why these thresholds"): a warning
 * where the chain fails at the warning threshold, else a hint — the fix is better in theory, but at this
 * depth measured training did not suffer.
 */
function tiered(finding: DraftFinding, context: RuleContext, layer: Layer): DraftFinding {
  const chain = context.analysis.chainOf.get(layer.index);
  const failure = MEASURED_FAILURE[finding.rule];
  const { layers } = context.analysis.model;
  const sameActivation = chain ? chain.hiddenLayers.filter((index) => layers[index].activation.spec.id === layer.activation.spec.id).length : 0;
  const warns = chain && (failure ? failure(chain, sameActivation) : chain.tier === 'warning');
  if (!warns) finding.hint = true;
  return finding;
}

/**
 * Rules whose measured training suffered well inside the chain threshold (docs/rules/README.md, "Why these
 * thresholds"), with the failure measured. SELU under He at depth 4, whose chain reads ×3.0, needed 1.7× the
 * steps of LeCun normal: either factor beyond ×2. tanh under He trained as fast up to a backward factor of 1.3 and
 * 1.6× slower at 2.9 (20 layers: He puts tanh in the chaotic phase): the backward factor growing past 2. A tanh
 * chain that vanishes is no saturation (He's larger scale works against it), and its forward factor settles near
 * 0.6 at any depth.
 */
const MEASURED_FAILURE: Partial<Record<DraftFinding['rule'], (chain: Chain, layersOfActivation: number) => boolean>> = {
  'selu-lecun': (chain, count) => (count >= OWN_MIN_DEPTH ? beyond(chain.forwardFactor, 2) || beyond(chain.backwardFactor, 2) : chain.tier === 'warning'),
  'saturating-he': (chain, count) => count >= OWN_MIN_DEPTH && chain.backwardFactor > 2,
};

/** Outside [1/limit, limit]. */
function beyond(factor: number, limit: number): boolean {
  return factorTier(factor, { threshold: limit, hintThreshold: limit }) === 2;
}

/** Fewer layers of the activation than the shallowest measured failure (4 hidden, 3 steps) are a hint. */
const OWN_MIN_DEPTH = 3;

function draft(context: RuleContext, layer: Layer, rule: DraftFinding['rule'], message: string, span: DraftFinding['span'], fixes: DraftFinding['fixes']): DraftFinding {
  return { rule, message, span, fixes, model: context.analysis.model.name, layers: [layer.index] };
}

function replaceFix(layer: Layer, role: Parameters<typeof initializerEdits>[1], target: InitializerTarget, context: RuleContext, preferred = true) {
  return fixFor(fixTitle(target, context.fix.framework), initializerEdits(layer, role, target, context.fix), preferred);
}

/**
 * The fix to the activation's recommendation on a layer's main kernel, as its label and fix: a separable conv's
 * is both of its kernels' (separableFixes.ts), with the gain c they give together.
 */
function recommendedFix(layer: Layer, context: RuleContext): { label: string; fix: DraftFinding['fixes'][number]; separableGain?: number } {
  const role = mainRole(layer);
  if (layer.kind === 'separableConv') {
    const plan = separablePlan([layer], context);
    const label = planLabel(plan, context);
    return { label, fix: fixFor(`Use ${label}`, planEdits(layer, plan, context)), separableGain: plannedGain(layer, plan, context) };
  }
  const target = recommendedTarget(layer, role, context.fix.framework, context.assumptions);
  return { label: targetLabel(target, context.fix.framework), fix: replaceFix(layer, role, target, context) };
}

/**
 * The role of a layer's constant kernel: its main one, or a separable conv's pointwise kernel where the
 * framework draws it from its own initializer (Keras; tfjs draws it from the depthwise one).
 */
function constantRole(layer: Layer): InitializerRole {
  const role = mainRole(layer);
  const pointwise = layer.initializers.pointwise;
  if (layer.initializers[role]?.sampling?.kind === 'constant' || !pointwise || pointwise.ignoredByFramework) return role;
  return pointwise.sampling?.kind === 'constant' ? 'pointwise' : role;
}

export function symmetricInit(context: RuleContext): DraftFinding[] {
  const { analysis } = context;
  return perLocation(context, (layer) => {
    const role = constantRole(layer);
    const use = layer.initializers[role];
    // The sampling first: most kernels are not constant, and it is read without a lookup.
    if (use?.sampling?.kind !== 'constant' || !analysis.hidden.has(layer.index) || categoryOf(use) !== 'constant') return undefined;
    // A zero-initialised last layer of a residual branch is Fixup/ReZero: the skip path carries the signal.
    if (isZeroResidualBranch(analysis.model, analysis.consumers, layer.index)) return undefined;
    const { label, fix } = recommendedFix(layer, context);
    const value = use.sampling.value;
    const kernel = `Hidden ${layer.className} layer starts with a constant ${role === 'pointwise' ? 'pointwise ' : ''}kernel (${initializerLabel(use, context)})`;
    const message = unitsStayIdentical(layer, value, context)
      ? `${kernel}: every unit computes the same function and receives the same gradient, so its ${layer.width ?? ''} units can never become different` +
        `${value === 0 ? ' (and with zeros no signal passes at all)' : ''}. Use ${label} for ${activationLabel(layer)}.`
      : `${kernel}: its ${layer.width ?? ''} units start as copies of one unit, and only the random weights of the layer after it tell them apart` +
        `${value === 0 ? ' (with zeros it passes no signal at the start)' : ''}. Use ${label} for ${activationLabel(layer)}.`;
    return draft(context, layer, 'symmetric-init', message.replace('its  units', 'its units'), initializerSpan(layer, role), [fix]);
  });
}

/**
 * Whether training can never tell a constant layer's units apart. Unit j's gradient is φ'(z_j)·Σ_k W_next[j,k]·δ_k:
 * the same for every unit when each kernel layer its output reaches starts constant too, and zero for all when a
 * zero kernel leaves every pre-activation at a constant bias where the activation is flat (ReLU at 0: TensorFlow
 * and tfjs take its derivative there as 0). Otherwise the next layer's random weights set the units apart from
 * the first step (a zero tanh layer before a random one trains).
 */
function unitsStayIdentical(layer: Layer, value: number, context: RuleContext): boolean {
  // A separable conv is bilinear in its two kernels: with both zero (tfjs draws the pointwise one from
  // depthwiseInitializer, tfjs#8564), each one's gradient goes through the other, and neither ever moves.
  if (value === 0 && layer.kind === 'separableConv' && isZeroKernel(layer, 'depthwise') && isZeroKernel(layer, 'pointwise')) return true;
  if (value === 0) {
    const bias = layer.initializers.bias?.sampling;
    const preactivation = bias === undefined ? 0 : bias.kind === 'constant' ? bias.value : undefined;
    const spec = layer.activation.spec;
    if (preactivation !== undefined && ACTIVATIONS[spec.id].derivative(preactivation, parameterOf(spec)) === 0) return true;
  }
  const { layers } = context.analysis.model;
  return downstreamKernels(layer.index, context).every((index) => layers[index].initializers[constantRole(layers[index])]?.sampling?.kind === 'constant');
}

function isZeroKernel(layer: Layer, role: InitializerRole): boolean {
  const sampling = layer.initializers[role]?.sampling;
  return sampling?.kind === 'constant' && sampling.value === 0;
}

/** The nearest kernel layers a layer's output reaches, through the layers without a kernel in between. */
function downstreamKernels(index: number, context: RuleContext): number[] {
  const { layers } = context.analysis.model;
  const { consumers } = context.analysis;
  const found: number[] = [];
  const seen = new Set<number>();
  const stack = [...consumers[index]];
  while (stack.length) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    if (layers[next].kernel) found.push(next);
    else stack.push(...consumers[next]);
  }
  return found;
}

export function saturatingHe(context: RuleContext): DraftFinding[] {
  const { analysis } = context;
  return perLocation(context, (layer) => {
    const role = mainRole(layer);
    const use = layer.initializers[role];
    const sampling = use?.sampling;
    if (!isHeOnSaturatingLayer(layer, analysis.hidden) || sampling?.kind !== 'varianceScaling') return undefined;
    // Glorot in the written family (on a depthwise kernel, its fan_out form: see recommendedTarget).
    const { label, fix, separableGain } = recommendedFix(layer, context);
    // Issue 2's table: He or any scale ≥ 2 on a hidden saturating layer, whatever the fans. Where they make He
    // and Glorot alike (fan_in ≫ fan_out, EfficientNet's fan_out gate), the message's two q values say so.
    const glorotGain = separableGain ?? targetVariance(layer, recommendedTarget(layer, role, context.fix.framework, context.assumptions), context.fix.framework, context.assumptions) * (signalFanIn(layer) ?? 1);
    // A layer fed nothing (a constant layer above it, reported on its own) would read "q = 0 with 0%": its
    // numbers are then those of a unit input, which is what this layer does once the layer above is fixed.
    const written = analysis.writtenMoments.inMoment[layer.index];
    const fedNothing = !(written > 1e-12);
    const inMoment = fedNothing ? 1 : written;
    const q = fedNothing ? analysis.writtenMoments.forwardScale[layer.index] : analysis.writtenMoments.q[layer.index];
    const glorotQ = glorotGain * inMoment;
    const saturated = inactiveFraction(layer.activation.spec, q);
    const saturatedWithGlorot = inactiveFraction(layer.activation.spec, glorotQ);
    const message =
      `${initializerLabel(use, context)} (scale ${formatFactor(sampling.scale)}) on a hidden ${activationLabel(layer)} layer ` +
      `scales its pre-activation variance for ReLU, not ${activationLabel(layer)}: ${fedNothing ? 'fed a unit signal, ' : ''}q = ${formatFactor(q)} with ${percent(saturated)} of units saturated ` +
      `(|φ'| < 0.01); ${label} gives q = ${formatFactor(glorotQ)} with ${percent(saturatedWithGlorot)}.`;
    return tiered(draft(context, layer, 'saturating-he', message, initializerSpan(layer, role), [fix]), context, layer);
  });
}

export function seluLecun(context: RuleContext): DraftFinding[] {
  const { analysis } = context;
  // A location's layers by its span (a loop of unequal widths: `for n in (32, 16, 8): Dense(n, activation="selu")`):
  // the message quotes the range of their scales, not the first one's.
  const scalesAt = new Map<string, number[]>();
  const scaleOf = (layer: Layer): number | undefined => {
    const role = mainRole(layer);
    const use = layer.initializers[role];
    // The activation first: most layers are not SELU, and it is read without a lookup.
    if (layer.activation.spec.id !== 'selu' || !analysis.hidden.has(layer.index) || !use?.sampling) return undefined;
    // Normalization after it does the normalizing: SELU's fixed point no longer matters.
    if (normalizesOutput(layer.index, analysis.model.layers, analysis.consumers)) return undefined;
    // Hidden layers are kernel layers: their variance is always known. A separable conv's c is its two kernels' product.
    const separable = layer.kind === 'separableConv' ? kernelGains(layer) : undefined;
    const scale = separable ? separable.depthwise * separable.pointwise : analysis.writtenMoments.variance[layer.index] * (signalFanIn(layer) ?? 1);
    return Math.abs(scale - 1) <= 0.05 ? undefined : scale;
  };
  for (const layer of analysis.model.layers) {
    const scale = scaleOf(layer);
    if (scale === undefined) continue;
    const span = initializerSpan(layer, mainRole(layer));
    const key = `${span.start}:${span.end}`;
    const scales = scalesAt.get(key);
    if (scales) scales.push(scale);
    else scalesAt.set(key, [scale]);
  }
  if (!scalesAt.size) return [];
  return perLocation(context, (layer) => {
    const scale = scaleOf(layer);
    if (scale === undefined) return undefined;
    const role = mainRole(layer);
    const use = layer.initializers[role];
    const span = initializerSpan(layer, role);
    const scales = scalesAt.get(`${span.start}:${span.end}`) ?? [scale];
    const low = Math.min(...scales);
    const high = Math.max(...scales);
    const range = (format: (value: number) => string) => (formatFactor(low) === formatFactor(high) ? format(scale) : `${format(low)} to ${format(high)}`);
    const separable = layer.kind === 'separableConv' ? kernelGains(layer) : undefined;
    const { label, fix } = recommendedFix(layer, context);
    const gives = separable
      ? `c = ${formatFactor(separable.depthwise)} × ${formatFactor(separable.pointwise)} = ${formatFactor(scale)} (its depthwise and pointwise kernels'${fanInNote(layer)})`
      : `${range((value) => `${formatFactor(value)}/fan_in`)}${depthwiseNote(layer)}`;
    const message =
      `SELU self-normalizes only with Var(W) = 1/fan_in (LeCun normal); ${initializerLabel(use, context)} gives ` +
      // c scales the variance each layer receives before SELU: the activations settle at another fixed point
      // (the per-layer gains of the report go to 1 there), not at mean 0, variance 1.
      `${gives}, so each layer scales the variance it receives by ${range((value) => `×${formatFactor(value)}`)} before the activation, and the activations settle away from mean 0, variance 1. ` +
      `Use ${label}.`;
    return tiered(draft(context, layer, 'selu-lecun', message, span, [fix]), context, layer);
  });
}

const DEAD_BIAS_ACTIVATIONS = new Set(['relu', 'relu6', 'thresholdedRelu', 'elu', 'gelu', 'swish', 'mish', 'hardSwish']);

export function deadReluBias(context: RuleContext): DraftFinding[] {
  const { analysis } = context;
  return perLocation(context, (layer) => {
    const use = layer.initializers.bias;
    const sampling = use?.sampling;
    if (!layer.useBias || sampling?.kind !== 'constant' || sampling.value >= 0) return undefined;
    if (!DEAD_BIAS_ACTIVATIONS.has(layer.activation.spec.id)) return undefined;
    const q = analysis.writtenMoments.q[layer.index];
    const dead = normalCdf(-sampling.value / Math.sqrt(Math.max(q, 1e-12)));
    const message =
      `Bias initialized to ${sampling.value} on a ${activationLabel(layer)} layer whose pre-activations have std ${formatFactor(Math.sqrt(q))}: ` +
      `${percent(dead)} of units start in the flat negative region and get little or no gradient. Start biases at zeros.`;
    return draft(context, layer, 'dead-relu-bias', message, initializerSpan(layer, 'bias'), [replaceFix(layer, 'bias', { id: 'zeros' }, context)]);
  });
}

export function recurrentInit(context: RuleContext): DraftFinding[] {
  return perLocation(context, (layer) => {
    const use = layer.initializers.recurrent;
    // Identity is orthogonal too (IRNN, Le et al. 2015).
    if (!RECURRENT_KINDS.has(layer.kind) || !use?.written || !use.id || use.id === 'orthogonal' || use.id === 'identity') return undefined;
    // Gates (LSTM, GRU) let the state bypass the matrix, and a square Glorot one keeps its norm on average:
    // real gated models train with it (TensorFlow's text-generation tutorial writes glorot_uniform there), so
    // there it is a hint, and says why; an ungated SimpleRNN gets the information.
    const gated = layer.kind !== 'simpleRnn';
    const message =
      `${layer.className} recurrent kernel initialized with ${initializerLabel(use, context)}, not orthogonal: the state is multiplied ` +
      `by this matrix at every time step, and only an orthogonal matrix keeps its norm` +
      (gated
        ? ` in every direction. The ${layer.className}'s gates let the state bypass it, which softens this: orthogonal (the default) is the safer start, not a must.`
        : ', so gradients through time vanish or explode.');
    const finding = draft(context, layer, 'recurrent-init', message, initializerSpan(layer, 'recurrent'), [
      replaceFix(layer, 'recurrent', { id: 'orthogonal' }, context),
    ]);
    if (gated) finding.hint = true;
    return finding;
  });
}

function percent(fraction: number): string {
  const value = fraction * 100;
  return `${value < 1 && value > 0 ? value.toFixed(1) : Math.round(value)}%`;
}
