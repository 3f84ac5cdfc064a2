/**
 * The variance-check webview outside VS Code, as close to inside as a browser test gets: media/ served over
 * HTTP, the page built by panelHtml (so the real Content Security Policy applies), and a stand-in for
 * VS Code's `acquireVsCodeApi` that round-trips every message through JSON as VS Code's channel does.
 * What the page posts arrives here; what the host would post is sent with `post`.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Page } from 'playwright-core';
import { parsePanelMessage, type HostMessage, type PanelMessage } from '../../src/protocol/panel';
import { panelHtml } from '../../src/protocol/panelHtml';
import { REPO_ROOT } from '../e2e/harness/codeServer';

const MEDIA = join(REPO_ROOT, 'media');
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.map': 'application/json', '.svg': 'image/svg+xml',
};

/** Serves `/` (the panel page) and `/media/…`; remembers every path asked for. */
export class PanelServer {
  readonly requests: string[] = [];

  private constructor(private readonly server: Server, readonly origin: string) {}

  static async start(): Promise<PanelServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const instance = new PanelServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (request, response) => void instance.serve(request.url ?? '/', response));
    return instance;
  }

  private async serve(url: string, response: ServerResponse): Promise<void> {
    const path = decodeURIComponent(new URL(url, this.origin).pathname);
    this.requests.push(path);
    if (path === '/') {
      const media = `${this.origin}/media`;
      const html = panelHtml({
        scriptUri: `${media}/variancePanel.js`, styleUri: `${media}/variancePanel.css`, cspSource: this.origin,
        nonce: randomBytes(16).toString('base64'), wasmBaseUri: `${media}/wasm/`, title: 'Variance check (test)',
      });
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      return;
    }
    const file = normalize(join(MEDIA, path.replace(/^\/media\//, '')));
    if (!path.startsWith('/media/') || !file.startsWith(MEDIA)) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** What the page posted, each checked with the host's own parser. */
export interface PostedMessage {
  raw: unknown;
  parsed: ReturnType<typeof parsePanelMessage>;
}

export class PanelPage {
  readonly posted: PostedMessage[] = [];
  /** Console errors, page errors and CSP violations, in order. */
  readonly problems: string[] = [];
  private consumed = 0;

  private constructor(readonly page: Page) {}

  static async open(page: Page, server: PanelServer): Promise<PanelPage> {
    const panel = new PanelPage(page);
    page.on('console', (message) => {
      if (message.type() === 'error') panel.problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => panel.problems.push(`page error: ${error.message}`));
    await page.exposeBinding('__initlintPosted', (_source, json: string) => {
      const raw: unknown = JSON.parse(json);
      panel.posted.push({ raw, parsed: parsePanelMessage(raw) });
    });
    await page.exposeBinding('__initlintViolation', (_source, text: string) => panel.problems.push(`CSP violation: ${text}`));
    // Runs before the page's own script, outside its CSP (as VS Code's preload does).
    await page.addInitScript(`(() => {
      document.addEventListener('securitypolicyviolation', (event) =>
        window.__initlintViolation(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline') + ' at ' + event.sourceFile + ':' + event.lineNumber));
      let state = undefined;
      let acquired = false;
      window.acquireVsCodeApi = () => {
        if (acquired) throw new Error('acquireVsCodeApi called twice');
        acquired = true;
        return {
          postMessage: (message) => window.__initlintPosted(JSON.stringify(message)),
          getState: () => state,
          setState: (next) => { state = JSON.parse(JSON.stringify(next)); window.__initlintState = state; },
        };
      };
    })();`);
    await page.goto(`${server.origin}/`);
    return panel;
  }

  /** A host message, JSON round-tripped as VS Code's postMessage does (NaN and Infinity become null). */
  async post(message: HostMessage): Promise<void> {
    await this.page.evaluate(`window.postMessage(JSON.parse(${JSON.stringify(JSON.stringify(message))}), '*')`);
  }

  /** The next message of `type` posted after the last one taken; earlier ones of other types are skipped. */
  async next<T extends PanelMessage['type']>(type: T, timeoutMs = 60_000): Promise<Extract<PanelMessage, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (; this.consumed < this.posted.length; this.consumed++) {
        const { raw, parsed } = this.posted[this.consumed];
        if ((raw as { type?: unknown }).type !== type) continue;
        this.consumed++;
        if (!parsed.ok) throw new Error(`the page posted a ${type} the host would reject: ${parsed.reason}`);
        return parsed.value as Extract<PanelMessage, { type: T }>;
      }
      await this.page.waitForTimeout(50);
    }
    throw new Error(`no ${type} message within ${timeoutMs} ms; posted: ${this.posted.map((m) => (m.raw as { type: string }).type).join(', ')}; problems: ${this.problems.join(' | ')}`);
  }

  /** Every message posted so far that the host's parser refuses. */
  rejected(): string[] {
    return this.posted.filter((message) => !message.parsed.ok).map((message) => `${JSON.stringify(message.raw).slice(0, 200)}: ${(message.parsed as { reason: string }).reason}`);
  }

  async state(): Promise<unknown> {
    return this.page.evaluate('window.__initlintState');
  }

  async text(selector: string): Promise<string> {
    return (await this.page.locator(selector).innerText()).trim();
  }

  async isDisabled(selector: string): Promise<boolean> {
    return (await this.page.locator(selector).getAttribute('disabled')) !== null;
  }
}
