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

/** Both entry points of the CLI's analysis, in one bundle: one copy of the core and the parsers, as dist/cli.js has. */
interface Shipped {
  analyzeSource: typeof AnalyzeSource;
  analyzeNotebook: typeof AnalyzeNotebook;
}

let shipped: Shipped | undefined;

export function shippedAnalyzeSource(): typeof AnalyzeSource {
  return shippedBundle().analyzeSource;
}

/** The CLI's notebook path (src/project/analyzeNotebook.ts), from the same bundle. */
export function shippedAnalyzeNotebook(): typeof AnalyzeNotebook {
  return shippedBundle().analyzeNotebook;
}

/**
 * Built once per process. One bundle, not one per entry point: two bundles loaded together were two copies of
 * TypeScript, Lezer and the core, each compiled by V8 on its own (the notebook's copy was still being optimized
 * seconds into the realcode measurement) and competing for the caches, which the CLI never does.
 */
function shippedBundle(): Shipped {
  if (shipped) return shipped;
  const project = join(__dirname, '..', 'src', 'project');
  const outfile = join(mkdtempSync(join(tmpdir(), 'initlint-bench-')), 'analysis.js');
  buildSync({
    stdin: { contents: "export { analyzeSource } from './analyzeSource';\nexport { analyzeNotebook } from './analyzeNotebook';\n", resolveDir: project, loader: 'ts', sourcefile: 'benchEntry.ts' },
    outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning',
  });
  shipped = createRequire(__filename)(outfile) as Shipped;
  return shipped;
}
