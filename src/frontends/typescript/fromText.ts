/** The front end on text alone (CLI, tests, the language-neutral entry): parses with the bundled compiler. */
import ts from 'typescript';
import type { AnalysisCut, ExtractedFile } from '../../core/ir';
import type { WorkLimits } from '../budget';
import { emptyExtraction, extractTypeScript } from './index';

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  ts: ts.ScriptKind.TS, mts: ts.ScriptKind.TS, cts: ts.ScriptKind.TS, tsx: ts.ScriptKind.TSX,
  js: ts.ScriptKind.JS, mjs: ts.ScriptKind.JS, cjs: ts.ScriptKind.JS, jsx: ts.ScriptKind.JSX,
};

/**
 * Brackets kept when a file is too deep for the parser: the compiler's recursive descent overflows the
 * stack between 1,000 and 2,000 levels; models are written a few levels deep.
 */
const MAX_READ_DEPTH = 256;

export function extractTypeScriptText(text: string, fileName: string, limits?: WorkLimits): ExtractedFile {
  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1].toLowerCase() ?? 'ts';
  const kind = SCRIPT_KINDS[extension] ?? ts.ScriptKind.TS;
  // No parent pointers: the front end never reads them, and tsserver's SourceFiles may not have them either.
  const parse = (source: string) => ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, kind);
  try {
    return extractTypeScript(ts, parse(text), limits);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  // The parser is recursive: nesting thousands deep overflows its stack. What lies deeper than MAX_READ_DEPTH
  // is blanked (offsets kept) and the rest is read; each blanked region is a cut.
  const { text: shallow, cuts } = blankDeepNesting(text, MAX_READ_DEPTH);
  let extraction: ExtractedFile;
  try {
    extraction = extractTypeScript(ts, parse(shallow), limits);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    extraction = emptyExtraction();
    cuts.splice(0, cuts.length, { span: { start: 0, end: 0 }, reason: 'the file is nested too deeply to parse: it was not read' });
  }
  extraction.cuts = [...cuts, ...(extraction.cuts ?? [])];
  return extraction;
}

/**
 * The text with everything inside brackets deeper than `maxDepth` replaced by spaces (line breaks kept, so
 * offsets and lines stay), skipping strings and comments. A lexer, not a parser: only run on a file the
 * parser could not take.
 */
export function blankDeepNesting(text: string, maxDepth: number): { text: string; cuts: AnalysisCut[] } {
  const chars = text.split('');
  const cuts: AnalysisCut[] = [];
  let depth = 0;
  let blankFrom = -1;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    const skip = skippedEnd(text, at);
    if (skip > at) {
      if (blankFrom >= 0) for (let i = at; i < skip; i++) if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = ' ';
      at = skip - 1;
      continue;
    }
    if (char === '(' || char === '[' || char === '{') {
      depth++;
      if (depth === maxDepth + 1 && blankFrom < 0) blankFrom = at;
    } else if (char === ')' || char === ']' || char === '}') {
      if (depth === maxDepth + 1 && blankFrom >= 0) {
        chars[at] = ' ';
        cuts.push({ span: { start: blankFrom, end: at + 1 }, reason: `brackets nested over ${maxDepth} deep were not read (the parser cannot take them)` });
        blankFrom = -1;
        depth--;
        continue;
      }
      depth = Math.max(0, depth - 1);
    }
    if (blankFrom >= 0 && char !== '\n' && char !== '\r') chars[at] = ' ';
  }
  if (blankFrom >= 0) cuts.push({ span: { start: blankFrom, end: text.length }, reason: `brackets nested over ${maxDepth} deep were not read (the parser cannot take them)` });
  return { text: chars.join(''), cuts: cuts.slice(0, 20) };
}

/** The end of a string or comment starting at `at`, else `at`. */
function skippedEnd(text: string, at: number): number {
  const char = text[at];
  if (char === '/' && text[at + 1] === '/') {
    const end = text.indexOf('\n', at);
    return end < 0 ? text.length : end;
  }
  if (char === '/' && text[at + 1] === '*') {
    const end = text.indexOf('*/', at + 2);
    return end < 0 ? text.length : end + 2;
  }
  if (char === '"' || char === "'" || char === '`') {
    let end = at + 1;
    while (end < text.length && text[end] !== char && (char === '`' || text[end] !== '\n')) end += text[end] === '\\' ? 2 : 1;
    return Math.min(text.length, end + 1);
  }
  return at;
}
