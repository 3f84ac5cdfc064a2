/**
 * Layer classes of Keras and TensorFlow.js factories, one table: the lowercase class/factory name is the
 * same in both (`Dense`/`dense`, `Conv2DTranspose`/`conv2dTranspose`, `LSTM`/`lstm`).
 * Sources: Keras 3 keras/src/layers/__init__.py and each layer's __init__ signature (positional order);
 * tfjs-layers src/exports_layers.ts.
 */
import { isPretrainedClass } from './backbones';

export type LayerKind =
  | 'dense' | 'conv' | 'convTranspose' | 'separableConv' | 'depthwiseConv'
  | 'simpleRnn' | 'gru' | 'lstm' | 'embedding'
  | 'batchNormalization' | 'layerNormalization' | 'groupNormalization'
  | 'dropout' | 'flatten' | 'reshape' | 'maxPooling' | 'averagePooling' | 'globalMaxPooling' | 'globalAveragePooling'
  | 'add' | 'concatenate' | 'activation' | 'input'
  /** A pretrained block (a Keras application, a loaded model, a preset): its weights are given, not drawn (backbones.ts). */
  | 'pretrained'
  | 'unknown';

export interface LayerFacts {
  kind: LayerKind;
  /** Spatial rank of convolutions and pooling. */
  rank?: number;
  /** A wrapper whose weights are the wrapped layer's (see `WrapperFacts`). */
  wrapper?: WrapperFacts;
  /** Keras positional parameters of this class where they are not its kind's (KERAS_POSITIONAL). */
  positional?: string[];
}

/**
 * Wrappers are read as the layer they wrap (their `layer` argument, Keras's first positional one): its
 * initializers are the ones sampled. Bidirectional runs one copy per direction; merged by concatenation, the
 * default in both frameworks, the copies sit side by side. Other merge modes are read as one copy.
 * Sources: Keras 3 keras/src/layers/rnn/bidirectional.py (`merge_mode="concat"`), core/wrapper.py;
 * tfjs-layers src/layers/wrappers.ts (`mergeMode` defaults to 'concat').
 */
export interface WrapperFacts {
  /** The config field naming the merge mode, and the mode when none is written. */
  merge?: { field: string; default: string };
}

/** Keras positional parameters of the wrappers: `Bidirectional(layer, merge_mode)`, `TimeDistributed(layer)`. */
export const KERAS_WRAPPER_POSITIONAL = ['layer', 'mergeMode'];

const conv = (kind: LayerKind, rank: number): LayerFacts => ({ kind, rank });

/** Keyed by the lowercase class name (Keras) or factory name (tfjs). */
const LAYER_CLASSES: Record<string, LayerFacts> = {
  dense: { kind: 'dense' },
  // A custom layer's weight applied as a kernel (`ops.matmul(x, self.w)`, tfjs `tf.matMul(x, this.w.read())`):
  // the front ends name it by the call that made it (frontends/python/customLayers.ts, typescript/customLayers.ts).
  add_weight: { kind: 'dense' }, addweight: { kind: 'dense' },
  conv1d: conv('conv', 1), conv2d: conv('conv', 2), conv3d: conv('conv', 3),
  convolution1d: conv('conv', 1), convolution2d: conv('conv', 2), convolution3d: conv('conv', 3),
  conv1dtranspose: conv('convTranspose', 1), conv2dtranspose: conv('convTranspose', 2), conv3dtranspose: conv('convTranspose', 3),
  convolution2dtranspose: conv('convTranspose', 2), convolution3dtranspose: conv('convTranspose', 3),
  separableconv1d: conv('separableConv', 1), separableconv2d: conv('separableConv', 2),
  separableconvolution1d: conv('separableConv', 1), separableconvolution2d: conv('separableConv', 2),
  depthwiseconv1d: conv('depthwiseConv', 1), depthwiseconv2d: conv('depthwiseConv', 2),
  simplernn: { kind: 'simpleRnn' }, gru: { kind: 'gru' }, lstm: { kind: 'lstm' },
  embedding: { kind: 'embedding' },
  // keras_hub / keras_nlp `TokenAndPositionEmbedding(vocabulary_size, sequence_length, embedding_dim)`: token
  // embeddings of `embedding_dim` (embeddings_initializer "uniform", as Embedding's), plus position embeddings.
  tokenandpositionembedding: { kind: 'embedding', positional: ['vocabularySize', 'sequenceLength', 'embeddingDim'] },
  batchnormalization: { kind: 'batchNormalization' },
  layernormalization: { kind: 'layerNormalization' },
  groupnormalization: { kind: 'groupNormalization' },
  // TensorFlow Addons' and keras-contrib's InstanceNormalization: GroupNormalization with one group per channel.
  instancenormalization: { kind: 'groupNormalization' },
  dropout: { kind: 'dropout' }, spatialdropout1d: { kind: 'dropout' }, spatialdropout2d: { kind: 'dropout' },
  spatialdropout3d: { kind: 'dropout' }, alphadropout: { kind: 'dropout' }, gaussiandropout: { kind: 'dropout' },
  gaussiannoise: { kind: 'dropout' },
  flatten: { kind: 'flatten' }, reshape: { kind: 'reshape' },
  maxpooling1d: conv('maxPooling', 1), maxpooling2d: conv('maxPooling', 2), maxpooling3d: conv('maxPooling', 3),
  maxpool1d: conv('maxPooling', 1), maxpool2d: conv('maxPooling', 2), maxpool3d: conv('maxPooling', 3),
  averagepooling1d: conv('averagePooling', 1), averagepooling2d: conv('averagePooling', 2), averagepooling3d: conv('averagePooling', 3),
  avgpool1d: conv('averagePooling', 1), avgpool2d: conv('averagePooling', 2), avgpool3d: conv('averagePooling', 3),
  globalmaxpooling1d: conv('globalMaxPooling', 1), globalmaxpooling2d: conv('globalMaxPooling', 2), globalmaxpooling3d: conv('globalMaxPooling', 3),
  globalmaxpool1d: conv('globalMaxPooling', 1), globalmaxpool2d: conv('globalMaxPooling', 2),
  globalaveragepooling1d: conv('globalAveragePooling', 1), globalaveragepooling2d: conv('globalAveragePooling', 2),
  globalaveragepooling3d: conv('globalAveragePooling', 3), globalavgpool1d: conv('globalAveragePooling', 1),
  globalavgpool2d: conv('globalAveragePooling', 2),
  // `concat`: TensorFlow's `tf.concat([a, b], axis=-1)` applied in a functional model.
  add: { kind: 'add' }, concatenate: { kind: 'concatenate' }, concat: { kind: 'concatenate' },
  activation: { kind: 'activation' }, relu: { kind: 'activation' }, leakyrelu: { kind: 'activation' },
  elu: { kind: 'activation' }, prelu: { kind: 'activation' }, softmax: { kind: 'activation' },
  thresholdedrelu: { kind: 'activation' },
  input: { kind: 'input' }, inputlayer: { kind: 'input' },
  bidirectional: { kind: 'unknown', wrapper: { merge: { field: 'mergeMode', default: 'concat' } } },
  timedistributed: { kind: 'unknown', wrapper: {} },
};

const UNKNOWN_LAYER: LayerFacts = { kind: 'unknown' };
const PRETRAINED_LAYER: LayerFacts = { kind: 'pretrained' };
const factsByName = new Map<string, LayerFacts>();

export function layerFacts(className: string): LayerFacts {
  let facts = factsByName.get(className);
  if (!facts) {
    const key = className.toLowerCase();
    facts = (Object.hasOwn(LAYER_CLASSES, key) ? LAYER_CLASSES[key] : undefined) ?? (isPretrainedClass(className) ? PRETRAINED_LAYER : UNKNOWN_LAYER);
    if (factsByName.size < 10_000) factsByName.set(className, facts);
  }
  return facts;
}

/**
 * Keras positional parameters, by kind, as camelCase field names (`Dense(64, 'relu')`).
 * tfjs layers take one config object, so only Keras needs this.
 */
export const KERAS_POSITIONAL: Partial<Record<LayerKind, string[]>> = {
  dense: ['units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer'],
  conv: ['filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate', 'groups', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer'],
  convTranspose: ['filters', 'kernelSize', 'strides', 'padding'],
  separableConv: ['filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate', 'depthMultiplier', 'activation', 'useBias', 'depthwiseInitializer', 'pointwiseInitializer', 'biasInitializer'],
  depthwiseConv: ['kernelSize', 'strides', 'padding', 'depthMultiplier', 'dataFormat', 'dilationRate', 'activation', 'useBias', 'depthwiseInitializer', 'biasInitializer'],
  simpleRnn: ['units', 'activation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer'],
  gru: ['units', 'activation', 'recurrentActivation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer'],
  lstm: ['units', 'activation', 'recurrentActivation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer'],
  embedding: ['inputDim', 'outputDim', 'embeddingsInitializer'],
  groupNormalization: ['groups'],
  dropout: ['rate'],
  reshape: ['targetShape'],
  maxPooling: ['poolSize', 'strides', 'padding'],
  averagePooling: ['poolSize', 'strides', 'padding'],
  input: ['shape'],
};

/**
 * Keras 1 argument names that Keras 2.0–2.3 still accepted and converted, by the kind of layer (keras-team/keras
 * keras/legacy/interfaces.py, `legacy_dense_support`, `legacy_conv2d_support`, `legacy_recurrent_support`, …):
 * `Dense(64, init='normal')` drew its kernel from `normal`. tf.keras and Keras 3 have no such conversion and
 * reject them. A separable conv's `init` set both its kernels.
 */
export type Keras1Arguments = Readonly<Record<string, string | readonly string[]>>;
const KERAS_1_CONV: Keras1Arguments = {
  nb_filter: 'filters', filter_length: 'kernelSize', subsample: 'strides', subsample_length: 'strides', border_mode: 'padding', init: 'kernelInitializer', bias: 'useBias',
};
const KERAS_1_RECURRENT: Keras1Arguments = {
  output_dim: 'units', init: 'kernelInitializer', inner_init: 'recurrentInitializer', inner_activation: 'recurrentActivation', bias: 'useBias',
};
export const KERAS_1_ARGUMENTS: Partial<Record<LayerKind, Keras1Arguments>> = {
  dense: { output_dim: 'units', init: 'kernelInitializer', bias: 'useBias' },
  conv: KERAS_1_CONV,
  convTranspose: KERAS_1_CONV,
  separableConv: { nb_filter: 'filters', subsample: 'strides', border_mode: 'padding', init: ['depthwiseInitializer', 'pointwiseInitializer'], bias: 'useBias' },
  simpleRnn: KERAS_1_RECURRENT,
  gru: KERAS_1_RECURRENT,
  lstm: KERAS_1_RECURRENT,
  embedding: { init: 'embeddingsInitializer' },
  maxPooling: { pool_length: 'poolSize', stride: 'strides', border_mode: 'padding' },
  averagePooling: { pool_length: 'poolSize', stride: 'strides', border_mode: 'padding' },
};

/** Keras positional parameters of the activation layers, keyed by lowercase class name. */
export const KERAS_ACTIVATION_LAYER_POSITIONAL: Record<string, string[]> = {
  activation: ['activation'],
  relu: ['maxValue', 'negativeSlope', 'threshold'],
  leakyrelu: ['negativeSlope'],
  elu: ['alpha'],
  prelu: ['alphaInitializer'],
  softmax: ['axis'],
  thresholdedrelu: ['theta'],
};

/** Layers that own a kernel: the ones variance propagation scales, and chains are made of. */
export const KERNEL_KINDS: ReadonlySet<LayerKind> = new Set([
  'dense', 'conv', 'convTranspose', 'separableConv', 'depthwiseConv', 'simpleRnn', 'gru', 'lstm',
]);
export const NORMALIZATION_KINDS: ReadonlySet<LayerKind> = new Set(['batchNormalization', 'layerNormalization', 'groupNormalization']);
export const RECURRENT_KINDS: ReadonlySet<LayerKind> = new Set(['simpleRnn', 'gru', 'lstm']);
/** Gates per recurrent kind: the kernel is [input, gates·units], so it is the fan_out multiplier. */
export const RECURRENT_GATES: Partial<Record<LayerKind, number>> = { simpleRnn: 1, gru: 3, lstm: 4 };

/**
 * Layer classes InitLint does not model but knows own no weights (Keras 3 keras/src/layers/reshaping,
 * preprocessing, merging; tfjs-layers src/layers/convolutional.ts, merge.ts): a chain runs through them.
 * Any other unknown layer (a custom layer, a Lambda, a sub-model InitLint cannot read) ends the chains at it.
 */
export const WEIGHTLESS_CLASSES: ReadonlySet<string> = new Set([
  'upsampling1d', 'upsampling2d', 'upsampling3d', 'zeropadding1d', 'zeropadding2d', 'zeropadding3d',
  'cropping1d', 'cropping2d', 'cropping3d', 'permute', 'repeatvector', 'rescaling', 'resizing', 'centercrop',
  'randomflip', 'randomrotation', 'randomzoom', 'randomtranslation', 'randomcrop', 'randomcontrast', 'randombrightness',
  'multiply', 'subtract', 'average', 'maximum', 'minimum', 'activityregularization', 'masking', 'identity',
]);

/**
 * Kinds whose inside InitLint cannot see (pretrained backbones, loaded models): chains stop at them, and the
 * signal after them is a fresh one. `unknown` layers not in `WEIGHTLESS_CLASSES` are read the same way.
 */
export const OPAQUE_KINDS: ReadonlySet<LayerKind> = new Set(['unknown', 'pretrained']);

/** A layer whose inside InitLint cannot see: an opaque kind, unless its class is one known to own no weights. */
export function cannotBeRead(kind: LayerKind, className: string): boolean {
  return OPAQUE_KINDS.has(kind) && !WEIGHTLESS_CLASSES.has(className.toLowerCase());
}
