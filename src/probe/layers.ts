/**
 * Plans for the feed-forward layer kinds: Dense, convolutions (1–3D, transposed, depthwise, separable),
 * Embedding, normalization, pooling, shape and merge layers. Recurrent kinds are in recurrent.ts.
 * Channels last, as Keras and tfjs default to.
 */
import * as tf from './tf';
import { numberOf, shapeOf } from '../core/args';
import { RECURRENT_KINDS, type LayerKind } from '../core/catalogue/layers';
import type { Layer } from '../core/model';
import { planConvolution } from './convolutions';
import { fieldsOfLayer, product, requireWidth, samplingOf, UnsupportedLayerError, type LayerPlan, type PlanContext, type WeightSpec } from './plan';
import { planRecurrent } from './recurrent';

type Planner = (layer: Layer, context: PlanContext) => LayerPlan;

const ONES = { kind: 'constant', value: 1 } as const;
const ZEROS = { kind: 'constant', value: 0 } as const;

/** A layer whose z is its (single) input unchanged: Dropout at inference, a standalone activation. */
const passThrough: Planner = (layer, { inputShapes }) => ({
  layer, outputShape: inputShapes[0], weights: [], flopsPerSample: 0, compute: ([x]) => x.clone(),
});

const dense: Planner = (layer, { inputShapes }) => {
  const inShape = inputShapes[0];
  const inWidth = inShape[inShape.length - 1];
  const units = requireWidth(layer);
  const weights: WeightSpec[] = [{ role: 'kernel', shape: [inWidth, units], sampling: samplingOf(layer, 'kernel'), isMainKernel: true }];
  if (layer.useBias) weights.push({ role: 'bias', shape: [units], sampling: samplingOf(layer, 'bias') });
  const positions = product(inShape.slice(0, -1));
  const flatten = (x: tf.Tensor) => tf.reshape(x, [-1, inWidth]) as tf.Tensor2D;
  return {
    layer,
    outputShape: [...inShape.slice(0, -1), units],
    weights,
    flopsPerSample: 2 * positions * inWidth * units,
    compute: ([x], [kernel, bias]) => {
      const z = tf.matMul(flatten(x), kernel as tf.Tensor2D);
      const withBias = bias ? tf.add(z, bias) : z;
      return inShape.length === 1 ? withBias : tf.reshape(withBias, [-1, ...inShape.slice(0, -1), units]);
    },
    linearBackward: ([x], [kernel, bias], dz) => {
      const dz2 = tf.reshape(dz, [-1, units]) as tf.Tensor2D;
      // Explicit transposes of the small [batch, width] operands only: tfjs-backend-wasm 4.22's matMul with
      // transpose flags is ~20× slower, and transposing a square kernel costs more than the product.
      const inputGradient = tf.reshape(tf.transpose(tf.matMul(kernel as tf.Tensor2D, tf.transpose(dz2))), x.shape);
      const weightGradients = [tf.matMul(tf.transpose(flatten(x)), dz2)];
      if (bias) weightGradients.push(tf.sum(dz2, 0));
      return { inputGradients: [inputGradient], weightGradients };
    },
  };
};

const embedding: Planner = (layer, { inputShapes }) => {
  const inputDim = numberOf(fieldsOfLayer(layer).inputDim);
  if (inputDim === undefined) throw new UnsupportedLayerError(layer, 'its input_dim/inputDim is not written as a number');
  const outputDim = requireWidth(layer);
  return {
    layer,
    outputShape: [...inputShapes[0], outputDim],
    weights: [{ role: 'embeddings', shape: [inputDim, outputDim], sampling: samplingOf(layer, 'embeddings'), isMainKernel: true }],
    integerInput: true,
    flopsPerSample: 0,
    compute: ([ids], [table]) => tf.gather(table, tf.cast(ids, 'int32')),
  };
};

/** Normalization in training mode (batch statistics), as propagation.ts assumes: z has mean square ≈ 1. */
function normalization(axesOf: (rank: number) => number[], grouped: boolean): Planner {
  return (layer, { inputShapes }) => {
    const shape = inputShapes[0];
    const channels = shape[shape.length - 1];
    const epsilon = numberOf(fieldsOfLayer(layer).epsilon) ?? 1e-3;
    const groups = grouped ? layer.groups ?? 32 : 1;
    if (grouped && channels % groups !== 0) throw new UnsupportedLayerError(layer, `${channels} channels do not split into ${groups} groups`);
    return {
      layer,
      outputShape: shape,
      weights: [{ role: 'gamma', shape: [channels], sampling: ONES }, { role: 'beta', shape: [channels], sampling: ZEROS }],
      flopsPerSample: 0,
      compute: ([x], [gamma, beta]) => {
        const grouped4 = grouped ? tf.reshape(x, [-1, ...shape.slice(0, -1), groups, channels / groups]) : x;
        const { mean, variance } = tf.moments(grouped4, axesOf(grouped4.rank), true);
        const normalized = tf.div(tf.sub(grouped4, mean), tf.sqrt(tf.add(variance, epsilon)));
        return tf.add(tf.mul(tf.reshape(normalized, [-1, ...shape]), gamma), beta);
      },
    };
  };
}

const allButLast = (rank: number) => Array.from({ length: rank - 1 }, (_, i) => i);
/** GroupNormalization on [batch, …spatial, groups, channels/groups]: every axis but batch and group. */
const withinGroup = (rank: number) => [...Array.from({ length: rank - 3 }, (_, i) => i + 1), rank - 1];

const flatten: Planner = (layer, { inputShapes }) => ({
  layer, outputShape: [product(inputShapes[0])], weights: [], flopsPerSample: 0,
  compute: ([x]) => tf.reshape(x, [-1, product(inputShapes[0])]),
});

const reshape: Planner = (layer, { inputShapes }) => {
  const target = shapeOf(fieldsOfLayer(layer).targetShape);
  if (!target) throw new UnsupportedLayerError(layer, 'its target shape is not written as numbers');
  const size = product(inputShapes[0]);
  const known = product(target.filter((dim) => dim > 0));
  const outputShape = target.map((dim) => (dim > 0 ? dim : size / known));
  if (product(outputShape) !== size) throw new UnsupportedLayerError(layer, `cannot reshape [${inputShapes[0]}] to [${target}]`);
  return { layer, outputShape, weights: [], flopsPerSample: 0, compute: ([x]) => tf.reshape(x, [-1, ...outputShape]) };
};

const add: Planner = (layer, { inputShapes }) => {
  if (inputShapes.length < 2) throw new UnsupportedLayerError(layer, 'Add needs at least two inputs');
  return { layer, outputShape: inputShapes[0], weights: [], flopsPerSample: 0, compute: (inputs) => tf.addN(inputs) };
};

const concatenate: Planner = (layer, { inputShapes }) => {
  const last = inputShapes[0].length - 1;
  const axis = numberOf(fieldsOfLayer(layer).axis) ?? -1;
  if (axis !== -1 && axis !== last + 1) throw new UnsupportedLayerError(layer, `concatenation along axis ${axis} (only the last axis is supported)`);
  const width = inputShapes.reduce((sum, shape) => sum + shape[last], 0);
  return {
    layer, outputShape: [...inputShapes[0].slice(0, -1), width], weights: [], flopsPerSample: 0,
    compute: (inputs) => tf.concat(inputs, -1),
  };
};

function pooling(reduce: 'max' | 'average'): Planner {
  return (layer, { inputShapes }) => {
    const shape = inputShapes[0];
    const rank = layer.kernelSize?.length ?? shape.length - 1;
    const pool = layer.kernelSize ?? Array(rank).fill(2);
    const strides = layer.strides ?? pool;
    const padding = (layer.padding ?? 'valid') as 'valid' | 'same';
    const spatial = shape.slice(0, -1).map((size, axis) =>
      padding === 'same' ? Math.ceil(size / strides[axis]) : Math.floor((size - pool[axis]) / strides[axis]) + 1);
    return {
      layer, outputShape: [...spatial, shape[shape.length - 1]], weights: [], flopsPerSample: 0,
      compute: ([x]) => {
        if (rank === 3) return reduce === 'max' ? tf.maxPool3d(x as tf.Tensor5D, pool as [number, number, number], strides as [number, number, number], padding) : tf.avgPool3d(x as tf.Tensor5D, pool as [number, number, number], strides as [number, number, number], padding);
        const as2d = rank === 1 ? tf.expandDims(x, 1) as tf.Tensor4D : x as tf.Tensor4D;
        const size2d = (rank === 1 ? [1, pool[0]] : pool) as [number, number];
        const strides2d = (rank === 1 ? [1, strides[0]] : strides) as [number, number];
        const pooled = reduce === 'max' ? tf.maxPool(as2d, size2d, strides2d, padding) : tf.avgPool(as2d, size2d, strides2d, padding);
        return rank === 1 ? tf.squeeze(pooled, [1]) : pooled;
      },
    };
  };
}

function globalPooling(reduce: 'max' | 'average'): Planner {
  return (layer, { inputShapes }) => {
    const shape = inputShapes[0];
    const axes = Array.from({ length: shape.length - 1 }, (_, i) => i + 1);
    return {
      layer, outputShape: [shape[shape.length - 1]], weights: [], flopsPerSample: 0,
      compute: ([x]) => (reduce === 'max' ? tf.max(x, axes) : tf.mean(x, axes)),
    };
  };
}

const PLANNERS: Partial<Record<LayerKind, Planner>> = {
  dense,
  conv: planConvolution,
  convTranspose: planConvolution,
  depthwiseConv: planConvolution,
  separableConv: planConvolution,
  simpleRnn: planRecurrent,
  gru: planRecurrent,
  lstm: planRecurrent,
  embedding,
  batchNormalization: normalization(allButLast, false),
  layerNormalization: normalization((rank) => [rank - 1], false),
  groupNormalization: normalization(withinGroup, true),
  dropout: passThrough,
  activation: passThrough,
  flatten,
  reshape,
  maxPooling: pooling('max'),
  averagePooling: pooling('average'),
  globalMaxPooling: globalPooling('max'),
  globalAveragePooling: globalPooling('average'),
  add,
  concatenate,
};

export function planLayer(layer: Layer, context: PlanContext): LayerPlan {
  const planner = PLANNERS[layer.kind];
  if (!planner) throw new UnsupportedLayerError(layer, `layer kind '${layer.kind}' is not supported by the probe`);
  if (layer.kind !== 'add' && layer.kind !== 'concatenate' && context.inputShapes.length !== 1) {
    const states = RECURRENT_KINDS.has(layer.kind) ? ' (an initial state from another layer is not built by the probe)' : '';
    throw new UnsupportedLayerError(layer, `it has ${context.inputShapes.length} inputs${states}`);
  }
  const plan = planner(layer, context);
  if (plan.outputShape.some((dim) => !(dim > 0) || !Number.isInteger(dim))) {
    throw new UnsupportedLayerError(layer, `its output shape [${plan.outputShape.join(', ')}] is empty or not whole (input [${context.inputShapes[0]}])`);
  }
  return plan;
}
