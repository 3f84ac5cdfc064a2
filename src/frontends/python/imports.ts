/** Python imports → name bindings, and where fixes can add an import or extend one. */
import type { SyntaxNode } from '@lezer/common';
import type { ImportScope, InsertionPoint } from '../../core/ir';
import { childrenOf, type SourceText } from './syntax';

/** One name an import statement binds: `tf` → `tensorflow`, `layers` → `keras.layers`. */
export interface ImportBinding {
  local: string;
  path: string;
  /** `import nets.blocks` binds `nets` and loads `nets.blocks` too: the module as written, when it is dotted. */
  module?: string;
}

interface ImportStatementFacts {
  bindings: ImportBinding[];
  /**
   * `from X import a as b` as written, relative ones included (`from ..blocks import a`: level 2): what the
   * project's module graph resolves to a file of the project (`modules.ts`).
   */
  from?: { level: number; module: string; names: { local: string; name: string }[]; star?: boolean };
  /** For `from X import a, b`: X, and the node after which one more name can go. */
  fromModule?: string;
  lastName?: SyntaxNode;
}

/**
 * What an `ImportStatement` binds. Relative imports (`from . import x`) and `*` bind no library path; `from`
 * says what the project's module graph may resolve (`*` included: the module's public names).
 */
export function readImportStatement(statement: SyntaxNode, source: SourceText): ImportStatementFacts {
  const parts = childrenOf(statement);
  if (parts[0]?.name === 'from') return readFromImport(parts, source);
  // import a.b.c [as d], e
  const bindings: ImportBinding[] = [];
  let segments: string[] = [];
  for (let i = 1; i <= parts.length; i++) {
    const part = parts[i];
    if (!part || part.name === ',') {
      // `import a.b` binds `a`, the top package (with `b` loaded as its attribute).
      if (segments.length) bindings.push({ local: segments[0], path: segments[0], ...(segments.length > 1 ? { module: segments.join('.') } : {}) });
      segments = [];
    } else if (part.name === 'VariableName') {
      segments.push(source.slice(part));
    } else if (part.name === 'as' && parts[i + 1]?.name === 'VariableName') {
      if (segments.length) bindings.push({ local: source.slice(parts[i + 1]), path: segments.join('.') });
      segments = [];
      i++;
    }
  }
  return { bindings };
}

function readFromImport(parts: SyntaxNode[], source: SourceText): ImportStatementFacts {
  const importIndex = parts.findIndex((part) => part.name === 'import');
  if (importIndex < 0) return { bindings: [] };
  let modulePath = '';
  let level = 0;
  for (let i = 1; i < importIndex; i++) {
    if (parts[i].name === '.') {
      // Leading dots make the import relative: a module of this project, never a library path.
      if (!modulePath) level++;
      else modulePath += '.';
    } else if (parts[i].name === 'Ellipsis') {
      if (!modulePath) level += 3;
    } else if (parts[i].name === 'VariableName') modulePath += source.slice(parts[i]);
  }
  const names: { local: string; name: string }[] = [];
  let lastName: SyntaxNode | undefined;
  let star = false;
  for (let i = importIndex + 1; i < parts.length; i++) {
    const part = parts[i];
    if (part.name === '*') star = true;
    if (part.name !== 'VariableName') continue;
    const name = source.slice(part);
    if (parts[i + 1]?.name === 'as' && parts[i + 2]?.name === 'VariableName') {
      names.push({ local: source.slice(parts[i + 2]), name });
      lastName = parts[i + 2];
      i += 2;
    } else {
      names.push({ local: name, name });
      lastName = part;
    }
  }
  const from = { level, module: modulePath, names, ...(star ? { star } : {}) };
  if (level > 0 || !modulePath) return { bindings: [], from };
  const bindings = names.map(({ local, name }) => ({ local, path: `${modulePath}.${name}` }));
  return { bindings, fromModule: modulePath, lastName, from };
}

/** The ImportScope of a file: module-level imports (also those in top-level `try`/`if`/`with` blocks). */
export function readImportScope(top: SyntaxNode, source: SourceText): ImportScope {
  const bindings: Record<string, string> = {};
  const extendableImports: Record<string, InsertionPoint> = {};
  let lastImport: SyntaxNode | undefined;
  for (const statement of childrenOf(top)) {
    if (statement.name === 'ImportStatement') {
      lastImport = statement;
      const facts = readImportStatement(statement, source);
      for (const binding of facts.bindings) bindings[binding.local] = binding.path;
      // `from X import (a,\n b,)`: after `b`, so `, c` keeps a trailing comma valid.
      if (facts.fromModule && facts.lastName) extendableImports[facts.fromModule] = { offset: facts.lastName.to, prefix: ', ', suffix: '' };
    } else if (statement.name === 'TryStatement' || statement.name === 'IfStatement' || statement.name === 'WithStatement') {
      collectNestedImports(statement, source, bindings);
    }
  }
  return { bindings, newImportAt: newImportPoint(top, lastImport, source), extendableImports };
}

/** Imports inside top-level compound statements bind module names too (`try: import tensorflow as tf`). */
function collectNestedImports(statement: SyntaxNode, source: SourceText, bindings: Record<string, string>): void {
  for (const body of childrenOf(statement)) {
    if (body.name !== 'Body') continue;
    for (const inner of childrenOf(body)) {
      if (inner.name === 'ImportStatement') {
        for (const binding of readImportStatement(inner, source).bindings) bindings[binding.local] ??= binding.path;
      }
    }
  }
}

/**
 * A new import goes on its own line after the last top-level import (at the end of that line, so a trailing
 * comment stays where it is); without imports, after a module docstring, else before the first statement
 * (after a shebang, encoding line or license header, which are comments).
 */
function newImportPoint(top: SyntaxNode, lastImport: SyntaxNode | undefined, source: SourceText): InsertionPoint {
  if (lastImport) return { offset: source.lineEnd(lastImport.to), prefix: '\n', suffix: '' };
  const first = childrenOf(top).find((statement) => !statement.type.isError);
  if (!first) return { offset: source.text.length, prefix: source.text.length && !endsWithLineBreak(source.text) ? '\n' : '', suffix: '\n' };
  const expression = first.name === 'ExpressionStatement' ? first.firstChild : null;
  if (expression && (expression.name === 'String' || expression.name === 'ContinuedString')) {
    return { offset: source.lineEnd(first.to), prefix: '\n', suffix: '' };
  }
  return { offset: source.lineStart(first.from), prefix: '', suffix: '\n' };
}

function endsWithLineBreak(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  return last === 10 || last === 13;
}
