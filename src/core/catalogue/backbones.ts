/**
 * Pretrained blocks: Keras applications, keras_hub presets and loaded models. InitLint does not see into them
 * (their weights are not drawn by an initializer), so they end the chains that reach them, and what they put out
 * is a fresh signal. What it needs is their output: its width (a head Dense's fan_in) and its last operation.
 *
 * Sources: Keras 3 keras/src/applications/*.py (argument names, the last feature map's channels and what makes
 * it: vgg16.py `block5_pool`, resnet.py `conv5_block3_out` (ReLU after the Add), resnet_v2.py `post_relu`,
 * mobilenet.py `conv_pw_13_relu` (ReLU6, `int(1024 * alpha)`), mobilenet_v2.py `out_relu` (1280, more for
 * alpha > 1), mobilenet_v3.py (`last_conv_ch`: 96·6 = 576 small, 160·6 = 960 large, hard swish), densenet.py
 * (`bn` + `relu`), efficientnet.py / efficientnet_v2.py (`top_activation`, swish, `round_filters(1280)`),
 * inception_v3.py `mixed10`, inception_resnet_v2.py `conv_7b_ac`, xception.py `block14_sepconv2_act`,
 * nasnet.py (final ReLU), convnext.py (the last stage's residual output, no normalization without the top));
 * every application's `include_top=True` ends in `Dense(classes, activation=classifier_activation)`, softmax
 * and 1000 classes by default. keras_hub presets: each preset's `config.json` (`hidden_dim`).
 */
import { booleanOf, fieldsOf, numberOf, shapeOf, stringOf } from '../args';
import type { CallSite, Framework } from '../ir';
import type { ActivationId } from './activations';

export interface BackboneFacts {
  /** Channels of the last feature map without the top (`include_top=False`), from the width multiplier `alpha`. */
  features: (alpha: number) => number;
  /** The activation that makes the last feature map (`linear`: a residual sum or a normalization alone). */
  ends: ActivationId;
  /** 32 where every downsampling halves the size (an input divisible by 32 gives a map of size/32); else unknown. */
  stride?: number;
  /** Positional parameters, where they are the common `(include_top, weights, input_tensor, input_shape, pooling, classes)`. */
  positional: string[];
}

/** The common signature of `keras.applications` (vgg16.py, resnet.py, densenet.py, efficientnet.py, inception_v3.py, …). */
const COMMON_POSITIONAL = ['includeTop', 'weights', 'inputTensor', 'inputShape', 'pooling', 'classes'];

const fixed = (features: number, ends: ActivationId, stride?: number, positional = COMMON_POSITIONAL): BackboneFacts => ({ features: () => features, ends, stride, positional });

/** `keras.applications` classes, keyed by lowercase class name. */
const APPLICATIONS: Record<string, BackboneFacts> = {
  vgg16: fixed(512, 'relu', 32), vgg19: fixed(512, 'relu', 32),
  resnet50: fixed(2048, 'relu', 32), resnet101: fixed(2048, 'relu', 32), resnet152: fixed(2048, 'relu', 32),
  resnet50v2: fixed(2048, 'relu', 32), resnet101v2: fixed(2048, 'relu', 32), resnet152v2: fixed(2048, 'relu', 32),
  // MobileNets and ConvNeXt take other parameters first: only their keyword arguments are read.
  mobilenet: { features: (alpha) => Math.trunc(1024 * alpha), ends: 'relu6', stride: 32, positional: [] },
  mobilenetv2: { features: (alpha) => (alpha > 1 ? makeDivisible(1280 * alpha, 8) : 1280), ends: 'relu6', stride: 32, positional: [] },
  mobilenetv3small: fixed(576, 'hardSwish', 32, []), mobilenetv3large: fixed(960, 'hardSwish', 32, []),
  densenet121: fixed(1024, 'relu', 32), densenet169: fixed(1664, 'relu', 32), densenet201: fixed(1920, 'relu', 32),
  efficientnetb0: fixed(1280, 'swish', 32), efficientnetb1: fixed(1280, 'swish', 32), efficientnetb2: fixed(1408, 'swish', 32),
  efficientnetb3: fixed(1536, 'swish', 32), efficientnetb4: fixed(1792, 'swish', 32), efficientnetb5: fixed(2048, 'swish', 32),
  efficientnetb6: fixed(2304, 'swish', 32), efficientnetb7: fixed(2560, 'swish', 32),
  efficientnetv2b0: fixed(1280, 'swish', 32), efficientnetv2b1: fixed(1280, 'swish', 32), efficientnetv2b2: fixed(1408, 'swish', 32),
  efficientnetv2b3: fixed(1536, 'swish', 32), efficientnetv2s: fixed(1280, 'swish', 32), efficientnetv2m: fixed(1280, 'swish', 32),
  efficientnetv2l: fixed(1280, 'swish', 32),
  // Valid-padded stems: the map's size is not size/32.
  inceptionv3: fixed(2048, 'relu'), inceptionresnetv2: fixed(1536, 'relu'), xception: fixed(2048, 'relu'),
  nasnetmobile: fixed(1056, 'relu'), nasnetlarge: fixed(4032, 'relu'),
  convnexttiny: fixed(768, 'linear', 32, []), convnextsmall: fixed(768, 'linear', 32, []), convnextbase: fixed(1024, 'linear', 32, []),
  convnextlarge: fixed(1536, 'linear', 32, []), convnextxlarge: fixed(2048, 'linear', 32, []),
};

/** keras_hub (and keras_nlp / keras_cv) presets with a documented output width (`hidden_dim`, the last stage's channels). */
const PRESET_WIDTHS: Record<string, number> = {
  bert_tiny_en_uncased: 128, bert_small_en_uncased: 512, bert_medium_en_uncased: 512,
  bert_base_en_uncased: 768, bert_base_en: 768, bert_large_en_uncased: 1024, bert_large_en: 1024,
  distil_bert_base_en_uncased: 768, distil_bert_base_en: 768, roberta_base_en: 768, roberta_large_en: 1024,
  gpt2_base_en: 768, gpt2_medium_en: 1024, gpt2_large_en: 1280, gpt2_extra_large_en: 1600,
  resnet_18_imagenet: 512, resnet_50_imagenet: 2048, resnet_101_imagenet: 2048, resnet_152_imagenet: 2048,
  resnet_v2_50_imagenet: 2048, resnet_v2_101_imagenet: 2048,
};

/** The written preset's width, when it is one InitLint knows. */
function presetWidth(preset: string | undefined): number | undefined {
  return preset !== undefined && Object.hasOwn(PRESET_WIDTHS, preset) ? PRESET_WIDTHS[preset] : undefined;
}

/** `_make_divisible` of keras/src/applications/mobilenet_v2.py. */
function makeDivisible(value: number, divisor: number): number {
  const rounded = Math.max(divisor, Math.trunc(value + divisor / 2) - (Math.trunc(value + divisor / 2) % divisor));
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}

/** Callees that load a model whose inside InitLint cannot read (lowercase last segment). */
const LOADERS = new Set(['load_model', 'loadlayersmodel', 'loadgraphmodel', 'from_preset', 'keraslayer']);

/** Whether a call's last name makes a pretrained block (an application, a loaded model, a preset). */
export function isPretrainedClass(className: string): boolean {
  const key = className.toLowerCase();
  return Object.hasOwn(APPLICATIONS, key) || LOADERS.has(key);
}

/**
 * What a pretrained block puts out: its shape without the batch dimension (NaN where unknown; undefined when
 * nothing is known, a loaded model) and the activation that makes it. Keras applications: the classes of the
 * top (softmax), or the last feature map, pooled to its channels by `pooling='avg'`/`'max'`.
 */
export function pretrainedOutput(call: CallSite, className: string, framework: Framework): { shape?: number[]; ends: ActivationId } {
  const key = className.toLowerCase();
  const application = Object.hasOwn(APPLICATIONS, key) ? APPLICATIONS[key] : undefined;
  if (application) {
    const fields = fieldsOf(call, framework === 'keras' ? application.positional : []);
    if (booleanOf(fields.includeTop) ?? true) {
      const activation = fields.classifierActivation?.value.kind === 'null' ? 'linear' : 'softmax';
      return { shape: [numberOf(fields.classes) ?? 1000], ends: activation };
    }
    const channels = application.features(numberOf(fields.alpha) ?? 1);
    const pooling = stringOf(fields.pooling);
    if (pooling === 'avg' || pooling === 'max') return { shape: [channels], ends: application.ends };
    const [height, width] = shapeOf(fields.inputShape) ?? [];
    const stride = application.stride;
    const reduced = (size: number | undefined) => (stride && size !== undefined && size % stride === 0 ? size / stride : NaN);
    return { shape: [reduced(height), reduced(width), channels], ends: application.ends };
  }
  const fields = fieldsOf(call, ['handle']);
  if (key === 'from_preset') {
    // A task model (`BertTextClassifier.from_preset(…, num_classes=2)`) puts out its classes.
    const classes = numberOf(call.keyword.num_classes ?? call.keyword.numClasses);
    if (/Classifier\.from_preset$/.test(call.callee)) return { shape: classes === undefined ? undefined : [classes], ends: 'linear' };
    const width = presetWidth(stringOf(call.positional[0] ?? call.keyword.preset));
    return { shape: width === undefined ? undefined : [NaN, width], ends: 'linear' };
  }
  // tensorflow_hub's KerasLayer declares what it puts out with `output_shape=`.
  if (key === 'keraslayer') return { shape: shapeOf(fields.outputShape), ends: 'linear' };
  return { ends: 'linear' };
}
