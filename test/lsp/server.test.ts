/**
 * The language server over stdio with a real LSP client: diagnostics on open and change, quick fixes and
 * "disable for this line" applied to the text, fix-all, hover numbers, settings pulled from the client.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeActionRequest, HoverRequest, type CodeAction, type Diagnostic, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { bundleServer, fileUri, LspClient } from './lspClient';

const DEEP_RELU = `import keras
from keras import layers

model = keras.Sequential(name="deep_mlp")
model.add(keras.Input(shape=(256,)))
for _ in range(20):
    model.add(layers.Dense(256, activation="relu"))
model.add(layers.Dense(10))
`;

const CLEAN = `import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(32,)), layers.Dense(16, activation="relu"), layers.Dense(1)])
`;

describe('language server', () => {
  let client: LspClient;
  let directory: string;
  const uri = (name: string) => fileUri(directory, name);

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'initlint-lsp-'));
    client = new LspClient(await bundleServer());
    await client.initialize();
  });

  after(() => client?.dispose());

  const actionsFor = (name: string, diagnostic: Diagnostic, only?: string[]) =>
    client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri(name) }, range: diagnostic.range, context: { diagnostics: [diagnostic], only } }) as Promise<CodeAction[]>;
  const editsOf = (action: CodeAction, name: string) => action.edit!.changes![uri(name)];

  test('publishes findings on open, with rule codes and documentation links', async () => {
    await client.open(uri('deep.py'), DEEP_RELU);
    const { diagnostics } = await client.diagnostics(uri('deep.py'));
    assert.equal(diagnostics.length, 1);
    const [finding] = diagnostics;
    assert.equal(finding.source, 'initlint');
    assert.equal(finding.code, 'relu-glorot-deep');
    assert.equal(finding.severity, 2);
    assert.equal(finding.range.start.line, 6);
    assert.match(finding.codeDescription!.href, /relu-glorot-deep\.md$/);

    await client.open(uri('clean.py'), CLEAN);
    assert.deepEqual((await client.diagnostics(uri('clean.py'))).diagnostics, []);
  });

  test('the preferred quick fix comes first and removes the finding', async () => {
    await client.open(uri('fix.py'), DEEP_RELU);
    const [finding] = (await client.diagnostics(uri('fix.py'))).diagnostics;
    const actions = await actionsFor('fix.py', finding);
    assert.equal(actions[0].isPreferred, true);
    assert.equal(actions[0].kind, 'quickfix');
    assert.ok(actions.some((action) => action.title === 'Disable relu-glorot-deep for this line'));
    const fixed = await client.applyEdits(uri('fix.py'), editsOf(actions[0], 'fix.py'));
    assert.match(fixed.split('\n')[6], /kernel_initializer=["']he_(uniform|normal)["']/);
    assert.deepEqual((await client.diagnostics(uri('fix.py'))).diagnostics, []);
  });

  test('"disable for this line" adds a suppression comment that silences the finding', async () => {
    await client.open(uri('disable.py'), DEEP_RELU);
    const [finding] = (await client.diagnostics(uri('disable.py'))).diagnostics;
    const disable = (await actionsFor('disable.py', finding, ['quickfix'])).find((action) => action.title.endsWith('for this line'))!;
    assert.equal(disable.title, 'Disable relu-glorot-deep for this line');
    const suppressed = await client.applyEdits(uri('disable.py'), editsOf(disable, 'disable.py'));
    assert.equal(suppressed.split('\n')[6], '    model.add(layers.Dense(256, activation="relu"))  # initlint-disable-line relu-glorot-deep');
    assert.deepEqual((await client.diagnostics(uri('disable.py'))).diagnostics, []);
  });

  test('"disable for this file" puts a file directive on the first line that silences the rule', async () => {
    await client.open(uri('disable-file.py'), DEEP_RELU);
    const [finding] = (await client.diagnostics(uri('disable-file.py'))).diagnostics;
    const disable = (await actionsFor('disable-file.py', finding, ['quickfix'])).at(-1)!;
    assert.equal(disable.title, 'Disable relu-glorot-deep for this file');
    const suppressed = await client.applyEdits(uri('disable-file.py'), editsOf(disable, 'disable-file.py'));
    assert.deepEqual(suppressed.split('\n').slice(0, 2), ['# initlint-disable-file relu-glorot-deep', 'import keras']);
    assert.deepEqual((await client.diagnostics(uri('disable-file.py'))).diagnostics, []);
  });

  test('initlint/documentStatus names the models the server found (the editor\'s status item)', async () => {
    await client.open(uri('status.py'), DEEP_RELU);
    await client.diagnostics(uri('status.py'));
    const status = await client.connection.sendRequest<{ models: { name: string; layers: number }[]; findings: number } | null>('initlint/documentStatus', { uri: uri('status.py') });
    assert.equal(status?.models.length, 1);
    assert.ok(status.models[0].layers > 20, `layers: ${status.models[0].layers}`);
    assert.equal(status.findings, 1);
    assert.equal(await client.connection.sendRequest('initlint/documentStatus', { uri: uri('never-opened.py') }), null);
  });

  test('source.fixAll.initlint applies every preferred fix (what codeActionsOnSave runs)', async () => {
    const twoModels = `${DEEP_RELU}\nsecond = keras.Sequential()\nsecond.add(keras.Input(shape=(64,)))\nfor _ in range(30):\n    second.add(layers.Dense(64, activation="relu"))\n`;
    await client.open(uri('fixall.py'), twoModels);
    const { diagnostics } = await client.diagnostics(uri('fixall.py'));
    assert.equal(diagnostics.length, 2);
    const actions = await actionsFor('fixall.py', diagnostics[0], ['source.fixAll']);
    assert.deepEqual(actions.map((action) => action.kind), ['source.fixAll.initlint']);
    const fixed = await client.applyEdits(uri('fixall.py'), editsOf(actions[0], 'fixall.py'));
    assert.equal(fixed.match(/kernel_initializer/g)?.length, 2);
    assert.deepEqual((await client.diagnostics(uri('fixall.py'))).diagnostics, []);
  });

  test('hover on the activation explains the pairing with numbers', async () => {
    await client.open(uri('hover.py'), DEEP_RELU);
    await client.diagnostics(uri('hover.py'));
    const character = DEEP_RELU.split('\n')[6].indexOf('"relu"') + 2;
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri('hover.py') }, position: { line: 6, character } });
    const markdown = (hover!.contents as MarkupContent).value;
    assert.match(markdown, /Var\(W\) = /);
    assert.match(markdown, /glorot_uniform/);
    assert.match(markdown, /cumulative q/);
    assert.match(markdown, /he_(uniform|normal)/);
    const nothing = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri('hover.py') }, position: { line: 0, character: 2 } });
    assert.equal(nothing, null);
  });

  test('settings pulled after didChangeConfiguration turn a rule off', async () => {
    await client.open(uri('settings.py'), DEEP_RELU);
    assert.equal((await client.diagnostics(uri('settings.py'))).diagnostics.length, 1);
    const mark = client.published.length;
    await client.changeSettings({ rules: { 'relu-glorot-deep': 'off' } });
    assert.deepEqual((await client.diagnostics(uri('settings.py'), mark)).diagnostics, []);
    const again = client.published.length;
    await client.changeSettings({ threshold: null, rules: { 'relu-glorot-deep': 'error' } });
    assert.deepEqual((await client.diagnostics(uri('settings.py'), again)).diagnostics.map((diagnostic) => diagnostic.severity), [1]);
    await client.changeSettings({});
  });

  test('changes are debounced: a burst of edits publishes the last version', async () => {
    await client.open(uri('burst.py'), CLEAN);
    await client.diagnostics(uri('burst.py'));
    const mark = client.published.length;
    for (let i = 0; i < 5; i++) await client.change(uri('burst.py'), `${CLEAN}\n# edit ${i}\n${i === 4 ? DEEP_RELU : ''}`);
    assert.equal((await client.diagnostics(uri('burst.py'), mark)).diagnostics.length, 1);
    assert.equal(client.published.slice(mark).filter((params) => params.uri === uri('burst.py')).length, 1);
  });

  test('survives files it cannot make sense of, and ignores other languages', async () => {
    const garbage = `${'('.repeat(3000)}\nmodel = keras.Sequential([layers.Dense(4, activation=)\n\u0000\u{1F600} def def\n`;
    await client.open(uri('garbage.py'), garbage);
    assert.ok(Array.isArray((await client.diagnostics(uri('garbage.py'))).diagnostics));
    await client.open(uri('notes.txt'), DEEP_RELU, 'plaintext');
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri('notes.txt') }, position: { line: 6, character: 30 } });
    assert.equal(hover, null);
    assert.ok(client.alive);
  });
});
