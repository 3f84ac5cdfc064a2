/**
 * CommonJS modules of the project (`const { addBlock } = require('./layers')`, `module.exports = { addBlock }`,
 * `exports.addBlock = …`, `module.exports = function …`), read in the one text modules.ts mounts. Each such
 * module runs after a declaration of its own `module` and `exports` (so what it assigns lands on its object),
 * and its `module.exports` is kept under a name of its own after it. Before a file that calls `require` of a
 * project file, a table from each specifier to what that module exports is declared; `require('./layers')`
 * evaluates to the table's entry (calls.ts). Written in no file's segment, so no finding can point there.
 */
import type * as ts from 'typescript';

/** The name of the table `require` of a relative specifier reads (calls.ts). */
export const REQUIRE_TABLE = '__initlintRequire__';

/** Declared before a CommonJS module: its own `module.exports` and `exports`, as Node gives each module. */
export const COMMONJS_PRELUDE = 'var module = { exports: {} }, exports = module.exports;';

/** Declared after the `index`-th CommonJS module: what it exported, under a name no other module has. */
export function commonJsCapture(index: number): { name: string; declaration: string } {
  const name = `__initlintExports${index}__`;
  return { name, declaration: `var ${name} = module.exports;` };
}

/**
 * TypeScript's `export = buildModel` / `export = { addBlock, makeHead }`: the module's exports are that value,
 * kept after it as a CommonJS module's are (`var __initlintExports3__ = { addBlock, makeHead };`). Only names
 * and objects of names are copied there: an expression that computes (`export = build()`) would run twice,
 * and a function written inline would be declared outside its file's segment. Undefined otherwise.
 */
export function exportEqualsCapture(tsModule: typeof ts, sourceFile: ts.SourceFile, index: number): { name: string; declaration: string } | undefined {
  const statement = sourceFile.statements.find((candidate): candidate is ts.ExportAssignment => tsModule.isExportAssignment(candidate) && !!candidate.isExportEquals);
  if (!statement || !namesOnly(tsModule, statement.expression)) return undefined;
  const { name } = commonJsCapture(index);
  return { name, declaration: `var ${name} = (${statement.expression.getText(sourceFile)});` };
}

function namesOnly(tsModule: typeof ts, expression: ts.Expression): boolean {
  if (tsModule.isIdentifier(expression)) return true;
  if (tsModule.isPropertyAccessExpression(expression)) return namesOnly(tsModule, expression.expression);
  if (!tsModule.isObjectLiteralExpression(expression)) return false;
  return expression.properties.every((property) => tsModule.isShorthandPropertyAssignment(property)
    || (tsModule.isPropertyAssignment(property) && !tsModule.isComputedPropertyName(property.name) && namesOnly(tsModule, property.initializer)));
}

/** `var __initlintRequire__ = { "./layers": …, … };` for the entries given, '' when there are none. */
export function requireTable(entries: ReadonlyMap<string, string>): string {
  if (!entries.size) return '';
  const properties = [...entries].map(([specifier, expression]) => `${JSON.stringify(specifier)}: ${expression}`);
  return `var ${REQUIRE_TABLE} = { ${properties.join(', ')} };`;
}

/** Whether a relative specifier names a file of the project (`./layers`, `../nets`), not a package. */
export function isRelativeSpecifier(specifier: string): boolean {
  return /^\.\.?(?:\/|$)/.test(specifier);
}

const RELATIVE_REQUIRE = /\brequire\s*\(\s*['"`]\.\.?\//;

/**
 * The relative specifiers a file loads with `require('./x')` (anywhere: top level or inside a function) or
 * `import x = require('./x')`.
 */
export function requiredSpecifiers(tsModule: typeof ts, sourceFile: ts.SourceFile): string[] {
  return relativeRequires(tsModule, sourceFile).map((found) => found.literal.text);
}

/** A relative specifier loaded by `require('./x')` (`call`) or `import x = require('./x')`, with its string literal. */
export interface RelativeRequire {
  literal: ts.StringLiteralLike;
  call: boolean;
}

export function relativeRequires(tsModule: typeof ts, sourceFile: ts.SourceFile): RelativeRequire[] {
  const found: RelativeRequire[] = [];
  // Most files have none: a text search spares the walk.
  if (!RELATIVE_REQUIRE.test(sourceFile.text)) return found;
  const forEachChild = tsModule.forEachChild;
  const visit = (node: ts.Node): void => {
    if (tsModule.isCallExpression(node) && tsModule.isIdentifier(node.expression) && node.expression.text === 'require') {
      const argument = node.arguments[0];
      if (node.arguments.length === 1 && tsModule.isStringLiteralLike(argument) && isRelativeSpecifier(argument.text)) found.push({ literal: argument, call: true });
    } else if (tsModule.isExternalModuleReference(node) && tsModule.isStringLiteralLike(node.expression) && isRelativeSpecifier(node.expression.text)) {
      found.push({ literal: node.expression, call: false });
    }
    forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/**
 * The key a `require('./utils')` is rewritten to when `./utils` names different modules from different files:
 * `./~` and the module's index, padded with spaces to the specifier's own length, so that no offset of the
 * mounted text moves. Undefined when the specifier is too short to hold it.
 */
export function moduleKey(specifier: string, moduleIndex: number): string | undefined {
  const key = `./~${moduleIndex.toString(36)}`;
  return key.length <= specifier.length ? key.padEnd(specifier.length) : undefined;
}

/**
 * Whether a module exports the CommonJS way: it assigns `module.exports` or `exports.x` and has no ES export
 * (a file with both is read as an ES module, as bundlers do).
 */
export function isCommonJsModule(tsModule: typeof ts, sourceFile: ts.SourceFile): boolean {
  if (!/\b(?:module\s*\.\s*)?exports\b/.test(sourceFile.text)) return false;
  return !sourceFile.statements.some((statement) =>
    tsModule.isExportDeclaration(statement) || tsModule.isExportAssignment(statement)
    || !!(statement as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers?.some((modifier) => modifier.kind === tsModule.SyntaxKind.ExportKeyword));
}
