/**
 * Analysis speed against the bare parse of the same file, measured in the same run (issue 2 target:
 * parse + extraction + analysis ≤ 2 × parse, and linear growth from 100 to 10,000 layers). The analysis is the
 * shipped bundle (shipped.ts), the floor the parse the front ends make (no parent pointers for TypeScript), and
 * both are timed in alternating blocks (timing.ts `alternatingBlocks`): CPU time, beside the median and best
 * wall ratios. Until 2026-12 this measured tsx-compiled sources against a parse with parent pointers, in wall
 * time, and until 2026-12-06 evening the parse's batches, then the analysis's (see README, Performance, for the
 * readings side by side).
 */
import { execFileSync } from 'node:child_process';
import ts from 'typescript';
import { parser as pythonParser } from '@lezer/python';
import { shippedAnalyzeSource } from './shipped';
import { alternatingBlocks, median, printTable, roundRatios } from './timing';

const INITIALIZERS_PY = ["'he_normal'", "'glorot_uniform'", 'None'];
const INITIALIZERS_JS = ["'heUniform'", "'glorotNormal'", 'undefined'];

export function generatedKeras(layers: number): string {
  const lines = ['import keras', 'from keras import layers', '', 'model = keras.Sequential()', 'model.add(keras.Input(shape=(256,)))'];
  for (let i = 0; i < layers; i++) {
    const init = INITIALIZERS_PY[i % INITIALIZERS_PY.length];
    lines.push(`model.add(layers.Dense(${256 + (i % 3)}, activation='relu'${init === 'None' ? '' : `, kernel_initializer=${init}`}))  # block ${i}`);
  }
  return lines.join('\n') + '\n';
}

export function generatedTfjs(layers: number): string {
  const lines = ["import * as tf from '@tensorflow/tfjs';", '', 'const model = tf.sequential();', 'model.add(tf.layers.dense({units: 256, inputShape: [256]}));'];
  for (let i = 0; i < layers; i++) {
    const init = INITIALIZERS_JS[i % INITIALIZERS_JS.length];
    lines.push(`model.add(tf.layers.dense({units: ${256 + (i % 3)}, activation: 'relu'${init === 'undefined' ? '' : `, kernelInitializer: ${init}`}})); // block ${i}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Before its measurement each row analyses and parses both languages' 100-layer files for this long (they run
 * the code every size runs), as the realcode benchmark warms its whole corpus: with only each row's second of
 * warm-up, the first row was timed while V8's compiler threads could still be optimizing, and CPU time counts
 * those threads (Keras at 100 layers: 1.93 in a fresh process, 1.63 on a second pass in the same one).
 * Two seconds were not enough either (2026-12-06 evening, tfjs at 100 layers): V8 was still optimizing, and
 * deoptimizing on maps it had not seen, analysis functions 5 s into a process (`node --trace-opt`); round by round
 * the ratio fell from 2.0–2.1 to a plateau of 1.75–1.85 reached after 6 to 8 s; and until then CPU time ran ~5%
 * over wall time, the compiler threads' share, where on the plateau the two agree. The analysis runs ~200
 * functions, many of them once per file, and those take V8 the longest to find hot. Hosts analyse file after
 * file in one long-lived process (tsserver, the language server), so the plateau is what users get.
 */
const WARM_UP_BOTH_MS = 10_000;

const LANGUAGES = {
  keras: { generate: generatedKeras, parse: (text: string) => pythonParser.parse(text), fileName: 'model.py' },
  tfjs: { generate: generatedTfjs, parse: (text: string) => ts.createSourceFile('model.ts', text, ts.ScriptTarget.Latest, false), fileName: 'model.ts' },
} as const;

type Language = keyof typeof LANGUAGES;

interface RowTimes {
  parseCpu: number[];
  parseWall: number[];
  wholeCpu: number[];
  wholeWall: number[];
  findings: number;
}

/**
 * Each row runs in a process of its own, after the same warm-up: a row run after others inherits their heap
 * (the same tfjs code read 1.65–1.99 after a 10,000-layer Keras row and 2.2–2.6 after a full collection), so
 * rows measured in one process depended on their order. And in PROCESSES_PER_ROW of them: fresh processes of the
 * same row differ more than runs in one (tfjs at 100 layers read 2.17 to 2.66 best-wall in five, 2026-12-06,
 * each steady within its own run), so one process is one draw. Each ratio printed is the median over the
 * processes, and `cpu range` their lowest and highest CPU ratio.
 */
const PROCESSES_PER_ROW = 3;

export function benchCore(): void {
  const rows: string[][] = [['language', 'layers', 'parse ms', 'whole ms', 'ratio', 'cpu range', 'wall median', 'wall best', 'µs/layer']];
  for (const language of Object.keys(LANGUAGES) as Language[]) {
    for (const layers of [100, 1000, 10000]) {
      const draws = Array.from({ length: PROCESSES_PER_ROW }, () => rowRatios(language, layers));
      const parseMs = median(draws.map((draw) => draw.parseMs));
      const wholeMs = median(draws.map((draw) => draw.wholeMs));
      const cpuRatios = draws.map((draw) => draw.cpu);
      const row = [language, String(layers), parseMs.toFixed(2), wholeMs.toFixed(2), median(cpuRatios).toFixed(2),
        `${Math.min(...cpuRatios).toFixed(2)}–${Math.max(...cpuRatios).toFixed(2)}`,
        median(draws.map((draw) => draw.wallMedian)).toFixed(2), median(draws.map((draw) => draw.wallBest)).toFixed(2), ((wholeMs * 1000) / layers).toFixed(1)];
      if (draws.some((draw) => draw.findings === 0)) row.push('(no findings?)');
      rows.push(row);
    }
  }
  console.log(`\nCore: parse + extraction + analysis vs bare parse, CPU ms per run (median) and its ratio, round by round in alternating blocks; wall ratios of the median round and of the best blocks (target ratio ≤ 2, µs/layer flat); each row in ${PROCESSES_PER_ROW} fresh processes, medians over them`);
  printTable(rows);
}

/** One fresh process's measurement of a row, as ratios to its own parse: medians over its rounds, and the best blocks. */
function rowRatios(language: Language, layers: number): { parseMs: number; wholeMs: number; cpu: number; wallMedian: number; wallBest: number; findings: number } {
  const output = execFileSync(process.execPath, [...process.execArgv, __filename, 'row', language, String(layers)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const times = JSON.parse(output.slice(output.lastIndexOf('\n{') + 1)) as RowTimes;
  return {
    parseMs: median(times.parseCpu),
    wholeMs: median(times.wholeCpu),
    cpu: median(roundRatios(times.wholeCpu, times.parseCpu)),
    wallMedian: median(roundRatios(times.wholeWall, times.parseWall)),
    wallBest: Math.min(...times.wholeWall) / Math.min(...times.parseWall),
    findings: times.findings,
  };
}

/**
 * Rounds of alternating parse and analysis blocks per row (timing.ts `alternatingBlocks`), an odd count so that
 * the median is a round's; and each block's least length.
 */
const ROUNDS = 9;
const BLOCK_MS = 250;

/** One row, in this process: the warm-up, then the parse and the whole analysis in alternating blocks. */
function measureRow(language: Language, layers: number): RowTimes {
  const analyzeSource = shippedAnalyzeSource();
  const warmUpEnd = performance.now() + WARM_UP_BOTH_MS;
  do {
    for (const { generate, parse, fileName } of Object.values(LANGUAGES)) {
      const text = generate(100);
      parse(text);
      analyzeSource(text, fileName);
    }
  } while (performance.now() < warmUpEnd);
  const { generate, parse, fileName } = LANGUAGES[language];
  const text = generate(layers);
  let findings = 0;
  const times = alternatingBlocks(() => parse(text), () => { findings = analyzeSource(text, fileName).findings.length; }, ROUNDS, BLOCK_MS);
  return { parseCpu: times.baseline.cpu, parseWall: times.baseline.wall, wholeCpu: times.measured.cpu, wholeWall: times.measured.wall, findings };
}

// `node --import tsx bench/core.ts row <language> <layers>`: the child process of one row.
if (require.main === module && process.argv[2] === 'row') {
  console.log(`\n${JSON.stringify(measureRow(process.argv[3] as Language, Number(process.argv[4])))}`);
}
