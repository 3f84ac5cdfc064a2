/**
 * The language server reads the workspace modules a Python document imports: a finding written in the
 * module is published on the module, and an edit of the module updates the diagnostics of the file that
 * imports it. Real server bundle, real LSP client, files on disk.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { DidChangeWatchedFilesNotification, DidCloseTextDocumentNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleServer, fileUri, LspClient } from './lspClient';

const SETTINGS_PY = (activation: string) => `ACTIVATION = "${activation}"\n`;
const MODEL_PY = `import keras
from keras import layers
from settings import ACTIVATION

model = keras.Sequential([keras.Input(shape=(32,))])
model.add(layers.Dense(64, activation=ACTIVATION, kernel_initializer="he_normal"))
model.add(layers.Dense(1))
`;
const BLOCKS_PY = (initializer: string) => `from keras import layers


def dense_stack(model, depth):
    for _ in range(depth):
        model.add(layers.Dense(64, activation="tanh", kernel_initializer="${initializer}"))
`;
const TRAIN_PY = `import keras
from blocks import dense_stack

model = keras.Sequential([keras.Input(shape=(32,))])
dense_stack(model, 12)
model.add(keras.layers.Dense(10))
`;

describe('language server across modules', () => {
  let client: LspClient;
  let directory: string;
  const uri = (name: string) => fileUri(directory, name);
  const rules = (params: { diagnostics: { code?: number | string; range: { start: { line: number } } }[] }) =>
    params.diagnostics.map((diagnostic) => `${diagnostic.code}@${diagnostic.range.start.line}`);

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'initlint-lsp-modules-'));
    writeFileSync(join(directory, 'settings.py'), SETTINGS_PY('tanh'));
    writeFileSync(join(directory, 'blocks.py'), BLOCKS_PY('he_normal'));
    client = new LspClient(await bundleServer());
    await client.initialize();
  });

  after(() => client?.dispose());

  test('a value imported from a module on disk is read; editing the open module updates the importing file', async () => {
    await client.open(uri('model.py'), MODEL_PY);
    assert.deepEqual(rules(await client.diagnostics(uri('model.py'))), ['saturating-he@5'], 'tanh read from settings.py on disk');
    await client.open(uri('settings.py'), SETTINGS_PY('tanh'));
    const mark = client.published.length;
    await client.change(uri('settings.py'), SETTINGS_PY('relu'));
    const updated = await client.publication((params) => params.uri === uri('model.py'), mark);
    assert.deepEqual(rules(updated), [], 'he_normal under relu: nothing to say once the module says relu');
  });

  test('a finding in a module no editor has open is published on its URI, follows its changes on disk, and goes when its importer closes', async () => {
    mkdirSync(join(directory, 'closed'));
    writeFileSync(join(directory, 'closed/blocks.py'), BLOCKS_PY('he_normal'));
    const blocks = uri('closed/blocks.py');
    const train = uri('closed/train.py');
    await client.open(train, TRAIN_PY);
    assert.deepEqual(rules(await client.diagnostics(train)), []);
    const onClosed = await client.publication((params) => params.uri === blocks);
    assert.deepEqual(rules(onClosed), ['saturating-he@5'], 'only train.py is open: the tanh layer with he_normal is shown where it is written');
    assert.equal(onClosed.version, undefined, 'a closed file has no version');

    // Opened, the module shows the same finding with its version; closed again, it keeps it.
    await client.open(blocks, BLOCKS_PY('he_normal'));
    assert.deepEqual(rules(await client.diagnostics(blocks)), ['saturating-he@5']);
    let mark = client.published.length;
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: blocks } });
    assert.deepEqual(rules(await client.publication((params) => params.uri === blocks, mark)), ['saturating-he@5']);

    // Fixed on disk (a pull, another editor): the importer is read again and the finding goes.
    mark = client.published.length;
    writeFileSync(join(directory, 'closed/blocks.py'), BLOCKS_PY('glorot_normal'));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: blocks, type: FileChangeType.Changed }] });
    assert.deepEqual(rules(await client.publication((params) => params.uri === blocks, mark)), []);
    assert.ok(client.published.slice(mark).some((params) => params.uri === train), 'train.py was analysed again');

    // Broken again on disk, then the importer closes: nothing is left on the module.
    mark = client.published.length;
    writeFileSync(join(directory, 'closed/blocks.py'), BLOCKS_PY('he_uniform'));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: blocks, type: FileChangeType.Changed }] });
    assert.deepEqual(rules(await client.publication((params) => params.uri === blocks, mark)), ['saturating-he@5']);
    mark = client.published.length;
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: train } });
    assert.deepEqual(rules(await client.publication((params) => params.uri === blocks, mark)), []);
  });

  test('a layer added by an imported function is reported on the module where it is written, and follows its edits', async () => {
    await client.open(uri('blocks.py'), BLOCKS_PY('he_normal'));
    await client.open(uri('train.py'), TRAIN_PY);
    assert.deepEqual(rules(await client.diagnostics(uri('train.py'))), []);
    const onBlocks = await client.publication((params) => params.uri === uri('blocks.py') && params.diagnostics.length > 0);
    assert.deepEqual(rules(onBlocks), ['saturating-he@5']);
    const mark = client.published.length;
    await client.change(uri('blocks.py'), BLOCKS_PY('glorot_normal'));
    const fixed = await client.publication((params) => params.uri === uri('blocks.py') && params.version === 2, mark);
    assert.deepEqual(rules(fixed), []);
  });

  test('import nets.blocks then nets.blocks.dense_stack(…): the finding is published on nets/blocks.py and follows its edits', async () => {
    mkdirSync(join(directory, 'pkg/nets'), { recursive: true });
    writeFileSync(join(directory, 'pkg/nets/__init__.py'), '');
    writeFileSync(join(directory, 'pkg/nets/blocks.py'), BLOCKS_PY('he_normal'));
    const blocks = uri('pkg/nets/blocks.py');
    const app = uri('pkg/app.py');
    await client.open(app, TRAIN_PY.replace('from blocks import dense_stack', 'import nets.blocks').replace('dense_stack(model', 'nets.blocks.dense_stack(model'));
    assert.deepEqual(rules(await client.diagnostics(app)), []);
    assert.deepEqual(rules(await client.publication((params) => params.uri === blocks)), ['saturating-he@5']);
    await client.open(blocks, BLOCKS_PY('he_normal'));
    const mark = client.published.length;
    await client.change(blocks, BLOCKS_PY('glorot_normal'));
    assert.deepEqual(rules(await client.publication((params) => params.uri === blocks && params.version === 2, mark)), []);
  });
});
