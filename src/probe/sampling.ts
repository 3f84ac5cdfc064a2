/**
 * Draws a weight tensor's values exactly as the source framework would, from the core's `Sampling`
 * (SCIENCE.md §3): tfjs's uncorrected truncated normal, Keras's corrected one, uniform ±√(3·scale/n),
 * orthogonal, identity, constants. Fans come from the tensor's shape by the frameworks' own rule.
 */
import type { Sampling } from '../core/catalogue/initializers';
import { fillNormal, fillUniform, orthogonalMatrix, type SeededRandom } from './random';

/** Keras `_compute_fans` / tfjs `computeFans`: [in, out], or [k…, in, out] with rf = ∏k. */
export function fansOf(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const rf = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: rf * shape[shape.length - 2], fanOut: rf * shape[shape.length - 1] };
}

/** Keras `VarianceScaling`: stddev / .87962566103423978 undoes the ±2σ truncation's variance loss. */
const TRUNCATION_STDDEV_CORRECTION = 0.87962566103423978;

/** `into`: a buffer of the tensor's size to fill instead of allocating one (orthogonal and identity allocate). */
export function sampleWeights(sampling: Sampling, shape: readonly number[], random: SeededRandom, into?: Float32Array): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  switch (sampling.kind) {
    case 'varianceScaling': {
      const { fanIn, fanOut } = fansOf(shape);
      const n = Math.max(1, sampling.mode === 'fanIn' ? fanIn : sampling.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2);
      const variance = sampling.scale / n;
      switch (sampling.sampler) {
        case 'uniform': {
          const limit = Math.sqrt(3 * variance);
          return fillUniform(random, size, -limit, limit, into);
        }
        case 'normal': return fillNormal(random, size, 0, Math.sqrt(variance), false, into);
        case 'truncatedUncorrected': return fillNormal(random, size, 0, Math.sqrt(variance), true, into);
        case 'truncatedCorrected': return fillNormal(random, size, 0, Math.sqrt(variance) / TRUNCATION_STDDEV_CORRECTION, true, into);
      }
      break;
    }
    case 'normal':
      return fillNormal(random, size, sampling.mean, sampling.stddev, sampling.sampler === 'truncatedUncorrected', into);
    case 'uniform':
      return fillUniform(random, size, sampling.minval, sampling.maxval, into);
    case 'constant':
      return (into?.subarray(0, size) ?? new Float32Array(size)).fill(sampling.value);
    case 'orthogonal': {
      const cols = shape[shape.length - 1] ?? 1;
      return orthogonalMatrix(random, size / cols, cols, sampling.gain);
    }
    case 'identity': {
      if (shape.length !== 2) throw new Error(`the identity initializer needs a 2D weight, got shape [${shape.join(', ')}]`);
      const [rows, cols] = shape;
      const values = new Float32Array(size);
      for (let i = 0; i < Math.min(rows, cols); i++) values[i * cols + i] = sampling.gain;
      return values;
    }
  }
  throw new Error(`unknown sampling ${JSON.stringify(sampling)}`);
}
