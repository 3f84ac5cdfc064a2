/**
 * LSUV scales written back into the source (the variance-check panel's "Apply LSUV"). The probe measures,
 * per kernel layer, the fan_in scale whose variance gives Var(z) ≈ 1 (src/probe/lsuv.ts `fanInScale`);
 * this sets each layer's main kernel initializer to a fan_in variance-scaling initializer with exactly that
 * variance, spelled the way the file spells things (fixes.ts: same namespace, quotes, imports only when needed).
 */
import { weightVariance, type FrameworkAssumptions } from './catalogue/initializers';
import { selectFixes } from './fixAll';
import type { Fix, TextEdit } from './findings';
import { fileQuote, formatNumber, initializerEdits, type FixContext, type InitializerTarget } from './fixes';
import type { Framework, ImportScope } from './ir';
import type { Layer, Model } from './model';
import { kernelScales } from './kernelScales';
import { mainRole } from './rules/context';

/** One layer's LSUV result (src/protocol/panel.ts PanelLsuvScale has this shape). */
export interface LayerScale {
  index: number;
  /** `scale` of a fan_in variance-scaling initializer with the measured weight variance. */
  fanInScale: number;
  converged: boolean;
}

export interface LsuvEdits {
  /** Sorted, identical edits merged (an import added once), never overlapping. */
  edits: TextEdit[];
  /** What the user should know: averaged loop iterations, unconverged layers, layers that could not be written. */
  notes: string[];
  /** Layers of the model whose kernel initializer the edits change (each iteration of a rewritten loop body counts). */
  layersChanged: number;
  /**
   * Layers (indices) whose main kernel stays constant after the edits: LSUV cannot calibrate them, every unit
   * stays identical, so the run did not succeed however many scales were written.
   */
  constantLeft: number[];
}

/** The source call that writes a layer: layers of one loop body or helper share it. */
const callKey = (layer: Layer) => `${layer.call.span.start}:${layer.call.span.end}`;

/** A main kernel drawn as one value for every weight (`zeros`, `ones`, `constant`). */
const isConstantKernel = (layer: Layer) => layer.kernel && layer.initializers[mainRole(layer)]?.sampling?.kind === 'constant';

/**
 * The distribution whose real variance is exactly scale/fan_in, per framework (SCIENCE.md §3). Keras ≥ 2.2
 * corrects its truncated normal (stddev / 0.8796). Keras ≤ 2.1.6 did not, and tfjs-layers 4.x draws
 * 'normal' as an uncorrected truncated normal (×0.7737, tfjs#8594) and 'truncatedNormal' as uniform
 * (docs/framework-facts.md): those get 'uniform', whose variance limit²/3 is scale/fan_in.
 */
const EXACT_DISTRIBUTION = { keras: 'truncated_normal', legacyKeras: 'uniform', tfjs: 'uniform' } as const;

/**
 * How the probe's scale becomes the fan_in scale of the main-role initializer, where the two differ.
 * Separable conv: the probe rescales the pointwise kernel (src/probe/convolutions.ts `isMainKernel`), the
 * fix writes the depthwise one (`mainRole`; tfjs ignores pointwiseInitializer and draws the pointwise kernel
 * from depthwiseInitializer too, tfjs#8564). The layer is bilinear in its two kernels, so the depthwise
 * variance takes LSUV's multiplier² instead.
 */
const MAIN_ROLE_SCALE: Partial<Record<Layer['kind'], (layer: Layer, scale: number, framework: Framework) => number | undefined>> = {
  separableConv(layer, pointwiseScale, framework) {
    const sampling = layer.initializers.depthwise?.sampling;
    if (!sampling || !layer.fanIn) return undefined;
    const rf = (layer.kernelSize ?? [1]).reduce((a, b) => a * b, 1);
    const depthwiseVariance = weightVariance(sampling, layer.fanIn, layer.fanOut ?? 1);
    // c = rf·Var(dw)·fan_in(pw)·Var(pw), so multiplier² = scale / (fan_in(pw)·Var(pw)) = scale·rf·Var(dw) / c.
    const forward = kernelScales(layer).forward;
    const multiplierSquared = (pointwiseScale * rf * depthwiseVariance) / forward;
    if (framework === 'keras') return multiplierSquared * depthwiseVariance * layer.fanIn;
    // tfjs: both kernels come from the one initializer, c = rf·s²/fan_in(dw): s grows as the square root.
    return Math.sqrt((multiplierSquared * forward * layer.fanIn) / rf);
  },
};

/** A fan_in VarianceScaling with `scale`, in the distribution that makes its variance exact. */
function exactTarget(scale: number, framework: Framework, assumptions: FrameworkAssumptions, context: FixContext): InitializerTarget {
  const distribution = framework === 'tfjs' ? EXACT_DISTRIBUTION.tfjs : assumptions.kerasCorrectsTruncation ? EXACT_DISTRIBUTION.keras : EXACT_DISTRIBUTION.legacyKeras;
  const quote = fileQuote(context);
  const text = (value: string) => `${quote}${value}${quote}`;
  return {
    id: 'varianceScaling',
    args: [
      { name: 'scale', python: formatNumber(scale), javascript: formatNumber(scale) },
      { name: 'mode', python: text('fan_in'), javascript: text('fanIn') },
      { name: 'distribution', python: text(distribution), javascript: text(distribution) },
    ],
  };
}

/** A source location and the layers of the IR written there (more than one: a loop body or a helper called N times). */
interface Location {
  layers: Layer[];
  scales: number[];
  unconverged: number[];
}

/** Edits that write LSUV `scales` into the main kernel initializers of `model`. Layers not listed are untouched. */
export function lsuvEdits(
  text: string, imports: ImportScope, model: Model, scales: readonly LayerScale[],
  assumptions: FrameworkAssumptions = { kerasCorrectsTruncation: true },
): LsuvEdits {
  const context: FixContext = { text, framework: model.framework, imports };
  const notes: string[] = [];
  const locations = new Map<string, Location>();
  for (const measured of scales) {
    const layer = model.layers[measured.index];
    if (!layer || !layer.kernel || !layer.initializers[mainRole(layer)]) {
      notes.push(`Layer ${measured.index + 1} has no kernel in ${model.name}: left as it is.`);
      continue;
    }
    const convert = MAIN_ROLE_SCALE[layer.kind];
    const scale = convert ? convert(layer, measured.fanInScale, model.framework) : measured.fanInScale;
    if (scale === undefined || !(scale > 0) || !Number.isFinite(scale)) {
      notes.push(`Layer ${measured.index + 1} (${layer.className}): no finite positive scale to write, left as it is.`);
      continue;
    }
    const key = callKey(layer);
    const location = locations.get(key) ?? { layers: [], scales: [], unconverged: [] };
    location.layers.push(layer);
    location.scales.push(scale);
    if (!measured.converged) location.unconverged.push(layer.index);
    locations.set(key, location);
  }

  const fixes: { fix: Fix; changed: number; call: string }[] = [];
  for (const [call, location] of locations) {
    const [layer] = location.layers;
    const scale = geometricMean(location.scales);
    const target = exactTarget(scale, model.framework, assumptions, context);
    const edits = withIgnoredPointwise(layer, target, context, initializerEdits(layer, mainRole(layer), target, context));
    const where = layerList(location.layers.map((entry) => entry.index));
    const named = `${capitalized(where)} (${layer.className})`;
    if (edits.length && layer.kind === 'separableConv') notes.push(`${named}: ${separableNote(layer, model.framework)}`);
    if (!edits.length) {
      notes.push(`${named}: no place to write an initializer (its config is not written out in the call), left as it is.`);
      continue;
    }
    // Every layer written by this call changes, measured or not.
    const sharing = model.layers.filter((other) => other.call.span.start === layer.call.span.start && other.call.span.end === layer.call.span.end);
    const all = layerList(sharing.map((other) => other.index));
    if (location.layers.length > 1) {
      const range = `they range from ${formatNumber(Math.min(...location.scales))} to ${formatNumber(Math.max(...location.scales))}`;
      const unmeasured = sharing.length > location.layers.length ? `; ${all} all take it` : '';
      notes.push(`${capitalized(where)} share one ${layer.className} call: it gets the geometric mean of their scales, ${formatNumber(scale)} (${range})${unmeasured}.`);
    } else if (sharing.length > 1) {
      notes.push(`${capitalized(where)} is written by a ${layer.className} call that ${all} share: they all take its scale, ${formatNumber(scale)}.`);
    }
    const constants = sharing.filter(isConstantKernel);
    if (constants.length) {
      const written = layer.initializers[mainRole(layer)]?.written?.value;
      const name = written?.kind === 'string' ? `'${written.value}'` : 'a constant';
      notes.push(`${capitalized(layerList(constants.map((entry) => entry.index)))} (${layer.className}) started from a constant kernel (${name}), which LSUV cannot calibrate: it was drawn from a random fan_in normal instead, and the written initializer replaces the constant.`);
    }
    if (location.unconverged.length) {
      notes.push(`${capitalized(layerList(location.unconverged))} (${layer.className}) did not converge within LSUV's iteration limit: the last scale is written anyway.`);
    }
    fixes.push({ fix: { title: named, edits, preferred: true }, changed: sharing.length, call });
  }

  // Two locations whose edits clash (nested calls) cannot both be written: the later one is reported.
  const selected = new Set(selectFixes(fixes.map(({ fix }) => fix)));
  for (const { fix } of fixes) if (!selected.has(fix)) notes.push(`${fix.title}: its edit overlaps another layer's, left as it is.`);
  const unique = new Map<string, TextEdit>();
  for (const edit of [...selected].flatMap((fix) => fix.edits)) unique.set(`${edit.span.start}:${edit.span.end}:${edit.newText}`, edit);
  const changedCalls = new Set(fixes.filter(({ fix }) => selected.has(fix)).map(({ call }) => call));
  const constantLeft = model.layers.filter((layer) => isConstantKernel(layer) && !changedCalls.has(callKey(layer))).map((layer) => layer.index);
  if (constantLeft.length) {
    notes.push(`${capitalized(layerList(constantLeft))} keep${constantLeft.length === 1 ? 's' : ''} a constant kernel, which LSUV cannot calibrate (every unit stays identical): fix ${constantLeft.length === 1 ? 'it' : 'them'} first (symmetric-init), then run LSUV again.`);
  }
  return {
    edits: [...unique.values()].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end),
    notes,
    layersChanged: fixes.filter(({ fix }) => selected.has(fix)).reduce((sum, { changed }) => sum + changed, 0),
    constantLeft,
  };
}

/**
 * tfjs draws a separable conv's pointwise kernel from depthwiseInitializer and ignores a written
 * pointwiseInitializer (tfjs#8564): that one is written the same, so the code keeps its scale once tfjs honours it.
 */
function withIgnoredPointwise(layer: Layer, target: InitializerTarget, context: FixContext, edits: TextEdit[]): TextEdit[] {
  if (!edits.length || layer.kind !== 'separableConv' || !layer.initializers.pointwise?.ignoredByFramework) return edits;
  const known = new Set(edits.map((edit) => `${edit.span.start}:${edit.span.end}:${edit.newText}`));
  return [...edits, ...initializerEdits(layer, 'pointwise', target, context).filter((edit) => !known.has(`${edit.span.start}:${edit.span.end}:${edit.newText}`))];
}

/** Which of a separable conv's two kernels took LSUV's scale (its gain is their product). */
function separableNote(layer: Layer, framework: Framework): string {
  if (framework === 'tfjs') {
    const written = layer.initializers.pointwise?.ignoredByFramework ? ', and its ignored pointwiseInitializer is written the same' : '';
    return `the scale is written into depthwiseInitializer, which TensorFlow.js draws both the depthwise and the pointwise kernel from (tfjs#8564)${written}.`;
  }
  return 'the scale is written into depthwise_initializer; the pointwise kernel keeps its pointwise_initializer (the layer\'s gain is the product of both kernels\').';
}

/** A loop's iterations share one initializer: the geometric mean keeps their product, which is what the chain sees. */
function geometricMean(values: number[]): number {
  return Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);
}

/** `layer 3`, `layers 2–21`, `layers 2, 5, 9` (1-based, as the panel numbers them). */
function layerList(indices: number[]): string {
  const numbers = [...new Set(indices)].sort((a, b) => a - b).map((index) => index + 1);
  if (numbers.length === 1) return `layer ${numbers[0]}`;
  const consecutive = numbers.every((number, i) => i === 0 || number === numbers[i - 1] + 1);
  return consecutive ? `layers ${numbers[0]}–${numbers.at(-1)}` : `layers ${numbers.join(', ')}`;
}

const capitalized = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}`;
