/**
 * `initlint check` over a project whose layers are written in an imported module: findings are reported in
 * the file where the layer is written, as the same code inlined in one file reports them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempProject } from '../helpers/tempProject';

const bin = join(resolve(__dirname, '../..'), 'bin/initlint.js');

function check(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [bin, 'check', '--format', 'json', '--severity', 'hint', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const report = JSON.parse(result.stdout) as { files: { path: string; diagnostics: { rule: string; range: { start: { line: number } }; message: string }[] }[] };
  return { code: result.status, files: report.files, stderr: result.stderr };
}

const project = (files: Record<string, string>): string => tempProject(files, 'initlint-xfile-');

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
    { 'model.py': MODEL_PY('from blocks import dense_stack as stack\ndense_stack = stack'), 'blocks.py': BLOCKS_PY },
    { 'model.py': MODEL_PY('import blocks as b').replace('dense_stack(model', 'b.dense_stack(model'), 'blocks.py': BLOCKS_PY },
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

test('tfjs: imports under another name are followed (as, namespace, default, re-exports under another name, export *)', () => {
  const layers = `${LAYERS_TS}\nexport default addDenseStack;\n`;
  const call = (imports: string, stack: string, head: string) => MODEL_TS('./unused').replace(/^import \{ addDenseStack.*$/m, imports).replace('addDenseStack(model', `${stack}(model`).replace('addHead(model', `${head}(model`);
  const variants: [string, Record<string, string>][] = [
    ['named as', { 'model.ts': call(`import { addDenseStack as stack, addHead as head } from './layers';`, 'stack', 'head') }],
    ['namespace', { 'model.ts': call(`import * as L from './layers';`, 'L.addDenseStack', 'L.addHead') }],
    ['default', { 'model.ts': call(`import stack, { addHead } from './layers';`, 'stack', 'addHead') }],
    ['re-export as', { 'nets.ts': `export { addDenseStack as denseStack, addHead } from './layers';\n`, 'model.ts': call(`import { denseStack, addHead } from './nets';`, 'denseStack', 'addHead') }],
    ['export * and export * as', { 'nets.ts': `export * from './layers';\nexport * as all from './layers';\n`, 'model.ts': call(`import { addDenseStack, all } from './nets';`, 'addDenseStack', 'all.addHead') }],
  ];
  for (const [name, files] of variants) {
    const { files: report, code } = check(['model.ts'], project({ 'layers.ts': layers, ...files }));
    assert.equal(code, 1, name);
    assert.deepEqual(diagnosticsOf(report, 'layers.ts'), ['symmetric-init@5'], name);
    assert.deepEqual(diagnosticsOf(report, 'model.ts'), [], name);
  }
});

function fix(args: string[], cwd: string) {
  return spawnSync(process.execPath, [bin, 'check', '--fix', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

test('--fix edits the imported module where the layer is written, and the project then checks clean', () => {
  const dir = project({ 'pyproject.toml': '', 'model.py': MODEL_PY('from blocks import dense_stack'), 'blocks.py': BLOCKS_PY });
  const fixed = fix(['model.py'], dir);
  assert.equal(fixed.status, 0, fixed.stdout + fixed.stderr);
  assert.match(fixed.stdout, /Fixed 1 problem/);
  const blocks = readFileSync(join(dir, 'blocks.py'), 'utf8');
  assert.doesNotMatch(blocks, /he_normal/);
  assert.equal(blocks.split('\n').length, BLOCKS_PY.split('\n').length, 'only the initializer changed');
  assert.equal(readFileSync(join(dir, 'model.py'), 'utf8'), MODEL_PY('from blocks import dense_stack'), 'the importing file had nothing to fix');
  assert.deepEqual(check(['.'], dir).files.flatMap((file) => file.diagnostics), []);
});

test('--fix over a folder: the module is fixed once, through the file that imports it, and nothing is left', () => {
  const dir = project({ 'pyproject.toml': '', 'model.py': MODEL_PY('from blocks import dense_stack'), 'blocks.py': BLOCKS_PY });
  const fixed = spawnSync(process.execPath, [bin, 'check', '--fix', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8' });
  const report = JSON.parse(fixed.stdout) as { files: { path: string; diagnostics: unknown[] }[] };
  assert.deepEqual(report.files.flatMap((file) => file.diagnostics), []);
  const blocks = readFileSync(join(dir, 'blocks.py'), 'utf8');
  assert.doesNotMatch(blocks, /he_normal/);
  const again = fix(['.'], dir);
  assert.equal(again.status, 0);
  assert.doesNotMatch(again.stdout, /Fixed/, 'a second --fix finds nothing more to change');
  assert.equal(readFileSync(join(dir, 'blocks.py'), 'utf8'), blocks);
});

test('tfjs --fix edits ./layers through a renamed import; a module outside the project is reported, never written', () => {
  const inside = project({ 'package.json': '{}', 'layers.ts': LAYERS_TS, 'model.ts': MODEL_TS('./layers').replace(/addDenseStack/g, 'stack').replace('import { stack,', 'import { addDenseStack as stack,') });
  const fixed = fix(['model.ts'], inside);
  assert.equal(fixed.status, 0, fixed.stdout + fixed.stderr);
  assert.doesNotMatch(readFileSync(join(inside, 'layers.ts'), 'utf8'), /'zeros'/);
  assert.deepEqual(check(['model.ts'], inside).files.flatMap((file) => file.diagnostics), []);

  const outside = project({ 'layers.ts': LAYERS_TS, 'app/package.json': '{}', 'app/model.ts': MODEL_TS('../layers') });
  const refused = fix(['app/model.ts'], outside);
  assert.equal(refused.status, 1, 'the finding outside the project stays');
  assert.equal(readFileSync(join(outside, 'layers.ts'), 'utf8'), LAYERS_TS);
  assert.deepEqual(diagnosticsOf(check(['app/model.ts'], outside).files, 'layers.ts'), ['symmetric-init@5']);
});

test('the summary counts the project modules read with the files given, before and after --fix', () => {
  // blocks.py was counted only while it held a finding: "in 2 files", then "(1 file checked)" once fixed.
  const dir = project({ 'model.py': MODEL_PY('from blocks import dense_stack'), 'blocks.py': BLOCKS_PY });
  const text = (args: string[]) => spawnSync(process.execPath, [bin, 'check', '--severity', 'hint', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }).stdout;
  assert.match(text(['model.py']), /Found 1 problem \(0 errors, 0 warnings, 1 hint\) in 2 files; 1 fixable with --fix\./);
  assert.match(text(['model.py', '--fix']), /Fixed 1 problem\. All checks passed \(2 files checked\)\./);
  assert.match(readFileSync(join(dir, 'blocks.py'), 'utf8'), /kernel_initializer="glorot_normal"/, 'the fix was written in blocks.py');
  assert.match(text(['model.py']), /All checks passed \(2 files checked\)\./);
});
