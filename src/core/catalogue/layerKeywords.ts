/**
 * The keyword arguments (Keras) and config keys (tfjs) that the layers of the catalogue accept, and the
 * initializer and activation keywords a near miss of which is a misspelling (ignored-argument).
 *
 * Both frameworks name a layer's arguments alike, snake_case in Keras and camelCase in tfjs: one camelCase
 * list serves both. It is the union over the layers of layers.ts (a keyword real on some layer is never
 * called a misspelling, on whichever layer it is written), and only decides what is *not* a misspelling.
 * Sources: Keras 3 keras/src/layers (each layer's __init__ signature, Layer.__init__ in layers/layer.py for the
 * base keywords), tf.keras 2 engine/base_layer.py (`allowed_kwargs`), tfjs-layers src/layers/*.ts (each
 * `*LayerArgs` interface, `LayerArgs` in src/engine/topology.ts).
 */
import { snakeCase } from '../args';
import type { LayerKind } from './layers';

/**
 * The initializer and activation keywords each kind of layer takes (camelCase, tfjs spelling): a near miss of
 * one of them is a misspelling of it. A kind not listed takes none (a pooling layer's `activaton` is left alone).
 */
const INITIALIZATION_KEYWORDS_BY_KIND: Partial<Record<LayerKind, readonly string[]>> = {
  dense: ['kernelInitializer', 'biasInitializer', 'activation'],
  conv: ['kernelInitializer', 'biasInitializer', 'activation'],
  convTranspose: ['kernelInitializer', 'biasInitializer', 'activation'],
  separableConv: ['depthwiseInitializer', 'pointwiseInitializer', 'biasInitializer', 'activation'],
  depthwiseConv: ['depthwiseInitializer', 'biasInitializer', 'activation'],
  simpleRnn: ['kernelInitializer', 'recurrentInitializer', 'biasInitializer', 'activation'],
  gru: ['kernelInitializer', 'recurrentInitializer', 'biasInitializer', 'activation', 'recurrentActivation'],
  lstm: ['kernelInitializer', 'recurrentInitializer', 'biasInitializer', 'activation', 'recurrentActivation'],
  embedding: ['embeddingsInitializer'],
  batchNormalization: ['gammaInitializer', 'betaInitializer'],
  layerNormalization: ['gammaInitializer', 'betaInitializer'],
  groupNormalization: ['gammaInitializer', 'betaInitializer'],
  activation: ['activation'],
};

export interface InitializationKeyword {
  /** camelCase (tfjs spelling). */
  name: string;
  /** Lowercase without underscores: what a misspelling is compared with. */
  normalized: string;
}

const NONE: readonly InitializationKeyword[] = [];
const KEYWORDS_BY_KIND = new Map<LayerKind, readonly InitializationKeyword[]>(
  Object.entries(INITIALIZATION_KEYWORDS_BY_KIND).map(([kind, names]) => [kind as LayerKind, names.map((name) => ({ name, normalized: name.toLowerCase() }))]),
);

/** The initializer and activation keywords a layer of this kind takes. */
export function initializationKeywords(kind: LayerKind): readonly InitializationKeyword[] {
  return KEYWORDS_BY_KIND.get(kind) ?? NONE;
}

const LAYER_KEYWORDS: readonly string[] = [
  // Every layer (Keras Layer.__init__ / tf.keras allowed_kwargs, tfjs LayerArgs).
  'name', 'trainable', 'dtype', 'autocast', 'inputDim', 'inputShape', 'batchInputShape', 'batchSize', 'weights',
  'activityRegularizer', 'implementation', 'dynamic', 'inputDtype', 'inputLength',
  // Dense, EinsumDense, convolutions.
  'units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer',
  'kernelConstraint', 'biasConstraint', 'loraRank', 'loraAlpha', 'quantizationConfig',
  'filters', 'kernelSize', 'strides', 'padding', 'outputPadding', 'dataFormat', 'dilationRate', 'groups',
  'depthMultiplier', 'depthwiseInitializer', 'pointwiseInitializer', 'depthwiseRegularizer', 'pointwiseRegularizer',
  'depthwiseConstraint', 'pointwiseConstraint',
  // Recurrent layers and cells.
  'recurrentActivation', 'recurrentInitializer', 'recurrentRegularizer', 'recurrentConstraint', 'unitForgetBias',
  'dropout', 'recurrentDropout', 'seed', 'returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll',
  'useCudnn', 'resetAfter', 'timeMajor', 'cell', 'cells',
  // Embedding (and keras_hub TokenAndPositionEmbedding).
  'outputDim', 'embeddingsInitializer', 'embeddingsRegularizer', 'embeddingsConstraint', 'maskZero', 'sparse',
  'vocabularySize', 'sequenceLength', 'embeddingDim', 'tieWeights',
  // Normalization.
  'axis', 'momentum', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer', 'movingMeanInitializer',
  'movingVarianceInitializer', 'betaRegularizer', 'gammaRegularizer', 'betaConstraint', 'gammaConstraint',
  'synchronized', 'renorm', 'renormClipping', 'renormMomentum', 'fused', 'virtualBatchSize', 'adjustment', 'rmsScaling',
  // Dropout, noise, reshaping, pooling.
  'rate', 'noiseShape', 'stddev', 'targetShape', 'poolSize', 'keepdims',
  // Activation layers.
  'maxValue', 'negativeSlope', 'threshold', 'alpha', 'alphaInitializer', 'alphaRegularizer', 'alphaConstraint',
  'sharedAxes', 'theta',
  // Input, wrappers.
  'shape', 'batchShape', 'inputTensor', 'tensor', 'optional', 'ragged', 'layer', 'mergeMode', 'backwardLayer',
  // A custom layer's add_weight (read as a dense kernel, layers.ts).
  'initializer', 'regularizer', 'constraint', 'aggregation', 'synchronization', 'overwriteWithGradient',
];

/** Keras spelling of the layer keywords. */
export const KERAS_LAYER_KEYWORDS: ReadonlySet<string> = new Set(LAYER_KEYWORDS.map(snakeCase));
/** tfjs spelling of the layer config keys. */
export const TFJS_LAYER_KEYWORDS: ReadonlySet<string> = new Set(LAYER_KEYWORDS);
