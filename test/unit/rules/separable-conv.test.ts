/**
 * SeparableConv2D has two kernels with no activation between them (issue 13): its gain is the depthwise kernel's
 * (k² inputs per output, but both frameworks divide by k²·in) times the pointwise kernel's. He on both gives
 * 2/in × 2, ×0.06 per ReLU layer at 32 channels. These stacks are judged, blamed and fixed by both kernels.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG } from '../../../src/core/config';
import { buildReport } from '../../../src/core/report';
import { analyzeSource } from '../../../src/project/analyzeSource';
import { layerHoverAt } from '../../../src/project/hoverText';
import { conv2d, meanSquare, Random, relu, type ConvGeometry } from '../../helpers/monteCarlo';
import { applyFix, findings, rules } from '../../helpers/snippets';

/** A Keras stack of `depth` separable convs of 32 channels on 16×16×32, then a Dense head. */
const keras = (args: string, depth = 4, activation = 'relu') => `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(16, 16, 32))])
for i in range(${depth}):
    model.add(layers.SeparableConv2D(32, 3, padding="same", activation="${activation}"${args}))
model.add(layers.Flatten())
model.add(layers.Dense(10))
`;

const tfjs = (args: string, depth = 4, activation = 'relu') => `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.inputLayer({inputShape: [16, 16, 32]}));
for (let i = 0; i < ${depth}; i++) model.add(tf.layers.separableConv2d({filters: 32, kernelSize: 3, padding: 'same', activation: '${activation}'${args}}));
model.add(tf.layers.flatten());
model.add(tf.layers.dense({units: 10}));
`;

const chainsOf = (code: string, file: string) => analyzeSource(code, file).models.flatMap((model) => model.chains);

/** Applies the finding's preferred fix and checks the chain is then silent: no finding (not even a hint), and a stable chain. */
function assertFixSilences(code: string, file: string, finding: ReturnType<typeof findings>[number]): string {
  const fixed = applyFix(code, finding.finding);
  assert.deepEqual(rules(fixed, file), [], fixed);
  for (const chain of chainsOf(fixed, file)) {
    assert.equal(chain.status, 'stable', `after the fix: forward ${chain.forwardFactor}, backward ${chain.backwardFactor}`);
    assert.ok(chain.forwardFactor > 0.5 && chain.backwardFactor > 0.5, `after the fix: forward ${chain.forwardFactor}, backward ${chain.backwardFactor}`);
  }
  return fixed;
}

test('Keras: He on both kernels of four separable convs vanishes (×0.06 per layer): blamed, naming both kernels; the fix rewrites the depthwise one only', () => {
  const code = keras(', depthwise_initializer="he_normal", pointwise_initializer="he_normal"');
  const found = findings(code);
  assert.deepEqual(found.map((finding) => `${finding.severity}:${finding.rule}:${finding.at}`), ['warning:relu-glorot-deep:"he_normal"']);
  const [finding] = found;
  assert.match(finding.message, /^depthwise "he_normal" and pointwise "he_normal" on 4 ReLU layers/);
  assert.match(finding.message, /gain c = 0\.063 × 2, the product of the depthwise and pointwise kernels'/);
  assert.match(finding.message, /divides the depthwise kernel by fan_in = 288, every input channel, but each of its outputs sums only 9 inputs/);
  assert.match(finding.message, /forward variance ×0\.0\d+ per layer → 2\.\de-4 at layer 4/);
  // The pointwise kernel's He (c = 2) is right: only the depthwise one changes, to gain 1 over its 9 inputs.
  const fixed = assertFixSilences(code, 'model.py', found[0]);
  assert.match(fixed, /depthwise_initializer=keras\.initializers\.VarianceScaling\(scale=1, mode='fan_out', distribution='truncated_normal'\), pointwise_initializer="he_normal"/);
});

test('tfjs: heUniform on separableConv2d is drawn for both kernels: blamed once, and the fix is one depthwiseInitializer for both', () => {
  const code = tfjs(", depthwiseInitializer: 'heUniform'");
  const found = findings(code, 'model.ts');
  assert.deepEqual(found.map((finding) => `${finding.severity}:${finding.rule}:${finding.at}`), ["warning:relu-glorot-deep:'heUniform'"]);
  const [finding] = found;
  assert.match(finding.message, /TensorFlow\.js draws both kernels from depthwiseInitializer, tfjs#8564; gain c = 0\.063 × 2/);
  assert.match(finding.message, /depthwiseInitializer: varianceScaling\(\{scale: 1\.414, mode: 'fanOut', distribution: 'uniform'\}\) \(both kernels\) keeps it at/);
  const fixed = assertFixSilences(code, 'model.ts', finding);
  // fan_out mode with scale √2: the depthwise kernel gets √2 over its 9 inputs, the pointwise one √2·in/filters.
  assert.match(fixed, /depthwiseInitializer: tf\.initializers\.varianceScaling\(\{scale: 1\.414, mode: 'fanOut', distribution: 'uniform'\}\)/);
  assert.doesNotMatch(fixed, /pointwiseInitializer/);
});

test('Keras default Glorot on six separable ReLU convs (×0.03 per layer): the fix writes both kernels, and the chain is silent', () => {
  const code = keras('', 6);
  const [finding, ...rest] = findings(code);
  assert.equal(rest.length, 0);
  assert.equal(`${finding.severity}:${finding.rule}:${finding.at}`, 'warning:relu-glorot-deep:layers.SeparableConv2D');
  assert.match(finding.message, /^depthwise glorot_uniform \(the Keras default\) and pointwise glorot_uniform \(the Keras default\) on 6 ReLU layers/);
  assert.match(finding.message, /with pointwise_initializer=he_uniform keeps it at/);
  const fixed = assertFixSilences(code, 'model.py', finding);
  assert.match(fixed, /depthwise_initializer=keras\.initializers\.VarianceScaling\(scale=1, mode='fan_out', distribution='uniform'\), pointwise_initializer="he_uniform"\)/);
});

test('tfjs default glorotUniform on six separable ReLU convs: inserted as one depthwiseInitializer', () => {
  const code = tfjs('', 6);
  const [finding, ...rest] = findings(code, 'model.ts');
  assert.equal(rest.length, 0);
  assert.equal(`${finding.severity}:${finding.rule}`, 'warning:relu-glorot-deep');
  assert.match(finding.message, /^glorotUniform \(the TensorFlow\.js default\) on 6 ReLU layers \(TensorFlow\.js draws both kernels from depthwiseInitializer/);
  assertFixSilences(code, 'model.ts', finding);
});

test('Keras: a right depthwise kernel (gain 1, fan_out) beside the default pointwise Glorot: the fix edits pointwise_initializer only', () => {
  const code = keras(', depthwise_initializer=keras.initializers.VarianceScaling(1.0, "fan_out")', 10);
  const [finding, ...rest] = findings(code);
  assert.equal(rest.length, 0);
  assert.equal(finding.rule, 'relu-glorot-deep');
  assert.match(finding.message, /gain c = 1 × 1, the product/);
  assert.doesNotMatch(finding.message, /divides the depthwise kernel by fan_in/);
  assert.match(finding.message, /; pointwise_initializer=he_uniform keeps it at/);
  const edits = finding.finding.fixes[0].edits;
  assert.equal(edits.length, 1);
  assert.equal(edits[0].newText, ', pointwise_initializer="he_uniform"');
  const fixed = assertFixSilences(code, 'model.py', finding);
  assert.match(fixed, /depthwise_initializer=keras\.initializers\.VarianceScaling\(1\.0, "fan_out"\), pointwise_initializer="he_uniform"/);
});

test('tfjs: a pointwiseInitializer written beside depthwiseInitializer is ignored by tfjs; one finding says so, and the fix writes both the same', () => {
  const code = tfjs(", depthwiseInitializer: 'heNormal', pointwiseInitializer: 'heNormal'");
  const found = findings(code, 'model.ts');
  // One finding, at depthwiseInitializer: nothing at the ignored pointwiseInitializer, no ignored-argument.
  assert.deepEqual(found.map((finding) => `${finding.rule}:${finding.at}`), ["relu-glorot-deep:'heNormal'"]);
  assert.equal(found[0].finding.span.start, code.indexOf("'heNormal'"));
  assert.match(found[0].message, /draws both kernels from depthwiseInitializer and ignores the pointwiseInitializer written, tfjs#8564; gain c = 0\.048 × 1\.5/);
  const fixed = assertFixSilences(code, 'model.ts', found[0]);
  // Exact normal form (÷0.7737 for tfjs's truncation), written for both, so the code stays right once tfjs honours pointwiseInitializer.
  const target = "tf.initializers.varianceScaling({scale: 1.827, mode: 'fanOut', distribution: 'normal'})";
  assert.ok(fixed.includes(`depthwiseInitializer: ${target}, pointwiseInitializer: ${target}`), fixed);
});

test('well-initialized separable stacks are silent in both frameworks', () => {
  assert.deepEqual(rules(keras(', depthwise_initializer=keras.initializers.VarianceScaling(1.0, "fan_out"), pointwise_initializer="he_uniform"', 12)), []);
  assert.deepEqual(rules(tfjs(", depthwiseInitializer: tf.initializers.varianceScaling({scale: Math.SQRT2, mode: 'fanOut', distribution: 'uniform'})", 12), 'model.ts'), []);
  // The depthwise kernel's gain may carry the ReLU's 2 instead of the pointwise one's: the product is what counts.
  assert.deepEqual(rules(keras(', depthwise_initializer=keras.initializers.VarianceScaling(2.0, "fan_out")', 12)), []);
});

test('He on both kernels of a separable tanh conv is 4/in, not He: no saturating-he; a fan_out scale-2 depthwise kernel with pointwise He is, fixed on both kernels', () => {
  assert.ok(!rules(keras(', depthwise_initializer="he_normal", pointwise_initializer="he_normal"', 4, 'tanh')).some((rule) => rule.endsWith('saturating-he')));
  const code = keras(', depthwise_initializer=keras.initializers.VarianceScaling(2.0, "fan_out"), pointwise_initializer="he_normal"', 4, 'tanh');
  const [finding, ...rest] = findings(code);
  assert.equal(rest.length, 0);
  assert.equal(finding.rule, 'saturating-he');
  assert.match(finding.message, /depthwise_initializer=variance_scaling\(scale=1, mode='fan_out', distribution='truncated_normal'\) with pointwise_initializer=glorot_normal gives q = 1 /);
  const fixed = applyFix(code, finding.finding);
  assert.deepEqual(rules(fixed), []);
  assert.match(fixed, /pointwise_initializer="glorot_normal"/);
});

test('SELU under LeCun normal on both kernels of a Keras separable conv is c = 1/in: selu-lecun, fixed to gain 1 on the depthwise kernel', () => {
  const code = keras(', depthwise_initializer="lecun_normal", pointwise_initializer="lecun_normal"', 4, 'selu');
  const [finding, ...rest] = findings(code);
  assert.equal(rest.length, 0);
  assert.equal(finding.rule, 'selu-lecun');
  assert.match(finding.message, /gives c = 0\.031 × 1 = 0\.031 \(its depthwise and pointwise kernels'/);
  const fixed = applyFix(code, finding.finding);
  assert.deepEqual(rules(fixed), []);
  assert.match(fixed, /depthwise_initializer=keras\.initializers\.VarianceScaling\(scale=1, mode='fan_out', distribution='truncated_normal'\), pointwise_initializer="lecun_normal"/);
});

test('Keras zeros on a separable depthwise kernel: symmetric-init\'s fix sets both kernels, leaving no chain finding behind', () => {
  const code = keras(', depthwise_initializer="zeros"');
  const [finding, ...rest] = findings(code);
  assert.equal(rest.length, 0);
  assert.equal(finding.rule, 'symmetric-init');
  const fixed = applyFix(code, finding.finding);
  assert.deepEqual(rules(fixed), []);
  assert.match(fixed, /pointwise_initializer="he_uniform"/);
});

test('zeros in depthwiseInitializer: in tfjs both kernels are zero and neither ever trains ("never"); in Keras the random pointwise kernel lets it train', () => {
  // The layer is bilinear in its kernels: each one's gradient goes through the other.
  const [tfjsFinding] = findings(tfjs(", depthwiseInitializer: 'zeros'", 1, 'linear'), 'model.ts');
  assert.equal(tfjsFinding.rule, 'symmetric-init');
  assert.match(tfjsFinding.message, /so its 32 units can never become different \(and with zeros no signal passes at all\)/);
  const [kerasFinding] = findings(keras(', depthwise_initializer="zeros"', 1, 'linear'));
  assert.equal(kerasFinding.rule, 'symmetric-init');
  assert.match(kerasFinding.message, /its 32 units start as copies of one unit/);
});

test('Keras zeros on a separable pointwise kernel: symmetric-init at pointwise_initializer (no signal passes); tfjs ignores a zero pointwiseInitializer', () => {
  const code = keras(', pointwise_initializer="zeros"');
  const [finding, ...rest] = findings(code);
  assert.equal(rest.length, 0);
  assert.equal(`${finding.rule}:${finding.at}`, 'symmetric-init:"zeros"');
  assert.equal(finding.finding.span.start, code.indexOf('"zeros"'));
  assert.match(finding.message, /starts with a constant pointwise kernel \("zeros"\)/);
  assert.deepEqual(rules(applyFix(code, finding.finding)), []);
  assert.deepEqual(rules(tfjs(", depthwiseInitializer: tf.initializers.varianceScaling({scale: Math.SQRT2, mode: 'fanOut', distribution: 'uniform'}), pointwiseInitializer: 'zeros'", 8), 'model.ts'), []);
});

test('a zero pointwise kernel beside a right depthwise one: symmetric-init alone, and the chain is judged as its fix leaves it (stable, not "vanishing")', () => {
  const code = keras(", depthwise_initializer=keras.initializers.VarianceScaling(scale=1, mode='fan_out', distribution='uniform'), pointwise_initializer=\"zeros\"", 6);
  assert.deepEqual(rules(code), ['symmetric-init']);
  for (const chain of chainsOf(code, 'model.py')) assert.equal(chain.status, 'stable');
});

test('the hover and the report name both kernels of a separable conv, and the hover\'s recommendation is the two-kernel fix', () => {
  const code = keras(', depthwise_initializer="he_normal"');
  const analysis = analyzeSource(code, 'model.py');
  const hover = layerHoverAt(analysis, DEFAULT_CONFIG, code.indexOf('"he_normal"') + 1)?.markdown ?? '';
  assert.match(hover, /- depthwise initializer: `he_normal`: Var\(W\) = 0\.006944 \(fan_in 288, fan_out 9\), gain k²·Var\(W\) = 0\.0625/);
  assert.match(hover, /- pointwise initializer: `glorot_uniform` \(the default\): gain in·multiplier·Var\(W\) = 1/);
  assert.match(hover, /For relu, `depthwise_initializer=variance_scaling\(scale=1, mode='fan_out', distribution='truncated_normal'\) with pointwise_initializer=he_uniform` gives c = 2 here/);
  assert.deepEqual(buildReport(analysis)[0].layers[1].initializer, { name: 'dw he_normal, pw glorot_uniform', variance: 2 / 288, default: false });

  const tfjsCode = tfjs(", depthwiseInitializer: 'heUniform', pointwiseInitializer: 'zeros'");
  const tfjsAnalysis = analyzeSource(tfjsCode, 'model.ts');
  const tfjsHover = layerHoverAt(tfjsAnalysis, DEFAULT_CONFIG, tfjsCode.indexOf("'heUniform'") + 1)?.markdown ?? '';
  assert.match(tfjsHover, /- pointwise kernel: drawn from depthwiseInitializer too \(TensorFlow\.js ignores the pointwiseInitializer written, tfjs#8564\): gain 2/);
  assert.equal(buildReport(tfjsAnalysis)[0].layers[1].initializer?.name, 'heUniform (both kernels)');
  // The ignored 'zeros' is no finding of its own: tfjs draws heUniform there.
  assert.deepEqual(rules(tfjsCode, 'model.ts'), ['relu-glorot-deep']);
});

/**
 * A Monte Carlo of four 3×3 'same' separable ReLU convs on 16×16×32 (independent of src/): the forward factor from
 * the first layer's output to the fourth's, averaged over weight draws, uniform weights of the given variances.
 */
function separableStackFactor(depthwiseVariance: number, pointwiseVariance: number, draws = 4, batch = 4): number {
  const [height, width, channels] = [16, 16, 32];
  const uniform = (random: Random, size: number, variance: number) => {
    const limit = Math.sqrt(3 * variance);
    return Float64Array.from({ length: size }, () => (2 * random.uniform() - 1) * limit);
  };
  let logSum = 0;
  for (let draw = 0; draw < draws; draw++) {
    const random = new Random(7000 + draw);
    let h = random.normals(batch * height * width * channels);
    const outputs: number[] = [];
    for (let layer = 0; layer < 4; layer++) {
      const depthwise: ConvGeometry = { batch, height, width, inChannels: channels, outChannels: channels, kernel: 3, stride: 1, padding: 'same', depthwise: true };
      const pointwise: ConvGeometry = { batch, height, width, inChannels: channels, outChannels: channels, kernel: 1, stride: 1, padding: 'valid' };
      const z = conv2d(conv2d(h, uniform(random, 9 * channels, depthwiseVariance), depthwise).z, uniform(random, channels * channels, pointwiseVariance), pointwise).z;
      h = relu(z);
      outputs.push(meanSquare(h));
    }
    logSum += Math.log(outputs[3] / outputs[0]);
  }
  return Math.exp(logSum / draws);
}

test('a Monte Carlo of the same stacks agrees: He on both kernels loses ×0.06 per layer, each framework\'s fix keeps the signal as predicted', () => {
  const predicted = (code: string, file: string) => chainsOf(code, file)[0].forwardFactor;
  const within = (measured: number, expected: number, what: string) =>
    assert.ok(measured / expected < 1.3 && expected / measured < 1.3, `${what}: Monte Carlo ${measured}, predicted ${expected}`);
  // He on both (Keras fans): depthwise 2/(9·32), pointwise 2/32.
  const he = keras(', depthwise_initializer="he_uniform", pointwise_initializer="he_uniform"');
  within(separableStackFactor(2 / 288, 2 / 32), predicted(he, 'model.py'), 'He on both');
  assert.ok(predicted(he, 'model.py') < 5e-4);
  // The Keras fix: VarianceScaling(1, fan_out) on the depthwise kernel (fan_out = 9), He on the pointwise one.
  const kerasFixed = applyFix(he, findings(he)[0].finding);
  within(separableStackFactor(1 / 9, 2 / 32), predicted(kerasFixed, 'model.py'), 'Keras fix');
  // The tfjs fix: one varianceScaling({scale: 1.414, mode: 'fanOut'}) for both: 1.414/9 and 1.414/32.
  const tfjsHe = tfjs(", depthwiseInitializer: 'heUniform'");
  const tfjsFixed = applyFix(tfjsHe, findings(tfjsHe, 'model.ts')[0].finding);
  within(separableStackFactor(1.414 / 9, 1.414 / 32), predicted(tfjsFixed, 'model.ts'), 'tfjs fix');
  assert.ok(separableStackFactor(1.414 / 9, 1.414 / 32) > 0.6);
});
