/**
 * Gaussian expectations E[f(√q·ε)], ε ~ N(0,1), by composite Gauss–Legendre quadrature over ε ∈ [-9, 9].
 * Panels break at every integer and at the activation's kinks (0 for ReLU, ±3 for hard swish…), so
 * piecewise-smooth activations integrate as accurately as smooth ones (Gauss–Hermite would not: its error
 * at a kink is ~1e-3).
 */

// 8-point Gauss–Legendre nodes and weights on [-1, 1].
const LEGENDRE_NODES = [-0.9602898564975363, -0.7966664774136267, -0.5255324099163290, -0.1834346424956498, 0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363];
const LEGENDRE_WEIGHTS = [0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.3626837833783620, 0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];
const RANGE = 9;
const INTEGER_BREAKS = Array.from({ length: 2 * RANGE + 1 }, (_, i) => i - RANGE);
const DENSITY_NORMALIZER = 1 / Math.sqrt(2 * Math.PI);

/**
 * The quadrature's nodes ε_i and weights w_i (Legendre weight × half panel × normal density) for the given
 * breaks in ε. Without a break of its own (every smooth activation, and kinks at integers or beyond ±9) the
 * table is the same for every q: built once, it saves the sort, the allocation and 144 `exp` per expectation,
 * which the LSTM mean-field asks for a thousand times per sequence.
 */
interface QuadratureNodes {
  points: Float64Array;
  weights: Float64Array;
}

function quadratureNodes(breaks: readonly number[]): QuadratureNodes {
  const points: number[] = [];
  const weights: number[] = [];
  for (let panel = 0; panel + 1 < breaks.length; panel++) {
    const low = breaks[panel];
    const high = breaks[panel + 1];
    if (high - low < 1e-12) continue;
    const half = (high - low) / 2;
    const middle = (high + low) / 2;
    for (let i = 0; i < LEGENDRE_NODES.length; i++) {
      const epsilon = middle + half * LEGENDRE_NODES[i];
      points.push(epsilon);
      weights.push(half * LEGENDRE_WEIGHTS[i] * Math.exp(-(epsilon * epsilon) / 2) * DENSITY_NORMALIZER);
    }
  }
  return { points: Float64Array.from(points), weights: Float64Array.from(weights) };
}

const INTEGER_NODES = quadratureNodes(INTEGER_BREAKS);

/**
 * Panels two wide over [−10, 10], for √q ≤ WIDE_PANEL_SCALE: f(√q·ε) then varies on a scale of ≥ 2 in ε (tanh's
 * poles lie at |ε| ≥ π), where 8 Gauss–Legendre points per two units are as exact as per one (error ~1e-9, the
 * Gaussian's own 16th derivative dominating). Recurrent gates at small q are most of what this integrates.
 */
const WIDE_NODES = quadratureNodes(Array.from({ length: 11 }, (_, i) => 2 * i - 10));
const WIDE_PANEL_SCALE = 0.5;

/**
 * Gauss–Hermite nodes for N(0, 1) (probabilists' weight), found by Newton's method on the orthonormal Hermite
 * recurrence. For a function analytic in a strip around the real axis (tanh, sigmoid, GELU, swish at √q ≤ ½: no
 * pole within |Im ε| < π) 24 nodes are exact to ~1e-12, where the panels take 80.
 */
function hermiteNodes(count: number): QuadratureNodes {
  const points = new Float64Array(count);
  const weights = new Float64Array(count);
  const half = Math.floor((count + 1) / 2);
  let root = 0;
  for (let i = 0; i < half; i++) {
    // Initial guesses of the largest roots first (Numerical Recipes' gauher), then each from the previous ones.
    if (i === 0) root = Math.sqrt(2 * count + 1) - 1.85575 * (2 * count + 1) ** (-1 / 6);
    else if (i === 1) root -= (1.14 * count ** 0.426) / root;
    else if (i === 2) root = 1.86 * root - 0.86 * points[0] / Math.SQRT2;
    else if (i === 3) root = 1.91 * root - 0.91 * points[1] / Math.SQRT2;
    else root = 2 * root - points[i - 2] / Math.SQRT2;
    let slope = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      let p1 = Math.PI ** -0.25;
      let p2 = 0;
      for (let j = 1; j <= count; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = root * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
      }
      slope = Math.sqrt(2 * count) * p2;
      const step = p1 / slope;
      root -= step;
      if (Math.abs(step) <= 1e-15) break;
    }
    // Physicists' nodes x and weights w: E[f(ε)] = Σ w/√π · f(√2·x).
    const weight = 2 / (slope * slope) / Math.sqrt(Math.PI);
    points[i] = Math.SQRT2 * root;
    points[count - 1 - i] = -Math.SQRT2 * root;
    weights[i] = weight;
    weights[count - 1 - i] = weight;
  }
  return { points, weights };
}

const HERMITE_NODES = hermiteNodes(24);

/** Kinks of a function analytic on the real line: the quadrature may use HERMITE_NODES at small scale. */
export const SMOOTH: readonly number[] = [];

/** The nodes for a scale √q and the kinks (in x) of the function integrated (`SMOOTH`: none at all). */
function nodesFor(scale: number, kinks: readonly number[]): QuadratureNodes {
  if (kinks.length === 0 && scale <= WIDE_PANEL_SCALE) return HERMITE_NODES;
  let breaks: number[] | undefined;
  let onEvenBreaks = true;
  for (const kink of kinks) {
    const epsilon = kink / scale;
    if (!(epsilon > -RANGE && epsilon < RANGE)) continue;
    if (epsilon !== 0) onEvenBreaks = false;
    if (Number.isInteger(epsilon)) continue;
    breaks ??= [...INTEGER_BREAKS];
    breaks.push(epsilon);
  }
  if (!breaks) return onEvenBreaks && scale <= WIDE_PANEL_SCALE ? WIDE_NODES : INTEGER_NODES;
  breaks.sort((a, b) => a - b);
  return quadratureNodes(breaks);
}

/** E[f(√q·ε)] for ε ~ N(0, 1); `kinks` are x-values where f or its derivative jumps. */
export function gaussianExpectation(f: (x: number) => number, q: number, kinks: readonly number[] = [0]): number {
  const scale = Math.sqrt(Math.max(q, 0));
  if (scale === 0) return f(0);
  const { points, weights } = nodesFor(scale, kinks);
  let sum = 0;
  for (let i = 0; i < points.length; i++) sum += weights[i] * f(scale * points[i]);
  return sum;
}

/**
 * E[φ(m + √v·ε)], E[φ²] and E[φ'²] in one pass over the nodes (φ and φ' read once per node): what
 * `shiftedMoments` asks for at every step of a recurrent layer. `kinks` are in z, where φ or φ' jumps; φ and
 * φ' take the activation's parameter (no closure per call on this path).
 */
export function gaussianMomentsOf(
  value: (z: number, parameter: number) => number, derivative: (z: number, parameter: number) => number, parameter: number,
  mean: number, variance: number, kinks: readonly number[], out: { mean: number; m2: number; dm2: number },
  slopeFromValue?: (value: number) => number,
): void {
  const scale = Math.sqrt(Math.max(variance, 0));
  if (scale === 0) {
    const at = value(mean, parameter);
    const slope = derivative(mean, parameter);
    out.mean = at;
    out.m2 = at * at;
    out.dm2 = slope * slope;
    return;
  }
  const { points, weights } = nodesFor(scale, mean === 0 ? kinks : kinks.map((kink) => kink - mean));
  let first = 0;
  let second = 0;
  let slopes = 0;
  for (let i = 0; i < points.length; i++) {
    const z = mean + scale * points[i];
    const at = value(z, parameter);
    // tanh' = 1 − tanh², σ' = σ(1 − σ): one transcendental call per node instead of three.
    const slope = slopeFromValue ? slopeFromValue(at) : derivative(z, parameter);
    const weight = weights[i];
    first += weight * at;
    second += weight * at * at;
    slopes += weight * slope * slope;
  }
  out.mean = first;
  out.m2 = second;
  out.dm2 = slopes;
}

/**
 * E over z ~ N(μ, σ²) restricted to a < z < b of 1, z and z² (a, b may be ±∞): the pieces of a piecewise-linear
 * activation's moments. E[z²; a<z<b] = (μ² + σ²)(Φ(β) − Φ(α)) + σ((a + μ)ϕ(α) − (b + μ)ϕ(β)), α = (a − μ)/σ.
 */
export function truncatedMoments(mean: number, sigma: number, low: number, high: number): { mass: number; first: number; second: number } {
  const alpha = (low - mean) / sigma;
  const beta = (high - mean) / sigma;
  const mass = normalCdf(beta) - normalCdf(alpha);
  const densityLow = Number.isFinite(alpha) ? Math.exp(-(alpha * alpha) / 2) * DENSITY_NORMALIZER : 0;
  const densityHigh = Number.isFinite(beta) ? Math.exp(-(beta * beta) / 2) * DENSITY_NORMALIZER : 0;
  const first = mean * mass + sigma * (densityLow - densityHigh);
  const lowTerm = Number.isFinite(low) ? (low + mean) * densityLow : 0;
  const highTerm = Number.isFinite(high) ? (high + mean) * densityHigh : 0;
  const second = (mean * mean + sigma * sigma) * mass + sigma * (lowTerm - highTerm);
  return { mass, first, second };
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 through erf, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Gauss error function, same approximation as `normalCdf`. */
export function erf(x: number): number {
  return 2 * normalCdf(x * Math.SQRT2) - 1;
}

/** Variance factor of a normal truncated at ±2σ (what Keras and tfjs draw): 0.7737413. */
export const TRUNCATED_NORMAL_VARIANCE_FACTOR = (() => {
  const density = Math.exp(-2) / Math.sqrt(2 * Math.PI);
  const mass = 2 * normalCdf(2) - 1;
  return 1 - (2 * 2 * density) / mass;
})();

/** Short human form of a factor: 9.5e-7, 0.77, 1, 1.3e+4. */
export function formatFactor(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  if (value === 0) return '0';
  // The same gains recur in every finding of a uniform stack: each value is written once.
  let written = FORMATTED_FACTORS.get(value);
  if (written === undefined) {
    const magnitude = Math.abs(value);
    written = magnitude >= 0.01 && magnitude < 1000 ? String(Number(value.toPrecision(2))) : value.toExponential(1).replace(/\.0e/, 'e');
    if (FORMATTED_FACTORS.size < 1000) FORMATTED_FACTORS.set(value, written);
  }
  return written;
}

const FORMATTED_FACTORS = new Map<number, string>();
