/**
 * Findings per open document or notebook, computed once per version and settings generation and cached:
 * diagnostics, code actions and hovers all read this cache (vscode-eslint's CodeActions.record idea).
 * A notebook's code cells are analysed together as one program (see programMap.ts).
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileAnalysis } from '../core/analyze';
import type { Finding } from '../core/findings';
import type { InitLintConfig } from '../core/config';
import type { ExtractedFile } from '../core/ir';
import { ModelMemo } from '../core/modelMemo';
import type { LineIndex } from '../core/text';
import { parsePython } from '../frontends/python';
import { ExtractionCancelled } from '../frontends/budget';
import { oversizedExtraction } from '../project/analyzeSource';
import { analyzeWithin } from '../project/boundedAnalysis';
import type { RelatedFile } from '../project/analyzeProject';
import { withPlacedFindings } from '../project/crossFile';
import { ProjectConfigFinder } from '../project/configFiles';
import { projectExtraction, type ProjectRead } from './projectModules';
import { configForFile, type EditorSettings } from '../protocol/settings';
import { DocumentMap, NotebookMap, type ProgramMap } from './programMap';
import { PythonExtractor } from './pythonExtractor';
import { filePathOf } from './uris';

export interface DocumentAnalysis {
  /** The document's URI, or the notebook's. */
  uri: string;
  /** The document's version; for a notebook, its version and its cells' versions. */
  version: number | string;
  /** The analysed program text (for a notebook: its code cells joined, magics blanked). */
  text: string;
  /** Line index of `text` (program offsets ↔ program positions). */
  lines: LineIndex;
  /** Program offsets ↔ positions in the documents (cells) the program is made of. */
  map: ProgramMap;
  config: InitLintConfig;
  extracted: ExtractedFile;
  /** Undefined when InitLint is disabled for the document. */
  analysis?: FileAnalysis;
  /** Findings written in the project modules the document imports (each with `file`): published on those modules. */
  placed?: Finding[];
  /** Paths of the modules the document's analysis read: a change in one of them makes it stale. */
  reads?: string[];
  /** The texts of those modules as read (the offsets of `placed` count in them). */
  related?: RelatedFile[];
}

/** Findings placed in one module by the analyses that read it as `text`. */
export interface PlacedFindings {
  text: string;
  findings: Finding[];
}

/** A notebook's code cell as the server sees it. */
export interface NotebookCellText {
  uri: string;
  document: TextDocument;
}

/**
 * The interpreter's time per analysis (after the parse, which yields to requests between slices): what a
 * request may wait behind it. Hand-written model files take a few milliseconds.
 */
const READ_BUDGET_MS = 750;

/** An analysis running for one document version and settings generation. */
interface Running {
  version: number | string;
  generation: number;
  result: Promise<DocumentAnalysis>;
}

export class DocumentAnalyses {
  private readonly cache = new Map<string, DocumentAnalysis & { generation: number }>();
  /** Analyses running now, per URI: a hover during one waits for it instead of starting another. */
  private readonly running = new Map<string, Running>();
  /** Per document: its last parse and extraction, and its models' last analyses (what an edit may reuse). */
  private readonly incremental = new Map<string, { extractor: PythonExtractor; memo: ModelMemo }>();
  /** Per cell URI: whether its text, parsed alone, has a syntax error (a cell that would not run). */
  private readonly brokenCells = new Map<string, { text: string; broken: boolean }>();
  private readonly configFinder = new ProjectConfigFinder();
  private generation = 0;
  private readonly logged = new Set<string>();

  /** `openText`: an open document's text by file path (imported modules are read from it before the disk). */
  constructor(
    private readonly settingsFor: (uri: string) => Promise<EditorSettings>,
    private readonly log: (message: string) => void,
    private readonly openText: (path: string) => string | undefined = () => undefined,
  ) {}

  /** The analysis of the document as it is now (its text is read after settings arrive, never before). */
  get(document: TextDocument): Promise<DocumentAnalysis> {
    return this.cached(document.uri, document.version, () => new DocumentMap(document.uri, document.getText()));
  }

  /**
   * The analysis of a notebook's code cells (in notebook order) as one program. `cells()` is read after
   * settings arrive, so it sees the notebook as it is then.
   */
  getNotebook(uri: string, version: () => string, cells: () => NotebookCellText[]): Promise<DocumentAnalysis> {
    return this.cached(uri, version, () => this.notebookMap(cells()));
  }

  private async cached(uri: string, version: number | string | (() => string), map: () => ProgramMap): Promise<DocumentAnalysis> {
    const generation = this.generation;
    const current = () => (typeof version === 'function' ? version() : version);
    const fresh = () => {
      const entry = this.cache.get(uri);
      return entry && entry.version === current() && entry.generation === generation ? entry : undefined;
    };
    const cached = fresh();
    if (cached) return cached;
    const running = this.running.get(uri);
    if (running && running.version === current() && running.generation === generation) return running.result;
    const mark: Running = { version: current(), generation, result: Promise.resolve(undefined as never) };
    this.running.set(uri, mark);
    mark.result = this.analyze(uri, mark, map, current);
    try {
      return await mark.result;
    } finally {
      if (this.running.get(uri) === mark) this.running.delete(uri);
    }
  }

  /**
   * Throws `ExtractionCancelled` when a newer version (or a close, or new settings) supersedes it before it
   * is done: the parse yields between slices and looks then.
   */
  private async analyze(uri: string, mark: Running, map: () => ProgramMap, current: () => number | string): Promise<DocumentAnalysis> {
    const { version, generation } = mark;
    // A newer version, new settings, or the document closed (`forget` drops the mark).
    const superseded = () => this.running.get(uri) !== mark || current() !== version || this.generation !== generation;
    const settings = await this.settingsFor(uri);
    if (superseded()) throw new ExtractionCancelled();
    const program = map();
    const { text } = program;
    const { config, problems } = configForFile(filePathOf(uri), settings, this.configFinder);
    for (const problem of problems) this.logOnce(problem.message);
    const { extractor, memo } = this.incrementalFor(uri);
    const limits = { maxFileChars: settings.maxFileChars, maxFileSetting: 'raise the initlint.maxFileChars setting' };
    const oversized = oversizedExtraction(text, 'document.py', limits);
    // A notebook's cells import modules beside the notebook, as a .py document's do: its file path resolves them.
    const path = filePathOf(uri);
    const project: ProjectRead | undefined = oversized || !path ? undefined : projectExtraction(path, text, this.openText, { isCancelled: superseded, deadline: performance.now() + READ_BUDGET_MS });
    const extracted = oversized ?? project?.extracted ?? await extractor.extractInSlices(text, { isCancelled: superseded }, READ_BUDGET_MS);
    if (superseded()) throw new ExtractionCancelled();
    let analysis = settings.enable ? (project ? project.analyze(config) : analyzeWithin(text, extracted, config, undefined, memo)) : undefined;
    const placed = analysis && project ? project.placedElsewhere(analysis) : undefined;
    if (analysis && project) analysis = project.ownPart(analysis);
    for (const error of analysis?.internalErrors ?? []) this.log(`internal error in ${uri}: ${error}`);
    const lines = program instanceof DocumentMap ? program.lines : new DocumentMap(uri, text).lines;
    const entry = { uri, version, text, lines, map: program, config, extracted, analysis, generation, placed, reads: project?.reads, related: project?.related };
    this.cache.set(uri, entry);
    return entry;
  }

  /**
   * Jupyter runs each cell on its own: a cell with a syntax error does not run, and its unclosed bracket must
   * not swallow the cells after it. Such cells are left out (blanked) when their error would leak into the
   * program; when all of the joined program's syntax errors stay inside the broken cells, they are kept, so a
   * cell being typed in keeps its findings.
   */
  private notebookMap(cells: NotebookCellText[]): NotebookMap {
    const texts = cells.map((cell) => ({ uri: cell.uri, text: cell.document.getText() }));
    const broken = new Set(texts.filter((cell) => this.isBroken(cell.uri, cell.text)).map((cell) => cell.uri));
    const joined = new NotebookMap(texts);
    if (!broken.size) return joined;
    const leaks = treeErrors(joined.text).some((span) => !broken.has(joined.locate(span).uri));
    return leaks ? new NotebookMap(texts.map((cell) => ({ ...cell, blank: broken.has(cell.uri) }))) : joined;
  }

  private isBroken(uri: string, text: string): boolean {
    const known = this.brokenCells.get(uri);
    if (known?.text === text) return known.broken;
    const broken = treeErrors(text).length > 0;
    this.brokenCells.set(uri, { text, broken });
    return broken;
  }

  /** Config problems would otherwise repeat on every keystroke. */
  private logOnce(message: string): void {
    if (this.logged.has(message)) return;
    this.logged.add(message);
    this.log(message);
  }

  private incrementalFor(uri: string): { extractor: PythonExtractor; memo: ModelMemo } {
    let state = this.incremental.get(uri);
    if (!state) this.incremental.set(uri, (state = { extractor: new PythonExtractor(), memo: new ModelMemo() }));
    return state;
  }

  /** A closed document or notebook (or a notebook's removed cell): its texts, trees and analyses are let go. */
  forget(uri: string): void {
    this.cache.delete(uri);
    this.incremental.delete(uri);
    this.brokenCells.delete(uri);
    this.running.delete(uri);
  }

  /** How many documents anything is kept for (tests check that closing lets go). */
  get keptCount(): number {
    return new Set([...this.cache.keys(), ...this.incremental.keys(), ...this.brokenCells.keys(), ...this.running.keys()]).size;
  }

  /**
   * Findings other open documents' analyses placed in the file `path` (a module they import), grouped by the
   * module's text each analysis read, each finding once.
   */
  placedIn(path: string): PlacedFindings[] {
    const byText = new Map<string, Finding[]>();
    for (const entry of this.cache.values()) {
      const findings = (entry.placed ?? []).filter((finding) => finding.file === path);
      const text = entry.related?.find((module) => module.path === path)?.text;
      if (!findings.length || text === undefined) continue;
      byText.set(text, withPlacedFindings(byText.get(text) ?? [], findings));
    }
    return [...byText].map(([text, findings]) => ({ text, findings }));
  }

  /** The findings the document's last analysis placed in other files. */
  placedBy(uri: string): Finding[] {
    return this.cache.get(uri)?.placed ?? [];
  }

  /** The module `path` changed: the documents whose analysis read it are stale; their URIs. */
  dependantsOf(path: string): string[] {
    const stale: string[] = [];
    for (const [uri, entry] of this.cache) {
      if (!entry.reads?.includes(path)) continue;
      this.cache.delete(uri);
      stale.push(uri);
    }
    return stale;
  }

  /** Settings or config files changed: every cached analysis is stale. */
  invalidate(): void {
    this.generation++;
    this.configFinder.clear();
    this.logged.clear();
  }
}

function treeErrors(text: string): { start: number; end: number }[] {
  const errors: { start: number; end: number }[] = [];
  parsePython(text).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push({ start: node.from, end: node.to });
    },
  });
  return errors;
}
