/**
 * The resolved model: what `interpret.ts` makes of a front end's `RawModel`. Every rule, the report, the
 * CodeLens and the probe read this shape.
 */
import type { ActivationSpec } from './catalogue/activations';
import type { InitializerId, InitializerParams, Sampling } from './catalogue/initializers';
import type { LayerKind } from './catalogue/layers';
import type { Arg, CallSite, Framework, InitializerAssignment, Language, Span } from './ir';
import type { ShapeChange } from './shapeOps';

/** Which config field of a layer an initializer sits in (camelCase; Keras keywords are its snake_case). */
export type InitializerRole = 'kernel' | 'recurrent' | 'bias' | 'depthwise' | 'pointwise' | 'embeddings';

export interface InitializerUse {
  role: InitializerRole;
  /** Canonical id; undefined when the value cannot be resolved (a variable, a custom class). */
  id?: InitializerId;
  params: InitializerParams;
  /** What the framework actually samples; undefined when `id` is. */
  sampling?: Sampling;
  /** The written argument; absent when the framework default applies. */
  written?: Arg;
  /** A string id the framework rejects at run time (`'he_normal'` in tfjs). */
  unknownString?: string;
  /** Given weights, not a distribution (`Constant(embedding_matrix)`): nothing is sampled, no rule judges it. */
  pretrained?: boolean;
  /**
   * True when the framework silently ignores this written initializer (tfjs separable conv's
   * pointwiseInitializer, tfjs#8564): the default is what gets sampled.
   */
  ignoredByFramework?: boolean;
}

export interface ActivationUse {
  spec: ActivationSpec;
  /** `own`: the layer's `activation` argument; `layer`: a following activation layer; `default`: none (linear). */
  from: 'own' | 'layer' | 'default';
  /** The written activation argument, or the activation layer's call. */
  written?: Arg;
  /** The activation layer's call when `from` is `layer`. */
  layerCall?: CallSite;
  /** A string the framework rejects (`'leakyRelu'` in Keras). */
  unknownString?: string;
}

export interface Layer {
  /** Position in `Model.layers`. */
  index: number;
  kind: LayerKind;
  /** Whether its kind has a kernel (KERNEL_KINDS): every pass asks per layer, and a field is read faster than a set. */
  kernel: boolean;
  /** Class or factory name as written (`Dense`, `dense`, `Conv2D`). */
  className: string;
  call: CallSite;
  repeat?: { iteration: number; count: number };
  /** The first layer of a composed sub-model (see `RawLayer.entersModel`): chains start again here. */
  entersModel?: string;
  /** Indices of the layers this one consumes ([] = the model input). */
  inputs: readonly number[];
  /** Output width: units, filters, embedding output_dim, or (for pass-through layers) the input width. */
  width?: number;
  /** True when `width`/fans were not written and were assumed from a neighbour (square layer). */
  widthAssumed: boolean;
  /** Neither this layer's width nor its input's could be read: its fans (1) are a placeholder, not even a guess. */
  widthUnknown?: true;
  kernelSize?: number[];
  strides?: number[];
  padding?: string;
  /** `data_format='channels_first'` on a global pooling layer: it averages the last axis, and the first is kept. */
  channelsFirst?: boolean;
  depthMultiplier?: number;
  groups?: number;
  rate?: number;
  /**
   * Copies of the layer whose outputs are concatenated: 2 for a Bidirectional wrapper merging by 'concat'
   * (the width doubles, and both copies' gradients reach the input), else 1.
   */
  concatenatedCopies: number;
  /** Recurrent layers: `return_sequences` / `returnSequences` (the output keeps its time axis). */
  returnSequences?: boolean;
  /**
   * Reshape's target shape as written (batch excluded; -1 or None where the framework infers the size), or the
   * output_shape a Lambda declares.
   */
  targetShape?: number[];
  /** A weightless layer that changes the shape (Permute, UpSampling2D, ZeroPadding2D, Cropping2D, depth_to_space). */
  shapeChange?: ShapeChange;
  /** Output shape without the batch dimension, when it can be followed (channels last). */
  outputShape?: number[];
  fanIn?: number;
  fanOut?: number;
  activation: ActivationUse;
  /** RNN gate activation (sigmoid by default). */
  recurrentActivation?: ActivationSpec;
  useBias: boolean;
  /** Initializers keyed by role; a kernel layer always has `kernel` (written or default). */
  initializers: Partial<Record<InitializerRole, InitializerUse>>;
}

export interface Model {
  name: string;
  framework: Framework;
  language: Language;
  style: 'sequential' | 'functional' | 'subclassed';
  span: Span;
  layers: Layer[];
  /** Input shape without the batch dimension, when written. */
  inputShape?: number[];
  /** A model of several inputs: each one's shape, in the order of `modelInput(k)` (the first is `inputShape`). */
  inputShapes?: (number[] | undefined)[];
  /** Initializers assigned to layer attributes after the layers were made; `layers[].index` are indices into `layers`. */
  initializerAssignments?: InitializerAssignment[];
}

/**
 * The number of inputs each output of a layer really sums: what a variance-scaling initializer should divide
 * by. Both frameworks compute a depthwise kernel's fan_in from its shape [k…, in, multiplier] as k·…·in
 * (Keras `compute_fans`, tfjs-layers `computeFans`), but each depthwise output sums only its own channel's
 * k·… inputs: their He has 1/in of the variance He intends. Every other kernel's fan_in is the signal's.
 */
export function signalFanIn(layer: Pick<Layer, 'kind' | 'fanIn' | 'kernelSize'>): number | undefined {
  if (layer.kind !== 'depthwiseConv') return layer.fanIn;
  return (layer.kernelSize ?? []).reduce((product, size) => product * size, 1);
}

/**
 * A separable conv's pointwise kernel [1…, in·multiplier, filters]: its fans as both frameworks compute them
 * (`fanIn`/`fanOut` of the layer are its depthwise kernel's, k·…·in and k·…·multiplier). Each pointwise output
 * sums all in·multiplier inputs: this fan_in is also the signal's.
 */
export function pointwiseFans(layer: Pick<Layer, 'fanIn' | 'fanOut' | 'kernelSize' | 'width'>): { fanIn: number; fanOut: number } {
  const rf = (layer.kernelSize ?? []).reduce((product, size) => product * size, 1);
  const fanIn = ((layer.fanIn ?? 1) / rf) * ((layer.fanOut ?? 1) / rf);
  return { fanIn, fanOut: layer.width ?? fanIn };
}

/** The initializer role that carries a layer's main kernel. */
export function mainRole(layer: Pick<Layer, 'kind'>): InitializerRole {
  return layer.kind === 'depthwiseConv' || layer.kind === 'separableConv' ? 'depthwise' : 'kernel';
}
