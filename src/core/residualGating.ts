/**
 * Backward through a skip connection into a rectifier after an Add (the post-activation ResNet block,
 * x_{l+1} = relu(x_l + F(x_l))). A unit that is active at one Add tends to be active at the next (its
 * skip input is its own previous value), so the gradient that reaches x_l through the skip is not thinned
 * by E[φ'(s_l)²] again, as independent masks would say: over 10 blocks that independence made the
 * gradient at the first layer ×0.56 of a Monte Carlo. Instead, with s_A = φ_S(s_S) + o (o: the Add's
 * other inputs, independent of s_S) and the incoming gradient's size independent of both masks:
 *
 *   E[(∂L/∂s_S)²] from A = g_A · E[φ_S'(s_S)² · Ψ(φ_S(s_S))] / E[Ψ(φ_S(s_S))],  Ψ(y) = E_o[φ_A'(y + o)²],
 *
 * which is a first-order Markov chain on each unit's mask along the skip path.
 */
import { ACTIVATIONS, parameterOf, type ActivationSpec } from './catalogue/activations';
import { normalCdf } from './math';
import type { Layer } from './model';
import type { MomentTable } from './propagation';

/**
 * A distribution as weighted atoms on a grid: the pre-activation of a rectifying Add, which is not Gaussian
 * (a rectified skip plus a Gaussian branch is skewed; taking it as Gaussian misses 3% per block, ×0.7 after
 * 10 blocks). Along a chain of such Adds each unit is a scalar Markov chain s_l = φ(s_{l−1}) + o_l, which
 * the atoms follow exactly up to the grid.
 */
export interface Atoms {
  x: Float64Array;
  w: Float64Array;
}

const ATOMS = 64;
const density = (a: number) => Math.exp(-(a * a) / 2) / Math.sqrt(2 * Math.PI);

/**
 * A grid of ATOMS cells covering [low, high] whose cell boundaries include 0, where the rectifiers' φ' jumps:
 * a midpoint sum over cells then integrates the step without the error of a cell straddling it.
 */
function grid(low: number, high: number): { x: Float64Array; step: number } {
  const step = (high - low) / (ATOMS - 1);
  const from = Math.floor(low / step) * step;
  const x = new Float64Array(ATOMS);
  for (let m = 0; m < ATOMS; m++) x[m] = from + (m + 0.5) * step;
  return { x, step };
}

/** The first and last cells of a uniform grid within `radius` of `centre` (clamped to the grid). */
function cellsNear(x: Float64Array, step: number, centre: number, radius: number): [number, number] {
  if (!(step > 0)) return [0, x.length - 1];
  const first = Math.max(0, Math.ceil((centre - radius - x[0]) / step));
  const last = Math.min(x.length - 1, Math.floor((centre + radius - x[0]) / step));
  return [first, last];
}

/** N(mean, variance) on a grid of ±8 standard deviations. */
export function gaussianAtoms(mean: number, variance: number): Atoms {
  const sd = Math.sqrt(Math.max(variance, 0));
  if (!(sd > 0)) {
    const x = new Float64Array(ATOMS).fill(mean);
    return { x, w: new Float64Array(ATOMS).fill(1 / ATOMS) };
  }
  const { x } = grid(mean - 8 * sd, mean + 8 * sd);
  const w = new Float64Array(ATOMS);
  let total = 0;
  for (let k = 0; k < ATOMS; k++) {
    w[k] = density((x[k] - mean) / sd);
    total += w[k];
  }
  for (let k = 0; k < ATOMS; k++) w[k] /= total;
  return { x, w };
}

/** The slope of φ_A below zero where it is a (leaky) rectifier: moments of y + o have closed forms there. */
function rectifierSlope(spec: ActivationSpec): number | undefined {
  if (spec.id === 'relu') return 0;
  if (spec.id === 'leakyRelu' || spec.id === 'prelu') return parameterOf(spec);
  return undefined;
}

/** E[φ_A'(y + o)²], E[φ_A(y + o)] and E[φ_A(y + o)²] for o ~ N(μ_o, σ_o²), φ_A a rectifier of `slope`. */
function rectified(centre: number, sd: number, slope: number): [number, number, number] {
  const a = centre / sd;
  const positive = normalCdf(a);
  const d = density(a);
  const reluMean = centre * positive + sd * d;
  const reluM2 = (centre * centre + sd * sd) * positive + centre * sd * d;
  return [
    positive + slope * slope * (1 - positive),
    reluMean + slope * (centre - reluMean),
    reluM2 + slope * slope * (centre * centre + sd * sd - reluM2),
  ];
}

export interface SkipAdd {
  mean: number;
  m2: number;
  dm2: number;
  /** The Add's pre-activation s_A = φ_S(s_S) + o, for the next Add that skips from this one. */
  atoms: Atoms;
  /** Where each atom of the skip source lands before o: φ_S(x_k) + μ_o; and σ_o. */
  centres: Float64Array;
  sd: number;
  /** The skip source's layer index. */
  skip: number;
}

/**
 * A rectifying Add (φ_A) of a skip φ_S(s_S), s_S given as atoms, and other inputs o summed as a Gaussian
 * (mean μ_o, second moment `otherM2`): φ_A's mean, second moment and E[φ_A'²], in closed form per atom.
 * Undefined where φ_A is not a rectifier or o has no variance.
 */
export function skipAddMoments(skip: number, skipSpec: ActivationSpec, source: Atoms, spec: ActivationSpec, otherMean: number, otherM2: number): SkipAdd | undefined {
  const slope = rectifierSlope(spec);
  const sd = Math.sqrt(Math.max(otherM2 - otherMean * otherMean, 0));
  if (slope === undefined || !(sd > 0)) return undefined;
  const facts = ACTIVATIONS[skipSpec.id];
  const parameter = parameterOf(skipSpec);
  const centres = new Float64Array(ATOMS);
  let mean = 0;
  let m2 = 0;
  let dm2 = 0;
  let low = Infinity;
  let high = -Infinity;
  for (let k = 0; k < ATOMS; k++) {
    const centre = facts.value(source.x[k], parameter) + otherMean;
    centres[k] = centre;
    const [passed, first, second] = rectified(centre, sd, slope);
    dm2 += source.w[k] * passed;
    mean += source.w[k] * first;
    m2 += source.w[k] * second;
    if (source.w[k] > 1e-9) {
      low = Math.min(low, centre);
      high = Math.max(high, centre);
    }
  }
  // The mixture Σ w_k N(centre_k, σ_o²), back onto a grid.
  const { x, step } = grid(low - 7 * sd, high + 7 * sd);
  const w = new Float64Array(ATOMS);
  // Each atom spreads over the cells within 7σ_o of its centre (the rest is below 1e-10).
  const spread = -1 / (2 * sd * sd);
  for (let k = 0; k < ATOMS; k++) {
    if (!(source.w[k] > 0)) continue;
    const [first, last] = cellsNear(x, step, centres[k], 7 * sd);
    for (let m = first; m <= last; m++) w[m] += source.w[k] * Math.exp(spread * (x[m] - centres[k]) ** 2);
  }
  let total = 0;
  for (let m = 0; m < ATOMS; m++) total += w[m];
  for (let m = 0; m < ATOMS; m++) w[m] /= total;
  return { mean, m2, dm2, atoms: { x, w }, centres, sd, skip };
}

/**
 * Backward of the same pattern, along the chain of Adds exactly as the forward (a Markov chain per unit): a
 * unit active at one Add tends to be active at the next (its skip input is its own previous value), so
 * independent masks thin the gradient once per block too often (×0.56 of a Monte Carlo at the first layer
 * of 10 blocks). `profile` h(s) = E[(∂L/∂s)²| s] on each Add's atoms carries which units the gradient sits
 * on: for the skip source S with atoms x_k and the Add A it feeds (atoms x'_m, centres c_k = φ_S(x_k) + μ_o),
 *
 *   h_S(x_k) = φ_S'(x_k)² · (U + Σ_m T_km · h_A(x'_m)),   T_km ∝ ϕ((x'_m − c_k)/σ_o),
 *
 * U being what S's other consumers send back (the branch: independent of the masks).
 */
export function skipProfile(skipSpec: ActivationSpec, source: Atoms, add: SkipAdd | undefined, addProfile: Float64Array | undefined, uniform: number): Float64Array {
  const facts = ACTIVATIONS[skipSpec.id];
  const parameter = parameterOf(skipSpec);
  const profile = new Float64Array(ATOMS);
  for (let k = 0; k < ATOMS; k++) {
    let through = 0;
    if (add && addProfile) {
      let total = 0;
      const spread = -1 / (2 * add.sd * add.sd);
      const target = add.atoms.x;
      const [first, last] = cellsNear(target, target.length > 1 ? target[1] - target[0] : 1, add.centres[k], 7 * add.sd);
      for (let m = first; m <= last; m++) {
        const weight = Math.exp(spread * (target[m] - add.centres[k]) ** 2);
        through += weight * addProfile[m];
        total += weight;
      }
      through = total > 0 ? through / total : 0;
    }
    profile[k] = facts.derivative(source.x[k], parameter) ** 2 * (uniform + through);
  }
  return profile;
}

/** E over the atoms of a profile: the layer's g. */
export function profileMean(atoms: Atoms, profile: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < ATOMS; k++) sum += atoms.w[k] * profile[k];
  return sum;
}

// How propagation.ts finds the pattern: an Add with exactly one activated input (the skip).

/** The Add's inputs other than `skip`, summed as `combinedInput` does; undefined unless `skip` is one input of several. */
function othersOf(add: Layer, skip: number, table: MomentTable): { mean: number; m2: number } | undefined {
  let mean = 0;
  let m2 = 0;
  let others = 0;
  for (const input of add.inputs) {
    if (input === skip) continue;
    const inputMean = input < 0 ? 0 : table.outMean[input];
    m2 += (input < 0 ? 1 : table.outMoment[input]) + 2 * mean * inputMean;
    mean += inputMean;
    others++;
  }
  return others > 0 && others === add.inputs.length - 1 ? { mean, m2 } : undefined;
}

/** The skip input of an Add: its one input with an activation (the others are taken as Gaussian). */
function skipInput(add: Layer, layers: Layer[]): number | undefined {
  const activated = add.inputs.filter((input) => input >= 0 && layers[input].activation.spec.id !== 'linear');
  return activated.length === 1 ? activated[0] : undefined;
}

/** A layer's pre-activation as atoms: those of a rectifying Add, else its Gaussian N(mean, q − mean²). */
export function atomsOf(index: number, table: MomentTable, atoms: Map<number, Atoms>): Atoms {
  return atoms.get(index) ?? gaussianAtoms(table.mean[index], table.q[index] - table.mean[index] ** 2);
}

/** `skipAddMoments` of a rectifying Add with one activated (skip) input; its atoms are kept for the next. */
export function skipAdd(add: Layer, table: MomentTable, layers: Layer[], atoms: Map<number, Atoms>, adds: Map<number, SkipAdd>) {
  const skip = skipInput(add, layers);
  const others = skip === undefined ? undefined : othersOf(add, skip, table);
  if (!others || skip === undefined) return undefined;
  const moments = skipAddMoments(skip, layers[skip].activation.spec, atomsOf(skip, table, atoms), add.activation.spec, others.mean, others.m2);
  if (moments) {
    atoms.set(add.index, moments.atoms);
    adds.set(add.index, moments);
  }
  return moments;
}

/**
 * An activation layer applied to an already activated output (`Dense(64, activation='relu')` then `ReLU()`,
 * which is not folded): its input is φ_S(s_S), not a Gaussian, so its moments are summed over s_S's atoms
 * (relu∘relu = relu exactly, where a Gaussian of the same mean and variance loses 10%).
 */
export function composedMoments(spec: ActivationSpec, innerSpec: ActivationSpec, source: Atoms): { mean: number; m2: number; dm2: number } {
  const outer = ACTIVATIONS[spec.id];
  const inner = ACTIVATIONS[innerSpec.id];
  const outerParameter = parameterOf(spec);
  const innerParameter = parameterOf(innerSpec);
  let mean = 0;
  let m2 = 0;
  let dm2 = 0;
  for (let k = 0; k < ATOMS; k++) {
    const y = inner.value(source.x[k], innerParameter);
    const value = outer.value(y, outerParameter);
    mean += source.w[k] * value;
    m2 += source.w[k] * value * value;
    dm2 += source.w[k] * outer.derivative(y, outerParameter) ** 2;
  }
  return { mean, m2, dm2 };
}

/**
 * Backward of `composedMoments`: the gradient from the activation layer already carries its mask
 * φ'(φ_S(s))², correlated with φ_S'(s)² (relu∘relu masks once), so E[φ_S'²] is replaced by
 * E[φ_S'(s)²·φ'(φ_S(s))²] / E[φ'(φ_S(s))²].
 */
export function composedGradientFactor(spec: ActivationSpec, innerSpec: ActivationSpec, source: Atoms): number | undefined {
  const outer = ACTIVATIONS[spec.id];
  const inner = ACTIVATIONS[innerSpec.id];
  const outerParameter = parameterOf(spec);
  const innerParameter = parameterOf(innerSpec);
  let numerator = 0;
  let denominator = 0;
  for (let k = 0; k < ATOMS; k++) {
    const passed = outer.derivative(inner.value(source.x[k], innerParameter), outerParameter) ** 2;
    numerator += source.w[k] * inner.derivative(source.x[k], innerParameter) ** 2 * passed;
    denominator += source.w[k] * passed;
  }
  return denominator > 0 ? numerator / denominator : undefined;
}
