/**
 * What the trainability bench compares: per rule family, a "current" initializer (what the rule would flag)
 * against the rule's fix, under one activation, at the depths that decide the thresholds. Runs shared by
 * several comparisons (he_uniform under ReLU is the fix of three rules) are trained once.
 */
import { ARCHITECTURES, type ActivationName, type Architecture, type InitName } from './networks';
import type { OptimizerName } from './train';

export interface Comparison {
  family: string;
  arch: Architecture;
  activation: ActivationName;
  depths: number[];
  /** The one depth `--quick` keeps. */
  quickDepth: number;
  current: InitName;
  fix: InitName;
}

/** In order of importance for the thresholds: a time-boxed run (`--max-minutes`) drops the last ones first. */
export const COMPARISONS: Comparison[] = [
  { family: 'relu-glorot-deep', arch: 'mlp', activation: 'relu', depths: [2, 4, 6, 8, 12, 20, 30], quickDepth: 20, current: 'glorotUniform', fix: 'heUniform' },
  { family: 'relu-glorot-deep', arch: 'conv', activation: 'relu', depths: [3, 8], quickDepth: 8, current: 'glorotUniform', fix: 'heUniform' },
  { family: 'truncated-variance', arch: 'mlp', activation: 'relu', depths: [8, 20, 30], quickDepth: 20, current: 'tfjsHeNormal', fix: 'heUniform' },
  { family: 'saturating-he', arch: 'mlp', activation: 'tanh', depths: [3, 8, 12, 20], quickDepth: 12, current: 'heUniform', fix: 'glorotUniform' },
  { family: 'selu-lecun', arch: 'mlp', activation: 'selu', depths: [4, 12], quickDepth: 12, current: 'heUniform', fix: 'lecunNormal' },
  { family: 'activation-gain', arch: 'mlp', activation: 'swish', depths: [8, 20], quickDepth: 20, current: 'heUniform', fix: 'swishCritical' },
  { family: 'fixed-scale-init', arch: 'mlp', activation: 'relu', depths: [2, 4, 8], quickDepth: 4, current: 'randomNormal005', fix: 'heUniform' },
  { family: 'selu-lecun', arch: 'mlp', activation: 'selu', depths: [12], quickDepth: 12, current: 'glorotUniform', fix: 'lecunNormal' },
  { family: 'relu-glorot-deep', arch: 'mlp', activation: 'swish', depths: [8], quickDepth: 8, current: 'glorotUniform', fix: 'heUniform' },
  { family: 'activation-gain', arch: 'mlp', activation: 'gelu', depths: [12], quickDepth: 12, current: 'heUniform', fix: 'geluCritical' },
  { family: 'residual-growth', arch: 'resmlp', activation: 'relu', depths: [2, 3, 4, 5, 10, 20], quickDepth: 10, current: 'heUniform', fix: 'zeros' },
  { family: 'residual-growth', arch: 'resmlp', activation: 'relu', depths: [5, 10, 20], quickDepth: 10, current: 'heUniform', fix: 'branchScaled' },
];

export interface RunKey {
  arch: Architecture;
  activation: ActivationName;
  depth: number;
  init: InitName;
  optimizer: OptimizerName;
  seed: number;
}

export const runId = (key: RunKey) => `${key.arch} ${key.activation} d${key.depth} ${key.init} ${key.optimizer} s${key.seed}`;

export interface GridOptions {
  quick: boolean;
  only?: Architecture;
  seeds: number;
  /** Convnets train on a slower path: they get fewer seeds by default. */
  convSeeds: number;
  optimizers: OptimizerName[];
}

export function selectedComparisons(options: GridOptions): Comparison[] {
  return COMPARISONS
    .filter((comparison) => !options.only || comparison.arch === options.only)
    .map((comparison) => (options.quick ? { ...comparison, depths: [comparison.quickDepth] } : comparison));
}

export const seedsOf = (arch: Architecture, options: GridOptions) => (ARCHITECTURES[arch].mlpSeeds ? options.seeds : options.convSeeds);

/**
 * Every run the comparisons need, deduplicated, seed by seed (a time-boxed run still has every configuration
 * once), within a seed in the comparisons' order of importance and deepest first (the deep rows decide).
 */
export function plannedRuns(comparisons: Comparison[], options: GridOptions): RunKey[] {
  const runs = new Map<string, RunKey>();
  for (let seed = 1; seed <= Math.max(options.seeds, options.convSeeds); seed++) {
    for (const comparison of comparisons.filter((c) => seed <= seedsOf(c.arch, options))) {
      for (const depth of [...comparison.depths].sort((a, b) => b - a)) {
        for (const optimizer of options.optimizers) {
          for (const init of [comparison.current, comparison.fix]) {
            const key: RunKey = { arch: comparison.arch, activation: comparison.activation, depth, init, optimizer, seed };
            runs.set(runId(key), key);
          }
        }
      }
    }
  }
  return [...runs.values()];
}
