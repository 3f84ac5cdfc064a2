/**
 * What the probe builds for one layer of the IR: its weights (shape and the sampling the source framework
 * uses), its output shape, and how it computes its pre-activation z from its inputs. Shapes exclude the
 * batch dimension. Unsupported layers throw `UnsupportedLayerError` before anything is allocated.
 */
import type * as tf from './tf';
import { fieldsOf, stringOf } from '../core/args';
import type { Sampling } from '../core/catalogue/initializers';
import { KERAS_POSITIONAL } from '../core/catalogue/layers';
import type { Framework } from '../core/ir';
import type { Layer } from '../core/model';

export interface WeightSpec {
  /** The initializer role, or the fixed parameters of normalization layers. */
  role: string;
  shape: number[];
  sampling: Sampling;
  /** Rescaled by LSUV: the weight that sets the layer's variance. */
  isMainKernel?: boolean;
  /** Values to overwrite after sampling (LSTM's unit forget bias): [offset, length, value]. */
  overwrite?: [number, number, number];
}

/** Hands internal pre-activations (an RNN's candidate, per step) to the engine for its statistics. */
export type Tap = (z: tf.Tensor) => tf.Tensor;

export interface LayerPlan {
  layer: Layer;
  outputShape: number[];
  weights: WeightSpec[];
  /**
   * z from the inputs (batch first). For a recurrent layer (`recurrent`), the layer's output, its
   * activation applied inside, with each step's pre-activation passed through `tap`.
   */
  compute(inputs: tf.Tensor[], weights: tf.Tensor[], tap: Tap): tf.Tensor;
  recurrent?: boolean;
  /** Consumes integer ids (Embedding): no gradient flows into its input. */
  integerInput?: boolean;
  /** Multiply–adds ×2 per sample of the forward pass (the benchmark's FLOP count). */
  flopsPerSample: number;
  /** A hand-written backward of the linear part (dense, conv2d) that avoids recomputing z. */
  linearBackward?(inputs: tf.Tensor[], weights: tf.Tensor[], dz: tf.Tensor): { inputGradients: tf.Tensor[]; weightGradients: tf.Tensor[] };
}

export class UnsupportedLayerError extends Error {
  constructor(layer: Layer, why: string) {
    super(`the probe cannot build layer ${layer.index + 1} (${layer.className}): ${why}`);
    this.name = 'UnsupportedLayerError';
  }
}

export interface PlanContext {
  framework: Framework;
  /** Output shapes of the layer's inputs, or the model input's. */
  inputShapes: number[][];
}

export const product = (values: readonly number[]) => values.reduce((a, b) => a * b, 1);

/** The sampling of an initializer role, or the framework default the IR resolved; constant 0 when absent. */
export function samplingOf(layer: Layer, role: string): Sampling {
  const use = layer.initializers[role as keyof Layer['initializers']];
  if (use && !use.sampling) throw new UnsupportedLayerError(layer, `its ${role} initializer cannot be resolved from the source`);
  return use?.sampling ?? { kind: 'constant', value: 0 };
}

/** The layer's arguments by camelCase name (Keras positional ones named), for fields the IR does not carry. */
export function fieldsOfLayer(layer: Layer) {
  return fieldsOf(layer.call, KERAS_POSITIONAL[layer.kind] ?? []);
}

export function requireWidth(layer: Layer): number {
  if (layer.width === undefined || !(layer.width > 0)) throw new UnsupportedLayerError(layer, 'its width (units/filters) is unknown');
  return layer.width;
}

export function paddingOf(layer: Layer): 'valid' | 'same' | 'causal' {
  const padding = stringOf(fieldsOfLayer(layer).padding) ?? layer.padding ?? 'valid';
  if (padding !== 'valid' && padding !== 'same' && padding !== 'causal') throw new UnsupportedLayerError(layer, `padding '${padding}'`);
  return padding;
}
