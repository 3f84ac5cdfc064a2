/**
 * `npm run readme:outputs`: rewrites the command outputs README.md shows (`$ npx initlint …` blocks) from real
 * runs of the built CLI (run `npm run build` first), after a change to what the CLI prints.
 * test/repository/readme.test.ts fails until they match.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandBlocks, REPO_ROOT, withRealOutputs } from './readmeCommands';

const readmePath = join(REPO_ROOT, 'README.md');
const before = readFileSync(readmePath, 'utf8');
const after = withRealOutputs(before);
const commands = commandBlocks(before).flatMap((block) => block.commands.map((command) => command.line));
writeFileSync(readmePath, after);
console.log(`${before === after ? 'unchanged' : 'rewrote'}: ${commands.join(', ')}`);
