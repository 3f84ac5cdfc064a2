/**
 * Code actions from the cached analysis: per finding its fixes (preferred first) and "disable for this
 * line / file"; for the file, `source.fixAll.initlint` (what editor.codeActionsOnSave runs). In a notebook the
 * request comes for one cell, and the edits go to whichever cells they touch (an import into the first).
 */
import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver/node';
import type { Finding, TextEdit } from '../core/findings';
import { fixAllEdits, preferredFixes } from '../project/fixAllEdits';
import { disableFileEdit } from '../project/suppressionEdits';
import { toChanges, toDiagnostic } from './convert';
import type { DocumentAnalysis } from './documentAnalyses';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.initlint`;

/** LSP kinds are hierarchical: asking for `source` includes `source.fixAll.initlint`. No `only`: quick fixes only. */
function requested(kind: string, only: string[] | undefined): boolean {
  if (!only) return kind === CodeActionKind.QuickFix;
  return only.some((asked) => kind === asked || kind.startsWith(`${asked}.`));
}

export function codeActions(params: CodeActionParams, document: DocumentAnalysis): CodeAction[] {
  const findings = document.analysis?.findings ?? [];
  const only = params.context.only;
  const actions: CodeAction[] = [];
  const { map } = document;
  const uri = params.textDocument.uri;
  if (requested(CodeActionKind.QuickFix, only)) {
    const start = map.offsetAt(uri, params.range.start);
    const end = map.offsetAt(uri, params.range.end);
    if (start !== undefined && end !== undefined) {
      for (const finding of findings) {
        // In a notebook a finding is shown on the cell holding its start: only that cell offers its fixes.
        if (finding.span.start <= end && start <= finding.span.end && map.locate(finding.span).uri === uri) actions.push(...quickFixes(finding, document));
      }
    }
  }
  if (requested(FIX_ALL_KIND, only)) {
    // Scoped to the findings shown on the requested document: in a notebook, "fix all in this cell" (VS Code
    // runs a cell's source actions cell by cell); their edits may still touch other cells (an import).
    const shownHere = findings.filter((finding) => map.locate(finding.span).uri === uri);
    const expressible = preferredFixes(shownHere).filter((fix) => toChanges(fix.edits, map));
    const changes = toChanges(fixAllEdits(expressible), map) ?? {};
    changes[uri] ??= [];
    actions.push({ title: 'Fix all InitLint problems', kind: FIX_ALL_KIND, edit: { changes } });
  }
  return actions;
}

function quickFixes(finding: Finding, document: DocumentAnalysis): CodeAction[] {
  const { diagnostic } = toDiagnostic(finding, document.map);
  const ordered = [...finding.fixes].sort((a, b) => Number(b.preferred) - Number(a.preferred));
  const actions: CodeAction[] = [];
  for (const fix of ordered) {
    const changes = toChanges(fix.edits, document.map);
    if (!changes) continue;
    actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred, edit: { changes } });
  }
  const disable = toChanges([disableLineEdit(finding, document)], document.map);
  if (disable) actions.push({ title: `Disable ${finding.rule} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: disable } });
  // In a notebook the program's start is the first code cell's: the directive goes there and covers the notebook.
  const disableFile = toChanges([disableFileEdit(document.text, finding.rule, 'python')], document.map);
  if (disableFile) actions.push({ title: `Disable ${finding.rule} for this file`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: disableFile } });
  return actions;
}

/**
 * `# initlint-disable-line <rule>` on the finding's first line. A line that already has a comment gets the
 * directive in front of it (`# initlint-disable-line rule  # the old comment`: the parser reads only rule ids),
 * and an existing directive on the line gets one more id.
 */
export function disableLineEdit(finding: Finding, document: DocumentAnalysis): TextEdit {
  const { lines } = document;
  const line = lines.positionAt(finding.span.start).line;
  const lineStart = lines.offsetAt({ line, character: 0 });
  const lineEnd = lines.lineEnd(line);
  const comment = document.extracted.comments.find((candidate) => candidate.span.start >= lineStart && candidate.span.start < lineEnd);
  if (!comment) {
    const content = lines.text.slice(lineStart, lineEnd);
    const trimmedEnd = lineStart + content.trimEnd().length;
    return { span: { start: trimmedEnd, end: lineEnd }, newText: `  # initlint-disable-line ${finding.rule}` };
  }
  if (/^\s*initlint-disable-line\s/.test(comment.text)) {
    const written = lines.text.slice(comment.span.start, comment.span.end);
    const reason = written.search(/\s--/);
    const idsEnd = comment.span.start + (reason >= 0 ? reason : written.trimEnd().length);
    return { span: { start: idsEnd, end: idsEnd }, newText: `, ${finding.rule}` };
  }
  return { span: { start: comment.span.start, end: comment.span.start }, newText: `# initlint-disable-line ${finding.rule}  ` };
}
