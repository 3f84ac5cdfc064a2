/**
 * `npm run bench`: every benchmark, each printing ratios against a baseline measured in the same run.
 * `npm run bench -- core` (or editor, activation, probe) runs one.
 */
import { benchActivation } from './activation';
import { benchCore } from './core';
import { benchEditor } from './editor';
import { benchProbe } from './probe';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const wanted = (name: string) => only.length === 0 || only.includes(name);
  if (wanted('core')) benchCore();
  if (wanted('editor')) await benchEditor();
  if (wanted('activation')) await benchActivation();
  if (wanted('probe')) await benchProbe();
}

void main();
