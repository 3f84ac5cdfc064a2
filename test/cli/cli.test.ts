/** The `initlint` command as users and CI run it: the built bundle, real files, real exit codes. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RULE_IDS } from '../../src/core/findings';
import { tempProject } from '../helpers/tempProject';

const root = resolve(__dirname, '../..');
const bin = join(root, 'bin/initlint.js');

function initlint(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const project = (files: Record<string, string>): string => tempProject(files, 'initlint-cli-');

const DEEP_KERAS = `import keras
model = keras.Sequential([keras.Input(shape=(64,))])
for _ in range(20):
    model.add(keras.layers.Dense(64, activation="relu"))
model.add(keras.layers.Dense(1))
`;
const ZEROS_TFJS = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({units: 8, inputShape: [8], activation: 'relu', kernelInitializer: 'zeros'}));
model.add(tf.layers.dense({units: 1, kernelInitializer: 'glorotUniform'}));
`;
const CLEAN = `import keras
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
`;

before(() => {
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
});

test('check: text output, one line per finding, a summary, exit 1 on a warning', () => {
  const dir = project({ 'models/deep.py': DEEP_KERAS, 'models/clean.py': CLEAN, 'node_modules/skip.py': DEEP_KERAS, '.venv/x.py': DEEP_KERAS });
  const { code, stdout } = initlint(['check', '.'], dir);
  assert.equal(code, 1);
  assert.match(stdout, /^models\/deep\.py:4:15: warning .*20 ReLU layers.* \[relu-glorot-deep\] \(fix: Use he_uniform\)$/m);
  assert.match(stdout, /Found 1 problem \(0 errors, 1 warning\) in 2 files; 1 fixable with --fix\./);
  assert.doesNotMatch(stdout, /node_modules|\.venv/);
});

test('check: --fail-on decides the exit code', () => {
  const dir = project({ 'deep.py': DEEP_KERAS });
  assert.equal(initlint(['check', 'deep.py', '--fail-on', 'error'], dir).code, 0);
  assert.equal(initlint(['check', 'deep.py', '--fail-on', 'never'], dir).code, 0);
  assert.equal(initlint(['check', 'deep.py', '--fail-on', 'info'], dir).code, 1);
  assert.equal(initlint(['check', 'clean.py'], project({ 'clean.py': CLEAN })).code, 0);
});

test('check --format json: the documented shape, every file listed, 1-based ranges', () => {
  const dir = project({ 'a.ts': ZEROS_TFJS, 'b.py': CLEAN });
  const { code, stdout } = initlint(['check', 'a.ts', 'b.py', '--format', 'json'], dir);
  assert.equal(code, 1);
  const report = JSON.parse(stdout);
  assert.equal(report.version, 1);
  assert.deepEqual(report.files.map((file: { path: string }) => file.path), ['a.ts', 'b.py']);
  assert.deepEqual(report.files[1].diagnostics, []);
  const [diagnostic] = report.files[0].diagnostics;
  assert.equal(diagnostic.rule, 'symmetric-init');
  assert.equal(diagnostic.severity, 'error');
  assert.deepEqual(diagnostic.range, { start: { line: 3, column: 94 }, end: { line: 3, column: 101 } });
  assert.deepEqual(diagnostic.fixes[0].edits, [{ range: diagnostic.range, newText: "'heUniform'" }]);
});

test('check --format sarif: SARIF 2.1.0 with rules, results and fixes', () => {
  const dir = project({ 'a.ts': ZEROS_TFJS });
  const sarif = JSON.parse(initlint(['check', '.', '--format', 'sarif'], dir).stdout);
  assert.equal(sarif.version, '2.1.0');
  const [run] = sarif.runs;
  assert.equal(run.tool.driver.name, 'InitLint');
  assert.equal(run.tool.driver.rules.length, RULE_IDS.length);
  assert.equal(run.results[0].ruleId, 'symmetric-init');
  assert.equal(run.results[0].level, 'error');
  assert.deepEqual(run.results[0].locations[0].physicalLocation.region, { startLine: 3, startColumn: 94, endLine: 3, endColumn: 101 });
  assert.equal(run.results[0].fixes[0].artifactChanges[0].replacements[0].insertedContent.text, "'heUniform'");
});

test('check --fix rewrites files in place and reports what remains', () => {
  const dir = project({ 'deep.py': DEEP_KERAS, 'zeros.ts': ZEROS_TFJS });
  const { code, stdout } = initlint(['check', '.', '--fix'], dir);
  assert.equal(code, 0, stdout);
  assert.match(stdout, /Fixed 2 problems\. All checks passed/);
  assert.match(readFileSync(join(dir, 'deep.py'), 'utf8'), /keras\.layers\.Dense\(64, activation="relu", kernel_initializer="he_uniform"\)/);
  assert.match(readFileSync(join(dir, 'zeros.ts'), 'utf8'), /kernelInitializer: 'heUniform'/);
  assert.equal(initlint(['check', '.'], dir).code, 0);
});

test('check --fix keeps the bytes of a file that is not UTF-8 (a latin-1 comment), fixing only the code', () => {
  const dir = project({});
  const original = Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\n# caf'), Buffer.from([0xe9]), Buffer.from('\n' + DEEP_KERAS)]);
  writeFileSync(join(dir, 'latin.py'), original);
  const { code, stdout } = initlint(['check', 'latin.py', '--fix'], dir);
  assert.equal(code, 0, stdout);
  const fixed = readFileSync(join(dir, 'latin.py'));
  assert.deepEqual([...fixed.subarray(0, original.indexOf(0x0a, 30) + 1)], [...original.subarray(0, original.indexOf(0x0a, 30) + 1)]);
  assert.match(fixed.toString('latin1'), /activation="relu", kernel_initializer="he_uniform"\)\)/);
});

test('unreadable and missing paths: a clear message, exit 2, and the other files still checked', () => {
  const dir = project({ 'deep.py': DEEP_KERAS });
  const { code, stdout, stderr } = initlint(['check', 'deep.py', 'missing.py', '--format', 'json'], dir);
  assert.equal(code, 2);
  assert.match(stderr, /missing\.py: no such file or directory/);
  assert.equal(JSON.parse(stdout).files[0].diagnostics[0].rule, 'relu-glorot-deep');
});

test('usage errors exit 2 with the usage text', () => {
  const dir = project({});
  for (const args of [['check', '--format', 'xml'], ['frobnicate'], ['check', '--threshold', 'abc'], ['report']]) {
    const { code, stderr } = initlint(args, dir);
    assert.equal(code, 2, args.join(' '));
    assert.match(stderr, /Usage:/);
  }
  assert.match(initlint(['--version'], dir).stdout, /^\d+\.\d+\.\d+/);
});

test('configuration from pyproject.toml and package.json, and --threshold on the command line', () => {
  const dir = project({
    'py/pyproject.toml': '[tool.initlint]\nthreshold = 1e7\n[tool.initlint.rules]\nsymmetric-init = "off"\n',
    'py/deep.py': DEEP_KERAS,
    'js/package.json': JSON.stringify({ name: 'x', initlint: { rules: { 'symmetric-init': 'warning', bogus: 'off' } } }),
    'js/zeros.ts': ZEROS_TFJS,
  });
  assert.equal(initlint(['check', 'py'], dir).code, 0);
  const js = initlint(['check', 'js', '--format', 'json'], dir);
  assert.equal(JSON.parse(js.stdout).files[0].diagnostics[0].severity, 'warning');
  assert.match(js.stderr, /unknown rule 'bogus'/);
  assert.equal(initlint(['check', 'deep.py', '--threshold', '1e7'], project({ 'deep.py': DEEP_KERAS })).code, 0);
});

test('report: the per-layer table and its JSON', () => {
  const dir = project({ 'deep.py': DEEP_KERAS });
  const text = initlint(['report', 'deep.py'], dir);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /model \(keras, sequential\) — deep\.py:2/);
  assert.match(text.stdout, /worst chain: 20 hidden layers/);
  const json = JSON.parse(initlint(['report', 'deep.py', '--format', 'json'], dir).stdout);
  const [model] = json.models;
  assert.equal(model.framework, 'keras');
  assert.equal(model.layers.length, 21);
  const layer = model.layers[19];
  assert.deepEqual([layer.kind, layer.fanIn, layer.fanOut, layer.activation, layer.initializer.name], ['dense', 64, 64, 'relu', 'glorot_uniform']);
  assert.ok(Math.abs(layer.predicted.forward / 0.5 ** 19 - 1) < 1e-9, `q at layer 20 is 0.5^19, got ${layer.predicted.forward}`);
  assert.deepEqual(layer.findings, ['relu-glorot-deep']);
});

test('report takes the colour flags check takes: --no-color is plain, --color paints even under NO_COLOR', () => {
  const dir = project({ 'deep.py': DEEP_KERAS });
  const escape = '\u001b[';
  for (const command of ['check', 'report']) {
    const plain = initlint([command, 'deep.py', '--no-color'], dir);
    assert.notEqual(plain.code, 2, plain.stderr);
    assert.ok(!plain.stdout.includes(escape), command);
    // The harness sets NO_COLOR; an explicit --color wins over it.
    assert.ok(initlint([command, 'deep.py', '--color'], dir).stdout.includes(escape), command);
  }
  // Colour wraps whole lines: the table reads the same once the escapes are stripped.
  const painted = initlint(['report', 'deep.py', '--color'], dir).stdout.split('\u001b').map((part) => part.replace(/^\[\d+m/, '')).join('');
  assert.equal(painted, initlint(['report', 'deep.py', '--no-color'], dir).stdout);
});

test('check --help and report --help print the usage, colour flags included, and exit 0', () => {
  for (const args of [['check', '--help'], ['report', '-h'], ['--help']]) {
    const { code, stdout } = initlint(args, project({}));
    assert.equal(code, 0, args.join(' '));
    assert.match(stdout, /initlint report <file> .*\[--color\|--no-color\]/);
    assert.match(stdout, /initlint check .*\[--color\|--no-color\]/);
  }
});

test('lsp --stdio answers initialize with its capabilities; lsp without a transport is a usage error', async () => {
  const { spawn } = await import('node:child_process');
  const server = spawn(process.execPath, [bin, 'lsp', '--stdio']);
  const message = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
  const reply = await new Promise<string>((resolvePromise) => {
    let received = '';
    server.stdout.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      if (received.includes('"result"')) resolvePromise(received);
    });
    server.stdin.write(`Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
  });
  server.kill();
  const body = JSON.parse(reply.slice(reply.indexOf('{')));
  assert.ok(body.result.capabilities.codeActionProvider);
  assert.ok(body.result.capabilities.hoverProvider);
  assert.equal(initlint(['lsp'], project({})).code, 2);
});

test('report: a chain no recommended initializer cures (30 sigmoid layers) is no finding, and says so without claiming no initializer could', () => {
  const sigmoids = `import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input(shape=(64,))])\nfor _ in range(30):\n    model.add(layers.Dense(64, activation="sigmoid", kernel_initializer="glorot_uniform"))\nmodel.add(layers.Dense(1))\n`;
  const dir = project({ 'sigmoid.py': sigmoids });
  const text = initlint(['report', 'sigmoid.py'], dir);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /no finding: the initializers InitLint recommends would not cure it/);
  assert.doesNotMatch(text.stdout, /no initializer would cure/);
});

test('report: layers with a custom activation are named, and no chain through them is judged', () => {
  const cosine = `import tensorflow as tf\nfrom tensorflow import keras\nmodel = keras.Sequential([keras.Input(shape=(2,))])\nfor _ in range(8):\n    model.add(keras.layers.Dense(32, activation=tf.math.cos))\nmodel.add(keras.layers.Dense(1))\n`;
  const dir = project({ 'cosine.py': cosine });
  const text = initlint(['report', 'cosine.py'], dir);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /rows 1–8: a custom activation InitLint does not model \(its columns read it as the identity\); no chain through it is judged/);
  assert.match(text.stdout, /worst chain: 0 hidden layers/);
});

test('report: a layer whose width nothing states shows ? for its fans and a fan-scaled Var(W), not the placeholder 1', () => {
  const code = `import * as tf from '@tensorflow/tfjs';\nexport function encoder(inputDim, hidden) {\n  const model = tf.sequential();\n  model.add(tf.layers.dense({units: hidden, inputShape: [inputDim], activation: 'relu'}));\n  model.add(tf.layers.dense({units: 4, kernelInitializer: tf.initializers.randomNormal({stddev: 0.1})}));\n  return model;\n}\n`;
  const dir = project({ 'encoder.js': code });
  const text = initlint(['report', 'encoder.js'], dir);
  assert.equal(text.code, 0);
  const rows = text.stdout.split('\n').filter((line) => /^\d+\s/.test(line)).map((line) => line.split(/\s{2,}/));
  // Row 1: units and input both parameters. Row 2: its input's width unknown, it is assumed square at its own 4
  // (marked *); a fixed stddev's variance does not depend on the fans.
  assert.deepEqual(rows.map((row) => [row[3], row[4], row[7]]), [['?', '?', '?'], ['4*', '4*', '0.01']]);
  assert.match(text.stdout, /\* width not written: assumed square\n\? width unknown/);
});
