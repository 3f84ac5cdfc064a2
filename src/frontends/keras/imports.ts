/** Python imports → name bindings, and where fixes can add an import. */
import type { SyntaxNode } from '@lezer/common';
import type { ImportScope, InsertionPoint } from '../../core/ir';

export function readImports(top: SyntaxNode, text: string): ImportScope {
  const bindings: Record<string, string> = {};
  const extendableImports: Record<string, InsertionPoint> = {};
  let lastImportEnd = -1;
  for (let statement = top.firstChild; statement; statement = statement.nextSibling) {
    if (statement.name !== 'ImportStatement') continue;
    lastImportEnd = statement.to;
    try {
      readImportStatement(statement, text, bindings, extendableImports);
    } catch {
      // a half-typed import binds nothing
    }
  }
  const newImportAt: InsertionPoint = lastImportEnd >= 0
    ? { offset: lastImportEnd, prefix: '\n', suffix: '' }
    : { offset: 0, prefix: '', suffix: '\n' };
  return { bindings, newImportAt, extendableImports };
}

function readImportStatement(statement: SyntaxNode, text: string, bindings: Record<string, string>, extendable: Record<string, InsertionPoint>): void {
  const children: SyntaxNode[] = [];
  for (let child = statement.firstChild; child; child = child.nextSibling) children.push(child);
  const slice = (node: SyntaxNode) => text.slice(node.from, node.to);
  if (children[0]?.name === 'from') {
    const importIndex = children.findIndex((child) => child.name === 'import');
    if (importIndex < 0) return;
    const modulePath = children.slice(1, importIndex).map(slice).join('');
    if (modulePath.startsWith('.')) return;
    let lastName: SyntaxNode | undefined;
    for (let i = importIndex + 1; i < children.length; i++) {
      const child = children[i];
      if (child.name !== 'VariableName') continue;
      const name = slice(child);
      if (children[i + 1]?.name === 'as' && children[i + 2]?.name === 'VariableName') {
        bindings[slice(children[i + 2])] = `${modulePath}.${name}`;
        lastName = children[i + 2];
        i += 2;
      } else {
        bindings[name] = `${modulePath}.${name}`;
        lastName = child;
      }
    }
    if (lastName) extendable[modulePath] = { offset: lastName.to, prefix: ', ', suffix: '' };
    return;
  }
  // import a.b.c [as d], e
  let segments: string[] = [];
  for (let i = 1; i <= children.length; i++) {
    const child = children[i];
    if (!child || child.name === ',') {
      if (segments.length) bindings[segments[0]] = segments[0];
      segments = [];
      continue;
    }
    if (child.name === 'VariableName') segments.push(slice(child));
    if (child.name === 'as' && children[i + 1]?.name === 'VariableName') {
      bindings[slice(children[i + 1])] = segments.join('.');
      segments = [];
      i++;
    }
  }
}
