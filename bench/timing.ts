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
