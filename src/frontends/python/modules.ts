/**
 * A Python file read with the modules of its project that it imports (`from blocks import conv_block`,
 * `from .layers import Block`, `import helpers`). Each module is parsed alone and mounted after the file in one
 * text, at its own offset: the interpreter runs a module's top level when the file imports it, so its functions
 * and classes are inlined where the file calls them, and every span says where it was written (which file, by
 * the segment it falls in). Pure: the host's resolver gives the modules' texts; an import it cannot resolve
 * stays what it was (a library path, or unknown when relative).
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { NodeType, Tree as LezerTree } from '@lezer/common';
import type { Comment, ExtractedFile, SyntaxProblem } from '../../core/ir';
import { ExtractionCancelled, type WorkLimits } from '../budget';
import { readImportStatement, readImportScope } from './imports';
import { emptyExtraction, failure, parsePython, parseReadable, readablePython, readTokens, withNestingCuts } from './index';
import { Interpreter } from './interpreter';
import { SourceText } from './syntax';
import type { FileSegment } from '../segments';

export type { FileSegment };
import { LocalModules, type LocalModule } from './localModules';

/** A module file of the project, as the host read it. */
export interface PythonModuleFile {
  path: string;
  text: string;
}

/**
 * Finds the project file that `from <level dots><module> import …` (or `import <module>`) written in `importer`
 * names; undefined when none does (a library, or a module not in the project).
 */
export type PythonModuleResolver = (importer: string, module: string, level: number) => PythonModuleFile | undefined;

export interface PythonProjectExtraction {
  /** The analysed file followed by each module it reaches, one line break between them. */
  text: string;
  extracted: ExtractedFile;
  segments: FileSegment[];
}

/** Modules followed from one file, and the characters they may add: a bound on what one analysis reads. */
const MAX_MODULES = 64;
const MAX_MOUNTED_CHARS = 4_000_000;

/** Throws only `ExtractionCancelled`. */
export function extractPythonProject(path: string, text: string, resolve: PythonModuleResolver, limits?: WorkLimits): PythonProjectExtraction {
  const parsed = parseReadable(text);
  if ('failed' in parsed) return { text, extracted: parsed.failed, segments: [{ path, start: 0, end: text.length, text }] };
  const { readable, tree } = parsed;
  const mounted = mountModules(path, readable.text, tree, resolve);
  const source = new SourceText(mounted.text);
  const extracted = emptyExtraction();
  const interpreter = new Interpreter(source, limits, new LocalModules(readable.text.length, mounted.byStatement));
  try {
    const variables: number[] = [];
    readTokens(tree, source, extracted.comments, extracted.syntaxProblems, variables);
    interpreter.knowVariables(tree.topNode, variables);
    // Suppression comments of the modules apply to findings there; their syntax errors are their own file's.
    const ignored: SyntaxProblem[] = [];
    const moduleComments: Comment[] = [];
    for (const module of mounted.trees) {
      const moduleVariables: number[] = [];
      readTokens(module, source, moduleComments, ignored, moduleVariables);
      interpreter.knowVariables(module.topNode, moduleVariables);
    }
    extracted.comments.push(...moduleComments);
    extracted.imports = readImportScope(tree.topNode, source);
    const topLevelOfModules = new Set<number>();
    extracted.models = interpreter.run(tree.topNode);
    for (const module of mounted.modules) for (const start of module.topLevel) topLevelOfModules.add(start);
    // A model built by a module's own top level is that module's (its analysis reports it), not this file's.
    extracted.models = extracted.models.filter((model) => model.span.start < readable.text.length || !topLevelOfModules.has(model.span.start));
  } catch (error) {
    if (error instanceof ExtractionCancelled) throw error;
    extracted.cuts = [{ span: { start: 0, end: 0 }, reason: failure('the model reader failed', error) }];
  }
  if (interpreter.cuts.length) extracted.cuts = [...(extracted.cuts ?? []), ...interpreter.cuts];
  return { text: mounted.text, extracted: withNestingCuts(extracted, readable.cuts), segments: mounted.segments };
}

interface Mounted {
  text: string;
  segments: FileSegment[];
  trees: Tree[];
  modules: LocalModule[];
  byStatement: Map<number, Map<string, LocalModule>>;
}

/** Follows the file's imports breadth first, mounting each project module once after the text so far. */
function mountModules(path: string, text: string, tree: Tree, resolve: PythonModuleResolver): Mounted {
  const mounted: Mounted = { text, segments: [{ path, start: 0, end: text.length, text }], trees: [], modules: [], byStatement: new Map() };
  const byPath = new Map<string, LocalModule>();
  const queue: { path: string; top: SyntaxNode }[] = [{ path, top: tree.topNode }];
  for (let next = 0; next < queue.length; next++) {
    const importer = queue[next];
    const source = new SourceText(mounted.text);
    for (const statement of importStatements(importer.top)) {
      for (const { module, level } of importedModules(statement, source)) {
        const key = '.'.repeat(level) + module;
        let entry: LocalModule | undefined;
        const file = safeResolve(resolve, importer.path, module, level);
        if (!file) continue;
        entry = byPath.get(file.path);
        if (!entry) {
          if (mounted.modules.length >= MAX_MODULES || mounted.text.length + file.text.length > MAX_MOUNTED_CHARS) continue;
          entry = mount(mounted, file, module);
          byPath.set(file.path, entry);
          queue.push({ path: file.path, top: entry.top });
        }
        let resolved = mounted.byStatement.get(statement.from);
        if (!resolved) mounted.byStatement.set(statement.from, (resolved = new Map()));
        resolved.set(key, entry);
      }
    }
  }
  return mounted;
}

function safeResolve(resolve: PythonModuleResolver, importer: string, module: string, level: number): PythonModuleFile | undefined {
  try {
    return resolve(importer, module, level);
  } catch {
    return undefined;
  }
}

/** Parses a module alone and mounts its tree at the end of the text (its nodes then carry the mounted offsets). */
function mount(mounted: Mounted, file: PythonModuleFile, module: string): LocalModule {
  const readable = readablePython(file.text).text;
  const start = mounted.text.length + 1;
  mounted.text += `\n${readable}`;
  const tree = new LezerTree(NodeType.none, [parsePython(readable)], [start], start + readable.length);
  const top = tree.topNode.firstChild ?? tree.topNode;
  mounted.segments.push({ path: file.path, start, end: start + readable.length, text: file.text });
  mounted.trees.push(tree);
  const entry: LocalModule = { name: module.split('.').pop() || module, top, topLevel: new Set() };
  mounted.modules.push(entry);
  return entry;
}

/**
 * The modules one import statement may name: `from a.b import c` → `a.b` and `a.b.c` (c may be a submodule);
 * `import a.b` → `a` and `a.b`.
 */
function importedModules(statement: SyntaxNode, source: SourceText): { module: string; level: number }[] {
  const facts = readImportStatement(statement, source);
  if (facts.from) {
    const { level, module, names } = facts.from;
    const found = module ? [{ module, level }] : [];
    for (const { name } of names) found.push({ module: module ? `${module}.${name}` : name, level });
    return found;
  }
  // `import nets.blocks` loads `nets`, then `nets.blocks`.
  return facts.bindings.flatMap(({ module, path }) => {
    const segments = module?.split('.') ?? [path];
    return segments.map((_, index) => ({ module: module ? segments.slice(0, index + 1).join('.') : path, level: 0 }));
  });
}

/** Import statements anywhere a statement can be (module level, function and class bodies, compound statements). */
function importStatements(top: SyntaxNode): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const visit = (node: SyntaxNode) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.name === 'ImportStatement') found.push(child);
      else if (STATEMENT_HOLDERS.has(child.name)) visit(child);
    }
  };
  visit(top);
  return found;
}

const STATEMENT_HOLDERS = new Set([
  'Body', 'FunctionDefinition', 'ClassDefinition', 'DecoratedStatement', 'IfStatement', 'TryStatement', 'WithStatement',
  'ForStatement', 'WhileStatement', 'MatchStatement', 'MatchClause',
]);
