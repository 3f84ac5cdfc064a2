/**
 * The hover's text on a layer's initializer or activation argument (or on a flagged layer's callee): what the
 * pairing does to the signal, in numbers from the model analysis — Var(W), fans, the layer's gain, the
 * cumulative q, its chain. One builder for both languages: the language server's hover (Python) and the
 * tsserver plugin's quick info (JS/TS) show the same lines.
 */
import type { FileAnalysis } from '../core/analyze';
import { frameworkAssumptions, type InitLintConfig } from '../core/config';
import { formatNumber } from '../core/fixes';
import { preferredString } from '../core/catalogue/initializers';
import type { Span } from '../core/ir';
import type { RuleId } from '../core/findings';
import type { Layer } from '../core/model';
import { buildReport, layerFindings, type ReportLayer } from '../core/report';
import { mainRole, recommendedTarget, targetLabel, targetVariance, type ModelAnalysis } from '../core/rules/context';
import { kernelGains, plannedGain, planLabel, separablePlan } from '../core/rules/separableFixes';

export interface LayerHover {
  /** Markdown. */
  markdown: string;
  /** What the hover is about: the argument or callee under the cursor (program offsets). */
  span: Span;
}

interface HoverTarget {
  model: ModelAnalysis;
  reportLayer: ReportLayer;
  layer: Layer;
  span: Span;
  /** What the cursor is on: `kernel initializer`, `activation`, or the layer itself. */
  subject: string;
}

const contains = (span: Span | undefined, offset: number) => !!span && span.start <= offset && offset <= span.end;

/**
 * The hover at `offset` of the analysed text, or undefined when the offset is on nothing InitLint describes.
 * `ruleLink`: where a finding's rule id links to (the host's documentation link), none when absent.
 */
export function layerHoverAt(analysis: FileAnalysis, config: InitLintConfig, offset: number, ruleLink?: (rule: RuleId) => string): LayerHover | undefined {
  const reports = buildReport(analysis);
  for (const [modelIndex, model] of analysis.models.entries()) {
    for (const layer of model.model.layers) {
      const reportLayer = reports[modelIndex].layers[layer.index];
      const target = targetIn(model, layer, reportLayer, offset);
      if (target) return { markdown: describe(target, analysis, config, ruleLink), span: target.span };
    }
  }
  return undefined;
}

function targetIn(model: ModelAnalysis, layer: Layer, reportLayer: ReportLayer, offset: number): HoverTarget | undefined {
  const base = { model, reportLayer, layer };
  for (const [role, use] of Object.entries(layer.initializers)) {
    if (contains(use?.written?.span, offset)) return { ...base, span: use!.written!.span, subject: `${role} initializer` };
  }
  const activationSpan = layer.activation.from === 'own' ? layer.activation.written?.span : undefined;
  if (contains(activationSpan, offset)) return { ...base, span: activationSpan!, subject: 'activation' };
  if (reportLayer.findings.length > 0 && contains(layer.call.calleeSpan, offset)) return { ...base, span: layer.call.calleeSpan, subject: 'layer' };
  return undefined;
}

const number = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? 'n/a' : formatNumber(value));

function describe(target: HoverTarget, analysis: FileAnalysis, config: InitLintConfig, ruleLink?: (rule: RuleId) => string): string {
  const { model, layer, reportLayer } = target;
  const moments = model.moments[layer.index];
  const lines = [`**InitLint** · \`${reportLayer.className}\` (layer ${layer.index + 1} of \`${model.model.name}\`) · ${target.subject}`, ''];
  const init = reportLayer.initializer;
  if (init && layer.kind === 'separableConv') lines.push(...separableLines(layer, analysis.framework, init.variance, moments.forwardScale));
  else if (init) {
    const fans = reportLayer.widthUnknown ? 'width unknown'
      : `fan_in ${reportLayer.fanIn ?? '?'}, fan_out ${reportLayer.fanOut ?? '?'}${reportLayer.widthAssumed ? ', width assumed' : ''}`;
    lines.push(`- kernel initializer: \`${init.name}\`${init.default ? ' (the default)' : ''}: Var(W) = ${reportLayer.widthUnknown && init.variance === undefined ? '?' : number(init.variance)} (${fans})`);
    if (moments.forwardScale !== undefined) lines.push(`- fan_in · Var(W) = ${number(moments.forwardScale)}`);
  }
  lines.push(`- activation: ${reportLayer.activation}`);
  lines.push(`- this layer's forward gain: ×${number(reportLayer.gain)} (1 keeps the signal's scale)`);
  lines.push(`- cumulative q (mean square of the pre-activations here, input = 1): ${number(reportLayer.predicted.forward)}`);
  lines.push(`- gradient mean square here: ${number(reportLayer.predicted.backward)}`);
  const chain = model.chainOf.get(layer.index);
  if (chain) lines.push(`- its chain of ${chain.layers.length} layers: forward ×${number(chain.forwardFactor)}, backward ×${number(chain.backwardFactor)} (${chain.status})`);
  const recommendation = recommendationLine(target, config);
  if (recommendation) lines.push('', recommendation);
  const findings = layerFindings(analysis.findings, model.model, layer);
  const rule = (id: RuleId) => (ruleLink ? `[\`${id}\`](${ruleLink(id)})` : `\`${id}\``);
  if (findings.length) lines.push('', ...findings.map((finding) => `⚠ ${rule(finding.rule)}: ${finding.message}`));
  return lines.join('\n');
}

/**
 * A separable conv's two kernels, each with its Var(W) and gain (k²·Var depthwise, in·multiplier·Var pointwise):
 * the layer's c is their product (`c` with the map's borders counted).
 */
function separableLines(layer: Layer, framework: FileAnalysis['framework'], depthwiseVariance: number | undefined, c: number | undefined): string[] {
  const gains = kernelGains(layer);
  const name = (role: 'depthwise' | 'pointwise') => {
    const use = layer.initializers[role];
    return `\`${use?.id ? preferredString(framework, use.id) : 'unresolved'}\`${use?.written ? '' : ' (the default)'}`;
  };
  const pointwise = framework === 'tfjs'
    ? `- pointwise kernel: drawn from depthwiseInitializer too (TensorFlow.js${layer.initializers.pointwise?.written ? ' ignores the pointwiseInitializer written' : ''}, tfjs#8564): gain ${number(gains.pointwise)}`
    : `- pointwise initializer: ${name('pointwise')}: gain in·multiplier·Var(W) = ${number(gains.pointwise)}`;
  return [
    `- depthwise initializer: ${name('depthwise')}: Var(W) = ${number(depthwiseVariance)} (fan_in ${layer.fanIn ?? '?'}, fan_out ${layer.fanOut ?? '?'}), gain k²·Var(W) = ${number(gains.depthwise)}`,
    pointwise,
    ...(c !== undefined ? [`- c = depthwise × pointwise gain = ${number(c)} (the map's borders counted)`] : []),
  ];
}

/** What the activation's recommended initializer would give this layer, for comparison. */
function recommendationLine(target: HoverTarget, config: InitLintConfig): string | undefined {
  const { layer, reportLayer, model } = target;
  if (!reportLayer.initializer) return undefined;
  const framework = model.model.framework;
  if (layer.kind === 'separableConv') {
    const context = { fix: { framework }, assumptions: frameworkAssumptions(config) };
    const plan = separablePlan([layer], context);
    return `For ${reportLayer.activation}, \`${planLabel(plan, context)}\` gives c = ${number(plannedGain(layer, plan, context))} here (depthwise × pointwise).`;
  }
  const recommended = recommendedTarget(layer, mainRole(layer), framework);
  const variance = targetVariance(layer, recommended, framework, frameworkAssumptions(config));
  return `For ${reportLayer.activation}, \`${targetLabel(recommended, framework)}\` gives Var(W) = ${number(variance)} here.`;
}
