/**
 * Following shapes through a model to get each kernel's fans (SCIENCE.md §3 "Fans"). Where a width is
 * not written or cannot be followed, the layer is assumed square (fan_in = its own width) and marked.
 */
import { KERNEL_KINDS, RECURRENT_GATES } from './catalogue/layers';
import { modelInputIndex } from './ir';
import type { Layer } from './model';

const product = (values: number[]) => values.reduce((a, b) => a * b, 1);
const known = (shape: number[] | undefined): shape is number[] => !!shape && shape.length > 0 && shape.every((dim) => Number.isFinite(dim));

/** `inputShapes`: every model input's shape, for a model of several (else the one is `inputShape`). */
export function inferShapes(layers: Layer[], inputShape: number[] | undefined, inputShapes?: (number[] | undefined)[]): void {
  const modelInputShape = (input: number) => (inputShapes ? inputShapes[modelInputIndex(input)] : inputShape);
  const shapeOf = (input: number) => (input < 0 ? modelInputShape(input) : layers[input].outputShape);
  for (const layer of layers) {
    const inShape = layer.inputs.length ? shapeOf(layer.inputs[0]) : inputShape;
    const inWidth = inShape && Number.isFinite(inShape[inShape.length - 1]) ? inShape[inShape.length - 1] : undefined;
    applyLayerShape(layer, inShape, inWidth, shapeOf);
    if (KERNEL_KINDS.has(layer.kind) && layer.fanIn === undefined) assumeSquare(layer, inWidth);
  }
}

/** `shapeOf`: the shape of an input, for the layers that combine several (concatenate). */
function applyLayerShape(layer: Layer, inShape: number[] | undefined, inWidth: number | undefined, shapeOf: (input: number) => number[] | undefined): void {
  const rank = layer.kernelSize?.length ?? 0;
  const spatial = inShape && rank ? inShape.slice(-rank - 1, -1) : undefined;
  switch (layer.kind) {
    case 'dense':
      if (inWidth !== undefined && layer.width !== undefined) setFans(layer, inWidth, layer.width);
      layer.outputShape = layer.width === undefined ? undefined : inShape && inShape.length > 1 ? [...inShape.slice(0, -1), layer.width] : [layer.width];
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
        if (layer.kind === 'convTranspose') setFans(layer, rf * outChannels, rf * inWidth);
        else if (layer.kind === 'depthwiseConv' || layer.kind === 'separableConv') setFans(layer, rf * inWidth, rf * (layer.depthMultiplier ?? 1));
        else setFans(layer, rf * inWidth, rf * outChannels);
      }
      layer.width = Number.isFinite(outChannels) ? outChannels : layer.width;
      layer.outputShape = spatial && known(spatial) && layer.width !== undefined
        ? [...spatialOut(layer, spatial), layer.width]
        : undefined;
      return;
    }
    case 'simpleRnn':
    case 'gru':
    case 'lstm':
      // Kernel [input, gates·units]: fan_out counts every gate (what glorot sees).
      if (inWidth !== undefined && layer.width !== undefined) setFans(layer, inWidth, layer.width * (RECURRENT_GATES[layer.kind] ?? 1));
      layer.outputShape = layer.width !== undefined ? [layer.width * layer.concatenatedCopies] : undefined;
      return;
    case 'embedding':
      layer.outputShape = inShape && layer.width !== undefined ? [...inShape, layer.width] : layer.width !== undefined ? [layer.width] : undefined;
      return;
    case 'flatten':
      layer.outputShape = known(inShape) ? [product(inShape)] : undefined;
      break;
    case 'maxPooling':
    case 'averagePooling':
      layer.outputShape = spatial && known(spatial) && inWidth !== undefined ? [...spatialOut(layer, spatial, true), inWidth] : undefined;
      break;
    case 'globalMaxPooling':
    case 'globalAveragePooling':
      layer.outputShape = inWidth !== undefined ? [inWidth] : undefined;
      break;
    case 'concatenate': {
      const inputShapes = layer.inputs.length ? layer.inputs.map(shapeOf) : [inShape];
      const widths = inputShapes.map((shape) => shape?.[shape.length - 1]);
      layer.outputShape = inShape && widths.every((width) => width !== undefined && Number.isFinite(width))
        ? [...inShape.slice(0, -1), (widths as number[]).reduce((a, b) => a + b, 0)]
        : undefined;
      break;
    }
    case 'reshape':
      layer.outputShape = reshaped(layer.targetShape, inShape);
      break;
    default:
      layer.outputShape = inShape;
  }
  layer.width = layer.outputShape?.[layer.outputShape.length - 1] ?? inWidth;
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

function spatialOut(layer: Layer, spatial: number[], pooling = false): number[] {
  const kernel = layer.kernelSize ?? spatial.map(() => 1);
  const strides = layer.strides ?? (pooling ? kernel : spatial.map(() => 1));
  return spatial.map((size, axis) => {
    if (layer.kind === 'convTranspose') return layer.padding === 'same' ? size * strides[axis] : (size - 1) * strides[axis] + kernel[axis];
    return layer.padding === 'same' ? Math.ceil(size / strides[axis]) : Math.floor((size - kernel[axis]) / strides[axis]) + 1;
  });
}

function setFans(layer: Layer, fanIn: number, fanOut: number): void {
  layer.fanIn = fanIn;
  layer.fanOut = fanOut;
}

/** SCIENCE.md §1: an unknown width is assumed equal to the layer's own (square layer), and said so. */
function assumeSquare(layer: Layer, inWidth: number | undefined): void {
  const width = layer.width ?? inWidth ?? 1;
  const inChannels = inWidth ?? width;
  layer.width ??= width;
  layer.widthAssumed = true;
  const rf = product(layer.kernelSize ?? [1]);
  if (layer.kind === 'depthwiseConv' || layer.kind === 'separableConv') setFans(layer, rf * inChannels, rf * (layer.depthMultiplier ?? 1));
  else if (RECURRENT_GATES[layer.kind]) setFans(layer, inChannels, width * (RECURRENT_GATES[layer.kind] ?? 1));
  else setFans(layer, rf * inChannels, rf * width);
}
