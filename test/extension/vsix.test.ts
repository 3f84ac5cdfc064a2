/** `npm run package` makes an installable .vsix with the extension, the server and the tsserver plugin. */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { REPO_ROOT } from '../e2e/harness/codeServer';
import { EXTENSION_BUILD, missingBuildOutputs } from '../e2e/harness/build';
import { zipEntries, zipFile } from './zipEntries';

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

test('is publishable as it is: vsce packaged it without skip flags, with the licence, changelog, icon and repository links', () => {
  const script = readFileSync(join(REPO_ROOT, 'scripts', 'package-vsix.mjs'), 'utf8');
  assert.doesNotMatch(script, /--skip-license|--allow-missing-repository|--allow-star-activation|--no-dependencies/);
  for (const file of ['extension/LICENSE.txt', 'extension/changelog.md', 'extension/media/icon.png']) {
    assert.ok(names.some((name) => name.toLowerCase() === file.toLowerCase()), `${file} missing from ${names.join(', ')}`);
  }
  assert.match(zipFile(vsix, 'extension/LICENSE.txt').toString('utf8'), /^MIT License\n\nCopyright \(c\) \d{4} InitLint contributors/);
  const changelog = zipFile(vsix, names.find((name) => name.toLowerCase() === 'extension/changelog.md')!).toString('utf8');
  assert.match(changelog, /^## \[Unreleased\]$/m);
  assert.match(changelog, /^## \[0\.1\.0\]/m);
  const icon = zipFile(vsix, 'extension/media/icon.png');
  assert.equal(icon.subarray(1, 4).toString('latin1'), 'PNG');
  assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128], 'the Marketplace icon is 128×128');

  const manifest = JSON.parse(zipFile(vsix, 'extension/package.json').toString('utf8'));
  assert.equal(manifest.license, 'MIT');
  assert.equal(manifest.icon, 'media/icon.png');
  assert.match(manifest.repository.url, /^https:\/\/github\.com\/[\w-]+\/[\w-]+\.git$/);
  assert.match(manifest.bugs.url, /^https:\/\/github\.com\/.*\/issues$/);
  assert.match(manifest.homepage, /^https:\/\//);
  assert.match(manifest.galleryBanner.color, /^#[0-9a-f]{6}$/i);
  assert.ok(['dark', 'light'].includes(manifest.galleryBanner.theme));
  assert.ok(manifest.keywords.length >= 5 && manifest.keywords.length <= 30, `${manifest.keywords.length} keywords`);
  const vsixManifest = zipFile(vsix, 'extension.vsixmanifest').toString('utf8');
  assert.match(vsixManifest, /<Icon>extension\/media\/icon\.png<\/Icon>/);
  assert.match(vsixManifest, /Microsoft\.VisualStudio\.Services\.Links\.Source/);
  assert.match(vsixManifest, /<License>extension\/LICENSE\.txt<\/License>/);
});

test('the first-run walkthrough: four steps whose pages are packaged and whose buttons run contributed commands', () => {
  const manifest = JSON.parse(zipFile(vsix, 'extension/package.json').toString('utf8'));
  const [walkthrough] = manifest.contributes.walkthroughs as { steps: { id: string; description: string; media: { markdown?: string; image?: string }; completionEvents: string[] }[] }[];
  assert.deepEqual(walkthrough.steps.map((step) => step.id), ['openSample', 'seeFinding', 'applyFix', 'varianceCheck']);
  const contributed = new Set((manifest.contributes.commands as { command: string }[]).map((entry) => entry.command));
  for (const step of walkthrough.steps) {
    const media = step.media.markdown ?? step.media.image;
    assert.ok(media && names.includes(`extension/${media}`), `${step.id}: ${media} is not packaged`);
    const buttons = [...step.description.matchAll(/\]\(command:([\w.]+)/g)].map((match) => match[1]);
    assert.equal(buttons.length, 1, `${step.id}: one button`);
    const [command] = buttons;
    if (command.startsWith('initlint.')) assert.ok(contributed.has(command), `${step.id}: ${command} is not contributed`);
    assert.ok(step.completionEvents.includes(`onCommand:${command}`), `${step.id}: its button completes it`);
  }
  assert.ok(names.includes('extension/media/walkthrough/deep_mlp.py'), 'the sample model the first step opens');
  // What the steps promise of the sample: a relu-glorot-deep finding whose first fix is "Use he_uniform".
  const checked = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'initlint.js'), 'check', '--format', 'json', join(REPO_ROOT, 'media', 'walkthrough', 'deep_mlp.py')], { encoding: 'utf8' });
  const [finding] = (JSON.parse(checked.stdout) as { files: { diagnostics: { rule: string; fixes: { title: string }[] }[] }[] }).files[0].diagnostics;
  assert.equal(finding.rule, 'relu-glorot-deep');
  assert.equal(finding.fixes[0].title, 'Use he_uniform');
});

test('the variance report language turns off the Unicode highlighter that boxes its ×', () => {
  const manifest = JSON.parse(zipFile(vsix, 'extension/package.json').toString('utf8'));
  assert.deepEqual(manifest.contributes.configurationDefaults['[initlint-report]'], {
    'editor.unicodeHighlight.ambiguousCharacters': false,
    'editor.unicodeHighlight.nonBasicASCII': false,
  });
  assert.ok(existsSync(join(REPO_ROOT, 'syntaxes', 'initlint-report.tmLanguage.json')));
});
