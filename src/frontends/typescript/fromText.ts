/** The front end on text alone (CLI, tests, the language-neutral entry): parses with the bundled compiler. */
import ts from 'typescript';
import type { ExtractedFile } from '../../core/ir';
import type { WorkLimits } from '../budget';
import { blankDeepNesting } from '../nesting';
import { EMBEDDING_EXTENSION, scriptsOnly } from './embedded';
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

/** A text parsed as `fileName`'s script kind, without parent pointers (the front end never reads them). */
export function parseScript(text: string, fileName: string): ts.SourceFile {
  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1].toLowerCase() ?? 'ts';
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, SCRIPT_KINDS[extension] ?? ts.ScriptKind.TS);
}

export function extractTypeScriptText(text: string, fileName: string, limits?: WorkLimits): ExtractedFile {
  if (EMBEDDING_EXTENSION.test(fileName)) text = scriptsOnly(text);
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
  const { text: shallow, cuts } = blankDeepNesting(text, MAX_READ_DEPTH, 'javascript');
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
