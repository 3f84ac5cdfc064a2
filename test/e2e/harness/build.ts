/** Which build outputs the editor tests need are missing (they test what `npm run build` produced). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './codeServer';

export function missingBuildOutputs(paths: string[]): string[] {
  return paths.filter((path) => !existsSync(join(REPO_ROOT, path)));
}
