/**
 * The core's entry point: a front end's extraction of one file → resolved models, predicted moments,
 * chains and findings (configured, suppressed, sorted). Pure: no I/O, never throws for bad input.
 */
import { findChains, hiddenLayers, LayerChains, widthCorrections, zeroResidualBranch, type ChainThresholds } from './chains';
import { frameworkAssumptions, DEFAULT_CONFIG, type InitLintConfig } from './config';
import type { FrameworkAssumptions } from './catalogue/initializers';
import { onePerLocation, RULES, SEVERITY_RANK, type Finding } from './findings';
import { interpretModel } from './interpret';
import { fileQuote, type FixContext } from './fixes';
import type { ExtractedFile, Framework, RawModel } from './ir';
import type { Layer, Model } from './model';
import type { ModelMemo, ModelResult } from './modelMemo';
import { consumersOf, KernelVariances, layerMoments, propagateTable, type LayerMoments } from './propagation';
import { RULE_CHECKS } from './rules';
import {
  activationLabel, activationScale, initializerSpan, mainRole, recommendationFor, recommendedTarget, targetVariance, type DraftFinding, type ModelAnalysis, type RuleContext,
} from './rules/context';
import { kernelVariances, plannedVariances, separablePlan } from './rules/separableFixes';
import { isSuppressed, mentionsSuppression, parseSuppressions, unknownSuppressionFindings } from './suppressions';
import { LineIndex } from './text';

export interface FileAnalysis {
  framework: Framework;
  models: ModelAnalysis[];
  findings: Finding[];
  /** Findings hidden by suppression comments (for "N suppressed" summaries). */
  suppressedCount: number;
  /** Internal failures on one model or rule: reported, never thrown; the other models and rules still ran. */
  internalErrors: string[];
}

/**
 * `memo`: a document's model analyses from its last version (see modelMemo.ts); models whose inputs did not
 * change reuse theirs. Without it every model is analysed.
 */
export function analyzeExtracted(text: string, extracted: ExtractedFile, config: InitLintConfig = DEFAULT_CONFIG, memo?: ModelMemo): FileAnalysis {
  const framework: Framework = extracted.language === 'python' ? 'keras' : 'tfjs';
  const fix: FixContext = { text, framework, imports: extracted.imports };
  const inputs = memo && { text, config, imports: extracted.imports, quote: fileQuote(fix) };
  const internalErrors: string[] = [];
  const models: ModelAnalysis[] = [];
  const findings: Finding[] = [];
  for (const raw of extracted.models) {
    let result = inputs && memo.reuse(raw, inputs);
    if (!result) {
      result = analyzeRawModel(raw, fix, config);
      if (inputs) memo.keep(raw, inputs, result);
    }
    if (result.analysis) models.push(result.analysis);
    for (const finding of result.findings) findings.push(finding);
    for (const error of result.internalErrors) internalErrors.push(error);
  }
  memo?.finish();
  // The line index is built only when a comment may suppress something (most files have none).
  const lines = extracted.comments.some(mentionsSuppression) ? new LineIndex(text) : undefined;
  const suppressions = lines ? parseSuppressions(extracted.comments, lines) : [];
  if (lines) for (const finding of unknownSuppressionFindings(extracted.comments, text, config)) findings.push(finding);
  // The same location reached from two models (a shared helper, a builder's alternatives) is reported once, as its
  // most severe finding (a helper's swish body warns where its ELU body only hints).
  const unique = withoutSharedConflicts(extracted.models.length > 1 ? onePerLocation(findings, moreSevere) : findings, models);
  const kept = lines && suppressions.length ? unique.filter((finding) => !isSuppressed(finding, suppressions, lines)) : unique;
  kept.sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
  return { framework, models, findings: kept, suppressedCount: findings.length - kept.length, internalErrors };
}

/** One model: interpretation, moments and chains, then every rule, with the configured severities. */
function analyzeRawModel(raw: RawModel, fix: FixContext, config: InitLintConfig): ModelResult {
  const assumptions = frameworkAssumptions(config);
  const resolveContext = { framework: fix.framework, assumptions, kerasMajor: assumptions.kerasMajor };
  const findings: Finding[] = [];
  const internalErrors: string[] = [];
  let analysis: ModelAnalysis;
  try {
    analysis = analyzeModel(interpretModel(raw, resolveContext), config);
  } catch (error) {
    internalErrors.push(`model ${raw.name}: ${describe(error)}`);
    return { findings, internalErrors };
  }
  const context: RuleContext = { analysis, fix, thresholds: chainThresholds(config), assumptions };
  for (const check of RULE_CHECKS) {
    try {
      for (const draft of check(context)) {
        const setting = config.rules[draft.rule] ?? RULES[draft.rule].defaultSeverity;
        if (setting === 'off') continue;
        // Drafts are made fresh by each check: completed in place rather than copied. A hint stays a hint
        // whatever the rule's setting: the setting is the severity of the rule's warnings. Only hints carry
        // the mark, and lose it by a copy (`delete` would leave a slow dictionary-mode object to the hosts):
        // the thousands of other findings of a large model are not copied.
        const finding = (draft.hint === undefined ? draft : withoutHintMark(draft)) as Finding;
        finding.severity = draft.hint ? 'hint' : setting;
        // A fix with no edits (nowhere to insert) would do nothing: it is not offered.
        if (draft.fixes.some(editsNothing)) finding.fixes = draft.fixes.filter((fix) => !editsNothing(fix));
        findings.push(finding);
      }
    } catch (error) {
      internalErrors.push(`model ${raw.name}, ${check.name}: ${describe(error)}`);
    }
  }
  return { analysis, findings, internalErrors };
}

function editsNothing(fix: Finding['fixes'][number]): boolean {
  return fix.edits.length === 0;
}

function withoutHintMark(draft: DraftFinding): Omit<DraftFinding, 'hint'> {
  const { hint: _hint, ...finding } = draft;
  return finding;
}

function moreSevere(candidate: Finding, kept: Finding): boolean {
  return SEVERITY_RANK[candidate.severity] < SEVERITY_RANK[kept.severity];
}

/**
 * A kernel initializer written once for hidden layers of different activations (a builder called with "relu"
 * and with "tanh") has no single right value: its findings keep their fixes, but none is preferred, so
 * `--fix` and fix-all do not trade one layer's finding for the other's, pass after pass. Copies, not edits:
 * the findings may be kept in a memo.
 */
function withoutSharedConflicts(findings: Finding[], models: ModelAnalysis[]): Finding[] {
  if (!findings.length || !anySharedInitializer(models)) return findings;
  // By the initializer's start offset: the written argument, or the callee when none is written. Most locations
  // hold one layer: only its first layer is kept, and a record is written only where a second layer shares it.
  const firstAt = new Map<number, Layer>();
  const shared = new Map<number, { recommendation: string; labels: Set<string>; conflicting: boolean }>();
  let anyConflict = false;
  for (const { model, hidden } of models) {
    for (const index of hidden) {
      const layer = model.layers[index];
      const start = initializerSpan(layer, mainRole(layer)).start;
      const first = firstAt.get(start);
      if (!first) {
        firstAt.set(start, layer);
        continue;
      }
      let seen = shared.get(start);
      if (!seen) shared.set(start, (seen = { recommendation: recommendationKey(first), labels: new Set([activationLabel(first)]), conflicting: false }));
      seen.labels.add(activationLabel(layer));
      seen.conflicting ||= seen.recommendation !== recommendationKey(layer);
      anyConflict ||= seen.conflicting;
    }
  }
  if (!anyConflict) return findings;
  return findings.map((finding) => {
    const location = shared.get(finding.span.start);
    // unknown-identifier's fix is the framework's spelling: right for every layer.
    if (!location?.conflicting || finding.rule === 'unknown-identifier') return finding;
    return {
      ...finding,
      message: `${finding.message} This initializer is written once for ${[...location.labels].join(' and ')} layers: pick it per activation; no fix is applied automatically.`,
      fixes: finding.fixes.map((fix) => ({ ...fix, preferred: false })),
    };
  });
}

/**
 * Whether two hidden layers may share an initializer location: not when their locations' starts only increase, or
 * only decrease (`hidden` is collected from the output back), as in a model written layer by layer (no map then).
 */
function anySharedInitializer(models: ModelAnalysis[]): boolean {
  let last = -1;
  let direction = 0;
  for (const { model, hidden } of models) {
    for (const index of hidden) {
      const layer = model.layers[index];
      const start = initializerSpan(layer, mainRole(layer)).start;
      if (last >= 0) {
        const step = Math.sign(start - last);
        if (step === 0 || step === -direction) return true;
        direction = step;
      }
      last = start;
    }
  }
  return false;
}

/**
 * A separable conv with a constant kernel (Keras `pointwise_initializer='zeros'`, or zeros on its depthwise
 * kernel, which tfjs also draws the pointwise one from) is symmetric-init's, whose fix writes both kernels: the
 * rule moments take both kernels as that fix leaves them, so no chain rule repeats the finding, and the chain
 * does not read forward 1, backward 0 with no rule to say why. False when neither kernel is constant.
 */
function constantSeparable(layer: Layer, framework: Framework, assumptions: FrameworkAssumptions, kernels: KernelVariances): boolean {
  const constant = (['depthwise', 'pointwise'] as const).some((role) => layer.initializers[role]?.sampling?.kind === 'constant');
  if (!constant) return false;
  const context = { fix: { framework }, assumptions };
  const planned = plannedVariances(layer, separablePlan([layer], context), context);
  // A kernel the plan leaves keeps its variance (1 where unresolved: such a layer is not judged by its scale).
  const variances = kernelVariances(layer);
  kernels.set(layer.index, planned.depthwise ?? variances.depthwise ?? 1);
  kernels.setPointwise(layer.index, planned.pointwise ?? variances.pointwise ?? 1);
  return true;
}


/** What a layer's initializer should be: the same key for layers one written initializer serves well. */
function recommendationKey(layer: Layer): string {
  return `${recommendationFor(layer)}${activationScale(layer) ?? ''}`;
}

export function analyzeModel(model: Model, config: InitLintConfig): ModelAnalysis {
  const framework = model.framework;
  const assumptions = frameworkAssumptions(config);
  const consumers = consumersOf(model.layers);
  const table = propagateTable(model, consumers);
  // Constant and unresolved kernels take their recommended initializer's variance in the rule moments; a zero
  // residual branch is intended (symmetric-init leaves it), so it keeps its zeros where its chain is measured
  // at the Add (chainExit). Through a normalization its chain ends before the Add, at the zeros, and would read
  // ×0: there it is judged as if fixed, like any constant kernel (the normalization resets q either way).
  const ruleKernels = new KernelVariances(model.layers.length);
  for (const layer of model.layers) {
    if (!layer.kernel) continue;
    if (layer.kind === 'separableConv' && constantSeparable(layer, framework, assumptions, ruleKernels)) continue;
    const role = mainRole(layer);
    const use = layer.initializers[role];
    if (use?.sampling && use.sampling.kind !== 'constant') continue;
    const zeroBranch = zeroResidualBranch(model, consumers, layer.index);
    if (zeroBranch && !zeroBranch.throughNormalization) continue;
    ruleKernels.set(layer.index, targetVariance(layer, recommendedTarget(layer, role, framework, assumptions), framework, assumptions));
  }
  // Most models have no constant or unresolved kernel: then the rule moments are the moments.
  const ruleMoments = ruleKernels.empty ? table : propagateTable(model, consumers, ruleKernels.override);
  const hidden = hiddenLayers(model, consumers);
  const corrections = widthCorrections(model, ruleMoments);
  const chains = findChains(model, ruleMoments, chainThresholds(config), hidden, consumers, corrections);
  // Property by property, `moments` second as always: an object literal with a getter is a dictionary-mode
  // object, and every rule reads this one's properties per layer.
  const analysis = { model } as ModelAnalysis;
  Object.defineProperty(analysis, 'moments', LAZY_MOMENTS);
  analysis.writtenMoments = table;
  analysis.ruleMoments = ruleMoments;
  analysis.ruleKernels = ruleKernels;
  analysis.ruleOverride = ruleKernels.override;
  analysis.chains = chains;
  analysis.chainOf = new LayerChains(chains);
  analysis.widthCorrections = corrections;
  analysis.hidden = hidden;
  analysis.consumers = consumers;
  return analysis;
}

/** Each analysis's `moments`, once read. */
const BUILT_MOMENTS = new WeakMap<ModelAnalysis, LayerMoments[]>();

/**
 * `ModelAnalysis.moments`, built on first read: diagnostics never read one object per layer, the report and
 * hover do. An own enumerable getter as before (serialized with the analysis), one function for every analysis.
 */
const LAZY_MOMENTS: PropertyDescriptor = {
  get(this: ModelAnalysis): LayerMoments[] {
    let moments = BUILT_MOMENTS.get(this);
    if (!moments) BUILT_MOMENTS.set(this, (moments = layerMoments(this.model, this.writtenMoments)));
    return moments;
  },
  enumerable: true,
  configurable: true,
};

function chainThresholds(config: InitLintConfig): ChainThresholds {
  return {
    threshold: config.threshold,
    hintThreshold: Math.min(config.hintThreshold, config.threshold),
    configured: config.threshold !== DEFAULT_CONFIG.threshold,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.message}` : String(error);
}

export type { LayerMoments };
