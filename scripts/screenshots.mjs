// `npm run screenshots`: retakes the README's screenshots. Runs the end-to-end suites (code-server + Chromium:
// `npm run setup:editor` first, and `npm run build`) with their screenshots in a temporary folder, then copies
// the ones the README shows into docs/images/. Tests never write there themselves.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** docs/images/<name> ← the screenshot an e2e test takes (test/e2e/*.test.ts, `shot('…')`). */
const README_IMAGES = {
  'keras-diagnostics-hover.png': 'keras-diagnostics-hover.png',
  'tfjs-quick-fix.png': 'tfjs-quick-fix-applied.png',
  'variance-report.png': 'variance-report.png',
  'notebook-quick-fix.png': 'notebook-quick-fix.png',
  'variance-check.png': 'variance-check.png',
};

const shots = mkdtempSync(join(tmpdir(), 'initlint-readme-screenshots-'));
const run = spawnSync(process.execPath, [join(root, 'test', 'run.mjs'), join(root, 'test', 'e2e')], {
  cwd: root, stdio: 'inherit', env: { ...process.env, INITLINT_SCREENSHOTS: shots },
});
const missing = Object.values(README_IMAGES).filter((shot) => !existsSync(join(shots, shot)));
if (run.status !== 0 || missing.length) {
  console.error(`screenshots: the e2e suites ${run.status !== 0 ? `failed (exit ${run.status})` : 'passed'}${missing.length ? `; not taken: ${missing.join(', ')}` : ''}. docs/images/ is unchanged.`);
  process.exit(1);
}
for (const [image, shot] of Object.entries(README_IMAGES)) {
  copyFileSync(join(shots, shot), join(root, 'docs', 'images', image));
  console.log(`docs/images/${image} ← ${shot}`);
}
