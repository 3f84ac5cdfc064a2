/**
 * The Python language server (dist/server.js, `--stdio`) through vscode-languageclient. Started on the first
 * Python document rather than at activation, so a TypeScript-only workspace never spawns it.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SETTINGS_SECTION } from '../protocol/settings';
import type { Logger } from './logger';
import { readSettings } from './settings';

const PYTHON_DOCUMENTS = [
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
];

export class PythonServer implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly extensionPath: string, private readonly logger: Logger) {}

  /** Starts now if a Python document is open, otherwise when the first one opens. */
  startWhenNeeded(): void {
    if (vscode.workspace.textDocuments.some(isPython)) {
      void this.start();
      return;
    }
    const listener = vscode.workspace.onDidOpenTextDocument((document) => {
      if (!isPython(document)) return;
      listener.dispose();
      void this.start();
    });
    this.subscriptions.push(listener);
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
    // Required here, not imported at the top: only Python documents need the client library, and esbuild
    // evaluates a bundled module at its first require.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { LanguageClient, TransportKind } = require('vscode-languageclient/node') as typeof import('vscode-languageclient/node');
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

function isPython(document: vscode.TextDocument): boolean {
  return document.languageId === 'python' && (document.uri.scheme === 'file' || document.uri.scheme === 'untitled');
}
