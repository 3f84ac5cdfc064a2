/**
 * Findings per open document, computed once per document version and settings generation and cached:
 * diagnostics, code actions and hovers all read this cache (vscode-eslint's CodeActions.record idea).
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeExtracted, type FileAnalysis } from '../core/analyze';
import type { InitLintConfig } from '../core/config';
import type { ExtractedFile } from '../core/ir';
import { LineIndex } from '../core/text';
import { ProjectConfigFinder } from '../project/configFiles';
import { configForFile, type EditorSettings } from '../protocol/settings';
import { PythonExtractor } from './pythonExtractor';
import { filePathOf } from './uris';

export interface DocumentAnalysis {
  uri: string;
  version: number;
  text: string;
  lines: LineIndex;
  config: InitLintConfig;
  extracted: ExtractedFile;
  /** Undefined when InitLint is disabled for the document. */
  analysis?: FileAnalysis;
}

export class DocumentAnalyses {
  private readonly cache = new Map<string, DocumentAnalysis & { generation: number }>();
  private readonly extractors = new Map<string, PythonExtractor>();
  private readonly configFinder = new ProjectConfigFinder();
  private generation = 0;
  private readonly logged = new Set<string>();

  constructor(
    private readonly settingsFor: (uri: string) => Promise<EditorSettings>,
    private readonly log: (message: string) => void,
  ) {}

  /** The analysis of the document as it is now (its text is read after settings arrive, never before). */
  async get(document: TextDocument): Promise<DocumentAnalysis> {
    const generation = this.generation;
    const cached = this.cache.get(document.uri);
    if (cached && cached.version === document.version && cached.generation === generation) return cached;
    const settings = await this.settingsFor(document.uri);
    const again = this.cache.get(document.uri);
    if (again && again.version === document.version && again.generation === generation) return again;

    const text = document.getText();
    const { config, problems } = configForFile(filePathOf(document.uri), settings, this.configFinder);
    for (const problem of problems) this.logOnce(problem.message);
    const extracted = this.extractorFor(document.uri).extract(text);
    const analysis = settings.enable ? analyzeExtracted(text, extracted, config) : undefined;
    for (const error of analysis?.internalErrors ?? []) this.log(`internal error in ${document.uri}: ${error}`);
    const entry = { uri: document.uri, version: document.version, text, lines: new LineIndex(text), config, extracted, analysis, generation };
    this.cache.set(document.uri, entry);
    return entry;
  }

  /** Config problems would otherwise repeat on every keystroke. */
  private logOnce(message: string): void {
    if (this.logged.has(message)) return;
    this.logged.add(message);
    this.log(message);
  }

  private extractorFor(uri: string): PythonExtractor {
    let extractor = this.extractors.get(uri);
    if (!extractor) this.extractors.set(uri, (extractor = new PythonExtractor()));
    return extractor;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
    this.extractors.delete(uri);
  }

  /** Settings or config files changed: every cached analysis is stale. */
  invalidate(): void {
    this.generation++;
    this.configFinder.clear();
    this.logged.clear();
  }
}
