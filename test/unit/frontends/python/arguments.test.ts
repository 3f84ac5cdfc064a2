/** Layer call arguments: evaluated values, spans that point at what is written, and where a new one goes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallSite } from '../../../../src/core/ir';
import { extractPython } from '../../../../src/frontends/python';
import { argsOf, model, show, textAt } from './extract';

const firstCall = (code: string): CallSite => extractPython(code).models[0].layers[0].call;

test('values: numbers, strings, booleans, None, tuples and lists', () => {
  const code = `import keras
model = keras.Sequential([keras.layers.Conv2D(32, (3, 3), padding="same", use_bias=False, bias_regularizer=None, strides=[1, 2], dilation_rate=1.5e0)])
`;
  assert.deepEqual(argsOf(firstCall(code)), {
    positional: [32, [3, 3]],
    keyword: { padding: 'same', use_bias: false, bias_regularizer: null, strides: [1, 2], dilation_rate: 1.5 },
  });
});

test('a float written with a trailing dot (scale=2., -1., 1. / n) is that number, its span up to the dot', () => {
  const code = `import keras
from keras.initializers import VarianceScaling
n = 3
model = keras.Sequential([keras.layers.Dense(4, kernel_initializer=VarianceScaling(scale=2., mode='fan_in'), bias_initializer=keras.initializers.Constant(-1.)),
                          keras.layers.Dropout(1. / n)])
`;
  const [dense, dropout] = model(code, 'model').layers.map((layer) => layer.call);
  const kernel = dense.keyword.kernel_initializer.value;
  assert.ok(kernel.kind === 'call');
  assert.deepEqual(argsOf(kernel.call).keyword, { scale: 2, mode: 'fan_in' });
  assert.equal(textAt(code, kernel.call.keyword.scale.span), '2.');
  const bias = dense.keyword.bias_initializer.value;
  assert.ok(bias.kind === 'call');
  assert.deepEqual(argsOf(bias.call).positional, [-1]);
  assert.ok(Math.abs((show(dropout.positional[0].value) as number) - 1 / 3) < 1e-12);
});

test('initializer calls are nested call sites, resolved through the imports', () => {
  const code = `import keras
from keras import initializers
from keras.initializers import HeNormal
model = keras.Sequential([
    keras.layers.Dense(4, kernel_initializer=HeNormal(), bias_initializer=initializers.VarianceScaling(2.0, 'fan_in')),
    keras.layers.Dense(4, kernel_initializer=keras.initializers.RandomNormal(stddev=0.05)),
])
`;
  const raw = model(code, 'model');
  const [first, second] = raw.layers.map((layer) => layer.call);
  const kernel = first.keyword.kernel_initializer;
  assert.equal(textAt(code, kernel.span), 'HeNormal()');
  assert.equal(kernel.value.kind === 'call' && kernel.value.call.callee, 'keras.initializers.HeNormal');
  const bias = first.keyword.bias_initializer.value;
  assert.ok(bias.kind === 'call');
  assert.deepEqual(argsOf(bias.call), { positional: [2, 'fan_in'], keyword: {} });
  assert.equal(textAt(code, bias.call.positional[1].span), "'fan_in'");
  const normal = second.keyword.kernel_initializer.value;
  assert.ok(normal.kind === 'call');
  assert.deepEqual(argsOf(normal.call), { positional: [], keyword: { stddev: 0.05 } });
  assert.equal(textAt(code, normal.call.keyword.stddev.span), '0.05');
});

test('dotted names are references resolved through the imports; what cannot be evaluated is unknown', () => {
  const code = `import tensorflow as tf
def build(units):
    return tf.keras.Sequential([tf.keras.layers.Dense(units, activation=tf.nn.relu, kernel_regularizer=make_reg())])
`;
  assert.deepEqual(argsOf(firstCall(code)), {
    positional: ['?'],
    keyword: { activation: '&tensorflow.nn.relu', kernel_regularizer: 'make_reg()' },
  });
});

test('keyword spans cover the value only; constants keep the span of the name written in the call', () => {
  const code = `import keras
ACT = 'relu'
INIT = keras.initializers.HeNormal()
WIDTH = 2 * 256
model = keras.Sequential([keras.layers.Dense(units=WIDTH, activation=ACT, kernel_initializer=INIT)])
`;
  const call = firstCall(code);
  assert.deepEqual(argsOf(call), { positional: [], keyword: { units: 512, activation: 'relu', kernel_initializer: 'keras.initializers.HeNormal()' } });
  assert.equal(textAt(code, call.keyword.units.span), 'WIDTH');
  assert.equal(textAt(code, call.keyword.activation.span), 'ACT');
  assert.equal(textAt(code, call.keyword.kernel_initializer.span), 'INIT');
});

test('string literals: quotes, prefixes, escapes, implicit concatenation', () => {
  const code = `import keras
model = keras.Sequential([keras.layers.Dense(1, activation=r"re" 'lu', name="a\\tb", kernel_initializer='''he_normal''')])
`;
  assert.deepEqual(argsOf(firstCall(code)).keyword, { activation: 'relu', name: 'a\tb', kernel_initializer: 'he_normal' });
});

test('**config and *args spread into the call', () => {
  const code = `import keras
config = dict(activation='relu', kernel_initializer='he_normal')
shape = [7]
model = keras.Sequential([keras.layers.Dense(*shape, **config)])
`;
  const call = firstCall(code);
  assert.deepEqual(argsOf(call), { positional: [7], keyword: { activation: 'relu', kernel_initializer: 'he_normal' } });
  assert.equal(textAt(code, call.keyword.activation.span), "'relu'");
});

test('math on constants: math.sqrt, np.sqrt and pi', () => {
  const code = `import math
import numpy as np
import keras
FAN_IN = 512
model = keras.Sequential([keras.layers.Dense(4, kernel_initializer=keras.initializers.RandomNormal(stddev=math.sqrt(2 / FAN_IN) * np.sqrt(4) / math.pi))])
`;
  const initializer = firstCall(code).keyword.kernel_initializer.value;
  assert.ok(initializer.kind === 'call');
  const stddev = initializer.call.keyword.stddev.value;
  assert.ok(stddev.kind === 'number');
  assert.ok(Math.abs(stddev.value - (Math.sqrt(2 / 512) * 2) / Math.PI) < 1e-12);
});

/** Inserts `kernel_initializer='he_normal'` where the call says and returns the new text. */
function insertKeyword(code: string, call: CallSite): string {
  const { offset, prefix, suffix } = call.insertAt;
  return code.slice(0, offset) + prefix + "kernel_initializer='he_normal'" + suffix + code.slice(offset);
}

const insertionCases: [string, string, string][] = [
  ['after the last argument', 'Dense(64)', "Dense(64, kernel_initializer='he_normal')"],
  ['into empty parentheses', 'Dense()', "Dense(kernel_initializer='he_normal')"],
  ['after a trailing comma on one line', 'Dense(64,)', "Dense(64, kernel_initializer='he_normal')"],
  ['after a trailing comma and a space', 'Dense(64, )', "Dense(64, kernel_initializer='he_normal')"],
  ['after keyword arguments', 'Dense(64, activation="relu")', `Dense(64, activation="relu", kernel_initializer='he_normal')`],
  ['after **kwargs', 'Dense(64, **kw)', "Dense(64, **kw, kernel_initializer='he_normal')"],
  ['in a multi-line call with a trailing comma', 'Dense(\n    64,\n    activation="relu",\n)', `Dense(\n    64,\n    activation="relu", kernel_initializer='he_normal',\n)`],
  ['before a comment in the call', 'Dense(64  # units\n)', "Dense(64, kernel_initializer='he_normal'  # units\n)"],
  ['into parentheses spanning lines', 'Dense(\n)', "Dense(\nkernel_initializer='he_normal')"],
];

for (const [where, call, expected] of insertionCases) {
  test(`a new keyword argument goes ${where}, and the code still parses`, () => {
    const code = `from keras.layers import Dense\nkw = {}\nmodel = Sequential([${call}])\n`;
    const inserted = insertKeyword(code, firstCall(code));
    assert.equal(inserted, code.replace(call, expected));
    const reparsed = extractPython(inserted);
    assert.deepEqual(reparsed.syntaxProblems, []);
    assert.equal(argsOf(reparsed.models[0].layers[0].call).keyword.kernel_initializer, 'he_normal');
  });
}

test('a serialized initializer dict {"class_name": …, "config": {…}} is the call of that class (Keras applications write them so)', () => {
  const code = `from tensorflow.keras import layers, Sequential
CONV_KERNEL_INITIALIZER = {
    "class_name": "VarianceScaling",
    "config": {"scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"},
}
model = Sequential([layers.Conv2D(32, 3, kernel_initializer=CONV_KERNEL_INITIALIZER, input_shape=(32, 32, 3))])
`;
  const written = model(code, 'model').layers[0].call.keyword.kernel_initializer;
  assert.equal(textAt(code, written.span), 'CONV_KERNEL_INITIALIZER');
  assert.equal(written.value.kind, 'call');
  assert.deepEqual(argsOf((written.value as { call: CallSite }).call), {
    positional: [],
    keyword: { scale: 2, mode: 'fan_out', distribution: 'truncated_normal' },
  });
  assert.equal(show(written.value), 'VarianceScaling()');
});
