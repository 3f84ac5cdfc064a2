/**
 * A separable conv is two kernels with no activation between them: a depthwise kernel [k…, in, multiplier]
 * (each output sums its own channel's k… inputs) and a pointwise kernel [1…, in·multiplier, filters]. Its gain
 * is the product of theirs, so a fix must look at both. Keras writes each (`depthwise_initializer`,
 * `pointwise_initializer`); TensorFlow.js draws both from `depthwiseInitializer` and ignores a written
 * `pointwiseInitializer` (tfjs-layers 4.22 convolutional.ts L1104-1105, tfjs#8564).
 */
import { distributionFamily, weightVariance, type FrameworkAssumptions } from '../catalogue/initializers';
import { initializerEdits, keywordName, type FixContext, type InitializerTarget } from '../fixes';
import type { TextEdit } from '../findings';
import { formatFactor } from '../math';
import { pointwiseFans, type Layer } from '../model';
import {
  initializerLabel, kernelTaps, recommendedTarget, separableDepthwiseTarget, separableWidening, targetLabel, targetVariance, type RuleContext,
} from './context';

export type SeparableRole = 'depthwise' | 'pointwise';

/** What a fix writes into a separable conv's call, kernel by kernel. */
export interface SeparablePlan {
  writes: { role: SeparableRole; target: InitializerTarget }[];
  /** TensorFlow.js: the one initializer both kernels are drawn from (written as `depthwiseInitializer`). */
  shared?: InitializerTarget;
}

/** What planning a fix reads: the framework and its assumptions (a hover has no rule context). */
export type PlanContext = { fix: Pick<FixContext, 'framework'>; assumptions: FrameworkAssumptions };

/** A kernel within this ratio of its target's gain is left as written. */
const KEPT_GAIN = 1.1;

/**
 * The fix for separable convs written at one location (`layers`: a loop's copies whose gains compound, not a
 * chain's first layer): in Keras each kernel whose gain is off its target's (depthwise 1, pointwise the
 * activation's He/Glorot/LeCun); in TensorFlow.js the one initializer both kernels are drawn from, and a
 * written (ignored) `pointwiseInitializer` rewritten to the same value, so the code stays right once tfjs honours it.
 */
export function separablePlan(layers: Layer[], context: PlanContext): SeparablePlan {
  const { framework } = context.fix;
  const representative = layers[0];
  if (framework === 'tfjs') {
    const use = representative.initializers.depthwise;
    const family = (use?.written && use.id && distributionFamily(use.id, use.params)) || 'uniform';
    const shared = separableDepthwiseTarget(representative, representative.activation.spec.id === 'selu' ? 'normal' : family, framework, context.assumptions, typicalWidening(layers));
    const writes: SeparablePlan['writes'] = [{ role: 'depthwise', target: shared }];
    if (representative.initializers.pointwise?.written) writes.push({ role: 'pointwise', target: shared });
    return { writes, shared };
  }
  const targets = (['depthwise', 'pointwise'] as const).map((role) => ({ role, target: recommendedTarget(representative, role, framework, context.assumptions) }));
  const now = kernelGains(representative);
  const off = targets.filter(({ role, target }) => {
    const wanted = kernelGain(representative, role, targetVariance(representative, target, framework, context.assumptions, role));
    return !(Math.abs(Math.log(now[role] / wanted)) <= Math.log(KEPT_GAIN));
  });
  return { writes: off.length ? off : targets };
}

/** filters/in, typical of a location's layers (their geometric mean): what TensorFlow.js's one scale must serve. */
function typicalWidening(layers: Layer[]): number {
  let logSum = 0;
  for (const layer of layers) logSum += Math.log(separableWidening(layer));
  return Math.exp(logSum / Math.max(layers.length, 1));
}

/** Each kernel's Var(W) once the plan is applied (a kernel it leaves keeps its own: absent). */
export function plannedVariances(layer: Layer, plan: SeparablePlan, context: PlanContext): Partial<Record<SeparableRole, number>> {
  const { framework } = context.fix;
  const variances: Partial<Record<SeparableRole, number>> = {};
  if (plan.shared) {
    variances.depthwise = targetVariance(layer, plan.shared, framework, context.assumptions, 'depthwise');
    variances.pointwise = targetVariance(layer, plan.shared, framework, context.assumptions, 'pointwise');
    return variances;
  }
  for (const { role, target } of plan.writes) variances[role] = targetVariance(layer, target, framework, context.assumptions, role);
  return variances;
}

/** The plan's edits, each once (two targets may add the same import). */
export function planEdits(layer: Layer, plan: SeparablePlan, context: RuleContext): TextEdit[] {
  const edits: TextEdit[] = [];
  const seen = new Set<string>();
  for (const { role, target } of plan.writes) {
    for (const edit of initializerEdits(layer, role, target, context.fix)) {
      const key = `${edit.span.start}:${edit.span.end}:${edit.newText}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edits.push(edit);
    }
  }
  return edits;
}

/** `depthwise_initializer=VarianceScaling(…) with pointwise_initializer=he_uniform`; tfjs: `depthwiseInitializer: … (both kernels)`. */
export function planLabel(plan: SeparablePlan, context: PlanContext): string {
  const { framework } = context.fix;
  const assign = (role: SeparableRole, target: InitializerTarget) =>
    framework === 'keras' ? `${keywordName(framework, role)}=${targetLabel(target, framework)}` : `${keywordName(framework, role)}: ${targetLabel(target, framework)}`;
  if (plan.shared) return `${assign('depthwise', plan.shared)} (both kernels${plan.writes.length > 1 ? '; the pointwiseInitializer written the same' : ''})`;
  return plan.writes.map(({ role, target }) => assign(role, target)).join(' with ');
}

/**
 * How a finding names a separable conv's kernels: "depthwise he_normal and pointwise he_normal on 4 ReLU layers
 * (gain c = 0.063 × 2, …)". `what` is the layers' phrase ("4 ReLU layers").
 */
export function separableLead(layer: Layer, what: string, context: RuleContext): string {
  const depthwise = initializerLabel(layer.initializers.depthwise, context);
  if (context.fix.framework === 'tfjs') {
    const ignored = layer.initializers.pointwise?.written ? ' and ignores the pointwiseInitializer written' : '';
    return `${depthwise} on ${what} (TensorFlow.js draws both kernels from depthwiseInitializer${ignored}, tfjs#8564; ${kernelsNote(layer, context)})`;
  }
  return `depthwise ${depthwise} and pointwise ${initializerLabel(layer.initializers.pointwise, context)} on ${what} (${kernelsNote(layer, context)})`;
}

/**
 * "gain c = 0.063 × 2, the product of the depthwise and pointwise kernels'", and why a fan_in initializer is small
 * on the depthwise kernel: both frameworks divide it by every input channel.
 */
export function kernelsNote(layer: Layer, context?: PlanContext): string {
  const gains = kernelGains(layer);
  // A constant kernel is symmetric-init's finding; the chain is judged with it fixed, and says so.
  let constant = '';
  for (const role of ['depthwise', 'pointwise'] as const) {
    if (!context || layer.initializers[role]?.sampling?.kind !== 'constant') continue;
    const planned = plannedVariances(layer, separablePlan([layer], context), context)[role];
    if (planned === undefined) continue;
    gains[role] = kernelGain(layer, role, planned);
    constant = `; the constant ${role} kernel counted as its fix`;
  }
  return `gain c = ${formatFactor(gains.depthwise)} × ${formatFactor(gains.pointwise)}, the product of the depthwise and pointwise kernels'${constant}${fanInNote(layer)}`;
}

/** "; the framework divides the depthwise kernel by fan_in = 288, …" where a fan_in mode is written on it, else ''. */
export function fanInNote(layer: Layer): string {
  const sampling = layer.initializers.depthwise?.sampling;
  if (sampling?.kind !== 'varianceScaling' || sampling.mode === 'fanOut' || layer.fanIn === undefined) return '';
  return `; the framework divides the depthwise kernel by fan_in = ${layer.fanIn}, every input channel, but each of its outputs sums only ${kernelTaps(layer)} inputs`;
}

/** The layer's gain c once the plan is applied: the product of both kernels'. */
export function plannedGain(layer: Layer, plan: SeparablePlan, context: PlanContext): number {
  const now = kernelGains(layer);
  const planned = plannedVariances(layer, plan, context);
  const depthwise = planned.depthwise === undefined ? now.depthwise : kernelGain(layer, 'depthwise', planned.depthwise);
  const pointwise = planned.pointwise === undefined ? now.pointwise : kernelGain(layer, 'pointwise', planned.pointwise);
  return depthwise * pointwise;
}

/** Each kernel's gain as sampled, in the interior of the map: k…·Var(depthwise) and in·multiplier·Var(pointwise). */
export function kernelGains(layer: Layer): Record<SeparableRole, number> {
  const variances = kernelVariances(layer);
  return {
    depthwise: variances.depthwise === undefined ? 1 : kernelGain(layer, 'depthwise', variances.depthwise),
    pointwise: variances.pointwise === undefined ? 1 : kernelGain(layer, 'pointwise', variances.pointwise),
  };
}

/** Each kernel's Var(W) as sampled, with the fans each framework gives it; undefined where unresolved. */
export function kernelVariances(layer: Layer): Record<SeparableRole, number | undefined> {
  const depthwise = layer.initializers.depthwise?.sampling;
  const pointwise = layer.initializers.pointwise?.sampling;
  const fans = pointwiseFans(layer);
  return {
    depthwise: depthwise && weightVariance(depthwise, layer.fanIn ?? 1, layer.fanOut ?? 1),
    pointwise: pointwise && weightVariance(pointwise, fans.fanIn, fans.fanOut),
  };
}

function kernelGain(layer: Layer, role: SeparableRole, variance: number): number {
  return variance * (role === 'depthwise' ? kernelTaps(layer) : pointwiseFans(layer).fanIn);
}

/**
 * A residual branch's scale fix on TensorFlow.js separable convs, whose two kernels are drawn from the one
 * `depthwiseInitializer`: `VarianceScaling(s, fanIn)` gives the depthwise kernel a gain of k…·s/(k…·in) = s/in
 * and the pointwise one in·m·s/(in·m) = s, a product s²/in. The s whose product is the present one over
 * 2·blocks, the same for every layer of the location (else none), with the variances it gives each kernel.
 */
export function sharedBranchScale(layers: Layer[], blocks: number): { scale: number; variances: Map<number, Record<SeparableRole, number>> } | undefined {
  const scales = layers.map((layer) => {
    const gains = kernelGains(layer);
    const inChannels = (layer.fanIn ?? Number.NaN) / kernelTaps(layer);
    return Math.sqrt((gains.depthwise * gains.pointwise * inChannels) / (2 * blocks));
  });
  if (!scales.every((scale) => scale > 0 && Math.abs(scale / scales[0] - 1) < 0.01)) return undefined;
  const scale = scales[0];
  const variances = new Map(layers.map((layer) => [layer.index, { depthwise: scale / (layer.fanIn ?? Number.NaN), pointwise: scale / pointwiseFans(layer).fanIn }]));
  return { scale, variances };
}
