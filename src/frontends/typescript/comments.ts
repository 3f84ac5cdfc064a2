/**
 * Every `//` and `/* *\/` comment of a file, in one pass over its characters. The AST keeps no comment
 * list, asking it token by token costs more than the parse, and the compiler's scanner spends its time
 * on identifiers and numbers we do not need; so this pass only skips what can hide a `//`: strings,
 * template literals (with their `${…}` nesting) and regular expressions, which it tells from a division
 * by what precedes the `/` (as every JS tokenizer without a parser does). JSX element bodies, where
 * `//` is text, are found in the AST and skipped.
 */
import type * as ts from 'typescript';
import type { Comment, Span } from '../../core/ir';

/** Keywords after which an expression starts, so a `/` opens a regular expression. */
const EXPRESSION_KEYWORDS = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

const enum Char {
  Tab = 9, LineFeed = 10, CarriageReturn = 13, Space = 32, DoubleQuote = 34, Dollar = 36, SingleQuote = 39,
  CloseParen = 41, Asterisk = 42, Plus = 43, Minus = 45, Slash = 47, Digit0 = 48, Digit9 = 57,
  UpperA = 65, UpperZ = 90, OpenBracket = 91, Backslash = 92, CloseBracket = 93, Underscore = 95, Backtick = 96,
  LowerA = 97, LowerZ = 122, OpenBrace = 123, CloseBrace = 125, LineSeparator = 0x2028, ParagraphSeparator = 0x2029,
}

export function collectComments(tsModule: typeof ts, sourceFile: ts.SourceFile): Comment[] {
  const text = sourceFile.text;
  const comments: Comment[] = [];
  if (!text.includes('//') && !text.includes('/*')) return comments;
  let from = 0;
  for (const skipped of [...jsxRanges(tsModule, sourceFile), { start: text.length, end: text.length }]) {
    if (skipped.start > from) new CommentLexer(text, from, skipped.start, comments).run();
    from = Math.max(from, skipped.end);
  }
  return comments;
}

const isNewline = (char: number) => char === Char.LineFeed || char === Char.CarriageReturn || char === Char.LineSeparator || char === Char.ParagraphSeparator;
const isSpace = (char: number) => char === Char.Space || char === Char.Tab || isNewline(char) || char === 11 || char === 12 || char === 0xa0 || char === 0xfeff;
const isWordChar = (char: number) => (char >= Char.LowerA && char <= Char.LowerZ) || (char >= Char.UpperA && char <= Char.UpperZ)
  || (char >= Char.Digit0 && char <= Char.Digit9) || char === Char.Underscore || char === Char.Dollar || char === Char.Backslash || char > 0x7f;

class CommentLexer {
  private at: number;
  /** Whether a `/` here would start a regular expression (an operand is expected) rather than divide. */
  private regexAllowed = true;
  /** Open `{` (false) and template `${` (true), innermost last: a `}` closing a `${` resumes its template. */
  private readonly braces: boolean[] = [];

  constructor(private readonly text: string, start: number, private readonly end: number, private readonly comments: Comment[]) {
    this.at = start;
  }

  run(): void {
    const text = this.text;
    // A shebang line is not a comment.
    if (this.at === 0 && text.startsWith('#!')) this.at = this.lineEnd(0);
    while (this.at < this.end) {
      const char = text.charCodeAt(this.at);
      if (isSpace(char)) {
        this.at++;
      } else if (char === Char.Slash) {
        this.slash();
      } else if (char === Char.SingleQuote || char === Char.DoubleQuote) {
        this.string(char);
      } else if (char === Char.Backtick) {
        this.at++;
        this.template();
      } else if (isWordChar(char)) {
        const start = this.at;
        while (this.at < this.end && isWordChar(text.charCodeAt(this.at))) this.at++;
        this.regexAllowed = EXPRESSION_KEYWORDS.has(text.slice(start, this.at));
      } else {
        this.punctuation(char);
      }
    }
  }

  private punctuation(char: number): void {
    this.at++;
    if (char === Char.OpenBrace) {
      this.braces.push(false);
    } else if (char === Char.CloseBrace && this.braces.pop() === true) {
      this.template();
      return;
    }
    const doubled = (char === Char.Plus || char === Char.Minus) && this.text.charCodeAt(this.at) === char;
    if (doubled) this.at++;
    // An operand just ended after `)`, `]` and postfix `++`/`--`; after anything else an operand may start.
    this.regexAllowed = !(char === Char.CloseParen || char === Char.CloseBracket || doubled);
  }

  private slash(): void {
    const text = this.text;
    const next = text.charCodeAt(this.at + 1);
    const start = this.at;
    if (next === Char.Slash) {
      this.at = this.lineEnd(start);
      this.comments.push({ span: { start, end: this.at }, text: text.slice(start + 2, this.at) });
    } else if (next === Char.Asterisk) {
      const close = text.indexOf('*/', start + 2);
      this.at = close < 0 || close + 2 > this.end ? this.end : close + 2;
      const closed = close >= 0 && this.at === close + 2;
      this.comments.push({ span: { start, end: this.at }, text: text.slice(start + 2, closed ? close : this.at) });
    } else if (this.regexAllowed) {
      this.regex();
    } else {
      this.at++;
      this.regexAllowed = true;
    }
  }

  /** `/…/flags`, with `[…]` classes (where `/` does not end it) and escapes; an unterminated one ends at the line. */
  private regex(): void {
    const text = this.text;
    let inClass = false;
    this.at++;
    while (this.at < this.end) {
      const char = text.charCodeAt(this.at);
      if (isNewline(char)) break;
      this.at++;
      if (char === Char.Backslash) this.at++;
      else if (char === Char.OpenBracket) inClass = true;
      else if (char === Char.CloseBracket) inClass = false;
      else if (char === Char.Slash && !inClass) break;
    }
    while (this.at < this.end && isWordChar(text.charCodeAt(this.at))) this.at++;
    this.regexAllowed = false;
  }

  private string(quote: number): void {
    const text = this.text;
    this.at++;
    while (this.at < this.end) {
      const char = text.charCodeAt(this.at);
      if (char === quote) {
        this.at++;
        break;
      }
      if (isNewline(char)) break;
      // An escaped CRLF continues the string on the next line.
      const crlf = char === Char.Backslash && text.charCodeAt(this.at + 1) === Char.CarriageReturn && text.charCodeAt(this.at + 2) === Char.LineFeed;
      this.at += crlf ? 3 : char === Char.Backslash ? 2 : 1;
    }
    this.regexAllowed = false;
  }

  /** From inside a template literal to its closing backtick, or to a `${` (whose `}` brings us back). */
  private template(): void {
    const text = this.text;
    while (this.at < this.end) {
      const char = text.charCodeAt(this.at);
      if (char === Char.Backtick) {
        this.at++;
        this.regexAllowed = false;
        return;
      }
      if (char === Char.Dollar && text.charCodeAt(this.at + 1) === Char.OpenBrace) {
        this.at += 2;
        this.braces.push(true);
        this.regexAllowed = true;
        return;
      }
      this.at += char === Char.Backslash ? 2 : 1;
    }
  }

  private lineEnd(from: number): number {
    let at = from;
    while (at < this.end && !isNewline(this.text.charCodeAt(at))) at++;
    return at;
  }
}

/** The outermost JSX elements and fragments of a JSX-capable file (.js, .jsx, .tsx), in text order. */
function jsxRanges(tsModule: typeof ts, sourceFile: ts.SourceFile): Span[] {
  const ranges: Span[] = [];
  const text = sourceFile.text;
  // Every JSX element has a closing `</` or `/>`: files without either need no AST walk.
  if (sourceFile.languageVariant !== tsModule.LanguageVariant.JSX || (!text.includes('</') && !text.includes('/>'))) return ranges;
  const kind = tsModule.SyntaxKind;
  const visit = (node: ts.Node): void => {
    if (node.kind === kind.JsxElement || node.kind === kind.JsxSelfClosingElement || node.kind === kind.JsxFragment) {
      ranges.push({ start: node.getStart(sourceFile), end: node.end });
      return;
    }
    tsModule.forEachChild(node, visit);
  };
  visit(sourceFile);
  return ranges;
}
