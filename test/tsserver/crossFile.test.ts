/**
 * The tsserver plugin reads the modules of the program a file imports: a layer added by a function of
 * `./layers` is reported in layers.ts, and an edit of layers.ts updates what the editor shows for the model.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundlePlugin, TsServer, writeProject } from './tsserverClient';

const LAYERS_TS = `import * as tf from '@tensorflow/tfjs';

export function addDenseStack(model: any, depth: number): void {
  for (let i = 0; i < depth; i++) {
    model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'zeros' }));
  }
}

export const ACTIVATION = 'tanh';
`;
const MODEL_TS = `import * as tf from '@tensorflow/tfjs';
import { addDenseStack, ACTIVATION } from './layers';

const model = tf.sequential();
model.add(tf.layers.dense({ units: 64, inputShape: [32], activation: ACTIVATION, kernelInitializer: 'heNormal' }));
addDenseStack(model, 4);
model.add(tf.layers.dense({ units: 1 }));
`;

interface Diagnostic {
  code: number;
  source?: string;
  message: string;
  startLocation: { line: number; offset: number };
}

const SYMMETRIC_INIT = 91001;
const SATURATING_HE = 91004;

describe('tsserver plugin across modules', () => {
  let server: TsServer;
  let root: string;
  const file = (name: string) => join(root, name);
  const ours = async (name: string) => {
    const semantic = await server.request<Diagnostic[]>('semanticDiagnosticsSync', { file: file(name), includeLinePosition: true });
    const suggestions = await server.request<Diagnostic[]>('suggestionDiagnosticsSync', { file: file(name), includeLinePosition: true });
    return [...semantic, ...suggestions].filter((diagnostic) => diagnostic.source === 'initlint').map((diagnostic) => `${diagnostic.code}@${diagnostic.startLocation.line}`);
  };

  before(async () => {
    const probe = await bundlePlugin();
    root = writeProject({ 'layers.ts': LAYERS_TS, 'model.ts': MODEL_TS });
    server = new TsServer(probe, join(root, 'tsserver.log'));
    for (const name of ['model.ts', 'layers.ts']) server.open(file(name), readFileSync(file(name), 'utf8'));
  });

  after(() => server?.close());

  test('the zeros kernel written in layers.ts is reported there, found through model.ts', async () => {
    assert.deepEqual(await ours('model.ts'), [`${SATURATING_HE}@5`], 'tanh read from layers.ts');
    assert.deepEqual((await ours('layers.ts')).filter((entry) => entry.startsWith(String(SYMMETRIC_INIT))), [`${SYMMETRIC_INIT}@5`]);
  });

  test('an edit of layers.ts updates both files', async () => {
    await server.request('updateOpen', { changedFiles: [{ fileName: file('layers.ts'), textChanges: [{ start: { line: 5, offset: 83 }, end: { line: 5, offset: 90 }, newText: "'heNormal'" }] }] });
    const layers = await ours('layers.ts');
    assert.ok(!layers.some((entry) => entry.startsWith(String(SYMMETRIC_INIT))), `no zeros left: ${layers.join(', ')}`);
    await server.request('updateOpen', { changedFiles: [{ fileName: file('layers.ts'), textChanges: [{ start: { line: 9, offset: 27 }, end: { line: 9, offset: 33 }, newText: "'relu'" }] }] });
    assert.deepEqual(await ours('model.ts'), [], 'he under relu once layers.ts says relu');
  });
});

describe('tsserver plugin across modules, imports under another name', () => {
  let server: TsServer;
  let root: string;

  before(async () => {
    const probe = await bundlePlugin();
    // The same layers as above, reached only through a namespace import and a re-export under another name.
    const app = MODEL_TS.replace("import { addDenseStack, ACTIVATION } from './layers';", "import * as L from './layers';\nimport { stack } from './nets';")
      .replace('activation: ACTIVATION', 'activation: L.ACTIVATION').replace('addDenseStack(model, 4);', 'stack(model, 4);');
    root = writeProject({ 'layers.ts': LAYERS_TS, 'nets.ts': `export { addDenseStack as stack } from './layers';\n`, 'app.ts': app });
    server = new TsServer(probe, join(root, 'tsserver.log'));
    for (const name of ['app.ts', 'layers.ts']) server.open(join(root, name), readFileSync(join(root, name), 'utf8'));
  });

  after(() => server?.close());

  test('L.ACTIVATION and stack (addDenseStack re-exported as stack) are read: findings in both files', async () => {
    const ours = async (name: string) => {
      const args = { file: join(root, name), includeLinePosition: true };
      const all = [...await server.request<Diagnostic[]>('semanticDiagnosticsSync', args), ...await server.request<Diagnostic[]>('suggestionDiagnosticsSync', args)];
      return all.filter((diagnostic) => diagnostic.source === 'initlint').map((diagnostic) => `${diagnostic.code}@${diagnostic.startLocation.line}`);
    };
    assert.deepEqual(await ours('app.ts'), [`${SATURATING_HE}@6`], 'tanh read through the namespace L');
    assert.deepEqual((await ours('layers.ts')).filter((entry) => entry.startsWith(String(SYMMETRIC_INIT))), [`${SYMMETRIC_INIT}@5`]);
  });
});

describe('tsserver plugin across modules, CommonJS and an anonymous default export', () => {
  let server: TsServer;
  let root: string;
  const STACK = `  for (let i = 0; i < depth; i++) {
    model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'zeros' }));
  }`;
  const modelOf = (imports: string, call: string) => `${imports}

const model = tf.sequential();
model.add(tf.layers.dense({ units: 64, inputShape: [32], activation: 'relu' }));
${call}(model, 4);
`;

  before(async () => {
    const probe = await bundlePlugin();
    root = writeProject({
      'layers.js': `const tf = require('@tensorflow/tfjs');\n\nexports.addDenseStack = function (model, depth) {\n${STACK}\n};\n`,
      'model.js': modelOf(`const tf = require('@tensorflow/tfjs');\nconst { addDenseStack } = require('./layers');`, 'addDenseStack'),
      'blocks.ts': `import * as tf from '@tensorflow/tfjs';\n\nexport default function (model: any, depth: number): void {\n${STACK}\n}\n`,
      'app.ts': modelOf(`import * as tf from '@tensorflow/tfjs';\nimport build from './blocks';`, 'build'),
    });
    server = new TsServer(probe, join(root, 'tsserver.log'));
    for (const name of ['model.js', 'app.ts', 'layers.js', 'blocks.ts']) server.open(join(root, name), readFileSync(join(root, name), 'utf8'));
  });

  after(() => server?.close());

  const ours = async (name: string) => {
    const args = { file: join(root, name), includeLinePosition: true };
    const all = [...await server.request<Diagnostic[]>('semanticDiagnosticsSync', args), ...await server.request<Diagnostic[]>('suggestionDiagnosticsSync', args)];
    return all.filter((diagnostic) => diagnostic.source === 'initlint').map((diagnostic) => `${diagnostic.code}@${diagnostic.startLocation.line}`);
  };

  test('require(\'./layers\') with exports.addDenseStack = function …: the zeros kernel is reported in layers.js', async () => {
    assert.deepEqual(await ours('model.js'), []);
    assert.deepEqual(await ours('layers.js'), [`${SYMMETRIC_INIT}@5`]);
  });

  test('import build from \'./blocks\' of an anonymous export default function: reported in blocks.ts, and follows its edits', async () => {
    assert.deepEqual(await ours('app.ts'), []);
    assert.deepEqual(await ours('blocks.ts'), [`${SYMMETRIC_INIT}@5`]);
    await server.request('updateOpen', { changedFiles: [{ fileName: join(root, 'blocks.ts'), textChanges: [{ start: { line: 5, offset: 83 }, end: { line: 5, offset: 90 }, newText: "'heNormal'" }] }] });
    assert.deepEqual(await ours('blocks.ts'), []);
  });
});
