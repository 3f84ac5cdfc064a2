/**
 * `npm run try`: builds and packages the extension, installs it into a throwaway code-server and opens a
 * copy of examples/ (so trying a fix never edits the repository). Open the printed URL in a browser;
 * Ctrl+C stops everything. `PORT=9000 npm run try` picks the port; `--no-package` reuses dist/*.vsix.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeServer, CODE_SERVER_BIN, editorToolsMissing, REPO_ROOT } from '../test/e2e/harness/codeServer';

async function main(): Promise<void> {
  const unavailable = editorToolsMissing();
  if (unavailable) throw new Error(unavailable);
  const manifest = JSON.parse(execFileSync(process.execPath, ['-p', 'JSON.stringify(require("./package.json"))'], { cwd: REPO_ROOT, encoding: 'utf8' }));
  const vsix = join(REPO_ROOT, 'dist', `${manifest.name}-${manifest.version}.vsix`);
  if (!process.argv.includes('--no-package')) execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'package-vsix.mjs'), '--out', vsix], { cwd: REPO_ROOT, stdio: 'inherit' });

  const scratch = mkdtempSync(join(tmpdir(), 'initlint-try-'));
  const workspace = join(scratch, 'examples');
  cpSync(join(REPO_ROOT, 'examples'), workspace, { recursive: true });
  const port = Number(process.env.PORT ?? 8080);
  const server = await CodeServer.start({ workspace, vsix, port, settings: { 'editor.codeLens': true } });
  console.log(`\nInitLint is installed in code-server (${CODE_SERVER_BIN}).`);
  console.log(`Open ${server.workbenchUrl(workspace)}`);
  console.log(`Workspace: a copy of examples/ in ${workspace}. Log: ${server.logFile}. Ctrl+C to stop.\n`);

  const stop = async () => {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`npm run try: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
