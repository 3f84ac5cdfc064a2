/** Core findings and fixes → LSP diagnostics and edits, placed on the document (or notebook cell) they belong to. */
import { DiagnosticSeverity, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import type { Finding, Severity, TextEdit as CoreEdit } from '../core/findings';
import type { ProgramMap } from './programMap';
import { ruleLink } from './ruleLinks';

export const DIAGNOSTIC_SOURCE = 'initlint';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The finding as a diagnostic, and the URI of the document (cell) it is published on. */
export function toDiagnostic(finding: Finding, map: ProgramMap): { uri: string; diagnostic: Diagnostic } {
  const { uri, range } = map.locate(finding.span);
  return {
    uri,
    diagnostic: {
      range,
      severity: SEVERITY[finding.severity],
      source: DIAGNOSTIC_SOURCE,
      code: finding.rule,
      codeDescription: { href: ruleLink(finding.rule) },
      message: finding.message,
    },
  };
}

/** Diagnostics grouped by the document they are published on. */
export function diagnosticsByUri(findings: readonly Finding[], map: ProgramMap): Map<string, Diagnostic[]> {
  const byUri = new Map<string, Diagnostic[]>(map.uris.map((uri) => [uri, []]));
  for (const finding of findings) {
    const { uri, diagnostic } = toDiagnostic(finding, map);
    byUri.get(uri)?.push(diagnostic);
  }
  return byUri;
}

/**
 * Program edits → LSP edits per document (`WorkspaceEdit.changes`). Undefined when an edit spans two notebook
 * cells: a fix is atomic, so it is offered whole or not at all.
 */
export function toChanges(edits: readonly CoreEdit[], map: ProgramMap): Record<string, TextEdit[]> | undefined {
  const changes: Record<string, TextEdit[]> = {};
  for (const edit of edits) {
    const located = map.locateExactly(edit.span);
    if (!located) return undefined;
    (changes[located.uri] ??= []).push({ range: located.range, newText: edit.newText });
  }
  return changes;
}
