/**
 * LSP 3.17 notebook sync with a real client over stdio: a Jupyter notebook's Python cells are one program
 * (the constant in cell 0, the loop in cell 2, a markdown cell between); diagnostics, quick fixes, fix-all
 * and hovers live on the cells' own URIs; cell edits and structure changes re-publish, removed cells and a
 * closed notebook are cleared, and a cell with a syntax error does not take the other cells' findings.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CodeActionRequest, DidChangeNotebookDocumentNotification, DidChangeWatchedFilesNotification, FileChangeType, DidCloseNotebookDocumentNotification, DidOpenNotebookDocumentNotification, HoverRequest,
  InitializeRequest, NotebookCellKind, type CodeAction, type Diagnostic, type MarkupContent, type PublishDiagnosticsParams, type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { applyEdits, LineIndex } from '../../src/core/text';
import { bundleServer, fileUri, LspClient } from './lspClient';

const IMPORTS = 'from keras.models import Sequential\nfrom keras.layers import Dense, Input\n\nDEPTH = 20';
const MARKDOWN = '# The model\nA deep ReLU MLP.';
const LOOP = "model = Sequential()\nmodel.add(Input(shape=(256,)))\nfor _ in range(DEPTH): model.add(Dense(256, activation='relu'))\nmodel.add(Dense(10))";

interface Cell {
  uri: string;
  kind: NotebookCellKind;
  languageId: string;
  text: string;
  version: number;
}

/** The client's side of one open notebook: sends what VS Code's notebook sync sends. */
class Notebook {
  version = 1;
  readonly cells: Cell[];
  private created = 0;

  constructor(private readonly client: LspClient, readonly uri: string, cells: { text: string; markdown?: boolean }[]) {
    this.cells = cells.map((cell) => this.cell(cell.text, cell.markdown));
  }

  private cell(text: string, markdown = false): Cell {
    const path = new URL(this.uri).pathname;
    return { uri: `vscode-notebook-cell:${path}#cell${this.created++}`, kind: markdown ? NotebookCellKind.Markup : NotebookCellKind.Code, languageId: markdown ? 'markdown' : 'python', text, version: 1 };
  }

  private item = (cell: Cell) => ({ uri: cell.uri, languageId: cell.languageId, version: cell.version, text: cell.text });

  async open(): Promise<void> {
    await this.client.connection.sendNotification(DidOpenNotebookDocumentNotification.type, {
      notebookDocument: { uri: this.uri, notebookType: 'jupyter-notebook', version: this.version, cells: this.cells.map((cell) => ({ kind: cell.kind, document: cell.uri })) },
      cellTextDocuments: this.cells.map(this.item),
    });
  }

  /** Replaces cells' texts (one notification, like an edit touching several cells). */
  async edit(texts: Map<number, string>): Promise<void> {
    const textContent = [...texts].map(([index, text]) => {
      const cell = this.cells[index];
      cell.text = text;
      cell.version++;
      return { document: { uri: cell.uri, version: cell.version }, changes: [{ text }] };
    });
    await this.client.connection.sendNotification(DidChangeNotebookDocumentNotification.type, {
      notebookDocument: { uri: this.uri, version: ++this.version },
      change: { cells: { textContent } },
    });
  }

  /** Applies a code action's `changes` to the cells they name, as an editor would. */
  async apply(changes: Record<string, TextEdit[]>): Promise<void> {
    const texts = new Map<number, string>();
    for (const [uri, edits] of Object.entries(changes)) {
      const index = this.cells.findIndex((cell) => cell.uri === uri);
      assert.ok(index >= 0, `an edit for a cell of this notebook: ${uri}`);
      const lines = new LineIndex(this.cells[index].text);
      texts.set(index, applyEdits(this.cells[index].text, edits.map((edit) => ({ span: { start: lines.offsetAt(edit.range.start), end: lines.offsetAt(edit.range.end) }, newText: edit.newText }))).text);
    }
    await this.edit(texts);
  }

  /** Removes `deleteCount` cells at `start` and inserts new code cells there. */
  async splice(start: number, deleteCount: number, texts: string[] = []): Promise<Cell[]> {
    const added = texts.map((text) => this.cell(text));
    const removed = this.cells.splice(start, deleteCount, ...added);
    await this.client.connection.sendNotification(DidChangeNotebookDocumentNotification.type, {
      notebookDocument: { uri: this.uri, version: ++this.version },
      change: {
        cells: {
          structure: {
            array: { start, deleteCount, cells: added.map((cell) => ({ kind: cell.kind, document: cell.uri })) },
            didOpen: added.map(this.item),
            didClose: removed.map((cell) => ({ uri: cell.uri })),
          },
        },
      },
    });
    return removed;
  }

  async close(): Promise<void> {
    await this.client.connection.sendNotification(DidCloseNotebookDocumentNotification.type, {
      notebookDocument: { uri: this.uri },
      cellTextDocuments: this.cells.map((cell) => ({ uri: cell.uri })),
    });
  }

  /** The diagnostics published on cell `index` after the `after`-th publication, at the cell's current version. */
  async diagnostics(index: number, after = 0): Promise<Diagnostic[]> {
    const cell = this.cells[index];
    return (await this.client.publication((params) => params.uri === cell.uri && params.version === cell.version, after)).diagnostics;
  }
}

describe('language server: notebooks', () => {
  let client: LspClient;
  let directory: string;
  let capabilities: Record<string, unknown>;
  const notebookUri = (name: string) => fileUri(directory, name);

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'initlint-lsp-notebook-'));
    client = new LspClient(await bundleServer());
    const result = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: null, workspaceFolders: null,
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } }, notebookDocument: { synchronization: {} } },
    });
    capabilities = result.capabilities as Record<string, unknown>;
    await client.connection.sendNotification('initialized', {});
  });

  after(() => client?.dispose());

  const open = async (name: string, cells: { text: string; markdown?: boolean }[] = [{ text: IMPORTS }, { text: MARKDOWN, markdown: true }, { text: LOOP }]) => {
    const notebook = new Notebook(client, notebookUri(name), cells);
    await notebook.open();
    return notebook;
  };
  const actions = (notebook: Notebook, index: number, diagnostic: Diagnostic, only?: string[]) =>
    client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: notebook.cells[index].uri }, range: diagnostic.range, context: { diagnostics: [diagnostic], only },
    }) as Promise<CodeAction[]>;

  test('declares notebook sync for Jupyter notebooks with Python cells', () => {
    assert.deepEqual(capabilities.notebookDocumentSync, { notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }] }] });
  });

  test('the constant in cell 0 and the loop in cell 2 are one program: the finding is on cell 2, at its line', async () => {
    const notebook = await open('deep.ipynb');
    const [finding, ...rest] = await notebook.diagnostics(2);
    assert.deepEqual(rest, []);
    assert.equal(finding.code, 'relu-glorot-deep');
    assert.match(finding.message, /on 20 ReLU layers/);
    const line = LOOP.split('\n')[2];
    const dense = line.indexOf('Dense');
    assert.deepEqual(finding.range, { start: { line: 2, character: dense }, end: { line: 2, character: dense + 'Dense'.length } });
    assert.deepEqual(await notebook.diagnostics(0), []);
    assert.ok(!client.published.some((params) => params.uri === notebook.cells[1].uri), 'nothing is published on the markdown cell');
  });

  test('the preferred quick fix, asked for on the cell, edits the cell and removes the finding', async () => {
    const notebook = await open('quickfix.ipynb');
    const [finding] = await notebook.diagnostics(2);
    const [preferred] = await actions(notebook, 2, finding);
    assert.equal(preferred.isPreferred, true);
    assert.deepEqual(Object.keys(preferred.edit!.changes!), [notebook.cells[2].uri]);
    const mark = client.published.length;
    await notebook.apply(preferred.edit!.changes!);
    assert.match(notebook.cells[2].text.split('\n')[2], /Dense\(256, activation='relu', kernel_initializer='he_uniform'\)/);
    assert.deepEqual(await notebook.diagnostics(2, mark), []);
  });

  test('a fix whose import goes into the first cell edits both cells', async () => {
    const imports = `${IMPORTS.replace('\n\n', '\nfrom keras.initializers import RandomNormal\n\n')}`;
    const loop = LOOP.replace("activation='relu')", "activation='relu', kernel_initializer=RandomNormal(stddev=1.0))");
    const notebook = await open('import.ipynb', [{ text: imports }, { text: MARKDOWN, markdown: true }, { text: loop }]);
    const [finding] = await notebook.diagnostics(2);
    assert.equal(finding.code, 'fixed-scale-init');
    const [preferred] = await actions(notebook, 2, finding);
    assert.deepEqual(Object.keys(preferred.edit!.changes!).sort(), [notebook.cells[0].uri, notebook.cells[2].uri].sort());
    const mark = client.published.length;
    await notebook.apply(preferred.edit!.changes!);
    assert.match(notebook.cells[0].text, /from keras\.initializers import RandomNormal, HeNormal\n/);
    assert.match(notebook.cells[2].text, /kernel_initializer=HeNormal\(\)/);
    assert.deepEqual(await notebook.diagnostics(2, mark), []);
  });

  test('source.fixAll.initlint on a cell and "disable for this line" map to the cell', async () => {
    const notebook = await open('fixall.ipynb');
    const [finding] = await notebook.diagnostics(2);
    const [fixAll] = await actions(notebook, 2, finding, ['source.fixAll']);
    assert.equal(fixAll.kind, 'source.fixAll.initlint');
    assert.match(fixAll.edit!.changes![notebook.cells[2].uri][0].newText, /kernel_initializer='he_uniform'/);
    const disable = (await actions(notebook, 2, finding, ['quickfix'])).find((action) => action.title.endsWith('for this line'))!;
    assert.equal(disable.title, 'Disable relu-glorot-deep for this line');
    const [edit] = disable.edit!.changes![notebook.cells[2].uri];
    assert.equal(edit.range.start.line, 2);
    assert.equal(edit.newText, '  # initlint-disable-line relu-glorot-deep');
    // Asked on cell 0, where nothing is shown: nothing to fix there.
    const [onCell0] = await actions(notebook, 0, { ...finding, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }, ['source.fixAll']);
    assert.deepEqual(onCell0.edit!.changes, { [notebook.cells[0].uri]: [] });
    const mark = client.published.length;
    await notebook.apply(fixAll.edit!.changes!);
    assert.deepEqual(await notebook.diagnostics(2, mark), []);
  });

  test('hover on the activation in a cell has the numbers and the cell range', async () => {
    const notebook = await open('hover.ipynb');
    await notebook.diagnostics(2);
    const character = LOOP.split('\n')[2].indexOf("'relu'") + 2;
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: notebook.cells[2].uri }, position: { line: 2, character } });
    assert.match((hover!.contents as MarkupContent).value, /cumulative q/);
    assert.equal(hover!.range!.start.line, 2);
    const nothing = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: notebook.cells[0].uri }, position: { line: 3, character: 2 } });
    assert.equal(nothing, null);
  });

  test('editing the constant in cell 0 re-publishes cell 2', async () => {
    const notebook = await open('constant.ipynb');
    assert.equal((await notebook.diagnostics(2)).length, 1);
    let mark = client.published.length;
    await notebook.edit(new Map([[0, IMPORTS.replace('DEPTH = 20', 'DEPTH = 2')]]));
    assert.deepEqual(await notebook.diagnostics(2, mark), []);
    mark = client.published.length;
    await notebook.edit(new Map([[0, IMPORTS.replace('DEPTH = 20', 'DEPTH = 30')]]));
    assert.match((await notebook.diagnostics(2, mark))[0].message, /on 30 ReLU layers/);
  });

  test('structure changes: cells inserted before move nothing, a removed cell is cleared', async () => {
    const notebook = await open('structure.ipynb');
    assert.equal((await notebook.diagnostics(2)).length, 1);
    let mark = client.published.length;
    await notebook.splice(0, 0, ['%matplotlib inline\n!pip install keras\nimport numpy as np']);
    const [moved] = await notebook.diagnostics(3, mark);
    assert.equal(moved.range.start.line, 2, 'the finding keeps its line within its cell');
    mark = client.published.length;
    const [removed] = await notebook.splice(3, 1);
    const cleared = await client.publication((params: PublishDiagnosticsParams) => params.uri === removed.uri, mark);
    assert.deepEqual(cleared.diagnostics, []);
    // The loop comes back in a new cell after the constant: found again there.
    mark = client.published.length;
    await notebook.splice(3, 0, [LOOP]);
    assert.equal((await notebook.diagnostics(3, mark)).length, 1);
  });

  test('a cell with a syntax error keeps the other cells\' findings', async () => {
    for (const broken of ['model.add(Dense(64, activation=', 'def broken(:\n    pass', 'x = """never closed', 'for _ in range(3):']) {
      const notebook = await open(`broken-${broken.length}.ipynb`, [{ text: IMPORTS }, { text: broken }, { text: MARKDOWN, markdown: true }, { text: LOOP }]);
      const diagnostics = await notebook.diagnostics(3);
      assert.equal(diagnostics.length, 1, `with ${JSON.stringify(broken)} in cell 1`);
      assert.equal(diagnostics[0].range.start.line, 2);
      // A second model added in cell 0 is found there, and cell 3's finding stays.
      const mark = client.published.length;
      await notebook.edit(new Map([[0, `${IMPORTS}\nmodel2 = Sequential()\nfor _ in range(DEPTH): model2.add(Dense(64, activation='relu'))`]]));
      assert.equal((await notebook.diagnostics(0, mark)).length, 1);
      assert.equal((await notebook.diagnostics(3, mark)).length, 1);
      await notebook.close();
    }
  });

  test('the last cell, mid-typing, keeps its own finding (its error leaks nowhere)', async () => {
    const notebook = await open('typing.ipynb');
    assert.equal((await notebook.diagnostics(2)).length, 1);
    const mark = client.published.length;
    await notebook.edit(new Map([[2, `${LOOP}
model.add(Dense(`]]));
    assert.equal((await notebook.diagnostics(2, mark)).length, 1);
  });

  test('closing the notebook clears every cell', async () => {
    const notebook = await open('close.ipynb');
    assert.equal((await notebook.diagnostics(2)).length, 1);
    const mark = client.published.length;
    await notebook.close();
    const cleared = await client.publication((params) => params.uri === notebook.cells[2].uri, mark);
    assert.deepEqual(cleared.diagnostics, []);
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: notebook.cells[2].uri }, position: { line: 2, character: 50 } });
    assert.equal(hover, null);
    assert.ok(client.alive);
  });

  // A timeout: without the module reading, nothing is ever published on blocks.py and the waits below never end.
  test('a layer written in a module the cells import is published on the module, and follows its changes on disk and in the editor', { timeout: 20_000 }, async () => {
    const blocksPy = (initializer: string) => `from keras.layers import Dense\n\n\ndef dense_stack(model, depth):\n    for _ in range(depth):\n        model.add(Dense(256, activation='relu', kernel_initializer='${initializer}'))\n`;
    mkdirSync(join(directory, 'project'));
    writeFileSync(join(directory, 'project/blocks.py'), blocksPy('glorot_uniform'));
    const blocks = fileUri(directory, 'project/blocks.py');
    const codes = (params: PublishDiagnosticsParams) => params.diagnostics.map((diagnostic) => `${diagnostic.code}@${diagnostic.range.start.line}`);
    const notebook = await open('project/train.ipynb', [
      { text: 'from keras.models import Sequential\nfrom keras.layers import Dense, Input\nfrom blocks import dense_stack' },
      { text: MARKDOWN, markdown: true },
      { text: 'model = Sequential()\nmodel.add(Input(shape=(256,)))\ndense_stack(model, 20)\nmodel.add(Dense(10))' },
    ]);
    assert.deepEqual(await notebook.diagnostics(2), [], 'the layers are not written in the cells');
    assert.deepEqual(codes(await client.publication((params) => params.uri === blocks)), ['relu-glorot-deep@5'], 'published on blocks.py, at the Dense line');

    // Fixed on disk: the notebook reads the module again and the finding goes.
    let mark = client.published.length;
    writeFileSync(join(directory, 'project/blocks.py'), blocksPy('he_uniform'));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: blocks, type: FileChangeType.Changed }] });
    assert.deepEqual(codes(await client.publication((params) => params.uri === blocks, mark)), []);

    // Opened and broken in the editor (unsaved): the notebook reads the editor's text.
    await client.open(blocks, blocksPy('he_uniform'));
    mark = client.published.length;
    await client.change(blocks, blocksPy('glorot_normal'));
    const edited = await client.publication((params) => params.uri === blocks && params.version === 2 && params.diagnostics.length > 0, mark);
    assert.deepEqual(codes(edited), ['relu-glorot-deep@5']);

    // The notebook closes: nothing of it is left on the module (an analysis still pending may publish before that).
    mark = client.published.length;
    await notebook.close();
    const cleared = await client.publication((params) => params.uri === blocks && params.diagnostics.length === 0, mark);
    assert.equal(cleared.version, 2);
  });

  // The loop's depth is written in the module: without the module reading the cells show no finding at all.
  test('quick fixes of a finding in a cell that reads a module the cells import: the edits go to that cell, at its line', async () => {
    mkdirSync(join(directory, 'settings'));
    writeFileSync(join(directory, 'settings/hyper.py'), '# The model\'s depth, shared by the notebooks.\nDEPTH = 20\n');
    const imports = IMPORTS.replace('DEPTH = 20', 'from hyper import DEPTH');
    const notebook = await open('settings/train.ipynb', [{ text: imports }, { text: MARKDOWN, markdown: true }, { text: LOOP }]);
    const [finding, ...rest] = await notebook.diagnostics(2);
    assert.deepEqual(rest, []);
    assert.equal(finding.code, 'relu-glorot-deep');
    assert.match(finding.message, /on 20 ReLU layers/);
    const dense = LOOP.split('\n')[2].indexOf('Dense');
    assert.deepEqual(finding.range, { start: { line: 2, character: dense }, end: { line: 2, character: dense + 'Dense'.length } });
    const quickFixes = await actions(notebook, 2, finding);
    assert.deepEqual(quickFixes.map((action) => action.title), ['Use he_uniform', 'Disable relu-glorot-deep for this line', 'Disable relu-glorot-deep for this file']);
    const [preferred, disableLine] = quickFixes;
    assert.equal(preferred.isPreferred, true);
    const [edit, ...more] = preferred.edit!.changes![notebook.cells[2].uri];
    assert.deepEqual([Object.keys(preferred.edit!.changes!), more], [[notebook.cells[2].uri], []]);
    assert.equal(edit.range.start.line, 2);
    assert.deepEqual(disableLine.edit!.changes![notebook.cells[2].uri].map((change) => change.range.start.line), [2]);
    const mark = client.published.length;
    await notebook.apply(preferred.edit!.changes!);
    assert.match(notebook.cells[2].text.split('\n')[2], /Dense\(256, activation='relu', kernel_initializer='he_uniform'\)/);
    assert.deepEqual(await notebook.diagnostics(2, mark), []);
    assert.ok(!client.published.some((params) => params.uri.endsWith('/settings/hyper.py') && params.diagnostics.length), 'nothing is placed in the module');
  });
});
