/** Timing helpers shared by the benchmarks: warm-up, repeated runs, medians and percentiles. */
/**
 * Warm-up before measuring: at least one run, and runs for at least `WARM_UP_MS`. With a single warm-up run
 * a 100-layer file (2 to 4 ms a run) was measured while V8 was still optimizing the ~200 functions the
 * analysis calls, and its ratio measured JIT tiers (2 to 6 from run to run); a run takes about a second of
 * repetitions to settle. The same warm-up precedes the baseline; a 10,000-layer file still gets ~3 runs.
 */
export const WARM_UP_MS = 1000;

export function time(run: () => void, runs: number): number[] {
  const warmUpEnd = performance.now() + WARM_UP_MS;
  do run(); while (performance.now() < warmUpEnd);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples;
}

/**
 * Per run, in batches of at least BATCH_MS (so the clocks' granularity does not show), after the same warm-up
 * as `time`: `cpu`, the CPU time (user + system of this process, every thread: V8's concurrent GC included),
 * and `wall`, the wall time. On a machine shared with other work a wall-clock median counts the moments the
 * scheduler gave the core away; CPU time counts only work done (parallel GC threads too, which a user does not
 * wait for), and the best wall batch estimates the undisturbed wall time. The benchmarks print both ratios.
 */
export function batchTimes(run: () => void, samples: number): { cpu: number[]; wall: number[] } {
  const warmUpEnd = performance.now() + WARM_UP_MS;
  let warmRuns = 0;
  const warmStart = performance.now();
  do {
    run();
    warmRuns++;
  } while (performance.now() < warmUpEnd);
  const batch = Math.max(1, Math.ceil(BATCH_MS / ((performance.now() - warmStart) / warmRuns)));
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    const start = process.cpuUsage();
    for (let j = 0; j < batch; j++) run();
    const used = process.cpuUsage(start);
    wall.push((performance.now() - started) / batch);
    cpu.push((used.user + used.system) / 1000 / batch);
  }
  return { cpu, wall };
}

const BATCH_MS = 10;

/** One loop's per-run times in each round of `alternatingBlocks`, in ms. */
export interface BlockTimes {
  cpu: number[];
  wall: number[];
}

/**
 * A baseline and a measured loop in alternating blocks of at least `blockMs` (and 3 runs) each, `rounds` times,
 * which goes first alternating too, after the same warm-up as `time`: each block's per-run CPU time (user +
 * system of every thread) and wall time. A block holds many garbage collections, so it carries its share of them;
 * and the two loops meet the same heap and machine within a round. Measured one after the other (the parse's
 * batches, then the analysis's), they did not: within one process, rounds of the same code drift from 1.9 to 2.2
 * and back as V8 resizes its heap (tfjs at 100 layers, 2026-12-06), and the loop measured second took a
 * different stretch of that drift from the first. Core takes its ratios per round (`roundRatios`); realcode sums
 * each file's median block times over its corpus.
 */
export function alternatingBlocks(baseline: () => void, measured: () => void, rounds: number, blockMs: number): { baseline: BlockTimes; measured: BlockTimes } {
  const warmUpEnd = performance.now() + WARM_UP_MS;
  do {
    baseline();
    measured();
  } while (performance.now() < warmUpEnd);
  const times = { baseline: { cpu: [] as number[], wall: [] as number[] }, measured: { cpu: [] as number[], wall: [] as number[] } };
  const block = (run: () => void, into: BlockTimes) => {
    const started = performance.now();
    const start = process.cpuUsage();
    let runs = 0;
    do {
      run();
      runs++;
    } while (runs < 3 || performance.now() - started < blockMs);
    const used = process.cpuUsage(start);
    into.wall.push((performance.now() - started) / runs);
    into.cpu.push((used.user + used.system) / 1000 / runs);
  };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      block(baseline, times.baseline);
      block(measured, times.measured);
    } else {
      block(measured, times.measured);
      block(baseline, times.baseline);
    }
  }
  return times;
}

/** The per-round ratios of two loops' times from `alternatingBlocks`. */
export function roundRatios(measured: number[], baseline: number[]): number[] {
  return measured.map((value, round) => value / baseline[round]);
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function median(samples: number[]): number {
  return percentile(samples, 50);
}

export function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  for (const row of rows) console.log(row.map((cell, column) => (cell ?? '').padStart(widths[column])).join('  '));
}
