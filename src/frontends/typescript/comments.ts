/**
 * Every `//` and `/* *\/` comment of a file in one linear scanner pass (the AST keeps no comment list,
 * and asking it token by token costs more than the parse). The scanner alone cannot tell a regular
 * expression from a division or see where a template's `${…}` ends, so this pass tracks both the way
 * the parser would decide them; JSX element bodies, where `//` is text, are skipped.
 */
import type * as ts from 'typescript';
import type { Comment, Span } from '../../core/ir';

export function collectComments(tsModule: typeof ts, sourceFile: ts.SourceFile): Comment[] {
  const text = sourceFile.text;
  const comments: Comment[] = [];
  if (!text.includes('//') && !text.includes('/*')) return comments;
  const kinds = syntaxKinds(tsModule);
  const scanner = tsModule.createScanner(sourceFile.languageVersion, false, sourceFile.languageVariant, text);
  let from = 0;
  for (const skipped of [...jsxRanges(tsModule, sourceFile), { start: text.length, end: text.length }]) {
    if (skipped.start > from) scanSegment(scanner, kinds, text, from, skipped.start, comments);
    from = Math.max(from, skipped.end);
  }
  return comments;
}

interface Kinds {
  singleLine: ts.SyntaxKind;
  multiLine: ts.SyntaxKind;
  endOfFile: ts.SyntaxKind;
  slash: ts.SyntaxKind;
  slashEquals: ts.SyntaxKind;
  openBrace: ts.SyntaxKind;
  closeBrace: ts.SyntaxKind;
  templateHead: ts.SyntaxKind;
  templateTail: ts.SyntaxKind;
  trivia: Set<ts.SyntaxKind>;
  /** Tokens after which a `/` divides: an operand just ended. */
  operandEnds: Set<ts.SyntaxKind>;
  firstKeyword: ts.SyntaxKind;
  lastKeyword: ts.SyntaxKind;
  /** Keywords after which an expression starts, so a `/` opens a regular expression. */
  expressionKeywords: Set<ts.SyntaxKind>;
}

function syntaxKinds(tsModule: typeof ts): Kinds {
  const kind = tsModule.SyntaxKind;
  return {
    singleLine: kind.SingleLineCommentTrivia,
    multiLine: kind.MultiLineCommentTrivia,
    endOfFile: kind.EndOfFileToken,
    slash: kind.SlashToken,
    slashEquals: kind.SlashEqualsToken,
    openBrace: kind.OpenBraceToken,
    closeBrace: kind.CloseBraceToken,
    templateHead: kind.TemplateHead,
    templateTail: kind.TemplateTail,
    trivia: new Set([kind.WhitespaceTrivia, kind.NewLineTrivia, kind.ShebangTrivia, kind.ConflictMarkerTrivia]),
    operandEnds: new Set([
      kind.Identifier, kind.PrivateIdentifier, kind.NumericLiteral, kind.BigIntLiteral, kind.StringLiteral,
      kind.NoSubstitutionTemplateLiteral, kind.TemplateTail, kind.RegularExpressionLiteral, kind.CloseParenToken,
      kind.CloseBracketToken, kind.CloseBraceToken, kind.PlusPlusToken, kind.MinusMinusToken,
    ]),
    firstKeyword: kind.FirstKeyword,
    lastKeyword: kind.LastKeyword,
    expressionKeywords: new Set([
      kind.ReturnKeyword, kind.TypeOfKeyword, kind.InstanceOfKeyword, kind.InKeyword, kind.OfKeyword, kind.NewKeyword,
      kind.DeleteKeyword, kind.VoidKeyword, kind.ThrowKeyword, kind.CaseKeyword, kind.DoKeyword, kind.ElseKeyword,
      kind.YieldKeyword, kind.AwaitKeyword,
    ]),
  };
}

function scanSegment(scanner: ts.Scanner, kinds: Kinds, text: string, start: number, end: number, comments: Comment[]): void {
  scanner.setText(text, start, end - start);
  let previous: ts.SyntaxKind | undefined;
  let braceDepth = 0;
  // Brace depths at which a template's `${` opened: the matching `}` continues the template.
  const templates: number[] = [];
  for (let token = scanner.scan(); token !== kinds.endOfFile; token = scanner.scan()) {
    if (token === kinds.singleLine || token === kinds.multiLine) {
      comments.push(comment(text, scanner.getTokenPos(), scanner.getTextPos(), token === kinds.multiLine));
      continue;
    }
    if (kinds.trivia.has(token)) continue;
    if ((token === kinds.slash || token === kinds.slashEquals) && regexAllowed(kinds, previous)) {
      token = scanner.reScanSlashToken();
    } else if (token === kinds.openBrace) {
      braceDepth++;
    } else if (token === kinds.closeBrace) {
      if (templates.length > 0 && templates[templates.length - 1] === braceDepth) {
        token = scanner.reScanTemplateToken(false);
        if (token === kinds.templateTail) templates.pop();
      } else {
        braceDepth--;
      }
    } else if (token === kinds.templateHead) {
      templates.push(braceDepth);
    }
    previous = token;
  }
}

function regexAllowed(kinds: Kinds, previous: ts.SyntaxKind | undefined): boolean {
  if (previous === undefined) return true;
  if (kinds.operandEnds.has(previous)) return false;
  // Other keywords (`this`, `true`, contextual names used as identifiers) end an operand.
  if (previous >= kinds.firstKeyword && previous <= kinds.lastKeyword) return kinds.expressionKeywords.has(previous);
  return true;
}

function comment(text: string, start: number, end: number, multiLine: boolean): Comment {
  const span: Span = { start, end };
  const closed = multiLine && end - start >= 4 && text.startsWith('*/', end - 2);
  return { span, text: text.slice(start + 2, closed ? end - 2 : end) };
}

/** The outermost JSX elements and fragments of a JSX-capable file (.js, .jsx, .tsx), in text order. */
function jsxRanges(tsModule: typeof ts, sourceFile: ts.SourceFile): Span[] {
  const ranges: Span[] = [];
  if (sourceFile.languageVariant !== tsModule.LanguageVariant.JSX || !sourceFile.text.includes('<')) return ranges;
  const visit = (node: ts.Node): void => {
    if (tsModule.isJsxElement(node) || tsModule.isJsxSelfClosingElement(node) || tsModule.isJsxFragment(node)) {
      ranges.push({ start: node.getStart(sourceFile), end: node.end });
      return;
    }
    tsModule.forEachChild(node, visit);
  };
  visit(sourceFile);
  return ranges;
}
