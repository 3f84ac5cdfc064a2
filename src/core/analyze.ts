/**
 * The core's entry point: a front end's extraction of one file → resolved models, predicted moments,
 * chains and findings (configured, suppressed, sorted). Pure: no I/O, never throws for bad input.
 */
import { findChains, hiddenLayers, type Chain } from './chains';
import { frameworkAssumptions, DEFAULT_CONFIG, type InitLintConfig } from './config';
import { RULES, type Finding } from './findings';
import { interpretModel } from './interpret';
import type { ExtractedFile, Framework } from './ir';
import { KERNEL_KINDS } from './catalogue/layers';
import type { Model } from './model';
import { consumersOf, propagate, type LayerMoments, type VarianceOverride } from './propagation';
import { RULE_CHECKS } from './rules';
import { mainRole, recommendedTarget, targetVariance, type ModelAnalysis, type RuleContext } from './rules/context';
import { isSuppressed, parseSuppressions } from './suppressions';
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

export function analyzeExtracted(text: string, extracted: ExtractedFile, config: InitLintConfig = DEFAULT_CONFIG): FileAnalysis {
  const framework: Framework = extracted.language === 'python' ? 'keras' : 'tfjs';
  const assumptions = frameworkAssumptions(config);
  const resolveContext = { framework, assumptions, kerasMajor: assumptions.kerasMajor };
  const internalErrors: string[] = [];
  const models: ModelAnalysis[] = [];
  const findings: Finding[] = [];
  for (const raw of extracted.models) {
    let analysis: ModelAnalysis;
    try {
      analysis = analyzeModel(interpretModel(raw, resolveContext), config);
    } catch (error) {
      internalErrors.push(`model ${raw.name}: ${describe(error)}`);
      continue;
    }
    models.push(analysis);
    const context: RuleContext = { analysis, fix: { text, framework, imports: extracted.imports }, threshold: config.threshold, assumptions };
    for (const check of RULE_CHECKS) {
      try {
        for (const draft of check(context)) {
          const setting = config.rules[draft.rule] ?? RULES[draft.rule].defaultSeverity;
          // A fix with no edits (nowhere to insert) would do nothing: it is not offered.
          if (setting === 'off') continue;
          const fixes = draft.fixes.every((fix) => fix.edits.length > 0) ? draft.fixes : draft.fixes.filter((fix) => fix.edits.length > 0);
          findings.push({ ...draft, fixes, severity: setting });
        }
      } catch (error) {
        internalErrors.push(`model ${raw.name}, ${check.name}: ${describe(error)}`);
      }
    }
  }
  const lines = new LineIndex(text);
  const suppressions = parseSuppressions(extracted.comments, lines);
  const unique = extracted.models.length > 1 ? dedupe(findings) : findings;
  const kept = suppressions.length ? unique.filter((finding) => !isSuppressed(finding, suppressions, lines)) : unique;
  kept.sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
  return { framework, models, findings: kept, suppressedCount: findings.length - kept.length, internalErrors };
}

/** The same source location can be reached from two models (a shared helper): report it once. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.rule}:${finding.span.start}:${finding.span.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function analyzeModel(model: Model, config: InitLintConfig): ModelAnalysis {
  const framework = model.framework;
  const assumptions = frameworkAssumptions(config);
  const moments = propagate(model);
  const ruleOverride: VarianceOverride = (layer, role) => {
    if (role !== mainRole(layer) || !KERNEL_KINDS.has(layer.kind)) return undefined;
    const use = layer.initializers[role];
    const replace = !use?.sampling || use.sampling.kind === 'constant';
    return replace ? targetVariance(layer, recommendedTarget(layer, role, framework, assumptions), framework, assumptions) : undefined;
  };
  // Most models have no constant or unresolved kernel: then the rule moments are the moments.
  const needsOverride = model.layers.some((layer) => ruleOverride(layer, mainRole(layer)) !== undefined);
  const ruleMoments = needsOverride ? propagate(model, ruleOverride, { fractions: false }) : moments;
  const hidden = hiddenLayers(model);
  const chains = findChains(model, ruleMoments, config.threshold, hidden);
  const chainOf = new Map<number, Chain>();
  for (const chain of chains) for (const index of chain.layers) chainOf.set(index, chain);
  return { model, moments, ruleMoments, ruleOverride, chains, chainOf, hidden, consumers: consumersOf(model.layers) };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.message}` : String(error);
}

export type { LayerMoments };
