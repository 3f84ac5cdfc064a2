/**
 * The command outputs the README shows: fenced blocks made of `$ npx initlint …` lines, each followed by what
 * that command prints. They are real: test/repository/readme.test.ts runs each command with the built CLI
 * (bin/initlint.js) at the repository root and compares, and `npm run readme:outputs` rewrites the blocks from
 * those runs after a change to what the CLI prints.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..');
const PROMPT = '$ ';
const COMMAND = /^\$ npx initlint((?: [^\s'"`\\|&;<>$]+)*)$/;

export interface ShownCommand {
  /** The `$ …` line as written. */
  line: string;
  /** The arguments after `npx initlint`. */
  args: string[];
  /** The output the README shows under it. */
  shown: string;
}

export interface CommandBlock {
  /** Line indices (0-based) of the block's content, between its fences. */
  from: number;
  to: number;
  commands: ShownCommand[];
}

/** Fenced blocks whose first line is a `$ ` command; a `$ ` line that is not `npx initlint` with plain arguments throws. */
export function commandBlocks(markdown: string): CommandBlock[] {
  const lines = markdown.split('\n');
  const blocks: CommandBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```/.test(lines[i])) continue;
    const end = lines.findIndex((line, j) => j > i && /^```\s*$/.test(line));
    if (end < 0) throw new Error(`README line ${i + 1}: a code block that never ends`);
    const content = lines.slice(i + 1, end);
    if (content[0]?.startsWith(PROMPT)) blocks.push({ from: i + 1, to: end, commands: commandsIn(content, i + 1) });
    i = end;
  }
  return blocks;
}

function commandsIn(content: string[], firstLine: number): ShownCommand[] {
  const commands: ShownCommand[] = [];
  for (const [offset, line] of content.entries()) {
    if (line.startsWith(PROMPT)) {
      const match = COMMAND.exec(line);
      if (!match) throw new Error(`README line ${firstLine + offset + 1}: \`${line}\` is not a command the README check can run (\`$ npx initlint <plain arguments>\`)`);
      commands.push({ line, args: match[1].split(' ').filter(Boolean), shown: '' });
    } else {
      const current = commands[commands.length - 1];
      current.shown = current.shown ? `${current.shown}\n${line}` : line;
    }
  }
  return commands;
}

/** What `npx initlint <args>` prints at the repository root, without colour: stdout then stderr, no trailing newline. */
export function realOutput(args: string[]): string {
  const { NO_COLOR: _noColor, FORCE_COLOR: _force, ...env } = process.env;
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'initlint.js'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...env, NO_COLOR: '1' } });
  if (run.error) throw run.error;
  return `${run.stdout}${run.stderr}`.replace(/\n+$/, '');
}

/** The markdown with every command block's outputs replaced by real ones. */
export function withRealOutputs(markdown: string): string {
  const lines = markdown.split('\n');
  for (const block of commandBlocks(markdown).reverse()) {
    const content = block.commands.flatMap((command) => {
      const output = realOutput(command.args);
      return [command.line, ...(output ? output.split('\n') : [])];
    });
    lines.splice(block.from, block.to - block.from, ...content);
  }
  return lines.join('\n');
}
