/**
 * Activation functions: what they compute, their Gaussian moments, their family, and how each framework
 * spells them. Moments follow SCIENCE.md §1–2: m2(q) = E[φ(√q·ε)²], dm2(q) = E[φ'(√q·ε)²].
 */
import type { Framework } from '../ir';
import { gaussianExpectation, gaussianMomentsOf, normalCdf, SMOOTH, truncatedMoments } from '../math';

export type ActivationId =
  | 'linear' | 'relu' | 'relu6' | 'leakyRelu' | 'prelu' | 'thresholdedRelu' | 'elu' | 'selu' | 'gelu' | 'swish'
  | 'mish' | 'hardSwish' | 'tanh' | 'sigmoid' | 'hardSigmoid' | 'softsign' | 'softplus' | 'softmax' | 'exponential'
  | 'sin' | 'other';

/** relu family: He territory. saturating: Glorot territory, hurt by large scales. */
export type ActivationFamily = 'linear' | 'relu' | 'saturating' | 'selu' | 'other';

/** The activation a layer really applies, with its parameter where it has one. */
export interface ActivationSpec {
  id: ActivationId;
  /** Negative slope (leaky relu, prelu at init), elu alpha, thresholded relu theta, or hard-sigmoid slope. */
  parameter?: number;
}

interface ActivationFacts {
  family: ActivationFamily;
  /** Display name used in messages. */
  label: string;
  value: (x: number, parameter: number) => number;
  derivative: (x: number, parameter: number) => number;
  defaultParameter?: number;
  /** x-values where φ or φ' jumps (quadrature panels break there); [0] when not given. */
  kinks?: (parameter: number) => number[];
  /** Closed forms where they exist. */
  exactM2?: (q: number, parameter: number) => number;
  exactDm2?: (q: number, parameter: number) => number;
  /** Fraction of N(0, q) where |φ'| < 0.01, when it is a constant. */
  exactInactive?: number;
  /** Analytic on the real line (no kink anywhere): the fused quadrature may use Gauss–Hermite at small q. */
  smooth?: boolean;
  /** φ' written through φ where it can be (tanh, sigmoid): the fused quadrature then calls φ alone. */
  slopeFromValue?: (value: number) => number;
  /** E[φ], E[φ²], E[φ'²] for z ~ N(mean, variance) in closed form (piecewise-linear activations). */
  exactMoments?: (mean: number, variance: number, parameter: number, out: GaussianMoments) => void;
}

/** The kink every activation is assumed to have when it names none. */
const CENTRED_KINK: readonly number[] = [0];

function kinksOf(facts: ActivationFacts, parameter: number): readonly number[] {
  return facts.smooth ? SMOOTH : facts.kinks?.(parameter) ?? CENTRED_KINK;
}

/**
 * Hard sigmoid clip(s·z + ½, 0, 1): linear on |z| < ½/s, 0 below, 1 above, so its moments are those of a
 * truncated normal (math.ts `truncatedMoments`). What tfjs LSTM and GRU gates use by default.
 */
function hardSigmoidMoments(mean: number, variance: number, slope: number, out: GaussianMoments): void {
  const sigma = Math.sqrt(Math.max(variance, 0));
  const edge = 0.5 / slope;
  if (sigma === 0) {
    const at = hardSigmoid(mean, slope);
    out.mean = at;
    out.m2 = at * at;
    out.dm2 = Math.abs(mean) < edge ? slope * slope : 0;
    return;
  }
  const linear = truncatedMoments(mean, sigma, -edge, edge);
  const saturated = 1 - normalCdf((edge - mean) / sigma);
  out.mean = slope * linear.first + 0.5 * linear.mass + saturated;
  out.m2 = slope * slope * linear.second + slope * linear.first + 0.25 * linear.mass + saturated;
  out.dm2 = slope * slope * linear.mass;
}

const SELU_LAMBDA = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;
const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const softplus = (x: number) => (x > 30 ? x : Math.log1p(Math.exp(x)));
const gaussianDensity = (x: number) => Math.exp(-(x * x) / 2) / Math.sqrt(2 * Math.PI);
const numericDerivative = (f: (x: number, p: number) => number) => (x: number, p: number) =>
  (f(x + 1e-5, p) - f(x - 1e-5, p)) / 2e-5;
const mish = (x: number) => x * Math.tanh(softplus(x));
const hardSigmoid = (x: number, slope: number) => Math.min(1, Math.max(0, slope * x + 0.5));

export const ACTIVATIONS: Record<ActivationId, ActivationFacts> = {
  linear: { family: 'linear', label: 'linear', value: (x) => x, derivative: () => 1, exactM2: (q) => q, exactDm2: () => 1, exactInactive: 0 },
  relu: {
    family: 'relu', label: 'ReLU', value: (x) => Math.max(x, 0), derivative: (x) => (x > 0 ? 1 : 0),
    exactM2: (q) => q / 2, exactDm2: () => 0.5, exactInactive: 0.5,
  },
  relu6: { family: 'relu', label: 'ReLU6', kinks: () => [0, 6], value: (x) => Math.min(Math.max(x, 0), 6), derivative: (x) => (x > 0 && x < 6 ? 1 : 0) },
  leakyRelu: {
    family: 'relu', label: 'leaky ReLU', defaultParameter: 0.3,
    value: (x, a) => (x > 0 ? x : a * x), derivative: (x, a) => (x > 0 ? 1 : a),
    exactM2: (q, a) => (q * (1 + a * a)) / 2, exactDm2: (_q, a) => (1 + a * a) / 2,
  },
  // PReLU's alpha starts at its initializer's value (zeros by default): a ReLU at initialization.
  prelu: {
    family: 'relu', label: 'PReLU', defaultParameter: 0,
    value: (x, a) => (x > 0 ? x : a * x), derivative: (x, a) => (x > 0 ? 1 : a),
    exactM2: (q, a) => (q * (1 + a * a)) / 2, exactDm2: (_q, a) => (1 + a * a) / 2,
  },
  thresholdedRelu: { family: 'relu', label: 'thresholded ReLU', defaultParameter: 1, kinks: (t) => [t], value: (x, t) => (x > t ? x : 0), derivative: (x, t) => (x > t ? 1 : 0) },
  elu: {
    family: 'relu', label: 'ELU', defaultParameter: 1,
    value: (x, a) => (x > 0 ? x : a * Math.expm1(x)), derivative: (x, a) => (x > 0 ? 1 : a * Math.exp(x)),
  },
  selu: {
    family: 'selu', label: 'SELU',
    value: (x) => SELU_LAMBDA * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
    derivative: (x) => SELU_LAMBDA * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x)),
  },
  gelu: { family: 'relu', label: 'GELU', smooth: true, value: (x) => x * normalCdf(x), derivative: (x) => normalCdf(x) + x * gaussianDensity(x) },
  swish: { family: 'relu', label: 'swish', smooth: true, value: (x) => x * logistic(x), derivative: (x) => logistic(x) * (1 + x * (1 - logistic(x))) },
  mish: { family: 'relu', label: 'mish', smooth: true, value: mish, derivative: numericDerivative(mish) },
  hardSwish: {
    family: 'relu', label: 'hard swish', kinks: () => [-3, 3],
    value: (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6,
    derivative: (x) => (x < -3 ? 0 : x > 3 ? 1 : (2 * x + 3) / 6),
  },
  tanh: { family: 'saturating', label: 'tanh', smooth: true, value: Math.tanh, derivative: (x) => 1 - Math.tanh(x) ** 2, slopeFromValue: (t) => 1 - t * t },
  sigmoid: {
    family: 'saturating', label: 'sigmoid', smooth: true, value: logistic, derivative: (x) => logistic(x) * (1 - logistic(x)), slopeFromValue: (v) => v * (1 - v),
  },
  // Slope 0.2 in tfjs and tf.keras 2.x; Keras 3 uses relu6(x + 3) / 6, slope 1/6 (see hardSigmoidSlope).
  hardSigmoid: {
    family: 'saturating', label: 'hard sigmoid', defaultParameter: 0.2, kinks: (s) => [-0.5 / s, 0.5 / s],
    value: hardSigmoid, derivative: (x, s) => (Math.abs(s * x) < 0.5 ? s : 0), exactMoments: hardSigmoidMoments,
  },
  softsign: { family: 'saturating', label: 'softsign', value: (x) => x / (1 + Math.abs(x)), derivative: (x) => 1 / (1 + Math.abs(x)) ** 2 },
  // `activation=tf.sin` (PINNs, SIREN-style nets). For z ~ N(0, q): E[sin²z] = (1 − E[cos 2z])/2 = (1 − e^{−2q})/2
  // and E[cos²z] = (1 + e^{−2q})/2 (E[cos tz] = e^{−t²q/2}). No family rule judges it: Glorot lets q decay (×0.06
  // over 12 layers), He holds q* ≈ 0.80 with gradients ×1.2 a layer, and SIREN (Sitzmann et al. 2020) argues
  // for the He-like scale. Nothing here is measured training yet, so only its moments are used.
  sin: {
    family: 'other', label: 'sine', smooth: true, value: Math.sin, derivative: Math.cos,
    exactM2: (q) => -Math.expm1(-2 * q) / 2, exactDm2: (q) => (1 + Math.exp(-2 * q)) / 2,
  },
  softplus: { family: 'other', label: 'softplus', smooth: true, value: softplus, derivative: logistic },
  // Softmax normally ends a model, where the backward pass starts from the logits; moments of the logits.
  softmax: { family: 'other', label: 'softmax', value: (x) => x, derivative: () => 1, exactM2: (q) => q, exactDm2: () => 1, exactInactive: 0 },
  exponential: { family: 'other', label: 'exponential', value: Math.exp, derivative: Math.exp },
  // An activation we cannot model (a custom function): treated as the identity, and never blamed.
  other: { family: 'other', label: 'custom activation', value: (x) => x, derivative: () => 1, exactM2: (q) => q, exactDm2: () => 1, exactInactive: 0 },
};

export function parameterOf(spec: ActivationSpec): number {
  return spec.parameter ?? ACTIVATIONS[spec.id].defaultParameter ?? 0;
}

/** m2_φ(q) = E[φ(z)²], z ~ N(0, q). */
export function secondMoment(spec: ActivationSpec, q: number): number {
  const facts = ACTIVATIONS[spec.id];
  const parameter = parameterOf(spec);
  if (facts.exactM2) return facts.exactM2(q, parameter);
  return gaussianExpectation((x) => facts.value(x, parameter) ** 2, q, kinksOf(facts, parameter));
}

/** E[φ'(z)²], z ~ N(0, q): how much gradient the activation lets through. */
export function derivativeSecondMoment(spec: ActivationSpec, q: number): number {
  const facts = ACTIVATIONS[spec.id];
  const parameter = parameterOf(spec);
  if (facts.exactDm2) return facts.exactDm2(q, parameter);
  return gaussianExpectation((x) => facts.derivative(x, parameter) ** 2, q, kinksOf(facts, parameter));
}

/** Step in log q of the slope's central difference: truncation ~h² ≈ 1e-4, quadrature noise /h ≈ 1e-5. */
const SLOPE_STEP = 0.01;

/**
 * The mean-field slope s = d log f / d log q of the forward map f(q) = c·m2_φ(q) at q (SCIENCE.md §6; c
 * cancels): how a relative change of one layer's q carries into the next layer's. Above 1 the fixed point
 * is unstable and the finite-width fluctuations of one weight draw grow with depth. By central differences
 * in log q; NaN where q or m2 is not positive and finite.
 */
export function meanFieldSlope(spec: ActivationSpec, q: number): number {
  if (!(q > 0) || !Number.isFinite(q)) return NaN;
  const above = secondMoment(spec, q * Math.exp(SLOPE_STEP));
  const below = secondMoment(spec, q * Math.exp(-SLOPE_STEP));
  if (!(above > 0) || !(below > 0) || !Number.isFinite(above)) return NaN;
  return (Math.log(above) - Math.log(below)) / (2 * SLOPE_STEP);
}

/**
 * Fraction of z ~ N(mean, q − mean²) where φ' is (almost) zero: dead ReLUs, saturated tanh/sigmoid
 * (|φ'| < 0.01). `q` is the second moment E[z²], as everywhere here.
 */
export function inactiveFraction(spec: ActivationSpec, q: number, mean = 0): number {
  const facts = ACTIVATIONS[spec.id];
  if (facts.exactInactive !== undefined && (mean === 0 || facts.exactInactive === 0)) return facts.exactInactive;
  const parameter = parameterOf(spec);
  const breaks = [...(facts.kinks?.(parameter) ?? [0]), ...inactiveEdges(spec.id, parameter)];
  return shiftedExpectation((x) => (Math.abs(facts.derivative(x, parameter)) < 0.01 ? 1 : 0), mean, q - mean * mean, breaks);
}

/**
 * Where |φ'| crosses 0.01: the indicator's jumps, where the quadrature must break its panels. Found once per
 * activation and parameter by scanning [−40, 40] and bisecting each sign change: GELU, for one, crosses four
 * times (its φ' dips below zero near −0.75 and again in the left tail), which fixed edges missed.
 */
function inactiveEdges(id: ActivationId, parameter: number): number[] {
  const key = `${id}:${parameter}`;
  let edges = edgeCache.get(key);
  if (edges) return edges;
  const facts = ACTIVATIONS[id];
  const excess = (x: number) => Math.abs(facts.derivative(x, parameter)) - 0.01;
  edges = [];
  const step = 0.01;
  for (let x = -40; x < 40; x += step) {
    let low = x;
    let high = x + step;
    if (Math.sign(excess(low)) === Math.sign(excess(high))) continue;
    for (let i = 0; i < 50; i++) {
      const middle = (low + high) / 2;
      if (Math.sign(excess(middle)) === Math.sign(excess(low))) low = middle;
      else high = middle;
    }
    edges.push((low + high) / 2);
  }
  if (edgeCache.size < 1000) edgeCache.set(key, edges);
  return edges;
}
const edgeCache = new Map<string, number[]>();

/** E[f(z)], z ~ N(mean, variance); `kinks` are where f jumps, in z. */
function shiftedExpectation(f: (x: number) => number, mean: number, variance: number, kinks: readonly number[]): number {
  if (mean === 0) return gaussianExpectation(f, variance, kinks);
  return gaussianExpectation((x) => f(mean + x), variance, kinks.map((kink) => kink - mean));
}

/** E[φ(z)], E[φ(z)²] and E[φ'(z)²] for z ~ N(mean, q − mean²) (q the second moment E[z²]). */
export interface GaussianMoments {
  mean: number;
  m2: number;
  dm2: number;
}

/**
 * The moments of φ applied to a Gaussian that is not centred (ReLU after a residual Add whose skip input is
 * post-ReLU). Closed forms for the ReLU family with a slope, quadrature with the kinks shifted otherwise.
 */
export function shiftedMoments(spec: ActivationSpec, mean: number, q: number, out: GaussianMoments = { mean: 0, m2: 0, dm2: 0 }): GaussianMoments {
  const facts = ACTIVATIONS[spec.id];
  const parameter = parameterOf(spec);
  const variance = Math.max(q - mean * mean, 0);
  const slope = spec.id === 'relu' ? 0 : spec.id === 'leakyRelu' || spec.id === 'prelu' ? parameter : undefined;
  if (mean === 0) {
    // Centred: the exact forms of SCIENCE.md §2 (what every test of the old propagation pinned).
    const centredMean = slope !== undefined ? ((1 - slope) * Math.sqrt(variance)) / Math.sqrt(2 * Math.PI) : undefined;
    const odd = isIdentity(spec.id) || spec.id === 'tanh' || spec.id === 'softsign';
    if (centredMean === undefined && !facts.exactM2 && !facts.exactDm2) {
      // Gates and candidates of recurrent cells: the three expectations in one pass over the nodes.
      if (facts.exactMoments) facts.exactMoments(0, variance, parameter, out);
      else gaussianMomentsOf(facts.value, facts.derivative, parameter, 0, q, kinksOf(facts, parameter), out, facts.slopeFromValue);
      if (odd) out.mean = 0;
      return out;
    }
    out.mean = centredMean ?? (odd ? 0 : gaussianExpectation((x) => facts.value(x, parameter), q, kinksOf(facts, parameter)));
    // The exact forms read here directly (what secondMoment and derivativeSecondMoment return): this runs per
    // layer and propagation.
    out.m2 = facts.exactM2 ? facts.exactM2(q, parameter) : secondMoment(spec, q);
    out.dm2 = facts.exactDm2 ? facts.exactDm2(q, parameter) : derivativeSecondMoment(spec, q);
    return out;
  }
  if (isIdentity(spec.id)) {
    // Linear (and the output activations read as linear): the moments of z itself.
    out.mean = mean;
    out.m2 = mean * mean + variance;
    out.dm2 = 1;
    return out;
  }
  if (slope !== undefined) {
    // z ~ N(μ, σ²), a = μ/σ: E[relu z] = μΦ(a) + σϕ(a), E[relu² z] = (μ² + σ²)Φ(a) + μσϕ(a); the negative
    // part is what is left of E[z] and E[z²], scaled by the slope.
    const sigma = Math.sqrt(variance);
    const positive = sigma > 0 ? normalCdf(mean / sigma) : mean > 0 ? 1 : 0;
    const density = sigma > 0 ? gaussianDensity(mean / sigma) : 0;
    const reluMean = mean * positive + sigma * density;
    const reluM2 = (mean * mean + variance) * positive + mean * sigma * density;
    out.mean = reluMean + slope * (mean - reluMean);
    out.m2 = reluM2 + slope * slope * (mean * mean + variance - reluM2);
    out.dm2 = positive + slope * slope * (1 - positive);
    return out;
  }
  if (facts.exactMoments) {
    facts.exactMoments(mean, variance, parameter, out);
    return out;
  }
  gaussianMomentsOf(facts.value, facts.derivative, parameter, mean, variance, kinksOf(facts, parameter), out, facts.slopeFromValue);
  return out;
}

const isIdentity = (id: ActivationId) => id === 'linear' || id === 'softmax' || id === 'other';

/** E[φ(z)] for z ~ N(mean, variance): a unit's mean over the batch (closed form for the ReLU family). */
export function activationMean(spec: ActivationSpec, mean: number, variance: number): number {
  const facts = ACTIVATIONS[spec.id];
  const parameter = parameterOf(spec);
  const slope = spec.id === 'relu' ? 0 : spec.id === 'leakyRelu' || spec.id === 'prelu' ? parameter : isIdentity(spec.id) ? 1 : undefined;
  if (slope === 1) return mean;
  if (slope !== undefined) {
    const sigma = Math.sqrt(Math.max(variance, 0));
    const reluMean = sigma > 0 ? mean * normalCdf(mean / sigma) + sigma * gaussianDensity(mean / sigma) : Math.max(mean, 0);
    return reluMean + slope * (mean - reluMean);
  }
  return shiftedExpectation((x) => facts.value(x, parameter), mean, variance, kinksOf(facts, parameter));
}

// ---------------------------------------------------------------------------------------------
// Spellings. Sources: Keras 3 keras/src/activations/__init__.py (ALL_OBJECTS, snake_case names);
// tfjs-layers src/keras_format/activation_config.ts (ActivationIdentifier) and src/activations.ts.
// ---------------------------------------------------------------------------------------------

const KERAS_ACTIVATION_STRINGS: Record<string, ActivationId> = {
  linear: 'linear', relu: 'relu', relu6: 'relu6', leaky_relu: 'leakyRelu', elu: 'elu', selu: 'selu', gelu: 'gelu',
  silu: 'swish', swish: 'swish', mish: 'mish', hard_silu: 'hardSwish', hard_swish: 'hardSwish', tanh: 'tanh',
  sigmoid: 'sigmoid', hard_sigmoid: 'hardSigmoid', softsign: 'softsign', softplus: 'softplus', softmax: 'softmax',
  log_softmax: 'softmax', exponential: 'exponential', celu: 'other', glu: 'other', log_sigmoid: 'other',
  sparse_plus: 'other', squareplus: 'other', tanh_shrink: 'other', hard_tanh: 'other', soft_shrink: 'other',
  hard_shrink: 'other', threshold: 'other', sparsemax: 'other', sparse_sigmoid: 'other',
};

const TFJS_ACTIVATION_STRINGS: Record<string, ActivationId> = {
  linear: 'linear', relu: 'relu', relu6: 'relu6', elu: 'elu', selu: 'selu', gelu: 'gelu', gelu_new: 'gelu',
  swish: 'swish', mish: 'mish', tanh: 'tanh', sigmoid: 'sigmoid', hardSigmoid: 'hardSigmoid', softsign: 'softsign',
  softplus: 'softplus', softmax: 'softmax', logSoftmax: 'softmax',
};

export const ACTIVATION_STRINGS: Record<Framework, Record<string, ActivationId>> = {
  keras: KERAS_ACTIVATION_STRINGS,
  tfjs: TFJS_ACTIVATION_STRINGS,
};

/** Loose key for "did you mean": `leakyRelu`, `leaky_relu`, `LeakyReLU` all → `leakyrelu`. */
export function looseKey(identifier: string): string {
  return identifier.toLowerCase().replace(/_/g, '');
}

/** The framework's own spelling of a mistyped activation string, if it has one. */
export function suggestActivationSpelling(framework: Framework, written: string): string | undefined {
  const key = looseKey(written);
  return Object.keys(ACTIVATION_STRINGS[framework]).find((candidate) => looseKey(candidate) === key);
}

/**
 * Function references used as activations (`tf.nn.relu`, `keras.activations.gelu`, `keras.ops.silu`):
 * the last path segment, looked up in the Keras spellings (tf.nn uses the same snake_case names).
 */
export function activationFromFunctionName(name: string): ActivationId | undefined {
  // Own keys only: `activation=obj.constructor` must not find Object's.
  if (Object.hasOwn(KERAS_ACTIVATION_STRINGS, name)) return KERAS_ACTIVATION_STRINGS[name];
  return Object.hasOwn(FUNCTION_ONLY_ACTIVATIONS, name) ? FUNCTION_ONLY_ACTIVATIONS[name] : undefined;
}

/**
 * Functions passed as `activation=` that are no activation string of Keras: `tf.math.sin`, `keras.ops.sin`,
 * `np.sin` (Keras calls any callable; `activation='sin'` raises, and stays unknown-identifier).
 */
const FUNCTION_ONLY_ACTIVATIONS: Record<string, ActivationId> = { leaky_relu: 'leakyRelu', sin: 'sin' };

/** Default parameters that differ by framework (SCIENCE.md §2 and the frameworks' sources). */
export function frameworkDefaultParameter(framework: Framework, id: ActivationId, kerasMajor: number): number | undefined {
  if (id === 'hardSigmoid') return framework === 'keras' && kerasMajor >= 3 ? 1 / 6 : 0.2;
  // keras.activations.leaky_relu defaults to negative_slope 0.2; the LeakyReLU layers default to 0.3.
  if (id === 'leakyRelu' && framework === 'keras') return 0.2;
  return undefined;
}

/**
 * Activation strings tf.keras 2.x accepted and Keras 3 rejects: 2.x looked a string up among its activation
 * layers too, and a class found by name is instantiated with no arguments (tf_keras/activations.py
 * `deserialize` over `activation_layers`; serialization_lib / legacy "Classes passed by name are instantiated
 * with no args"). `activation="LeakyReLU"` built `LeakyReLU()` (alpha 0.3) there; Keras 3's `activations.get`
 * knows only its functions (keras/src/activations/__init__.py ALL_OBJECTS_DICT) and raises ValueError.
 */
export const TF_KERAS_2_ACTIVATION_LAYERS: ReadonlySet<string> = new Set(['LeakyReLU', 'PReLU', 'ELU', 'ReLU', 'Softmax', 'ThresholdedReLU']);
