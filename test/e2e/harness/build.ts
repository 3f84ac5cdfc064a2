/** Which build outputs the editor tests need are missing (they test what `npm run build` produced). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './codeServer';

export function missingBuildOutputs(paths: string[]): string[] {
  return paths.filter((path) => !existsSync(join(REPO_ROOT, path)));
}

/** What the extension runs: its host bundle, the bundles it loads on demand, the server and the tsserver plugin. */
export const EXTENSION_BUILD = ['dist/extension.js', 'dist/analysis.js', 'dist/languageClient.js', 'dist/server.js', 'node_modules/initlint-tsserver-plugin/package.json'];
