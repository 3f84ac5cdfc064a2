/**
 * Nesting deeper than a reader can take (the TypeScript parser's recursion overflows between 1,000 and 2,000
 * levels; Lezer's error recovery slows down superlinearly on hundreds of thousands of unclosed brackets):
 * what lies deeper than a limit is blanked, offsets and line breaks kept, and each blanked region is a cut.
 * A lexer, not a parser: it skips strings and comments, and is only as exact as a bracket count can be.
 */
import type { AnalysisCut } from '../core/ir';
import type { Language } from '../core/ir';

const MAX_REGIONS = 20;

/** The text unchanged when no bracket is deeper than `maxDepth` (one scan, no copy). */
export function blankDeepNesting(text: string, maxDepth: number, language: Language): { text: string; cuts: AnalysisCut[] } {
  if (!deeperThan(text, maxDepth, language)) return { text, cuts: [] };
  const chars = text.split('');
  const cuts: AnalysisCut[] = [];
  const reason = `brackets nested over ${maxDepth} deep were not read`;
  const blank = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = ' ';
  };
  let depth = 0;
  let blankFrom = -1;
  for (let at = 0; at < text.length; at++) {
    const skip = skippedEnd(text, at, language);
    if (skip > at) {
      if (blankFrom >= 0) blank(at, skip);
      at = skip - 1;
      continue;
    }
    const char = text[at];
    if (char === '(' || char === '[' || char === '{') {
      depth++;
      if (depth === maxDepth + 1) blankFrom = at;
    } else if (char === ')' || char === ']' || char === '}') {
      if (depth === maxDepth + 1 && blankFrom >= 0) {
        blank(blankFrom, at + 1);
        if (cuts.length < MAX_REGIONS) cuts.push({ span: { start: blankFrom, end: at + 1 }, reason });
        blankFrom = -1;
      }
      depth = Math.max(0, depth - 1);
    }
  }
  if (blankFrom >= 0) {
    blank(blankFrom, text.length);
    if (cuts.length < MAX_REGIONS) cuts.push({ span: { start: blankFrom, end: text.length }, reason });
  }
  return { text: chars.join(''), cuts };
}

function deeperThan(text: string, maxDepth: number, language: Language): boolean {
  let depth = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    // ( [ {  and  ) ] }
    if (code === 40 || code === 91 || code === 123) {
      if (++depth > maxDepth) return true;
    } else if (code === 41 || code === 93 || code === 125) {
      if (depth > 0) depth--;
    } else if (code === 34 || code === 39 || code === 96 || code === 35 || code === 47) {
      at = Math.max(at, skippedEnd(text, at, language) - 1);
    }
  }
  return false;
}

/** The end of a string or comment starting at `at`, else `at`. Read by char code: this runs over every file. */
function skippedEnd(text: string, at: number, language: Language): number {
  const code = text.charCodeAt(at);
  if (language === 'python') {
    if (code === HASH) return lineEnd(text, at);
    if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
      if (text.charCodeAt(at + 1) === code && text.charCodeAt(at + 2) === code) {
        const end = text.indexOf(code === DOUBLE_QUOTE ? '"""' : "'''", at + 3);
        return end < 0 ? text.length : end + 3;
      }
      return quotedEnd(text, at, code);
    }
    return at;
  }
  if (code === SLASH && text.charCodeAt(at + 1) === SLASH) return lineEnd(text, at);
  if (code === SLASH && text.charCodeAt(at + 1) === STAR) {
    const end = text.indexOf('*/', at + 2);
    return end < 0 ? text.length : end + 2;
  }
  if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE || code === BACKTICK) return quotedEnd(text, at, code);
  return at;
}

const HASH = 35;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const BACKTICK = 96;
const SLASH = 47;
const STAR = 42;
const BACKSLASH = 92;
const LINE_FEED = 10;

function lineEnd(text: string, at: number): number {
  const end = text.indexOf('\n', at);
  return end < 0 ? text.length : end;
}

/** A quoted string's end: its closing quote, or (but for template literals) the end of its line. */
function quotedEnd(text: string, at: number, quote: number): number {
  let end = at + 1;
  for (;;) {
    const code = text.charCodeAt(end);
    if (end >= text.length || code === quote || (quote !== BACKTICK && code === LINE_FEED)) break;
    end += code === BACKSLASH ? 2 : 1;
  }
  return Math.min(text.length, end + 1);
}
