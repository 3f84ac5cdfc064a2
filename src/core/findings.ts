/** Findings, fixes and the public rule table (ids, default severities, docs). */
import type { Span } from './ir';

export type Severity = 'error' | 'warning' | 'info';

/** Rule ids are public interface: settings, suppressions, docs URLs and CLI output use exactly these. */
export const RULE_IDS = [
  'symmetric-init', 'unknown-identifier', 'relu-glorot-deep', 'saturating-he', 'selu-lecun', 'fixed-scale-init',
  'truncated-variance', 'orthogonal-gain', 'dead-relu-bias', 'recurrent-init',
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
}
