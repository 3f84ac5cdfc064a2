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
import { extractTypeScript } from '../frontends/typescript';
import { moduleName } from '../frontends/typescript/imports';
import { ProjectConfigFinder } from '../project/configFiles';
import { applyInPasses } from '../project/fixLoop';
import { configForFile } from '../protocol/settings';
import type { PluginSettings } from './settings';

export interface FileFindings {
  findings: Finding[];
  text: string;
  lines: LineIndex;
  /** The whole analysis (models, moments, chains): what quick info and the editor's requests read. */
  analysis: FileAnalysis;
  config: InitLintConfig;
}

interface CacheEntry {
  version: string;
  generation: number;
  result: FileFindings | undefined;
}

const ANALYSED_EXTENSION = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const TFJS_MODULE = '@tensorflow/tfjs';
/** Test-only: with INITLINT_FAULT_INJECTION=1, files containing this marker make the plugin throw. */
const FAULT_MARKER = 'initlint-fault-injection';

export class FileAnalyses {
  private readonly cache = new Map<string, CacheEntry>();
  /** File name → length of the text whose analysis blew the time budget. */
  private readonly tooSlow = new Map<string, number>();
  private readonly configFinder = new ProjectConfigFinder();
  /** File name → why its last analysis was skipped (what the editor's status item says). */
  private readonly skipped = new Map<string, string>();

  constructor(
    private readonly typescript: typeof ts,
    private readonly info: ts.server.PluginCreateInfo,
    private readonly settings: PluginSettings,
    private readonly log: (message: string) => void,
  ) {}

  /** Undefined when the file is not ours to analyse (not tfjs, disabled, over budget). */
  forFile(fileName: string): FileFindings | undefined {
    const version = this.info.languageServiceHost.getScriptVersion(fileName);
    const cached = this.cache.get(fileName);
    if (cached && cached.version === version && cached.generation === this.settings.generation) return cached.result;
    const result = this.analyze(fileName);
    this.cache.set(fileName, { version, generation: this.settings.generation, result });
    return result;
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
    if (text.length > budget.maxFileChars) {
      this.log(`skipped ${fileName}: ${text.length} characters is over the ${budget.maxFileChars} budget`);
      return skip(`${text.length} characters is over the ${budget.maxFileChars} budget`);
    }
    const slowLength = this.tooSlow.get(fileName);
    if (slowLength !== undefined && text.length >= slowLength) return skip('its analysis took longer than the time budget');
    if (process.env.INITLINT_FAULT_INJECTION === '1' && text.includes(FAULT_MARKER)) throw new Error('injected fault (INITLINT_FAULT_INJECTION)');

    const started = performance.now();
    const { config, problems } = configForFile(fileName, settings, this.configFinder);
    for (const problem of problems) this.log(problem.message);
    const extracted = extractTypeScript(this.typescript, sourceFile);
    const analysis = analyzeExtracted(text, extracted, config);
    for (const error of analysis.internalErrors) this.log(`internal error in ${fileName}: ${error}`);
    const elapsed = performance.now() - started;
    if (elapsed > budget.maxMillis) {
      this.tooSlow.set(fileName, text.length);
      this.log(`${fileName} took ${elapsed.toFixed(0)} ms (budget ${budget.maxMillis} ms): skipped until it gets shorter`);
    } else {
      this.tooSlow.delete(fileName);
    }
    return { findings: analysis.findings, text, lines: new LineIndex(text), analysis, config };
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
    this.tooSlow.clear();
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
