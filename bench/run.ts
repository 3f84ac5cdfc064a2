/**
 * `npm run bench`: every benchmark, each printing ratios against a baseline measured in the same run.
 * `npm run bench -- core` (or realcode, editor, activation, probe, interference) runs one. `npm run bench -- trainability [options]`
 * (real training, up to 20 minutes; see bench/trainability.ts) and `npm run bench -- fuzz` (10,000 mutated
 * files through the CLI's analysis path, bench/fuzz.ts) run only when named.
 */
import { benchActivation } from './activation';
import { benchCore } from './core';
import { benchEditor } from './editor';
import { benchFuzz } from './fuzz';
import { benchInterference } from './interference';
import { benchProbe } from './probe';
import { benchRealCode } from './realCode';
import { benchTrainability } from './trainability';

async function main(): Promise<void> {
  const only = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const wanted = (name: string) => only.length === 0 || only.includes(name);
  if (wanted('core')) benchCore();
  if (wanted('realcode')) benchRealCode();
  if (wanted('editor')) await benchEditor();
  if (wanted('activation')) await benchActivation();
  if (wanted('probe')) await benchProbe();
  if (wanted('interference')) benchInterference();
  // Its options follow its name: `npm run bench -- trainability --quick`.
  if (only.includes('trainability')) await benchTrainability(process.argv.slice(process.argv.indexOf('trainability') + 1));
  // Not in a plain `npm run bench` (minutes): `npm run bench -- fuzz [--files N] [--seed S]`.
  if (only.includes('fuzz')) benchFuzz(process.argv.slice(process.argv.indexOf('fuzz') + 1));
}

void main();
