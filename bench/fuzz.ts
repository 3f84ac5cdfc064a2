/**
 * `npm run bench -- fuzz [--files N] [--seed S]`: mutated corpus files (test/corpus) through the CLI's
 * analysis path in-process (`checkFile`: read, analyse, findings), one file at a time, each timed. Reports
 * crashes (a throw out of the CLI path, or an internal error), hangs (a file over HANG_BOUND_MS), files lost
 * without a message (neither analysed nor an error), and how many were cut (analysis-incomplete). Not a test:
 * the figures go to README's "Reliability" section.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { checkFile } from '../src/cli/check';
import { ProjectConfigFinder } from '../src/project/configFiles';
import { corpusFiles } from '../test/corpus/files';
import { percentile, printTable } from './timing';

/** A file slower than this counts as a hang (every host budget is far below it). */
const HANG_BOUND_MS = 10_000;
const TOKEN = /[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|\s+|[^\w\s]/g;

/** A small seeded PRNG (mulberry32): every mutated file is reproducible from the seed and its index. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutation = (tokens: string[], random: () => number) => string[];
const pick = (length: number, random: () => number) => Math.floor(random() * Math.max(1, length));

/** Token-level mutations: what code being typed, pasted or generated looks like. */
const MUTATIONS: Record<string, Mutation> = {
  delete: (tokens, random) => {
    const at = pick(tokens.length, random);
    return [...tokens.slice(0, at), ...tokens.slice(at + 1 + pick(4, random))];
  },
  duplicate: (tokens, random) => {
    const at = pick(tokens.length, random);
    const run = tokens.slice(at, at + 1 + pick(40, random));
    const copies = 1 + pick(random() < 0.1 ? 200 : 3, random);
    return [...tokens.slice(0, at), ...Array.from({ length: copies }, () => run).flat(), ...tokens.slice(at)];
  },
  swap: (tokens, random) => {
    const copy = [...tokens];
    const a = pick(copy.length, random);
    const b = pick(copy.length, random);
    [copy[a], copy[b]] = [copy[b], copy[a]];
    return copy;
  },
  truncate: (tokens, random) => tokens.slice(0, pick(tokens.length, random)),
  nest: (tokens, random) => {
    const at = pick(tokens.length, random);
    const end = Math.min(tokens.length, at + 1 + pick(8, random));
    const [open, close] = [['(', ')'], ['[', ']'], ['{', '}']][pick(3, random)];
    const depth = 1 + pick(random() < 0.2 ? 5000 : 20, random);
    return [...tokens.slice(0, at), open.repeat(depth), ...tokens.slice(at, end), close.repeat(depth), ...tokens.slice(end)];
  },
};
const NAMES = Object.keys(MUTATIONS);

export function benchFuzz(args: string[]): void {
  const option = (name: string, fallback: number) => {
    const index = args.indexOf(name);
    return index >= 0 ? Number(args[index + 1]) : fallback;
  };
  const total = option('--files', 10_000);
  const seed = option('--seed', 1);
  // `--only I`: file I of the run alone, kept on disk (its path is printed), to reproduce a finding.
  const only = option('--only', -1);
  const originals = corpusFiles.map((path) => ({ path, tokens: [...(readFileSync(path, 'utf8').match(TOKEN) ?? [])] }));
  const directory = mkdtempSync(join(tmpdir(), 'initlint-fuzz-'));
  const finder = new ProjectConfigFinder();
  // The baseline, measured in this run: the unmutated corpus files through the same path (machine load moves both).
  const baseline = corpusFiles.map((path) => {
    const started = performance.now();
    checkFile(path, finder, { fix: false }, () => undefined);
    return performance.now() - started;
  });
  const times: number[] = [];
  const byMutation = new Map(NAMES.map((name) => [name, 0]));
  const crashes: string[] = [];
  const hangs: string[] = [];
  const lost: string[] = [];
  let cut = 0;
  let findings = 0;
  let slowest = { ms: 0, name: '' };
  try {
    for (let index = only >= 0 ? only : 0; index < (only >= 0 ? only + 1 : total); index++) {
      const random = prng(seed * 1_000_003 + index);
      const original = originals[index % originals.length];
      let tokens: string[] = original.tokens;
      const applied: string[] = [];
      for (let round = 1 + pick(3, random); round > 0; round--) {
        const name = NAMES[pick(NAMES.length, random)];
        tokens = MUTATIONS[name](tokens, random);
        applied.push(name);
        byMutation.set(name, (byMutation.get(name) ?? 0) + 1);
      }
      const name = `${index}-${basename(original.path)}`;
      const path = join(directory, name);
      writeFileSync(path, tokens.join(''));
      const warnings: string[] = [];
      const started = performance.now();
      try {
        const checked = checkFile(path, finder, { fix: false }, (message) => warnings.push(message));
        if (warnings.some((message) => message.includes('internal error'))) crashes.push(`${name} (${applied.join('+')}): ${warnings.join('; ')}`);
        if (!checked.lines && !checked.error) lost.push(`${name} (${applied.join('+')})`);
        if (checked.cuts) cut++;
        findings += checked.findings.length;
      } catch (error) {
        crashes.push(`${name} (${applied.join('+')}): ${error instanceof Error ? error.message : String(error)}`);
      }
      const elapsed = performance.now() - started;
      times.push(elapsed);
      if (elapsed > slowest.ms) slowest = { ms: elapsed, name: `${name} (${applied.join('+')})` };
      if (elapsed > HANG_BOUND_MS) hangs.push(`${name}: ${elapsed.toFixed(0)} ms`);
      if (only >= 0) console.log(`kept ${path}`);
      else rmSync(path);
    }
  } finally {
    if (only < 0) rmSync(directory, { recursive: true, force: true });
  }
  console.log(`\nfuzz: ${total} mutated files from ${originals.length} corpus files (seed ${seed}; mutations ${NAMES.map((name) => `${name} ${byMutation.get(name)}`).join(', ')})`);
  printTable([
    ['files', 'crashes', `hangs (> ${HANG_BOUND_MS / 1000} s)`, 'lost without message', 'cut (analysis-incomplete)', 'findings', 'p50 ms', 'p99 ms', 'max ms'],
    [String(total), String(crashes.length), String(hangs.length), String(lost.length), String(cut), String(findings),
      percentile(times, 50).toFixed(1), percentile(times, 99).toFixed(1), slowest.ms.toFixed(0)],
  ]);
  console.log(`slowest: ${slowest.name}; baseline (the ${baseline.length} corpus files unmutated): p50 ${percentile(baseline, 50).toFixed(1)} ms, max ${Math.max(...baseline).toFixed(0)} ms; load average ${loadavg().map((load) => load.toFixed(1)).join(' / ')}`);
  for (const line of [...crashes, ...hangs, ...lost].slice(0, 20)) console.log(`  ${line}`);
}
