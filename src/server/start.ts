/**
 * InitLint's language server for Python (`initlint lsp --stdio`): diagnostics on open and (debounced)
 * change, quick fixes and fix-all, hovers with the numbers, settings from the client. Every handler is
 * guarded: a failure is logged to the client's console and answered with an empty result.
 */
import {
  CodeActionKind, createConnection, DidChangeConfigurationNotification, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type Connection, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions, FIX_ALL_KIND } from './codeActions';
import { toDiagnostic } from './convert';
import { DocumentAnalyses } from './documentAnalyses';
import { hoverAt } from './hover';
import { ServerSettings } from './settings';

/** Long enough to skip most keystrokes, short enough to feel immediate. */
const DEBOUNCE_MS = 150;

export function startLanguageServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const documents = new TextDocuments(TextDocument);
  const log = (message: string) => connection.console.log(`[initlint] ${message}`);
  const settings = new ServerSettings(connection, log);
  const analyses = new DocumentAnalyses((uri) => settings.forDocument(uri), log);
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  let canRegisterConfiguration = false;

  /** Runs a handler; any failure is logged and answered with `fallback`. */
  async function guarded<T>(what: string, fallback: T, handler: () => T | Promise<T>): Promise<T> {
    try {
      return await handler();
    } catch (error) {
      connection.console.error(`[initlint] ${what} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return fallback;
    }
  }

  const isPython = (document: TextDocument | undefined): document is TextDocument => document?.languageId === 'python';

  async function publishDiagnostics(uri: string): Promise<void> {
    pending.delete(uri);
    const document = documents.get(uri);
    if (!isPython(document)) return;
    await guarded(`diagnostics for ${uri}`, undefined, async () => {
      const result = await analyses.get(document);
      if (documents.get(uri) !== document) return; // closed meanwhile
      const diagnostics = (result.analysis?.findings ?? []).map((finding) => toDiagnostic(finding, result.lines));
      await connection.sendDiagnostics({ uri, version: result.version, diagnostics });
    });
  }

  function schedule(uri: string, delay: number): void {
    clearTimeout(pending.get(uri));
    pending.set(uri, setTimeout(() => void publishDiagnostics(uri), delay));
  }

  function revalidateAll(): void {
    analyses.invalidate();
    for (const document of documents.all()) if (isPython(document)) schedule(document.uri, 0);
  }

  connection.onInitialize((params) =>
    guarded<InitializeResult>('initialize', { capabilities: {} }, () => {
      settings.canPull = !!params.capabilities.workspace?.configuration;
      canRegisterConfiguration = !!params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
      settings.initialize(params.initializationOptions);
      return {
        capabilities: {
          textDocumentSync: TextDocumentSyncKind.Incremental,
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
    }),
  );

  connection.onDidChangeConfiguration((params) =>
    guarded('didChangeConfiguration', undefined, () => {
      settings.changed(params.settings);
      revalidateAll();
    }),
  );

  // Clients that watch pyproject.toml / package.json tell us when project configuration changes.
  connection.onDidChangeWatchedFiles(() => guarded('didChangeWatchedFiles', undefined, revalidateAll));

  documents.onDidOpen(({ document }) => schedule(document.uri, 0));
  documents.onDidChangeContent(({ document }) => schedule(document.uri, DEBOUNCE_MS));
  documents.onDidClose(({ document }) =>
    guarded('didClose', undefined, () => {
      clearTimeout(pending.get(document.uri));
      pending.delete(document.uri);
      analyses.forget(document.uri);
      settings.forget(document.uri);
      if (isPython(document)) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    }),
  );

  connection.onCodeAction((params) =>
    guarded('codeAction', [], async () => {
      const document = documents.get(params.textDocument.uri);
      return isPython(document) ? codeActions(params, await analyses.get(document)) : [];
    }),
  );

  connection.onHover((params) =>
    guarded('hover', null, async () => {
      const document = documents.get(params.textDocument.uri);
      return isPython(document) ? hoverAt(await analyses.get(document), params.position) : null;
    }),
  );

  documents.listen(connection);
  connection.listen();
  return connection;
}
