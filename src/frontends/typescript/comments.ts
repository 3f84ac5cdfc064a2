/**
 * Every `//` and `/* *\/` comment of a file, in one linear pass. The AST keeps no comment list, asking
 * it token by token costs more than the parse, and the compiler's scanner (tried first) spends its time
 * on identifiers and numbers we do not need: this pass jumps with a native regex search from one
 * character that matters to the next, and skips only what can hide a `//` — strings, template literals
 * (with their `${…}` nesting) and regular expressions, told from a division by what precedes the `/`,
 * as every JS tokenizer without a parser does. JSX element bodies, where `//` is text, are found in the
 * AST and skipped.
 */
import type * as ts from 'typescript';
import type { Comment, Span } from '../../core/ir';

/** Keywords after which an expression starts, so a `/` opens a regular expression. */
const EXPRESSION_KEYWORDS = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

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

/** The characters that can start a comment, or a literal that may contain one; braces matter inside `${…}`. */
const INTERESTING = /['"`/{}]/g;
const NEWLINE = /[\n\r\u2028\u2029]/g;
const WORD_CHAR = /[\w$\\\u0080-\uffff]/;
const SPACE = /\s/;

class CommentLexer {
  private at: number;
  /** Open `{` (false) and template `${` (true), innermost last: a `}` closing a `${` resumes its template. */
  private readonly braces: boolean[] = [];
  /** Where the last string, template or regular expression ended: a `/` right after one divides. */
  private literalEnd = -1;

  constructor(private readonly text: string, private readonly start: number, private readonly end: number, private readonly comments: Comment[]) {
    this.at = start;
  }

  run(): void {
    const text = this.text;
    // A shebang line is not a comment.
    if (this.at === 0 && text.startsWith('#!')) this.at = this.lineEnd(0);
    while (this.at < this.end) {
      // The native search skips identifiers, numbers and operators far faster than a loop over characters.
      INTERESTING.lastIndex = this.at;
      const match = INTERESTING.exec(text);
      if (!match || match.index >= this.end) return;
      this.at = match.index;
      const char = match[0];
      if (char === '/') this.slash();
      else if (char === '`') this.template(this.at + 1);
      else if (char === '{') this.openBrace();
      else if (char === '}') this.closeBrace();
      else this.string(char);
    }
  }

  private openBrace(): void {
    // Outside template expressions braces do not matter.
    if (this.braces.length > 0) this.braces.push(false);
    this.at++;
  }

  private closeBrace(): void {
    if (this.braces.pop() === true) this.template(this.at + 1);
    else this.at++;
  }

  private slash(): void {
    const text = this.text;
    const start = this.at;
    const next = text[start + 1];
    if (next === '/') {
      this.at = this.lineEnd(start);
      this.comments.push({ span: { start, end: this.at }, text: text.slice(start + 2, this.at) });
    } else if (next === '*') {
      const close = text.indexOf('*/', start + 2);
      const closed = close >= 0 && close + 2 <= this.end;
      this.at = closed ? close + 2 : this.end;
      this.comments.push({ span: { start, end: this.at }, text: text.slice(start + 2, closed ? close : this.at) });
    } else if (this.regexAllowedAt(start)) {
      this.regex();
    } else {
      this.at++;
    }
  }

  /**
   * Whether a `/` at `position` starts a regular expression: yes after an operator, `(`, `,`, `{`, `}`
   * and keywords like `return`; no after an operand (a name, number, literal, `)`, `]`, `x++`).
   */
  private regexAllowedAt(position: number): boolean {
    const text = this.text;
    let at = position - 1;
    for (;;) {
      while (at >= this.start && SPACE.test(text[at])) at--;
      const comment = this.comments[this.comments.length - 1];
      if (comment && comment.span.end === at + 1 && comment.span.start >= this.start) at = comment.span.start - 1;
      else break;
    }
    if (at < this.start) return true;
    if (at + 1 === this.literalEnd) return false;
    const char = text[at];
    if (char === ')' || char === ']') return false;
    if ((char === '+' || char === '-') && text[at - 1] === char) return false;
    if (!WORD_CHAR.test(char)) return true;
    let wordStart = at;
    while (wordStart > this.start && WORD_CHAR.test(text[wordStart - 1])) wordStart--;
    return EXPRESSION_KEYWORDS.has(text.slice(wordStart, at + 1));
  }

  /** `/…/flags`, with `[…]` classes (where `/` does not end it) and escapes; an unterminated one ends at the line. */
  private regex(): void {
    const text = this.text;
    let inClass = false;
    this.at++;
    while (this.at < this.end) {
      const char = text[this.at];
      if (char === '\n' || char === '\r' || char === '\u2028' || char === '\u2029') break;
      this.at++;
      if (char === '\\') this.at++;
      else if (char === '[') inClass = true;
      else if (char === ']') inClass = false;
      else if (char === '/' && !inClass) break;
    }
    while (this.at < this.end && WORD_CHAR.test(text[this.at])) this.at++;
    this.literalEnd = this.at;
  }

  private string(quote: string): void {
    const text = this.text;
    this.at++;
    while (this.at < this.end) {
      const char = text[this.at];
      if (char === quote) {
        this.at++;
        break;
      }
      if (char === '\n' || char === '\r' || char === '\u2028' || char === '\u2029') break;
      // An escape skips the next character; an escaped CRLF continues the string on the next line.
      this.at += char !== '\\' ? 1 : text.startsWith('\r\n', this.at + 1) ? 3 : 2;
    }
    this.literalEnd = this.at;
  }

  /** From inside a template literal to its closing backtick, or to a `${` (whose `}` brings us back). */
  private template(from: number): void {
    const text = this.text;
    this.at = from;
    while (this.at < this.end) {
      const char = text[this.at];
      if (char === '`') {
        this.at++;
        this.literalEnd = this.at;
        return;
      }
      if (char === '$' && text[this.at + 1] === '{') {
        this.at += 2;
        this.braces.push(true);
        return;
      }
      this.at += char === '\\' ? 2 : 1;
    }
  }

  private lineEnd(from: number): number {
    NEWLINE.lastIndex = from;
    const match = NEWLINE.exec(this.text);
    return match ? Math.min(match.index, this.end) : this.end;
  }
}

/** The outermost JSX elements and fragments of a JSX-capable file (.js, .jsx, .tsx), in text order. */
function jsxRanges(tsModule: typeof ts, sourceFile: ts.SourceFile): Span[] {
  const ranges: Span[] = [];
  const text = sourceFile.text;
  // Every JSX element has a closing `</` or `/>`: files without either need no AST walk.
  if (sourceFile.languageVariant !== tsModule.LanguageVariant.JSX || (!text.includes('</') && !text.includes('/>'))) return ranges;
  const kind = tsModule.SyntaxKind;
  const forEachChild = tsModule.forEachChild;
  const visit = (node: ts.Node): void => {
    if (node.kind === kind.JsxElement || node.kind === kind.JsxSelfClosingElement || node.kind === kind.JsxFragment) {
      ranges.push({ start: node.getStart(sourceFile), end: node.end });
      return;
    }
    forEachChild(node, visit);
  };
  visit(sourceFile);
  return ranges;
}
