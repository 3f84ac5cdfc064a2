/**
 * The file's top-level imports as an `ImportScope`: which local names the modules bind (ES imports,
 * `import x = require()`, `const x = require()`, `const {a} = require()`), where a new import statement
 * goes, and which named-import lists can take one more name.
 */
import type * as ts from 'typescript';
import type { ImportScope, InsertionPoint } from '../../core/ir';
import { listInsertion } from './insertion';

/**
 * The package a module specifier loads, for the TensorFlow.js packages reached another way than by
 * name: an ES module from a CDN (`https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@4.22.0/+esm`,
 * `https://esm.sh/@tensorflow/tfjs?bundle`) or Deno's `npm:@tensorflow/tfjs@4`. Other specifiers are kept.
 */
export function moduleName(specifier: string): string {
  if (specifier.startsWith('@tensorflow/') && !specifier.includes('@', 1)) return specifier;
  const match = /(?:^|[/:])@tensorflow\/(tfjs(?:-node-gpu|-node|-layers)?)(?:@[^/?#]*)?(?:[/?#].*)?$/.exec(specifier);
  return match ? `@tensorflow/${match[1]}` : specifier;
}

export function collectImports(tsModule: typeof ts, sourceFile: ts.SourceFile): ImportScope {
  const bindings: Record<string, string> = {};
  const extendableImports: Record<string, InsertionPoint> = {};
  let lastImportEnd: number | undefined;
  // By kind, read once: `tsModule.isImportDeclaration` is a getter on a dictionary-mode namespace, three of them
  // per statement, and most statements of a model file are none of these.
  const { ImportDeclaration, ImportEqualsDeclaration, VariableStatement } = tsModule.SyntaxKind;
  for (const statement of sourceFile.statements) {
    const kind = statement.kind;
    if (kind !== ImportDeclaration && kind !== ImportEqualsDeclaration && kind !== VariableStatement) continue;
    try {
      if (tsModule.isImportDeclaration(statement)) {
        if (!tsModule.isStringLiteral(statement.moduleSpecifier)) continue;
        lastImportEnd = statement.end;
        addImportClause(tsModule, sourceFile, moduleName(statement.moduleSpecifier.text), statement.importClause, bindings, extendableImports);
      } else if (tsModule.isImportEqualsDeclaration(statement)) {
        const reference = statement.moduleReference;
        if (!tsModule.isExternalModuleReference(reference) || !tsModule.isStringLiteral(reference.expression)) continue;
        lastImportEnd = statement.end;
        if (!statement.isTypeOnly) bindings[statement.name.text] = moduleName(reference.expression.text);
      } else if (tsModule.isVariableStatement(statement)) {
        let requires = false;
        for (const declaration of statement.declarationList.declarations) {
          const path = declaration.initializer && requiredPath(tsModule, declaration.initializer);
          if (path === undefined) continue;
          requires = true;
          bindPattern(tsModule, declaration.name, path, bindings);
          // `const { layers } = require('@tensorflow/tfjs')` takes one more name as an import list does:
          // a fix must not put an ES `import` into a CommonJS file.
          const pattern = declaration.name;
          if (tsModule.isObjectBindingPattern(pattern) && !pattern.elements.some((element) => element.dotDotDotToken) && !(path in extendableImports)) {
            extendableImports[path] = listInsertion(sourceFile.text, pattern.elements, pattern.getStart(sourceFile) + 1, sourceFile);
          }
        }
        if (requires) lastImportEnd = statement.end;
      }
    } catch {
      // An incomplete statement binds what it can; the others still count.
    }
  }
  return { bindings, newImportAt: newImportPoint(tsModule, sourceFile, lastImportEnd), extendableImports };
}

function addImportClause(
  tsModule: typeof ts, sourceFile: ts.SourceFile, module: string, clause: ts.ImportClause | undefined,
  bindings: Record<string, string>, extendableImports: Record<string, InsertionPoint>,
): void {
  if (!clause || clause.isTypeOnly) return;
  // A default import of tfjs is the namespace under esModuleInterop, so it binds the module itself.
  if (clause.name) bindings[clause.name.text] = module;
  const named = clause.namedBindings;
  if (!named) return;
  if (tsModule.isNamespaceImport(named)) {
    bindings[named.name.text] = module;
    return;
  }
  for (const element of named.elements) {
    if (element.isTypeOnly) continue;
    const imported = (element.propertyName ?? element.name).text;
    bindings[element.name.text] = imported === 'default' ? module : `${module}.${imported}`;
  }
  if (!(module in extendableImports)) {
    extendableImports[module] = listInsertion(sourceFile.text, named.elements, named.getStart(sourceFile) + 1, sourceFile);
  }
}

/**
 * The module path a `require('m')` initializer evaluates to, through `await import('m')`, `.member`
 * (`require('m').layers` → `m.layers`), parentheses and type assertions; undefined for anything else.
 */
export function requiredPath(tsModule: typeof ts, expression: ts.Expression): string | undefined {
  const members: string[] = [];
  let node: ts.Expression = expression;
  for (;;) {
    if (tsModule.isParenthesizedExpression(node) || tsModule.isAsExpression(node) || tsModule.isAwaitExpression(node) || tsModule.isNonNullExpression(node)) {
      node = node.expression;
    } else if (tsModule.isPropertyAccessExpression(node)) {
      members.unshift(node.name.text);
      node = node.expression;
    } else {
      break;
    }
  }
  if (!tsModule.isCallExpression(node) || node.arguments.length !== 1) return undefined;
  const isRequire = tsModule.isIdentifier(node.expression) && node.expression.text === 'require';
  const isDynamicImport = node.expression.kind === tsModule.SyntaxKind.ImportKeyword;
  const argument = node.arguments[0];
  if ((!isRequire && !isDynamicImport) || !tsModule.isStringLiteralLike(argument)) return undefined;
  return [moduleName(argument.text), ...members].join('.');
}

/** `const tf = …` binds the path; `const {layers, sequential: seq} = …` binds its members. */
function bindPattern(tsModule: typeof ts, name: ts.BindingName, path: string, bindings: Record<string, string>): void {
  if (tsModule.isIdentifier(name)) {
    bindings[name.text] = path;
    return;
  }
  if (!tsModule.isObjectBindingPattern(name)) return;
  for (const element of name.elements) {
    if (element.dotDotDotToken) continue;
    const property = element.propertyName ?? element.name;
    if (!tsModule.isIdentifier(property) && !tsModule.isStringLiteral(property)) continue;
    bindPattern(tsModule, element.name, `${path}.${property.text}`, bindings);
  }
}

/**
 * After the last import or require; else after a `'use strict'` prologue; else before the first
 * statement (above its doc comment, below a license header); else after a shebang line.
 */
function newImportPoint(tsModule: typeof ts, sourceFile: ts.SourceFile, lastImportEnd: number | undefined): InsertionPoint {
  if (lastImportEnd !== undefined) return { offset: lastImportEnd, prefix: '\n', suffix: '' };
  let directiveEnd: number | undefined;
  for (const statement of sourceFile.statements) {
    if (!tsModule.isExpressionStatement(statement) || !tsModule.isStringLiteral(statement.expression)) break;
    directiveEnd = statement.end;
  }
  if (directiveEnd !== undefined) return { offset: directiveEnd, prefix: '\n', suffix: '' };
  const first = sourceFile.statements[0];
  if (first) return { offset: first.getStart(sourceFile, true), prefix: '', suffix: '\n' };
  const text = sourceFile.text;
  if (text.startsWith('#!')) {
    const newline = text.indexOf('\n');
    return newline < 0 ? { offset: text.length, prefix: '\n', suffix: '' } : { offset: newline + 1, prefix: '', suffix: '\n' };
  }
  return { offset: 0, prefix: '', suffix: '\n' };
}
