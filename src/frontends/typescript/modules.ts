/**
 * A JS/TS file read with the modules of its project it imports (`import { addBlock } from './layers'`). The
 * modules are mounted before the file in one text (each imported module before what imports it, as ES modules
 * run), so their functions are declared when the file calls them and inlined there; each span then says which
 * file it was written in by the segment it falls in. Names of the modules and the file share one scope (a name
 * defined in two of them is the later one's); an import under another name is declared as such before the
 * file that writes it (importAliases.ts). Pure: the host's resolver gives the modules' texts (the CLI from
 * disk, the tsserver plugin from its program); a specifier it cannot resolve stays what it was.
 */
import type * as ts from 'typescript';
import type { ExtractedFile, ImportScope, InsertionPoint } from '../../core/ir';
import type { WorkLimits } from '../budget';
import type { FileSegment } from '../segments';
import { extractTypeScript } from './index';
import { collectImports } from './imports';
import { importAliases, type AliasSource } from './importAliases';

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
  const main = parse(text);
  const mainFile: ReachedModule = { path, text, sourceFile: main, resolved: new Map() };
  const modules = reachedModules(tsModule, mainFile, resolve, parse);
  if (!modules.length) return { text, extracted: extractTypeScript(tsModule, main, limits), segments: [{ path, start: 0, end: text.length, text }] };
  // Imported modules first, the deepest first: what a module imports is declared before it runs.
  const ordered = [...modules].reverse();
  const byPath = new Map<string, ReachedModule>([mainFile, ...modules].map((file) => [file.path, file]));
  // Each file's imports under other names are declared just before it (importAliases.ts): in no segment.
  const aliasesOf = (file: ReachedModule) => {
    const aliases = importAliases(tsModule, file, byPath);
    return aliases ? `${aliases}\n` : '';
  };
  let mounted = '';
  const segments: FileSegment[] = [];
  for (const module of ordered) {
    mounted += aliasesOf(module);
    segments.push({ path: module.path, start: mounted.length, end: mounted.length + module.text.length, text: module.text });
    mounted += `${module.text}\n`;
  }
  mounted += aliasesOf(mainFile);
  const mainStart = mounted.length;
  mounted += text;
  segments.unshift({ path, start: mainStart, end: mounted.length, text });
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
}

/** The project modules the file reaches through relative imports, breadth first, each once. */
function reachedModules(tsModule: typeof ts, main: ReachedModule, resolve: ScriptModuleResolver, parse: (text: string) => ts.SourceFile): ReachedModule[] {
  const reached: ReachedModule[] = [];
  const seen = new Set<string>([main.path]);
  let chars = main.text.length;
  const queue: ReachedModule[] = [main];
  for (let next = 0; next < queue.length; next++) {
    const importer = queue[next];
    for (const specifier of relativeSpecifiers(tsModule, importer.sourceFile)) {
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
    if (specifier && tsModule.isStringLiteral(specifier) && /^\.\.?(?:\/|$)/.test(specifier.text)) found.push(specifier.text);
  }
  return found;
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
