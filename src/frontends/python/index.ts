/**
 * The Keras front end: Python source → models as layer calls (`ExtractedFile`), with Lezer's
 * error-tolerant, incremental parser. Nothing here throws: code being typed yields what can be found.
 */
import { parser } from '@lezer/python';
import { TreeFragment, type ChangedRange, type PartialParse, type Tree } from '@lezer/common';
import type { AnalysisCut, Comment, ExtractedFile, ImportScope, SyntaxProblem } from '../../core/ir';
import { ExtractionCancelled, isStackOverflow, type WorkLimits } from '../budget';
import { blankDeepNesting } from '../nesting';
import { readImportScope } from './imports';
import { Interpreter } from './interpreter';
import { childrenOf, SourceText } from './syntax';

/** The last parse of a document, to reparse it incrementally. `changes` default to the one range where the texts differ. */
export interface PreviousParse {
  tree: Tree;
  text: string;
  changes?: readonly ChangedRange[];
}

/** Parses Python; given the previous parse, Lezer reuses the unchanged parts of its tree. */
export function parsePython(text: string, previous?: PreviousParse): Tree {
  try {
    return parser.parse(text, previous && reusable(text, previous));
  } catch {
    return parser.parse(text);
  }
}

/** A parse to advance step by step (a host that yields between steps stays responsive on huge files). */
export function startPythonParse(text: string, previous?: PreviousParse): PartialParse {
  try {
    return parser.startParse(text, previous && reusable(text, previous));
  } catch {
    return parser.startParse(text);
  }
}

function reusable(text: string, previous: PreviousParse): readonly TreeFragment[] {
  const changes = previous.changes ?? [changedRange(previous.text, text)];
  return TreeFragment.applyChanges(TreeFragment.addTree(previous.tree), changes);
}

/**
 * Brackets kept for the parser: Lezer's error recovery slows down superlinearly on deep runs (580 KB of
 * unclosed parentheses took 12 s), and the interpreter's recursion overflows a few thousand levels down.
 */
const MAX_READ_DEPTH = 100;

/**
 * The text the parser and interpreter read: `text` with brackets deeper than MAX_READ_DEPTH blanked (same
 * offsets), and the cuts that say so. Every reader of a document's text goes through it.
 */
export function readablePython(text: string): { text: string; cuts: AnalysisCut[] } {
  return blankDeepNesting(text, MAX_READ_DEPTH, 'python');
}

/** Adds the cuts of `readablePython` to an extraction of its text. */
export function withNestingCuts(extracted: ExtractedFile, cuts: AnalysisCut[]): ExtractedFile {
  return cuts.length ? { ...extracted, cuts: [...cuts, ...(extracted.cuts ?? [])] } : extracted;
}

/** Never throws but `ExtractionCancelled`: a failure is a cut (`analysis-incomplete`), never a silent "no model". */
export function extractPython(text: string, limits?: WorkLimits): ExtractedFile {
  const parsed = parseReadable(text);
  if ('failed' in parsed) return parsed.failed;
  return withNestingCuts(extractPythonFromTree(parsed.readable.text, parsed.tree, limits), parsed.readable.cuts);
}

/** The text made readable (deep nesting blanked) and parsed; a parser failure is an extraction with one cut. */
export function parseReadable(text: string): { readable: ReturnType<typeof readablePython>; tree: Tree } | { failed: ExtractedFile } {
  const readable = readablePython(text);
  try {
    return { readable, tree: parsePython(readable.text) };
  } catch (error) {
    const failed = emptyExtraction();
    failed.cuts = [{ span: { start: 0, end: 0 }, reason: failure('the file could not be parsed', error) }];
    return { failed };
  }
}

export function extractPythonFromTree(text: string, tree: Tree, limits?: WorkLimits): ExtractedFile {
  const extracted = emptyExtraction();
  const interpreter = new Interpreter(new SourceText(text), limits);
  try {
    const variables: number[] = [];
    readTokens(tree, interpreter.source, extracted.comments, extracted.syntaxProblems, variables);
    interpreter.knowVariables(tree.topNode, variables);
    extracted.imports = readImportScope(tree.topNode, interpreter.source);
    extracted.models = interpreter.run(tree.topNode);
  } catch (error) {
    // Whatever was read before the failure is kept, and the failure is said.
    if (error instanceof ExtractionCancelled) throw error;
    extracted.cuts = [{ span: { start: 0, end: 0 }, reason: failure('the model reader failed', error) }];
  }
  if (interpreter.cuts.length) extracted.cuts = [...(extracted.cuts ?? []), ...interpreter.cuts];
  return extracted;
}

export function failure(what: string, error: unknown): string {
  return isStackOverflow(error) ? `${what}: it is nested too deeply` : `${what} (${String(error)}): please report it`;
}

/** The last extraction of a document, with the parse it came from: what `extractPythonAfterEdit` may reuse. */
export interface PreviousExtraction {
  text: string;
  tree: Tree;
  extracted: ExtractedFile;
}

/**
 * Extraction after an edit. When the edit leaves every statement of the file as it was — same statements at
 * the same offsets, all before the edit and its line, neither parse with a syntax error (a comment or blank
 * lines added after the code, say) — the models and imports read last time are still what the file builds:
 * only comments (suppressions) are read again. Anything else runs the interpreter over the whole file.
 */
export function extractPythonAfterEdit(text: string, tree: Tree, previous: PreviousExtraction | undefined, limits?: WorkLimits): ExtractedFile {
  // A cut extraction is read again whole: the edit may be what lets it finish.
  if (!previous || previous.extracted.syntaxProblems.length > 0 || previous.extracted.cuts?.length) return extractPythonFromTree(text, tree, limits);
  try {
    const source = new SourceText(text);
    const unchanged = changedRange(previous.text, text).fromA;
    if (!sameStatementsBefore(previous.tree, tree, source, unchanged)) return extractPythonFromTree(text, tree, limits);
    const extracted: ExtractedFile = { ...previous.extracted, comments: [], syntaxProblems: [] };
    readTokens(tree, source, extracted.comments, extracted.syntaxProblems);
    return extracted.syntaxProblems.length === 0 ? extracted : extractPythonFromTree(text, tree, limits);
  } catch {
    return extractPythonFromTree(text, tree, limits);
  }
}

/**
 * Whether both trees have the same top-level statements (kind and range), each with the rest of its line
 * inside `unchanged`, the length of the texts' common prefix. The front end reads nothing past a statement's
 * line (a new import goes at the end of the last import's line), so it would read the same text.
 */
function sameStatementsBefore(before: Tree, after: Tree, source: SourceText, unchanged: number): boolean {
  const old = childrenOf(before.topNode);
  const now = childrenOf(after.topNode);
  if (now.length === 0 || old.length !== now.length) return false;
  for (let i = 0; i < now.length; i++) {
    const { name, from, to } = now[i];
    if (old[i].name !== name || old[i].from !== from || old[i].to !== to || to > unchanged) return false;
    const endsLine = to > 0 && (source.text.charCodeAt(to - 1) === 10 || source.text.charCodeAt(to - 1) === 13);
    if (!endsLine && source.lineEnd(to) >= unchanged) return false;
  }
  return true;
}

/**
 * Comments (for suppressions) and the error nodes of the tolerant parse, in one pass over the tree; given
 * `variables`, where each variable is written too (`from, to` pairs: see `ModelReach.variablesOf`).
 */
export function readTokens(tree: Tree, source: SourceText, comments: Comment[], problems: SyntaxProblem[], variables?: number[]): void {
  const cursor = tree.cursor();
  for (;;) {
    const name = cursor.name;
    if (name === 'VariableName') {
      variables?.push(cursor.from, cursor.to);
    } else if (name === 'Comment') {
      comments.push({ span: { start: cursor.from, end: cursor.to }, text: source.text.slice(cursor.from + 1, cursor.to) });
    } else if (cursor.type.isError) {
      // Recovery can nest error nodes at one place: one problem each.
      const last = problems[problems.length - 1];
      if (!last || last.span.start !== cursor.from || last.span.end !== cursor.to) {
        problems.push({ span: { start: cursor.from, end: cursor.to }, message: syntaxMessage(source, cursor.from, cursor.to) });
      }
    }
    if (cursor.firstChild()) continue;
    while (!cursor.nextSibling()) if (!cursor.parent()) return;
  }
}

function syntaxMessage(source: SourceText, from: number, to: number): string {
  if (from === to) return from >= source.text.length ? 'Syntax error: unexpected end of file' : 'Syntax error: something is missing here';
  // Quote at most the first 20 characters of the first line.
  let end = from;
  while (end < to && end - from < 20 && source.text.charCodeAt(end) !== 10 && source.text.charCodeAt(end) !== 13) end++;
  return `Syntax error: unexpected '${source.text.slice(from, end)}${end < to ? '…' : ''}'`;
}

/** The one range where two texts differ (their common prefix and suffix are unchanged), as Lezer's ChangedRange. */
export function changedRange(before: string, after: string): ChangedRange {
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { fromA: prefix, toA: before.length - suffix, fromB: prefix, toB: after.length - suffix };
}

export function emptyExtraction(): ExtractedFile {
  const imports: ImportScope = { bindings: {}, newImportAt: { offset: 0, prefix: '', suffix: '\n' }, extendableImports: {} };
  return { language: 'python', models: [], imports, comments: [], syntaxProblems: [] };
}
