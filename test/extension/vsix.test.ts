/** `npm run package` makes an installable .vsix with the extension, the server and the tsserver plugin. */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { REPO_ROOT } from '../e2e/harness/codeServer';
import { EXTENSION_BUILD, missingBuildOutputs } from '../e2e/harness/build';
import { zipEntries } from './zipEntries';

const vsix = join(mkdtempSync(join(tmpdir(), 'initlint-vsix-test-')), 'initlint.vsix');
let names: string[] = [];
const sizes = new Map<string, number>();

before(() => {
  const missing = missingBuildOutputs([...EXTENSION_BUILD, 'media/variancePanel.js']);
  assert.deepEqual(missing, [], 'run `npm run build` first');
  // --no-build: the test packages what `npm run build` produced instead of rebuilding dist/ under other tests.
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'package-vsix.mjs'), '--no-build', '--out', vsix], { cwd: REPO_ROOT, stdio: 'pipe' });
  for (const entry of zipEntries(vsix)) {
    names.push(entry.name);
    sizes.set(entry.name, entry.size);
  }
  names = names.sort();
});

test('holds the extension manifest, the extension host bundle, the lazy analysis and language client bundles and the server', () => {
  for (const file of ['extension.vsixmanifest', '[Content_Types].xml', 'extension/package.json', 'extension/readme.md', 'extension/dist/extension.js', 'extension/dist/analysis.js', 'extension/dist/languageClient.js', 'extension/dist/server.js']) {
    assert.ok(names.some((name) => name.toLowerCase() === file.toLowerCase()), `${file} missing from ${names.join(', ')}`);
  }
});

test('holds the tsserver plugin where tsserver probes for it, with its entry point', () => {
  const pluginManifest = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'initlint-tsserver-plugin', 'package.json'), 'utf8')) as { main?: string };
  const main = (pluginManifest.main ?? 'index.js').replace(/^\.\//, '');
  assert.ok(names.includes('extension/node_modules/initlint-tsserver-plugin/package.json'));
  assert.ok(names.includes(`extension/node_modules/initlint-tsserver-plugin/${main}`), `plugin entry ${main} missing`);
});

test('holds the variance panel: its script, styles, icon and the WASM backend binaries, without source maps', () => {
  for (const file of ['extension/media/variancePanel.js', 'extension/media/variancePanel.css', 'extension/media/panel-icon.svg', 'extension/media/wasm/tfjs-backend-wasm.wasm', 'extension/media/wasm/tfjs-backend-wasm-simd.wasm']) {
    assert.ok(names.includes(file), `${file} missing from the package`);
  }
  assert.deepEqual(names.filter((name) => name.startsWith('extension/media/') && name.endsWith('.map')), []);
});

test('holds the report grammar named in package.json', () => {
  assert.ok(names.includes('extension/syntaxes/initlint-report.tmLanguage.json'));
});

test('leaves out sources, tests, dev dependencies and the compiler', () => {
  const unwanted = names.filter((name) => /^extension\/(src|test|bench|scripts|examples|\.cache)\//.test(name)
    || /^extension\/node_modules\/(typescript|@types|esbuild|eslint|mocha|playwright-core)\//.test(name)
    || name.startsWith('extension/dist/extension-tests/') || name.endsWith('.ts') && !name.endsWith('.d.ts'));
  assert.deepEqual(unwanted, []);
});

test('keeps the extension host bundle small: no compiler, parser or language client in it', () => {
  const bundle = readFileSync(join(REPO_ROOT, 'dist', 'extension.js'), 'utf8');
  assert.ok(!bundle.includes('createSourceFile'), 'the TypeScript compiler is bundled into dist/extension.js');
  assert.ok(!bundle.includes('@lezer'), 'the Python parser is bundled into dist/extension.js');
  assert.ok(!bundle.includes('vscode-languageclient'), 'the language client is bundled into dist/extension.js');
  assert.ok((sizes.get('extension/dist/extension.js') ?? Infinity) < 100_000, `dist/extension.js is ${sizes.get('extension/dist/extension.js')} bytes`);
});

test('declares its workspace-trust and virtual-workspace support and the tsserver plugin', () => {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.notEqual(manifest.capabilities.virtualWorkspaces.supported, true);
  assert.deepEqual(manifest.contributes.typescriptServerPlugins, [{ name: 'initlint-tsserver-plugin', enableForWorkspaceTypeScriptVersions: true }]);
});
