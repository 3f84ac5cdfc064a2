/** Findings, fixes and the public rule table (ids, default severities, docs). */
import type { Span } from './ir';

/**
 * `hint`: the fix is better in theory but measured training did not suffer (docs/rules/README.md, "why these
 * thresholds"): LSP Hint, tsserver Suggestion, hidden from the CLI unless `--severity hint`.
 */
export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** Most severe first: `--severity`, `--fail-on` and sorting compare ranks. */
export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** Rule ids are public interface: settings, suppressions, docs URLs and CLI output use exactly these. */
export const RULE_IDS = [
  'symmetric-init', 'unknown-identifier', 'relu-glorot-deep', 'saturating-he', 'selu-lecun', 'fixed-scale-init',
  'truncated-variance', 'orthogonal-gain', 'dead-relu-bias', 'recurrent-init', 'activation-gain', 'ignored-argument',
  'residual-growth', 'ineffective-initializer', 'analysis-incomplete', 'unknown-suppression',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface RuleInfo {
  id: RuleId;
  defaultSeverity: Severity;
  /** Stable numeric code (tsserver diagnostics need numbers; 9 is InitLint's prefix). */
  code: number;
  summary: string;
}

export const RULES: Record<RuleId, RuleInfo> = {
  'symmetric-init': { id: 'symmetric-init', defaultSeverity: 'error', code: 91001, summary: 'A hidden layer starts with a constant kernel: its units never become different.' },
  'unknown-identifier': { id: 'unknown-identifier', defaultSeverity: 'error', code: 91002, summary: 'An initializer or activation id the framework rejects at run time.' },
  'relu-glorot-deep': { id: 'relu-glorot-deep', defaultSeverity: 'warning', code: 91003, summary: 'Glorot/LeCun scale under ReLU-family activations in a chain that vanishes.' },
  'saturating-he': { id: 'saturating-he', defaultSeverity: 'warning', code: 91004, summary: 'He (scale ≥ 2) under tanh, sigmoid, hard sigmoid or softsign.' },
  'selu-lecun': { id: 'selu-lecun', defaultSeverity: 'warning', code: 91005, summary: 'SELU without LeCun normal (Var = 1/fan_in) is not self-normalizing.' },
  'fixed-scale-init': { id: 'fixed-scale-init', defaultSeverity: 'warning', code: 91006, summary: 'A fixed-stddev random initializer in a chain that vanishes or explodes.' },
  'truncated-variance': { id: 'truncated-variance', defaultSeverity: 'warning', code: 91007, summary: 'TensorFlow.js truncated normals lose 22.6% of their variance per layer.' },
  'orthogonal-gain': { id: 'orthogonal-gain', defaultSeverity: 'warning', code: 91008, summary: 'Orthogonal/identity gain below √2 on a ReLU chain that vanishes.' },
  'dead-relu-bias': { id: 'dead-relu-bias', defaultSeverity: 'warning', code: 91009, summary: 'A negative constant bias kills ReLU units before training starts.' },
  'recurrent-init': { id: 'recurrent-init', defaultSeverity: 'info', code: 91010, summary: 'A recurrent kernel that is not orthogonal.' },
  'activation-gain': { id: 'activation-gain', defaultSeverity: 'warning', code: 91011, summary: 'An init scale that does not match a non-ReLU activation\'s gain (He under swish, GELU, mish, ELU) in a chain that vanishes.' },
  'ignored-argument': { id: 'ignored-argument', defaultSeverity: 'error', code: 91012, summary: 'An initializer argument the framework ignores or replaces with its default.' },
  'residual-growth': { id: 'residual-growth', defaultSeverity: 'warning', code: 91013, summary: 'An un-normalized residual stack whose variance compounds block after block.' },
  'ineffective-initializer': { id: 'ineffective-initializer', defaultSeverity: 'warning', code: 91014, summary: 'An initializer assigned after the layer\'s weights were built: it changes nothing.' },
  'analysis-incomplete': { id: 'analysis-incomplete', defaultSeverity: 'info', code: 91015, summary: 'A size, time or depth budget stopped the analysis here: what follows was not checked.' },
  'unknown-suppression': { id: 'unknown-suppression', defaultSeverity: 'warning', code: 91016, summary: 'A suppression comment names a rule id InitLint does not have.' },
};

export const DOCS_BASE_URL = 'https://github.com/initlint/initlint/blob/main/docs/rules/';

export function docsUrl(rule: RuleId): string {
  return `${DOCS_BASE_URL}${rule}.md`;
}

export interface TextEdit {
  span: Span;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix `--fix`, fix-all and "preferred" quick fixes apply. */
  preferred: boolean;
}

export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  span: Span;
  fixes: Fix[];
  /** The model and the layer indices (in `Model.layers`) the finding is about. */
  model: string;
  layers: number[];
  /**
   * Set when the span (and every fix edit) lies in another file than the one analysed: a module it imports, where
   * the layer or initializer is written (the project layer sets it; the core never reads files).
   */
  file?: string;
}

/**
 * One finding per rule and span, in first-seen order: a later finding at the same place replaces the kept one
 * only when `moreSevere` says it is strictly more severe.
 */
export function onePerLocation<T extends { rule: RuleId; span: Span }>(
  findings: T[], moreSevere: (candidate: T, kept: T) => boolean,
): T[] {
  const kept = new Map<string, T>();
  for (const finding of findings) {
    const key = `${finding.rule}:${finding.span.start}:${finding.span.end}`;
    const seen = kept.get(key);
    if (!seen || moreSevere(finding, seen)) kept.set(key, finding);
  }
  return kept.size === findings.length ? findings : [...kept.values()];
}
