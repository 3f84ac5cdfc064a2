/**
 * A seeded random source and the draws the probe needs: normal, normal truncated at ±2σ (redrawn, as
 * Keras and tfjs do), uniform, and orthogonal matrices by Householder QR of a Gaussian matrix.
 * Plain JS on Float32Arrays, so the same seed gives the same weights on every backend.
 */

/** xoshiro128** seeded through splitmix32: fast, good statistics, 32-bit state words. */
export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    let state = seed >>> 0;
    const splitmix = () => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = splitmix();
    this.s1 = splitmix();
    this.s2 = splitmix();
    this.s3 = splitmix();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result / 4294967296;
  }

  /** Standard normal by the polar Box–Muller method (pairs, one kept for the next call). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * factor;
    return u * factor;
  }

  /** Standard normal redrawn until |x| ≤ 2 (tf.truncatedNormal and Keras truncated_normal). */
  truncatedNormal(): number {
    let x: number;
    do x = this.normal(); while (x < -2 || x > 2);
    return x;
  }

  /**
   * Fills `values` with mean + stddev·(normal or truncated normal): exactly the numbers repeated `normal()` /
   * `truncatedNormal()` calls give, with the generator's state in locals for the loop (sampling a model's
   * weights is most of a draw's host time; this is about twice as fast as a call per value).
   */
  fillNormals(values: Float32Array, mean: number, stddev: number, truncated: boolean): void {
    let { s0, s1, s2, s3 } = this;
    let hasSpare = this.spareNormal !== undefined;
    let spare = this.spareNormal ?? 0;
    const count = values.length;
    let i = 0;
    while (i < count) {
      let x: number;
      if (hasSpare) {
        x = spare;
        hasSpare = false;
      } else {
        let u: number, v: number, s: number;
        do {
          // next(), twice, as in the method above.
          let result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
          let t = s1 << 9;
          s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
          u = 2 * (result / 4294967296) - 1;
          result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
          t = s1 << 9;
          s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
          v = 2 * (result / 4294967296) - 1;
          s = u * u + v * v;
        } while (s >= 1 || s === 0);
        const factor = Math.sqrt((-2 * Math.log(s)) / s);
        spare = v * factor;
        hasSpare = true;
        x = u * factor;
      }
      if (truncated && (x < -2 || x > 2)) continue;
      values[i++] = mean + stddev * x;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    this.spareNormal = hasSpare ? spare : undefined;
  }

  /** A derived, independent stream (one per weight tensor, so adding a layer does not reshuffle the others). */
  fork(salt: number): SeededRandom {
    return new SeededRandom(Math.imul((this.next() * 4294967296) >>> 0, 0x2545f491) ^ Math.imul(salt + 1, 0x9e3779b9));
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** `into`: a buffer of at least `size` to fill (the probe's draws reuse theirs); a new one otherwise. */
export function fillNormal(random: SeededRandom, size: number, mean: number, stddev: number, truncated: boolean, into?: Float32Array): Float32Array {
  const values = into?.subarray(0, size) ?? new Float32Array(size);
  random.fillNormals(values, mean, stddev, truncated);
  return values;
}

export function fillUniform(random: SeededRandom, size: number, low: number, high: number, into?: Float32Array): Float32Array {
  const values = into?.subarray(0, size) ?? new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = low + (high - low) * random.next();
  return values;
}

/**
 * Keras/tfjs Orthogonal for a [rows, cols] matrix (rows = ∏ all dims but the last): QR of a Gaussian
 * [max, min] matrix, Q's columns signed by diag(R), transposed when rows < cols, times gain.
 */
export function orthogonalMatrix(random: SeededRandom, rows: number, cols: number, gain: number): Float32Array {
  const tall = Math.max(rows, cols);
  const narrow = Math.min(rows, cols);
  const q = householderQ(fillNormal(random, tall * narrow, 0, 1, false), tall, narrow);
  const result = new Float32Array(rows * cols);
  for (let i = 0; i < tall; i++) {
    for (let j = 0; j < narrow; j++) {
      const value = gain * q[i * narrow + j];
      if (rows >= cols) result[i * cols + j] = value;
      else result[j * cols + i] = value;
    }
  }
  return result;
}

/** Thin Q (m×n, m ≥ n, row-major) of A = QR with diag(R) made positive, in float64. */
function householderQ(a32: Float32Array, m: number, n: number): Float64Array {
  const a = Float64Array.from(a32);
  const reflectors: Float64Array[] = [];
  const signs = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += a[i * n + k] ** 2;
    norm = Math.sqrt(norm);
    const alpha = a[k * n + k] > 0 ? -norm : norm;
    const v = new Float64Array(m - k);
    for (let i = k; i < m; i++) v[i - k] = a[i * n + k];
    v[0] -= alpha;
    const vNorm2 = v.reduce((sum, x) => sum + x * x, 0);
    reflectors.push(v);
    // R[k][k] = alpha; sign(diag R) multiplies Q's column k.
    signs[k] = alpha >= 0 ? 1 : -1;
    if (vNorm2 === 0) continue;
    for (let j = k; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i - k] * a[i * n + j];
      const factor = (2 * dot) / vNorm2;
      for (let i = k; i < m; i++) a[i * n + j] -= factor * v[i - k];
    }
  }
  // Q = H_0 H_1 … H_{n-1} applied to the first n columns of the identity, last reflector first.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = reflectors[k];
    const vNorm2 = v.reduce((sum, x) => sum + x * x, 0);
    if (vNorm2 === 0) continue;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i - k] * q[i * n + j];
      const factor = (2 * dot) / vNorm2;
      for (let i = k; i < m; i++) q[i * n + j] -= factor * v[i - k];
    }
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) q[i * n + j] *= signs[j];
  return q;
}
