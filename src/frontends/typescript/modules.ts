/**
 * A JS/TS file read with the modules of its project it imports (`import { addBlock } from './layers'`). The
 * modules are mounted before the file in one text (each imported module before what imports it, as ES modules
 * run), so their functions are declared when the file calls them and inlined there; each span then says which
 * file it was written in by the segment it falls in. Names of the modules and the file share one scope (a name
 * defined in two of them is the later one's); an import under another name is declared as such before the
 * file that writes it (importAliases.ts), and so is what its `require('./x')` calls load (commonJs.ts). Pure:
 * the host's resolver gives the modules' texts (the CLI from disk, the tsserver plugin from its program); a
 * specifier it cannot resolve stays what it was.
 */
import type * as ts from 'typescript';
import type { ExtractedFile, ImportScope, InsertionPoint } from '../../core/ir';
import type { WorkLimits } from '../budget';
import type { FileSegment } from '../segments';
import { extractTypeScript } from './index';
import { EMBEDDING_EXTENSION, scriptsOnly } from './embedded';
import { collectImports } from './imports';
import { COMMONJS_PRELUDE, commonJsCapture, exportEqualsCapture, isCommonJsModule, isRelativeSpecifier, moduleKey, relativeRequires, requiredSpecifiers, requireTable } from './commonJs';
import { importAliases, ModuleExports, type AliasSource } from './importAliases';

export type { FileSegment };

export interface ScriptModuleFile {
  path: string;
  text: string;
}

/** Finds the project file a relative specifier (`./layers`, `../nets/blocks.js`) written in `importer` names. */
export type ScriptModuleResolver = (importer: string, specifier: string) => ScriptModuleFile | undefined;

export interface ScriptProjectExtraction {
  /** The modules, then the analysed file, one line break between them. */
  text: string;
  extracted: ExtractedFile;
  /** The analysed file first (it is mounted last), then the modules. */
  segments: FileSegment[];
}

const MAX_MODULES = 64;
const MAX_MOUNTED_CHARS = 4_000_000;

/** Throws only `ExtractionCancelled`. `parse` parses a text as `fileName` (the host's compiler and script kind). */
export function extractTypeScriptProject(
  tsModule: typeof ts, path: string, text: string, resolve: ScriptModuleResolver, parse: (text: string) => ts.SourceFile, limits?: WorkLimits,
): ScriptProjectExtraction {
  // An HTML page or a component is read as its script blocks (embedded.ts); its segment keeps the file's text.
  const written = text;
  if (EMBEDDING_EXTENSION.test(path)) text = scriptsOnly(text);
  const main = parse(text);
  const mainFile: ReachedModule = { path, text, sourceFile: main, resolved: new Map() };
  const modules = reachedModules(tsModule, mainFile, resolve, parse);
  if (!modules.length) return { text, extracted: extractTypeScript(tsModule, main, limits), segments: [{ path, start: 0, end: text.length, text: written }] };
  // Imported modules first, the deepest first: what a module imports is declared before it runs.
  const ordered = [...modules].reverse();
  const byPath = new Map<string, ReachedModule>([mainFile, ...modules].map((file) => [file.path, file]));
  // Decided for every module before any is mounted: an import cycle may name a module mounted after it.
  const captures = ordered.map((module, index) => {
    const capture = isCommonJsModule(tsModule, module.sourceFile) ? commonJsCapture(index) : exportEqualsCapture(tsModule, module.sourceFile, index);
    if (capture) module.commonJsExports = capture.name;
    return capture?.declaration;
  });
  const texts = ordered.map((module, index) => withNamedDefault(tsModule, module, `$default${index}$`));
  const requires = new RequireTables(tsModule, [mainFile, ...modules], byPath, new Map(ordered.map((module, index) => [module.path, index])));
  // Each file's imports under other names are declared just before it (importAliases.ts), and so is the
  // table its `require` calls read (commonJs.ts): in no segment.
  const preludeOf = (file: ReachedModule) => {
    const lines = [requires.before(file), importAliases(tsModule, file, byPath)].filter(Boolean);
    // The file gets a `module` of its own too, so what it exports never lands on a module's object.
    if (file.commonJsExports || (file === mainFile && ordered.some((module) => module.commonJsExports))) lines.push(COMMONJS_PRELUDE);
    return lines.map((line) => `${line}\n`).join('');
  };
  let mounted = '';
  const segments: FileSegment[] = [];
  ordered.forEach((module, index) => {
    mounted += preludeOf(module);
    segments.push({ path: module.path, start: mounted.length, end: mounted.length + module.text.length, text: module.text });
    mounted += `${requires.rewritten(module, texts[index])}\n`;
    if (captures[index]) mounted += `${captures[index]}\n`;
    requires.mounted(module);
  });
  mounted += preludeOf(mainFile);
  const mainStart = mounted.length;
  mounted += requires.rewritten(mainFile, text);
  segments.unshift({ path, start: mainStart, end: mounted.length, text: written });
  const whole = parse(mounted);
  const extracted = extractTypeScript(tsModule, whole, limits);
  // The file's own imports say where fixes add an import; library bindings of the modules resolve their calls.
  const own = collectImports(tsModule, main);
  const bindings: Record<string, string> = {};
  for (const module of ordered) Object.assign(bindings, collectImports(tsModule, module.sourceFile).bindings);
  Object.assign(bindings, own.bindings);
  extracted.imports = { ...shiftedScope(own, mainStart), bindings: { ...extracted.imports.bindings, ...bindings } };
  extracted.syntaxProblems = syntaxProblemsOf(main, mainStart);
  return { text: mounted, extracted, segments };
}

interface ReachedModule extends ScriptModuleFile, AliasSource {
  /** Each relative specifier the file writes → the path of the mounted module it names. */
  resolved: Map<string, string>;
  /** The relative specifiers it loads with `require` (commonJs.ts), once read. */
  requires?: string[];
}

/** The project modules the file reaches through relative imports, breadth first, each once. */
function reachedModules(tsModule: typeof ts, main: ReachedModule, resolve: ScriptModuleResolver, parse: (text: string) => ts.SourceFile): ReachedModule[] {
  const reached: ReachedModule[] = [];
  const seen = new Set<string>([main.path]);
  let chars = main.text.length;
  const queue: ReachedModule[] = [main];
  for (let next = 0; next < queue.length; next++) {
    const importer = queue[next];
    for (const specifier of [...relativeSpecifiers(tsModule, importer.sourceFile), ...requiresOf(tsModule, importer)]) {
      let file: ScriptModuleFile | undefined;
      try {
        file = resolve(importer.path, specifier);
      } catch {
        file = undefined;
      }
      if (file && seen.has(file.path)) importer.resolved.set(specifier, file.path);
      if (!file || seen.has(file.path) || reached.length >= MAX_MODULES || chars + file.text.length > MAX_MOUNTED_CHARS) continue;
      seen.add(file.path);
      importer.resolved.set(specifier, file.path);
      chars += file.text.length;
      const module: ReachedModule = { ...file, sourceFile: parse(file.text), resolved: new Map() };
      reached.push(module);
      queue.push(module);
    }
  }
  return reached;
}

/** `import … from './x'` and `export … from './x'` at the top level. */
function relativeSpecifiers(tsModule: typeof ts, sourceFile: ts.SourceFile): string[] {
  const found: string[] = [];
  for (const statement of sourceFile.statements) {
    if (!tsModule.isImportDeclaration(statement) && !tsModule.isExportDeclaration(statement)) continue;
    const specifier = statement.moduleSpecifier;
    if (specifier && tsModule.isStringLiteral(specifier) && isRelativeSpecifier(specifier.text)) found.push(specifier.text);
  }
  return found;
}

function requiresOf(tsModule: typeof ts, file: ReachedModule): string[] {
  return (file.requires ??= requiredSpecifiers(tsModule, file.sourceFile));
}

/**
 * The tables of `require` (commonJs.ts): before a file that requires project files, every specifier required
 * so far whose module is mounted already. A specifier that names different modules in different files
 * (`./utils` of two folders) cannot be one entry: a `require` run later from another file's call could not tell
 * which. Each such `require('./utils')` is rewritten in the mounted text to its module's own key (commonJs.ts
 * `moduleKey`, same length), and the table holds the keys.
 */
class RequireTables {
  /** Specifier → the module it names, null when files name different modules with it. */
  private readonly targets = new Map<string, string | null>();
  /** Table key (a specifier, or a module's key) → the module it names. */
  private readonly keyTargets = new Map<string, string>();
  private readonly keysOf = new Map<ReachedModule, string[]>();
  private readonly entries = new Map<string, string>();
  private readonly exports: ModuleExports;

  constructor(private readonly tsModule: typeof ts, files: readonly ReachedModule[], byPath: ReadonlyMap<string, ReachedModule>, private readonly moduleIndex: ReadonlyMap<string, number>) {
    this.exports = new ModuleExports(tsModule, byPath);
    for (const file of files) {
      for (const specifier of requiresOf(tsModule, file)) {
        const target = file.resolved.get(specifier);
        if (target === undefined) continue;
        const known = this.targets.get(specifier);
        this.targets.set(specifier, known === undefined || known === target ? target : null);
      }
    }
    for (const file of files) {
      const keys: string[] = [];
      for (const specifier of requiresOf(tsModule, file)) {
        const target = file.resolved.get(specifier);
        const key = target === undefined ? undefined : this.keyOf(specifier, target);
        if (key === undefined || target === undefined) continue;
        keys.push(key);
        this.keyTargets.set(key, target);
      }
      this.keysOf.set(file, keys);
    }
  }

  /** The text `file` is mounted as: each `require` of a specifier that names different modules reads its own key. */
  rewritten(file: ReachedModule, text: string): string {
    if (!(this.keysOf.get(file) ?? []).some((key) => !this.targets.has(key))) return text;
    let result = text;
    for (const { literal, call } of relativeRequires(this.tsModule, file.sourceFile)) {
      const target = file.resolved.get(literal.text);
      if (!call || target === undefined || this.targets.get(literal.text) !== null) continue;
      const key = this.keyOf(literal.text, target);
      const start = literal.getStart(file.sourceFile) + 1;
      const end = literal.getEnd() - 1;
      // A specifier written with escapes is not its text's length: left as it is (unknown).
      if (key === undefined || end - start !== key.length) continue;
      result = result.slice(0, start) + key + result.slice(end);
    }
    return result;
  }

  /** The table declared before `file`; '' when it requires no project file. */
  before(file: ReachedModule): string {
    const own = (this.keysOf.get(file) ?? []).some((key) => this.entries.has(key));
    return own ? requireTable(this.entries) : '';
  }

  /** Once `module` ran, the keys naming it evaluate to its exports. */
  mounted(module: ReachedModule): void {
    for (const [key, target] of this.keyTargets) {
      if (target !== module.path) continue;
      const expression = this.exports.namespace(target);
      if (expression !== undefined) this.entries.set(key, expression);
    }
  }

  private keyOf(specifier: string, target: string): string | undefined {
    if (this.targets.get(specifier) !== null) return specifier;
    const index = this.moduleIndex.get(target);
    return index === undefined ? undefined : moduleKey(specifier, index);
  }
}

/**
 * The module's text with its anonymous `export default function (…)` / `export default class {…}` named
 * `defaultName`, written over `export default` itself so that no offset after it moves (the segment keeps the
 * text as written): the default import is then an alias of that name (importAliases.ts). `export default` is
 * 15 characters or more, so a name up to 14 characters always fits.
 */
function withNamedDefault(tsModule: typeof ts, module: ReachedModule, name: string): string {
  const statement = module.sourceFile.statements.find((candidate) =>
    (tsModule.isFunctionDeclaration(candidate) || tsModule.isClassDeclaration(candidate)) && !candidate.name
    && !!candidate.modifiers?.some((modifier) => modifier.kind === tsModule.SyntaxKind.DefaultKeyword));
  const modifiers = statement && (statement as ts.FunctionDeclaration | ts.ClassDeclaration).modifiers;
  const exported = modifiers?.find((modifier) => modifier.kind === tsModule.SyntaxKind.ExportKeyword);
  const defaulted = modifiers?.find((modifier) => modifier.kind === tsModule.SyntaxKind.DefaultKeyword);
  const text = module.text;
  if (!exported || !defaulted) return text;
  const keywords = /^\s*((?:async\s+)?function\s*\*?|class)/.exec(text.slice(defaulted.end));
  const from = exported.getStart(module.sourceFile);
  const to = defaulted.end + (keywords?.[0].length ?? 0);
  const named = keywords && `${keywords[1].replace(/\s+/g, ' ')} ${name}`;
  if (!named || named.length > to - from) return text;
  module.defaultName = name;
  return text.slice(0, from) + named.padEnd(to - from) + text.slice(to);
}

function shiftedScope(scope: ImportScope, delta: number): Omit<ImportScope, 'bindings'> {
  const shift = (point: InsertionPoint): InsertionPoint => ({ ...point, offset: point.offset + delta });
  const extendableImports: Record<string, InsertionPoint> = {};
  for (const [module, point] of Object.entries(scope.extendableImports)) extendableImports[module] = shift(point);
  return { newImportAt: shift(scope.newImportAt), extendableImports };
}

function syntaxProblemsOf(main: ts.SourceFile, delta: number): ExtractedFile['syntaxProblems'] {
  const diagnostics = (main as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  return diagnostics.map((diagnostic) => {
    const start = (diagnostic.start ?? 0) + delta;
    return { span: { start, end: start + (diagnostic.length ?? 0) }, message: typeof diagnostic.messageText === 'string' ? diagnostic.messageText : diagnostic.messageText.messageText };
  });
}
