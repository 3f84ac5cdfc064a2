/**
 * Gaussian expectations by Gauss–Hermite quadrature: E[f(√q·ε)], ε ~ N(0,1).
 * The nodes are computed once (Golub–Welsch would need an eigen-solver; Newton on the Hermite
 * recurrence is the classic, dependency-free way) and reused by every activation moment.
 */

const NODE_COUNT = 96;

/** Nodes and weights for ∫ e^{-x²} f(x) dx (physicists' Hermite), by Newton's method on H_n. */
function hermiteRule(n: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  const quarterPi = Math.pow(Math.PI, -0.25);
  let z = 0;
  for (let i = 0; i < (n + 1) >> 1; i++) {
    // Initial guesses for the largest roots first (Numerical Recipes' asymptotic forms).
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * Math.pow(2 * n + 1, -1 / 6);
    else if (i === 1) z -= (1.14 * Math.pow(n, 0.426)) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * nodes[0];
    else if (i === 3) z = 1.91 * z - 0.91 * nodes[1];
    else z = 2 * z - nodes[i - 2];
    let derivative = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      // Orthonormal Hermite recurrence, stable for large n.
      let p1 = quarterPi;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
      }
      derivative = Math.sqrt(2 * n) * p2;
      const previous = z;
      z = previous - p1 / derivative;
      if (Math.abs(z - previous) < 1e-14) break;
    }
    nodes[i] = z;
    nodes[n - 1 - i] = -z;
    weights[i] = 2 / (derivative * derivative);
    weights[n - 1 - i] = weights[i];
  }
  return { nodes, weights };
}

const rule = hermiteRule(NODE_COUNT);
/** Standard-normal form: E[f(ε)] = Σ w_i/√π · f(√2·x_i). */
const standardNodes = Array.from(rule.nodes, (x) => Math.SQRT2 * x);
const standardWeights = Array.from(rule.weights, (w) => w / Math.sqrt(Math.PI));

/** E[f(√q·ε)] for ε ~ N(0, 1). */
export function gaussianExpectation(f: (x: number) => number, q: number): number {
  const scale = Math.sqrt(Math.max(q, 0));
  let sum = 0;
  for (let i = 0; i < standardNodes.length; i++) sum += standardWeights[i] * f(scale * standardNodes[i]);
  return sum;
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
  const magnitude = Math.abs(value);
  if (magnitude >= 0.01 && magnitude < 1000) {
    const rounded = Number(value.toPrecision(2));
    return String(rounded);
  }
  return value.toExponential(1).replace('e+', 'e+').replace(/\.0e/, 'e');
}
