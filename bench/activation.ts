/**
 * Activation time of the extension (issue 3) in a real extension host: code-server's, opened by headless
 * Chromium, with InitLint installed from its production .vsix and an empty baseline extension under development. Each round is a fresh
 * extension host (a new page) that activates both (bench/activationPayload.ts); the ratio InitLint / empty
 * extension is what InitLint adds to the host's own cost of activating anything. Also checks that
 * activation loaded nothing of InitLint's but its host bundle (the analysis, the parser, TypeScript and
 * TensorFlow.js wait for the first model file or the variance check).
 * Run: `node --import tsx bench/activation.ts` (needs code-server and Chromium: `.ci/run` installs them).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { CodeServer, editorToolsMissing, REPO_ROOT } from '../test/e2e/harness/codeServer';
import { launchChromium } from '../test/e2e/harness/workbench';
import type { ActivationRound } from './activationPayload';
import { median, printTable } from './timing';

const ROUNDS = 6;
const ROUND_TIMEOUT_MS = 60_000;

/** The empty extension: the extension under development (code-server's workbench takes a single one). */
function baselineExtension(folder: string): string {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'package.json'), JSON.stringify({
    name: 'activation-baseline', publisher: 'initlint-bench', version: '0.0.1', engines: { vscode: '^1.95.0' },
    main: './extension.js', activationEvents: [],
  }));
  // It takes the API as every extension does: the host builds an API object per extension on its first
  // `require('vscode')`, a cost that is not InitLint's.
  writeFileSync(join(folder, 'extension.js'), "const vscode = require('vscode');\nexports.activate = () => ({ version: vscode.version });\n");
  return folder;
}

/** InitLint as users get it: `npm run package`'s production .vsix, installed into code-server. */
function packagedInitLint(out: string): string {
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'package-vsix.mjs'), '--out', out], { cwd: REPO_ROOT, stdio: 'pipe' });
  return out;
}

async function bundlePayload(outfile: string): Promise<string> {
  await build({
    entryPoints: [join(__dirname, 'activationPayload.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    external: ['vscode'], logLevel: 'error',
  });
  return outfile;
}

async function waitForLines(file: string, count: number): Promise<ActivationRound[]> {
  const deadline = Date.now() + ROUND_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
    if (lines.length >= count) return lines.map((line) => JSON.parse(line) as ActivationRound);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no activation result for round ${count} after ${ROUND_TIMEOUT_MS} ms`);
}

export async function benchActivation(): Promise<void> {
  const unavailable = editorToolsMissing();
  if (unavailable) {
    console.log(`extension activation: skipped (${unavailable})\n`);
    return;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'initlint-bench-activation-'));
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace);
  const resultFile = join(scratch, 'rounds.jsonl');
  const payload = await bundlePayload(join(scratch, 'payload', 'index.js'));
  const baseline = baselineExtension(join(scratch, 'baseline'));
  const server = await CodeServer.start({ workspace, vsix: packagedInitLint(join(scratch, 'initlint.vsix')), env: { INITLINT_BENCH_RESULT: resultFile } });
  const browser = await launchChromium();
  let rounds: ActivationRound[] = [];
  try {
    const url = server.workbenchUrl(workspace, [
      ['extensionDevelopmentPath', server.remoteUri(baseline)],
      ['extensionTestsPath', server.remoteUri(payload)],
    ]);
    for (let round = 1; round <= ROUNDS; round++) {
      const page = await browser.newPage();
      await page.goto(url);
      rounds = await waitForLines(resultFile, round);
      await page.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const failed = rounds.filter((round) => round.error);
  for (const round of failed) console.log(`round ${round.round}: ${round.error}`);
  const valid = rounds.filter((round) => !round.error);
  if (valid.length === 0) {
    console.log('extension activation: no round measured\n');
    return;
  }
  const column = (pick: (round: ActivationRound) => number) => valid.map(pick);
  const initlint = column((round) => round.millis.initlint);
  const empty = column((round) => round.millis.baseline);
  console.log(`extension activation in code-server's extension host, ${valid.length} fresh hosts (order alternating)`);
  printTable([
    ['', 'median ms', 'min ms', 'max ms'],
    ['empty extension: activate()', median(empty).toFixed(1), Math.min(...empty).toFixed(1), Math.max(...empty).toFixed(1)],
    ['InitLint: activate()', median(initlint).toFixed(1), Math.min(...initlint).toFixed(1), Math.max(...initlint).toFixed(1)],
    ['InitLint: module load → end of activate (its own measure)', median(column((round) => round.selfReported)).toFixed(1), '', ''],
  ]);
  console.log(`ratio InitLint / empty extension (medians): ${(median(initlint) / median(empty)).toFixed(2)}; InitLint adds ${(median(initlint) - median(empty)).toFixed(1)} ms`);
  const loaded = [...new Set(valid.flatMap((round) => round.loaded))];
  console.log(`InitLint files loaded by activation: ${loaded.join(', ')}${loaded.every((file) => file === join('dist', 'extension.js')) ? ' (the host bundle alone: no analysis, parser, TypeScript or tfjs)' : ' — more than the host bundle!'}\n`);
}

if (require.main === module) void benchActivation();
