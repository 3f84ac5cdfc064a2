/**
 * Convolution plans: Conv1D/2D/3D, Conv2D/3DTranspose (1D through 2D), DepthwiseConv1D/2D and
 * SeparableConv1D/2D. Kernels keep the framework's own shapes (so fans are the framework's:
 * conv [k…, in, out], transposed [k…, out, in], depthwise [k…, in, mult]); 1D runs as 2D with height 1.
 */
import * as tf from './tf';
import { numberListOf } from '../core/args';
import type { Layer } from '../core/model';
import { fieldsOfLayer, paddingOf, product, requireWidth, samplingOf, UnsupportedLayerError, type LayerPlan, type PlanContext, type WeightSpec } from './plan';

type Padding = 'valid' | 'same';

export function planConvolution(layer: Layer, { inputShapes }: PlanContext): LayerPlan {
  const inShape = inputShapes[0];
  const rank = layer.kernelSize?.length ?? 0;
  if (rank < 1 || rank > 3 || inShape.length !== rank + 1) {
    throw new UnsupportedLayerError(layer, `a ${rank}D convolution on an input of shape [${inShape.join(', ')}] (channels last expected)`);
  }
  if ((layer.groups ?? 1) > 1) throw new UnsupportedLayerError(layer, 'grouped convolution (groups > 1)');
  const dilation = numberListOf(fieldsOfLayer(layer).dilationRate, rank) ?? [1];
  if (dilation.some((d) => d !== 1)) throw new UnsupportedLayerError(layer, 'dilated convolution');
  if (rank === 3 && (layer.kind === 'depthwiseConv' || layer.kind === 'separableConv')) throw new UnsupportedLayerError(layer, '3D depthwise/separable convolution');

  const kernel = layer.kernelSize as number[];
  const strides = layer.strides ?? kernel.map(() => 1);
  const written = paddingOf(layer);
  if (written === 'causal' && rank !== 1) throw new UnsupportedLayerError(layer, 'causal padding outside Conv1D');
  // Causal: pad k−1 on the left, then a valid convolution (Keras Conv1D).
  const padding: Padding = written === 'same' ? 'same' : 'valid';
  const causalPad = written === 'causal' ? kernel[0] - 1 : 0;
  const channels = inShape[rank];
  const spatialIn = inShape.slice(0, rank).map((size, axis) => size + (axis === 0 ? causalPad : 0));
  const rf = product(kernel);
  const transposed = layer.kind === 'convTranspose';
  const spatialOut = spatialIn.map((size, axis) => {
    if (transposed) return padding === 'same' ? size * strides[axis] : size * strides[axis] + Math.max(kernel[axis] - strides[axis], 0);
    return padding === 'same' ? Math.ceil(size / strides[axis]) : Math.floor((size - kernel[axis]) / strides[axis]) + 1;
  });
  const multiplier = layer.depthMultiplier ?? 1;
  const filters = layer.kind === 'depthwiseConv' ? channels * multiplier : requireWidth(layer);
  const outPositions = product(spatialOut);

  const weights: WeightSpec[] = [];
  let flopsPerSample: number;
  if (layer.kind === 'depthwiseConv' || layer.kind === 'separableConv') {
    weights.push({ role: 'depthwise', shape: [...kernel, channels, multiplier], sampling: samplingOf(layer, 'depthwise'), isMainKernel: layer.kind === 'depthwiseConv' });
    flopsPerSample = 2 * outPositions * rf * channels * multiplier;
    if (layer.kind === 'separableConv') {
      weights.push({ role: 'pointwise', shape: [...kernel.map(() => 1), channels * multiplier, filters], sampling: samplingOf(layer, 'pointwise'), isMainKernel: true });
      flopsPerSample += 2 * outPositions * channels * multiplier * filters;
    }
  } else {
    weights.push({ role: 'kernel', shape: [...kernel, ...(transposed ? [filters, channels] : [channels, filters])], sampling: samplingOf(layer, 'kernel'), isMainKernel: true });
    flopsPerSample = 2 * (transposed ? product(spatialIn) : outPositions) * rf * channels * filters;
  }
  if (layer.useBias) weights.push({ role: 'bias', shape: [filters], sampling: samplingOf(layer, 'bias') });
  const biasIndex = layer.useBias ? weights.length - 1 : -1;

  // 1D → 2D: [b, w, c] → [b, 1, w, c]; kernels [k, …] → [1, k, …].
  const liftInput = (x: tf.Tensor) => (rank === 1 ? tf.expandDims(x, 1) : x);
  const liftKernel = (w: tf.Tensor) => (rank === 1 ? tf.expandDims(w, 0) : w);
  const strides2d = (rank === 1 ? [1, strides[0]] : strides) as [number, number];
  const outShape2d = rank === 1 ? [1, spatialOut[0]] : spatialOut;

  const convolve = (input: tf.Tensor, ws: tf.Tensor[]): tf.Tensor => {
    const x = causalPad ? tf.pad(input, [[0, 0], [causalPad, 0], [0, 0]]) : input;
    const batch = x.shape[0];
    switch (layer.kind) {
      case 'conv':
        if (rank === 3) return tf.conv3d(x as tf.Tensor5D, ws[0] as tf.Tensor5D, strides as [number, number, number], padding);
        return tf.conv2d(liftInput(x) as tf.Tensor4D, liftKernel(ws[0]) as tf.Tensor4D, strides2d, padding);
      case 'convTranspose':
        if (rank === 3) return tf.conv3dTranspose(x as tf.Tensor5D, ws[0] as tf.Tensor5D, [batch, ...spatialOut, filters] as [number, number, number, number, number], strides as [number, number, number], padding);
        return tf.conv2dTranspose(liftInput(x) as tf.Tensor4D, liftKernel(ws[0]) as tf.Tensor4D, [batch, ...outShape2d, filters] as [number, number, number, number], strides2d, padding);
      case 'depthwiseConv':
        return tf.depthwiseConv2d(liftInput(x) as tf.Tensor4D, liftKernel(ws[0]) as tf.Tensor4D, strides2d, padding);
      default:
        return tf.separableConv2d(liftInput(x) as tf.Tensor4D, liftKernel(ws[0]) as tf.Tensor4D, liftKernel(ws[1]) as tf.Tensor4D, strides2d, padding);
    }
  };

  const plan: LayerPlan = {
    layer,
    outputShape: [...spatialOut, filters],
    weights,
    flopsPerSample,
    compute: ([x], ws) => {
      const convolved = convolve(x, ws);
      const z = rank === 1 && convolved.rank === 4 ? tf.squeeze(convolved, [1]) : convolved;
      return biasIndex >= 0 ? tf.add(z, ws[biasIndex]) : z;
    },
  };
  if (layer.kind === 'conv' && rank <= 2 && !causalPad) plan.linearBackward = conv2dBackward(strides2d, padding, biasIndex >= 0, rank);
  return plan;
}

/**
 * Hand-written conv backward (1D through 2D): dL/dx by a transposed convolution; dL/dW as a convolution of
 * the input with dL/dz (batch and channels swapped, dz dilated by the stride), because tfjs-backend-wasm has
 * no Conv2DBackpropFilter kernel. Neither recomputes z.
 */
function conv2dBackward(strides: [number, number], padding: Padding, hasBias: boolean, rank: number): NonNullable<LayerPlan['linearBackward']> {
  const lift = (t: tf.Tensor, axis: number) => (rank === 1 ? tf.expandDims(t, axis) : t);
  return ([x], [kernel], dz) => {
    const x4 = lift(x, 1) as tf.Tensor4D;
    const dz4 = lift(dz, 1) as tf.Tensor4D;
    const kernel4 = lift(kernel, 0) as tf.Tensor4D;
    const inputGradient = tf.conv2dTranspose(dz4, kernel4, x4.shape, strides, padding);
    const kernelGradient = conv2dFilterGradient(x4, dz4, kernel4.shape, strides, padding);
    const weightGradients = [rank === 1 ? tf.squeeze(kernelGradient, [0]) : kernelGradient];
    if (hasBias) weightGradients.push(tf.sum(dz4, [0, 1, 2]));
    return { inputGradients: [rank === 1 ? tf.squeeze(inputGradient, [1]) : inputGradient], weightGradients };
  };
}

export function conv2dFilterGradient(x: tf.Tensor4D, dz: tf.Tensor4D, kernelShape: number[], strides: [number, number], padding: Padding): tf.Tensor4D {
  const [kh, kw] = kernelShape;
  const [, height, width] = x.shape;
  const [, outHeight, outWidth] = dz.shape;
  // TensorFlow's SAME padding: the extra row/column goes after.
  const padBefore = (size: number, out: number, k: number, s: number) => Math.floor(Math.max((out - 1) * s + k - size, 0) / 2);
  const padAfter = (size: number, out: number, k: number, s: number) => Math.max((out - 1) * s + k - size, 0) - padBefore(size, out, k, s);
  const padded = padding === 'same'
    ? tf.pad(x, [[0, 0], [padBefore(height, outHeight, kh, strides[0]), padAfter(height, outHeight, kh, strides[0])], [padBefore(width, outWidth, kw, strides[1]), padAfter(width, outWidth, kw, strides[1])], [0, 0]])
    : x;
  const channelsAsBatch = tf.transpose(padded, [3, 1, 2, 0]);
  const gradientAsFilter = tf.transpose(dz, [1, 2, 0, 3]);
  const correlated = tf.conv2d(channelsAsBatch, gradientAsFilter, 1, 'valid', 'NHWC', strides);
  return tf.transpose(tf.slice(correlated, [0, 0, 0, 0], [-1, kh, kw, -1]), [1, 2, 0, 3]);
}
