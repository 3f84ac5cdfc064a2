/**
 * The language server stays responsive while a huge document is analysed: the parse yields between slices,
 * so a hover is answered meanwhile; a newer version supersedes an analysis still running; `$/cancelRequest`
 * answers a waiting request at once; a document over the size cap is not analysed and says so.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancellationTokenSource, HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { kerasControl, kerasHugeFile } from '../robustness/generators';
import { bundleServer, fileUri, LspClient } from './lspClient';

const DEEP_RELU = `import keras
from keras import layers

model = keras.Sequential(name="deep_mlp")
model.add(keras.Input(shape=(256,)))
for _ in range(20):
    model.add(layers.Dense(256, activation="relu"))
model.add(layers.Dense(10))
`;

/** Under the 2 MiB cap, and seconds of work: a parse of ~350,000 statements, then the interpreter's budget. */
const HUGE = kerasHugeFile(1.9 * 1024 * 1024);

describe('language server budgets', () => {
  let client: LspClient;
  let directory: string;
  const uri = (name: string) => fileUri(directory, name);
  const hoverRelu = () => {
    const character = DEEP_RELU.split('\n')[6].indexOf('"relu"') + 2;
    return client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri('small.py') }, position: { line: 6, character } });
  };

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'initlint-lsp-budgets-'));
    client = new LspClient(await bundleServer());
    await client.initialize();
    await client.open(uri('small.py'), DEEP_RELU);
    await client.diagnostics(uri('small.py'));
  });

  after(() => client?.dispose());

  test('a hover is answered while a huge document is being analysed', { timeout: 120_000 }, async () => {
    const mark = client.published.length;
    const opened = performance.now();
    await client.open(uri('huge.py'), HUGE);
    let hugeDone = Infinity;
    const huge = client.diagnostics(uri('huge.py'), mark).then((params) => {
      hugeDone = performance.now();
      return params;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const asked = performance.now();
    const hover = await hoverRelu();
    const answered = performance.now();
    assert.match((hover!.contents as MarkupContent).value, /glorot_uniform/);
    const published = await huge;
    assert.ok(answered < hugeDone, `the hover (${(answered - asked).toFixed(0)} ms) waited for the huge analysis (${(hugeDone - opened).toFixed(0)} ms)`);
    // The huge document's own control finding is still reported.
    assert.ok(published.diagnostics.some((diagnostic) => diagnostic.code === 'symmetric-init'));
  });

  test('a newer version supersedes the analysis still running: only the new version is published', { timeout: 120_000 }, async () => {
    const mark = client.published.length;
    await client.open(uri('edited.py'), HUGE);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await client.change(uri('edited.py'), kerasControl());
    const published = await client.diagnostics(uri('edited.py'), mark);
    assert.equal(published.version, 2);
    assert.deepEqual(client.published.slice(mark).filter((params) => params.uri === uri('edited.py') && params.version === 1), []);
    assert.deepEqual(published.diagnostics.map((diagnostic) => diagnostic.code), ['symmetric-init']);
  });

  test('$/cancelRequest answers a hover waiting for a huge analysis at once', { timeout: 120_000 }, async () => {
    const mark = client.published.length;
    await client.open(uri('cancelled.py'), HUGE);
    const source = new CancellationTokenSource();
    const asked = performance.now();
    const hover = client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri('cancelled.py') }, position: { line: 0, character: 1 } }, source.token)
      .then((result) => ({ result }), (error: unknown) => ({ error }));
    setTimeout(() => source.cancel(), 100);
    const answer = await hover;
    const answered = performance.now();
    const published = performance.now();
    await client.diagnostics(uri('cancelled.py'), mark);
    const done = performance.now();
    // Answered (null, or the RequestCancelled error) long before the analysis it was waiting for ended.
    assert.ok('error' in answer || answer.result === null, JSON.stringify(answer));
    assert.ok(answered - asked < done - asked, `cancelled hover: ${(answered - asked).toFixed(0)} ms, analysis: ${(done - asked).toFixed(0)} ms`);
    assert.ok(published <= done);
  });

  test('a document over the size cap is not analysed and says so; initlint.maxFileChars raises the cap', { timeout: 120_000 }, async () => {
    const text = kerasHugeFile(2.5 * 1024 * 1024);
    const mark = client.published.length;
    await client.open(uri('over.py'), text);
    const published = await client.diagnostics(uri('over.py'), mark);
    assert.deepEqual(published.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range.start.line, diagnostic.severity]), [['analysis-incomplete', 0, 3]]);
    assert.match(published.diagnostics[0].message, /over the 2 MiB size cap \(raise the initlint.maxFileChars setting\)/);
    const again = client.published.length;
    await client.changeSettings({ maxFileChars: 4 * 1024 * 1024 });
    const raised = await client.diagnostics(uri('over.py'), again);
    assert.ok(raised.diagnostics.some((diagnostic) => diagnostic.code === 'symmetric-init'));
    await client.changeSettings({});
  });
});
