/**
 * Rule links in diagnostics (`codeDescription.href`) and hovers open the documentation bundled with InitLint:
 * `command:` links for VS Code's extension, the package's own docs/rules page (file:) for other clients, and
 * the public URL only where the server runs without its docs beside it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { docsUrl } from '../../src/core/findings';
import { ruleDocumentationCommandUri } from '../../src/protocol/ruleDocumentation';
import { bundleServer, fileUri, LspClient } from './lspClient';

const DEEP_RELU = `import keras
from keras import layers

model = keras.Sequential(name="deep_mlp")
model.add(keras.Input(shape=(256,)))
for _ in range(20):
    model.add(layers.Dense(256, activation="relu"))
model.add(layers.Dense(10))
`;

/** The rule link of the file's finding and the link its hover shows for it. */
async function links(serverPath: string, initializationOptions?: unknown): Promise<{ href: string; hover: string }> {
  const client = new LspClient(serverPath);
  try {
    await client.initialize(initializationOptions);
    const uri = fileUri(mkdtempSync(join(tmpdir(), 'initlint-lsp-links-')), 'deep.py');
    await client.open(uri, DEEP_RELU);
    const [finding] = (await client.diagnostics(uri)).diagnostics;
    assert.equal(finding.code, 'relu-glorot-deep');
    const character = DEEP_RELU.split('\n')[6].indexOf('layers.Dense') + 8;
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 6, character } });
    return { href: finding.codeDescription!.href, hover: (hover!.contents as MarkupContent).value };
  } finally {
    client.dispose();
  }
}

/** The server bundled as in the npm package and the .vsix: dist/server.js with docs/rules/ next to dist/. */
async function packagedServer(): Promise<{ server: string; docs: string }> {
  const root = mkdtempSync(join(tmpdir(), 'initlint-package-'));
  mkdirSync(join(root, 'dist'));
  const docs = join(root, 'docs', 'rules');
  cpSync(resolve(__dirname, '..', '..', 'docs', 'rules'), docs, { recursive: true });
  return { server: await bundleServer(join(root, 'dist', 'server.js')), docs };
}

test('VS Code (ruleDocumentation: "command") gets links that run "Show Rule Documentation" on the rule', async () => {
  const { server } = await packagedServer();
  const { href, hover } = await links(server, { ruleDocumentation: 'command' });
  assert.equal(href, ruleDocumentationCommandUri('relu-glorot-deep'));
  assert.equal(decodeURIComponent(href), 'command:initlint.showRuleDocumentation?["relu-glorot-deep"]');
  assert.ok(hover.includes(`[\`relu-glorot-deep\`](${href})`), hover);
});

test('other editors get the page shipped in the package, as a file link that exists', async () => {
  const { server, docs } = await packagedServer();
  const { href, hover } = await links(server);
  assert.match(href, /^file:\/\//);
  assert.equal(fileURLToPath(href), join(docs, 'relu-glorot-deep.md'));
  assert.ok(existsSync(fileURLToPath(href)));
  assert.ok(hover.includes(`(${href})`), hover);
});

test('a server without its docs beside it falls back to the public page', async () => {
  const { href } = await links(await bundleServer());
  assert.equal(href, docsUrl('relu-glorot-deep'));
});
