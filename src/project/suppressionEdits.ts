/**
 * "Disable <rule> for this file": an `initlint-disable-file <rule>` comment at the top of the file, in both
 * languages (src/core/suppressions.ts reads it). Lines that must stay first keep their place: a shebang, and
 * in Python the encoding declaration, which only counts on the first two lines (PEP 263).
 */
import type { RuleId, TextEdit } from '../core/findings';

const MUST_STAY_FIRST = { python: [/^#!/, /^#.*coding[:=]/], javascript: [/^#!/] } as const;
const COMMENT = { python: '#', javascript: '//' } as const;

export function disableFileEdit(text: string, rule: RuleId, language: 'python' | 'javascript'): TextEdit {
  const lineBreak = text.includes('\r\n') ? '\r\n' : '\n';
  let offset = 0;
  for (let line = 0; line < 2; line++) {
    const end = text.indexOf('\n', offset);
    const content = text.slice(offset, end < 0 ? text.length : end).replace(/\r$/, '');
    if (!MUST_STAY_FIRST[language].some((pattern) => pattern.test(content))) break;
    offset = end < 0 ? text.length : end + 1;
  }
  // A directive already there (with rule ids, no reason) gets one more id.
  const next = text.slice(offset, text.indexOf('\n', offset) < 0 ? text.length : text.indexOf('\n', offset)).replace(/\r$/, '');
  const existing = new RegExp(`^\\s*${COMMENT[language]}\\s*initlint-disable-file\\s+[\\w-]+(?:[\\s,]+[\\w-]+)*\\s*$`).exec(next);
  if (existing) {
    const end = offset + next.trimEnd().length;
    return { span: { start: end, end }, newText: `, ${rule}` };
  }
  const prefix = offset === text.length && offset > 0 && !text.endsWith('\n') ? lineBreak : '';
  return { span: { start: offset, end: offset }, newText: `${prefix}${COMMENT[language]} initlint-disable-file ${rule}${lineBreak}` };
}
