/**
 * Imports of project modules that bind another name than the one the module declares: `import { convBlock as
 * block }`, `import * as L`, a default import, and what the module exports under another name (`export { a as b }`,
 * `export default a`, `export { a as b } from './x'`, `export * from './x'`). The mounted modules share one
 * scope (modules.ts), where each top-level name is the one its module declares; the import is then the
 * declaration `const block = convBlock;` (`const L = { convBlock: convBlock, … };`), written before the
 * importing file so the interpreter reads it as it reads any alias. A CommonJS module's exports are the object
 * kept after it (commonJs.ts), and so are a TypeScript `export = names` module's; an anonymous default export
 * the name modules.ts gives it. What cannot be named (`export = build()`, a module not resolved) binds nothing,
 * so it stays unknown.
 */
import type * as ts from 'typescript';

/** A mounted file: its path, its tree, and where each relative specifier it writes resolved. */
export interface AliasSource {
  path: string;
  sourceFile: ts.SourceFile;
  resolved: ReadonlyMap<string, string>;
  /** A CommonJS module (commonJs.ts): the name its `module.exports` is kept under. */
  commonJsExports?: string;
  /** The name an anonymous `export default function`/`class` is given in the mounted text (modules.ts). */
  defaultName?: string;
}

/** How deep a chain of re-exports is followed (`index.ts` re-exporting a folder of re-exports). */
const MAX_REEXPORT_DEPTH = 8;

/** The declarations that give `file`'s imports of project modules their names, or '' when none is needed. */
export function importAliases(tsModule: typeof ts, file: AliasSource, files: ReadonlyMap<string, AliasSource>): string {
  const lines: string[] = [];
  const exports = new ModuleExports(tsModule, files);
  for (const statement of file.sourceFile.statements) {
    if (tsModule.isImportEqualsDeclaration(statement)) {
      // `import layers = require('./layers')`: the module's exports object.
      const reference = statement.moduleReference;
      const target = tsModule.isExternalModuleReference(reference) && tsModule.isStringLiteral(reference.expression) ? file.resolved.get(reference.expression.text) : undefined;
      const expression = target === undefined || statement.isTypeOnly ? undefined : exports.namespace(target);
      if (expression !== undefined) lines.push(`const ${statement.name.text} = ${expression};`);
      continue;
    }
    if (!tsModule.isImportDeclaration(statement) || !tsModule.isStringLiteral(statement.moduleSpecifier)) continue;
    const clause = statement.importClause;
    const target = file.resolved.get(statement.moduleSpecifier.text);
    if (!clause || clause.isTypeOnly || target === undefined) continue;
    const bind = (local: string, expression: string | undefined) => {
      if (expression !== undefined && expression !== local) lines.push(`const ${local} = ${expression};`);
    };
    if (clause.name) bind(clause.name.text, exports.binding(target, 'default'));
    const named = clause.namedBindings;
    if (named && tsModule.isNamespaceImport(named)) bind(named.name.text, exports.namespace(target));
    else if (named) {
      for (const element of named.elements) {
        if (!element.isTypeOnly) bind(element.name.text, exports.binding(target, (element.propertyName ?? element.name).text));
      }
    }
  }
  return lines.join('\n');
}

/** What a module exports, as expressions of the shared scope. */
export class ModuleExports {
  constructor(private readonly tsModule: typeof ts, private readonly files: ReadonlyMap<string, AliasSource>) {}

  /** The expression for the export `name` of the module at `path`; undefined when it has none that can be named. */
  binding(path: string, name: string, depth = 0): string | undefined {
    const file = this.files.get(path);
    if (!file || depth > MAX_REEXPORT_DEPTH) return undefined;
    // A CommonJS module's default import is its `module.exports` (esModuleInterop), a named one a property of it.
    if (file.commonJsExports) return name === 'default' ? file.commonJsExports : `${file.commonJsExports}[${JSON.stringify(name)}]`;
    const stars: string[] = [];
    for (const entry of this.entries(file)) {
      if (entry.kind === 'star') stars.push(entry.from);
      else if (entry.exported === name) return entry.kind === 'local' ? entry.local : entry.kind === 'namespace' ? this.namespace(entry.from, depth + 1) : this.binding(entry.from, entry.imported, depth + 1);
    }
    // `export *` never re-exports a default.
    if (name === 'default') return undefined;
    for (const from of stars) {
      const found = this.binding(from, name, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** `{ name: expression, … }` of every export of the module that can be named. */
  namespace(path: string, depth = 0): string | undefined {
    const file = this.files.get(path);
    if (!file || depth > MAX_REEXPORT_DEPTH) return undefined;
    if (file.commonJsExports) return file.commonJsExports;
    const properties: string[] = [];
    for (const name of this.exportedNames(path, depth)) {
      const expression = this.binding(path, name, depth);
      if (expression !== undefined) properties.push(`${JSON.stringify(name)}: ${expression}`);
    }
    return `{ ${properties.join(', ')} }`;
  }

  private exportedNames(path: string, depth: number, seen = new Set<string>()): Set<string> {
    const names = new Set<string>();
    const file = this.files.get(path);
    if (!file || seen.has(path) || depth > MAX_REEXPORT_DEPTH) return names;
    seen.add(path);
    for (const entry of this.entries(file)) {
      if (entry.kind !== 'star') names.add(entry.exported);
      else for (const name of this.exportedNames(entry.from, depth + 1, seen)) if (name !== 'default') names.add(name);
    }
    return names;
  }

  private entries(file: AliasSource): ExportEntry[] {
    const tsModule = this.tsModule;
    const found: ExportEntry[] = [];
    for (const statement of file.sourceFile.statements) {
      if (tsModule.isExportDeclaration(statement)) {
        if (statement.isTypeOnly) continue;
        const specifier = statement.moduleSpecifier;
        const from = specifier && tsModule.isStringLiteral(specifier) ? file.resolved.get(specifier.text) : undefined;
        if (specifier && from === undefined) continue;
        const clause = statement.exportClause;
        if (!clause) found.push({ kind: 'star', from: from! });
        else if (tsModule.isNamespaceExport(clause)) found.push({ kind: 'namespace', exported: clause.name.text, from: from! });
        else {
          for (const element of clause.elements) {
            if (element.isTypeOnly) continue;
            const inner = (element.propertyName ?? element.name).text;
            found.push(from === undefined ? { kind: 'local', exported: element.name.text, local: inner } : { kind: 'reexport', exported: element.name.text, from, imported: inner });
          }
        }
      } else if (tsModule.isExportAssignment(statement)) {
        if (!statement.isExportEquals && tsModule.isIdentifier(statement.expression)) found.push({ kind: 'local', exported: 'default', local: statement.expression.text });
      } else if (hasExportModifier(tsModule, statement)) {
        const isDefault = statement.modifiers!.some((modifier) => modifier.kind === tsModule.SyntaxKind.DefaultKeyword);
        for (const local of declaredNames(tsModule, statement)) found.push({ kind: 'local', exported: isDefault ? 'default' : local, local });
        const anonymous = (tsModule.isFunctionDeclaration(statement) || tsModule.isClassDeclaration(statement)) && !statement.name;
        if (isDefault && anonymous && file.defaultName) found.push({ kind: 'local', exported: 'default', local: file.defaultName });
      }
    }
    return found;
  }
}

type ExportEntry =
  | { kind: 'local'; exported: string; local: string }
  | { kind: 'reexport'; exported: string; from: string; imported: string }
  | { kind: 'namespace'; exported: string; from: string }
  | { kind: 'star'; from: string };

function hasExportModifier(tsModule: typeof ts, statement: ts.Statement): statement is ts.Statement & { modifiers: ts.NodeArray<ts.ModifierLike> } {
  const modifiers = (statement as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  return !!modifiers?.some((modifier) => modifier.kind === tsModule.SyntaxKind.ExportKeyword);
}

/** The names an exported declaration binds (an anonymous default function or class binds none). */
function declaredNames(tsModule: typeof ts, statement: ts.Statement): string[] {
  if (tsModule.isFunctionDeclaration(statement) || tsModule.isClassDeclaration(statement) || tsModule.isEnumDeclaration(statement)) return statement.name ? [statement.name.text] : [];
  if (!tsModule.isVariableStatement(statement)) return [];
  return statement.declarationList.declarations.flatMap((declaration) => (tsModule.isIdentifier(declaration.name) ? [declaration.name.text] : []));
}
