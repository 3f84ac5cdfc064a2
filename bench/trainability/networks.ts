/**
 * The networks the trainability bench trains, each in two forms: TensorFlow.js variables drawn by the
 * framework's own initializers (tfjs-layers, seeded) for training, and the source text a user would write
 * (Keras, or TensorFlow.js where the initializer is tfjs-specific) for InitLint's analysis.
 *
 * MLP: input 784 → `depth` hidden Dense(128, φ) → Dense(10, softmax). Convnet: input 14×14×1 → `depth`
 * Conv2D(8, 3×3, same, φ) → Flatten → Dense(10, softmax). The hidden layers get the initializer under test,
 * the output layer keeps the Keras default (glorot_uniform), as users write it.
 */
import * as tfl from '@tensorflow/tfjs';
import { conv2dFilterGradient } from '../../src/probe/convolutions';
import * as tf from '../../src/probe/tf';
import { secondMoment } from '../../src/core/catalogue/activations';
import { TRUNCATED_NORMAL_VARIANCE_FACTOR } from '../../src/core/math';

export type Architecture = 'mlp' | 'conv' | 'resmlp';
export type ActivationName = 'relu' | 'tanh' | 'selu' | 'swish' | 'gelu';
export type InitName =
  | 'glorotUniform' | 'heUniform' | 'tfjsHeNormal' | 'lecunNormal' | 'swishCritical' | 'geluCritical' | 'randomNormal005'
  | 'zeros' | 'branchScaled';

/**
 * Per architecture: the tables' label, the digits' downsampling (1: 28×28 flattened, 2: 14×14 means) and whether
 * it trains on the MLP budget (steps, seeds) or the convnets' smaller one. `resmlp`: input 784 → Dense(128, relu,
 * He) → `depth` post-activation blocks relu(x + Dense(128)(Dense(128, relu, He)(x))) → Dense(10); the
 * initializer under test is the last branch layer's (residual-growth).
 */
export const ARCHITECTURES: Record<Architecture, { label: string; downsample: 1 | 2; mlpSteps: boolean; mlpSeeds: boolean }> = {
  mlp: { label: 'MLP 128', downsample: 1, mlpSteps: true, mlpSeeds: true },
  conv: { label: 'conv 8', downsample: 2, mlpSteps: false, mlpSeeds: false },
  resmlp: { label: 'residual MLP 128', downsample: 1, mlpSteps: true, mlpSeeds: true },
};

export const MLP_WIDTH = 128;
export const CONV_FILTERS = 8;
const CLASSES = 10;

type Initializer = ReturnType<typeof tfl.initializers.glorotUniform>;

/** c* = 1/m2_φ(1) (SCIENCE.md §6), from the project's own activation moments. */
const criticalScale = (activation: ActivationName) => 1 / secondMoment({ id: activation }, 1);

interface InitFacts {
  /** What the table calls it. */
  label: string;
  /** The tfjs-layers initializer that draws it (`blocks`: a residual stack's, for a branch scale). */
  make: (seed: number, blocks: number) => Initializer;
  /** Var(W) for the given fans: what the framework really samples (SCIENCE.md §3). */
  variance: (fanIn: number, fanOut: number) => number;
  /** Source text of the kernel initializer argument; tfjs-only initializers are analysed as TensorFlow.js. */
  keras?: string | ((blocks: number) => string);
  tfjs?: string;
}

const swishScale = () => Number(criticalScale('swish').toFixed(3));
const geluScale = () => Number(criticalScale('gelu').toFixed(3));
/** Keras's lecun_normal: a truncated normal rescaled to Var = 1/fan_in exactly (tfjs's own leCunNormal keeps 0.77 of it). */
const EXACT_NORMAL = 1 / TRUNCATED_NORMAL_VARIANCE_FACTOR;

export const INITS: Record<InitName, InitFacts> = {
  glorotUniform: {
    label: 'glorot_uniform', keras: '"glorot_uniform"',
    make: (seed) => tfl.initializers.glorotUniform({ seed }), variance: (i, o) => 2 / (i + o),
  },
  heUniform: {
    label: 'he_uniform', keras: '"he_uniform"',
    make: (seed) => tfl.initializers.heUniform({ seed }), variance: (i) => 2 / i,
  },
  tfjsHeNormal: {
    label: 'tfjs heNormal', tfjs: "'heNormal'",
    make: (seed) => tfl.initializers.heNormal({ seed }), variance: (i) => (TRUNCATED_NORMAL_VARIANCE_FACTOR * 2) / i,
  },
  lecunNormal: {
    label: 'lecun_normal', keras: '"lecun_normal"',
    make: (seed) => tfl.initializers.varianceScaling({ scale: EXACT_NORMAL, mode: 'fanIn', distribution: 'normal', seed }), variance: (i) => 1 / i,
  },
  swishCritical: {
    label: `VS(${swishScale()}) (c* swish)`,
    keras: `keras.initializers.VarianceScaling(scale=${swishScale()}, mode="fan_in", distribution="uniform")`,
    make: (seed) => tfl.initializers.varianceScaling({ scale: swishScale(), mode: 'fanIn', distribution: 'uniform', seed }), variance: (i) => swishScale() / i,
  },
  geluCritical: {
    label: `VS(${geluScale()}) (c* gelu)`,
    keras: `keras.initializers.VarianceScaling(scale=${geluScale()}, mode="fan_in", distribution="uniform")`,
    make: (seed) => tfl.initializers.varianceScaling({ scale: geluScale(), mode: 'fanIn', distribution: 'uniform', seed }), variance: (i) => geluScale() / i,
  },
  randomNormal005: {
    label: 'RandomNormal(0.05)', keras: 'keras.initializers.RandomNormal(stddev=0.05)',
    make: (seed) => tfl.initializers.randomNormal({ mean: 0, stddev: 0.05, seed }), variance: () => 0.0025,
  },
  // residual-growth's fixes for the last layer of each residual branch: Fixup/SkipInit's zeros, and He's
  // variance over 2·blocks.
  zeros: { label: 'zeros', keras: '"zeros"', make: () => tfl.initializers.zeros(), variance: () => 0 },
  branchScaled: {
    label: 'He/(2·blocks)',
    keras: (blocks) => `keras.initializers.VarianceScaling(scale=${1 / blocks}, mode="fan_in", distribution="uniform")`,
    make: (seed, blocks) => tfl.initializers.varianceScaling({ scale: 1 / blocks, mode: 'fanIn', distribution: 'uniform', seed }), variance: (i) => 2 / i,
  },
};

export const ACTIVATION_FUNCTIONS: Record<ActivationName, (z: tf.Tensor) => tf.Tensor> = {
  relu: (z) => tf.relu(z),
  tanh: (z) => tf.tanh(z),
  // tfjs's selu op has Keras's λ and α.
  selu: (z) => tf.selu(z),
  swish: (z) => tf.mul(z, tf.sigmoid(z)),
  // Keras's default GELU is the exact (erf) form.
  gelu: (z) => tf.mul(tf.mul(z, 0.5), tf.add(1, tf.erf(tf.mul(z, Math.SQRT1_2)))),
};

export interface NetworkSpec {
  arch: Architecture;
  activation: ActivationName;
  /** Hidden kernel layers (Dense or Conv2D); the output Dense comes on top. */
  depth: number;
  init: InitName;
}

export interface Network {
  variables: tf.Variable[];
  /** Logits for a batch of flattened inputs. */
  logits: (x: tf.Tensor2D) => tf.Tensor2D;
}

/**
 * Dense with explicit transposes in the backward pass: tfjs-backend-wasm's transposed matMul is about twice
 * as slow as transpose + matMul (bench/probe.ts measures the same).
 */
const dense = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [h, w, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([h, w]);
  return {
    value: tf.matMul(h, w),
    gradFunc: (dy: tf.Tensor, [hs, ws]: tf.Tensor[]) => [
      tf.matMul(dy as tf.Tensor2D, tf.transpose(ws) as tf.Tensor2D),
      tf.matMul(tf.transpose(hs) as tf.Tensor2D, dy as tf.Tensor2D),
    ],
  };
}) as (h: tf.Tensor, w: tf.Tensor) => tf.Tensor2D;

/** Conv2D 3×3 stride 1 'same' whose filter gradient runs as a forward convolution: the WASM backend has no Conv2DBackpropFilter. */
const conv = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.conv2d(x, w, 1, 'same'),
    gradFunc: (dy: tf.Tensor, [xs, ws]: tf.Tensor[]) => [
      tf.conv2dTranspose(dy as tf.Tensor4D, ws as tf.Tensor4D, xs.shape as [number, number, number, number], 1, 'same'),
      conv2dFilterGradient(xs as tf.Tensor4D, dy as tf.Tensor4D, ws.shape, [1, 1], 'same'),
    ],
  };
}) as (x: tf.Tensor, w: tf.Tensor) => tf.Tensor4D;

/** Each kernel gets its own seed from the run's seed, so every layer's draw is fixed and distinct. */
export function buildNetwork(spec: NetworkSpec, side: number, seed: number): Network {
  const variables: tf.Variable[] = [];
  const kernel = (shape: number[], init: InitName, layer: number) => {
    const variable = tf.variable(tf.tidy(() => INITS[init].make(seed * 1000 + layer, spec.depth).apply(shape) as tf.Tensor));
    variables.push(variable);
    return variable;
  };
  const bias = (units: number) => {
    const variable = tf.variable(tf.zeros([units]));
    variables.push(variable);
    return variable;
  };
  if (spec.arch === 'resmlp') return residualNetwork(spec, side, kernel, bias, variables);
  const phi = ACTIVATION_FUNCTIONS[spec.activation];
  const hidden: { w: tf.Variable; b: tf.Variable }[] = [];
  let width = spec.arch === 'mlp' ? side * side : 1;
  const units = spec.arch === 'mlp' ? MLP_WIDTH : CONV_FILTERS;
  for (let layer = 0; layer < spec.depth; layer++) {
    hidden.push({ w: kernel(spec.arch === 'mlp' ? [width, units] : [3, 3, width, units], spec.init, layer), b: bias(units) });
    width = units;
  }
  const flat = spec.arch === 'mlp' ? units : side * side * units;
  const output = { w: kernel([flat, CLASSES], 'glorotUniform', spec.depth), b: bias(CLASSES) };
  const logits = (x: tf.Tensor2D): tf.Tensor2D => {
    if (spec.arch === 'mlp') {
      const h = hidden.reduce((input: tf.Tensor2D, layer) => phi(tf.add(dense(input, layer.w), layer.b)) as tf.Tensor2D, x);
      return tf.add(dense(h, output.w), output.b);
    }
    const image = tf.reshape(x, [x.shape[0], side, side, 1]) as tf.Tensor4D;
    const h = hidden.reduce((input: tf.Tensor4D, layer) => phi(tf.add(conv(input, layer.w), layer.b)) as tf.Tensor4D, image);
    return tf.add(dense(tf.reshape(h, [x.shape[0], flat]) as tf.Tensor2D, output.w), output.b);
  };
  return { variables, logits };
}

/** The residual MLP of `ARCHITECTURES.resmlp`: He everywhere but the last layer of each branch. */
function residualNetwork(
  spec: NetworkSpec, side: number, kernel: (shape: number[], init: InitName, layer: number) => tf.Variable, bias: (units: number) => tf.Variable, variables: tf.Variable[],
): Network {
  const layer = (fanIn: number, units: number, init: InitName, index: number) => ({ w: kernel([fanIn, units], init, index), b: bias(units) });
  const stem = layer(side * side, MLP_WIDTH, 'heUniform', 0);
  const blocks = Array.from({ length: spec.depth }, (_, block) => ({
    inner: layer(MLP_WIDTH, MLP_WIDTH, 'heUniform', 1 + 2 * block),
    last: layer(MLP_WIDTH, MLP_WIDTH, spec.init, 2 + 2 * block),
  }));
  const output = layer(MLP_WIDTH, CLASSES, 'glorotUniform', 1 + 2 * spec.depth);
  const affine = (h: tf.Tensor, { w, b }: { w: tf.Variable; b: tf.Variable }) => tf.add(dense(h, w), b);
  const logits = (x: tf.Tensor2D): tf.Tensor2D => {
    let h = tf.relu(affine(x, stem));
    for (const { inner, last } of blocks) h = tf.relu(tf.add(h, affine(tf.relu(affine(h, inner)), last)));
    return affine(h, output) as tf.Tensor2D;
  };
  return { variables, logits };
}

/** What a user would write for this network: Keras, or TensorFlow.js when the initializer only exists there. */
export function networkSource(spec: NetworkSpec, side: number): { source: string; fileName: string } {
  const facts = INITS[spec.init];
  const keras = typeof facts.keras === 'function' ? facts.keras(spec.depth) : facts.keras;
  if (spec.arch === 'resmlp') {
    const lines = [
      'import keras', 'from keras import layers', '', `inputs = keras.Input(shape=(${side * side},))`,
      `x = layers.Dense(${MLP_WIDTH}, activation="relu", kernel_initializer="he_uniform")(inputs)`, `for _ in range(${spec.depth}):`,
      `    h = layers.Dense(${MLP_WIDTH}, activation="relu", kernel_initializer="he_uniform")(x)`, `    h = layers.Dense(${MLP_WIDTH}, kernel_initializer=${keras})(h)`,
      '    x = layers.ReLU()(layers.Add()([x, h]))', `outputs = layers.Dense(${CLASSES}, activation="softmax")(x)`, 'model = keras.Model(inputs, outputs)', '',
    ];
    return { source: lines.join('\n'), fileName: 'trainability_model.py' };
  }
  if (keras) {
    const hidden = spec.arch === 'mlp'
      ? `layers.Dense(${MLP_WIDTH}, activation="${spec.activation}", kernel_initializer=${keras})`
      : `layers.Conv2D(${CONV_FILTERS}, 3, padding="same", activation="${spec.activation}", kernel_initializer=${keras})`;
    const input = spec.arch === 'mlp' ? `keras.Input(shape=(${side * side},))` : `keras.Input(shape=(${side}, ${side}, 1))`;
    const lines = ['import keras', 'from keras import layers', '', 'model = keras.Sequential([', `    ${input},`];
    for (let i = 0; i < spec.depth; i++) lines.push(`    ${hidden},`);
    if (spec.arch === 'conv') lines.push('    layers.Flatten(),');
    lines.push(`    layers.Dense(${CLASSES}, activation="softmax"),`, '])', '');
    return { source: lines.join('\n'), fileName: 'trainability_model.py' };
  }
  const first = spec.arch === 'mlp' ? `inputShape: [${side * side}], ` : `inputShape: [${side}, ${side}, 1], `;
  const hidden = (i: number) => spec.arch === 'mlp'
    ? `model.add(tf.layers.dense({ ${i === 0 ? first : ''}units: ${MLP_WIDTH}, activation: '${spec.activation}', kernelInitializer: ${facts.tfjs} }));`
    : `model.add(tf.layers.conv2d({ ${i === 0 ? first : ''}filters: ${CONV_FILTERS}, kernelSize: 3, padding: 'same', activation: '${spec.activation}', kernelInitializer: ${facts.tfjs} }));`;
  const lines = ["import * as tf from '@tensorflow/tfjs';", '', 'const model = tf.sequential();'];
  for (let i = 0; i < spec.depth; i++) lines.push(hidden(i));
  if (spec.arch === 'conv') lines.push('model.add(tf.layers.flatten());');
  lines.push(`model.add(tf.layers.dense({ units: ${CLASSES}, activation: 'softmax', kernelInitializer: 'glorotUniform' }));`, '');
  return { source: lines.join('\n'), fileName: 'trainability_model.ts' };
}

/**
 * Mean-field prediction by hand (SCIENCE.md §1), independent of InitLint's code paths: the hidden-to-hidden
 * gain of one square layer at q = 1, c·m2_φ(1), and the forward factor q_last/q_first over the hidden layers.
 */
export function meanFieldForward(spec: NetworkSpec, side: number): { layerGain: number; forwardFactor: number } {
  // A residual stack's growth is not a product of per-layer gains: InitLint's own numbers only.
  if (spec.arch === 'resmlp') return { layerGain: Number.NaN, forwardFactor: Number.NaN };
  const units = spec.arch === 'mlp' ? MLP_WIDTH : CONV_FILTERS;
  const receptive = spec.arch === 'mlp' ? 1 : 9;
  const facts = INITS[spec.init];
  const fanIn = (layer: number) => receptive * (layer === 0 ? (spec.arch === 'mlp' ? side * side : 1) : units);
  const c = (layer: number) => fanIn(layer) * facts.variance(fanIn(layer), receptive * units);
  const m2 = (q: number) => secondMoment({ id: spec.activation }, q);
  let q = c(0);
  const first = q;
  for (let layer = 1; layer < spec.depth; layer++) q = c(layer) * m2(q);
  return { layerGain: c(1) * m2(1), forwardFactor: q / first };
}
