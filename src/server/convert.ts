/** Core findings and fixes → LSP diagnostics and text edits. Nothing else. */
import { DiagnosticSeverity, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver/node';
import { docsUrl, type Finding, type Severity, type TextEdit as CoreEdit } from '../core/findings';
import type { LineIndex } from '../core/text';

export const DIAGNOSTIC_SOURCE = 'initlint';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toRange(lines: LineIndex, span: { start: number; end: number }): Range {
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

export function toDiagnostic(finding: Finding, lines: LineIndex): Diagnostic {
  return {
    range: toRange(lines, finding.span),
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.rule,
    codeDescription: { href: docsUrl(finding.rule) },
    message: finding.message,
  };
}

export function toTextEdits(edits: CoreEdit[], lines: LineIndex): TextEdit[] {
  return edits.map((edit) => ({ range: toRange(lines, edit.span), newText: edit.newText }));
}
