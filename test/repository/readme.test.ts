/**
 * What README.md shows is what the tool does: every `$ npx initlint …` block's output is the built CLI's real
 * output (regenerate with `npm run readme:outputs`), and what it says `.ci/run` runs is what `.ci/run` runs.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { commandBlocks, realOutput, REPO_ROOT, withRealOutputs } from '../../scripts/readmeCommands';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const commands = commandBlocks(readme).flatMap((block) => block.commands);

test('the README shows the headline check of examples/ and the CLI\'s usage, as commands with their output', () => {
  assert.ok(existsSync(join(REPO_ROOT, 'dist', 'cli.js')), 'run `npm run build` first');
  const lines = commands.map((command) => command.line);
  assert.ok(lines.includes('$ npx initlint check examples/'), lines.join('\n'));
  assert.ok(lines.includes('$ npx initlint --help'), lines.join('\n'));
});

for (const command of commands) {
  test(`README: \`${command.line}\` prints what the README shows (else \`npm run readme:outputs\`)`, () => {
    assert.equal(command.shown, realOutput(command.args));
  });
}

test('the rewriter puts real output under each command and keeps everything else', () => {
  const version = realOutput(['--version']);
  assert.match(version, /^\d+\.\d+\.\d+/);
  const stale = ['# Title', '', '```', '$ npx initlint --version', '0.0.0-stale', '```', '', 'text after', '```python', 'x = 1', '```', ''].join('\n');
  const fresh = withRealOutputs(stale);
  assert.equal(fresh, stale.replace('0.0.0-stale', version));
  assert.equal(withRealOutputs(fresh), fresh, 'rewriting twice changes nothing');
});

test('a `$` line the check cannot run is an error, not a block silently left unchecked', () => {
  assert.throws(() => commandBlocks('```\n$ rm -rf build\n```\n'), /not a command the README check can run/);
  assert.throws(() => commandBlocks('```\n$ npx initlint check "a b"\n```\n'), /not a command the README check can run/);
});

test('what the README says `.ci/run` runs is what it runs, in order', () => {
  const steps = readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8').split('\n')
    .filter((line) => /^npm /.test(line))
    .map((line) => line.replace(/\s*\|\|.*$/, ''));
  assert.deepEqual(steps, ['npm ci', 'npm run setup:editor', 'npm test']);
  // Each sentence that starts at a mention of `.ci/run`; one of them must list the steps, in order.
  const text = readme.replace(/\s+/g, ' ');
  const claims = [...text.matchAll(/`\.ci\/run`[^]*?(?:\.\s|$)/g)].map((match) => match[0]);
  const listsSteps = (claim: string) => {
    const positions = steps.map((step) => claim.indexOf(`\`${step}\``));
    return positions.every((position, i) => position >= 0 && (i === 0 || position > positions[i - 1]));
  };
  assert.ok(claims.some(listsSteps), `no sentence on .ci/run lists ${steps.join(', ')} in order:\n${claims.join('\n')}`);
  assert.ok(!/`\.ci\/run` runs exactly/.test(text), 'the old claim is gone');
});
