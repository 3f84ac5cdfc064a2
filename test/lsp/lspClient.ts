/**
 * A real LSP client for tests: bundles the server like scripts/build.mjs does, starts it over stdio and
 * talks to it through vscode-languageserver-protocol's connection. It answers `workspace/configuration`
 * from `settings`, like VS Code does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import {
  ConfigurationRequest, createProtocolConnection, DidChangeConfigurationNotification, DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification, InitializedNotification, InitializeRequest, PublishDiagnosticsNotification,
  RegistrationRequest, StreamMessageReader, StreamMessageWriter, type ProtocolConnection, type PublishDiagnosticsParams, type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { applyEdits, LineIndex } from '../../src/core/text';

const repositoryRoot = resolve(__dirname, '../..');

/** `outfile`: where the bundle goes (default: a fresh temporary folder). */
export async function bundleServer(outfile = join(mkdtempSync(join(tmpdir(), 'initlint-server-')), 'server.js')): Promise<string> {
  await build({
    entryPoints: [join(repositoryRoot, 'src/server/main.ts')],
    outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'], logLevel: 'error',
  });
  return outfile;
}

export class LspClient {
  readonly connection: ProtocolConnection;
  private readonly child: ChildProcess;
  /** What `workspace/configuration` answers for the `initlint` section. */
  settings: Record<string, unknown> = {};
  readonly published: PublishDiagnosticsParams[] = [];
  private readonly listeners: (() => void)[] = [];
  readonly logs: string[] = [];
  private readonly versions = new Map<string, number>();
  readonly texts = new Map<string, string>();

  constructor(serverPath: string) {
    this.child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      for (const listener of this.listeners.splice(0)) listener();
    });
    this.connection.onNotification('window/logMessage', (params: { message: string }) => this.logs.push(params.message));
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => this.settings));
    this.connection.onRequest(RegistrationRequest.type, () => undefined);
    this.connection.listen();
  }

  async initialize(initializationOptions?: unknown): Promise<void> {
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      initializationOptions,
      rootUri: null,
      workspaceFolders: null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { versionSupport: true }, codeAction: { isPreferredSupport: true } },
      },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  /** Diagnostics published for `uri` at its current version, after the `after`-th publication (waits for them). */
  async diagnostics(uri: string, after = 0): Promise<PublishDiagnosticsParams> {
    const version = this.versions.get(uri);
    while (true) {
      const found = this.published.slice(after).reverse().find((params) => params.uri === uri && params.version === version);
      if (found) return found;
      await new Promise<void>((resolvePromise) => this.listeners.push(resolvePromise));
    }
  }

  /** The latest publication after the `after`-th that `accept`s (waits until there is one). */
  async publication(accept: (params: PublishDiagnosticsParams) => boolean, after = 0): Promise<PublishDiagnosticsParams> {
    while (true) {
      const found = this.published.slice(after).reverse().find(accept);
      if (found) return found;
      await new Promise<void>((resolvePromise) => this.listeners.push(resolvePromise));
    }
  }

  async open(uri: string, text: string, languageId = 'python'): Promise<void> {
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  async change(uri: string, text: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Applies LSP edits to our copy of the document and sends the result, as an editor would. */
  async applyEdits(uri: string, edits: TextEdit[]): Promise<string> {
    const text = this.texts.get(uri)!;
    const lines = new LineIndex(text);
    const next = applyEdits(text, edits.map((edit) => ({ span: { start: lines.offsetAt(edit.range.start), end: lines.offsetAt(edit.range.end) }, newText: edit.newText }))).text;
    await this.change(uri, next);
    return next;
  }

  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  get alive(): boolean {
    return this.child.exitCode === null;
  }

  dispose(): void {
    this.connection.dispose();
    this.child.kill();
  }
}

export function fileUri(directory: string, name: string): string {
  return pathToFileURL(join(directory, name)).href;
}
