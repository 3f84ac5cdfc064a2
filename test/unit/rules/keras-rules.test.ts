/** Each rule on Keras snippets: the finding, where it points, its numbers, and its fix. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../src/project/analyzeSource';
import { applyFix, findings, models, rules } from '../../helpers/snippets';

const deepRelu = (init: string, depth = 20) => `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(256,))])
for _ in range(${depth}):
    model.add(layers.Dense(256, activation="relu"${init}))
model.add(layers.Dense(10))
`;

test('relu-glorot-deep: the Keras default on 20 ReLU layers, with the numbers of the spec', () => {
  const [finding] = findings(deepRelu(''));
  assert.equal(finding.rule, 'relu-glorot-deep');
  assert.equal(finding.severity, 'warning');
  assert.equal(finding.at, 'layers.Dense');
  // Measured from the first layer's output (its own gain only rescales the input): 19 halvings.
  assert.match(finding.message, /20 ReLU layers: forward variance ×0\.5 per layer → 1\.9e-6 at layer 20; he_uniform keeps it at 1\./);
});

test('relu-glorot-deep: the fix inserts He of the same family and the finding goes away', () => {
  const code = deepRelu(', kernel_initializer="glorot_normal"');
  const [finding] = findings(code);
  assert.equal(finding.at, '"glorot_normal"');
  const fixed = applyFix(code, finding.finding);
  assert.match(fixed, /kernel_initializer="he_normal"/);
  assert.deepEqual(rules(fixed), []);
  const inserted = applyFix(deepRelu(''), findings(deepRelu(''))[0].finding);
  // The file quotes with ", so the inserted string does too.
  assert.match(inserted, /activation="relu", kernel_initializer="he_uniform"\)\)/);
  assert.deepEqual(rules(inserted), []);
});

test('relu-glorot-deep stays quiet on shallow stacks and when BatchNormalization breaks the chain', () => {
  // Four layers: ×0.5³ = 0.125 is better with He in theory, but training does not suffer: a hint.
  assert.deepEqual(rules(deepRelu('', 4)), ['hint:relu-glorot-deep']);
  assert.deepEqual(rules(deepRelu('', 2)), []);
  const withBatchNorm = `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(64,))])
for _ in range(30):
    model.add(layers.Dense(64))
    model.add(layers.BatchNormalization())
    model.add(layers.ReLU())
model.add(layers.Dense(1))
`;
  assert.deepEqual(rules(withBatchNorm), []);
});

test('symmetric-init: zeros in a hidden layer is an error; in the output layer it is fine', () => {
  const code = `import keras
model = keras.Sequential([
    keras.layers.Dense(32, activation="tanh", input_shape=(32,), kernel_initializer="zeros"),
    keras.layers.Dense(1, kernel_initializer="zeros"),
])
`;
  const [finding, ...rest] = findings(code);
  assert.equal(rest.length, 0);
  assert.equal(finding.rule, 'symmetric-init');
  assert.equal(finding.severity, 'error');
  assert.equal(finding.at, '"zeros"');
  assert.match(applyFix(code, finding.finding), /kernel_initializer="glorot_uniform"/);
});

test('symmetric-init says "never" only where it holds: a constant layer before another constant one, or zeros under ReLU; before a random layer its units are set apart', () => {
  // An autoencoder's encoder with every kernel zero (tanh), then a decoder layer with the default init.
  const code = `import keras
model = keras.Sequential([
    keras.Input(shape=(20,)),
    keras.layers.Dense(12, activation="tanh", kernel_initializer="zeros"),
    keras.layers.Dense(13, activation="tanh", kernel_initializer="zeros"),
    keras.layers.Dense(16, activation="tanh"),
    keras.layers.Dense(20),
])
`;
  const [before, last] = findings(code);
  // Unit j's gradient is φ'(z)·Σ W_next[j, k]·δ_k: the same for all units while the next kernel is constant.
  assert.match(before.message, /every unit computes the same function and receives the same gradient, so its 12 units can never become different \(and with zeros no signal passes at all\)/);
  assert.match(last.message, /its 13 units start as copies of one unit, and only the random weights of the layer after it tell them apart \(with zeros it passes no signal at the start\)\. Use glorot_uniform for tanh\./);
  assert.equal(last.severity, 'error');
  // Under ReLU a zero kernel leaves every pre-activation at 0, where TensorFlow takes ReLU's derivative as 0: no gradient ever.
  const relu = findings(code.replace(/"tanh", kernel_initializer="zeros"\),\n {4}keras\.layers\.Dense\(16/, '"relu", kernel_initializer="zeros"),\n    keras.layers.Dense(16'));
  assert.match(relu[1].message, /its 13 units can never become different/);
});

test('Fixup residual branches that start at zero: no symmetric-init, and the chain is judged as written (stable)', () => {
  const code = `import keras
from keras import layers
inputs = keras.Input(shape=(256,))
x = layers.Dense(256, kernel_initializer="he_normal")(inputs)
for _ in range(8):
    h = layers.Dense(256, activation="relu", kernel_initializer=keras.initializers.RandomNormal(stddev=0.1))(x)
    h = layers.Dense(256, kernel_initializer="zeros")(h)
    x = layers.Add()([x, h])
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
`;
  // Replacing the zeros by Glorot would double the signal per block (×2^8) and blame the fixed-scale branches.
  assert.deepEqual(rules(code), []);
  const [analysis] = analyzeSource(code, 'model.py').models;
  // Measured from the He stem's output: the zero branches add nothing to it.
  assert.deepEqual(analysis.chains.map((chain) => [chain.status, Number(chain.forwardFactor.toFixed(6))]), [['stable', 1]]);
  // Without the zeros the same network really explodes: each block adds a branch as strong as its input.
  const plain = code.replace('kernel_initializer="zeros"', 'kernel_initializer="glorot_uniform"');
  assert.equal(analyzeSource(plain, 'model.py').models[0].chains[0].status, 'exploding');
});

test('a zero conv followed by BatchNormalization and Dropout before the residual Add is a Fixup branch too', () => {
  const block = (after: string) => `import keras
from keras import layers


def residual_block(x):
    y = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
    y = layers.Conv2D(16, 3, padding="same", kernel_initializer="zeros")(y)
${after}    return layers.Add()([x, y])


inputs = keras.Input(shape=(32, 32, 16))
x = layers.Conv2D(16, 3, padding="same", kernel_initializer="he_normal")(inputs)
for _ in range(4):
    x = residual_block(x)
outputs = layers.Dense(10, activation="softmax")(layers.GlobalAveragePooling2D()(x))
model = keras.Model(inputs=inputs, outputs=outputs)
`;
  const normalized = block('    y = layers.BatchNormalization()(y)\n    y = layers.Dropout(0.1)(y)\n');
  // BatchNormalization of an all-zero input is zero: the branch adds nothing at init, as without it.
  assert.deepEqual(rules(normalized), []);
  // BatchNormalization ends the zero conv's chain before the Add: judged as if the zeros were fixed, that chain
  // does not read ×0 and blame the Glorot ReLU conv next to it.
  assert.ok(analyzeSource(normalized, 'model.py').models[0].chains.every((chain) => chain.tier !== 'warning'));
  assert.deepEqual(rules(block('    y = layers.Activation("tanh")(y)\n')), []);
});

test('a zero residual branch under ReLU never trains (ReLU\'s derivative at 0 is 0): symmetric-init', () => {
  const code = (activation: string) => `import keras
from keras import layers
inputs = keras.Input(shape=(256,))
x = layers.Dense(256, kernel_initializer="he_uniform")(inputs)
for _ in range(4):
    h = layers.Dense(256, activation="relu", kernel_initializer="he_uniform")(x)
    h = layers.Dense(256, kernel_initializer="zeros")(h)
    h = layers.${activation}(h)
    x = layers.Add()([x, h])
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
`;
  assert.deepEqual(rules(code('ReLU()')), ['symmetric-init']);
  assert.deepEqual(rules(code('BatchNormalization()(h)\n    h = layers.ReLU()')), ['symmetric-init']);
  assert.deepEqual(rules(code('LeakyReLU(0.2)')), []);
});

test('symmetric-init: Constant(0.1) and ones are constant too, and a class fix keeps the class style', () => {
  const code = `import keras
from keras import initializers
model = keras.Sequential([
    keras.layers.Dense(32, activation="relu", input_shape=(8,), kernel_initializer=initializers.Constant(0.1)),
    keras.layers.Dense(32, activation="relu", kernel_initializer="ones"),
    keras.layers.Dense(1),
])
`;
  const found = findings(code);
  assert.deepEqual(found.map((finding) => finding.rule), ['symmetric-init', 'symmetric-init']);
  assert.match(applyFix(code, found[0].finding), /kernel_initializer=initializers\.HeUniform\(\)/);
});

test('saturating-he: He under tanh in a hidden layer, Glorot as the fix; an output sigmoid is not hidden', () => {
  const code = `from keras import layers, Sequential
model = Sequential([
    layers.Dense(128, activation="tanh", input_shape=(128,), kernel_initializer="he_normal"),
    layers.Dense(1, activation="sigmoid", kernel_initializer="he_normal"),
])
`;
  const [finding, ...rest] = findings(code);
  assert.equal(rest.length, 0);
  assert.equal(finding.rule, 'saturating-he');
  assert.match(finding.message, /scale 2\) on a hidden tanh layer/);
  const fixed = applyFix(code, finding.finding);
  assert.match(fixed, /activation="tanh", input_shape=\(128,\), kernel_initializer="glorot_normal"/);
  assert.deepEqual(rules(fixed), []);
});

test('saturating-he below a zero-initialised layer gives the numbers of a unit input, not "q = 0 with 0%"', () => {
  const code = `import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(64,)),
    layers.Dense(64, activation="relu", kernel_initializer="zeros"),
    layers.Dense(64, activation="tanh", kernel_initializer="he_normal"),
    layers.Dense(1),
])
`;
  const saturating = findings(code).find((finding) => finding.rule === 'saturating-he');
  assert.ok(saturating);
  assert.match(saturating.message, /fed a unit signal, q = 2 with 3% of units saturated .*glorot_normal gives q = 1 with 0\.3%/);
});

test('saturating-he on a tapering tanh layer (784 → 64): He and Glorot are close there, and the message shows both q', () => {
  const code = `import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(784,)),
    layers.Dense(64, activation="tanh", kernel_initializer="he_normal"),
    layers.Dense(10, activation="softmax"),
])
`;
  const saturating = findings(code).filter((finding) => finding.rule === 'saturating-he');
  assert.equal(saturating.length, 1);
  assert.match(saturating[0].message, /q = 2 with .* glorot_normal gives q = 1\.8/);
});

test('selu-lecun: SELU with Glorot on tapering layers; lecun_normal fixes it', () => {
  const code = `import keras
inputs = keras.Input(shape=(784,))
x = keras.layers.Dense(256, activation="selu")(inputs)
x = keras.layers.Dense(64, activation="selu")(x)
model = keras.Model(inputs, keras.layers.Dense(1)(x))
`;
  const found = findings(code);
  assert.deepEqual(found.map((finding) => finding.rule), ['selu-lecun', 'selu-lecun']);
  let fixed = code;
  for (let i = 0; i < 2; i++) fixed = applyFix(fixed, findings(fixed)[0].finding);
  assert.equal((fixed.match(/kernel_initializer="lecun_normal"/g) ?? []).length, 2);
  assert.deepEqual(rules(fixed), []);
});

test('fixed-scale-init: RandomNormal(stddev=0.01) vanishes; RandomNormal large enough to explode is caught too', () => {
  const vanishing = deepRelu(', kernel_initializer=keras.initializers.RandomNormal(stddev=0.01)', 10);
  const [finding] = findings(vanishing);
  assert.equal(finding.rule, 'fixed-scale-init');
  assert.match(finding.message, /×0\.013 per layer/);
  assert.match(applyFix(vanishing, finding.finding), /keras\.initializers\.HeNormal\(\)/);
  const exploding = deepRelu(', kernel_initializer=keras.initializers.RandomNormal(stddev=0.2)', 10);
  assert.deepEqual(rules(exploding), ['fixed-scale-init']);
  assert.match(findings(exploding)[0].message, /×5\.1 per layer/);
});

test('orthogonal-gain: Orthogonal(gain=1) on ReLU chains; the fix writes gain 2 ** 0.5', () => {
  const code = deepRelu(', kernel_initializer=keras.initializers.Orthogonal()');
  const [finding] = findings(code);
  assert.equal(finding.rule, 'orthogonal-gain');
  const fixed = applyFix(code, finding.finding);
  assert.match(fixed, /keras\.initializers\.Orthogonal\(gain=2 \*\* 0\.5\)/);
  assert.deepEqual(rules(fixed), []);
});

test('dead-relu-bias: a negative constant bias under ReLU, with the dead fraction', () => {
  const code = `import keras
model = keras.Sequential([
    keras.layers.Dense(64, activation="relu", input_shape=(64,), kernel_initializer="he_normal", bias_initializer=keras.initializers.Constant(-1.0)),
    keras.layers.Dense(1),
])
`;
  const [finding] = findings(code);
  assert.equal(finding.rule, 'dead-relu-bias');
  assert.match(finding.message, /Bias initialized to -1 .* 76% of units/);
  assert.match(applyFix(code, finding.finding), /bias_initializer=keras\.initializers\.Zeros\(\)/);
});

test('recurrent-init: a non-orthogonal recurrent kernel is a hint on a gated cell, information on a SimpleRNN; orthogonal (the default) is silent', () => {
  const code = `import keras
model = keras.Sequential([keras.layers.Embedding(1000, 32), keras.layers.GRU(32, recurrent_initializer="glorot_uniform"), keras.layers.Dense(1)])
`;
  const [finding] = findings(code);
  assert.equal(finding.rule, 'recurrent-init');
  assert.equal(finding.severity, 'hint');
  assert.match(applyFix(code, finding.finding), /recurrent_initializer="orthogonal"/);
  // The gated cell's hint says why it is one (TensorFlow's own text-generation tutorial trains a GRU this way);
  // the SimpleRNN keeps the vanishing / exploding claim.
  assert.match(finding.message, /The GRU's gates let the state bypass it, which softens this: orthogonal \(the default\) is the safer start, not a must\.$/);
  assert.doesNotMatch(finding.message, /vanish or explode/);
  const [simple] = findings(code.replace('GRU', 'SimpleRNN'));
  assert.equal(simple.severity, 'info');
  assert.match(simple.message, /so gradients through time vanish or explode\.$/);
});

test('unknown-identifier: Keras rejects camelCase and LeCunNormal; the fix writes its spelling', () => {
  const code = `import keras
model = keras.Sequential([keras.layers.Dense(8, activation="leakyRelu", kernel_initializer='heNormal', input_shape=(8,)), keras.layers.Dense(1, kernel_initializer="LeCunNormal")])
`;
  const found = findings(code);
  assert.deepEqual(found.map((finding) => [finding.at, finding.finding.fixes[0]?.edits[0].newText]), [
    ['"leakyRelu"', '"leaky_relu"'],
    ["'heNormal'", "'he_normal'"],
    ['"LeCunNormal"', '"lecun_normal"'],
  ]);
  assert.ok(found.every((finding) => finding.severity === 'error'));
});

test('unknown-identifier: activation="LeakyReLU" is a tf.keras 2.x layer name: an error under Keras 3 that says so, none under Keras 2', () => {
  // The actor-critic idiom `Dense(units, activation='LeakyReLU')`: tf.keras 2.x built LeakyReLU() from the name.
  const code = `import tensorflow as tf
from tensorflow.keras.layers import Dense
model = tf.keras.Sequential([Dense(1024, activation='LeakyReLU', input_shape=(64,)), Dense(512, activation='LeakyReLU'), Dense(4)])
`;
  const [found] = findings(code);
  assert.equal(found.severity, 'error');
  assert.equal(found.at, "'LeakyReLU'");
  assert.match(found.message, /not a Keras 3 activation id: Keras 3 raises ValueError .*\(tf\.keras 2\.x built LeakyReLU\(\) from it, alpha 0\.3\); Keras 3 spells it 'leaky_relu'/);
  assert.equal(found.finding.fixes[0].edits[0].newText, "'leaky_relu'");
  assert.deepEqual(rules(code, 'model.py', { frameworkVersion: { keras: '2.15', tfjs: '4' } }), []);
  // A name no Keras ever accepted is still an error under Keras 2.
  assert.deepEqual(rules(code.replace(/'LeakyReLU'/g, "'leakyRelu'"), 'model.py', { frameworkVersion: { keras: '2.15', tfjs: '4' } }), ['unknown-identifier', 'unknown-identifier']);
});

test('Keras before 2.2 (framework-version) drew lecun_normal short of 1/fan_in: SELU needs the exact form', () => {
  const code = `import keras
inputs = keras.Input(shape=(128,))
x = keras.layers.Dense(128, activation="selu", kernel_initializer="lecun_normal")(inputs)
x = keras.layers.Dense(128, activation="selu", kernel_initializer="lecun_normal")(x)
model = keras.Model(inputs, keras.layers.Dense(1)(x))
`;
  assert.deepEqual(rules(code), []);
  const old = { frameworkVersion: { keras: '2.1.6', tfjs: '4' } };
  const found = findings(code, 'model.py', old);
  // Two layers: a hint each (measured training at this depth does not suffer).
  assert.deepEqual(found.map((finding) => `${finding.severity}:${finding.rule}`), ['hint:selu-lecun', 'hint:selu-lecun']);
  const fixed = applyFix(code, found[0].finding);
  assert.match(fixed, /kernel_initializer=keras\.initializers\.VarianceScaling\(scale=1\.292, mode='fan_in', distribution='normal'\)/);
  assert.deepEqual(rules(fixed, 'model.py', old), ['hint:selu-lecun']);
});

test('Bidirectional and TimeDistributed are read as the layers they wrap: their findings, fixes, and the doubled width', () => {
  const code = `import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(40, 16)),
    layers.Bidirectional(layers.LSTM(64, return_sequences=True, recurrent_initializer="glorot_uniform")),
    layers.TimeDistributed(layers.Dense(64, activation="relu", kernel_initializer="zeros")),
    layers.Bidirectional(layers.GRU(32), merge_mode="sum"),
    layers.Dense(1),
])
`;
  const found = findings(code);
  assert.deepEqual(found.map((finding) => [finding.rule, finding.at]), [['recurrent-init', '"glorot_uniform"'], ['symmetric-init', '"zeros"']]);
  for (const finding of found) assert.deepEqual(rules(applyFix(code, finding.finding)).filter((rule) => rule === finding.rule), []);
  // The concatenated BiLSTM feeds 128 features; the summed BiGRU 32.
  const [model] = models(code);
  assert.deepEqual(model.layers.map((layer) => [layer.className, layer.fanIn]), [['LSTM', 16], ['Dense', 128], ['GRU', 64], ['Dense', 32]]);
});

test('a builder called with "relu" and with "tanh": both models are read, and the initializer they share gets no preferred fix', () => {
  const code = `from tensorflow import keras
from tensorflow.keras import layers

def make_mlp(depth, width, act):
    model = keras.Sequential([keras.Input(shape=(784,))])
    for _ in range(depth):
        model.add(layers.Dense(width, activation=act))
    model.add(layers.Dense(10, activation="softmax"))
    return model

deep = make_mlp(24, 256, "relu")
shallow = make_mlp(2, 64, "tanh")
`;
  assert.deepEqual(models(code).map((model) => model.layers.length), [25, 3]);
  const [finding, ...rest] = findings(code);
  assert.equal(rest.length, 0);
  assert.equal(finding.rule, 'relu-glorot-deep');
  // He would fix the ReLU model and give the tanh one saturating-he: --fix would undo and redo it forever.
  assert.match(finding.message, /written once for ReLU and tanh layers: pick it per activation/);
  assert.deepEqual(finding.finding.fixes.map((fix) => [fix.title, fix.preferred]), [['Use he_uniform', false]]);
  // Called with one activation only, the same helper is fixed as usual.
  const [single] = findings(code.replace('"tanh"', '"relu"'));
  assert.equal(single.finding.fixes[0].preferred, true);
});

test('a serialized initializer dict is read for its numbers: Glorot-like VarianceScaling on 20 ReLU layers, fixed at the argument', () => {
  const code = `import keras
from keras import layers
DENSE_INIT = {"class_name": "VarianceScaling", "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform"}}
model = keras.Sequential([keras.Input(shape=(256,))])
for _ in range(20):
    model.add(layers.Dense(256, activation="relu", kernel_initializer=DENSE_INIT))
model.add(layers.Dense(10))
`;
  const [finding, ...rest] = findings(code);
  assert.equal(rest.length, 0);
  assert.equal(finding.rule, 'relu-glorot-deep');
  assert.equal(finding.at, 'DENSE_INIT');
  assert.match(finding.message, /forward variance ×0\.5 per layer → 1\.9e-6 at layer 20/);
  const fixed = applyFix(code, finding.finding);
  assert.match(fixed, /kernel_initializer=keras\.initializers\.HeUniform\(\)\)\)/);
  assert.deepEqual(rules(fixed), []);
  assert.deepEqual(rules(code.replace('"scale": 1.0', '"scale": 2.0')), []);
});

test('fixed-scale-init on convolutions of a helper called at several sizes names their fan_in range, not a "width"', () => {
  const code = `from tensorflow import keras
from tensorflow.keras import layers
init = keras.initializers.RandomNormal(mean=0.0, stddev=0.02)

def conv_block(x, filters):
    x = layers.Conv2D(filters, (5, 5), strides=(2, 2), padding="same", kernel_initializer=init)(x)
    return layers.LeakyReLU(0.2)(x)

img = layers.Input(shape=(32, 32, 1))
x = conv_block(img, 64)
x = conv_block(x, 128)
x = conv_block(x, 256)
model = keras.Model(img, layers.Dense(1)(layers.Flatten()(x)))
`;
  const [finding] = findings(code).filter((found) => found.rule === 'fixed-scale-init');
  assert.match(finding.message, /on 3 leaky ReLU layers with fan_in 25 to 3200:/);
});

test("TensorFlow's own initializers are Keras's: tf.random_normal_initializer(0., 0.02) is fixed-scale, tf.zeros_initializer() symmetric, and the fix writes the Keras class", () => {
  const code = `import tensorflow as tf

initializer = tf.random_normal_initializer(0., 0.02)
model = tf.keras.Sequential([tf.keras.Input(shape=(256,))])
for _ in range(8):
    model.add(tf.keras.layers.Dense(256, activation="relu", kernel_initializer=initializer))
model.add(tf.keras.layers.Dense(10, kernel_initializer=tf.zeros_initializer()))
model.add(tf.keras.layers.Dense(10, kernel_initializer=tf.compat.v1.random_normal_initializer()))
`;
  const found = findings(code);
  assert.deepEqual(found.map((finding) => finding.rule), ['fixed-scale-init', 'symmetric-init']);
  assert.match(found[0].message, /×0\.051 per layer/);
  const fixed = applyFix(code, found[0].finding);
  assert.match(fixed, /kernel_initializer=tf\.keras\.initializers\.HeNormal\(\)\)\)/);
  assert.match(applyFix(code, found[1].finding), /kernel_initializer=tf\.keras\.initializers\.GlorotUniform\(\)\)\)/);
  // TF1's random_normal_initializer defaults to stddev 1.0: not Keras's, left unresolved.
  const last = models(code)[0].layers[9];
  assert.equal(last.initializers.kernel?.id, undefined);
});

const depthwiseStack = (activation: string, init: string) => `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(32, 32, 256))])
for _ in range(4):
    model.add(layers.DepthwiseConv2D(3, padding="same", activation="${activation}"${init}))
    model.add(layers.Conv2D(256, 1, activation="${activation}", kernel_initializer="he_uniform"))
model.add(layers.GlobalAveragePooling2D())
model.add(layers.Dense(10))
`;

test("relu-glorot-deep on depthwise kernels: the frameworks' fan_in counts all 256 channels, so even He vanishes; the fix divides by fan_out", () => {
  for (const init of ['', ', depthwise_initializer="he_uniform"']) {
    const code = depthwiseStack('relu', init);
    const [finding, ...rest] = findings(code);
    assert.equal(rest.length, 0);
    assert.equal(finding.rule, 'relu-glorot-deep');
    assert.match(finding.message, /on 4 ReLU layers \(the framework divides by fan_in = 2304, every input channel, but each depthwise output sums only 9 inputs\)/);
    assert.match(finding.message, /variance_scaling\(scale=2, mode='fan_out', distribution='uniform'\) keeps it at (0\.[89]\d*|1)\./);
    const fixed = applyFix(code, finding.finding);
    assert.match(fixed, /depthwise_initializer=keras\.initializers\.VarianceScaling\(scale=2, mode='fan_out', distribution='uniform'\)\)\)/);
    assert.deepEqual(rules(fixed), []);
    // The fixed stack really keeps its variance: forward ×1 through every depthwise and pointwise layer.
    const [model] = analyzeSource(fixed, 'model.py').models;
    assert.deepEqual(model.chains.map((chain) => chain.status), ['stable']);
  }
});

test('He on a depthwise tanh kernel is not saturating-he (in signal terms it is scale 2/256); SELU gets LeCun in fan_out form', () => {
  assert.deepEqual(rules(depthwiseStack('tanh', ', depthwise_initializer="he_normal"').replace(/he_uniform/g, 'glorot_uniform')), []);
  const selu = `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(32, 32, 64))])
for _ in range(3):
    model.add(layers.DepthwiseConv2D(3, padding="same", activation="selu"))
    model.add(layers.Conv2D(64, 1, activation="selu", kernel_initializer="lecun_normal"))
model.add(layers.GlobalAveragePooling2D())
model.add(layers.Dense(10))
`;
  const [finding] = findings(selu);
  assert.equal(finding.rule, 'selu-lecun');
  assert.match(finding.message, /gives 0\.031\/fan_in \(the framework divides by fan_in = 576/);
  const fixed = applyFix(selu, finding.finding);
  assert.match(fixed, /VarianceScaling\(scale=1, mode='fan_out', distribution='truncated_normal'\)/);
  assert.deepEqual(rules(fixed), []);
});

test("a kernel whose output goes straight into normalization is not judged (BN(αz) = BN(z)), unless its signal is below BN's ε", () => {
  const stem = `import keras
from keras import layers
inputs = keras.Input((32, 32, 3))
x = layers.Conv2D(256, kernel_size=2, strides=2)(inputs)
x = layers.Activation("gelu")(x)
x = layers.BatchNormalization()(x)
x = layers.Conv2D(256, kernel_size=1)(x)
x = layers.Activation("gelu")(x)
x = layers.BatchNormalization()(x)
x = layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, layers.Dense(10)(x))
`;
  // The patchify stem's Glorot gain is 6e-3 (fan_in 12, fan_out 1024): normalized away on the next line.
  assert.equal(analyzeSource(stem, 'model.py').models[0].moments[0].forwardGain < 0.01, true);
  assert.deepEqual(rules(stem), []);
  // 20 Glorot ReLU layers leave 9.5e-7 < ε = 1e-3: the BatchNormalization after them cannot undo that.
  const deep = `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(256,))])
for _ in range(20):
    model.add(layers.Dense(256, activation="relu"))
model.add(layers.BatchNormalization())
model.add(layers.Dense(10))
`;
  const [finding] = findings(deep);
  assert.match(finding.message, /on 20 ReLU layers: forward variance ×0\.5 per layer → 1\.9e-6 at layer 20/);
});

test('selu-lecun on a loop of unequal widths quotes the range of the layers written there, not the first one alone', () => {
  // Glorot on 16 → 32 → 16 → 8 → 4 → 2 SELU layers: fan_avg gives c = 2·fan_in/(fan_in + fan_out), 0.67 then 1.33.
  const code = `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(16,))])
for units in (32, 16, 8, 4, 2):
    model.add(layers.Dense(units, activation="selu"))
model.add(layers.Dense(1))
`;
  const [finding] = findings(code).filter((found) => found.rule === 'selu-lecun');
  assert.match(finding.message, /gives 0\.67\/fan_in to 1\.3\/fan_in, so each layer scales the variance it receives by ×0\.67 to ×1\.3 before the activation/);
});

test('"at layer N" is row N of the report, also where a layer before it starts no chain (its width not written)', () => {
  // A subclassed model without an input shape: the first Dense's width is assumed, so it ends the chain before
  // it; the last one the finding names is still row 16 of the report.
  const code = `import keras
from keras import layers
class DeepNet(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = [layers.Dense(128, activation="relu") for _ in range(16)]
        self.out = layers.Dense(10)
    def call(self, x):
        for layer in self.hidden:
            x = layer(x)
        return self.out(x)
`;
  const [finding] = findings(code);
  assert.match(finding.message, /on 15 ReLU layers: forward variance ×0\.5 per layer → 6\.1e-5 at layer 16;/);
});

test('"at layer N" is row N of the report where normalization and activation layers sit between the Dense layers', () => {
  const code = `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(64,))])
for _ in range(12):
    model.add(layers.Dense(64, kernel_initializer="glorot_uniform"))
    model.add(layers.LeakyReLU(negative_slope=0.01))
    model.add(layers.Dropout(0.1))
model.add(layers.Dense(1))
`;
  const [finding] = findings(code);
  // Rows: Dense, Dropout per block (the LeakyReLU is folded into its Dense), so the 12th Dense is row 23.
  assert.match(finding.message, /at layer 23;/);
  const analysis = analyzeSource(code, 'model.py');
  assert.equal(analysis.models[0].model.layers[22].className, 'Dense');
});

test('a custom activation ends the chains through it: its moments are unknown, so what comes after is judged afresh', () => {
  const code = `import keras
from keras import layers
def scaled(x):
    return 3.0 * keras.ops.sinh(x)
model = keras.Sequential([keras.Input(shape=(256,))])
for _ in range(10):
    model.add(layers.Dense(256, activation="relu"))
model.add(layers.Dense(256, activation=scaled))
for _ in range(10):
    model.add(layers.Dense(256, activation="relu"))
model.add(layers.Dense(10))
`;
  const found = findings(code);
  // Two chains of 10 ReLU layers (×0.5⁹ each from their first layer's output), never one of 21 through the
  // custom layer read as the identity (×0.5²⁰ = 9.5e-7).
  assert.deepEqual(found.map((finding) => finding.message.match(/→ ([\d.e-]+) at layer (\d+)/)?.slice(1)), [['2e-3', '10'], ['2e-3', '21']]);
});
