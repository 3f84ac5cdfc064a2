/**
 * The tsserver plugin inside the real tsserver: findings next to TypeScript's own diagnostics, quick
 * fixes, fix-all, settings through configurePlugin, and a plugin failure that leaves tsserver's answers intact.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyCodeEdits, bundlePlugin, TsServer, writeProject, type FileCodeEdits } from './tsserverClient';

const DEEP_RELU = `import * as tf from '@tensorflow/tfjs';

const typo: number = 'not a number';

export function buildModel() {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 256, inputShape: [256], activation: 'relu', kernelInitializer: 'heUniform' })] });
  for (let i = 1; i < 10; i++) model.add(tf.layers.dense({ units: 256, activation: 'relu' }));
  for (let i = 1; i < 10; i++) {
    model.add(tf.layers.dense({ units: 256, activation: 'relu', kernelInitializer: 'leCunUniform' }));
  }
  model.add(tf.layers.dense({ units: 10 }));
  return model;
}
`;

const NOT_TFJS = `const typo: number = 'not a number';
export const layers = [1, 2, 3].map((units) => ({ units, activation: 'relu' }));
`;

/** TensorFlow.js loaded lazily inside the builder: no top-level import, still a tfjs file. */
const LAZY_IMPORT = `export async function buildModel() {
  const tf = await import('@tensorflow/tfjs');
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 256, inputShape: [256], activation: 'relu', kernelInitializer: 'heUniform' }));
  for (let i = 1; i < 20; i++) {
    model.add(tf.layers.dense({ units: 256, activation: 'relu' }));
  }
  return model;
}
`;

/** A page script on the global tf of a <script> tag: no import, still a tfjs file. */
const GLOBAL_TF = `const model = tf.sequential();
model.add(tf.layers.dense({ units: 256, inputShape: [256], activation: 'relu', kernelInitializer: 'heUniform' }));
for (let i = 1; i < 20; i++) {
  model.add(tf.layers.dense({ units: 256, activation: 'relu' }));
}
`;

/** TensorFlow.js as an ES module from a CDN: the import names a URL, not the package. */
const CDN_IMPORT = `import { layers, sequential } from 'https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@4.22.0/+esm';
${GLOBAL_TF.replaceAll('tf.', '')}`;

/** With INITLINT_FAULT_INJECTION=1 the plugin throws on files carrying this marker. */
const FAULTY = `// initlint-fault-injection
${DEEP_RELU}`;

interface Diagnostic {
  message: string;
  start: number;
  length: number;
  category: string;
  code: number;
  source?: string;
  startLocation: { line: number; offset: number };
  endLocation: { line: number; offset: number };
}

interface CodeFix {
  fixName: string;
  description: string;
  changes: FileCodeEdits[];
  fixId?: string;
}

const TS_TYPE_ERROR = 2322;
const RELU_GLOROT_DEEP = 91003;

describe('tsserver plugin', () => {
  let server: TsServer;
  let root: string;
  const file = (name: string) => join(root, name);

  before(async () => {
    const probe = await bundlePlugin();
    root = writeProject({ 'model.ts': DEEP_RELU, 'other.ts': NOT_TFJS, 'faulty.ts': FAULTY, 'fixall.ts': DEEP_RELU, 'config.ts': DEEP_RELU, 'lazy.ts': LAZY_IMPORT, 'page.js': GLOBAL_TF, 'cdn.js': CDN_IMPORT });
    server = new TsServer(probe, join(root, 'tsserver.log'), { INITLINT_FAULT_INJECTION: '1' });
    for (const name of ['model.ts', 'other.ts', 'faulty.ts', 'fixall.ts', 'lazy.ts', 'page.js', 'cdn.js']) server.open(file(name), readFileSync(file(name), 'utf8'));
  });

  after(() => server?.close());

  const diagnostics = (name: string) => server.request<Diagnostic[]>('semanticDiagnosticsSync', { file: file(name), includeLinePosition: true });
  const ours = (list: Diagnostic[]) => list.filter((diagnostic) => diagnostic.source === 'initlint');

  test('reports findings next to TypeScript’s own diagnostics', async () => {
    const list = await diagnostics('model.ts');
    assert.ok(list.some((diagnostic) => diagnostic.code === TS_TYPE_ERROR), 'the type error is still there');
    const findings = ours(list);
    assert.equal(findings.length, 2);
    for (const finding of findings) {
      assert.equal(finding.code, RELU_GLOROT_DEEP);
      assert.equal(finding.category, 'warning');
      assert.match(finding.message, /\[relu-glorot-deep\]$/);
    }
    assert.deepEqual(findings.map((finding) => finding.startLocation.line), [7, 9]);
  });

  test('leaves files that do not import TensorFlow.js alone', async () => {
    const list = await diagnostics('other.ts');
    assert.deepEqual(list.map((diagnostic) => diagnostic.code), [TS_TYPE_ERROR]);
  });

  test('analyses a file that loads TensorFlow.js with a dynamic import inside the builder', async () => {
    const findings = ours(await diagnostics('lazy.ts'));
    assert.deepEqual(findings.map((finding) => [finding.code, finding.startLocation.line]), [[RELU_GLOROT_DEEP, 6]]);
  });

  test('analyses a page script that builds its model on the global tf of a <script> tag', async () => {
    const findings = ours(await diagnostics('page.js'));
    assert.deepEqual(findings.map((finding) => [finding.code, finding.startLocation.line]), [[RELU_GLOROT_DEEP, 4]]);
  });

  test('analyses a module that imports TensorFlow.js from a CDN', async () => {
    const findings = ours(await diagnostics('cdn.js'));
    assert.deepEqual(findings.map((finding) => [finding.code, finding.startLocation.line]), [[RELU_GLOROT_DEEP, 5]]);
  });

  test('registers its codes where VS Code asks for them (no file)', async () => {
    const codes = await server.request<string[]>('getSupportedCodeFixes');
    assert.ok(codes.includes(String(RELU_GLOROT_DEEP)));
  });

  test('offers the preferred fix first, then "disable for this line" and "for this file"; applying the fix removes the finding', async () => {
    const [first] = ours(await diagnostics('model.ts'));
    const fixes = await server.request<CodeFix[]>('getCodeFixes', {
      file: file('model.ts'), startLine: first.startLocation.line, startOffset: first.startLocation.offset,
      endLine: first.endLocation.line, endOffset: first.endLocation.offset, errorCodes: [first.code],
    });
    assert.ok(fixes.length >= 2);
    assert.equal(fixes[0].fixId, 'initlint-fix-all');
    assert.deepEqual(fixes.slice(-2).map((fix) => fix.description), ['Disable initlint relu-glorot-deep for this line', 'Disable initlint relu-glorot-deep for this file']);

    const fixed = applyCodeEdits(DEEP_RELU, fixes[0].changes[0].textChanges);
    assert.match(fixed.split('\n')[6], /kernelInitializer: 'he(Uniform|Normal)'/);
    await server.applyEdits(fixes[0].changes);
    const after = ours(await diagnostics('model.ts'));
    assert.deepEqual(after.map((diagnostic) => diagnostic.startLocation.line), [9]);

    const [remaining] = after;
    const disable = (await server.request<CodeFix[]>('getCodeFixes', {
      file: file('model.ts'), startLine: remaining.startLocation.line, startOffset: remaining.startLocation.offset,
      endLine: remaining.startLocation.line, endOffset: remaining.startLocation.offset, errorCodes: [remaining.code],
    })).find((fix) => fix.description.endsWith('for this line'))!;
    assert.equal(applyCodeEdits(fixed, disable.changes[0].textChanges).split('\n')[8], '    // initlint-disable-next-line relu-glorot-deep');
    await server.applyEdits(disable.changes);
    assert.deepEqual(ours(await diagnostics('model.ts')), []);
  });

  test('fix-all applies every preferred fix through getCombinedCodeFix', async () => {
    assert.equal(ours(await diagnostics('fixall.ts')).length, 2);
    const combined = await server.request<{ changes: FileCodeEdits[] }>('getCombinedCodeFix', {
      scope: { type: 'file', args: { file: file('fixall.ts') } }, fixId: 'initlint-fix-all',
    });
    const fixed = applyCodeEdits(DEEP_RELU, combined.changes[0].textChanges);
    // The He first layer's, and one per fixed loop.
    assert.equal(fixed.match(/kernelInitializer: 'heUniform'/g)?.length, 3);
    await server.applyEdits(combined.changes);
    const list = await diagnostics('fixall.ts');
    assert.deepEqual(ours(list), []);
    assert.ok(list.some((diagnostic) => diagnostic.code === TS_TYPE_ERROR));
  });

  test('a failing plugin leaves tsserver’s own answers intact, and logs why', async () => {
    const list = await diagnostics('faulty.ts');
    assert.deepEqual(list.map((diagnostic) => diagnostic.code), [TS_TYPE_ERROR]);
    const typeError = list[0];
    const fixes = await server.request<CodeFix[]>('getCodeFixes', {
      file: file('faulty.ts'), startLine: typeError.startLocation.line, startOffset: typeError.startLocation.offset,
      endLine: typeError.endLocation.line, endOffset: typeError.endLocation.offset, errorCodes: [typeError.code, RELU_GLOROT_DEEP],
    });
    assert.ok(Array.isArray(fixes));
    assert.equal(server.exited, false);
    assert.match(readFileSync(server.logFile!, 'utf8'), /\[initlint\] getSemanticDiagnostics failed on .*faulty\.ts: Error: injected fault/);
  });

  test('settings from configurePlugin turn a rule off and back on', async () => {
    server.open(file('config.ts'), DEEP_RELU);
    assert.equal(ours(await diagnostics('config.ts')).length, 2);
    await server.request('configurePlugin', { pluginName: 'initlint-tsserver-plugin', configuration: { rules: { 'relu-glorot-deep': 'off' } } });
    assert.deepEqual(ours(await diagnostics('config.ts')), []);
    await server.request('configurePlugin', { pluginName: 'initlint-tsserver-plugin', configuration: { rules: { 'relu-glorot-deep': 'error' } } });
    assert.deepEqual(ours(await diagnostics('config.ts')).map((diagnostic) => diagnostic.category), ['error', 'error']);
    await server.request('configurePlugin', { pluginName: 'initlint-tsserver-plugin', configuration: { enable: false } });
    assert.deepEqual(ours(await diagnostics('config.ts')), []);
    await server.request('configurePlugin', { pluginName: 'initlint-tsserver-plugin', configuration: {} });
  });
});
