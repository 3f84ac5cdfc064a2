/** residual-growth: un-normalized residual stacks whose variance compounds block after block. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../src/project/analyzeSource';
import { residualStacks } from '../../../src/core/rules/residualGrowth';
import { applyFix, findings, rules } from '../../helpers/snippets';

const growth = (code: string, fileName = 'model.py', config = {}) => findings(code, fileName, config).filter((finding) => finding.rule === 'residual-growth');

/** Post-activation blocks, relu(x + Dense(Dense_relu(x))), He on both branch layers, no normalization. */
const keras = (blocks: number, last = '"he_normal"', extra = '') => `import keras
from keras import layers

inputs = keras.Input(shape=(256,))
x = layers.Dense(256, activation="relu", kernel_initializer="he_normal")(inputs)
for _ in range(${blocks}):
    h = layers.Dense(256, activation="relu", kernel_initializer="he_normal")(x)
    h = layers.Dense(256, kernel_initializer=${last})(h)
${extra}    x = layers.ReLU()(layers.Add()([x, h]))
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
`;

/** Pre-activation blocks, x + Dense(Dense_relu(relu(x))), as TensorFlow.js. */
const tfjs = (blocks: number, last = "'heUniform'") => `import * as tf from '@tensorflow/tfjs';

const input = tf.input({shape: [256]});
let x = tf.layers.dense({units: 256, kernelInitializer: 'heUniform'}).apply(input) as tf.SymbolicTensor;
for (let i = 0; i < ${blocks}; i++) {
  let h = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  h = tf.layers.dense({units: 256, activation: 'relu', kernelInitializer: 'heUniform'}).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({units: 256, kernelInitializer: ${last}}).apply(h) as tf.SymbolicTensor;
  x = tf.layers.add().apply([x, h]) as tf.SymbolicTensor;
}
const output = tf.layers.dense({units: 10, activation: 'softmax'}).apply(x) as tf.SymbolicTensor;
const model = tf.model({inputs: input, outputs: output});
`;

test('Keras: 10 post-activation He blocks without normalization warn on the last branch layer, with the numbers', () => {
  const [finding, ...rest] = growth(keras(10));
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  // The second "he_normal" in the loop: the layer that feeds the Add, once for its 10 repetitions.
  assert.equal(finding.at, '"he_normal"');
  assert.equal(finding.finding.span.start, keras(10).indexOf('kernel_initializer="he_normal")(h)') + 'kernel_initializer='.length);
  assert.equal(finding.finding.layers.length, 10);
  assert.match(finding.message, /on the last layer of 10 residual branches with no normalization: the residual stream's variance grows ×2\.4 per block over 10 blocks → ×7\.6e\+3 at the last Add/);
  assert.match(finding.message, /zeros \(Fixup\/SkipInit: each block starts as the identity\) keeps it at 0\.84/);
  assert.match(finding.message, /variance_scaling\(scale=0\.1, mode='fan_in', distribution='truncated_normal'\) \(Var\(W\)\/\(2·10\)\) gives 2\.3/);
  // The quoted factor is propagation's: q at the last Add over E[x²] of the stack's input.
  const analysis = analyzeSource(keras(10), 'model.py').models[0];
  const [stack] = residualStacks(analysis.model, analysis.ruleMoments);
  assert.equal(stack.blocks.length, 10);
  assert.ok(Math.abs(stack.growth / 7600 - 1) < 0.01, `growth ${stack.growth}`);
});

test('TensorFlow.js: 10 pre-activation blocks double the stream per block (×2¹⁰); uniform forms in the fixes', () => {
  const [finding, ...rest] = growth(tfjs(10), 'model.ts');
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.equal(finding.at, "'heUniform'");
  assert.match(finding.message, /^'heUniform' on the last layer of 10 residual branches with no normalization: the residual stream's variance grows ×2 per block over 10 blocks → ×1e\+3 at the last Add/);
  assert.match(finding.message, /zeros .* keeps it at 1; varianceScaling\(\{scale: 0\.1, mode: 'fanIn', distribution: 'uniform'\}\) \(Var\(W\)\/\(2·10\)\) keeps it at 1\.6\.$/);
  assert.deepEqual(finding.finding.fixes.map((fix) => [fix.title, fix.preferred]), [
    ['Use zeros', true],
    ["Use varianceScaling({scale: 0.1, mode: 'fanIn', distribution: 'uniform'})", false],
  ]);
});

test('fixes: zeros (preferred) and the 1/(2·blocks) branch scale, applied and analysed again, leave nothing', () => {
  for (const [code, fileName] of [[keras(10), 'model.py'], [tfjs(10), 'model.ts']] as const) {
    const [finding] = growth(code, fileName);
    const zeroed = applyFix(code, finding.finding, 0);
    assert.match(zeroed, fileName === 'model.py' ? /layers\.Dense\(256, kernel_initializer="zeros"\)\(h\)/ : /kernelInitializer: 'zeros'\}\)\.apply\(h\)/);
    // The zero last layer is a Fixup branch: neither residual-growth nor symmetric-init.
    assert.deepEqual(rules(zeroed, fileName, { rules: { 'residual-growth': 'hint' } }), []);
    const scaled = applyFix(code, finding.finding, 1);
    assert.match(scaled, fileName === 'model.py'
      ? /kernel_initializer=keras\.initializers\.VarianceScaling\(scale=0\.1, mode='fan_in', distribution='truncated_normal'\)\)\(h\)/
      : /kernelInitializer: tf\.initializers\.varianceScaling\(\{scale: 0\.1, mode: 'fanIn', distribution: 'uniform'\}\)\}\)/);
    assert.deepEqual(rules(scaled, fileName), []);
  }
});

test('silent with BatchNormalization or LayerNormalization in each block: the branch no longer scales with its input', () => {
  assert.deepEqual(rules(keras(10, '"he_normal"', '    h = layers.BatchNormalization()(h)\n')), []);
  assert.deepEqual(rules(keras(10, '"he_normal"', '    h = layers.LayerNormalization()(h)\n')), []);
  // A pre-LN transformer-like stack: LayerNormalization opens each branch.
  const preNorm = `import keras
from keras import layers
inputs = keras.Input(shape=(64, 128))
x = inputs
for _ in range(12):
    h = layers.LayerNormalization()(x)
    h = layers.Dense(512, activation="gelu")(h)
    h = layers.Dense(128)(h)
    x = layers.add([x, h])
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
`;
  assert.deepEqual(growth(preNorm), []);
});

test('silent when the last branch layer already starts at zero (Fixup/SkipInit), or small enough', () => {
  assert.deepEqual(rules(keras(10, '"zeros"')), []);
  assert.deepEqual(rules(tfjs(10, "'zeros'"), 'model.ts'), []);
  assert.deepEqual(rules(keras(10, 'keras.initializers.VarianceScaling(scale=0.1, mode="fan_in")')), []);
});

test('silent on 2 blocks; 3 blocks at ×17 are a hint, 4 at ×40 a warning (measured: ×25); a configured threshold replaces it', () => {
  assert.deepEqual(growth(keras(2)), []);
  const [hint] = growth(keras(3));
  assert.equal(hint.severity, 'hint');
  assert.match(hint.message, /over 3 blocks → ×17 at the last Add/);
  const [warning] = growth(keras(4));
  assert.equal(warning.severity, 'warning');
  assert.match(warning.message, /over 4 blocks → ×40 at the last Add/);
  assert.equal(growth(keras(4), 'model.py', { threshold: 60 })[0].severity, 'hint');
  assert.equal(growth(keras(3), 'model.py', { threshold: 10 })[0].severity, 'warning');
  assert.equal(growth(keras(10), 'model.py', { threshold: 1e4 })[0].severity, 'hint');
  assert.deepEqual(growth(keras(10), 'model.py', { threshold: 1e4, hintThreshold: 1e4 }), []);
});

test('a ResNet without normalization: the stack goes on through the stages\' projection shortcuts', () => {
  const code = `import keras
from keras import layers

def block(x, filters, stride=1):
    shortcut = x
    y = layers.Conv2D(filters, 3, strides=stride, padding="same", activation="relu", kernel_initializer="he_normal")(x)
    y = layers.Conv2D(filters, 3, padding="same", kernel_initializer="he_normal")(y)
    if stride != 1:
        shortcut = layers.Conv2D(filters, 1, strides=stride, kernel_initializer="he_normal")(x)
    return layers.Activation("relu")(layers.Add()([shortcut, y]))

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(16, 3, padding="same", activation="relu", kernel_initializer="he_normal")(inputs)
for filters in (16, 32, 64):
    for i in range(3):
        x = block(x, filters, stride=2 if (i == 0 and filters != 16) else 1)
outputs = layers.Dense(10, activation="softmax")(layers.GlobalAveragePooling2D()(x))
model = keras.Model(inputs, outputs)
`;
  const [finding, ...rest] = growth(code);
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.match(finding.message, /on the last layer of 9 residual branches .* over 9 blocks → ×1\.2e\+3 at the last Add/);
  // The projection shortcuts are not branches: only the second conv of each block is blamed.
  assert.equal(finding.finding.layers.length, 9);
  assert.deepEqual(rules(applyFix(code, finding.finding, 0)), []);
});

test('a zero last layer under ReLU is symmetric-init\'s (the branch would never train), not also residual-growth\'s', () => {
  const code = keras(4, '"zeros"', '    h = layers.ReLU()(h)\n');
  assert.deepEqual(rules(code, 'model.py', { rules: { 'residual-growth': 'warning' } }), ['symmetric-init']);
});

test('a stack deep enough to overflow double precision is still reported: ×∞, at the rate it had until then', () => {
  // 2.4^807 passes 1.8e308: q at the later Adds is no longer a number.
  const [finding] = growth(keras(1000));
  assert.equal(finding.severity, 'warning');
  assert.match(finding.message, /grows ×2\.4 per block over 1000 blocks → ×∞ at the last Add; zeros .* keeps it at 0\.8/);
});

test('a helper that writes every Dense: reported, but no fix that would zero the stem and the inner layers too', () => {
  const code = `import keras
from keras import layers


def dense(x, activation=None):
    return layers.Dense(128, activation=activation, kernel_initializer="he_uniform")(x)


inputs = keras.Input(shape=(64,))
x = dense(inputs, "relu")
for _ in range(8):
    x = layers.ReLU()(layers.Add()([x, dense(dense(x, "relu"))]))
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
`;
  const [finding, ...rest] = growth(code);
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.deepEqual(finding.finding.fixes, []);
  assert.match(finding.message, /over 8 blocks → .* at the last Add\. This initializer is also written for 9 other layers: give the branches' last layers their own, zeros \(Fixup\/SkipInit\) or Var\(W\)\/\(2·8\)\./);
});

/** EDSR's residual block (Lim et al. 2017): conv-ReLU-conv, Keras's default Glorot, the branch times `scaling`. */
const edsr = (blocks: number, scaling: string, filters = 256) => `import keras
from keras import layers

def res_block(x_in, filters, scaling):
    x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x_in)
    x = layers.Conv2D(filters, 3, padding="same")(x)
    if scaling:
        x = layers.Lambda(lambda t: t * scaling)(x)
    return layers.Add()([x_in, x])

x_in = keras.Input(shape=(48, 48, 3))
x = b = layers.Conv2D(${filters}, 3, padding="same")(x_in)
for i in range(${blocks}):
    b = res_block(b, ${filters}, ${scaling})
b = layers.Conv2D(${filters}, 3, padding="same")(b)
x = layers.Add()([x, b])
model = keras.Model(x_in, layers.Conv2D(3, 3, padding="same")(x))
`;

test('EDSR: a branch scaled by a constant (Lambda(lambda t: t * 0.1)) grows by 1 + c²·gain per block, not by 1 + gain', () => {
  // Glorot on a square conv keeps the variance; the ReLU halves it: the branch adds half the stream, ×1.5 per block
  // (1.5³² = 4.3e5, less the 48×48 maps' borders, where a 'same' conv sums fewer inputs).
  const [unscaled] = growth(edsr(32, 'None'));
  assert.equal(unscaled.severity, 'warning');
  assert.match(unscaled.message, /grows ×1\.5 per block over 32 blocks → ×3\.5e\+5 at the last Add/);
  // The paper's residual scaling 0.1: (1 + 0.01·0.5)^32 = 1.17, nothing to report.
  assert.deepEqual(growth(edsr(32, '0.1'), 'model.py'), []);
  assert.deepEqual(findings(edsr(32, '0.1'), 'model.py', {}).filter((finding) => finding.severity !== 'hint').map((finding) => finding.rule), []);
  // 0.5: (1 + 0.25·0.5)^32 = 43 (37 with the borders), a warning that counts the scale in its numbers and in each fix's.
  const [half] = growth(edsr(32, '0.5'));
  assert.match(half.message, /grows ×1\.1 per block over 32 blocks → ×37 at the last Add; zeros \(Fixup\/SkipInit: each block starts as the identity\) keeps it at 1;/);
  const analysis = analyzeSource(edsr(32, '0.5'), 'model.py').models[0];
  const [stack] = residualStacks(analysis.model, analysis.ruleMoments);
  assert.deepEqual([...stack.blocks[0].branchScales.values()], [0.5]);
});

test('a scale written as a Rescaling layer counts too (TensorFlow.js tf.layers.rescaling); one with an offset leaves the block unjudged', () => {
  const code = (rescaling: string) => `import * as tf from '@tensorflow/tfjs';
const input = tf.input({shape: [256]});
let x = tf.layers.dense({units: 256, kernelInitializer: 'heNormal'}).apply(input) as tf.SymbolicTensor;
for (let i = 0; i < 16; i++) {
  let h = tf.layers.dense({units: 256, activation: 'relu', kernelInitializer: 'heNormal'}).apply(x) as tf.SymbolicTensor;
  h = tf.layers.dense({units: 256, kernelInitializer: 'heNormal'}).apply(h) as tf.SymbolicTensor;
  h = tf.layers.rescaling(${rescaling}).apply(h) as tf.SymbolicTensor;
  x = tf.layers.add().apply([x, h]) as tf.SymbolicTensor;
}
const model = tf.model({inputs: input, outputs: tf.layers.dense({units: 10}).apply(x) as tf.SymbolicTensor});
`;
  // tfjs's heNormal is a truncated normal it does not correct (×0.7737): the branch adds 1.2× the stream, ×2.2 per block.
  assert.match(growth(code('{scale: 1}'), 'model.ts')[0]?.message ?? '', /grows ×2\.2 per block over 16 blocks → ×3e\+5 at the last Add/);
  assert.deepEqual(growth(code('{scale: 0.1}'), 'model.ts'), []);
  assert.deepEqual(growth(code('{scale: 2, offset: 1}'), 'model.ts'), []);
});

test('silent on bounded branches (a tanh, a WaveNet gate): the branch stops scaling with the stream, which grows by a constant per block', () => {
  const wavenet = `import keras
from keras import layers

inputs = keras.Input(shape=(None, 64))
x = inputs
for dilation in [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] * 3:
    t = layers.Conv1D(64, 2, dilation_rate=dilation, padding="causal", activation="tanh")(x)
    s = layers.Conv1D(64, 2, dilation_rate=dilation, padding="causal", activation="sigmoid")(x)
    z = layers.Conv1D(64, 1, kernel_initializer="he_normal")(layers.Multiply()([t, s]))
    x = layers.Add()([x, z])
model = keras.Model(inputs, layers.Conv1D(256, 1, activation="softmax")(x))
`;
  assert.deepEqual(growth(wavenet), []);
  const tanhBranch = keras(10).replace('activation="relu", kernel_initializer="he_normal")(x)', 'activation="tanh", kernel_initializer="he_normal")(x)');
  assert.deepEqual(growth(tanhBranch), []);
});

test('a shared initializer on branches that end in a ReLU (keras-tcn\'s block): zeros are not advised, a zero branch would never train', () => {
  const code = `from tensorflow import keras
from tensorflow.keras import layers


def residual_block(x, dilation_rate, nb_filters=64):
    x1 = x
    for k in range(2):
        x1 = layers.Conv1D(nb_filters, 3, dilation_rate=dilation_rate, padding="causal", kernel_initializer="he_normal")(x1)
        x1 = layers.Activation("relu")(x1)
    x1 = layers.Activation("relu")(x1)
    return layers.Activation("relu")(layers.add([x, x1]))


inputs = keras.Input(shape=(100, 64))
x = inputs
for d in (1, 2, 4, 8, 16, 32):
    x = residual_block(x, d)
model = keras.Model(inputs, layers.Dense(1)(x[:, -1, :]))
`;
  const [finding, ...rest] = growth(code);
  assert.equal(rest.length, 0);
  assert.deepEqual(finding.finding.fixes, []);
  assert.match(finding.message, /This initializer is also written for \d+ other layers?: give the branches' last layers their own, Var\(W\)\/\(2·\d\)\.$/);
});

test('InstanceNormalization (TensorFlow Addons, keras-contrib) in each branch is a normalization: silent, and the stream after it is unit scale', () => {
  const code = `import tensorflow_addons as tfa
from tensorflow import keras
from tensorflow.keras import layers

x = inputs = keras.Input(shape=(64, 64, 256))
for _ in range(9):
    h = layers.Conv2D(256, 3, padding="same", kernel_initializer="he_normal")(x)
    h = tfa.layers.InstanceNormalization()(h)
    h = layers.Activation("relu")(h)
    h = layers.Conv2D(256, 3, padding="same", kernel_initializer="he_normal")(h)
    h = tfa.layers.InstanceNormalization()(h)
    x = layers.add([x, h])
model = keras.Model(inputs, x)
`;
  assert.deepEqual(growth(code), []);
  const analysis = analyzeSource(code, 'model.py').models[0];
  const norms = analysis.model.layers.filter((layer) => layer.className === 'InstanceNormalization');
  assert.equal(norms.length, 18);
  assert.ok(norms.every((layer) => layer.kind === 'groupNormalization' && analysis.ruleMoments.q[layer.index] === 1));
});

/** Xception-style blocks without normalization in TensorFlow.js: relu → separable(relu) → separable → Add. */
const tfjsSeparable = (last: string) => `import * as tf from '@tensorflow/tfjs';
const wide = tf.initializers.varianceScaling({scale: 2, mode: 'fanOut', distribution: 'uniform'});
const input = tf.input({shape: [19, 19, 128]});
let x = tf.layers.conv2d({filters: 128, kernelSize: 3, padding: 'same', kernelInitializer: 'heNormal'}).apply(input) as tf.SymbolicTensor;
for (let i = 0; i < 8; i++) {
  let h = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  h = tf.layers.separableConv2d({filters: 128, kernelSize: 3, padding: 'same', activation: 'relu', depthwiseInitializer: wide}).apply(h) as tf.SymbolicTensor;
  h = tf.layers.separableConv2d({filters: 128, kernelSize: 3, padding: 'same', depthwiseInitializer: ${last}}).apply(h) as tf.SymbolicTensor;
  x = tf.layers.add().apply([x, h]) as tf.SymbolicTensor;
}
const model = tf.model({inputs: input, outputs: tf.layers.dense({units: 10}).apply(tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor) as tf.SymbolicTensor});
`;

test('TensorFlow.js separable convs ending a branch: no zeros (they would zero both kernels), a scale fitted to both kernels', () => {
  const code = tfjsSeparable('wide');
  const [finding, ...rest] = growth(code, 'model.ts');
  assert.equal(rest.length, 0);
  assert.match(finding.message, /grows ×4\.8 per block over 8 blocks/);
  assert.ok(!finding.message.includes('zeros'), finding.message);
  // Each separable conv here has a gain of 2 (depthwise) × 2 (pointwise, in = filters): the fix divides the product by 2·8.
  assert.match(finding.message, /varianceScaling\(\{scale: 5\.657, mode: 'fanIn', distribution: 'uniform'\}\) \(both kernels: their product of gains over 2·8\) gives 5\.3/);
  const fixed = applyFix(code, finding.finding);
  const after = growth(fixed, 'model.ts');
  assert.ok(after.every((other) => other.severity === 'hint'), after.map((other) => other.message).join('\n'));
});

test('a TensorFlow.js separable conv whose depthwiseInitializer is zeros is no Fixup branch: both kernels are zero and neither trains', () => {
  const found = findings(tfjsSeparable("'zeros'"), 'model.ts', {});
  assert.deepEqual(found.map((finding) => finding.rule), ['symmetric-init']);
  // In Keras only the depthwise kernel is zero (pointwise_initializer keeps its own): Fixup, intended.
  const keras = `import keras
from keras import layers
inputs = keras.Input(shape=(19, 19, 128))
x = layers.Conv2D(128, 3, padding="same", kernel_initializer="he_normal")(inputs)
for _ in range(8):
    h = layers.ReLU()(x)
    h = layers.SeparableConv2D(128, 3, padding="same", activation="relu")(h)
    h = layers.SeparableConv2D(128, 3, padding="same", depthwise_initializer="zeros")(h)
    x = layers.Add()([x, h])
model = keras.Model(inputs, layers.Dense(10)(layers.GlobalAveragePooling2D()(x)))
`;
  assert.deepEqual(findings(keras, 'model.py', {}).filter((finding) => finding.rule === 'symmetric-init' || finding.rule === 'residual-growth'), []);
});

test('silent on a branch scaled by a learned scalar of a custom layer (SkipInit, ReZero, LayerScale): a scale the core cannot read is not taken as 1', () => {
  const skipInit = `import keras
from keras import layers


class SkipInit(layers.Layer):
    def build(self, input_shape):
        self.alpha = self.add_weight(name="alpha", shape=(), initializer="zeros")

    def call(self, inputs):
        return inputs * self.alpha


inputs = keras.Input(shape=(256,))
x = layers.Dense(256, kernel_initializer="he_normal")(inputs)
for _ in range(16):
    h = layers.Dense(256, activation="relu", kernel_initializer="he_normal")(x)
    h = layers.Dense(256, kernel_initializer="he_normal")(h)
    x = layers.Add()([x, SkipInit()(h)])
model = keras.Model(inputs, layers.Dense(10)(x))
`;
  assert.deepEqual(growth(skipInit), []);
  const reZero = skipInit
    .replace('    def call(self, inputs):\n        return inputs * self.alpha', '    def call(self, inputs):\n        x, h = inputs\n        return x + self.alpha * h')
    .replace('x = layers.Add()([x, SkipInit()(h)])', 'x = SkipInit()([x, h])');
  assert.ok(reZero.includes('self.alpha * h') && reZero.includes('SkipInit()([x, h])'));
  assert.deepEqual(growth(reZero), []);
  // Without the scalar the same stack grows ×3 per block.
  assert.equal(growth(skipInit.replace('x = layers.Add()([x, SkipInit()(h)])', 'x = layers.Add()([x, h])')).length, 1);
});
