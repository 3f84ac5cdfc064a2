/** The corpus files, for the tests that read them. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const corpusRoot = __dirname + '/';
export const corpusFiles = ['keras', 'tfjs'].flatMap((folder) =>
  readdirSync(join(corpusRoot, folder)).sort().map((name) => join(corpusRoot, folder, name)),
);
