/**
 * The `extensionTestsPath` payload of the activation bench (bench/activation.ts), bundled by it: in a fresh
 * extension host, activates InitLint and an empty baseline extension (order alternating by round), and
 * appends one JSON line per round to INITLINT_BENCH_RESULT.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { InitLintApi } from '../src/extension/extension';

export const BASELINE_ID = 'initlint-bench.activation-baseline';
export const INITLINT_ID = 'initlint.initlint';

export interface ActivationRound {
  round: number;
  /** Wall time of `extension.activate()`: the host resolving and loading the module, then `activate`. */
  millis: Record<'initlint' | 'baseline', number>;
  /** InitLint's own measure: from its module loading to the end of `activate`. */
  selfReported: number;
  /** InitLint's bundles in the module cache once it is active (relative to the extension). */
  loaded: string[];
  error?: string;
}

async function timedActivation(id: string): Promise<number> {
  const extension = vscode.extensions.getExtension(id);
  if (!extension) throw new Error(`${id} is not loaded in this extension host`);
  if (extension.isActive) throw new Error(`${id} was already active: the round would measure nothing`);
  const start = performance.now();
  await extension.activate();
  return performance.now() - start;
}

export async function run(): Promise<void> {
  const resultFile = process.env.INITLINT_BENCH_RESULT;
  if (!resultFile) throw new Error('INITLINT_BENCH_RESULT is not set');
  const round = existsSync(resultFile) ? readFileSync(resultFile, 'utf8').split('\n').filter(Boolean).length : 0;
  const result: ActivationRound = { round, millis: { initlint: NaN, baseline: NaN }, selfReported: NaN, loaded: [] };
  try {
    const order = round % 2 === 0 ? (['baseline', 'initlint'] as const) : (['initlint', 'baseline'] as const);
    for (const which of order) result.millis[which] = await timedActivation(which === 'initlint' ? INITLINT_ID : BASELINE_ID);
    const initlint = vscode.extensions.getExtension<InitLintApi>(INITLINT_ID)!;
    result.selfReported = initlint.exports.activationMillis;
    result.loaded = initlint.exports.loadedAtActivation;
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  }
  appendFileSync(resultFile, `${JSON.stringify(result)}\n`);
}
