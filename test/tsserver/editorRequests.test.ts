/**
 * What the VS Code extension asks of the tsserver plugin beyond diagnostics, in the real tsserver: the hover
 * (quick info with InitLint's numbers), `_initlint.fixAll` (fix-on-save, the Source Action menu) and
 * `_initlint.status` (the status item), and "disable for this file".
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FixAllResponse, StatusResponse } from '../../src/protocol/tsPluginRequests';
import { applyCodeEdits, bundlePlugin, TsServer, writeProject, type FileCodeEdits } from './tsserverClient';

/** Twenty ReLU layers: the first on zeros, the other nineteen on glorotNormal (the tfjs default). */
const MODEL = `import * as tf from '@tensorflow/tfjs';

export function buildModel() {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 256, inputShape: [256], activation: 'relu', kernelInitializer: 'zeros' }));
  for (let i = 1; i < 20; i++) {
    model.add(tf.layers.dense({ units: 256, activation: 'relu' }));
  }
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}
`;

const NOT_TFJS = 'export const answer: number = 42;\n';

interface QuickInfo {
  displayString: string;
  documentation: string;
  start: { line: number; offset: number };
}

interface Diagnostic {
  code: number;
  source?: string;
  startLocation: { line: number; offset: number };
  endLocation: { line: number; offset: number };
}

describe('tsserver plugin: what the editor asks for', () => {
  let server: TsServer;
  let root: string;
  let docs: string;
  const file = (name: string) => join(root, name);

  before(async () => {
    const probe = await bundlePlugin();
    // The rule pages two folders above the plugin's, as in the .vsix (extension/node_modules/initlint-tsserver-plugin).
    cpSync(join(__dirname, '..', '..', 'docs', 'rules'), join(probe, 'docs', 'rules'), { recursive: true });
    docs = join(probe, 'docs', 'rules');
    root = writeProject({ 'model.ts': MODEL, 'save.ts': MODEL, 'plain.ts': NOT_TFJS, 'disable.ts': MODEL });
    server = new TsServer(probe, join(root, 'tsserver.log'));
    for (const name of ['model.ts', 'save.ts', 'plain.ts', 'disable.ts']) server.open(file(name), name === 'plain.ts' ? NOT_TFJS : MODEL);
  });

  after(() => server?.close());

  const ours = async (name: string) =>
    (await server.request<Diagnostic[]>('semanticDiagnosticsSync', { file: file(name), includeLinePosition: true })).filter((diagnostic) => diagnostic.source === 'initlint');

  test('the hover on an initializer shows Var(W), the fans, the gain and the chain, as the Python hover does', async () => {
    // Line 5: `kernelInitializer: 'zeros'`, the cursor inside the string (offsets are 1-based).
    const offset = MODEL.split('\n')[4].indexOf("'zeros'") + 3;
    const info = await server.request<QuickInfo>('quickinfo', { file: file('model.ts'), line: 5, offset });
    assert.match(info.documentation, /\*\*InitLint\*\* · `dense` \(layer 1 of `model`\) · kernel initializer/);
    assert.match(info.documentation, /kernel initializer: `zeros`: Var\(W\) = 0 \(fan_in 256, fan_out 256\)/);
    assert.match(info.documentation, /forward gain: ×0\b/);
    assert.match(info.documentation, /For relu, `heUniform` gives Var\(W\) = 0\.007813 here\./);
    assert.match(info.documentation, /⚠ \[`symmetric-init`\]\(file:[^)]+\): Hidden dense layer starts with a constant kernel/);
    // The rule id links to the page shipped with the plugin.
    const link = /\[`symmetric-init`\]\((file:[^)]+)\)/.exec(info.documentation)![1];
    assert.equal(fileURLToPath(link), join(docs, 'symmetric-init.md'));
    assert.ok(existsSync(fileURLToPath(link)));
  });

  test('the hover on a callee keeps TypeScript’s own quick info and adds the numbers below it', async () => {
    // Line 7: the loop's `tf.layers.dense`, flagged relu-glorot-deep.
    const line = MODEL.split('\n')[6];
    const info = await server.request<QuickInfo>('quickinfo', { file: file('model.ts'), line: 7, offset: line.indexOf('dense') + 2 });
    assert.equal(info.displayString, 'any', 'TypeScript’s own quick info stays (the test project declares tfjs as an untyped module)');
    assert.match(info.documentation, /\*\*InitLint\*\* · `dense` \(layer 2 of `model`\) · layer/);
    assert.match(info.documentation, /kernel initializer: `glorotNormal` \(the default\): Var\(W\) = 0\.003022 \(fan_in 256, fan_out 256\)/);
    assert.match(info.documentation, /its chain of \d+ layers: forward ×\S+, backward ×\S+ \(\w+\)/);
    assert.match(info.documentation, /⚠ \[`relu-glorot-deep`\]\(file:[^)]+relu-glorot-deep\.md\)/);
  });

  test('no InitLint hover on code that is not a layer argument', async () => {
    const info = await server.request<QuickInfo | undefined>('quickinfo', { file: file('model.ts'), line: 4, offset: 10 }).catch(() => undefined);
    assert.doesNotMatch(info?.documentation ?? '', /InitLint/);
  });

  test('_initlint.fixAll returns every preferred fix as one replacement that clears the file', async () => {
    assert.ok((await ours('save.ts')).length >= 2);
    const answer = await server.request<FixAllResponse>('_initlint.fixAll', { file: file('save.ts') });
    assert.equal(answer.analysed, true);
    assert.ok(answer.fixed >= 2, `fixed ${answer.fixed}`);
    assert.equal(MODEL.slice(answer.start, answer.end), answer.oldText);
    const fixed = MODEL.slice(0, answer.start) + answer.newText + MODEL.slice(answer.end);
    assert.doesNotMatch(fixed, /'zeros'/);
    assert.equal(fixed.match(/kernelInitializer: 'heUniform'/g)?.length, 2);
    const lines = MODEL.slice(0, answer.start).split('\n');
    const endLines = MODEL.slice(0, answer.end).split('\n');
    await server.applyEdits([{ fileName: file('save.ts'), textChanges: [{
      start: { line: lines.length, offset: lines.at(-1)!.length + 1 }, end: { line: endLines.length, offset: endLines.at(-1)!.length + 1 }, newText: answer.newText,
    }] }]);
    assert.deepEqual(await ours('save.ts'), []);
    const again = await server.request<FixAllResponse>('_initlint.fixAll', { file: file('save.ts') });
    assert.deepEqual({ analysed: again.analysed, fixed: again.fixed }, { analysed: true, fixed: 0 });
  });

  test('_initlint.fixAll on a file without TensorFlow.js says it is not analysed', async () => {
    const answer = await server.request<FixAllResponse>('_initlint.fixAll', { file: file('plain.ts') });
    assert.deepEqual({ analysed: answer.analysed, fixed: answer.fixed }, { analysed: false, fixed: 0 });
  });

  test('_initlint.status names the models of an analysed file, and why another is not analysed', async () => {
    const status = await server.request<StatusResponse>('_initlint.status', { file: file('model.ts') });
    assert.equal(status.analysed, true);
    assert.deepEqual(status.models, [{ name: 'model', layers: 21 }]);
    assert.ok(status.findings >= 2);
    const plain = await server.request<StatusResponse>('_initlint.status', { file: file('plain.ts') });
    assert.equal(plain.analysed, false);
    assert.match(plain.reason ?? '', /no TensorFlow\.js import/);
  });

  test('"Disable <rule> for this file" puts a file directive on the first line, and the finding goes', async () => {
    const findings = await ours('disable.ts');
    const zero = findings.find((diagnostic) => diagnostic.startLocation.line === 5)!;
    const fixes = await server.request<{ description: string; changes: FileCodeEdits[] }[]>('getCodeFixes', {
      file: file('disable.ts'), startLine: zero.startLocation.line, startOffset: zero.startLocation.offset,
      endLine: zero.endLocation.line, endOffset: zero.endLocation.offset, errorCodes: [zero.code],
    });
    const disable = fixes.find((fix) => fix.description === 'Disable initlint symmetric-init for this file');
    assert.ok(disable, fixes.map((fix) => fix.description).join(' | '));
    assert.equal(applyCodeEdits(MODEL, disable.changes[0].textChanges).split('\n')[0], '// initlint-disable-file symmetric-init');
    await server.applyEdits(disable.changes);
    const after = await ours('disable.ts');
    assert.equal(after.length, findings.length - 1);
  });
});
