/** A layer call as the core reads it: its config properties evaluated, their spans, and where a new one goes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insert, keywords, onlyModel, parseErrors, sliceOf, TFJS } from './extract';

const header = `import * as tf from '@tensorflow/tfjs';\n`;
/** The first layer's call of a one-layer sequential model written around `layer`. */
function firstCall(layer: string, before = '') {
  const text = `${header}${before}\nconst model = tf.sequential();\nmodel.add(${layer});\n`;
  return { text, call: onlyModel(text).layers[0].call };
}

test('config properties become keywords with the values written', () => {
  const { call } = firstCall(`tf.layers.dense({ units: 64, activation: 'relu', useBias: false, biasInitializer: null, kernelRegularizer: undefined, inputShape: [28, 28, 1] })`);
  assert.deepEqual(keywords(call), { units: 64, activation: 'relu', useBias: false, biasInitializer: null, kernelRegularizer: null, inputShape: [28, 28, 1] });
  assert.deepEqual(call.positional, []);
});

test('an initializer call is a nested call site with its own config', () => {
  const { text, call } = firstCall(`tf.layers.dense({ units: 8, kernelInitializer: tf.initializers.varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'normal' }) })`);
  const initializer = call.keyword.kernelInitializer;
  assert.equal(initializer.value.kind, 'call');
  if (initializer.value.kind !== 'call') return;
  assert.equal(initializer.value.call.callee, `${TFJS}.initializers.varianceScaling`);
  assert.deepEqual(keywords(initializer.value.call), { scale: 2, mode: 'fanIn', distribution: 'normal' });
  assert.equal(sliceOf(text, initializer.value.call.calleeSpan), 'tf.initializers.varianceScaling');
});

test('spans point at what is written: the value, the callee, the whole call', () => {
  const { text, call } = firstCall(`tf.layers.dense({ units: 4, kernelInitializer: 'heNormal' })`);
  assert.equal(sliceOf(text, call.keyword.kernelInitializer.span), `'heNormal'`);
  assert.equal(sliceOf(text, call.keyword.units.span), '4');
  assert.equal(sliceOf(text, call.calleeSpan), 'tf.layers.dense');
  assert.equal(sliceOf(text, call.span), `tf.layers.dense({ units: 4, kernelInitializer: 'heNormal' })`);
});

test('constants are evaluated in textual order, with arithmetic, casts and `as const`', () => {
  const before = `const WIDTH = 2 * 256;
let depth = 3;
depth = depth + 1;
const SCALE = (-WIDTH / 4) as number;
const SHAPE = [WIDTH, 3 ** 2 % 5] as const;
const NAME = \`dense_\${depth}\`;
const GAIN = Math.SQRT2 * Math.sqrt(4);`;
  const { call } = firstCall(`tf.layers.dense({ units: WIDTH, scale: SCALE, inputShape: SHAPE, name: NAME, depth, gain: GAIN })`, before);
  assert.deepEqual(keywords(call), { units: 512, scale: -128, inputShape: [512, 4], name: 'dense_4', depth: 4, gain: 2 * Math.SQRT2 });
});

test('a shorthand property reads its constant; its span is the name', () => {
  const { text, call } = firstCall(`tf.layers.dense({ units })`, `const units = 32;`);
  assert.equal(keywords(call).units, 32);
  assert.equal(sliceOf(text, call.keyword.units.span), 'units');
});

test('a config object by name, spread, or overridden by later properties', () => {
  const before = `const base = { units: 64, activation: 'relu' } satisfies tf.layers.DenseLayerArgs;`;
  const byName = firstCall(`tf.layers.dense(base)`, before);
  assert.deepEqual(keywords(byName.call), { units: 64, activation: 'relu' });
  assert.equal(sliceOf(byName.text, byName.call.keyword.activation.span), `'relu'`);
  const spread = firstCall(`tf.layers.dense({ ...base, activation: 'tanh', kernelInitializer: 'heNormal' })`, before);
  assert.deepEqual(keywords(spread.call), { units: 64, activation: 'tanh', kernelInitializer: 'heNormal' });
});

test('an initializer object stored in a constant is the call that made it', () => {
  const { text, call } = firstCall(`tf.layers.dense({ units: 4, kernelInitializer: init })`, `const init = tf.initializers.heNormal({ seed: 1 });`);
  assert.deepEqual(keywords(call).kernelInitializer, { call: `${TFJS}.initializers.heNormal`, seed: 1 });
  // The argument's span is where it is used, so a fix replaces `init` in this call only.
  assert.equal(sliceOf(text, call.keyword.kernelInitializer.span), 'init');
});

test('calls and references are reported as written; values nobody can know are unknown', () => {
  const { call } = firstCall(`tf.layers.dense({ units: readWidth(), activation: tf.nn.relu, kernelInitializer: options.init })`, `declare const options: any;`);
  assert.deepEqual(keywords(call), { units: { call: 'readWidth' }, activation: { reference: `${TFJS}.nn.relu` }, kernelInitializer: '?' });
});

test('arguments other than the config object are positional', () => {
  const { text, call } = firstCall(`tf.layers.dense({ units: 1 }, 'extra')`);
  assert.equal(call.positional.length, 1);
  assert.equal(sliceOf(text, call.positional[0].span), `'extra'`);
});

test('a new config property goes after the last one, in the style of the object', () => {
  const cases: [string, string][] = [
    [`tf.layers.dense({ units: 4 })`, `tf.layers.dense({ units: 4, kernelInitializer: 'heNormal' })`],
    [`tf.layers.dense({units: 4,})`, `tf.layers.dense({units: 4, kernelInitializer: 'heNormal'})`],
    [`tf.layers.dense({})`, `tf.layers.dense({kernelInitializer: 'heNormal'})`],
    [`tf.layers.dense()`, `tf.layers.dense({kernelInitializer: 'heNormal'})`],
    [`tf.layers.dense({ ...base })`, `tf.layers.dense({ ...base, kernelInitializer: 'heNormal' })`],
    [
      `tf.layers.dense({\n  units: 4,\n  activation: 'relu',\n})`,
      `tf.layers.dense({\n  units: 4,\n  activation: 'relu',\n  kernelInitializer: 'heNormal',\n})`,
    ],
    [
      `tf.layers.dense({\n    units: 4, // width\n    activation: 'relu' /* hidden */\n  })`,
      `tf.layers.dense({\n    units: 4, // width\n    activation: 'relu',\n    kernelInitializer: 'heNormal' /* hidden */\n  })`,
    ],
  ];
  for (const [layer, expected] of cases) {
    const { text, call } = firstCall(layer, `const base = { units: 4 };`);
    const fixed = insert(text, call.insertAt, `kernelInitializer: 'heNormal'`);
    assert.ok(fixed.includes(expected), `${layer}\n→\n${fixed}`);
    assert.equal(parseErrors(fixed), 0, fixed);
  }
});

test('a config passed by name offers no insertion point (offset -1): fixes would have to rewrite it', () => {
  const { call } = firstCall(`tf.layers.dense(base)`, `const base = { units: 4 };`);
  assert.deepEqual(call.insertAt, { offset: -1, prefix: '', suffix: '' });
});

test('a type assertion around the config still takes insertions', () => {
  const { text, call } = firstCall(`tf.layers.dense({ units: 4 } as tf.layers.DenseLayerArgs)`);
  assert.ok(insert(text, call.insertAt, 'useBias: false').includes(`{ units: 4, useBias: false } as`));
});
