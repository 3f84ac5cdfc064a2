/**
 * Weightless layers and functions that change a tensor's shape without a kernel: Permute, UpSampling,
 * ZeroPadding, Cropping, RepeatVector, depth_to_space / space_to_depth, and `reshape` written as a function
 * (`tf.reshape(x, (-1, 64))` in a `call`). A Flatten or Dense after them needs the shape they make.
 * Shapes are channels-last and exclude the batch dimension, as everywhere in the core.
 */
import { fieldsOf, numberOf, shapeOf } from './args';
import type { Arg, CallSite, Framework } from './ir';

export type ShapeChange =
  /** Output axis i is input axis dims[i] - 1 (Permute counts the non-batch axes from 1). */
  | { op: 'permute'; dims: number[] }
  /** Each spatial axis times its factor. */
  | { op: 'scale'; factors: number[] }
  /** Each spatial axis plus its amount (negative: cropped). */
  | { op: 'pad'; amounts: number[] }
  | { op: 'depthToSpace'; block: number }
  | { op: 'spaceToDepth'; block: number }
  /** [features] → [n, features]. */
  | { op: 'repeat'; n: number };

interface ShapeLayerFacts {
  read: (fields: Record<string, Arg>) => ShapeChange | undefined;
  /** Keras positional parameters (also a function's: its tensor first). */
  positional: string[];
}

const repeated = (value: number, rank: number) => Array<number>(rank).fill(value);

/** `size=2` or `size=(2, 3)`: each spatial axis's factor. */
function factorsOf(arg: Arg | undefined, rank: number, fallback: number): number[] | undefined {
  if (!arg) return repeated(fallback, rank);
  const number = numberOf(arg);
  if (number !== undefined) return repeated(number, rank);
  const list = shapeOf(arg);
  return list && list.length === rank && list.every(Number.isFinite) ? list : undefined;
}

/**
 * `padding=1`, `(1, 2)` or `((1, 1), (2, 0))`: what each spatial axis gains (both sides). In 1-D a pair is the
 * two sides of the one axis; in 2-D and 3-D a pair of numbers is one symmetric amount per axis.
 */
function amountsOf(arg: Arg | undefined, rank: number, fallback: number | undefined): number[] | undefined {
  if (!arg) return fallback === undefined ? undefined : repeated(2 * fallback, rank);
  const number = numberOf(arg);
  if (number !== undefined) return repeated(2 * number, rank);
  if (arg.value.kind !== 'array') return undefined;
  const items = arg.value.items;
  if (rank === 1) {
    const sides = items.map(numberOf);
    return sides.length === 2 && sides.every((side) => side !== undefined) ? [(sides[0] as number) + (sides[1] as number)] : undefined;
  }
  if (items.length !== rank) return undefined;
  const totals = items.map((item) => {
    const symmetric = numberOf(item);
    if (symmetric !== undefined) return 2 * symmetric;
    const sides = shapeOf(item);
    return sides?.length === 2 && sides.every(Number.isFinite) ? sides[0] + sides[1] : NaN;
  });
  return totals.every(Number.isFinite) ? totals : undefined;
}

const scale = (rank: number): ShapeLayerFacts => ({ positional: ['size'], read: (fields) => withFactors(factorsOf(fields.size, rank, 2)) });
const pad = (rank: number): ShapeLayerFacts => ({ positional: ['padding'], read: (fields) => withAmounts(amountsOf(fields.padding, rank, 1), 1) });
// Keras defaults: Cropping1D (1, 1), Cropping2D ((0, 0), (0, 0)), Cropping3D ((1, 1), (1, 1), (1, 1)).
const crop = (rank: number): ShapeLayerFacts => ({ positional: ['cropping'], read: (fields) => withAmounts(amountsOf(fields.cropping, rank, rank === 2 ? 0 : 1), -1) });
const withFactors = (factors: number[] | undefined): ShapeChange | undefined => factors && { op: 'scale', factors };
const withAmounts = (amounts: number[] | undefined, sign: number): ShapeChange | undefined => amounts && { op: 'pad', amounts: amounts.map((amount) => sign * amount) };
const block = (op: 'depthToSpace' | 'spaceToDepth'): ShapeLayerFacts => ({
  positional: ['input', 'blockSize'],
  read: (fields) => {
    const size = numberOf(fields.blockSize);
    return size !== undefined && size > 0 ? { op, block: size } : undefined;
  },
});

/**
 * Keyed by the lowercase class or function name. Sources: Keras 3 keras/src/layers/reshaping (permute.py,
 * up_sampling{1,2,3}d.py, zero_padding{1,2,3}d.py, cropping{1,2,3}d.py, repeat_vector.py: argument names and
 * defaults); tfjs-layers src/layers/core.ts (permute, repeatVector), convolutional.ts (upSampling2d `size`
 * default [2, 2], zeroPadding2d `padding` default 1, cropping2D); TensorFlow `tf.nn.depth_to_space(input,
 * block_size)` / `space_to_depth`, tfjs `tf.depthToSpace(x, blockSize)`.
 */
const SHAPE_LAYERS: Record<string, ShapeLayerFacts> = {
  permute: {
    positional: ['dims'],
    read: (fields) => {
      const dims = shapeOf(fields.dims);
      return dims && dims.every(Number.isInteger) ? { op: 'permute', dims } : undefined;
    },
  },
  upsampling1d: scale(1), upsampling2d: scale(2), upsampling3d: scale(3),
  zeropadding1d: pad(1), zeropadding2d: pad(2), zeropadding3d: pad(3),
  cropping1d: crop(1), cropping2d: crop(2), cropping3d: crop(3),
  repeatvector: {
    positional: ['n'],
    read: (fields) => {
      const n = numberOf(fields.n);
      return n !== undefined ? { op: 'repeat', n } : undefined;
    },
  },
  depth_to_space: block('depthToSpace'), depthtospace: block('depthToSpace'),
  space_to_depth: block('spaceToDepth'), spacetodepth: block('spaceToDepth'),
};

/**
 * `tf.reshape(x, (-1, 64))`, `keras.ops.reshape(x, …)`, tfjs `tf.reshape(x, […])`: a function whose target
 * shape includes the batch dimension, unlike the `Reshape` layer's. Not the layer (`layers.Reshape`,
 * `tf.layers.reshape`): undefined for it.
 */
export function reshapeFunctionTarget(call: CallSite, className: string): number[] | undefined {
  if (className !== 'reshape' || /(^|\.)layers\./.test(call.callee)) return undefined;
  const fields = fieldsOf(call, ['input', 'shape']);
  const target = shapeOf(fields.shape ?? fields.newshape);
  // The batch dimension is dropped: the rest is what the Reshape layer's target would be.
  return target && target.length > 1 ? target.slice(1) : undefined;
}

/** What a call does to its input's shape, where it is one of the shape layers and its arguments can be read. */
export function shapeChangeOf(call: CallSite, className: string, framework: Framework): ShapeChange | undefined {
  const facts = SHAPE_LAYERS[className.toLowerCase()];
  if (!facts) return undefined;
  // A tfjs layer takes one config object; a tfjs function (`tf.depthToSpace(x, 2)`) its arguments in order.
  const positional = framework === 'keras' || facts.positional[0] === 'input' ? facts.positional : [];
  return facts.read(fieldsOf(call, positional));
}

/** The output shape a change makes of `input`; undefined where it cannot be followed. */
export function applyShapeChange(change: ShapeChange, input: number[] | undefined): number[] | undefined {
  if (!input) return undefined;
  const spatialRank = input.length - 1;
  switch (change.op) {
    case 'permute':
      if (change.dims.length !== input.length) return undefined;
      return change.dims.map((dim) => input[dim - 1] ?? NaN);
    case 'scale':
      if (change.factors.length !== spatialRank) return undefined;
      return [...change.factors.map((factor, axis) => input[axis] * factor), input[spatialRank]];
    case 'pad':
      if (change.amounts.length !== spatialRank) return undefined;
      return [...change.amounts.map((amount, axis) => input[axis] + amount), input[spatialRank]];
    case 'depthToSpace':
      if (spatialRank !== 2) return undefined;
      return [input[0] * change.block, input[1] * change.block, input[2] / (change.block * change.block)];
    case 'spaceToDepth':
      if (spatialRank !== 2) return undefined;
      return [input[0] / change.block, input[1] / change.block, input[2] * change.block * change.block];
    case 'repeat':
      return input.length === 1 ? [change.n, input[0]] : undefined;
  }
}
