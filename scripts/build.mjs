// Bundles each host with esbuild into dist/. Entry points that do not exist yet are skipped.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const production = process.argv.includes('--production');
const nodeEntries = [
  { in: 'src/cli/bin.ts', out: 'cli' },
  { in: 'src/server/main.ts', out: 'server' },
  // The VS Code extension host: small on purpose; dist/analysis.js (compiler, parser) is loaded on first use.
  { in: 'src/extension/extension.ts', out: 'extension' },
  { in: 'src/extension/analysisEntry.ts', out: 'analysis' },
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
