// Bundles each host with esbuild into dist/. Entry points that do not exist yet are skipped.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const production = process.argv.includes('--production');
const nodeEntries = [
  { in: 'src/cli/bin.ts', out: 'cli' },
];

const present = nodeEntries.filter((entry) => existsSync(entry.in));
await build({
  entryPoints: present,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  external: ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
  define: { INITLINT_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
});
console.log(`built ${present.map((entry) => `dist/${entry.out}.js`).join(', ')}`);
