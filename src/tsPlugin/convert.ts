/** Core findings and fixes → the TypeScript language service's diagnostics and code fixes. Nothing else. */
import type * as ts from 'typescript';
import { RULES, type Finding, type RuleId, type Severity, type TextEdit } from '../core/findings';
import type { LineIndex } from '../core/text';
import { disableFileEdit } from '../project/suppressionEdits';

export const DIAGNOSTIC_SOURCE = 'initlint';
export const FIX_ALL_ID = 'initlint-fix-all';

const CODE_TO_RULE = new Map<number, RuleId>(Object.values(RULES).map((rule) => [rule.code, rule.id]));
export const INITLINT_CODES: readonly number[] = [...CODE_TO_RULE.keys()];

export function ruleOfCode(code: number): RuleId | undefined {
  return CODE_TO_RULE.get(code);
}

/** A hint is tsserver's Suggestion: editors show it as dotted hints, not in the problem list. */
function category(typescript: typeof ts, severity: Severity): ts.DiagnosticCategory {
  const categories: Record<Severity, ts.DiagnosticCategory> = {
    error: typescript.DiagnosticCategory.Error,
    warning: typescript.DiagnosticCategory.Warning,
    info: typescript.DiagnosticCategory.Message,
    hint: typescript.DiagnosticCategory.Suggestion,
  };
  return categories[severity];
}

export function toDiagnostic(typescript: typeof ts, sourceFile: ts.SourceFile, finding: Finding): ts.Diagnostic {
  return {
    file: sourceFile,
    start: finding.span.start,
    length: Math.max(finding.span.end - finding.span.start, 0),
    messageText: `${finding.message} [${finding.rule}]`,
    category: category(typescript, finding.severity),
    code: RULES[finding.rule].code,
    source: DIAGNOSTIC_SOURCE,
  };
}

function textChanges(fileName: string, edits: TextEdit[]): ts.FileTextChanges[] {
  return [{ fileName, textChanges: edits.map((edit) => ({ span: { start: edit.span.start, length: edit.span.end - edit.span.start }, newText: edit.newText })) }];
}

/** The finding's own fixes (preferred first, the preferred one joining fix-all), then "disable for this line / file". */
export function toCodeFixes(fileName: string, finding: Finding, lines: LineIndex): ts.CodeFixAction[] {
  const ordered = [...finding.fixes].sort((a, b) => Number(b.preferred) - Number(a.preferred));
  const fixes: ts.CodeFixAction[] = ordered.map((fix) => ({
    fixName: `initlint-${finding.rule}`,
    description: fix.title,
    changes: textChanges(fileName, fix.edits),
    ...(fix.preferred ? { fixId: FIX_ALL_ID, fixAllDescription: 'Fix all InitLint problems in this file' } : {}),
  }));
  fixes.push({
    fixName: 'initlint-disable',
    description: `Disable initlint ${finding.rule} for this line`,
    changes: textChanges(fileName, [disableNextLineEdit(finding, lines)]),
  });
  fixes.push({
    fixName: 'initlint-disable-file',
    description: `Disable initlint ${finding.rule} for this file`,
    changes: textChanges(fileName, [disableFileEdit(lines.text, finding.rule, 'javascript')]),
  });
  return fixes;
}

/** `// initlint-disable-next-line <rule>` above the finding's first line, at that line's indentation. */
export function disableNextLineEdit(finding: Finding, lines: LineIndex): TextEdit {
  const line = lines.positionAt(finding.span.start).line;
  const lineStart = lines.offsetAt({ line, character: 0 });
  const indentation = /^[ \t]*/.exec(lines.text.slice(lineStart, lines.lineEnd(line)))?.[0] ?? '';
  const lineBreak = lines.text.includes('\r\n') ? '\r\n' : '\n';
  return { span: { start: lineStart, end: lineStart }, newText: `${indentation}// initlint-disable-next-line ${finding.rule}${lineBreak}` };
}

export function combinedChanges(fileName: string, edits: TextEdit[]): ts.CombinedCodeActions {
  return { changes: edits.length ? textChanges(fileName, edits) : [] };
}
