/**
 * Where one more element goes in a written list — a config object `{units: 4}` or a named-import list
 * `{layers, sequential}` — so that the result reads as if written by hand: after the last element,
 * after a trailing comma, and on its own line with the same indentation when the list is one per line.
 */
import type * as ts from 'typescript';
import type { InsertionPoint } from '../../core/ir';

/** No insertion is possible (the config is a variable or an expression): fixes that insert are not offered. */
export const NO_INSERTION: InsertionPoint = { offset: -1, prefix: '', suffix: '' };

/**
 * Characters no trivia begins with: printable ASCII but whitespace, `/` (comments), `#` (a shebang) and the
 * conflict-marker characters `<`, `=`, `>`, `|`.
 */
const TOKEN_ONLY = new Uint8Array(128).map((_, code) => (code > 32 && code < 127 && !'/#<=>|'.includes(String.fromCharCode(code)) ? 1 : 0));

/**
 * `node.getStart(sourceFile)`: where its first token begins. A node starts after spaces or tabs and a character
 * that begins no trivia in most code (`units: 256`, `(x)`): that is read here, and anything else (a comment, a
 * line break, a node with no text of its own) asks TypeScript, whose trivia scan and assertions cost a tenth
 * of the interpreter's time on a plain model file.
 */
export function tokenStart(node: ts.Node, sourceFile: ts.SourceFile): number {
  const text = sourceFile.text;
  const end = node.end;
  let at = node.pos;
  let code = text.charCodeAt(at);
  while (code === 32 || code === 9) code = text.charCodeAt(++at);
  return at < end && TOKEN_ONLY[code] === 1 && node.pos < end ? at : node.getStart(sourceFile);
}

/**
 * `elements` is the list's node array and `afterOpen` the offset just after its `{`.
 * `{}` → right after `{`; `{a: 1}` → `, ` after `1`; `{a: 1,}` → ` ` after the comma;
 * one element per line → a new line with the last element's indentation (and a comma after it when the
 * list has a trailing comma, keeping that style).
 */
export function listInsertion(text: string, elements: ts.NodeArray<ts.Node>, afterOpen: number, sourceFile: ts.SourceFile): InsertionPoint {
  const last = elements[elements.length - 1];
  if (!last) return { offset: afterOpen, prefix: '', suffix: '' };
  const lastStart = tokenStart(last, sourceFile);
  const comma = elements.hasTrailingComma ? commaAfter(text, last.end) : undefined;
  const indent = ownLineIndent(text, lastStart, afterOpen);
  if (indent === undefined) {
    return comma === undefined ? { offset: last.end, prefix: ', ', suffix: '' } : { offset: comma + 1, prefix: ' ', suffix: '' };
  }
  return comma === undefined
    ? { offset: last.end, prefix: `,\n${indent}`, suffix: '' }
    : { offset: comma + 1, prefix: `\n${indent}`, suffix: ',' };
}

/** The indentation of the element at `start` when it begins its own line below the list's opening. */
function ownLineIndent(text: string, start: number, afterOpen: number): string | undefined {
  // Back over spaces and tabs only: scanning to the line start would be quadratic on a one-line list.
  let lineStart = start;
  while (lineStart > afterOpen && (text.charCodeAt(lineStart - 1) === 32 || text.charCodeAt(lineStart - 1) === 9)) lineStart--;
  if (lineStart <= afterOpen || text.charCodeAt(lineStart - 1) !== 10) return undefined;
  return text.slice(lineStart, start);
}

/** The offset of the trailing comma after `from`, skipping whitespace and comments. */
function commaAfter(text: string, from: number): number | undefined {
  let at = from;
  while (at < text.length) {
    const char = text[at];
    if (char === ',') return at;
    if (char === '/' && text[at + 1] === '/') {
      const newline = text.indexOf('\n', at);
      at = newline < 0 ? text.length : newline;
    } else if (char === '/' && text[at + 1] === '*') {
      const close = text.indexOf('*/', at + 2);
      at = close < 0 ? text.length : close + 2;
    } else if (/\s/.test(char)) {
      at++;
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** `tf.layers.dense()`: a whole config object goes before the `)`. */
export function emptyCallInsertion(text: string, call: ts.CallExpression | ts.NewExpression): InsertionPoint {
  return text[call.end - 1] === ')' ? { offset: call.end - 1, prefix: '{', suffix: '}' } : NO_INSERTION;
}
