/**
 * The catalogue's activations as TensorFlow.js ops, with the region where φ' ≈ 0 that the probe counts:
 * `dead` (ReLU-like, φ' = 0: a unit is dead when it is never active over the batch) or `saturated`
 * (tanh/sigmoid-like, |φ'| < 0.01, counted per value). Formulas follow src/core/catalogue/activations.ts.
 */
import * as tf from './tf';
import { parameterOf, type ActivationId, type ActivationSpec } from '../core/catalogue/activations';

interface ActivationOps {
  apply: (z: tf.Tensor, parameter: number) => tf.Tensor;
  /** Boolean mask of values where φ' is (about) zero, and what that means for the activation. */
  inactive?: { kind: 'dead' | 'saturated'; mask: (z: tf.Tensor, parameter: number) => tf.Tensor };
}

const SATURATED = 0.01;
const identity = (z: tf.Tensor) => z;
const gelu = (z: tf.Tensor) => tf.mul(tf.mul(z, 0.5), tf.add(1, tf.erf(tf.mul(z, Math.SQRT1_2))));
const hardSigmoid = (z: tf.Tensor, slope: number) => tf.clipByValue(tf.add(tf.mul(z, slope), 0.5), 0, 1);
const negativeSlope = (z: tf.Tensor, slope: number) => (slope === 0 ? tf.relu(z) : tf.leakyRelu(z, slope));
const deadBelow = (threshold: number) => (z: tf.Tensor) => tf.lessEqual(z, threshold);
const saturatedWhere = (derivative: (z: tf.Tensor) => tf.Tensor) => (z: tf.Tensor) => tf.less(tf.abs(derivative(z)), SATURATED);

export const ACTIVATION_OPS: Record<ActivationId, ActivationOps> = {
  linear: { apply: identity },
  relu: { apply: (z) => tf.relu(z), inactive: { kind: 'dead', mask: deadBelow(0) } },
  relu6: { apply: (z) => tf.relu6(z), inactive: { kind: 'dead', mask: (z) => tf.logicalOr(tf.lessEqual(z, 0), tf.greaterEqual(z, 6)) } },
  leakyRelu: { apply: negativeSlope },
  // PReLU at initialization: its alpha initializer's value (zeros by default, a ReLU).
  prelu: { apply: negativeSlope, inactive: { kind: 'dead', mask: (z, alpha) => (alpha === 0 ? tf.lessEqual(z, 0) : tf.zerosLike(z).cast('bool')) } },
  thresholdedRelu: {
    apply: (z, theta) => tf.where(tf.greater(z, theta), z, tf.zerosLike(z)),
    inactive: { kind: 'dead', mask: (z, theta) => tf.lessEqual(z, theta) },
  },
  elu: { apply: (z, alpha) => (alpha === 1 ? tf.elu(z) : tf.where(tf.greater(z, 0), z, tf.mul(alpha, tf.expm1(z)))) },
  selu: { apply: (z) => tf.selu(z) },
  gelu: { apply: gelu },
  swish: { apply: (z) => tf.mul(z, tf.sigmoid(z)) },
  mish: { apply: (z) => tf.mul(z, tf.tanh(tf.softplus(z))) },
  hardSwish: { apply: (z) => tf.div(tf.mul(z, tf.relu6(tf.add(z, 3))), 6) },
  tanh: { apply: (z) => tf.tanh(z), inactive: { kind: 'saturated', mask: saturatedWhere((z) => tf.sub(1, tf.square(tf.tanh(z)))) } },
  sigmoid: {
    apply: (z) => tf.sigmoid(z),
    inactive: { kind: 'saturated', mask: saturatedWhere((z) => tf.mul(tf.sigmoid(z), tf.sub(1, tf.sigmoid(z)))) },
  },
  hardSigmoid: {
    apply: hardSigmoid,
    inactive: { kind: 'saturated', mask: (z, slope) => tf.greaterEqual(tf.abs(tf.mul(z, slope)), 0.5) },
  },
  softsign: {
    apply: (z) => tf.div(z, tf.add(1, tf.abs(z))),
    inactive: { kind: 'saturated', mask: saturatedWhere((z) => tf.reciprocal(tf.square(tf.add(1, tf.abs(z))))) },
  },
  softplus: { apply: (z) => tf.softplus(z) },
  sin: { apply: (z) => tf.sin(z), inactive: { kind: 'saturated', mask: saturatedWhere((z) => tf.cos(z)) } },
  // The loss is taken on the logits, as in propagation.ts: softmax is measured as the identity.
  softmax: { apply: identity },
  exponential: { apply: (z) => tf.exp(z) },
  // A custom function is never run (we never execute user code): the identity, as the catalogue assumes.
  other: { apply: identity },
};

export function applyActivation(spec: ActivationSpec, z: tf.Tensor): tf.Tensor {
  return ACTIVATION_OPS[spec.id].apply(z, parameterOf(spec));
}

/** dL/dz = dL/dy ⊙ φ'(z), by differentiating the elementwise activation alone. */
export function activationBackward(spec: ActivationSpec, z: tf.Tensor, outputGradient: tf.Tensor): tf.Tensor {
  if (spec.id === 'linear' || spec.id === 'softmax' || spec.id === 'other') return outputGradient.clone();
  return tf.grad((x: tf.Tensor) => applyActivation(spec, x))(z, outputGradient);
}

/**
 * Dead fraction: units (last axis) whose φ' = 0 for every sample and position. Saturated fraction: values
 * with |φ'| < 0.01. Returned as scalars (0 where the activation has no such region).
 */
export function inactiveStatistics(spec: ActivationSpec, z: tf.Tensor): { dead: tf.Scalar; saturated: tf.Scalar } {
  const inactive = ACTIVATION_OPS[spec.id].inactive;
  if (!inactive) return { dead: tf.scalar(0), saturated: tf.scalar(0) };
  const mask = tf.cast(inactive.mask(z, parameterOf(spec)), 'float32');
  if (inactive.kind === 'saturated') return { dead: tf.scalar(0), saturated: tf.mean(mask) as tf.Scalar };
  const units = z.shape[z.shape.length - 1] ?? 1;
  const rows = z.size / units;
  // Active count per unit as a [1, rows]·[rows, units] product: a column reduction is slow on wasm.
  const activeCounts = tf.matMul(tf.ones([1, rows]), tf.sub(1, tf.reshape(mask, [rows, units])) as tf.Tensor2D);
  return { dead: tf.mean(tf.cast(tf.equal(activeCounts, 0), 'float32')) as tf.Scalar, saturated: tf.scalar(0) };
}
