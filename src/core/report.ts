/**
 * The per-layer variance report (`initlint report`, the editor's report document, the CodeLens numbers):
 * one plain data shape, rendered as a table or JSON by the hosts.
 */
import { ACTIVATIONS, meanFieldSlope } from './catalogue/activations';
import { preferredString } from './catalogue/initializers';
import { NORMALIZATION_KINDS } from './catalogue/layers';
import type { FileAnalysis } from './analyze';
import type { Chain } from './chains';
import type { Finding } from './findings';
import type { Span } from './ir';
import type { Layer, Model } from './model';
import { mainRole, type ModelAnalysis } from './rules/context';

export interface ReportLayer {
  index: number;
  kind: string;
  className: string;
  span: Span;
  fanIn?: number;
  fanOut?: number;
  widthAssumed: boolean;
  /** Fans are a placeholder: no width could be read (`initlint report` prints `?`). */
  widthUnknown?: true;
  activation: string;
  initializer?: { name: string; variance?: number; default: boolean };
  /** The layer's own forward gain (output second moment over input second moment). */
  gain: number;
  /** Kernel layers: whether its output reaches another kernel layer (an output layer's gain is not a depth's). */
  hidden?: boolean;
  predicted: { forward: number; backward: number; inactiveFraction: number };
  /** s = d log m2_φ / d log q of the layer's activation at its predicted q (SCIENCE.md §6); absent where q is 0 or not finite. */
  meanFieldSlope?: number;
  /**
   * Set when this layer or one feeding it (since the last normalization) has s above FINITE_WIDTH_SLOPE: the
   * prediction is an infinite-width value that finite width moves. The steepest such layer and its slope.
   */
  finiteWidth?: { layer: number; slope: number };
  findings: string[];
}

export interface ReportModel {
  name: string;
  framework: 'keras' | 'tfjs';
  style: string;
  span: Span;
  layers: ReportLayer[];
  /**
   * Cumulative forward factor of the worst chain (the CodeLens number). `status` is the chain's ('stable',
   * 'vanishing', 'exploding'); `verdict` what InitLint makes of it: `warning` or `hint` where a finding blames an
   * initializer in it, `not-initialization` where the chain fails but the recommended initializers would not cure it (a sigmoid's
   * derivative), `stable` otherwise.
   */
  worstChain?: { forward: number; backward: number; status: string; verdict: 'stable' | 'warning' | 'hint' | 'not-initialization'; hiddenLayers: number };
}

/** Draws whose variance does not depend on the fans: a fixed stddev or range, a constant. */
const FIXED_SAMPLING: ReadonlySet<string> = new Set(['normal', 'uniform', 'constant']);

export function buildReport(analysis: FileAnalysis): ReportModel[] {
  return analysis.models.map((model) => reportModel(model, analysis.findings));
}

function reportModel(analysis: ModelAnalysis, findings: Finding[]): ReportModel {
  const { model, moments } = analysis;
  const layers = model.layers.map((layer): ReportLayer => {
    const use = layer.kernel || layer.kind === 'embedding' ? layer.initializers[layer.kind === 'embedding' ? 'embeddings' : mainRole(layer)] : undefined;
    const m = moments[layer.index];
    return {
      index: layer.index,
      kind: layer.kind,
      className: layer.className,
      span: layer.call.span,
      fanIn: layer.fanIn,
      fanOut: layer.fanOut,
      widthAssumed: layer.widthAssumed,
      ...(layer.widthUnknown ? { widthUnknown: true as const } : {}),
      activation: layer.activation.spec.id === 'other' ? ACTIVATIONS.other.label : layer.activation.spec.id,
      // A fan-scaled variance of a layer of no readable width would be computed from the placeholder fans.
      initializer: use ? { name: initializerName(layer, model.framework), variance: layer.widthUnknown && !FIXED_SAMPLING.has(use.sampling?.kind ?? '') ? undefined : m.variance, default: !use.written && !sampledPointwise(layer)?.written } : undefined,
      gain: m.forwardGain,
      ...(layer.kernel ? { hidden: analysis.hidden.has(layer.index) } : {}),
      predicted: { forward: m.q, backward: m.g, inactiveFraction: m.inactiveFraction },
      ...finiteSlope(meanFieldSlope(layer.activation.spec, m.q)),
      findings: layerFindings(findings, model, layer).map((finding) => finding.rule),
    };
  });
  markFiniteWidth(model, layers);
  const worst = [...analysis.chains].sort((a, b) => severityOf(b) - severityOf(a))[0];
  return {
    name: model.name,
    framework: model.framework,
    style: model.style,
    span: model.span,
    layers,
    worstChain: worst && {
      forward: worst.forwardFactor, backward: worst.backwardFactor, status: worst.status, verdict: verdictOf(worst, model, findings), hiddenLayers: worst.hiddenLayers.length,
    },
  };
}

/**
 * Above this slope a layer's activation amplifies the fluctuations of a weight draw: 5% per layer is ×2.7
 * over 20 layers. The ReLU family's slope is exactly 1; GELU, swish and mish under He reach 1.1–1.2.
 */
export const FINITE_WIDTH_SLOPE = 1.05;

/**
 * Marks every layer whose q a steep activation upstream (or its own, for g) has moved: the steepest slope
 * over the layer and its inputs, inherited along the graph and reset by normalization (which divides the
 * drawn fluctuation out). Layers come in topological order.
 */
/**
 * `he_normal`; a separable conv names both kernels (its gain is their product, its Var(W) the depthwise one's):
 * `dw he_normal, pw glorot_uniform`, or in tfjs, which draws both from depthwiseInitializer, `heUniform (both kernels)`.
 */
function initializerName(layer: Layer, framework: Model['framework']): string {
  const name = (use: Layer['initializers'][keyof Layer['initializers']]) => (use?.id ? preferredString(framework, use.id) : 'unresolved');
  const main = name(layer.initializers[layer.kind === 'embedding' ? 'embeddings' : mainRole(layer)]);
  if (layer.kind !== 'separableConv') return main;
  return framework === 'tfjs' ? `${main} (both kernels)` : `dw ${main}, pw ${name(layer.initializers.pointwise)}`;
}

/** A separable conv's pointwise initializer where the framework draws from it (tfjs ignores it, tfjs#8564). */
const sampledPointwise = (layer: Layer) => (layer.initializers.pointwise?.ignoredByFramework ? undefined : layer.initializers.pointwise);

function markFiniteWidth(model: Model, layers: ReportLayer[]): void {
  const steepest: ({ layer: number; slope: number } | undefined)[] = [];
  for (const layer of model.layers) {
    const own = layers[layer.index].meanFieldSlope;
    let worst: { layer: number; slope: number } | undefined = own !== undefined && own > FINITE_WIDTH_SLOPE ? { layer: layer.index, slope: own } : undefined;
    if (!NORMALIZATION_KINDS.has(layer.kind)) {
      for (const input of layer.inputs) {
        const upstream = input >= 0 ? steepest[input] : undefined;
        if (upstream && (!worst || upstream.slope > worst.slope)) worst = upstream;
      }
    }
    steepest[layer.index] = worst;
    if (worst) layers[layer.index].finiteWidth = worst;
  }
}

/** The report is plain data that crosses JSON (the panel): no NaN in it, the key is left out instead. */
function finiteSlope(slope: number): { meanFieldSlope?: number } {
  return Number.isFinite(slope) ? { meanFieldSlope: slope } : {};
}

/** The finite-width caveat of a report row, as the CLI's footnote and the panel's tooltip say it. */
export function finiteWidthNote(row: Pick<ReportLayer, 'finiteWidth'>, layers: readonly Pick<ReportLayer, 'activation' | 'predicted'>[]): string | undefined {
  const steep = row.finiteWidth;
  if (!steep) return undefined;
  const source = layers[steep.layer];
  return `an infinite-width value that finite width moves: layer ${steep.layer + 1} (${source?.activation ?? 'activation'}) has mean-field slope `
    + `${steep.slope.toFixed(2)} > 1 at its q (an unstable fixed point), so the fluctuations of one weight draw grow with depth`;
}

/**
 * The findings about one layer. Not by `Finding.model` alone: two models can share a name (`model` in two
 * builder functions), so a finding belongs to a layer whose source holds it; the copies of a repeated layer
 * share their source, and the finding's own model says which copies it blames.
 */
export function layerFindings(findings: readonly Finding[], model: Model, layer: Layer): Finding[] {
  return findings.filter((finding) => writtenIn(layer, finding.span) && (finding.model !== model.name || finding.layers.includes(layer.index)));
}

/** The layer's call, its activation layer's, and its written arguments (a `partial(...)` writes them elsewhere). */
function writtenIn(layer: Layer, span: Span): boolean {
  const within = (outer: Span | undefined) => !!outer && outer.start <= span.start && span.end <= outer.end;
  if (within(layer.call.span) || within(layer.activation.layerCall?.span) || within(layer.activation.written?.span)) return true;
  return Object.values(layer.initializers).some((use) => within(use?.written?.span));
}

/** Whether a failing chain is blamed on an initializer: a chain-rule finding on one of its layers. */
function verdictOf(chain: Chain, model: Model, findings: readonly Finding[]): NonNullable<ReportModel['worstChain']>['verdict'] {
  if (chain.status === 'stable' || !chain.tier) return 'stable';
  const blamed = chain.layers.some((index) => layerFindings(findings, model, model.layers[index]).some((finding) => CHAIN_RULES.has(finding.rule)));
  return blamed ? chain.tier : 'not-initialization';
}

/** Rules that blame an initializer for a chain's failure: residual-growth for a chain through un-normalized Adds. */
const CHAIN_RULES: ReadonlySet<string> = new Set(['relu-glorot-deep', 'activation-gain', 'fixed-scale-init', 'truncated-variance', 'orthogonal-gain', 'residual-growth']);

/** How far a chain is from neutral, in orders of magnitude, whichever direction. */
function severityOf(chain: { forwardFactor: number; backwardFactor: number }): number {
  return Math.max(Math.abs(Math.log10(chain.forwardFactor || 1e-300)), Math.abs(Math.log10(chain.backwardFactor || 1e-300)));
}
