/** Snippet in, findings out: the helpers rule and fix tests are written with. */
import { analyzeSource } from '../../src/project/analyzeSource';
import { DEFAULT_CONFIG, mergeConfig, type InitLintConfig } from '../../src/core/config';
import type { Finding } from '../../src/core/findings';
import { applyEdits } from '../../src/core/text';

export interface SnippetFinding {
  rule: string;
  severity: string;
  /** The source text the finding points at. */
  at: string;
  message: string;
  finding: Finding;
}

export function findings(code: string, fileName = 'model.py', config: Partial<InitLintConfig> = {}): SnippetFinding[] {
  const analysis = analyzeSource(code, fileName, mergeConfig(DEFAULT_CONFIG, config));
  if (analysis.internalErrors.length) throw new Error(analysis.internalErrors.join('\n'));
  return analysis.findings.map((finding) => ({
    rule: finding.rule,
    severity: finding.severity,
    at: code.slice(finding.span.start, finding.span.end),
    message: finding.message,
    finding,
  }));
}

/** The rules found, a hint as `hint:<rule>` (hints are not shown by default: a test says when it expects one). */
export function rules(code: string, fileName = 'model.py', config: Partial<InitLintConfig> = {}): string[] {
  return findings(code, fileName, config).map((finding) => (finding.severity === 'hint' ? `hint:${finding.rule}` : finding.rule));
}

/** Applies a finding's fix (the preferred one unless an index is given) and returns the new text. */
export function applyFix(code: string, finding: Finding, index = 0): string {
  return applyEdits(code, finding.fixes[index].edits).text;
}

export function models(code: string, fileName = 'model.py') {
  return analyzeSource(code, fileName).models.map((analysis) => analysis.model);
}
