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

export class PythonServer implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

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
    this.starting ??= this.createAndStart().catch((error: unknown) => {
      this.logger.error('could not start the InitLint language server', error);
      this.starting = undefined;
      throw error;
    });
    return this.starting;
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
    const { LanguageClient, TransportKind } = require(path.join(this.extensionPath, 'dist', 'languageClient.js')) as typeof import('./languageClientEntry');
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
        initializationOptions: { [SETTINGS_SECTION]: readSettings() },
        outputChannel: this.logger.channel,
        traceOutputChannel: this.logger.channel,
      },
    );
    const started = Date.now();
    await client.start();
    this.client = client;
    this.logger.info(`language server started in ${Date.now() - started} ms (${serverModule})`);
    return client;
  }

  async dispose(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    await this.client?.stop();
  }
}

function isJupyter(notebook: vscode.NotebookDocument): boolean {
  return notebook.notebookType === JUPYTER_NOTEBOOK;
}

function isPython(document: vscode.TextDocument): boolean {
  return document.languageId === 'python' && (document.uri.scheme === 'file' || document.uri.scheme === 'untitled');
}
