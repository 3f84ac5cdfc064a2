/**
 * The spread of a measurement over independent weight draws: mean, median and the 10–90% band. Pure (no
 * TensorFlow.js): the CLI's report and the panel's messages use it too. Quantiles interpolate linearly
 * between order statistics (numpy's default), so three draws already give a band inside [min, max].
 */

export interface Spread {
  mean: number;
  median: number;
  /** 10th and 90th percentiles. */
  p10: number;
  p90: number;
}

/** The quantile `p` (0–1) of values sorted ascending. */
function quantile(sorted: readonly number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  if (below === above) return sorted[below];
  // An infinite neighbour makes the interpolation ∞ − ∞ = NaN: the band reaches it instead.
  if (!Number.isFinite(sorted[below]) || !Number.isFinite(sorted[above])) return sorted[p < 0.5 ? below : above];
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/**
 * The spread of per-draw values. A draw that overflowed (NaN) sorts above +∞, so a band that reaches it is
 * NaN ("not finite") rather than a made-up number; the mean of such draws is NaN as well.
 */
export function spreadOf(values: readonly number[]): Spread {
  if (!values.length) return { mean: NaN, median: NaN, p10: NaN, p90: NaN };
  const sorted = [...values].sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b));
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return { mean, median: quantile(sorted, 0.5), p10: quantile(sorted, 0.1), p90: quantile(sorted, 0.9) };
}

/** Draw k's seed: draw 0 is the requested seed itself (one draw measures what a single run always did). */
export function drawSeed(seed: number, draw: number): number {
  if (draw === 0) return seed >>> 0;
  // splitmix32 of (seed, draw): neighbouring seeds share no draws.
  let z = (Math.imul(seed >>> 0, 0x9e3779b9) + Math.imul(draw, 0x632be5ab)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
