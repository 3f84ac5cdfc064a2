/**
 * Plans a whole model before anything is allocated: the input shape (written, or assumed from the first
 * layer), every layer's plan in order, and the memory a run needs at a given batch size.
 */
import type { Framework } from '../core/ir';
import { modelInput, modelInputIndex } from '../core/ir';
import type { Layer, Model } from '../core/model';
import { planLayer } from './layers';
import { product, UnsupportedLayerError, type LayerPlan } from './plan';

/** Defaults for dimensions the source leaves open (`None`, or no input shape at all). */
const DEFAULT_SPATIAL = 32;
const DEFAULT_TIMESTEPS = 8;
const DEFAULT_SEQUENCE = 16;

export interface ModelPlan {
  framework: Framework;
  /** The first model input's shape (the only one in most models). */
  inputShape: number[];
  inputShapeAssumed: boolean;
  /** True when the model input is integer ids (an Embedding consumes it). */
  integerInput: boolean;
  /** Every model input, in the order of `modelInput(k)`: the first is `inputShape` / `integerInput`. */
  inputs: ModelInputPlan[];
  layers: LayerPlan[];
  parameterCount: number;
  /** Floats per sample held during a run: the input, z and φ(z) of every layer, RNN step internals. */
  activationFloatsPerSample: number;
  flopsPerSample: number;
}

export interface ModelInputPlan {
  shape: number[];
  assumed: boolean;
  /** Integer ids for an Embedding that consumes it. */
  integer: boolean;
}

export function planModel(model: Model, inputShapeOverride?: number[]): ModelPlan {
  if (!model.layers.length) throw new Error(`model '${model.name}' has no layers to probe`);
  const count = model.inputShapes?.length ?? 1;
  const shapes = Array.from({ length: count }, (_, k) =>
    k === 0 && inputShapeOverride ? { shape: inputShapeOverride, assumed: false } : modelInputShape(model, k));
  const layers: LayerPlan[] = [];
  for (const layer of model.layers) {
    const inputShapes = layer.inputs.length
      ? layer.inputs.map((input) => (input < 0 ? shapes[modelInputIndex(input)].shape : layers[input].outputShape))
      : [shapes[0].shape];
    layers.push(planLayer(layer, { framework: model.framework, inputShapes }));
  }
  const inputs = shapes.map(({ shape, assumed }, k): ModelInputPlan => ({
    shape, assumed, integer: layers.some((plan) => plan.integerInput && consumesModelInput(plan.layer, k)),
  }));
  const [{ shape: inputShape, assumed }] = shapes;
  const parameterCount = layers.reduce((sum, plan) => sum + plan.weights.reduce((s, w) => s + product(w.shape), 0), 0);
  const activationFloatsPerSample = inputs.reduce((sum, input) => sum + product(input.shape), 0) + layers.reduce((sum, plan) => {
    const recurrentInternals = plan.recurrent ? 6 * product(plan.outputShape) * (plan.layer.kind === 'lstm' ? 4 : 3) : 0;
    return sum + 2 * product(plan.outputShape) + recurrentInternals;
  }, 0);
  return {
    framework: model.framework,
    inputShape,
    inputShapeAssumed: assumed,
    integerInput: inputs[0].integer,
    inputs,
    layers,
    parameterCount,
    activationFloatsPerSample,
    flopsPerSample: layers.reduce((sum, plan) => sum + plan.flopsPerSample, 0),
  };
}

/** Bytes a run holds at this batch: weights, their gradients, and the activations kept for the backward pass. */
export function estimateBytes(plan: ModelPlan, batch: number): number {
  return 4 * (2 * plan.parameterCount + batch * plan.activationFloatsPerSample);
}

/** Whether a layer reads the k-th model input (the first: also a layer that lists no input). */
export function consumesModelInput(layer: Layer, k: number): boolean {
  return layer.inputs.includes(modelInput(k)) || (k === 0 && layer.inputs.length === 0);
}

/**
 * The k-th model input's shape without the batch: as written (open dims filled in), else from the first
 * layer that reads it.
 */
function modelInputShape(model: Model, k: number): { shape: number[]; assumed: boolean } {
  const first = model.layers.find((layer) => consumesModelInput(layer, k)) ?? model.layers[0];
  const written = model.inputShapes ? model.inputShapes[k] : model.inputShape;
  if (written && written.length) {
    const open = written.some((dim) => !(dim > 0));
    const fill = first.kind === 'simpleRnn' || first.kind === 'gru' || first.kind === 'lstm' ? DEFAULT_TIMESTEPS : first.kind === 'embedding' ? DEFAULT_SEQUENCE : DEFAULT_SPATIAL;
    return { shape: written.map((dim) => (dim > 0 ? dim : fill)), assumed: open };
  }
  const rf = product(first.kernelSize ?? [1]);
  const channels = first.fanIn !== undefined ? Math.max(1, Math.round(first.fanIn / rf)) : undefined;
  switch (first.kind) {
    case 'dense':
      if (first.fanIn !== undefined) return { shape: [first.fanIn], assumed: true };
      break;
    case 'conv':
    case 'convTranspose':
    case 'depthwiseConv':
    case 'separableConv':
      if (channels !== undefined) return { shape: [...(first.kernelSize ?? []).map(() => DEFAULT_SPATIAL), channels], assumed: true };
      break;
    case 'simpleRnn':
    case 'gru':
    case 'lstm':
      if (first.fanIn !== undefined) return { shape: [DEFAULT_TIMESTEPS, first.fanIn], assumed: true };
      break;
    case 'embedding':
      return { shape: [DEFAULT_SEQUENCE], assumed: true };
    default:
      break;
  }
  throw new UnsupportedLayerError(first, 'the model input shape is not written and cannot be inferred from its first layer');
}
