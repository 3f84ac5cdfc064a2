/**
 * `initlint check` over a project whose layers are written in an imported module: findings are reported in
 * the file where the layer is written, as the same code inlined in one file reports them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const bin = join(resolve(__dirname, '../..'), 'bin/initlint.js');

function check(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [bin, 'check', '--format', 'json', '--severity', 'hint', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const report = JSON.parse(result.stdout) as { files: { path: string; diagnostics: { rule: string; range: { start: { line: number } }; message: string }[] }[] };
  return { code: result.status, files: report.files, stderr: result.stderr };
}

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'initlint-xfile-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const BLOCKS_PY = `from tensorflow.keras import layers


def dense_stack(model, depth):
    for _ in range(depth):
        model.add(layers.Dense(64, activation="tanh", kernel_initializer="he_normal"))
`;
const MODEL_PY = (importLine: string) => `from tensorflow import keras
${importLine}

model = keras.Sequential([keras.Input(shape=(32,))])
dense_stack(model, 12)
model.add(keras.layers.Dense(10))
`;

function diagnosticsOf(files: { path: string; diagnostics: { rule: string; range: { start: { line: number } } }[] }[], name: string) {
  return files.find((file) => file.path.endsWith(name))?.diagnostics.map((d) => `${d.rule}@${d.range.start.line}`) ?? [];
}

test('Keras: a layer added by a function of blocks.py is reported in blocks.py when only model.py is checked', () => {
  const dir = project({ 'model.py': MODEL_PY('from blocks import dense_stack'), 'blocks.py': BLOCKS_PY });
  const { code, files } = check(['model.py', '--fail-on', 'hint'], dir);
  assert.equal(code, 1, 'the finding in the imported module fails the check');
  assert.deepEqual(diagnosticsOf(files, 'blocks.py'), ['saturating-he@6']);
  assert.deepEqual(diagnosticsOf(files, 'model.py'), []);
});

test('Keras: checking the folder reports each finding once, in the module that writes it', () => {
  const dir = project({ 'model.py': MODEL_PY('from blocks import dense_stack'), 'blocks.py': BLOCKS_PY });
  const { files } = check(['.'], dir);
  assert.deepEqual(diagnosticsOf(files, 'blocks.py'), ['saturating-he@6']);
});

test('Keras: relative imports, packages and src/ layouts resolve; the finding matches the inlined file', () => {
  const inlined = project({ 'model.py': `from tensorflow import keras\n${BLOCKS_PY}\nmodel = keras.Sequential([keras.Input(shape=(32,))])\ndense_stack(model, 12)\nmodel.add(keras.layers.Dense(10))\n` });
  const expected = check(['model.py'], inlined).files[0].diagnostics.map((d) => d.message);
  assert.equal(expected.length, 1);
  const layouts: Record<string, string>[] = [
    { 'pkg/__init__.py': '', 'pkg/model.py': MODEL_PY('from .blocks import dense_stack'), 'pkg/blocks.py': BLOCKS_PY },
    { 'pyproject.toml': '', 'src/nets/__init__.py': '', 'src/nets/blocks.py': BLOCKS_PY, 'scripts/train.py': MODEL_PY('from nets.blocks import dense_stack') },
    { 'model.py': MODEL_PY('import blocks as b\ndense_stack = b.dense_stack'), 'blocks.py': BLOCKS_PY },
  ];
  for (const files of layouts) {
    const dir = project(files);
    const main = Object.keys(files).find((path) => /model|train/.test(path))!;
    const result = check([main], dir);
    const blocks = result.files.find((file) => file.path.endsWith('blocks.py'));
    assert.deepEqual(blocks?.diagnostics.map((d) => d.message), expected, `layout ${Object.keys(files).join(', ')}`);
  }
});

test('Keras: an import that resolves to no project file stays unknown (no finding is guessed)', () => {
  const dir = project({ 'model.py': MODEL_PY('from missing_blocks import dense_stack') });
  const { files } = check(['model.py'], dir);
  assert.deepEqual(files.flatMap((file) => file.diagnostics), []);
});

const LAYERS_TS = `import * as tf from '@tensorflow/tfjs';

export function addDenseStack(model: tf.Sequential, depth: number): void {
  for (let i = 0; i < depth; i++) {
    model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'zeros' }));
  }
}

export const addHead = (model: tf.Sequential) => {
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
};
`;
const MODEL_TS = (specifier: string) => `import * as tf from '@tensorflow/tfjs';
import { addDenseStack, addHead } from '${specifier}';

const model = tf.sequential();
model.add(tf.layers.dense({ units: 64, inputShape: [32], activation: 'relu' }));
addDenseStack(model, 4);
addHead(model);
`;

test('tfjs: layers added by functions imported from ./layers give the findings of the inlined file, in layers.ts', () => {
  const inlinedText = `${LAYERS_TS}\nconst model = tf.sequential();\nmodel.add(tf.layers.dense({ units: 64, inputShape: [32], activation: 'relu' }));\naddDenseStack(model, 4);\naddHead(model);\n`;
  const inlined = check(['model.ts'], project({ 'model.ts': inlinedText })).files[0].diagnostics;
  assert.deepEqual(inlined.map((d) => d.rule), ['symmetric-init']);
  for (const [specifier, name] of [['./layers', 'layers.ts'], ['./layers.js', 'layers.ts'], ['./nets', 'nets/index.ts']]) {
    const dir = project({ 'model.ts': MODEL_TS(specifier), [name]: LAYERS_TS });
    const { files, code } = check(['model.ts'], dir);
    assert.equal(code, 1, specifier);
    assert.deepEqual(diagnosticsOf(files, name), ['symmetric-init@5'], specifier);
    assert.deepEqual(files.find((file) => file.path.endsWith(name))?.diagnostics.map((d) => d.message), inlined.map((d) => d.message));
    assert.deepEqual(diagnosticsOf(files, 'model.ts'), []);
  }
  const missing = check(['model.ts'], project({ 'model.ts': MODEL_TS('./layers') })).files;
  assert.deepEqual(missing.flatMap((file) => file.diagnostics), [], 'an import of no file builds nothing that is guessed');
});
