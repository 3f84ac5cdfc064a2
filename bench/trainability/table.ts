/**
 * From runs to the table the thresholds are chosen from: per comparison, depth and optimizer, the median
 * steps to the target accuracy with the current initializer over the fix's, stalls, final accuracies, and
 * InitLint's prediction beside them.
 */
import { runId, type Comparison, type RunKey } from './grid';
import { ARCHITECTURES, INITS, type NetworkSpec } from './networks';
import type { Prediction } from './predict';
import { OPTIMIZERS, type OptimizerName, type RunResult } from './train';

/** Slower by this factor, or stalled where the fix trains: a warning (issue 12 §2). */
export const WORSE_RATIO = 1.5;

export type Verdict = 'worse' | 'same' | 'fix worse' | 'both fail' | 'not run';

export interface Row {
  comparison: Comparison;
  depth: number;
  optimizer: OptimizerName;
  current: Summary;
  fix: Summary;
  /** Median steps to the target, current over fix; Infinity when only the current never reaches it. */
  ratio: number | null;
  /** The same at the second target (informative: near the plateau crossings are noisy, so it decides nothing). */
  secondRatio: number | null;
  verdict: Verdict;
  predictedCurrent: Prediction;
  predictedFix: Prediction;
}

interface Summary {
  runs: number;
  medianSteps: number | null;
  medianStepsSecond: number | null;
  reached: number;
  stalled: number;
  meanFinalAccuracy: number;
  meanFinalLoss: number;
}

export const specOf = (key: Pick<RunKey, 'arch' | 'activation' | 'depth' | 'init'>): NetworkSpec =>
  ({ arch: key.arch, activation: key.activation, depth: key.depth, init: key.init });

function medianSteps(results: RunResult[], target: number): number | null {
  const steps = results.map((result) => result.stepsTo[String(target)] ?? Infinity).sort((a, b) => a - b);
  const middle = steps.length ? (steps[Math.floor((steps.length - 1) / 2)] + steps[Math.ceil((steps.length - 1) / 2)]) / 2 : Infinity;
  return Number.isFinite(middle) ? middle : null;
}

function summarize(results: RunResult[], target: number, secondTarget: number): Summary {
  const steps = results.map((result) => result.stepsTo[String(target)] ?? Infinity);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return {
    runs: results.length,
    medianSteps: medianSteps(results, target),
    medianStepsSecond: medianSteps(results, secondTarget),
    reached: steps.filter(Number.isFinite).length,
    stalled: results.filter((result) => result.stalled).length,
    meanFinalAccuracy: mean(results.map((result) => result.finalAccuracy)),
    meanFinalLoss: mean(results.map((result) => result.finalLoss)),
  };
}

/** Both medians reached: their ratio decides. Only one reached: that one is better. Neither: final accuracy, 10 points apart. */
function judge(current: Summary, fix: Summary): { ratio: number | null; verdict: Verdict } {
  if (!current.runs || !fix.runs) return { ratio: null, verdict: 'not run' };
  if (current.medianSteps !== null && fix.medianSteps !== null) {
    const ratio = current.medianSteps / Math.max(fix.medianSteps, 1);
    const stallsMore = current.stalled > fix.stalled && current.stalled * 2 >= current.runs;
    return { ratio, verdict: ratio >= WORSE_RATIO || stallsMore ? 'worse' : ratio <= 1 / WORSE_RATIO ? 'fix worse' : 'same' };
  }
  if (fix.medianSteps !== null) return { ratio: Infinity, verdict: 'worse' };
  if (current.medianSteps !== null) return { ratio: 0, verdict: 'fix worse' };
  const gap = fix.meanFinalAccuracy - current.meanFinalAccuracy;
  return { ratio: null, verdict: gap >= 0.1 ? 'worse' : gap <= -0.1 ? 'fix worse' : 'both fail' };
}

export function buildRows(
  comparisons: Comparison[], optimizers: OptimizerName[], seedsOf: (comparison: Comparison) => number, [target, secondTarget]: [number, number],
  results: Map<string, RunResult>, prediction: (spec: NetworkSpec) => Prediction,
): Row[] {
  const rows: Row[] = [];
  for (const comparison of comparisons) {
    for (const depth of comparison.depths) {
      for (const optimizer of optimizers) {
        const collect = (init: typeof comparison.current) => {
          const found: RunResult[] = [];
          for (let seed = 1; seed <= seedsOf(comparison); seed++) {
            const result = results.get(runId({ arch: comparison.arch, activation: comparison.activation, depth, init, optimizer, seed }));
            if (result) found.push(result);
          }
          return summarize(found, target, secondTarget);
        };
        const current = collect(comparison.current);
        const fix = collect(comparison.fix);
        const spec = { arch: comparison.arch, activation: comparison.activation, depth };
        const second = current.medianStepsSecond !== null && fix.medianStepsSecond !== null ? current.medianStepsSecond / Math.max(fix.medianStepsSecond, 1) : null;
        rows.push({
          comparison, depth, optimizer, current, fix, ...judge(current, fix), secondRatio: second,
          predictedCurrent: prediction({ ...spec, init: comparison.current }),
          predictedFix: prediction({ ...spec, init: comparison.fix }),
        });
      }
    }
  }
  return rows;
}

export const factor = (value: number | null) => {
  if (value === null || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  return value >= 0.01 && value < 100 ? value.toPrecision(2) : value.toExponential(1);
};
const steps = (summary: Summary) => (!summary.runs ? '—' : summary.medianSteps === null ? 'never' : summary.medianSteps.toFixed(0));
const accuracy = (summary: Summary) => (summary.runs ? summary.meanFinalAccuracy.toFixed(2) : '—');
const ratio = (row: Row, budget: number) => {
  if (row.ratio === null) return '—';
  if (row.ratio === Infinity) return `> ${(budget / Math.max(row.fix.medianSteps ?? 1, 1)).toFixed(1)}×`;
  if (row.ratio === 0) return `< ${((row.current.medianSteps ?? 0) / budget).toFixed(2)}×`;
  return `${row.ratio.toFixed(2)}×`;
};
const findings = (prediction: Prediction) => (prediction.findings.length ? prediction.findings.join(', ') : '—');

/** The full table: one row per comparison, depth and optimizer. */
const secondRatio = (row: Row) => (row.secondRatio === null ? '—' : `${row.secondRatio.toFixed(2)}×`);

export function markdownTable(rows: Row[], [target, secondTarget]: [number, number], budgetOf: (row: Row) => number): string {
  const header = [
    'rule family', 'net', 'φ', 'depth', 'current → fix', 'optimizer',
    'InitLint fwd / bwd (current)', 'c·m2(1) per layer', 'findings (current)', 'findings (fix)',
    `steps to ${target} current / fix`, 'ratio', `ratio at ${secondTarget}`, 'final acc current / fix', 'stalled current / fix', 'measured',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) {
    const c = row.comparison;
    lines.push(`| ${[
      c.family, ARCHITECTURES[c.arch].label, c.activation, String(row.depth),
      `${INITS[c.current].label} → ${INITS[c.fix].label}`, row.optimizer,
      `${factor(row.predictedCurrent.forwardFactor)} / ${factor(row.predictedCurrent.backwardFactor)}`,
      factor(row.predictedCurrent.meanFieldLayerGain), findings(row.predictedCurrent), findings(row.predictedFix),
      `${steps(row.current)} / ${steps(row.fix)}`, ratio(row, budgetOf(row)), secondRatio(row),
      `${accuracy(row.current)} / ${accuracy(row.fix)}`,
      `${row.current.stalled}/${row.current.runs} / ${row.fix.stalled}/${row.fix.runs}`, row.verdict,
    ].join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Per comparison and depth: the predicted factor and what each optimizer measured; the threshold view. */
export function summaryTable(rows: Row[], optimizers: OptimizerName[], secondTarget: number): string {
  const header = [
    'rule family', 'net', 'φ', 'current → fix', 'depth', 'InitLint fwd (current)', 'findings (current)',
    ...optimizers.map((o) => `${o}: ratio, verdict (ratio at ${secondTarget})`), 'suggests',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = `${row.comparison.family}|${row.comparison.arch}|${row.comparison.activation}|${row.comparison.current}|${row.depth}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  for (const group of groups.values()) {
    const [first] = group;
    const c = first.comparison;
    const verdicts = group.map((row) => row.verdict);
    const suggests = verdicts.includes('worse') ? 'warning' : verdicts.every((v) => v === 'not run') ? '—' : 'hint or nothing';
    lines.push(`| ${[
      c.family, ARCHITECTURES[c.arch].label, c.activation, `${INITS[c.current].label} → ${INITS[c.fix].label}`, String(first.depth),
      factor(first.predictedCurrent.forwardFactor), findings(first.predictedCurrent),
      ...optimizers.map((optimizer) => {
        const row = group.find((r) => r.optimizer === optimizer);
        return row ? `${row.ratio === null ? '—' : row.ratio === Infinity ? '∞' : row.ratio.toFixed(2)}, ${row.verdict} (${secondRatio(row)})` : '—';
      }),
      suggests,
    ].join(' | ')} |`);
  }
  return lines.join('\n');
}

export const optimizerLabels = (optimizers: OptimizerName[]) => optimizers.map((o) => `${o} = ${OPTIMIZERS[o].label}`).join('; ');
