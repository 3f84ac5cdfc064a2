/**
 * A minimal tsserver client for tests: forks the real tsserver with the freshly bundled plugin on its
 * probe path and speaks its JSON protocol (requests as JSON lines on stdin, Content-Length framed
 * responses and events on stdout).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { applyEdits, LineIndex } from '../../src/core/text';

const repositoryRoot = resolve(__dirname, '../..');
export const PLUGIN_NAME = 'initlint-tsserver-plugin';

/** Bundles src/tsPlugin the way scripts/build.mjs does, into `<probe>/node_modules/initlint-tsserver-plugin`. */
export async function bundlePlugin(): Promise<string> {
  const probe = mkdtempSync(join(tmpdir(), 'initlint-probe-'));
  const packageDirectory = join(probe, 'node_modules', PLUGIN_NAME);
  mkdirSync(packageDirectory, { recursive: true });
  writeFileSync(join(packageDirectory, 'package.json'), JSON.stringify({ name: PLUGIN_NAME, main: 'index.js' }));
  await build({
    entryPoints: [join(repositoryRoot, 'src/tsPlugin/index.ts')],
    outfile: join(packageDirectory, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['typescript', 'vscode'],
    logLevel: 'error',
  });
  return probe;
}

interface Response {
  seq: number;
  type: 'response' | 'event';
  request_seq?: number;
  command?: string;
  success?: boolean;
  message?: string;
  body?: unknown;
}

export interface Location {
  line: number;
  offset: number;
}

export interface CodeEdit {
  start: Location;
  end: Location;
  newText: string;
}

export interface FileCodeEdits {
  fileName: string;
  textChanges: CodeEdit[];
}

export class TsServer {
  private readonly process: ChildProcess;
  private buffer = Buffer.alloc(0);
  private seq = 0;
  private readonly waiting = new Map<number, (response: Response) => void>();
  exited = false;

  /** `probe` undefined: tsserver without the plugin; `logFile` undefined: no log. */
  constructor(probe: string | undefined, readonly logFile?: string, env: Record<string, string> = {}) {
    const tsserver = join(repositoryRoot, 'node_modules/typescript/lib/tsserver.js');
    const plugin = probe ? ['--globalPlugins', PLUGIN_NAME, '--pluginProbeLocations', probe] : [];
    const log = logFile ? ['--logFile', logFile, '--logVerbosity', 'verbose'] : [];
    this.process = spawn(
      process.execPath,
      [tsserver, ...plugin, ...log, '--disableAutomaticTypingAcquisition'],
      { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } },
    );
    this.process.stdout!.on('data', (chunk: Buffer) => this.receive(chunk));
    this.process.on('exit', () => (this.exited = true));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    while (true) {
      const header = /^Content-Length: (\d+)\r\n\r\n/.exec(this.buffer.subarray(0, 64).toString('latin1'));
      if (!header) return;
      const start = header[0].length;
      const length = Number(header[1]);
      if (this.buffer.length < start + length) return;
      const message = JSON.parse(this.buffer.subarray(start, start + length).toString('utf8')) as Response;
      this.buffer = this.buffer.subarray(start + length);
      if (message.type === 'response' && message.request_seq !== undefined) this.waiting.get(message.request_seq)?.(message);
    }
  }

  /** A request tsserver answers (rejects on `success: false`). */
  request<T>(command: string, args?: unknown): Promise<T> {
    const seq = ++this.seq;
    const answer = new Promise<T>((resolvePromise, reject) => {
      this.waiting.set(seq, (response) => {
        this.waiting.delete(seq);
        if (response.success) resolvePromise(response.body as T);
        else reject(new Error(`${command}: ${response.message}`));
      });
    });
    this.process.stdin!.write(`${JSON.stringify({ seq, type: 'request', command, arguments: args })}\n`);
    return answer;
  }

  /** A request tsserver does not answer (`open`, `close`, `updateOpen` without a response). */
  notify(command: string, args: unknown): void {
    this.process.stdin!.write(`${JSON.stringify({ seq: ++this.seq, type: 'request', command, arguments: args })}\n`);
  }

  open(file: string, fileContent: string): void {
    this.notify('open', { file, fileContent });
  }

  /** Applies edits as an editor would: last first, so earlier positions stay valid. */
  async applyEdits(changes: FileCodeEdits[]): Promise<void> {
    const changedFiles = changes.map((change) => ({
      fileName: change.fileName,
      textChanges: [...change.textChanges].sort((a, b) => b.start.line - a.start.line || b.start.offset - a.start.offset),
    }));
    await this.request('updateOpen', { changedFiles });
  }

  close(): void {
    this.process.stdin!.end();
    this.process.kill();
  }
}

/** A throwaway project: a tsconfig.json, an ambient `@tensorflow/tfjs` module, and the given files. */
export function writeProject(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'initlint-tsproject-'));
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, allowJs: true, target: 'es2022', module: 'commonjs', types: [] } }));
  writeFileSync(join(root, 'tfjs.d.ts'), "declare module '@tensorflow/tfjs';\n");
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

/** The text after applying tsserver edits (1-based line/offset) to `text`, to check what an editor would show. */
export function applyCodeEdits(text: string, edits: CodeEdit[]): string {
  const lines = new LineIndex(text);
  const offset = (location: Location) => lines.offsetAt({ line: location.line - 1, character: location.offset - 1 });
  return applyEdits(text, edits.map((edit) => ({ span: { start: offset(edit.start), end: offset(edit.end) }, newText: edit.newText }))).text;
}
