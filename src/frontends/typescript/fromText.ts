/** The front end on text alone (CLI, tests, the language-neutral entry): parses with the bundled compiler. */
import ts from 'typescript';
import type { ExtractedFile } from '../../core/ir';
import { emptyExtraction, extractTypeScript } from './index';

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  ts: ts.ScriptKind.TS, mts: ts.ScriptKind.TS, cts: ts.ScriptKind.TS, tsx: ts.ScriptKind.TSX,
  js: ts.ScriptKind.JS, mjs: ts.ScriptKind.JS, cjs: ts.ScriptKind.JS, jsx: ts.ScriptKind.JSX,
};

export function extractTypeScriptText(text: string, fileName: string): ExtractedFile {
  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1].toLowerCase() ?? 'ts';
  let sourceFile: ts.SourceFile;
  try {
    // No parent pointers: the front end never reads them, and tsserver's SourceFiles may not have them either.
    sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, SCRIPT_KINDS[extension] ?? ts.ScriptKind.TS);
  } catch (error) {
    // The parser is recursive: nesting thousands deep overflows its stack. Such a file has nothing to lint.
    const extraction = emptyExtraction();
    extraction.syntaxProblems.push({ span: { start: 0, end: 0 }, message: `The file could not be parsed: ${String(error)}` });
    return extraction;
  }
  return extractTypeScript(ts, sourceFile);
}
