/**
 * Suppression comments, the same in Python (`#`) and JS/TS (`//`, `/* *\/`):
 * `initlint-disable-line [ids]`, `initlint-disable-next-line [ids]`, `initlint-disable-file [ids]`.
 * No ids means every rule; ids are separated by commas or spaces; `-- reason` may follow.
 */
import { RULE_IDS, type Finding, type RuleId } from './findings';
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
export function mentionsSuppression(comment: Comment): boolean {
  return comment.text.includes('initlint-disable');
}

export function parseSuppressions(comments: Comment[], lines: LineIndex): Suppression[] {
  const suppressions: Suppression[] = [];
  for (const comment of comments) {
    const text = comment.text.trim();
    const directive = DIRECTIVES.find((candidate) => text === candidate || text.startsWith(`${candidate} `) || text.startsWith(`${candidate}\t`));
    if (!directive) continue;
    const rest = text.slice(directive.length).split('--')[0];
    const ids = rest.split(/[\s,]+/).filter((id) => id.length > 0);
    const rules = ids.filter((id): id is RuleId => (RULE_IDS as readonly string[]).includes(id));
    suppressions.push({ directive, rules: ids.length ? rules : undefined, line: lines.positionAt(comment.span.start).line });
  }
  return suppressions;
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
