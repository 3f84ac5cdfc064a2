/**
 * The Python language server (dist/server.js, `--stdio`) through vscode-languageclient. Started on the first
 * Python document or Jupyter notebook rather than at activation, so a TypeScript-only workspace never spawns it.
 *
 * Notebooks: the server declares `notebookDocumentSync` for `jupyter-notebook` Python cells, which makes the
 * client sync whole notebooks (LSP 3.17 `notebookDocument/*`) instead of their cells as text documents; the
 * cell filter in the document selector below registers hover and code actions on those cells as well.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SHOW_RULE_DOCUMENTATION_COMMAND } from '../protocol/ruleDocumentation';
import { DOCUMENT_STATUS_REQUEST, type DocumentStatus } from '../protocol/documentStatus';
import { SETTINGS_SECTION } from '../protocol/settings';
import type { Logger } from './logger';
import { readSettings } from './settings';

/** The notebook type of `.ipynb` files in VS Code (built-in `ipynb` extension and the Jupyter extension alike). */
export const JUPYTER_NOTEBOOK = 'jupyter-notebook';

const PYTHON_DOCUMENTS = [
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
  // Python cells of Jupyter notebooks (LSP NotebookCellTextDocumentFilter; any scheme: saved or untitled notebooks).
  { notebook: { notebookType: JUPYTER_NOTEBOOK }, language: 'python' },
];

/** What the status item shows: not started yet (no Python open), starting, running, or failed with the reason. */
export type ServerState = { kind: 'notStarted' | 'starting' | 'running' } | { kind: 'failed'; reason: string };

export class PythonServer implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private currentState: ServerState = { kind: 'notStarted' };
  private readonly stateChanged = new vscode.EventEmitter<ServerState>();
  readonly onDidChangeState = this.stateChanged.event;

  constructor(private readonly extensionPath: string, private readonly logger: Logger) {}

  /** Starts now if a Python document or a Jupyter notebook is open, otherwise when the first one opens. */
  startWhenNeeded(): void {
    if (vscode.workspace.textDocuments.some(isPython) || vscode.workspace.notebookDocuments.some(isJupyter)) {
      void this.start();
      return;
    }
    const listeners: vscode.Disposable[] = [];
    const startOnce = () => {
      for (const listener of listeners) listener.dispose();
      void this.start();
    };
    listeners.push(
      vscode.workspace.onDidOpenTextDocument((document) => isPython(document) && startOnce()),
      // The client sends `notebookDocument/didOpen` for notebooks already open when it starts.
      vscode.workspace.onDidOpenNotebookDocument((notebook) => isJupyter(notebook) && startOnce()),
    );
    this.subscriptions.push(...listeners);
  }

  start(): Promise<LanguageClient> {
    if (!this.starting) {
      this.setState({ kind: 'starting' });
      this.starting = this.createAndStart().then((client) => {
        this.setState({ kind: 'running' });
        return client;
      }, (error: unknown) => {
        this.logger.error('could not start the InitLint language server', error);
        this.starting = undefined;
        this.setState({ kind: 'failed', reason: error instanceof Error ? error.message : String(error) });
        throw error;
      });
    }
    return this.starting;
  }

  get state(): ServerState {
    return this.currentState;
  }

  /** The models the server found in a Python document or notebook cell; undefined while it is not running. */
  async documentStatus(uri: vscode.Uri): Promise<DocumentStatus | undefined> {
    if (!this.client?.isRunning()) return undefined;
    return (await this.client.sendRequest<DocumentStatus | null>(DOCUMENT_STATUS_REQUEST, { uri: uri.toString() })) ?? undefined;
  }

  private setState(state: ServerState): void {
    this.currentState = state;
    this.stateChanged.fire(state);
  }

  async restart(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.starting = undefined;
    if (client) await client.stop().catch((error: unknown) => this.logger.error('stopping the language server failed', error));
    await this.start();
    this.logger.info('language server restarted');
  }

  get running(): boolean {
    return this.client?.isRunning() ?? false;
  }

  private async createAndStart(): Promise<LanguageClient> {
    // A plain require of the bundle next to dist/extension.js (esbuild leaves it alone): only Python documents
    // need the client library, so activation neither loads nor compiles it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { LanguageClient, State, TransportKind } = require(path.join(this.extensionPath, 'dist', 'languageClient.js')) as typeof import('./languageClientEntry');
    const serverModule = path.join(this.extensionPath, 'dist', 'server.js');
    if (!existsSync(serverModule)) throw new Error(`${serverModule} is missing (run \`npm run build\`)`);
    const client = new LanguageClient(
      'initlint',
      'InitLint Language Server',
      {
        run: { module: serverModule, transport: TransportKind.stdio },
        debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
      },
      {
        documentSelector: PYTHON_DOCUMENTS,
        // `workspace/didChangeConfiguration` on every `initlint.*` change; the server pulls the section.
        synchronize: { configurationSection: SETTINGS_SECTION },
        // Rule links as `command:` URIs (the bundled page in the Markdown preview); hovers may run that one command.
        initializationOptions: { [SETTINGS_SECTION]: readSettings(), ruleDocumentation: 'command' },
        markdown: { isTrusted: { enabledCommands: [SHOW_RULE_DOCUMENTATION_COMMAND] } },
        outputChannel: this.logger.channel,
        traceOutputChannel: this.logger.channel,
      },
    );
    const started = Date.now();
    await client.start();
    this.client = client;
    // A server that dies after starting (and that the client gives up restarting) is a failure too.
    this.subscriptions.push(client.onDidChangeState(({ newState }) => {
      if (this.client !== client) return;
      if (newState === State.Stopped) this.setState({ kind: 'failed', reason: 'the language server stopped; see the InitLint log' });
      else if (newState === State.Running) this.setState({ kind: 'running' });
    }));
    this.logger.info(`language server started in ${Date.now() - started} ms (${serverModule})`);
    return client;
  }

  async dispose(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    this.stateChanged.dispose();
    await this.client?.stop();
  }
}

function isJupyter(notebook: vscode.NotebookDocument): boolean {
  return notebook.notebookType === JUPYTER_NOTEBOOK;
}

function isPython(document: vscode.TextDocument): boolean {
  return document.languageId === 'python' && (document.uri.scheme === 'file' || document.uri.scheme === 'untitled');
}
