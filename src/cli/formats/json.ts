/** `--format json`: the CLI's contract (README "JSON output"). Lines and columns are 1-based. */
import type { Finding, TextEdit } from '../../core/findings';
import type { Span } from '../../core/ir';

/** Offsets → 0-based line and column, and for notebooks the cell (index in the notebook's `cells`). */
export interface Positions {
  positionAt(offset: number): { line: number; character: number; cell?: number };
}

export interface JsonRange {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

export function jsonRange(span: Span, lines: Positions): JsonRange {
  const start = lines.positionAt(span.start);
  const end = lines.positionAt(span.end);
  return { start: { line: start.line + 1, column: start.character + 1 }, end: { line: end.line + 1, column: end.character + 1 } };
}

export function jsonDiagnostic(finding: Finding, lines: Positions) {
  const cell = lines.positionAt(finding.span.start).cell;
  return {
    ...(cell === undefined ? {} : { cell }),
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
