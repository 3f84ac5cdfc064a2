// Bundles each host with esbuild into dist/. Entry points that do not exist yet are skipped.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const production = process.argv.includes('--production');
const nodeEntries = [
  { in: 'src/cli/bin.ts', out: 'cli' },
  { in: 'src/server/main.ts', out: 'server' },
  // The VS Code extension host: small on purpose; dist/analysis.js (compiler, parser) is loaded on first use.
  { in: 'src/extension/extension.ts', out: 'extension' },
  { in: 'src/extension/analysisEntry.ts', out: 'analysis' },
  // vscode-languageclient, loaded when the first Python document starts the language server.
  { in: 'src/extension/languageClientEntry.ts', out: 'languageClient' },
  // Mocha suite run inside code-server's extension host (test/extension/extensionHost.test.ts); not packaged.
  { in: 'test/extension/suite/index.ts', out: 'extension-tests/index' },
];

/** What every Node bundle shares. */
const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const present = nodeEntries.filter((entry) => existsSync(entry.in));
await build({
  ...nodeBundle,
  entryPoints: present,
  outdir: 'dist',
  external: ['vscode', 'mocha', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
  define: { INITLINT_VERSION: JSON.stringify(version) },
});
console.log(`built ${present.map((entry) => `dist/${entry.out}.js`).join(', ')}`);

// The tsserver plugin is its own package (tsserver loads plugins by package name): tsserver-plugin/index.js.
// TypeScript stays external: the plugin must use the instance tsserver injects.
if (existsSync('src/tsPlugin/index.ts')) {
  await build({
    ...nodeBundle,
    entryPoints: ['src/tsPlugin/index.ts'],
    outfile: 'tsserver-plugin/index.js',
    external: ['typescript', 'vscode'],
  });
  console.log('built tsserver-plugin/index.js');
}

// The variance-check webview (src/webview): one browser bundle, media/variancePanel.{js,css}, and the .wasm
// files of the WASM backend in media/wasm/. media/ is what the webview may read (localResourceRoots).
if (existsSync('src/webview/main.ts')) {
  const probeDir = resolve('src/probe');
  /** The probe imports `./tf` (the Node union package); in the browser it is tfBrowser.ts. */
  const browserProbe = {
    name: 'browser-probe',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^\.\/tf$/ }, (args) => (dirname(args.importer) === probeDir ? { path: join(probeDir, 'tfBrowser.ts') } : undefined));
    },
  };
  // A production build writes no maps: drop a development build's, so none goes stale next to the bundle.
  if (production) for (const map of ['media/variancePanel.js.map', 'media/variancePanel.css.map']) rmSync(map, { force: true });
  await build({
    entryPoints: { variancePanel: 'src/webview/main.ts' },
    outdir: 'media',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    // VS Code 1.95's webviews are Chromium 128.
    target: 'es2022',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    plugins: [browserProbe],
  });
  // Only the single-threaded builds: the threaded one needs SharedArrayBuffer, which a webview (not
  // cross-origin isolated) does not have; the backend picks SIMD when the browser supports it.
  const wasmDir = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
  mkdirSync('media/wasm', { recursive: true });
  for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) copyFileSync(join(wasmDir, file), join('media/wasm', file));
  console.log('built media/variancePanel.js, media/variancePanel.css, media/wasm/');
}
