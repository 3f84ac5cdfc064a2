/** `--format json`: the CLI's contract (README "JSON output"). Lines and columns are 1-based. */
import type { Finding, TextEdit } from '../../core/findings';
import type { Span } from '../../core/ir';
import type { LineIndex } from '../../core/text';

export interface JsonRange {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

export function jsonRange(span: Span, lines: LineIndex): JsonRange {
  const start = lines.positionAt(span.start);
  const end = lines.positionAt(span.end);
  return { start: { line: start.line + 1, column: start.character + 1 }, end: { line: end.line + 1, column: end.character + 1 } };
}

export function jsonDiagnostic(finding: Finding, lines: LineIndex) {
  return {
    rule: finding.rule,
    severity: finding.severity,
    message: finding.message,
    range: jsonRange(finding.span, lines),
    fixes: finding.fixes.map((fix) => ({
      title: fix.title,
      edits: fix.edits.map((edit: TextEdit) => ({ range: jsonRange(edit.span, lines), newText: edit.newText })),
    })),
  };
}
