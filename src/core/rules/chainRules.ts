/**
 * Rules about chains that vanish or explode: each reports the source locations whose own gain pushes the
 * chain the way it fails (gain < 0.9 on a vanishing chain, > 1.1 on an exploding one), once per location,
 * with the chain's numbers and what the fix would make of them.
 */
import { formatFactor, TRUNCATED_NORMAL_VARIANCE_FACTOR } from '../math';
import { distributionFamily } from '../catalogue/initializers';
import { meanFieldSlope } from '../catalogue/activations';
import { factorTier, offChainPath, type Chain } from '../chains';
import type { KernelVariances, MomentTable } from '../propagation';
import { formatNumber, initializerEdits, type InitializerTarget } from '../fixes';
import { onePerLocation, type RuleId } from '../findings';
import type { Span } from '../ir';
import type { Layer } from '../model';
import {
  activationLabel, activationScale, categoryOf, constantTarget, cumulativeFactor, familyOf, fixTitle, labelTitle, momentsWithKernels, fixFor, initializerSpan, isHeOnSaturatingLayer,
  layerCount, mainRole, recommendedTarget, signalScale, targetLabel, targetVariance, varianceScalingArgs,
  type DraftFinding, type RuleContext,
} from './context';
import { chainLead, chainNote, UNSTABLE_SLOPE } from './chainWording';
import { driversOf, gainOf } from './chainDrivers';
import { planEdits, plannedVariances, planLabel, separableLead, separablePlan, type SeparablePlan } from './separableFixes';

/** How far a scale may be from an activation's own c* before activation-gain blames it (1.55 vs ELU's 1.551 is fine). */
const SCALE_TOLERANCE = 0.1;
/** He's scale, give or take: under it, an unstable activation is not blamed. */
const HE_LIKE_SCALE = 1.8;
const VANISHING_GAIN = 0.9;
const EXPLODING_GAIN = 1.1;

/**
 * Which chain rule (if any) owns a failing layer. Glorot-family findings take precedence over truncated-variance,
 * and saturating-he over every chain rule: He on a hidden tanh or sigmoid layer is reported there, fixed to Glorot.
 */
function chainRuleFor(layer: Layer, chain: Chain, context: RuleContext): RuleId | undefined {
  const use = layer.initializers[mainRole(layer)];
  const sampling = use?.sampling;
  if (!use?.id || !sampling || use.ignoredByFramework) return undefined;
  // A separable conv's gain is both kernels': with one unresolved (a variable), neither can be judged.
  if (layer.kind === 'separableConv' && !layer.initializers.pointwise?.sampling) return undefined;
  if (isHeOnSaturatingLayer(layer, context.analysis.hidden)) return undefined;
  const family = familyOf(layer);
  const category = categoryOf(use);
  if (category === 'fixedScale') return 'fixed-scale-init';
  // A smooth ReLU-like activation under a variance-scaling init far from its own scale c*, vanishing or exploding.
  const scale = activationScale(layer);
  if (scale !== undefined && sampling.kind === 'varianceScaling' && Math.abs(signalScale(layer, sampling) / scale - 1) > SCALE_TOLERANCE) {
    // Measured (docs/rules/README.md, "Why these thresholds"): under He, swish and GELU stacks trained as fast
    // or faster than under their c*, whose fixed point is unstable. He is left alone there.
    const unstable = meanFieldSlope(layer.activation.spec, 1) > UNSTABLE_SLOPE;
    return unstable && signalScale(layer, sampling) >= HE_LIKE_SCALE ? undefined : 'activation-gain';
  }
  if (chain.status !== 'vanishing') return undefined;
  if (category === 'orthogonal') return family === 'relu' && (sampling.kind === 'orthogonal' || sampling.kind === 'identity') && sampling.gain ** 2 < 2 ? 'orthogonal-gain' : undefined;
  if (sampling.kind !== 'varianceScaling') return undefined;
  // Any fan-in scale short of He's under ReLU: Glorot and LeCun (1), and a VarianceScaling(scale=1.5) that loses
  // a quarter per layer (blamed only where its gain is below 0.9).
  if (family === 'relu' && scale === undefined && signalScale(layer, sampling) < HE_LIKE_SCALE) return 'relu-glorot-deep';
  // A scale already divided by 0.7737 (varianceScaling({scale: 2.585, distribution: 'normal'})) is exact.
  if (context.fix.framework === 'tfjs' && sampling.sampler === 'truncatedUncorrected' && !compensated(sampling.scale)) return 'truncated-variance';
  return undefined;
}

/** Whether a tfjs truncated normal's scale was raised to make up for the truncation: LeCun/Glorot's 1 or He's 2. */
function compensated(scale: number): boolean {
  const effective = scale * TRUNCATED_NORMAL_VARIANCE_FACTOR;
  return Math.abs(effective - 1) < 0.02 || Math.abs(effective - 2) < 0.04;
}

function ownGain(context: RuleContext, index: number, direction: 'forward' | 'backward'): number {
  return gainOf(context.analysis.ruleMoments, index, direction, context.analysis.widthCorrections);
}


/** The fix a chain rule offers for a layer of a chain of `chainDepth` compounding layers, preferred first. */
function chainFixTargets(rule: RuleId, layer: Layer, chainDepth: number, context: RuleContext): InitializerTarget[] {
  const framework = context.fix.framework;
  const role = mainRole(layer);
  const use = layer.initializers[role];
  switch (rule) {
    case 'relu-glorot-deep': {
      const he = recommendedTarget(layer, role, framework, context.assumptions, chainDepth);
      // tfjs: heUniform first; for a written normal, He's exact normal form second (tfjs's own heNormal keeps
      // only 0.7737 of He's variance).
      const writtenNormal = use?.written && use.id && distributionFamily(use.id, use.params) === 'normal';
      return framework === 'tfjs' && he.id === 'heUniform' && writtenNormal ? [he, EXACT_HE_NORMAL_TFJS] : [he];
    }
    case 'truncated-variance': {
      const sampling = use?.sampling;
      const scale = sampling?.kind === 'varianceScaling' ? sampling.scale : 1;
      const mode = sampling?.kind === 'varianceScaling' ? sampling.mode : 'fanIn';
      const uniform: InitializerTarget = use?.id && use.id !== 'varianceScaling'
        ? { id: use.id.replace('Normal', 'Uniform') as InitializerTarget['id'] }
        : { id: 'varianceScaling', args: varianceScalingArgs(scale, mode, 'uniform') };
      return [uniform, { id: 'varianceScaling', args: varianceScalingArgs(scale / TRUNCATED_NORMAL_VARIANCE_FACTOR, mode, 'normal') }];
    }
    case 'orthogonal-gain': {
      // He's gain for the layer's activation: √2, or √(2/(1+α²)) under leaky ReLU.
      const slope = layer.activation.spec.id === 'leakyRelu' || layer.activation.spec.id === 'prelu' ? layer.activation.spec.parameter ?? 0 : 0;
      const gain = slope ? { python: formatNumber(Math.sqrt(2 / (1 + slope * slope))), javascript: formatNumber(Math.sqrt(2 / (1 + slope * slope))) } : { python: '2 ** 0.5', javascript: 'Math.SQRT2' };
      return [{ id: use?.id === 'identity' ? 'identity' : 'orthogonal', args: [{ name: 'gain', ...gain }] }];
    }
    default:
      return [recommendedTarget(layer, role, framework, context.assumptions, chainDepth)];
  }
}

/** He's exact normal form in tfjs, whose truncated normal keeps 0.7737 of the variance: one object for every fix. */
const EXACT_HE_NORMAL_TFJS = constantTarget({ id: 'varianceScaling', args: varianceScalingArgs(2 / TRUNCATED_NORMAL_VARIANCE_FACTOR, 'fanIn', 'normal') });

interface Location {
  rule: RuleId;
  /** The blamed initializer argument, or the layer's callee when none is written. */
  span: Span;
  layers: Layer[];
  /** The chain's first hidden layer: its gain does not compound. */
  chainFirst: number;
  /** How many of the chain's layers compound: all its hidden layers but the first. */
  chainDepth: number;
  /** The fixes' initializers, preferred first (computed once per location). */
  targets?: InitializerTarget[];
  /** Separable convs: what the fix writes into each kernel (computed once per location). */
  separable?: SeparablePlan | null;
}

function targetsOf(location: Location, context: RuleContext): InitializerTarget[] {
  return (location.targets ??= chainFixTargets(location.rule, location.layers[0], location.chainDepth, context));
}

/**
 * Rules whose fix is the activation's recommendation: on a separable conv it must set the product of both
 * kernels' gains (truncated-variance keeps the written scale, orthogonal-gain the written matrix).
 */
const SEPARABLE_PLAN_RULES: ReadonlySet<RuleId> = new Set(['relu-glorot-deep', 'activation-gain', 'fixed-scale-init']);

/** The separable-conv fix of a location, or undefined for any other. */
function separableOf(location: Location, context: RuleContext): SeparablePlan | undefined {
  if (location.separable === undefined) {
    const applies = location.layers[0].kind === 'separableConv' && SEPARABLE_PLAN_RULES.has(location.rule);
    location.separable = applies ? separablePlan(compoundingLayers(location), context) : null;
  }
  return location.separable ?? undefined;
}

/** A location's layers whose gains compound: all but the chain's first (which is all there is, alone). */
function compoundingLayers(location: Location): Layer[] {
  const compounding = location.layers.filter((layer) => layer.index !== location.chainFirst);
  return compounding.length ? compounding : location.layers;
}

/**
 * A fixed layer's Var(W): its main kernel's, and a separable conv's pointwise kernel's where the fix changes it
 * (TensorFlow.js draws that one from the main kernel's initializer, whatever the fix).
 */
function fixedVariances(layer: Layer, location: Location, context: RuleContext): { main?: number; pointwise?: number } {
  const plan = separableOf(location, context);
  if (plan) {
    const planned = plannedVariances(layer, plan, context);
    return { main: planned.depthwise, pointwise: planned.pointwise };
  }
  const target = targetsOf(location, context)[0];
  const { framework } = context.fix;
  const main = targetVariance(layer, target, framework, context.assumptions);
  const follows = layer.kind === 'separableConv' && framework === 'tfjs';
  return { main, pointwise: follows ? targetVariance(layer, target, framework, context.assumptions, 'pointwise') : undefined };
}

/** The locations a failing chain's rules blame, grouped by rule and source location, in the order first blamed. */
function blamedLocations(chain: Chain, context: RuleContext): Location[] {
  const direction = chain.failing!;
  const { layers } = context.analysis.model;
  const locations: Location[] = [];
  // Locations by span start (a small integer key); a loop body repeated N times is one location. Built only once
  // a span starts at or before one already seen: a model written layer by layer has increasing starts, and a
  // start past every earlier one is a new location without a lookup.
  let byStart: Map<number, Location | Location[]> | undefined;
  let lastStart = -1;
  // A location is blamed when one of its layers pushes the chain the way it fails. The first hidden layer's
  // own gain rescales the signal once, like the data: it never makes a location blamed.
  // Each layer's rule, asked once (the second pass below needs it again for every layer of a blamed location),
  // by its position in the chain: null when it has none.
  const hiddenLayers = chain.hiddenLayers;
  const rules: (RuleId | null | undefined)[] = new Array(hiddenLayers.length);
  const ruleOf = (position: number) => (rules[position] ??= chainRuleFor(layers[hiddenLayers[position]], chain, context) ?? null) ?? undefined;
  // The location each blaming layer belongs to, by position: the second pass need not look it up again.
  const locationAt: (Location | undefined)[] = new Array(hiddenLayers.length);
  // A layer off the measured path (a parallel branch) is no part of the chain's factors: it is not blamed for them.
  const offPath = offChainPath(layers, hiddenLayers);
  for (let position = 1; position < hiddenLayers.length; position++) {
    const index = hiddenLayers[position];
    if (offPath?.has(index)) continue;
    const layer = layers[index];
    const gain = ownGain(context, index, direction);
    const pushes = chain.status === 'vanishing' ? gain < VANISHING_GAIN : gain > EXPLODING_GAIN;
    const rule = pushes ? ruleOf(position) : undefined;
    if (!rule) continue;
    const span = initializerSpan(layer, mainRole(layer));
    if (span.start <= lastStart) byStart ??= locationsByStart(locations);
    const atStart = byStart?.get(span.start);
    const known = atStart === undefined ? undefined : sameLocation(atStart, rule, span.end);
    if (known) {
      locationAt[position] = known;
      continue;
    }
    // Every field written now, the ones computed later too: one object shape for all locations.
    const location: Location = { rule, span, layers: [], chainFirst: chain.hiddenLayers[0], chainDepth: chain.hiddenLayers.length - 1, targets: undefined, separable: undefined };
    locations.push(location);
    locationAt[position] = location;
    if (byStart) addLocation(byStart, location);
    lastStart = Math.max(lastStart, span.start);
  }
  // Every layer of the chain written at a blamed location is part of it ("on 15 ELU layers"), the first too:
  // its fix rewrites them all.
  if (locations.length) {
    for (let position = 0; position < hiddenLayers.length; position++) {
      const layer = layers[hiddenLayers[position]];
      const blaming = locationAt[position];
      if (blaming) {
        blaming.layers.push(layer);
        continue;
      }
      const span = initializerSpan(layer, mainRole(layer));
      // Without the map, the locations are in increasing order of start: found by bisection.
      const atStart = byStart ? byStart.get(span.start) : locationStartingAt(locations, span.start);
      const rule = atStart === undefined ? undefined : ruleOf(position);
      const location = atStart === undefined || !rule ? undefined : sameLocation(atStart, rule, span.end);
      location?.layers.push(layer);
    }
  }
  return locations.filter((location) => location.layers.length > 0);
}

function locationsByStart(locations: readonly Location[]): Map<number, Location | Location[]> {
  const byStart = new Map<number, Location | Location[]>();
  for (const location of locations) addLocation(byStart, location);
  return byStart;
}

/** The location starting at `start` among locations in increasing order of start; undefined when none does. */
function locationStartingAt(locations: readonly Location[], start: number): Location | undefined {
  let low = 0;
  let high = locations.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const at = locations[middle].span.start;
    if (at === start) return locations[middle];
    if (at < start) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}

function addLocation(byStart: Map<number, Location | Location[]>, location: Location): void {
  const atStart = byStart.get(location.span.start);
  byStart.set(location.span.start, atStart === undefined ? location : Array.isArray(atStart) ? [...atStart, location] : [atStart, location]);
}

function sameLocation(atStart: Location | Location[], rule: RuleId, end: number): Location | undefined {
  if (!Array.isArray(atStart)) return atStart.rule === rule && atStart.span.end === end ? atStart : undefined;
  for (const location of atStart) if (location.rule === rule && location.span.end === end) return location;
  return undefined;
}

/** What a chain's findings of one rule quote, the same for each of its locations: written once per chain and rule. */
interface ChainQuote {
  /** "→ 9.5e-7 at layer 20; " */
  reached: string;
  /** " keeps it at 1" / " gives 0.3" after the fix's name. */
  fixed: string;
}

/**
 * Quotes each chain up to the last layer a rule blames ("→ 9.5e-7 at layer 20"), as written and with every
 * location of that rule fixed. One propagation per rule, and one with every location fixed, for the whole
 * model: not one per chain or location.
 */
export function checkChains(context: RuleContext): DraftFinding[] {
  const failing = context.analysis.chains
    .filter((chain) => chain.status !== 'stable' && chain.failing)
    .map((chain) => ({ chain, locations: blamedLocations(chain, context) }))
    .filter(({ locations }) => locations.length > 0);
  if (!failing.length) return [];
  // Per rule, the main kernels' replaced Var(W) and separable convs' pointwise ones.
  const replacedByRule = new Map<RuleId, Replaced>();
  for (const { locations } of failing) {
    for (const location of locations) {
      let replaced = replacedByRule.get(location.rule);
      if (!replaced) replacedByRule.set(location.rule, (replaced = { main: context.analysis.ruleKernels.copy(), indices: [], pointwise: new Map() }));
      for (const layer of location.layers) {
        const { main, pointwise } = fixedVariances(layer, location, context);
        if (main !== undefined) {
          replaced.main.set(layer.index, main);
          replaced.indices.push(layer.index);
        }
        if (pointwise !== undefined) replaced.pointwise.set(layer.index, pointwise);
      }
    }
  }
  const fixedMoments = new Map([...replacedByRule].map(([rule, replaced]) => [rule, momentsWithKernels(context, replaced.main, replaced.pointwise)]));
  // Usually one rule: its fix is every fix. A layer has one rule (its chain's), so the rules' maps are disjoint.
  const allFixed = replacedByRule.size === 1 ? [...fixedMoments.values()][0] : momentsWithAll(context, [...replacedByRule.values()]);
  const findings: DraftFinding[] = [];
  for (const { chain, locations } of failing) {
    const { direction, drivers } = driversOf(chain, locations, allFixed, context);
    const lastBlamed = new Map<RuleId, number>();
    for (const location of drivers) {
      let last = -1;
      for (const layer of location.layers) last = Math.max(last, layer.index);
      lastBlamed.set(location.rule, Math.max(lastBlamed.get(location.rule) ?? -1, last));
    }
    const quotes = new Map<RuleId, ChainQuote>();
    for (const [rule, through] of lastBlamed) {
      const factor = cumulativeFactor(context.analysis.ruleMoments, context.analysis.model.layers, chain, context.analysis.widthCorrections, through, direction);
      const fixedFactor = cumulativeFactor(fixedMoments.get(rule)!, context.analysis.model.layers, chain, context.analysis.widthCorrections, through, direction);
      quotes.set(rule, {
        // "at layer 13" is row 13 of `initlint report`'s table (the model's layers, activation layers folded in).
        reached: `→ ${formatFactor(factor)} at layer ${through + 1}; `,
        fixed: ` ${Math.abs(Math.log(fixedFactor)) < Math.log(2) ? 'keeps it at' : 'gives'} ${formatFactor(fixedFactor)}`,
      });
    }
    const offPath = offChainPath(context.analysis.model.layers, chain.hiddenLayers);
    for (const location of drivers) {
      const finding = findingFor(location, direction, quotes.get(location.rule)!, chain.hiddenLayers[0], offPath, context);
      if (chain.tier === 'hint' || !warnsByOwnThreshold(location.rule, chain, context)) finding.hint = true;
      findings.push(finding);
    }
  }
  // One chain blames each location once already. A location blamed by several (a loop body that builds a layer in
  // each block of a normalized stack) is reported once: as a warning if any chain warns about it.
  return failing.length > 1 ? onePerLocation(findings, (candidate, kept) => !!kept.hint && !candidate.hint) : findings;
}

/** A rule's fixes: the rule kernels with its main kernels replaced (at `indices`), and its pointwise ones. */
interface Replaced {
  main: KernelVariances;
  indices: number[];
  pointwise: Map<number, number>;
}

/** The rule moments with every rule's replacements at once. */
function momentsWithAll(context: RuleContext, byRule: Replaced[]): MomentTable {
  const main = context.analysis.ruleKernels.copy();
  const pointwise = new Map<number, number>();
  for (const replaced of byRule) {
    for (const index of replaced.indices) main.set(index, replaced.main.get(index)!);
    replaced.pointwise.forEach((variance, index) => pointwise.set(index, variance));
  }
  return momentsWithKernels(context, main, pointwise);
}

/**
 * Measured per rule (docs/rules/README.md, "Why these thresholds"): tfjs's truncated heNormal left a chain at
 * ×7.6e-3 training as fast as heUniform (the fix is slow at that depth too), at ×5.9e-4 not; so its warnings
 * start at T = 1000. A configured `threshold` holds for every rule.
 */
const OWN_CHAIN_THRESHOLD: Partial<Record<RuleId, number>> = { 'truncated-variance': 1000 };

function warnsByOwnThreshold(rule: RuleId, chain: Chain, context: RuleContext): boolean {
  const own = OWN_CHAIN_THRESHOLD[rule];
  if (own === undefined || context.thresholds.configured) return true;
  const limits = { threshold: own, hintThreshold: context.thresholds.hintThreshold };
  return factorTier(chain.forwardFactor, limits) === 2 || factorTier(chain.backwardFactor, limits) === 2;
}


function findingFor(location: Location, direction: 'forward' | 'backward', quote: ChainQuote, chainFirst: number, offPath: Set<number> | undefined, context: RuleContext): DraftFinding {
  const first = location.layers[0];
  const role = mainRole(first);
  const plan = separableOf(location, context);
  // The typical gain of this location: the geometric mean over its layers (the first of a stack often
  // differs, e.g. 784 → 128 under Glorot).
  // The chain's first layer is left out: its gain is not part of the chain's factor.
  let logSum = 0;
  let compounding = 0;
  for (const layer of location.layers) {
    if (layer.index === chainFirst || offPath?.has(layer.index)) continue;
    logSum += Math.log(Math.max(ownGain(context, layer.index, direction), 1e-300));
    compounding++;
  }
  const gain = Math.exp(logSum / Math.max(compounding, 1));
  const each = compounding > 1 ? 'per layer' : 'at this layer';
  const what = direction === 'forward' ? 'forward variance' : 'backward gradient variance';
  const assumed = location.layers.some((layer) => layer.widthAssumed) ? ' (widths assumed square)' : '';
  const lead = plan
    ? separableLead(compoundingLayers(location)[0], layerCount(location.layers.length, activationLabel(first)), context)
    : chainLead(location.rule, first, location.layers, context);
  const targets = plan ? [] : targetsOf(location, context);
  const fixLabel = plan ? planLabel(plan, context) : targetLabel(targets[0], context.fix.framework);
  const message = `${lead}: ${what} ×${formatFactor(gain)} ${each} ${quote.reached}${fixLabel}${quote.fixed}${assumed}.${chainNote(location.rule, first)}`;
  return {
    rule: location.rule,
    message,
    span: location.span,
    model: context.analysis.model.name,
    layers: location.layers.map((layer) => layer.index),
    fixes: plan
      ? [fixFor(`Use ${fixLabel}`, planEdits(first, plan, context))]
      : targets.map((target, index) => fixFor(index === 0 ? labelTitle(fixLabel) : fixTitle(target, context.fix.framework), initializerEdits(first, role, target, context.fix), index === 0)),
  };
}
