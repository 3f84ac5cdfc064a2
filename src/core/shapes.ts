/**
 * Following shapes through a model to get each kernel's fans (SCIENCE.md §3 "Fans"). Where a width is
 * not written or cannot be followed, the layer is assumed square (fan_in = its own width) and marked.
 */
import { cannotBeRead, RECURRENT_GATES } from './catalogue/layers';
import { modelInputIndex } from './ir';
import type { Layer } from './model';
import { applyShapeChange, isTwoTensorShape, twoTensorShape } from './shapeOps';

const product = (values: number[]) => values.reduce((a, b) => a * b, 1);
const known = (shape: number[] | undefined): shape is number[] => !!shape && shape.length > 0 && shape.every((dim) => Number.isFinite(dim));

/** `inputShapes`: every model input's shape, for a model of several (else the one is `inputShape`). */
export function inferShapes(layers: Layer[], inputShape: number[] | undefined, inputShapes?: (number[] | undefined)[]): void {
  const modelInputShape = (input: number) => (inputShapes ? inputShapes[modelInputIndex(input)] : inputShape);
  const shapeOf = (input: number) => (input < 0 ? modelInputShape(input) : layers[input].outputShape);
  // Each layer's output width (channels) where it is known, also where its spatial size is not: after a
  // first Conv2D(32) of unknown input size, the next convolution still has 32 input channels. Widths a
  // layer was only assumed to have are not known.
  const widths: (number | undefined)[] = [];
  const widthOf = (input: number) => (input < 0 ? lastDimension(modelInputShape(input)) : widths[input]);
  // Widths only guessed: what a layer InitLint cannot read passes on (a custom layer may double its channels, an
  // RNN cell change them), and what layers without a width of their own carry on from it.
  const guessed: boolean[] = [];
  layers.forEach((layer, position) => {
    const inShape = layer.inputs.length ? shapeOf(layer.inputs[0]) : inputShape;
    const inWidth = lastDimension(inShape) ?? (layer.inputs.length ? widthOf(layer.inputs[0]) : undefined);
    const inGuessed = layer.inputs.length > 0 && layer.inputs[0] >= 0 && guessed[layer.inputs[0]];
    applyLayerShape(layer, inShape, inWidth, shapeOf, widthOf);
    widths[position] = lastDimension(layer.outputShape) ?? (RECURRENT_GATES[layer.kind] && layer.width !== undefined ? layer.width * layer.concatenatedCopies : layer.width);
    if (layer.kernel && layer.fanIn === undefined) assumeSquare(layer, inWidth);
    else if (layer.kernel && inGuessed) layer.widthAssumed = true;
    guessed[position] = passesGuessedWidth(layer, inGuessed);
  });
}

/**
 * Whether a layer's output width is only a guess: an unreadable layer that passed its input's shape on, or a
 * layer with no width of its own (an activation, a pooling) after one. A kernel layer's width is its own.
 */
function passesGuessedWidth(layer: Layer, inGuessed: boolean): boolean {
  if (layer.kernel || layer.kind === 'embedding' || layer.kind === 'pretrained') return false;
  if (cannotBeRead(layer.kind, layer.className)) return !layer.shapeChange && !(layer.targetShape && known(layer.targetShape));
  return inGuessed;
}

/** `[...shape.slice(0, -1), last]`, in one array (this runs per layer). */
function withLastDimension(shape: number[], last: number): number[] {
  if (!shape.length) return [last];
  const replaced = shape.slice();
  replaced[replaced.length - 1] = last;
  return replaced;
}

function lastDimension(shape: number[] | undefined): number | undefined {
  const last = shape?.[shape.length - 1];
  return last !== undefined && Number.isFinite(last) ? last : undefined;
}

/** `shapeOf` / `widthOf`: an input's shape and width, for the layers that combine several (concatenate). */
function applyLayerShape(
  layer: Layer, inShape: number[] | undefined, inWidth: number | undefined,
  shapeOf: (input: number) => number[] | undefined, widthOf: (input: number) => number | undefined,
): void {
  const rank = layer.kernelSize?.length ?? 0;
  const spatial = inShape && rank ? inShape.slice(-rank - 1, -1) : undefined;
  switch (layer.kind) {
    case 'dense':
      if (inWidth !== undefined && layer.width !== undefined) setFans(layer, inWidth, layer.width);
      // Of an input of unknown rank only the width is known (a Flatten after it cannot be followed).
      layer.outputShape = layer.width !== undefined && inShape ? withLastDimension(inShape, layer.width) : undefined;
      return;
    case 'conv':
    case 'convTranspose':
    case 'separableConv':
    case 'depthwiseConv': {
      const rf = product(layer.kernelSize ?? [1]);
      const outChannels = layer.kind === 'depthwiseConv' ? (inWidth ?? NaN) * (layer.depthMultiplier ?? 1) : layer.width;
      if (inWidth !== undefined && outChannels !== undefined && Number.isFinite(outChannels)) {
        // The frameworks compute fans from the kernel shape: conv [k…, in, out]; depthwise [k…, in, mult];
        // transposed [k…, out, in] (so in and out swap); separable's depthwise part like depthwise.
        // A grouped convolution's kernel is [k…, in/groups, out] (Keras `Conv` `groups`, ConvMixer's depthwise).
        if (layer.kind === 'convTranspose') setFans(layer, rf * outChannels, rf * inWidth);
        else if (layer.kind === 'depthwiseConv' || layer.kind === 'separableConv') setFans(layer, rf * inWidth, rf * (layer.depthMultiplier ?? 1));
        else setFans(layer, (rf * inWidth) / groupsOf(layer), rf * outChannels);
      }
      layer.width = Number.isFinite(outChannels) ? outChannels : layer.width;
      const outSpatial = spatial && known(spatial) ? spatialOut(layer, spatial) : undefined;
      layer.outputShape = outSpatial && layer.width !== undefined ? [...outSpatial, layer.width] : undefined;
      return;
    }
    case 'simpleRnn':
    case 'gru':
    case 'lstm':
      // Kernel [input, gates·units]: fan_out counts every gate (what glorot sees).
      if (inWidth !== undefined && layer.width !== undefined) setFans(layer, inWidth, layer.width * (RECURRENT_GATES[layer.kind] ?? 1));
      // `return_sequences=True` keeps the time axis: a Flatten after it sees every step.
      layer.outputShape = layer.width === undefined ? undefined
        : !layer.returnSequences ? [layer.width * layer.concatenatedCopies]
        : inShape ? [...inShape.slice(0, -1), layer.width * layer.concatenatedCopies] : undefined;
      return;
    case 'embedding':
      layer.outputShape = inShape && layer.width !== undefined ? [...inShape, layer.width] : undefined;
      return;
    case 'flatten':
      layer.outputShape = known(inShape) ? [product(inShape)] : undefined;
      // The flattened size needs every dimension, not only the channels.
      layer.width = layer.outputShape?.[0];
      return;
    case 'maxPooling':
    case 'averagePooling': {
      const outSpatial = spatial && known(spatial) ? spatialOut(layer, spatial, true) : undefined;
      layer.outputShape = outSpatial && inWidth !== undefined ? [...outSpatial, inWidth] : undefined;
      break;
    }
    case 'globalMaxPooling':
    case 'globalAveragePooling':
      // channels_first: the last axis is pooled and the first kept (a transformer's sequence averaged per step).
      layer.outputShape = layer.channelsFirst ? (inShape && Number.isFinite(inShape[0]) ? [inShape[0]] : undefined) : inWidth !== undefined ? [inWidth] : undefined;
      if (layer.channelsFirst) {
        layer.width = layer.outputShape?.[0];
        return;
      }
      break;
    case 'concatenate': {
      const widths = layer.inputs.length ? layer.inputs.map(widthOf) : [inWidth];
      const total = widths.every((width) => width !== undefined) ? (widths as number[]).reduce((a, b) => a + b, 0) : undefined;
      layer.outputShape = inShape && total !== undefined ? [...inShape.slice(0, -1), total] : undefined;
      layer.width = total;
      return;
    }
    case 'reshape': {
      layer.outputShape = reshaped(layer.targetShape, inShape);
      // A written last dimension is the width even when another one is inferred from an unknown size.
      const last = layer.targetShape?.[layer.targetShape.length - 1];
      layer.width = lastDimension(layer.outputShape) ?? (last !== undefined && last > 0 ? last : undefined);
      return;
    }
    case 'pretrained':
      // What its table says it puts out, else nothing: never its input's shape (a backbone is no identity).
      layer.outputShape = layer.targetShape && known(layer.targetShape) ? layer.targetShape : undefined;
      layer.width = lastDimension(layer.targetShape);
      return;
    default:
      if (layer.inputs.length >= 2 && (layer.kind === 'add' || BROADCASTING_CLASSES.has(layer.className.toLowerCase()))) {
        // `attention_weights * values`, (T, 1) by (T, 64): the product is (T, 64), whichever operand comes first.
        const shapes = layer.inputs.map(shapeOf);
        layer.outputShape = shapes.every((shape) => shape && shape.length) ? broadcastShape(shapes as number[][]) : undefined;
        layer.width = lastDimension(layer.outputShape) ?? broadcastDimension(layer.inputs.map(widthOf)) ?? inWidth;
        if (!layer.outputShape) layer.outputShape = inShape && layer.width !== undefined ? withLastDimension(inShape, layer.width) : inShape;
        return;
      }
      if (layer.inputs.length === 2 && isTwoTensorShape(layer.className)) {
        // `matmul(attention, values)`: the second operand's width, never the first's.
        layer.outputShape = twoTensorShape(layer.className, layer.inputs.map(shapeOf));
        layer.width = lastDimension(layer.outputShape);
        return;
      }
      if (layer.shapeChange) {
        // A width that cannot be followed stays unknown: never the input's, which the change may have moved.
        layer.outputShape = applyShapeChange(layer.shapeChange, inShape);
        layer.width = lastDimension(layer.outputShape) ?? (layer.shapeChange.op === 'pad' || layer.shapeChange.op === 'scale' ? inWidth : undefined);
        return;
      }
      layer.outputShape = layer.targetShape && known(layer.targetShape) ? layer.targetShape : inShape;
  }
  // An unknown last dimension (`tf.input({shape: [latentSize]})` of a parameter) is no width: NaN must not reach the fans.
  layer.width = lastDimension(layer.outputShape) ?? inWidth;
}

/**
 * Elementwise merges and operators broadcast their operands (Keras `Add`/`Multiply`/… and `keras.ops`, NumPy rules;
 * tfjs-core `assertAndGetBroadcastShape`): aligned from the last axis, a 1 stretches to the other's size.
 */
const BROADCASTING_CLASSES: ReadonlySet<string> = new Set(['add', 'multiply', 'subtract', 'average', 'maximum', 'minimum']);

function broadcastShape(shapes: number[][]): number[] | undefined {
  const rank = Math.max(...shapes.map((shape) => shape.length));
  const out: number[] = new Array(rank);
  for (let axis = 1; axis <= rank; axis++) {
    const dimension = broadcastDimension(shapes.map((shape) => (axis <= shape.length ? shape[shape.length - axis] : 1)));
    out[rank - axis] = dimension ?? NaN;
  }
  return out;
}

/**
 * One axis: the size other than 1 the operands agree on, 1 if all are 1, undefined when unknown. Sizes in
 * conflict (the framework would raise) mean a size followed here is wrong, say a padding computed by a call
 * the file cannot show: the first operand's is kept, as before broadcasting was read.
 */
function broadcastDimension(dimensions: (number | undefined)[]): number | undefined {
  let size = 1;
  let unknown = false;
  for (const dimension of dimensions) {
    if (dimension === undefined || !Number.isFinite(dimension)) unknown = true;
    else if (dimension !== 1) {
      if (size !== 1 && size !== dimension) return dimensions[0];
      size = dimension;
    }
  }
  return size === 1 && unknown ? undefined : size;
}

/**
 * Reshape's output: the target shape, with its one `-1` filled from the input's size, as both frameworks do
 * (Keras 3 `operation_utils.compute_reshape_output_shape`, tfjs-layers core.ts `Reshape.fixUnknownDimension`).
 */
function reshaped(target: number[] | undefined, inShape: number[] | undefined): number[] | undefined {
  if (!target || target.length === 0) return undefined;
  const unknown = target.filter((dim) => !(dim > 0));
  if (unknown.length === 0) return target;
  if (unknown.length > 1 || !known(inShape)) return undefined;
  const size = product(inShape) / product(target.filter((dim) => dim > 0));
  return Number.isInteger(size) && size > 0 ? target.map((dim) => (dim > 0 ? dim : size)) : undefined;
}

/**
 * The spatial size after a convolution or pooling; undefined when a kernel is larger than its input (the shape
 * was misread, or the model cannot run): an empty or negative size is no size to count fans with.
 */
function spatialOut(layer: Layer, spatial: number[], pooling = false): number[] | undefined {
  const kernel = layer.kernelSize ?? spatial.map(() => 1);
  const strides = layer.strides ?? (pooling ? kernel : spatial.map(() => 1));
  const sizes = spatial.map((size, axis) => {
    if (layer.kind === 'convTranspose') return layer.padding === 'same' ? size * strides[axis] : (size - 1) * strides[axis] + kernel[axis];
    return layer.padding === 'same' ? Math.ceil(size / strides[axis]) : Math.floor((size - kernel[axis]) / strides[axis]) + 1;
  });
  return sizes.every((size) => size >= 1) ? sizes : undefined;
}

function groupsOf(layer: Layer): number {
  return layer.kind === 'conv' && layer.groups !== undefined && layer.groups > 1 ? layer.groups : 1;
}

function setFans(layer: Layer, fanIn: number, fanOut: number): void {
  layer.fanIn = fanIn;
  layer.fanOut = fanOut;
}

/** SCIENCE.md §1: an unknown width is assumed equal to the layer's own (square layer), and said so. */
function assumeSquare(layer: Layer, inWidth: number | undefined): void {
  if (layer.width === undefined && inWidth === undefined) layer.widthUnknown = true;
  const width = layer.width ?? inWidth ?? 1;
  const inChannels = inWidth ?? width;
  layer.width ??= width;
  layer.widthAssumed = true;
  const rf = product(layer.kernelSize ?? [1]);
  if (layer.kind === 'depthwiseConv' || layer.kind === 'separableConv') setFans(layer, rf * inChannels, rf * (layer.depthMultiplier ?? 1));
  else if (RECURRENT_GATES[layer.kind]) setFans(layer, inChannels, width * (RECURRENT_GATES[layer.kind] ?? 1));
  else setFans(layer, (rf * inChannels) / groupsOf(layer), rf * width);
}
