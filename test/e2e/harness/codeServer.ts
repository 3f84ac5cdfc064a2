/**
 * A throwaway code-server (recipe: ../shared/RECIPES.md): its own user-data, extensions and XDG folders,
 * started in its own process group so stopping it also stops its extension host. Shared by the e2e test,
 * the extension-host test runner and `npm run try`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
const CACHE = process.env.INITLINT_CACHE ?? join(REPO_ROOT, '.cache');
export const CODE_SERVER_BIN = join(CACHE, 'code-server', 'node_modules', '.bin', 'code-server');
export const CHROMIUM_BIN = process.env.INITLINT_CHROMIUM ?? '/usr/bin/chromium';

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'files.hotExit': 'off',
  'workbench.tips.enabled': false,
  'chat.commandCenter.enabled': false,
};

const SETUP_HINT = 'run `npm run setup:editor` first (tests install nothing)';

/**
 * Why the editor suites cannot run here, or undefined: code-server or Chromium is not installed. Tests never
 * install them; `npm run setup:editor` (scripts/setup-code-server.sh, which .ci/run calls) does.
 */
export function editorToolsMissing(): string | undefined {
  const missing = [
    ...(existsSync(CODE_SERVER_BIN) ? [] : [`code-server (${CODE_SERVER_BIN})`]),
    ...(existsSync(CHROMIUM_BIN) ? [] : [`Chromium (${CHROMIUM_BIN})`]),
  ];
  return missing.length ? `${missing.join(' and ')} not installed: ${SETUP_HINT}` : undefined;
}

/** Why the browser-only suites (the webview in Chromium) cannot run here, or undefined. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM_BIN) ? undefined : `Chromium (${CHROMIUM_BIN}) not installed: ${SETUP_HINT}`;
}

/**
 * Where a test file's screenshots go: $INITLINT_SCREENSHOTS when set (`npm run screenshots` picks the README's
 * from there), else a fresh temporary folder. Tests never write into the repository.
 */
export function screenshotsDir(): string {
  const dir = process.env.INITLINT_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'initlint-screenshots-'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The environment that keeps code-server's and Chromium's files out of $HOME. */
export function isolatedEnv(home: string): NodeJS.ProcessEnv {
  const dirs = { XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), XDG_CACHE_HOME: join(home, 'cache'), TMPDIR: join(home, 'tmp') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  return { ...process.env, ...dirs };
}

export interface CodeServerOptions {
  workspace: string;
  /** Installed before start (`--install-extension`). */
  vsix?: string;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  port?: number;
  /** Where code-server's output goes; default: <home>/code-server.log. */
  logFile?: string;
}

export class CodeServer {
  private constructor(
    readonly port: number,
    readonly home: string,
    readonly logFile: string,
    private readonly process: ChildProcess,
  ) {}

  static async start(options: CodeServerOptions): Promise<CodeServer> {
    const home = mkdtempSync(join(tmpdir(), 'initlint-code-server-'));
    const userData = join(home, 'user-data');
    const extensions = join(home, 'extensions');
    mkdirSync(join(userData, 'User'), { recursive: true });
    mkdirSync(extensions, { recursive: true });
    writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...options.settings }, null, 2));
    const env = { ...isolatedEnv(home), ...options.env };
    const dirs = ['--user-data-dir', userData, '--extensions-dir', extensions];
    if (options.vsix) {
      const install = spawnSync(CODE_SERVER_BIN, ['--install-extension', options.vsix, ...dirs], { env, encoding: 'utf8' });
      if (install.status !== 0) throw new Error(`code-server --install-extension failed: ${install.stdout}${install.stderr}`);
    }
    const port = options.port ?? (await freePort());
    const logFile = options.logFile ?? join(home, 'code-server.log');
    const log = openSync(logFile, 'a');
    const child = spawn(
      CODE_SERVER_BIN,
      ['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
        '--disable-getting-started-override', ...dirs, options.workspace],
      { env, detached: true, stdio: ['ignore', log, log] },
    );
    const server = new CodeServer(port, home, logFile, child);
    await server.waitHealthy();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A path on this machine as the workbench's remote file system names it. */
  remoteUri(path: string): string {
    return `vscode-remote://127.0.0.1:${this.port}${path}`;
  }

  /** The workbench on `folder`, with an optional development payload (extensionDevelopmentPath, extensionTestsPath). */
  workbenchUrl(folder: string, payload?: [string, string][]): string {
    const query = `folder=${encodeURIComponent(folder)}${payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
    return `${this.url}/?${query}`;
  }

  private async waitHealthy(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.process.exitCode !== null) throw new Error(`code-server exited with ${this.process.exitCode}; see ${this.logFile}`);
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`code-server not healthy after ${timeoutMs} ms; see ${this.logFile}`);
  }

  /** Stops the whole process group: killing only the main pid leaves the extension host running. */
  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.pid === undefined) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    try {
      process.kill(-this.process.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-this.process.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5_000);
    await exited;
    clearTimeout(timer);
  }
}
