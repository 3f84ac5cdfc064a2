// `npm run package`: a production build, then an installable .vsix made by @vscode/vsce from a staging
// folder holding only what the extension runs: dist/{extension,analysis,languageClient,server}.js, the tsserver plugin
// under node_modules/initlint-tsserver-plugin (where tsserver's plugin probe looks), the grammar, media
// and rule docs. Staging keeps the project's own node_modules (compiler, dev tools) out of the package.
//   node scripts/package-vsix.mjs [--out path.vsix] [--no-build]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = resolve(outIndex >= 0 ? args[outIndex + 1] : join(root, 'dist', `${manifest.name}-${manifest.version}.vsix`));
const PLUGIN = 'initlint-tsserver-plugin';

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

if (!args.includes('--no-build')) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production'], { cwd: root, stdio: 'inherit' });

const required = ['dist/extension.js', 'dist/analysis.js', 'dist/languageClient.js', 'dist/server.js'];
for (const file of required) if (!existsSync(join(root, file))) fail(`${file} is missing: the build did not produce it`);
const pluginDir = join(root, 'node_modules', PLUGIN);
if (!existsSync(join(pluginDir, 'package.json'))) fail(`node_modules/${PLUGIN} is missing: the tsserver plugin package was not built`);

// A fresh folder per run: tests package concurrently.
const stage = mkdtempSync(join(tmpdir(), 'initlint-vsix-stage-'));
process.on('exit', () => rmSync(stage, { recursive: true, force: true }));
mkdirSync(join(stage, 'dist'), { recursive: true });

// The published manifest: no scripts (vsce would run vscode:prepublish) and no dev tooling or install policy; the plugin is
// the one dependency, so vsce's `npm list --production` walks exactly that folder.
const pluginManifest = JSON.parse(readFileSync(join(pluginDir, 'package.json'), 'utf8'));
const { scripts: _scripts, devDependencies: _dev, dependencies: _deps, bin: _bin, devEngines: _devEngines, allowScripts: _allowScripts, ...published } = manifest;
writeFileSync(join(stage, 'package.json'), `${JSON.stringify({ ...published, dependencies: { [PLUGIN]: pluginManifest.version } }, null, 2)}\n`);

for (const file of required) cpSync(join(root, file), join(stage, file));
// The plugin folder is copied for real (a workspace link would not survive packaging), with its own
// runtime dependencies if it has any.
cpSync(realpathSync(pluginDir), join(stage, 'node_modules', PLUGIN), { recursive: true, dereference: true, filter: (source) => !source.endsWith('.map') });
for (const dependency of Object.keys(pluginManifest.dependencies ?? {})) {
  cpSync(realpathSync(join(root, 'node_modules', dependency)), join(stage, 'node_modules', dependency), { recursive: true, dereference: true });
}
for (const folder of ['syntaxes', 'media', 'docs/rules']) {
  if (existsSync(join(root, folder))) cpSync(join(root, folder), join(stage, folder), { recursive: true });
}
for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore']) {
  if (existsSync(join(root, file))) cpSync(join(root, file), join(stage, file));
}

mkdirSync(dirname(out), { recursive: true });
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
// Relative links and images in README.md point at the repository named in package.json (vsce refuses
// relative images otherwise). No skip flags: vsce checks the licence, the repository and the icon itself.
const repository = String(manifest.repository?.url ?? manifest.repository ?? '').replace(/^git\+/, '').replace(/\.git$/, '');
if (!/^https:\/\//.test(repository)) fail('package.json has no https repository URL');
execFileSync(process.execPath, [vsce, 'package', '--baseContentUrl', `${repository}/blob/main`, '--baseImagesUrl', `${repository}/raw/main`, '-o', out],
  { cwd: stage, stdio: 'inherit' });
console.log(`packaged ${out}`);
