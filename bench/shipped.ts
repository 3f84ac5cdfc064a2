/**
 * The analysis as users run it: `src/project/analyzeSource.ts` bundled by esbuild with the options of
 * scripts/build.mjs (dist/ holds the same code), not tsx's per-file transform, which wraps every function it
 * creates for its name and costs the interpreter's closures 5–10%. Built once per bench run into a temp folder.
 */
import { buildSync } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { analyzeSource as AnalyzeSource } from '../src/project/analyzeSource';

let shipped: typeof AnalyzeSource | undefined;

export function shippedAnalyzeSource(): typeof AnalyzeSource {
  if (shipped) return shipped;
  const outfile = join(mkdtempSync(join(tmpdir(), 'initlint-bench-')), 'analyzeSource.js');
  buildSync({
    entryPoints: [join(__dirname, '..', 'src', 'project', 'analyzeSource.ts')],
    outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning',
  });
  shipped = (createRequire(__filename)(outfile) as { analyzeSource: typeof AnalyzeSource }).analyzeSource;
  return shipped;
}
