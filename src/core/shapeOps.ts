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
  | { op: 'repeat'; n: number }
  /** One of `parts` equal pieces along a non-batch axis (from 0; -1 the last). */
  | { op: 'split'; axis: number; parts: number }
  /** The spatial axes set to these sizes, channels kept (Resizing). */
  | { op: 'resize'; sizes: number[] };

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

/** `layers.Resizing(height, width)`, tfjs `tf.layers.resizing({height, width})`: an image resized to that size. */
const resizing: ShapeLayerFacts = {
  positional: ['height', 'width'],
  read: (fields) => {
    const height = numberOf(fields.height);
    const width = numberOf(fields.width);
    return height !== undefined && width !== undefined ? { op: 'resize', sizes: [height, width] } : undefined;
  },
};

/**
 * `keras.ops.transpose(x, axes=(0, 2, 1))`, `tf.transpose(x, perm=[0, 2, 1])`: a Permute of the non-batch axes
 * when the batch axis stays first (Permute counts them from 1, as these axes do past the batch's 0).
 */
const transpose: ShapeLayerFacts = {
  positional: ['input', 'axes'],
  read: (fields) => {
    const axes = shapeOf(fields.axes ?? fields.perm);
    return axes && axes[0] === 0 && axes.every(Number.isInteger) ? { op: 'permute', dims: axes.slice(1) } : undefined;
  },
};

/**
 * `keras.ops.split(x, 2, axis=-1)`, `tf.split(x, 2, axis=2)`: each piece has 1/parts of the axis. Sizes given as a
 * list, or the batch axis (the default 0), are not followed.
 */
const split: ShapeLayerFacts = {
  positional: ['input', 'parts', 'axis'],
  read: (fields) => {
    const parts = numberOf(fields.parts ?? fields.indicesOrSections ?? fields.numOrSizeSplits);
    const axis = numberOf(fields.axis);
    if (parts === undefined || !Number.isInteger(parts) || parts < 1 || axis === undefined || axis === 0) return undefined;
    return { op: 'split', axis: axis < 0 ? axis : axis - 1, parts };
  },
};

/**
 * `keras.ops.image.extract_patches(images, size)` (strides default to the size, padding 'valid'): each
 * size × size patch becomes one position with size²·channels features, as space_to_depth makes them (in another
 * order). `tf.image.extract_patches(images, sizes=[1, p, p, 1], strides=[1, p, p, 1], …)` the same. Other
 * strides, rates or unequal sizes are not followed.
 */
const patches: ShapeLayerFacts = {
  positional: ['input', 'size', 'strides'],
  read: (fields) => {
    const size = numberOf(fields.size) ?? squarePatch(shapeOf(fields.sizes));
    const strides = fields.strides ? numberOf(fields.strides) ?? squarePatch(shapeOf(fields.strides)) : size;
    const rates = fields.rates ? squarePatch(shapeOf(fields.rates)) : 1;
    return size !== undefined && size > 0 && strides === size && rates === 1 ? { op: 'spaceToDepth', block: size } : undefined;
  },
};

/** `[1, p, p, 1]` → p; undefined for any other list. */
function squarePatch(list: number[] | undefined): number | undefined {
  return list?.length === 4 && list[0] === 1 && list[3] === 1 && list[1] === list[2] ? list[1] : undefined;
}

/**
 * Keyed by the lowercase class or function name. Sources: Keras 3 keras/src/layers/reshaping (permute.py,
 * up_sampling{1,2,3}d.py, zero_padding{1,2,3}d.py, cropping{1,2,3}d.py, repeat_vector.py: argument names and
 * defaults); tfjs-layers src/layers/core.ts (permute, repeatVector), convolutional.ts (upSampling2d `size`
 * default [2, 2], zeroPadding2d `padding` default 1, cropping2D); TensorFlow `tf.nn.depth_to_space(input,
 * block_size)` / `space_to_depth`, tfjs `tf.depthToSpace(x, blockSize)`; Keras 3 `keras.ops.transpose(x, axes)`,
 * `keras.ops.split(x, indices_or_sections, axis=0)`, `keras.ops.image.extract_patches(images, size, strides=None)`
 * (keras/src/ops/numpy.py, image.py), TensorFlow `tf.transpose(a, perm)`, `tf.split(value, num_or_size_splits,
 * axis=0)`, `tf.image.extract_patches(images, sizes, strides, rates, padding)`.
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
  transpose,
  split,
  extract_patches: patches,
  resizing,
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
    case 'resize':
      return change.sizes.length === spatialRank ? [...change.sizes, input[spatialRank]] : undefined;
    case 'split': {
      const axis = change.axis < 0 ? input.length + change.axis : change.axis;
      if (axis < 0 || axis >= input.length) return undefined;
      return input.map((size, index) => (index === axis ? size / change.parts : size));
    }
  }
}

/**
 * Functions of two tensors whose output shape is neither input's, keyed by lowercase name: `keras.ops.matmul(a, b)`,
 * `tf.matmul` / tfjs `tf.matMul` of two graph tensors (attention weights times values): [..., n, k] × [..., k, m]
 * is [..., n, m], the width the second operand's. (A weight a custom layer multiplies by is a kernel layer.)
 */
const TWO_TENSOR_SHAPES: Record<string, (first: number[], second: number[]) => number[] | undefined> = {
  matmul: (first, second) => (first.length && second.length ? [...first.slice(0, -1), second[second.length - 1]] : undefined),
};

/** The output shape of a function of two tensors in TWO_TENSOR_SHAPES; undefined for any other, or unknown inputs. */
export function twoTensorShape(className: string, inputs: (number[] | undefined)[]): number[] | undefined {
  const name = className.toLowerCase();
  const [first, second] = inputs;
  return Object.hasOwn(TWO_TENSOR_SHAPES, name) && inputs.length === 2 && first && second ? TWO_TENSOR_SHAPES[name](first, second) : undefined;
}

/** Whether a name is one of TWO_TENSOR_SHAPES. */
export function isTwoTensorShape(className: string): boolean {
  return Object.hasOwn(TWO_TENSOR_SHAPES, className.toLowerCase());
}

