/**
 * A Jupyter notebook is read as a `.py` file is, with the project modules its cells import: `initlint check`
 * reports a layer written in blocks.py under blocks.py (its line), `--fix` edits blocks.py, and `initlint report`
 * lists the layers the imported function adds, at blocks.py's lines. Real CLI, files on disk.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempProject } from '../helpers/tempProject';

const bin = join(resolve(__dirname, '../..'), 'bin/initlint.js');

function initlint(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonFile { path: string; diagnostics: { rule: string; message: string; range: { start: { line: number } } }[] }

function checkJson(args: string[], cwd: string): { code: number | null; files: JsonFile[] } {
  const result = initlint(['check', '--format', 'json', '--severity', 'hint', ...args], cwd);
  return { code: result.code, files: (JSON.parse(result.stdout) as { files: JsonFile[] }).files };
}

const diagnosticsOf = (files: JsonFile[], name: string) =>
  files.find((file) => file.path.endsWith(name))?.diagnostics.map((d) => `${d.rule}@${d.range.start.line}`) ?? [];

// 20 ReLU layers with glorot_uniform (the chain vanishes), then a hidden tanh layer starting at zeros.
const BLOCKS_PY = `from tensorflow.keras import layers


def dense_stack(model, depth):
    for _ in range(depth):
        model.add(layers.Dense(128, activation="relu", kernel_initializer="glorot_uniform"))
    model.add(layers.Dense(64, activation="tanh", kernel_initializer="zeros"))
`;
const IMPORT_CELL = (importLine: string) => `from tensorflow import keras\n${importLine}\n`;
const MODEL_CELL = 'model = keras.Sequential([keras.Input(shape=(128,))])\ndense_stack(model, 20)\nmodel.add(keras.layers.Dense(10))\n';

/** nbformat 4 as Jupyter writes it: a markdown cell, then the import cell and the model cell (sources as line arrays). */
function notebook(importLine = 'from blocks import dense_stack'): string {
  const lines = (source: string) => source.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const code = (source: string) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: lines(source) });
  return `${JSON.stringify({
    cells: [{ cell_type: 'markdown', metadata: {}, source: ['# A deep ReLU MLP\n'] }, code(IMPORT_CELL(importLine)), code(MODEL_CELL)],
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  }, null, 1)}\n`;
}

const project = (files: Record<string, string>) => tempProject(files, 'initlint-nb-project-');

test('check: the layers blocks.py adds are reported in blocks.py, at its lines, exactly as for a .py file with the same cells', () => {
  const dir = project({ 'train.ipynb': notebook(), 'blocks.py': BLOCKS_PY, 'train.py': IMPORT_CELL('from blocks import dense_stack') + MODEL_CELL });
  const fromNotebook = checkJson(['train.ipynb'], dir);
  assert.equal(fromNotebook.code, 1, 'the findings in the imported module fail the check');
  assert.deepEqual(diagnosticsOf(fromNotebook.files, 'blocks.py'), ['relu-glorot-deep@6', 'symmetric-init@7']);
  assert.deepEqual(diagnosticsOf(fromNotebook.files, 'train.ipynb'), []);
  const fromScript = checkJson(['train.py'], dir);
  const messages = (files: JsonFile[]) => files.find((file) => file.path.endsWith('blocks.py'))?.diagnostics.map((d) => d.message);
  assert.deepEqual(messages(fromNotebook.files), messages(fromScript.files), 'the notebook and the .py file read blocks.py alike');

  const text = initlint(['check', 'train.ipynb'], dir);
  assert.equal(text.code, 1);
  assert.match(text.stdout, /^blocks\.py:6:\d+: warning .*\[relu-glorot-deep\]/m);
  assert.match(text.stdout, /^blocks\.py:7:\d+: error .*\[symmetric-init\]/m);
  assert.match(text.stdout, /Found 2 problems \(1 error, 1 warning\) in 2 files; 2 fixable with --fix\./, 'the module read counts as a file checked');
});

test('check: a package under src/ at the project root resolves from a notebook in another folder; a missing module stays unknown', () => {
  const dir = project({
    'pyproject.toml': '', 'src/nets/__init__.py': '', 'src/nets/blocks.py': BLOCKS_PY,
    'notebooks/explore.ipynb': notebook('from nets.blocks import dense_stack'), 'notebooks/missing.ipynb': notebook('from missing_blocks import dense_stack'),
  });
  const { files } = checkJson(['notebooks/explore.ipynb'], dir);
  assert.deepEqual(diagnosticsOf(files, join('src', 'nets', 'blocks.py')), ['relu-glorot-deep@6', 'symmetric-init@7']);
  // An import of no project file: dense_stack is unknown, and no finding is guessed.
  const missing = checkJson(['notebooks/missing.ipynb'], dir);
  assert.equal(missing.code, 0);
  assert.deepEqual(missing.files.flatMap((file) => file.diagnostics), []);
});

test('check --fix: the fixes land in blocks.py, the notebook is left byte for byte, and a re-check is clean', () => {
  const dir = project({ 'pyproject.toml': '', 'train.ipynb': notebook(), 'blocks.py': BLOCKS_PY });
  const fixed = initlint(['check', '--fix', 'train.ipynb'], dir);
  assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
  assert.match(fixed.stdout, /Fixed 2 problems\. All checks passed \(2 files checked\)\./);
  const blocks = readFileSync(join(dir, 'blocks.py'), 'utf8');
  assert.match(blocks, /activation="relu", kernel_initializer="he_uniform"/);
  assert.match(blocks, /activation="tanh", kernel_initializer="glorot_uniform"/);
  assert.equal(blocks.split('\n').length, BLOCKS_PY.split('\n').length, 'only the initializers changed');
  assert.equal(readFileSync(join(dir, 'train.ipynb'), 'utf8'), notebook(), 'the cells had nothing to fix');
  const again = checkJson(['train.ipynb'], dir);
  assert.equal(again.code, 0);
  assert.deepEqual(again.files.flatMap((file) => file.diagnostics), []);
});

test('check --fix: a module outside the notebook\'s project (found at the Python root above it) is reported, never written', () => {
  // app/package.json makes app/ the project --fix may write in; Python still finds blocks.py at the pyproject root.
  const dir = project({ 'pyproject.toml': '', 'blocks.py': BLOCKS_PY, 'app/package.json': '{}', 'app/train.ipynb': notebook() });
  const fixed = initlint(['check', '--fix', 'app/train.ipynb'], dir);
  assert.equal(fixed.code, 1, 'the findings outside the project stay');
  assert.equal(readFileSync(join(dir, 'blocks.py'), 'utf8'), BLOCKS_PY);
  assert.deepEqual(diagnosticsOf(checkJson(['app/train.ipynb'], dir).files, 'blocks.py'), ['relu-glorot-deep@6', 'symmetric-init@7']);
});

interface JsonLayer { className: string; file?: string; cell?: number; range: { start: { line: number } }; findings: string[] }

test('report: the table lists the layers blocks.py adds, at blocks.py lines, and the notebook\'s own layer at its cell', () => {
  const dir = project({ 'train.ipynb': notebook(), 'blocks.py': BLOCKS_PY });
  const json = initlint(['report', '--format', 'json', 'train.ipynb'], dir);
  assert.equal(json.code, 0, json.stderr);
  const [model] = (JSON.parse(json.stdout) as { models: { name: string; cell?: number; layers: JsonLayer[] }[] }).models;
  assert.equal(model.name, 'model');
  assert.equal(model.cell, 2, 'the model is built in the third cell (cells counted from 0, markdown included)');
  const rows = model.layers.map((layer) => `${layer.className}@${layer.file ?? `cell ${layer.cell}`}:${layer.range.start.line}:${layer.findings.join(',')}`);
  assert.deepEqual(rows, [
    ...Array.from({ length: 20 }, () => 'Dense@blocks.py:6:relu-glorot-deep'),
    'Dense@blocks.py:7:symmetric-init',
    'Dense@cell 2:3:',
  ]);

  const text = initlint(['report', 'train.ipynb'], dir);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^model \(keras, sequential\) — train\.ipynb:cell 3:1$/m);
  assert.match(text.stdout, /^20 +Dense +blocks\.py:6 +128 +128 +relu +glorot_uniform /m);
  assert.match(text.stdout, /^22 +Dense +cell 3:3 +64 +10 +linear /m);
  assert.match(text.stdout, /worst chain: 21 hidden layers/);
});
