/**
 * `initlint check` over projects that import their layer helpers in the forms real code also uses: Python
 * `import nets.blocks` (dotted module as a name chain), `from blocks import *`, tfjs CommonJS `require('./layers')`
 * and an anonymous `export default`. Each finding lands in the module where the layer is written; what cannot be
 * resolved stays unknown.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { tempProject } from '../helpers/tempProject';

const bin = join(resolve(__dirname, '../..'), 'bin/initlint.js');

interface ReportFile { path: string; diagnostics: { rule: string; range: { start: { line: number } }; message: string }[] }

function check(args: string[], cwd: string): { code: number | null; files: ReportFile[] } {
  const result = spawnSync(process.execPath, [bin, 'check', '--format', 'json', '--severity', 'hint', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, files: (JSON.parse(result.stdout) as { files: ReportFile[] }).files };
}

const project = (files: Record<string, string>): string => tempProject(files, 'initlint-xforms-');

/** `rule@line` of each finding of the file whose path ends with `name`. */
function findingsIn(files: ReportFile[], name: string): string[] {
  return files.find((file) => file.path.endsWith(name))?.diagnostics.map((d) => `${d.rule}@${d.range.start.line}`) ?? [];
}

const BLOCKS_PY = `from tensorflow.keras import layers


def dense_stack(model, depth):
    for _ in range(depth):
        model.add(layers.Dense(64, activation="tanh", kernel_initializer="he_normal"))


def _private_stack(model, depth):
    dense_stack(model, depth)
`;

const modelPy = (imports: string, call: string) => `from tensorflow import keras
${imports}

model = keras.Sequential([keras.Input(shape=(32,))])
${call}(model, 12)
model.add(keras.layers.Dense(10))
`;

test('Keras: import nets.blocks then nets.blocks.dense_stack(…) — package with or without __init__.py, src/ layout', () => {
  const layouts: [string, Record<string, string>][] = [
    ['package', { 'nets/__init__.py': '', 'nets/blocks.py': BLOCKS_PY, 'model.py': modelPy('import nets.blocks', 'nets.blocks.dense_stack') }],
    ['namespace package', { 'nets/blocks.py': BLOCKS_PY, 'model.py': modelPy('import nets.blocks', 'nets.blocks.dense_stack') }],
    ['two submodules', { 'nets/__init__.py': 'WIDTH = 64\n', 'nets/blocks.py': BLOCKS_PY, 'nets/heads.py': 'def head(model):\n    pass\n', 'model.py': modelPy('import nets.heads\nimport nets.blocks\nnets.heads.head(None)', 'nets.blocks.dense_stack') }],
    ['deeper, src/', { 'pyproject.toml': '', 'src/lib/nets/__init__.py': '', 'src/lib/nets/blocks.py': BLOCKS_PY, 'scripts/model.py': modelPy('import lib.nets.blocks', 'lib.nets.blocks.dense_stack') }],
    ['from package import module', { 'nets/__init__.py': '', 'nets/blocks.py': BLOCKS_PY, 'model.py': modelPy('from nets import blocks', 'blocks.dense_stack') }],
    ['from namespace package import module', { 'nets/blocks.py': BLOCKS_PY, 'model.py': modelPy('from nets import blocks as b', 'b.dense_stack') }],
  ];
  for (const [name, files] of layouts) {
    const main = Object.keys(files).find((path) => path.endsWith('model.py'))!;
    const { code, files: report } = check([main, '--fail-on', 'hint'], project(files));
    assert.equal(code, 1, name);
    assert.deepEqual(findingsIn(report, 'blocks.py'), ['saturating-he@6'], name);
    assert.deepEqual(findingsIn(report, 'model.py'), [], name);
  }
});

test('Keras: import nets.blocks where the project has no such module stays unknown', () => {
  const dir = project({ 'nets/__init__.py': '', 'model.py': modelPy('import nets.blocks', 'nets.blocks.dense_stack') });
  assert.deepEqual(check(['model.py'], dir).files.flatMap((file) => file.diagnostics), []);
});

test('Keras: from blocks import * binds the public names, or those __all__ lists', () => {
  const variants: [string, string, string, string[]][] = [
    ['public names', BLOCKS_PY, 'dense_stack', ['saturating-he@6']],
    ['a name starting with _ is not bound', BLOCKS_PY, '_private_stack', []],
    ['__all__ as a list', `${BLOCKS_PY}\n__all__ = ["dense_stack"]\n`, 'dense_stack', ['saturating-he@6']],
    ['__all__ as a tuple leaves out the others', `${BLOCKS_PY}\n\ndef other(model, depth):\n    dense_stack(model, depth)\n\n\n__all__ = ("_private_stack",)\n`, '_private_stack', ['saturating-he@6']],
    ['a name __all__ leaves out is not bound', `${BLOCKS_PY}\n\ndef other(model, depth):\n    dense_stack(model, depth)\n\n\n__all__ = ("_private_stack",)\n`, 'other', []],
    ['an __all__ that is not a literal binds nothing', `${BLOCKS_PY}\n__all__ = [name for name in dir() if name.endswith("stack")]\n`, 'dense_stack', []],
  ];
  for (const [name, blocks, call, expected] of variants) {
    const { files } = check(['model.py'], project({ 'blocks.py': blocks, 'model.py': modelPy('from blocks import *', call) }));
    assert.deepEqual(findingsIn(files, 'blocks.py'), expected, name);
    assert.deepEqual(findingsIn(files, 'model.py'), [], name);
  }
  const relative = project({ 'pkg/__init__.py': '', 'pkg/blocks.py': BLOCKS_PY, 'pkg/model.py': modelPy('from .blocks import *', 'dense_stack') });
  assert.deepEqual(findingsIn(check(['pkg/model.py'], relative).files, 'blocks.py'), ['saturating-he@6'], 'from .blocks import *');
});

const STACK_BODY = `  for (let i = 0; i < depth; i++) {
    model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'zeros' }));
  }`;
const modelJs = (imports: string, call: string) => `const tf = require('@tensorflow/tfjs');
${imports}

const model = tf.sequential();
model.add(tf.layers.dense({ units: 64, inputShape: [32], activation: 'relu' }));
${call}(model, 4);
`;

test('tfjs CommonJS: require(\'./layers\') with module.exports = { … }, exports.f = …, module.exports = function …', () => {
  const header = `const tf = require('@tensorflow/tfjs');\n\n`;
  const variants: [string, string, string, string][] = [
    ['module.exports = { f }, destructured', `${header}function addDenseStack(model, depth) {\n${STACK_BODY}\n}\n\nmodule.exports = { addDenseStack };\n`, `const { addDenseStack } = require('./layers');`, 'addDenseStack'],
    ['module.exports = { f }, as an object', `${header}function addDenseStack(model, depth) {\n${STACK_BODY}\n}\n\nmodule.exports = { addDenseStack };\n`, `const layers = require('./layers');`, 'layers.addDenseStack'],
    ['exports.f = function', `${header}exports.stack = function (model, depth) {\n${STACK_BODY}\n};\n`, `const { stack: addDenseStack } = require('./layers.js');`, 'addDenseStack'],
    ['module.exports.f = arrow', `${header}module.exports.stack = (model, depth) => {\n${STACK_BODY}\n};\n`, `const layers = require('./layers');`, 'layers.stack'],
    ['module.exports = function', `${header}module.exports = function (model, depth) {\n${STACK_BODY}\n};\n`, `const addDenseStack = require('./layers');`, 'addDenseStack'],
    ['required inside a function', `${header}module.exports = function (model, depth) {\n${STACK_BODY}\n};\n`, `function load() {\n  return require('./layers');\n}`, 'load()'],
  ];
  for (const [name, layers, imports, call] of variants) {
    const { code, files } = check(['model.js'], project({ 'layers.js': layers, 'model.js': modelJs(imports, call) }));
    assert.equal(code, 1, name);
    assert.deepEqual(findingsIn(files, 'layers.js'), ['symmetric-init@5'], name);
    assert.deepEqual(findingsIn(files, 'model.js'), [], name);
  }
});

test('tfjs CommonJS: an ES module required, import x = require(), and a require of no file (unknown)', () => {
  const esLayers = `import * as tf from '@tensorflow/tfjs';\n\nexport function addDenseStack(model: tf.Sequential, depth: number): void {\n${STACK_BODY}\n}\n`;
  const required = check(['model.ts'], project({ 'layers.ts': esLayers, 'model.ts': modelJs(`const { addDenseStack } = require('./layers');`, 'addDenseStack') }));
  assert.deepEqual(findingsIn(required.files, 'layers.ts'), ['symmetric-init@5'], 'require of an ES module');
  const importEquals = check(['model.ts'], project({ 'layers.ts': esLayers, 'model.ts': modelJs(`import layers = require('./layers');`, 'layers.addDenseStack') }));
  assert.deepEqual(findingsIn(importEquals.files, 'layers.ts'), ['symmetric-init@5'], 'import layers = require()');
  const missing = check(['model.js'], project({ 'model.js': modelJs(`const { addDenseStack } = require('./layers');`, 'addDenseStack') }));
  assert.deepEqual(missing.files.flatMap((file) => file.diagnostics), [], 'a require of no file builds nothing that is guessed');
});

test('tfjs: an anonymous export default function or class, imported under any name', () => {
  const header = `import * as tf from '@tensorflow/tfjs';\n\n`;
  const variants: [string, string, string, string][] = [
    ['function', `${header}export default function (model: tf.Sequential, depth: number): void {\n${STACK_BODY}\n}\n`, `import build from './model';`, 'build'],
    ['async-less, no space', `${header}export default function(model: tf.Sequential, depth: number) {\n${STACK_BODY}\n}\n`, `import stack from './model.js';`, 'stack'],
    ['class', `${header}export default class {\n  static add(model: tf.Sequential, depth: number) {\n${STACK_BODY.replace(/^/gm, '  ')}\n  }\n}\n`, `import Blocks from './model';`, 'Blocks.add'],
  ];
  for (const [name, module, imports, call] of variants) {
    const line = name === 'class' ? 6 : 5;
    const { code, files } = check(['app.ts'], project({ 'model.ts': module, 'app.ts': modelJs(imports, call).replace(/^const tf = .*$/m, `import * as tf from '@tensorflow/tfjs';`) }));
    assert.equal(code, 1, name);
    assert.deepEqual(findingsIn(files, 'model.ts'), [`symmetric-init@${line}`], name);
    assert.deepEqual(findingsIn(files, 'app.ts'), [], name);
    for (const file of files) for (const finding of file.diagnostics) assert.doesNotMatch(finding.message, /\$default/, 'the mounted name never shows');
  }
});

test('tfjs CommonJS: a specifier that names different files in different modules (./utils of two folders) reaches each module\'s own file', () => {
  const utils = (init: string) => `const tf = require('@tensorflow/tfjs');\n\nmodule.exports = function (model, depth) {\n${STACK_BODY.replace("'zeros'", `'${init}'`)}\n};\n`;
  const user = `const stack = require('./utils');\nmodule.exports = { stack };\n`;
  const files = { 'a/utils.js': utils('zeros'), 'a/index.js': user, 'b/utils.js': utils('ones'), 'b/index.js': user };
  const single = check(['model.js'], project({ ...files, 'model.js': modelJs(`const a = require('./a');`, 'a.stack') }));
  assert.deepEqual(findingsIn(single.files, 'a/utils.js'), ['symmetric-init@5'], 'one ./utils in the project: followed');
  const both = check(['model.js'], project({ ...files, 'model.js': modelJs(`const a = require('./a');\nconst b = require('./b');`, 'a.stack') }));
  assert.deepEqual(findingsIn(both.files, 'a/utils.js'), ['symmetric-init@5'], 'two ./utils: a\'s own is followed');
  assert.deepEqual(findingsIn(both.files, 'b/utils.js'), [], 'two ./utils: b\'s, never called, is not guessed into a\'s call');
});
