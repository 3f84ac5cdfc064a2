/** The rules on TensorFlow.js snippets, and the tfjs quirks nobody remembers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, models, rules } from '../../helpers/snippets';
import { propagate } from '../../../src/core/propagation';

const deep = (config: string, depth = 20) => `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({units: 128, inputShape: [128], activation: 'relu', kernelInitializer: 'heUniform'}));
for (let i = 0; i < ${depth}; i++) {
  model.add(tf.layers.dense({units: 128, activation: 'relu'${config}}));
}
model.add(tf.layers.dense({units: 10, kernelInitializer: 'glorotUniform'}));
`;

test('a written glorotNormal under ReLU: heUniform first (tfjs\'s heNormal keeps 0.77 of He), He\'s exact normal second', () => {
  const [finding] = findings(deep(", kernelInitializer: 'glorotNormal'"), 'model.ts');
  assert.deepEqual(finding.finding.fixes.map((fix) => fix.title), ['Use heUniform', "Use varianceScaling({scale: 2.585, mode: 'fanIn', distribution: 'normal'})"]);
});

test('tfjs heNormal really has 0.7737 of the variance it claims: truncated-variance, fixed by heUniform', () => {
  const code = deep(", kernelInitializer: 'heNormal'");
  const [finding, ...rest] = findings(code, 'model.ts');
  assert.equal(rest.length, 0);
  assert.equal(finding.rule, 'truncated-variance');
  assert.equal(finding.at, "'heNormal'");
  assert.match(finding.message, /×0\.77 per layer → 5\.9e-3 at layer 21; heUniform keeps it at 1\./);
  const fixed = applyFix(code, finding.finding);
  assert.match(fixed, /kernelInitializer: 'heUniform'\}\)\);\n\}/);
  assert.deepEqual(rules(fixed, 'model.ts'), []);
  // The second fix keeps the normal family with scale 2/0.7737.
  const scaled = applyFix(code, finding.finding, 1);
  assert.match(scaled, /kernelInitializer: tf\.initializers\.varianceScaling\(\{scale: 2\.585, mode: 'fanIn', distribution: 'normal'\}\)/);
  assert.deepEqual(rules(scaled, 'model.ts'), []);
});

test('the tfjs default is glorotNormal (truncated): relu-glorot-deep takes precedence over truncated-variance', () => {
  const [finding, ...rest] = findings(deep(''), 'model.ts');
  assert.equal(rest.length, 0);
  assert.equal(finding.rule, 'relu-glorot-deep');
  assert.match(finding.message, /glorotNormal \(the TensorFlow\.js default\) on 20 ReLU layers: forward variance ×0\.39 per layer → 5\.6e-9/);
  // Nothing written: the fix writes heUniform, the He form whose variance tfjs does not truncate.
  assert.deepEqual(finding.finding.fixes.map((fix) => fix.title), ['Use heUniform']);
  const fixed = applyFix(deep(''), finding.finding);
  assert.match(fixed, /activation: 'relu', kernelInitializer: 'heUniform'\}/);
  assert.deepEqual(rules(fixed, 'model.ts'), []);
});

test('heNormal on a hidden sigmoid layer of a vanishing chain: saturating-he (Glorot), and no truncated-variance where sigmoid\'s derivative is the cause', () => {
  const code = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({units: 128, inputShape: [128], activation: 'relu', kernelInitializer: 'heNormal'}));
for (let i = 0; i < 30; i++) {
  model.add(tf.layers.dense({units: 128, activation: 'sigmoid', kernelInitializer: 'heNormal'}));
}
model.add(tf.layers.dense({units: 10, kernelInitializer: 'glorotUniform'}));
`;
  const found = findings(code, 'model.ts');
  // One finding at the sigmoid line, fixed towards Glorot; the ReLU layer's heNormal is not a saturating-he
  // location and is judged by the chain rules as usual (its own gain is the only one that follows He).
  const atSigmoid = found.filter((finding) => finding.message.includes('sigmoid'));
  assert.deepEqual(atSigmoid.map((finding) => [finding.rule, finding.finding.fixes[0].title]), [['saturating-he', 'Use glorotUniform']]);
  // The chain still vanishes backward (sigmoid's E[φ'²] ≤ 1/16 per layer), but no initializer cures that: with
  // Glorot written, nothing is blamed at the sigmoid line (not even the truncation of a glorotNormal).
  const fixed = applyFix(code, atSigmoid[0].finding);
  assert.deepEqual(findings(fixed, 'model.ts').filter((finding) => finding.message.includes('sigmoid')), []);
  const normal = findings(fixed.replace("'sigmoid', kernelInitializer: 'glorotUniform'", "'sigmoid', kernelInitializer: 'glorotNormal'"), 'model.ts');
  assert.deepEqual(normal.filter((finding) => finding.message.includes('sigmoid')), []);
});

test('a heNormal written once for ReLU and tanh layers: the tanh layers get saturating-he only, the ReLU ones truncated-variance, no fix preferred', () => {
  const code = `import * as tf from '@tensorflow/tfjs';
function block(x: tf.SymbolicTensor, activation: 'relu' | 'tanh') {
  return tf.layers.dense({units: 128, activation, kernelInitializer: 'heNormal'}).apply(x) as tf.SymbolicTensor;
}
const input = tf.input({shape: [128]});
let x = input;
for (let i = 0; i < 30; i++) x = block(x, 'relu');
for (let i = 0; i < 3; i++) x = block(x, 'tanh');
const model = tf.model({inputs: input, outputs: tf.layers.dense({units: 10}).apply(x) as tf.SymbolicTensor});
`;
  const found = findings(code, 'model.ts').filter((finding) => finding.at === "'heNormal'");
  assert.deepEqual(found.map((finding) => finding.rule).sort(), ['saturating-he', 'truncated-variance']);
  const truncated = found.find((finding) => finding.rule === 'truncated-variance')!;
  assert.match(truncated.message, /on 30 ReLU layers/);
  assert.ok(found.every((finding) => finding.finding.fixes.every((fix) => !fix.preferred)));
});

test("snake_case ids throw in tfjs: 'he_normal' is unknown-identifier, fixed to the exact 'heUniform' (tfjs's 'heNormal' second)", () => {
  const code = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [4], kernelInitializer: 'he_normal', activation: 'hard_sigmoid'})]});
`;
  const found = findings(code, 'model.ts');
  assert.deepEqual(found.map((finding) => [finding.rule, finding.at, finding.finding.fixes[0]?.edits[0].newText]), [
    ['unknown-identifier', "'he_normal'", "'heUniform'"],
    ['unknown-identifier', "'hard_sigmoid'", "'hardSigmoid'"],
  ]);
  assert.deepEqual(found[0].finding.fixes.map((fix) => [fix.edits[0].newText, fix.preferred]), [["'heUniform'", true], ["'heNormal'", false]]);
  assert.match(found[0].message, /throws "Unknown initializer: he_normal"/);
});

test('randomNormal({stddev: 0}) silently becomes stddev 0.05 in tfjs (args.stddev || 0.05)', () => {
  const [model] = models(deep(", kernelInitializer: tf.initializers.randomNormal({stddev: 0})"), 'model.ts');
  assert.deepEqual(model.layers[1].initializers.kernel?.sampling, { kind: 'normal', sampler: 'normal', mean: 0, stddev: 0.05 });
  assert.deepEqual(rules(deep(", kernelInitializer: tf.initializers.randomNormal({stddev: 0})"), 'model.ts'), ['fixed-scale-init', 'ignored-argument']);
});

test("varianceScaling distribution 'truncatedNormal' falls into tfjs's uniform branch", () => {
  const [model] = models(deep(", kernelInitializer: tf.initializers.varianceScaling({scale: 2, distribution: 'truncatedNormal'})"), 'model.ts');
  assert.equal(model.layers[1].initializers.kernel?.sampling?.kind === 'varianceScaling' && model.layers[1].initializers.kernel.sampling.sampler, 'uniform');
});

test("separableConv2d ignores a user's pointwiseInitializer in tfjs (it follows depthwiseInitializer)", () => {
  const code = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.separableConv2d({inputShape: [32, 32, 8], filters: 16, kernelSize: 3, depthwiseInitializer: 'heUniform', pointwiseInitializer: 'zeros'}));
`;
  const [model] = models(code, 'model.ts');
  const pointwise = model.layers[0].initializers.pointwise;
  assert.equal(pointwise?.ignoredByFramework, true);
  assert.deepEqual(pointwise?.sampling, { kind: 'varianceScaling', scale: 2, mode: 'fanIn', sampler: 'uniform' });
});

test('symmetric-init in tfjs with named imports; the fix inserts a property into the config object', () => {
  const code = `import {layers, sequential} from '@tensorflow/tfjs';
const model = sequential();
model.add(layers.dense({units: 16, inputShape: [16], activation: 'relu', kernelInitializer: 'zeros'}));
model.add(layers.dense({units: 1}));
`;
  const [finding] = findings(code, 'model.ts');
  assert.equal(finding.rule, 'symmetric-init');
  assert.equal(applyFix(code, finding.finding).includes("kernelInitializer: 'heUniform'"), true);
});

test('a zero conv then batchNormalization before tf.layers.add is a Fixup branch: no symmetric-init', () => {
  const code = `import * as tf from '@tensorflow/tfjs';
const input = tf.input({shape: [32, 32, 16]});
let x = tf.layers.conv2d({filters: 16, kernelSize: 3, padding: 'same', kernelInitializer: 'heUniform'}).apply(input) as tf.SymbolicTensor;
for (let i = 0; i < 4; i++) {
  let y = tf.layers.conv2d({filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: 'heUniform'}).apply(x) as tf.SymbolicTensor;
  y = tf.layers.conv2d({filters: 16, kernelSize: 3, padding: 'same', kernelInitializer: 'zeros'}).apply(y) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  x = tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
}
const output = tf.layers.dense({units: 10, kernelInitializer: 'glorotUniform'}).apply(tf.layers.globalAveragePooling2d({}).apply(x)) as tf.SymbolicTensor;
const model = tf.model({inputs: input, outputs: output});
`;
  assert.deepEqual(rules(code, 'model.ts'), []);
  // A ReLU between the zeros and the Add keeps the branch at zero with a zero gradient: that one is a bug.
  const dead = code.replace("tf.layers.batchNormalization().apply(y)", "tf.layers.reLU().apply(tf.layers.batchNormalization().apply(y))");
  assert.deepEqual(rules(dead, 'model.ts'), ['symmetric-init']);
});

test('orthogonal-gain in tfjs writes Math.SQRT2, adding the initializers import when only layers is imported', () => {
  const code = `import {layers, sequential} from '@tensorflow/tfjs';
const model = sequential();
model.add(layers.dense({units: 64, inputShape: [64], activation: 'relu', kernelInitializer: 'heUniform'}));
for (let i = 0; i < 20; i++) model.add(layers.dense({units: 64, activation: 'relu', kernelInitializer: 'orthogonal'}));
model.add(layers.dense({units: 1}));
`;
  const [finding] = findings(code, 'model.ts');
  assert.equal(finding.rule, 'orthogonal-gain');
  const fixed = applyFix(code, finding.finding);
  assert.match(fixed, /^import \{layers, sequential, initializers\} from '@tensorflow\/tfjs';/);
  assert.match(fixed, /kernelInitializer: initializers\.orthogonal\(\{gain: Math\.SQRT2\}\)/);
  assert.deepEqual(rules(fixed, 'model.ts'), []);
});

test('saturating-he and selu-lecun in tfjs: leCunNormal is short of 1/fan_in, the fix is exact', () => {
  const tanh = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({layers: [
  tf.layers.dense({units: 32, inputShape: [32], activation: 'tanh', kernelInitializer: 'heUniform'}),
  tf.layers.dense({units: 32, activation: 'selu', kernelInitializer: 'leCunNormal'}),
  tf.layers.dense({units: 1}),
]});
`;
  const found = findings(tanh, 'model.ts');
  assert.deepEqual(found.map((finding) => finding.rule), ['saturating-he', 'selu-lecun']);
  assert.ok(found.every((finding) => finding.severity === 'hint'), 'a two-layer net: hints');
  assert.match(applyFix(tanh, found[0].finding), /activation: 'tanh', kernelInitializer: 'glorotUniform'/);
  const selu = applyFix(tanh, found[1].finding);
  assert.match(selu, /kernelInitializer: tf\.initializers\.varianceScaling\(\{scale: 1\.292, mode: 'fanIn', distribution: 'normal'\}\)/);
  assert.deepEqual(rules(selu, 'model.ts'), ['hint:saturating-he']);
});

test('a config passed as a variable: the finding is reported, and no fix that could not edit anything is offered', () => {
  const code = `import * as tf from '@tensorflow/tfjs';
const hidden = {units: 64, activation: 'relu'};
const model = tf.sequential();
model.add(tf.layers.dense({units: 64, inputShape: [64], activation: 'relu', kernelInitializer: 'heUniform'}));
for (let i = 0; i < 20; i++) model.add(tf.layers.dense(hidden));
model.add(tf.layers.dense({units: 1}));
`;
  const [finding] = findings(code, 'model.ts');
  assert.equal(finding.rule, 'relu-glorot-deep');
  assert.deepEqual(finding.finding.fixes, []);
});

test('tf.layers.bidirectional and timeDistributed are read as the layers they wrap', () => {
  const code = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 64, returnSequences: true, recurrentInitializer: 'glorotUniform' }) as tf.layers.RNN, inputShape: [40, 16] }));
model.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'zeros' }) }));
model.add(tf.layers.dense({ units: 1 }));
`;
  assert.deepEqual(findings(code, 'model.ts').map((finding) => [finding.rule, finding.at]), [['recurrent-init', "'glorotUniform'"], ['symmetric-init', "'zeros'"]]);
  assert.deepEqual(models(code, 'model.ts')[0].layers.map((layer) => [layer.className, layer.fanIn]), [['lstm', 16], ['dense', 128], ['dense', 64]]);
});

test("a bare 'constant' string is reported with the error tfjs really throws (config must have value set)", () => {
  const [finding, ...rest] = findings(`import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({ layers: [
  tf.layers.dense({ units: 8, inputShape: [4], activation: 'relu', kernelInitializer: 'constant' }),
  tf.layers.dense({ units: 1 }),
] });`, 'model.ts');
  assert.equal(rest.length, 0);
  assert.equal(finding.rule, 'unknown-identifier');
  assert.match(finding.message, /throws "config must have value set"/);
  assert.doesNotMatch(finding.message, /Unknown initializer/);
});

test('a fixed-scale default behind an option (spec?.init ?? …) is fixed in place, keeping the option', () => {
  const code = `import * as tf from '@tensorflow/tfjs';
export function fromSpec(spec?: { init?: string }) {
  const model = tf.sequential();
  for (let i = 0; i < 10; i++) {
    model.add(tf.layers.dense({ units: 128, inputShape: i === 0 ? [128] : undefined, activation: 'relu',
      kernelInitializer: spec?.init ?? tf.initializers.truncatedNormal({ stddev: 0.02 }) }));
  }
  return model;
}`;
  const [finding, ...rest] = findings(code, 'model.ts');
  assert.equal(rest.length, 0);
  assert.equal(finding.rule, 'fixed-scale-init');
  assert.equal(finding.at, 'tf.initializers.truncatedNormal({ stddev: 0.02 })');
  const fixed = applyFix(code, finding.finding);
  assert.match(fixed, /kernelInitializer: spec\?\.init \?\? tf\.initializers\.heUniform\(\{\}\)/);
  assert.deepEqual(rules(fixed, 'model.ts').filter((rule) => rule === 'fixed-scale-init'), []);
});

test('recurrent-init reaches an encoder whose state only feeds the decoder through initialState', () => {
  const [finding, ...rest] = findings(`import * as tf from '@tensorflow/tfjs';
const encIn = tf.input({ shape: [null, 100] as any });
const [, stateH] = tf.layers.gru({ units: 64, returnState: true, recurrentInitializer: 'glorotUniform' }).apply(encIn) as tf.SymbolicTensor[];
const decIn = tf.input({ shape: [null, 100] as any });
const decOut = tf.layers.gru({ units: 64, returnSequences: true }).apply(decIn, { initialState: [stateH] }) as tf.SymbolicTensor;
export const seq2seq = tf.model({ inputs: [encIn, decIn], outputs: tf.layers.dense({ units: 100, activation: 'softmax' }).apply(decOut) as tf.SymbolicTensor });`, 'model.ts');
  assert.equal(rest.length, 0);
  assert.equal(finding.rule, 'recurrent-init');
  assert.equal(finding.at, "'glorotUniform'");
});

const seluStack = (layers: string) => `model.add(${layers}.dense({units: 64, inputShape: [64], activation: 'selu'}));
model.add(${layers}.dense({units: 64, activation: 'selu'}));
model.add(${layers}.dense({units: 1}));
`;

test('a <script> file on the global tf: the fix writes tf.initializers.… as the file does, and no import', () => {
  const code = `// Loaded after <script src="tf.min.js">.\nconst model = tf.sequential();\n${seluStack('tf.layers')}`;
  const [finding] = findings(code, 'app.js');
  assert.equal(finding.rule, 'selu-lecun');
  const fixed = applyFix(code, finding.finding);
  assert.doesNotMatch(fixed, /import/);
  assert.match(fixed, /activation: 'selu', kernelInitializer: tf\.initializers\.varianceScaling\(\{scale: 1\.292, mode: 'fanIn', distribution: 'normal'\}\)\}/);
  assert.equal(rules(fixed, 'app.js').length, rules(code, 'app.js').length - 1);
});

test('a CommonJS file with a destructured require: the fix adds initializers to it, never an ES import', () => {
  const code = `const { layers, sequential } = require('@tensorflow/tfjs-node');\nconst model = sequential();\n${seluStack('layers')}module.exports = { model };\n`;
  const [finding] = findings(code, 'model.js');
  const fixed = applyFix(code, finding.finding);
  assert.doesNotMatch(fixed, /import/);
  assert.match(fixed, /^const \{ layers, sequential, initializers \} = require\('@tensorflow\/tfjs-node'\);\n/);
  assert.match(fixed, /kernelInitializer: initializers\.varianceScaling\(/);
  assert.equal(rules(fixed, 'model.js').length, rules(code, 'model.js').length - 1);
});

test("depthwiseConv2d: tfjs's heNormal divides by k²·in, so the fix is varianceScaling in fanOut mode, in its exact uniform form", () => {
  const code = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.conv2d({inputShape: [32, 32, 3], filters: 128, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: 'heUniform'}));
for (let i = 0; i < 6; i++) {
  model.add(tf.layers.depthwiseConv2d({kernelSize: 3, padding: 'same', activation: 'relu', depthwiseInitializer: 'heNormal'}));
  model.add(tf.layers.conv2d({filters: 128, kernelSize: 1, activation: 'relu', kernelInitializer: 'heUniform'}));
}
model.add(tf.layers.flatten());
model.add(tf.layers.dense({units: 10, activation: 'softmax'}));
`;
  const [finding, ...rest] = findings(code, 'model.ts');
  assert.equal(rest.length, 0);
  assert.equal(finding.rule, 'relu-glorot-deep');
  assert.equal(finding.at, "'heNormal'");
  assert.match(finding.message, /fan_in = 1152, every input channel, but each depthwise output sums only 9 inputs/);
  const fixed = applyFix(code, finding.finding);
  // The uniform form: exact in tfjs, where a normal one would need scale 2/0.7737.
  assert.match(fixed, /depthwiseInitializer: tf\.initializers\.varianceScaling\(\{scale: 2, mode: 'fanOut', distribution: 'uniform'\}\)/);
  assert.deepEqual(rules(fixed, 'model.ts'), []);
});

test('a model input of unknown width through a merge layer: the next kernel is assumed square, never NaN', () => {
  // As in a conditional GAN generator: the latent size is a parameter, the class embedding multiplies it.
  const code = `import * as tf from '@tensorflow/tfjs';
export function buildGenerator(latentSize: number) {
  const latent = tf.input({ shape: [latentSize] });
  const label = tf.input({ shape: [1] });
  const embedded = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: 10, outputDim: latentSize }).apply(label)) as tf.SymbolicTensor;
  const h = tf.layers.multiply().apply([latent, embedded]) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 64, activation: 'relu' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: [latent, label], outputs: out });
}`;
  const [model] = models(code, 'gan.ts');
  const dense = model.layers.find((layer) => layer.kind === 'dense');
  assert.ok(dense && Number.isFinite(dense.fanIn) && dense.widthAssumed, `fan_in ${dense?.fanIn}`);
});

test('an embedding matrix [inputDim, outputDim] has those fans, and its inputLength is the model input shape', () => {
  // As in a conditional GAN: the class embedding drawn with glorotNormal (uncorrected truncated normal in tfjs).
  const [model] = models(`import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.embedding({ inputDim: 10, outputDim: 100, inputLength: 5, embeddingsInitializer: 'glorotNormal' }));
model.add(tf.layers.flatten());
model.add(tf.layers.dense({ units: 1 }));`, 'model.ts');
  const [embedding, , dense] = model.layers;
  assert.deepEqual([embedding.fanIn, embedding.fanOut], [10, 100]);
  const moments = propagate(model);
  assert.ok(Math.abs((moments[0].variance ?? NaN) - (0.7737413 * 2) / 110) < 1e-6, `Var ${moments[0].variance}`);
  assert.equal(dense.fanIn, 500);
});

test('a location blamed for one of its layers holds all of them: the loop layer whose own gain does not push', () => {
  // Glorot under ReLU: 128 → 2048 keeps 128/2176 of the variance (blamed), 2048 → 128 keeps 0.94 (not below 0.9),
  // yet both are written by the loop's one call, and its fix rewrites both. The layers after the loop are written
  // one by one, each its own location.
  const oneByOne = Array.from({ length: 20 }, () => "model.add(tf.layers.dense({units: 128, activation: 'relu', kernelInitializer: 'glorotUniform'}));").join('\n');
  const code = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({units: 128, inputShape: [128], activation: 'relu', kernelInitializer: 'heUniform'}));
for (const units of [2048, 128]) model.add(tf.layers.dense({units, activation: 'relu', kernelInitializer: 'glorotUniform'}));
${oneByOne}
model.add(tf.layers.dense({units: 10}));
`;
  const found = findings(code, 'model.ts');
  assert.equal(found.length, 21);
  assert.match(found[0].message, /^'glorotUniform' on 2 ReLU layers: /);
  assert.deepEqual(found[0].finding.layers, [1, 2]);
  assert.ok(found.slice(1).every((finding) => /^'glorotUniform' on 1 ReLU layer: /.test(finding.message)));
});
