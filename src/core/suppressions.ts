/**
 * Suppression comments, the same in Python (`#`) and JS/TS (`//`, `/* *\/`):
 * `initlint-disable-line [ids]`, `initlint-disable-next-line [ids]`, `initlint-disable-file [ids]`.
 * No ids means every rule; ids are separated by commas or spaces; `-- reason` may follow.
 */
import { nearestName, type InitLintConfig } from './config';
import { RULE_IDS, RULES, type Finding, type RuleId } from './findings';
import type { Comment } from './ir';
import type { LineIndex } from './text';

type Directive = 'initlint-disable-line' | 'initlint-disable-next-line' | 'initlint-disable-file';
const DIRECTIVES: Directive[] = ['initlint-disable-next-line', 'initlint-disable-line', 'initlint-disable-file'];

export interface Suppression {
  directive: Directive;
  /** Undefined: all rules. */
  rules?: RuleId[];
  /** 0-based line the comment is on. */
  line: number;
}

/** Whether a comment can hold a directive: every directive starts with this. */
/** What every suppression directive contains: a file without it has no suppression to read. */
export const SUPPRESSION_MARK = 'initlint-disable';

export function mentionsSuppression(comment: Comment): boolean {
  return comment.text.includes(SUPPRESSION_MARK);
}

/** A comment's directive and the ids it names, each with its offset in `comment.text`. */
function readDirective(comment: Comment): { directive: Directive; ids: { id: string; at: number }[] } | undefined {
  const text = comment.text.trim();
  const directive = DIRECTIVES.find((candidate) => text === candidate || text.startsWith(`${candidate} `) || text.startsWith(`${candidate}\t`));
  if (!directive) return undefined;
  const restAt = comment.text.indexOf(directive) + directive.length;
  const rest = comment.text.slice(restAt).split('--')[0];
  const ids = [...rest.matchAll(/[^\s,]+/g)].map((match) => ({ id: match[0], at: restAt + match.index! }));
  return { directive, ids };
}

const isRuleId = (id: string): id is RuleId => (RULE_IDS as readonly string[]).includes(id);

export function parseSuppressions(comments: Comment[], lines: LineIndex): Suppression[] {
  const suppressions: Suppression[] = [];
  for (const comment of comments) {
    const read = readDirective(comment);
    if (!read) continue;
    const rules = read.ids.map(({ id }) => id).filter(isRuleId);
    suppressions.push({ directive: read.directive, rules: read.ids.length ? rules : undefined, line: lines.positionAt(comment.span.start).line });
  }
  return suppressions;
}

/**
 * `unknown-suppression`: an id in a directive that names no rule suppresses nothing, which the writer did
 * not mean. One finding per such id, on the id itself; a near id is offered as a fix (never preferred:
 * `--fix` must not start hiding findings on a guess).
 */
export function unknownSuppressionFindings(comments: Comment[], source: string, config: InitLintConfig): Finding[] {
  const severity = config.rules['unknown-suppression'] ?? RULES['unknown-suppression'].defaultSeverity;
  if (severity === 'off') return [];
  const findings: Finding[] = [];
  for (const comment of comments) {
    const read = readDirective(comment);
    if (!read) continue;
    // The comment's text as written in the source (after its `#`, `//` or `/*`).
    const textStart = source.indexOf(comment.text, comment.span.start);
    for (const { id, at } of read.ids) {
      if (isRuleId(id)) continue;
      const span = textStart < 0 ? comment.span : { start: textStart + at, end: textStart + at + id.length };
      const near = nearestName(id, RULE_IDS);
      findings.push({
        rule: 'unknown-suppression',
        severity,
        message: `'${id}' is not an InitLint rule id, so this comment suppresses nothing for it${near ? `; did you mean '${near}'?` : ''}`,
        span,
        fixes: near && textStart >= 0 ? [{ title: `Change to '${near}'`, edits: [{ span, newText: near }], preferred: false }] : [],
        model: '',
        layers: [],
      });
    }
  }
  return findings;
}

export function isSuppressed(finding: Finding, suppressions: Suppression[], lines: LineIndex): boolean {
  const line = lines.positionAt(finding.span.start).line;
  return suppressions.some((suppression) => {
    if (suppression.rules && !suppression.rules.includes(finding.rule)) return false;
    switch (suppression.directive) {
      case 'initlint-disable-file': return true;
      case 'initlint-disable-line': return suppression.line === line;
      case 'initlint-disable-next-line': return suppression.line + 1 === line;
    }
  });
}
