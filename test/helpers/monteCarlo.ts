/**
 * A small Monte Carlo of networks at initialization, independent of src/ (no tfjs, no propagation.ts): dense,
 * convolution (NHWC, TensorFlow's 'same'/'valid' padding), depthwise convolution, batch normalization with
 * batch statistics, ReLU and an LSTM, each with its backward pass, and weights drawn as Keras and tfjs draw
 * them. What agreement tests compare the mean-field predictions with.
 */

/** mulberry32 with Box–Muller normals: the same seed gives the same draws. */
export class Random {
  private state: number;
  private spare: number | undefined;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  uniform(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  normal(): number {
    if (this.spare !== undefined) {
      const value = this.spare;
      this.spare = undefined;
      return value;
    }
    const u = Math.max(this.uniform(), 1e-300);
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }
  normals(size: number, scale = 1): Float64Array {
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = scale * this.normal();
    return out;
  }
}

/**
 * How a framework draws a kernel of `size` values with fans (fanIn, fanOut):
 * - `kerasTruncated`: Keras 3 variance scaling, normal truncated at ±2σ with stddev √(scale/n)/0.8796 (exact);
 * - `tfjsTruncated`: tfjs, the same truncated normal without the correction (0.7737 of the variance);
 * - `uniform`: U(±√(3·scale/n)), both frameworks.
 */
export type Draw = { kind: 'kerasTruncated' | 'tfjsTruncated' | 'uniform'; scale: number; mode: 'fanIn' | 'fanAvg' };

export const HE_KERAS: Draw = { kind: 'kerasTruncated', scale: 2, mode: 'fanIn' };
export const GLOROT_UNIFORM: Draw = { kind: 'uniform', scale: 1, mode: 'fanAvg' };
export const GLOROT_TFJS: Draw = { kind: 'tfjsTruncated', scale: 1, mode: 'fanAvg' };

export function drawKernel(random: Random, draw: Draw, size: number, fanIn: number, fanOut: number): Float64Array {
  const n = draw.mode === 'fanIn' ? fanIn : (fanIn + fanOut) / 2;
  const variance = draw.scale / n;
  const out = new Float64Array(size);
  if (draw.kind === 'uniform') {
    const limit = Math.sqrt(3 * variance);
    for (let i = 0; i < size; i++) out[i] = (2 * random.uniform() - 1) * limit;
    return out;
  }
  const stddev = draw.kind === 'kerasTruncated' ? Math.sqrt(variance) / 0.87962566103423978 : Math.sqrt(variance);
  for (let i = 0; i < size; i++) {
    let value: number;
    do value = random.normal(); while (Math.abs(value) > 2);
    out[i] = value * stddev;
  }
  return out;
}

/** A [rows, cols] matrix with orthonormal rows (rows ≤ cols) or columns: Keras/tfjs `Orthogonal`, gain 1. */
export function orthogonal(random: Random, rows: number, cols: number): Float64Array {
  const short = Math.min(rows, cols);
  const long = Math.max(rows, cols);
  // Gram–Schmidt on `short` random vectors of length `long`.
  const vectors: Float64Array[] = [];
  for (let k = 0; k < short; k++) {
    const v = random.normals(long);
    for (const u of vectors) {
      let dot = 0;
      for (let i = 0; i < long; i++) dot += u[i] * v[i];
      for (let i = 0; i < long; i++) v[i] -= dot * u[i];
    }
    let norm = 0;
    for (let i = 0; i < long; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < long; i++) v[i] /= norm;
    vectors.push(v);
  }
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = rows <= cols ? vectors[r][c] : vectors[c][r];
  return out;
}

export const meanSquare = (values: Float64Array): number => values.reduce((sum, v) => sum + v * v, 0) / values.length;
export const mean = (values: Float64Array): number => values.reduce((sum, v) => sum + v, 0) / values.length;

/** x [batch, n] · W [n, m]. */
export function matmul(x: Float64Array, w: Float64Array, batch: number, n: number, m: number): Float64Array {
  const out = new Float64Array(batch * m);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < n; i++) {
      const xv = x[b * n + i];
      if (xv === 0) continue;
      const row = i * m;
      const o = b * m;
      for (let j = 0; j < m; j++) out[o + j] += xv * w[row + j];
    }
  }
  return out;
}

/** dz [batch, m] · Wᵀ: the input's gradient of `matmul`. */
export function matmulBack(dz: Float64Array, w: Float64Array, batch: number, n: number, m: number): Float64Array {
  const out = new Float64Array(batch * n);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < n; i++) {
      let sum = 0;
      const row = i * m;
      const o = b * m;
      for (let j = 0; j < m; j++) sum += dz[o + j] * w[row + j];
      out[b * n + i] = sum;
    }
  }
  return out;
}

export const relu = (z: Float64Array): Float64Array => z.map((v) => (v > 0 ? v : 0));
export const reluBack = (dh: Float64Array, z: Float64Array): Float64Array => dh.map((d, i) => (z[i] > 0 ? d : 0));
export const add = (a: Float64Array, b: Float64Array): Float64Array => a.map((v, i) => v + b[i]);

/** Batch normalization over all axes but the last (channels), γ = 1, β = 0, ε = 1e-3 (Keras and tfjs). */
export function batchNorm(x: Float64Array, channels: number): { y: Float64Array; back: (dy: Float64Array) => Float64Array } {
  const count = x.length / channels;
  const mu = new Float64Array(channels);
  const variance = new Float64Array(channels);
  for (let i = 0; i < x.length; i++) mu[i % channels] += x[i] / count;
  for (let i = 0; i < x.length; i++) variance[i % channels] += (x[i] - mu[i % channels]) ** 2 / count;
  const inv = variance.map((v) => 1 / Math.sqrt(v + 1e-3));
  const y = x.map((v, i) => (v - mu[i % channels]) * inv[i % channels]);
  const back = (dy: Float64Array) => {
    const meanDy = new Float64Array(channels);
    const meanDyY = new Float64Array(channels);
    for (let i = 0; i < x.length; i++) {
      meanDy[i % channels] += dy[i] / count;
      meanDyY[i % channels] += (dy[i] * y[i]) / count;
    }
    return dy.map((d, i) => inv[i % channels] * (d - meanDy[i % channels] - y[i] * meanDyY[i % channels]));
  };
  return { y, back };
}

/** One spatial axis of a TensorFlow convolution: output size and padding before. */
export function convAxis(size: number, kernel: number, stride: number, padding: 'same' | 'valid'): { out: number; before: number } {
  if (padding === 'valid') return { out: Math.floor((size - kernel) / stride) + 1, before: 0 };
  const out = Math.ceil(size / stride);
  return { out, before: Math.floor(Math.max((out - 1) * stride + kernel - size, 0) / 2) };
}

export interface ConvGeometry {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: number;
  padding: 'same' | 'valid';
  /** Depthwise: each input channel convolved with its own `outChannels / inChannels` filters. */
  depthwise?: boolean;
}

/** Output height, width and the (input index, weight index) pairs of every output element, in NHWC. */
function convTaps(geometry: ConvGeometry) {
  const { height, width, kernel, stride, padding } = geometry;
  const rows = convAxis(height, kernel, stride, padding);
  const cols = convAxis(width, kernel, stride, padding);
  return { outHeight: rows.out, outWidth: cols.out, rowsBefore: rows.before, colsBefore: cols.before };
}

/** Forward convolution; weights [k, k, in, out] (depthwise: [k, k, in, multiplier]). */
export function conv2d(x: Float64Array, w: Float64Array, geometry: ConvGeometry): { z: Float64Array; outHeight: number; outWidth: number } {
  const { batch, height, width, inChannels, outChannels, kernel, stride, depthwise } = geometry;
  const { outHeight, outWidth, rowsBefore, colsBefore } = convTaps(geometry);
  const z = new Float64Array(batch * outHeight * outWidth * outChannels);
  const multiplier = depthwise ? outChannels / inChannels : 0;
  for (let b = 0; b < batch; b++) for (let oy = 0; oy < outHeight; oy++) for (let ox = 0; ox < outWidth; ox++) {
    const o = ((b * outHeight + oy) * outWidth + ox) * outChannels;
    for (let ky = 0; ky < kernel; ky++) {
      const iy = oy * stride + ky - rowsBefore;
      if (iy < 0 || iy >= height) continue;
      for (let kx = 0; kx < kernel; kx++) {
        const ix = ox * stride + kx - colsBefore;
        if (ix < 0 || ix >= width) continue;
        const input = ((b * height + iy) * width + ix) * inChannels;
        const tap = (ky * kernel + kx) * inChannels;
        for (let c = 0; c < inChannels; c++) {
          const xv = x[input + c];
          if (depthwise) for (let m = 0; m < multiplier; m++) z[o + c * multiplier + m] += xv * w[(tap + c) * multiplier + m];
          else for (let f = 0; f < outChannels; f++) z[o + f] += xv * w[(tap + c) * outChannels + f];
        }
      }
    }
  }
  return { z, outHeight, outWidth };
}

/** The input's gradient of `conv2d`. */
export function conv2dBack(dz: Float64Array, w: Float64Array, geometry: ConvGeometry): Float64Array {
  const { batch, height, width, inChannels, outChannels, kernel, stride, depthwise } = geometry;
  const { outHeight, outWidth, rowsBefore, colsBefore } = convTaps(geometry);
  const dx = new Float64Array(batch * height * width * inChannels);
  const multiplier = depthwise ? outChannels / inChannels : 0;
  for (let b = 0; b < batch; b++) for (let oy = 0; oy < outHeight; oy++) for (let ox = 0; ox < outWidth; ox++) {
    const o = ((b * outHeight + oy) * outWidth + ox) * outChannels;
    for (let ky = 0; ky < kernel; ky++) {
      const iy = oy * stride + ky - rowsBefore;
      if (iy < 0 || iy >= height) continue;
      for (let kx = 0; kx < kernel; kx++) {
        const ix = ox * stride + kx - colsBefore;
        if (ix < 0 || ix >= width) continue;
        const input = ((b * height + iy) * width + ix) * inChannels;
        const tap = (ky * kernel + kx) * inChannels;
        for (let c = 0; c < inChannels; c++) {
          let sum = 0;
          if (depthwise) for (let m = 0; m < multiplier; m++) sum += dz[o + c * multiplier + m] * w[(tap + c) * multiplier + m];
          else for (let f = 0; f < outChannels; f++) sum += dz[o + f] * w[(tap + c) * outChannels + f];
          dx[input + c] += sum;
        }
      }
    }
  }
  return dx;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const hardSigmoid = (x: number) => Math.min(1, Math.max(0, 0.2 * x + 0.5));

export interface LstmSetup {
  batch: number;
  steps: number;
  features: number;
  units: number;
  /** Keras: sigmoid gates and unit_forget_bias; tfjs: hard sigmoid (slope 0.2) and no forget bias. */
  framework: 'keras' | 'tfjs';
  kernel: Float64Array;
  recurrent: Float64Array;
}

/**
 * An LSTM over x [batch, steps, features] from a zero state (gates [i, f, c, o]); returns the last h, the
 * candidate pre-activations of every step, and a backward pass from ∂L/∂h_T to the candidates' and inputs' gradients.
 */
export function lstm(x: Float64Array, setup: LstmSetup) {
  const { batch, steps, features, units, framework, kernel, recurrent } = setup;
  const gate = framework === 'keras' ? sigmoid : hardSigmoid;
  const gateSlope = (z: number) => (framework === 'keras' ? sigmoid(z) * (1 - sigmoid(z)) : Math.abs(0.2 * z) < 0.5 ? 0.2 : 0);
  const forgetBias = framework === 'keras' ? 1 : 0;
  const width = 4 * units;
  let h = new Float64Array(batch * units);
  let c = new Float64Array(batch * units);
  const cache: { h: Float64Array; c: Float64Array; z: Float64Array; xt: Float64Array }[] = [];
  for (let t = 0; t < steps; t++) {
    const xt = new Float64Array(batch * features);
    for (let b = 0; b < batch; b++) for (let f = 0; f < features; f++) xt[b * features + f] = x[(b * steps + t) * features + f];
    const z = add(matmul(xt, kernel, batch, features, width), matmul(h, recurrent, batch, units, width));
    const nextH = new Float64Array(batch * units);
    const nextC = new Float64Array(batch * units);
    for (let b = 0; b < batch; b++) for (let u = 0; u < units; u++) {
      const row = b * width;
      const i = gate(z[row + u]);
      const f = gate(z[row + units + u] + forgetBias);
      const candidate = Math.tanh(z[row + 2 * units + u]);
      const o = gate(z[row + 3 * units + u]);
      const cell = f * c[b * units + u] + i * candidate;
      nextC[b * units + u] = cell;
      nextH[b * units + u] = o * Math.tanh(cell);
    }
    cache.push({ h, c, z, xt });
    h = nextH;
    c = nextC;
  }
  const candidates = new Float64Array(batch * units * steps);
  cache.forEach(({ z }, t) => {
    for (let b = 0; b < batch; b++) for (let u = 0; u < units; u++) candidates[(t * batch + b) * units + u] = z[b * width + 2 * units + u];
  });
  const cells = cache.map((_, t) => (t + 1 < cache.length ? cache[t + 1].c : c));
  const back = (dhLast: Float64Array) => {
    let dh = dhLast;
    let dc = new Float64Array(batch * units);
    const dCandidates: Float64Array[] = [];
    const dInputs: Float64Array[] = [];
    for (let t = steps - 1; t >= 0; t--) {
      const { c: previousC, z, h: previousH } = cache[t];
      const cell = cells[t];
      const dz = new Float64Array(batch * width);
      const dcPrevious = new Float64Array(batch * units);
      for (let b = 0; b < batch; b++) for (let u = 0; u < units; u++) {
        const row = b * width;
        const k = b * units + u;
        const zi = z[row + u];
        const zf = z[row + units + u] + forgetBias;
        const zc = z[row + 2 * units + u];
        const zo = z[row + 3 * units + u];
        const tanhCell = Math.tanh(cell[k]);
        const dcell = dc[k] + dh[k] * gate(zo) * (1 - tanhCell * tanhCell);
        dz[row + 3 * units + u] = dh[k] * tanhCell * gateSlope(zo);
        dz[row + u] = dcell * Math.tanh(zc) * gateSlope(zi);
        dz[row + units + u] = dcell * previousC[k] * gateSlope(zf);
        dz[row + 2 * units + u] = dcell * gate(zi) * (1 - Math.tanh(zc) ** 2);
        dcPrevious[k] = dcell * gate(zf);
      }
      const dCandidate = new Float64Array(batch * units);
      for (let b = 0; b < batch; b++) for (let u = 0; u < units; u++) dCandidate[b * units + u] = dz[b * width + 2 * units + u];
      dCandidates.push(dCandidate);
      dInputs.push(matmulBack(dz, kernel, batch, features, width));
      dh = matmulBack(dz, recurrent, batch, units, width);
      dc = dcPrevious;
      void previousH;
    }
    const concat = (parts: Float64Array[]) => {
      const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
      let offset = 0;
      for (const part of parts) {
        out.set(part, offset);
        offset += part.length;
      }
      return out;
    };
    return { dCandidates: concat(dCandidates), dInputs: concat(dInputs) };
  };
  return { h, candidates, back };
}
