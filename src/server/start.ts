/**
 * InitLint's language server for Python (`initlint lsp --stdio`): diagnostics on open and (debounced)
 * change, quick fixes and fix-all, hovers with the numbers, settings from the client. Jupyter notebooks
 * arrive through LSP 3.17 notebook sync: their Python code cells are analysed together as one program and
 * diagnostics, fixes and hovers live on the cells' own URIs. A finding written in a workspace module a document
 * imports is published on that module's URI, open or not. Every handler is guarded: a failure is logged to
 * the client's console and answered with an empty result.
 */
import {
  CancellationToken, CodeActionKind, createConnection, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, NotebookCellKind, NotebookDocuments, ProposedFeatures, TextDocuments,
  TextDocumentSyncKind, type Connection, type InitializeResult, type NotebookDocument,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions, FIX_ALL_KIND } from './codeActions';
import { diagnosticsByUri } from './convert';
import { DocumentAnalyses, type DocumentAnalysis, type NotebookCellText } from './documentAnalyses';
import { DOCUMENT_STATUS_REQUEST, type DocumentStatus, type DocumentStatusParams } from '../protocol/documentStatus';
import { ExtractionCancelled } from '../frontends/budget';
import { hoverAt } from './hover';
import { configureRuleLinks } from './ruleLinks';
import { ServerSettings } from './settings';
import { fileUriOf, filePathOf } from './uris';
import { DocumentMap } from './programMap';
import { findingKey, withPlacedFindings } from '../project/crossFile';

/** Long enough to skip most keystrokes, short enough to feel immediate. */
const DEBOUNCE_MS = 150;

export const NOTEBOOK_TYPE = 'jupyter-notebook';

export function startLanguageServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const documents = new TextDocuments(TextDocument);
  const notebooks = new NotebookDocuments(TextDocument);
  const log = (message: string) => connection.console.log(`[initlint] ${message}`);
  const settings = new ServerSettings(connection, log);
  const analyses = new DocumentAnalyses((uri) => settings.forDocument(uri), log, (path) => openPythonText(path));
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  /** Open notebooks → the cell URIs their diagnostics were last published on (to clear removed cells). */
  const openNotebooks = new Map<string, Set<string>>();
  let canRegisterConfiguration = false;
  let canWatchFiles = false;

  /** Runs a handler; any failure is logged and answered with `fallback` (an analysis superseded by a newer version is not a failure). */
  async function guarded<T>(what: string, fallback: T, handler: () => T | Promise<T>): Promise<T> {
    try {
      return await handler();
    } catch (error) {
      if (error instanceof ExtractionCancelled) return fallback;
      connection.console.error(`[initlint] ${what} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return fallback;
    }
  }

  const isPython = (document: TextDocument | undefined): document is TextDocument => document?.languageId === 'python';

  /** An open Python document's text by file path: imported modules are read as the editor shows them. */
  function openPythonText(path: string): string | undefined {
    for (const document of documents.all()) if (isPython(document) && filePathOf(document.uri) === path) return document.getText();
    return undefined;
  }

  /**
   * A document's analysis with the findings other open documents placed in it (it is a module they import and
   * the layer is written here), as read from the text it has now: published, fixed and hovered like its own.
   */
  function withPlaced(result: DocumentAnalysis): DocumentAnalysis {
    const path = filePathOf(result.uri);
    const placed = path && result.analysis ? analyses.placedIn(path).filter((part) => part.text === result.text) : [];
    if (!placed.length || !result.analysis) return result;
    const findings = withPlacedFindings(result.analysis.findings, placed.flatMap((part) => part.findings));
    return findings.length === result.analysis.findings.length ? result : { ...result, analysis: { ...result.analysis, findings } };
  }

  /** What each module was last published with from other documents: republished when that changes. */
  const placedPublished = new Map<string, string>();
  const placedSignature = (path: string) =>
    analyses.placedIn(path).map((part) => `${part.text.length}:${part.findings.map(findingKey).join('|')}`).sort().join('||');

  /**
   * Republishes the modules whose placed findings changed (after an analysis, or a close): an open one with its
   * own findings, a closed one with the placed findings alone (none: cleared). `files` are those the analysis
   * read or placed in now; the modules published before are looked at too, so findings no longer placed go.
   */
  function republishModulesOf(files: Iterable<string>): void {
    for (const path of new Set([...files, ...placedPublished.keys()])) {
      const signature = placedSignature(path);
      if ((placedPublished.get(path) ?? '') === signature) continue;
      if (signature) placedPublished.set(path, signature);
      else placedPublished.delete(path);
      const document = openDocumentAt(path);
      if (document) schedule(document.uri, 0);
      else void publishClosedModule(path);
    }
  }

  const openDocumentAt = (path: string) => documents.all().find((open) => filePathOf(open.uri) === path);

  /** A module no editor has open: the findings open documents placed in it, on its file URI (as Pylance does for workspace files). */
  async function publishClosedModule(path: string): Promise<void> {
    await guarded(`diagnostics for ${path}`, undefined, async () => {
      if (openDocumentAt(path)) return;
      const uri = fileUriOf(path);
      const diagnostics = analyses.placedIn(path).flatMap((part) => diagnosticsByUri(part.findings, new DocumentMap(uri, part.text)).get(uri) ?? []);
      await connection.sendDiagnostics({ uri, diagnostics });
    });
  }

  /** The notebook's Python code cells, in notebook order (markdown and other languages are not part of the program). */
  function codeCells(notebook: NotebookDocument): NotebookCellText[] {
    const cells: NotebookCellText[] = [];
    for (const cell of notebook.cells) {
      const document = notebooks.getCellTextDocument(cell);
      if (cell.kind === NotebookCellKind.Code && isPython(document)) cells.push({ uri: cell.document, document });
    }
    return cells;
  }

  /** The notebook's version and its code cells' (cell text edits bump both, but a cell's is what diagnostics carry). */
  const notebookVersion = (notebook: NotebookDocument) =>
    `${notebook.version}|${codeCells(notebook).map((cell) => `${cell.uri}@${cell.document.version}`).join('|')}`;

  function analyzeNotebook(notebook: NotebookDocument): Promise<DocumentAnalysis> {
    return analyses.getNotebook(notebook.uri, () => notebookVersion(notebook), () => codeCells(notebook));
  }

  /** The notebook a cell URI belongs to now (the library keeps removed cells in its lookup table). */
  function notebookOfCell(uri: string): NotebookDocument | undefined {
    const notebook = notebooks.findNotebookDocumentForCell(uri);
    return notebook && notebooks.getNotebookDocument(notebook.uri) === notebook && notebook.cells.some((cell) => cell.document === uri) ? notebook : undefined;
  }

  /** The analysis a request on `uri` reads: the document's own, or its notebook's when `uri` is a Python cell. */
  async function analysisFor(uri: string): Promise<DocumentAnalysis | undefined> {
    const notebook = notebookOfCell(uri);
    if (notebook) return isPython(notebooks.cellTextDocuments.get(uri)) ? analyzeNotebook(notebook) : undefined;
    const document = documents.get(uri);
    return isPython(document) ? withPlaced(await analyses.get(document)) : undefined;
  }

  async function publishDiagnostics(uri: string): Promise<void> {
    pending.delete(uri);
    if (openNotebooks.has(uri)) return publishNotebookDiagnostics(uri);
    const document = documents.get(uri);
    // A client that also syncs a notebook's cells as text documents: the notebook's analysis speaks for them.
    if (!isPython(document) || notebookOfCell(uri)) return;
    await guarded(`diagnostics for ${uri}`, undefined, async () => {
      const result = withPlaced(await analyses.get(document));
      if (documents.get(uri) !== document) return; // closed meanwhile
      const diagnostics = diagnosticsByUri(result.analysis?.findings ?? [], result.map).get(uri) ?? [];
      await connection.sendDiagnostics({ uri, version: document.version, diagnostics });
      const own = await analyses.get(document);
      republishModulesOf([...(own.placed ?? []).map((finding) => finding.file!), ...(own.reads ?? [])]);
    });
  }

  async function publishNotebookDiagnostics(uri: string): Promise<void> {
    const notebook = notebooks.getNotebookDocument(uri);
    if (!notebook) return;
    await guarded(`diagnostics for ${uri}`, undefined, async () => {
      const result = await analyzeNotebook(notebook);
      const published = openNotebooks.get(uri);
      // Closed meanwhile, or changed: the change scheduled a newer publication.
      if (!published || notebooks.getNotebookDocument(uri) !== notebook || result.version !== notebookVersion(notebook)) return;
      const byCell = diagnosticsByUri(result.analysis?.findings ?? [], result.map);
      const versions = new Map(codeCells(notebook).map((cell) => [cell.uri, cell.document.version]));
      const sends: Promise<void>[] = [];
      for (const stale of published) {
        if (!byCell.has(stale)) sends.push(connection.sendDiagnostics({ uri: stale, diagnostics: [] }));
      }
      published.clear();
      for (const [cellUri, diagnostics] of byCell) {
        published.add(cellUri);
        sends.push(connection.sendDiagnostics({ uri: cellUri, version: versions.get(cellUri), diagnostics }));
      }
      await Promise.all(sends);
      // Findings of layers written in the modules the cells import are published on those modules, as for a .py document.
      republishModulesOf([...(result.placed ?? []).map((finding) => finding.file!), ...(result.reads ?? [])]);
    });
  }

  function schedule(uri: string, delay: number): void {
    clearTimeout(pending.get(uri));
    pending.set(uri, setTimeout(() => void publishDiagnostics(uri), delay));
  }

  function cancel(uri: string): void {
    clearTimeout(pending.get(uri));
    pending.delete(uri);
  }

  function revalidateAll(): void {
    analyses.invalidate();
    for (const document of documents.all()) if (isPython(document)) schedule(document.uri, 0);
    for (const uri of openNotebooks.keys()) schedule(uri, 0);
  }

  connection.onInitialize((params) =>
    guarded<InitializeResult>('initialize', { capabilities: {} }, () => {
      settings.canPull = !!params.capabilities.workspace?.configuration;
      canRegisterConfiguration = !!params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
      canWatchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
      settings.initialize(params.initializationOptions);
      configureRuleLinks(params.initializationOptions);
      return {
        capabilities: {
          textDocumentSync: TextDocumentSyncKind.Incremental,
          notebookDocumentSync: { notebookSelector: [{ notebook: { notebookType: NOTEBOOK_TYPE }, cells: [{ language: 'python' }] }] },
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
          hoverProvider: true,
        },
        serverInfo: { name: 'initlint' },
      };
    }),
  );

  connection.onInitialized(() =>
    guarded('initialized', undefined, async () => {
      if (canRegisterConfiguration) await connection.client.register(DidChangeConfigurationNotification.type, { section: 'initlint' });
      // Modules imported by open documents change on disk too (a pull, another editor, a formatter).
      if (canWatchFiles) await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.py' }] });
    }),
  );

  connection.onDidChangeConfiguration((params) =>
    guarded('didChangeConfiguration', undefined, () => {
      settings.changed(params.settings);
      revalidateAll();
    }),
  );

  // A Python module changed on disk (no editor has it open): the documents that read it are read again. Any
  // other watched file (pyproject.toml, package.json) may change the configuration of every document.
  connection.onDidChangeWatchedFiles((params) =>
    guarded('didChangeWatchedFiles', undefined, () => {
      const modules = params.changes.map((change) => filePathOf(change.uri));
      if (!modules.every((path) => path?.endsWith('.py'))) return revalidateAll();
      for (const path of modules) {
        if (openDocumentAt(path!)) continue;
        for (const dependant of analyses.dependantsOf(path!)) schedule(dependant, DEBOUNCE_MS);
      }
    }),
  );

  documents.onDidOpen(({ document }) => schedule(document.uri, 0));
  documents.onDidChangeContent(({ document }) => {
    schedule(document.uri, DEBOUNCE_MS);
    // Documents that import this module read it again (`from blocks import conv_block`).
    const path = filePathOf(document.uri);
    if (path) for (const dependant of analyses.dependantsOf(path)) schedule(dependant, DEBOUNCE_MS);
  });
  documents.onDidClose(({ document }) =>
    guarded('didClose', undefined, () => {
      cancel(document.uri);
      const placed = analyses.placedBy(document.uri);
      analyses.forget(document.uri);
      republishModulesOf(placed.map((finding) => finding.file!));
      settings.forget(document.uri);
      // A module other open documents place findings in keeps them once closed; any other file is cleared.
      const path = filePathOf(document.uri);
      if (path && analyses.placedIn(path).length) void publishClosedModule(path);
      else if (isPython(document)) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    }),
  );

  notebooks.onDidOpen((notebook) =>
    guarded('notebookDocument/didOpen', undefined, () => {
      openNotebooks.set(notebook.uri, new Set());
      schedule(notebook.uri, 0);
    }),
  );
  notebooks.onDidChange(({ notebookDocument, cells }) =>
    guarded('notebookDocument/didChange', undefined, () => {
      for (const removed of cells?.removed ?? []) if (removed) analyses.forget(removed.document);
      // Text edits are debounced; structure changes (cells added, removed, moved) publish at once.
      const structural = !!cells && (cells.added.length > 0 || cells.removed.length > 0 || cells.changed.data.length > 0);
      schedule(notebookDocument.uri, structural || !cells ? 0 : DEBOUNCE_MS);
    }),
  );
  notebooks.onDidClose((notebook) =>
    guarded('notebookDocument/didClose', undefined, () => {
      cancel(notebook.uri);
      const published = openNotebooks.get(notebook.uri) ?? new Set<string>();
      for (const cell of notebook.cells) published.add(cell.document);
      openNotebooks.delete(notebook.uri);
      const placed = analyses.placedBy(notebook.uri);
      analyses.forget(notebook.uri);
      republishModulesOf(placed.map((finding) => finding.file!));
      settings.forget(notebook.uri);
      for (const cell of notebook.cells) analyses.forget(cell.document);
      for (const uri of published) void connection.sendDiagnostics({ uri, diagnostics: [] });
    }),
  );

  connection.onCodeAction((params, token) =>
    guarded('codeAction', [], async () => {
      const analysis = await untilCancelled(analysisFor(params.textDocument.uri), token);
      return analysis ? codeActions(params, analysis) : [];
    }),
  );

  connection.onHover((params, token) =>
    guarded('hover', null, async () => {
      const analysis = await untilCancelled(analysisFor(params.textDocument.uri), token);
      return analysis ? hoverAt(analysis, params.textDocument.uri, params.position) : null;
    }),
  );

  // The editor's status item: the models the analysis found in the document (or the notebook of a cell).
  connection.onRequest(DOCUMENT_STATUS_REQUEST, (params: DocumentStatusParams) =>
    guarded(DOCUMENT_STATUS_REQUEST, null, async (): Promise<DocumentStatus | null> => {
      const analysis = typeof params?.uri === 'string' ? await analysisFor(params.uri) : undefined;
      if (!analysis) return null;
      return { models: (analysis.analysis?.models ?? []).map(({ model }) => ({ name: model.name, layers: model.layers.length })), findings: analysis.analysis?.findings.length ?? 0 };
    }),
  );

  documents.listen(connection);
  notebooks.listen(connection);
  connection.listen();
  return connection;
}

/**
 * `$/cancelRequest`: a request waiting for an analysis (a hover while a huge document is read) answers
 * nothing at once; the analysis itself goes on for the requests that still want it.
 */
function untilCancelled<T>(work: Promise<T>, token: CancellationToken): Promise<T | undefined> {
  if (token.isCancellationRequested) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const listener = token.onCancellationRequested(() => resolve(undefined));
    work.then(resolve, reject).finally(() => listener.dispose());
  });
}
