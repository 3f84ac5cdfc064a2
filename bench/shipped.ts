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
import type { analyzeNotebook as AnalyzeNotebook } from '../src/project/analyzeNotebook';
import type { analyzeSource as AnalyzeSource } from '../src/project/analyzeSource';

let shipped: typeof AnalyzeSource | undefined;
let shippedNotebook: typeof AnalyzeNotebook | undefined;

export function shippedAnalyzeSource(): typeof AnalyzeSource {
  shipped ??= bundle<{ analyzeSource: typeof AnalyzeSource }>('analyzeSource').analyzeSource;
  return shipped;
}

/** The CLI's notebook path (src/project/analyzeNotebook.ts), bundled the same way. */
export function shippedAnalyzeNotebook(): typeof AnalyzeNotebook {
  shippedNotebook ??= bundle<{ analyzeNotebook: typeof AnalyzeNotebook }>('analyzeNotebook').analyzeNotebook;
  return shippedNotebook;
}

function bundle<T>(projectModule: string): T {
  const outfile = join(mkdtempSync(join(tmpdir(), 'initlint-bench-')), `${projectModule}.js`);
  buildSync({
    entryPoints: [join(__dirname, '..', 'src', 'project', `${projectModule}.ts`)],
    outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning',
  });
  return createRequire(__filename)(outfile) as T;
}
