/**
 * Findings per file, computed from the program's own SourceFile (no re-parse) and cached by file name,
 * script version and settings generation. Files that do not use TensorFlow.js cost a substring test and
 * one regular expression.
 */
import type * as ts from 'typescript';
import { analyzeExtracted, type FileAnalysis } from '../core/analyze';
import type { InitLintConfig } from '../core/config';
import type { Finding } from '../core/findings';
import { LineIndex } from '../core/text';
import { ExtractionCancelled, sizeCapCut } from '../frontends/budget';
import { emptyExtraction, extractTypeScript } from '../frontends/typescript';
import { analyzeWithin } from '../project/boundedAnalysis';
import { moduleName } from '../frontends/typescript/imports';
import { ProjectConfigFinder } from '../project/configFiles';
import { applyInPasses } from '../project/fixLoop';
import { configForFile } from '../protocol/settings';
import { programProject, RELATIVE_IMPORT } from './programModules';
import type { PluginSettings } from './settings';

export interface FileFindings {
  findings: Finding[];
  text: string;
  lines: LineIndex;
  /** The whole analysis (models, moments, chains): what quick info and the editor's requests read. */
  analysis: FileAnalysis;
  config: InitLintConfig;
  /** Findings written in modules of the program this file imports (each with `file`): shown on those modules. */
  placed: Finding[];
  /** The modules read with the file: their versions are part of its cache key. */
  reads: string[];
}

interface CacheEntry {
  version: string;
  reads: string[];
  generation: number;
  result: FileFindings | undefined;
}

const ANALYSED_EXTENSION = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const TFJS_MODULE = '@tensorflow/tfjs';
/** Test-only: with INITLINT_FAULT_INJECTION=1, files containing this marker make the plugin throw. */
const FAULT_MARKER = 'initlint-fault-injection';

/** Of a request's time budget, the share the front end may take; the core's analysis of what it found takes the rest. */
const EXTRACTION_SHARE = 0.6;

export class FileAnalyses {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly configFinder = new ProjectConfigFinder();
  /** File name → why its last analysis was skipped (what the editor's status item says). */
  private readonly skipped = new Map<string, string>();

  constructor(
    private readonly typescript: typeof ts,
    private readonly info: ts.server.PluginCreateInfo,
    private readonly settings: PluginSettings,
    private readonly log: (message: string) => void,
  ) {}

  /**
   * Undefined when the file is not ours to analyse (not tfjs, disabled), or when tsserver cancelled the
   * request meanwhile (nothing is cached then: the next request analyses it again).
   */
  forFile(fileName: string): FileFindings | undefined {
    const cached = this.cache.get(fileName);
    if (cached && cached.version === this.versionOf(fileName, cached.reads) && cached.generation === this.settings.generation) return cached.result;
    // Each new analysis first lets go of files closed since (their texts, line indexes and analyses).
    this.prune((name) => name === fileName || this.isOpen(name));
    let result: FileFindings | undefined;
    try {
      result = this.analyze(fileName);
    } catch (error) {
      if (!(error instanceof ExtractionCancelled)) throw error;
      this.log(`analysis of ${fileName} cancelled by tsserver`);
      return undefined;
    }
    const reads = result?.reads ?? [];
    this.cache.set(fileName, { version: this.versionOf(fileName, reads), reads, generation: this.settings.generation, result });
    return result;
  }

  /** The file's script version with those of the modules its analysis read. */
  private versionOf(fileName: string, reads: readonly string[]): string {
    const host = this.info.languageServiceHost;
    let version = host.getScriptVersion(fileName);
    for (const read of reads) version += `|${host.getScriptVersion(read)}`;
    return version;
  }

  /**
   * The findings shown on a file: its own, and those the analyses of the other open files of the program
   * placed in it (a module they import, where the layer is written), each once.
   */
  shownFindings(fileName: string): Finding[] | undefined {
    const own = this.forFile(fileName);
    const placed: Finding[] = [];
    for (const other of this.info.languageService.getProgram()?.getSourceFiles() ?? []) {
      const name = other.fileName;
      if (name === fileName || !ANALYSED_EXTENSION.test(name) || name.endsWith('.d.ts') || !this.isOpen(name) || !RELATIVE_IMPORT.test(other.text)) continue;
      let importer: FileFindings | undefined;
      try {
        importer = this.forFile(name);
      } catch (error) {
        // Another file's failure is its own request's to report: this file's findings stand.
        this.log(`reading ${name} for the modules it imports failed: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      for (const finding of importer?.placed ?? []) if (finding.file === fileName) placed.push({ ...finding, file: undefined });
    }
    if (!placed.length) return own?.findings;
    const key = (finding: Finding) => `${finding.rule}:${finding.span.start}:${finding.span.end}:${finding.message}`;
    const shown = new Map((own?.findings ?? []).map((finding) => [key(finding), finding]));
    for (const finding of placed) if (!shown.has(key(finding))) shown.set(key(finding), finding);
    return [...shown.values()].sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
  }

  private isOpen(fileName: string): boolean {
    const scriptInfo = this.info.project.getScriptInfo(fileName);
    return scriptInfo ? scriptInfo.isScriptOpen() : false;
  }

  /** Drops what is kept for files the project no longer has open (their findings, texts and line indexes). */
  prune(isOpen: (fileName: string) => boolean): void {
    for (const fileName of this.cache.keys()) {
      if (isOpen(fileName)) continue;
      this.cache.delete(fileName);
      this.skipped.delete(fileName);
    }
  }

  /** Why `forFile` gave nothing for this file; undefined when it was analysed (or never asked for). */
  skipReason(fileName: string): string | undefined {
    return this.skipped.get(fileName);
  }

  /** The underlying program's answer: a tsserver request may name a file this project does not hold. */
  holds(fileName: string): boolean {
    if (this.info.project.isClosed()) return false;
    return !!this.info.languageService.getProgram()?.getSourceFile(fileName);
  }

  private analyze(fileName: string): FileFindings | undefined {
    this.skipped.delete(fileName);
    const skip = (reason: string) => {
      this.skipped.set(fileName, reason);
      return undefined;
    };
    if (!ANALYSED_EXTENSION.test(fileName) || fileName.endsWith('.d.ts')) return skip('not a JavaScript/TypeScript source file');
    const sourceFile = this.info.languageService.getProgram()?.getSourceFile(fileName);
    if (!sourceFile) return skip('not part of this TypeScript project');
    if (!usesTfjs(this.typescript, sourceFile)) return skip('no TensorFlow.js import in this file');
    const settings = this.settings.forProject(this.info.config);
    if (!settings.enable) return skip('disabled by initlint.enable');
    const budget = this.settings.budget(this.info.config);
    const text = sourceFile.text;
    if (process.env.INITLINT_FAULT_INJECTION === '1' && text.includes(FAULT_MARKER)) throw new Error('injected fault (INITLINT_FAULT_INJECTION)');

    const started = performance.now();
    const { config, problems } = configForFile(fileName, settings, this.configFinder);
    for (const problem of problems) this.log(problem.message);
    // Over the size cap nothing is read, and one analysis-incomplete finding at the file's start says so.
    const cut = sizeCapCut(text.length, budget.maxFileChars, 'raise maxFileChars in the plugin options');
    // Every request is bounded: the front end stops at its share of the budget and the core's chunks at the
    // whole of it; a cut says where. tsserver's cancellation token (a newer request) ends it sooner.
    const token = this.info.languageServiceHost.getCancellationToken?.();
    const extracted = cut ? { ...emptyExtraction(), cuts: [cut] } : extractTypeScript(this.typescript, sourceFile, {
      deadline: started + budget.maxMillis * EXTRACTION_SHARE,
      isCancelled: token ? () => token.isCancellationRequested() : undefined,
    });
    const analysis = analyzeWithin(text, extracted, config, started + budget.maxMillis);
    for (const error of analysis.internalErrors) this.log(`internal error in ${fileName}: ${error}`);
    // With the modules it imports: the hover and fixes keep reading the file alone (offsets of its own text).
    const project = cut ? undefined : programProject(this.typescript, this.info, fileName, text, config, {
      deadline: started + budget.maxMillis,
      isCancelled: token ? () => token.isCancellationRequested() : undefined,
    });
    const elapsed = performance.now() - started;
    if (elapsed > budget.maxMillis) this.log(`${fileName} took ${elapsed.toFixed(0)} ms (budget ${budget.maxMillis} ms)`);
    const findings = project ? project.findings.filter((finding) => !finding.file) : analysis.findings;
    const placed = project ? project.findings.filter((finding) => finding.file) : [];
    return { findings, text, lines: new LineIndex(text), analysis, config, placed, reads: project?.reads ?? [] };
  }

  /**
   * Every preferred fix, in passes like `initlint check --fix`: the first pass from the cached analysis, each
   * later one from the fixed text parsed with the TypeScript instance tsserver injected.
   */
  fixInPasses(fileName: string): { before: string; after: string; fixed: number } | undefined {
    const file = this.forFile(fileName);
    if (!file) return undefined;
    const typescript = this.typescript;
    const analyze = (text: string) => analyzeExtracted(text, extractTypeScript(typescript, typescript.createSourceFile(fileName, text, typescript.ScriptTarget.Latest, true)), file.config);
    const result = applyInPasses(file.text, file.analysis, (analysis) => analysis.findings, analyze);
    return { before: file.text, after: result.text, fixed: result.fixed };
  }

  /** Config files may have changed on disk: forget everything. */
  clear(): void {
    this.cache.clear();
    this.skipped.clear();
    this.configFinder.clear();
  }
}

/** `import('@tensorflow/tfjs…')` or `require('@tensorflow/tfjs…')` anywhere: a lazy load inside the function that builds the model. */
const NESTED_TFJS_LOAD = /\b(?:import|require)\s*\(\s*['"`]@tensorflow\/tfjs/;

/** A model built on the global `tf` of a `<script>` tag (`tf.sequential(`, `tf.layers.dense(`): no import to find. */
const GLOBAL_TF_MODEL = /(?<![\w$.])tf\s*\.\s*(?:sequential|model|layers)\b/;

/**
 * A top-level `import … from '@tensorflow/tfjs…'` (or from a CDN URL of it), `import x = require(…)` or `const x = require(…)`,
 * else a dynamic `import()` or `require()` of it anywhere (`const tf = await import('@tensorflow/tfjs')`);
 * without the module name, a model built on the global `tf` (the CLI reads those files too).
 */
export function usesTfjs(typescript: typeof ts, sourceFile: ts.SourceFile): boolean {
  const text = sourceFile.text;
  if (text.includes(TFJS_MODULE) && (importsTfjsAtTop(typescript, sourceFile) || NESTED_TFJS_LOAD.test(text))) return true;
  return GLOBAL_TF_MODEL.test(text);
}

function importsTfjsAtTop(typescript: typeof ts, sourceFile: ts.SourceFile): boolean {
  const isTfjs = (node: ts.Node | undefined) => !!node && typescript.isStringLiteralLike(node) && moduleName(node.text).startsWith(TFJS_MODULE);
  const isRequire = (node: ts.Node | undefined): boolean => {
    while (node && (typescript.isPropertyAccessExpression(node) || typescript.isAwaitExpression(node))) node = node.expression;
    return !!node && typescript.isCallExpression(node) && (node.expression.getText(sourceFile) === 'require' || node.expression.kind === typescript.SyntaxKind.ImportKeyword) && isTfjs(node.arguments[0]);
  };
  return sourceFile.statements.some((statement) => {
    if (typescript.isImportDeclaration(statement) || typescript.isExportDeclaration(statement)) return isTfjs(statement.moduleSpecifier);
    if (typescript.isImportEqualsDeclaration(statement)) {
      const reference = statement.moduleReference;
      return typescript.isExternalModuleReference(reference) && isTfjs(reference.expression);
    }
    if (typescript.isVariableStatement(statement)) return statement.declarationList.declarations.some((declaration) => isRequire(declaration.initializer));
    return false;
  });
}
