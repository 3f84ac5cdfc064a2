/**
 * Window coverage of convolutions: how many kernel taps land on real (not padded) inputs, per output and per
 * input, averaged over positions. Forward, an output sums only the taps inside its input; backward, an input
 * receives gradient from every (output, tap) pair that reads it. With no padding and stride 1 these are the
 * receptive field rf; strides, 'valid' borders and 'same' padding on small maps make them smaller (a stride-2
 * 3×3 'valid' conv on 10×10 covers 4·3/10 = 1.2 windows per input row, where rf/stride says 1.5).
 */
import type { Layer } from './model';

export interface WindowCoverage {
  /** Mean taps per output position on real inputs (rf for 'valid'; less for 'same' at the borders). */
  forward: number;
  /** Mean (output, tap) pairs reading each input position (rf/stride in the interior; less at borders). */
  backward: number;
}

const cache = new WeakMap<Layer, { spatial: string; coverage: WindowCoverage }>();

/**
 * Coverage of a convolution (also transposed) over an input of `spatial` size; the fallback rf and rf/stride
 * (transposed: rf/stride and rf) when the input's spatial size is unknown.
 */
export function windowCoverage(layer: Layer, spatial: number[] | undefined): WindowCoverage {
  const kernel = layer.kernelSize ?? [];
  const strides = layer.strides ?? kernel.map(() => 1);
  const rf = kernel.reduce((a, b) => a * b, 1);
  const stride = strides.reduce((a, b) => a * b, 1);
  const transposed = layer.kind === 'convTranspose';
  const usable = spatial && spatial.length === kernel.length && spatial.every((size) => Number.isInteger(size) && size > 0);
  if (!usable) return transposed ? { forward: rf / stride, backward: rf } : { forward: rf, backward: rf / stride };
  const key = spatial.join(',');
  const cached = cache.get(layer);
  if (cached && cached.spatial === key) return cached.coverage;
  let forward = 1;
  let backward = 1;
  kernel.forEach((size, axis) => {
    const counted = transposed
      ? transposedAxis(spatial[axis], size, strides[axis] ?? 1, layer.padding)
      : convAxis(spatial[axis], size, strides[axis] ?? 1, layer.padding);
    forward *= counted.forward;
    backward *= counted.backward;
  });
  const coverage = { forward, backward };
  cache.set(layer, { spatial: key, coverage });
  return coverage;
}

/**
 * One axis of a convolution as TensorFlow pads it: 'same' gives ceil(n/s) outputs and pads
 * max((out−1)·s + k − n, 0) in total, the smaller half first; 'causal' pads k − 1 before; 'valid' nothing.
 * Output o's tap t reads input o·s + t − padBefore.
 */
function convAxis(n: number, k: number, s: number, padding: string | undefined): WindowCoverage {
  let outputs: number;
  let before: number;
  if (padding === 'same') {
    outputs = Math.ceil(n / s);
    before = Math.floor(Math.max((outputs - 1) * s + k - n, 0) / 2);
  } else if (padding === 'causal') {
    outputs = Math.ceil(n / s);
    before = k - 1;
  } else {
    outputs = Math.floor((n - k) / s) + 1;
    before = 0;
  }
  if (outputs < 1) return { forward: k, backward: k / s };
  let taps = 0;
  for (let o = 0; o < outputs; o++) {
    const first = o * s - before;
    taps += Math.min(first + k, n) - Math.max(first, 0);
  }
  return { forward: taps / outputs, backward: taps / n };
}

/**
 * One axis of a transposed convolution: input i's tap t writes output i·s + t − cropBefore, of
 * (n−1)·s + k outputs ('valid') or n·s ('same', cropping max(k − s, 0), the smaller half first).
 */
function transposedAxis(n: number, k: number, s: number, padding: string | undefined): WindowCoverage {
  const full = (n - 1) * s + k;
  const outputs = padding === 'same' ? n * s : full;
  const before = padding === 'same' ? Math.floor(Math.max(full - outputs, 0) / 2) : 0;
  let taps = 0;
  for (let i = 0; i < n; i++) {
    const first = i * s - before;
    taps += Math.max(Math.min(first + k, outputs) - Math.max(first, 0), 0);
  }
  return { forward: taps / outputs, backward: taps / n };
}

/** One spatial axis of a convolution or transposed convolution, for position profiles. */
export interface Axis {
  n: number;
  k: number;
  s: number;
  padding: string | undefined;
  transposed: boolean;
}

/** The axes of a convolution over `spatial`, or undefined when the geometry cannot be followed. */
export function axesOf(layer: Layer, spatial: number[] | undefined): Axis[] | undefined {
  const kernel = layer.kernelSize ?? [];
  if (!spatial || spatial.length !== kernel.length || !spatial.every((size) => Number.isInteger(size) && size > 0)) return undefined;
  const axes = kernel.map((k, axis) => ({ n: spatial[axis], k, s: layer.strides?.[axis] ?? 1, padding: layer.padding, transposed: layer.kind === 'convTranspose' }));
  return axes.every((axis) => outputsOf(axis) >= 1) ? axes : undefined;
}

function outputsOf({ n, k, s, padding, transposed }: Axis): number {
  if (transposed) return padding === 'same' ? n * s : (n - 1) * s + k;
  return padding === 'same' || padding === 'causal' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;
}

/** Every (input, output) pair of taps on real positions along one axis. */
function pairsOf(axis: Axis, visit: (input: number, output: number) => void): void {
  const { n, k, s, padding, transposed } = axis;
  const outputs = outputsOf(axis);
  if (transposed) {
    const before = padding === 'same' ? Math.floor(Math.max((n - 1) * s + k - outputs, 0) / 2) : 0;
    for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) {
      const o = i * s + t - before;
      if (o >= 0 && o < outputs) visit(i, o);
    }
    return;
  }
  const before = padding === 'same' ? Math.floor(Math.max((outputs - 1) * s + k - n, 0) / 2) : padding === 'causal' ? k - 1 : 0;
  for (let o = 0; o < outputs; o++) for (let t = 0; t < k; t++) {
    const i = o * s + t - before;
    if (i >= 0 && i < n) visit(i, o);
  }
}

/**
 * Forward along one axis with the input's second moment varying by position (`profile`, mean 1; flat when
 * undefined): output o sums the taps it reads, so E[z²] at o ∝ Σ profile(i). Returns the mean factor (the
 * coverage of `windowCoverage` for a flat profile) and the output's profile. Stacked 'same' convolutions on
 * small maps leave their borders weaker, and a stride-2 layer reads interior rows twice: the profile keeps
 * that correlation, which the mean alone misses (×0.7 after four separable layers on 8×8).
 */
export function forwardAxis(axis: Axis, profile: Float64Array | undefined): { factor: number; profile: Float64Array } {
  const out = new Float64Array(outputsOf(axis));
  pairsOf(axis, (i, o) => (out[o] += profile ? profile[i] : 1));
  return normalized(out);
}

/** Backward along one axis: input i receives the gradient of every output reading it (`profile` over outputs). */
export function backwardAxis(axis: Axis, profile: Float64Array | undefined): { factor: number; profile: Float64Array } {
  const into = new Float64Array(axis.n);
  pairsOf(axis, (i, o) => (into[i] += profile ? profile[o] : 1));
  return normalized(into);
}

function normalized(values: Float64Array): { factor: number; profile: Float64Array } {
  const factor = values.reduce((sum, value) => sum + value, 0) / values.length;
  if (factor > 0) for (let i = 0; i < values.length; i++) values[i] /= factor;
  return { factor, profile: values };
}
