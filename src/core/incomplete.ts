/**
 * `analysis-incomplete`: where a front end's budget or depth limit cut its reading (`ExtractedFile.cuts`),
 * as findings of their own, configured and suppressible like any other. Nothing is dropped silently.
 */
import type { InitLintConfig } from './config';
import { RULES, type Finding } from './findings';
import type { AnalysisCut, ExtractedFile } from './ir';
import { isSuppressed, mentionsSuppression, parseSuppressions } from './suppressions';
import { LineIndex } from './text';

export function incompleteFinding(cut: AnalysisCut, text: string, config: InitLintConfig): Finding | undefined {
  const severity = config.rules['analysis-incomplete'] ?? RULES['analysis-incomplete'].defaultSeverity;
  if (severity === 'off') return undefined;
  // The first line of what was cut: a whole loop or file underlined would hide the code it is about.
  const start = Math.min(cut.span.start, text.length);
  const newline = text.slice(start, Math.min(cut.span.end, start + 200)).search(/[\r\n]/);
  const end = newline < 0 ? Math.min(cut.span.end, start + 200, text.length) : start + newline;
  return {
    rule: 'analysis-incomplete',
    severity,
    message: `Analysis incomplete: ${cut.reason}.`,
    span: { start, end: Math.max(start, end) },
    fixes: [],
    model: '',
    layers: [],
  };
}

/** The file's analysis with its cuts' findings added (suppression comments apply), in offset order. */
export function withIncompleteFindings<T extends { findings: Finding[]; suppressedCount: number }>(
  analysis: T, text: string, extracted: ExtractedFile, config: InitLintConfig,
): T {
  const cuts = extracted.cuts ?? [];
  if (cuts.length === 0) return analysis;
  const added = cuts.flatMap((cut) => incompleteFinding(cut, text, config) ?? []);
  if (added.length === 0) return analysis;
  const lines = extracted.comments.some(mentionsSuppression) ? new LineIndex(text) : undefined;
  const suppressions = lines ? parseSuppressions(extracted.comments, lines) : [];
  const kept = lines ? added.filter((finding) => !isSuppressed(finding, suppressions, lines)) : added;
  const findings = [...analysis.findings, ...kept].sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
  return { ...analysis, findings, suppressedCount: analysis.suppressedCount + added.length - kept.length };
}
