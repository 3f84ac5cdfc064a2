/** Sequential models, in every way people write them, come out as their layer calls in order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callees, model, modelsOf, show, textAt, widths } from './extract';

test('a Sequential list: callees resolved through the imports, named by its variable, spanning its statement', () => {
  const code = `import tensorflow as tf
from keras import layers

model = tf.keras.Sequential([
    layers.Dense(64, activation='relu'),
    tf.keras.layers.Dense(10),
])
`;
  const mlp = model(code, 'model');
  assert.equal(mlp.style, 'sequential');
  assert.deepEqual(callees(mlp), ['keras.layers.Dense', 'tensorflow.keras.layers.Dense']);
  assert.deepEqual(mlp.layers.map((layer) => layer.inputs), [[], [0]]);
  assert.ok(textAt(code, mlp.span).startsWith('model = tf.keras.Sequential(['));
  assert.ok(textAt(code, mlp.span).endsWith('])'));
  assert.equal(textAt(code, mlp.layers[0].call.span), "layers.Dense(64, activation='relu')");
  assert.equal(textAt(code, mlp.layers[0].call.calleeSpan), 'layers.Dense');
});

test('keras.models.Sequential, a name= argument, and names that are not imported keep their written form', () => {
  const code = `net = keras.models.Sequential([Dense(4), Flatten()], name='tiny')
`;
  const net = model(code, 'net');
  assert.deepEqual(callees(net), ['Dense', 'Flatten']);
});

test('a Sequential that is not assigned is named by its name= argument, else by its line', () => {
  const code = `import keras

def build():
    return keras.Sequential([keras.layers.Dense(2)], name='head')

def other():
    return keras.Sequential([keras.layers.Dense(3)])
`;
  assert.deepEqual(modelsOf(code).map((raw) => raw.name), ['head', 'Sequential@7']);
  assert.equal(textAt(code, model(code, 'head').span), "return keras.Sequential([keras.layers.Dense(2)], name='head')");
});

test('a model a function returns unnamed takes the name of the variable it is assigned to', () => {
  const code = `import keras
def make_classifier():
    return keras.Sequential([keras.layers.Dense(10)])

classifier = make_classifier()
`;
  assert.deepEqual(modelsOf(code).map((raw) => raw.name), ['classifier']);
});

test('an Input first in the list becomes the input shape, not a layer', () => {
  const code = `import keras
model = keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
`;
  const raw = model(code, 'model');
  assert.deepEqual(callees(raw), ['keras.layers.Flatten', 'keras.layers.Dense']);
  assert.equal(textAt(code, raw.inputShape!.span), '(28, 28, 1)');
  assert.deepEqual(raw.inputShape!.value.kind === 'array' && raw.inputShape!.value.items.map((item) => item.value), [
    { kind: 'number', value: 28 }, { kind: 'number', value: 28 }, { kind: 'number', value: 1 },
  ]);
});

test('a list comprehension repeats its layer once per item, each copy marked', () => {
  const code = `from keras import Sequential
from keras.layers import Dense
model = Sequential([Dense(64, activation='relu') for _ in range(20)] + [Dense(1)])
`;
  const raw = model(code, 'model');
  assert.equal(raw.layers.length, 21);
  assert.deepEqual(raw.layers[7].repeat, { iteration: 7, count: 20 });
  assert.equal(raw.layers[20].repeat, undefined);
  assert.equal(raw.layers[0].call.span.start, raw.layers[19].call.span.start);
});

test('list concatenation, *unpacking and [layer] * n', () => {
  const code = `from keras import layers, Sequential
hidden = [layers.Dense(16, activation="relu") for _ in range(2)]
model = Sequential([layers.Dense(16, input_shape=(16,)), *hidden] + [layers.Dropout(0.1)] * 3 + [layers.Dense(1)])
`;
  const raw = model(code, 'model');
  assert.deepEqual(callees(raw).map((callee) => callee.slice('keras.layers.'.length)), ['Dense', 'Dense', 'Dense', 'Dropout', 'Dropout', 'Dropout', 'Dense']);
  assert.deepEqual(raw.layers.slice(3, 6).map((layer) => layer.repeat), [{ iteration: 0, count: 3 }, { iteration: 1, count: 3 }, { iteration: 2, count: 3 }]);
});

test('a list built first, appended to in a loop, then given to Sequential', () => {
  const code = `import keras
blocks = []
for i in range(3):
    blocks.append(keras.layers.Dense(16 * (i + 1)))
    if i % 2 == 0:
        blocks.append(keras.layers.Dropout(0.2))
model = keras.Sequential(blocks)
`;
  const raw = model(code, 'model');
  assert.deepEqual(widths(raw), [16, 0.2, 32, 48, 0.2]);
  assert.deepEqual(raw.layers.map((layer) => layer.repeat?.iteration), [0, 0, 1, 2, 2]);
});

test('model.add in a for loop over range(DEPTH) repeats one call DEPTH times', () => {
  const code = `from keras import Sequential
from keras.layers import Dense
DEPTH = 4 * 5
model = Sequential()
for _ in range(DEPTH):
    model.add(Dense(32, activation="relu"))
model.add(Dense(1))
`;
  const raw = model(code, 'model');
  assert.equal(raw.layers.length, 21);
  assert.deepEqual(raw.layers[7].repeat, { iteration: 7, count: 20 });
  assert.deepEqual(raw.layers[20].inputs, [19]);
  assert.equal(textAt(code, raw.span), 'model = Sequential()');
});

test('range(start, stop) and range(start, stop, step) bounds', () => {
  const code = `import keras
model = keras.Sequential()
for i in range(2, 6):
    model.add(keras.layers.Dense(i))
for i in range(10, 0, -4):
    model.add(keras.layers.Dense(i))
`;
  assert.deepEqual(widths(model(code, 'model')), [2, 3, 4, 5, 10, 6, 2]);
});

test('nested loops: every copy, marked by its place in the whole nest', () => {
  const code = `import keras
model = keras.Sequential()
for stage in range(3):
    for _ in range(2):
        model.add(keras.layers.Conv2D(32 * 2 ** stage, 3))
    model.add(keras.layers.MaxPooling2D())
`;
  const raw = model(code, 'model');
  assert.deepEqual(widths(raw), [32, 32, '?', 64, 64, '?', 128, 128, '?']);
  assert.deepEqual(raw.layers.filter((layer) => layer.call.callee.endsWith('Conv2D')).map((layer) => layer.repeat), [
    { iteration: 0, count: 6 }, { iteration: 1, count: 6 }, { iteration: 2, count: 6 },
    { iteration: 3, count: 6 }, { iteration: 4, count: 6 }, { iteration: 5, count: 6 },
  ]);
  assert.deepEqual(raw.layers[2].repeat, { iteration: 0, count: 3 });
});

test('a loop over a list of widths binds the loop variable on each iteration', () => {
  const code = `import keras
model = keras.Sequential()
for units in [512, 256, 128]:
    model.add(keras.layers.Dense(units, activation='tanh'))
for i, width in enumerate((8, 4)):
    model.add(keras.layers.Dense(width, name=f"d{i}"))
`;
  assert.deepEqual(widths(model(code, 'model')), [512, 256, 128, 8, 4]);
});

test('constants are evaluated in textual order, with arithmetic', () => {
  const code = `import keras
WIDTH = 2 * 256
WIDTH = WIDTH // 4 + 3 ** 2 - 1
HALF = -WIDTH / 2 % 7
model = keras.Sequential([keras.layers.Dense(WIDTH), keras.layers.Dense(HALF)])
`;
  // 512 // 4 + 9 - 1 = 136; -136 / 2 = -68; Python's -68 % 7 = 2
  assert.deepEqual(widths(model(code, 'model')), [136, 2]);
});

test('a while loop with a known condition is unrolled', () => {
  const code = `import keras
model = keras.Sequential()
i = 0
while i < 3:
    model.add(keras.layers.Dense(8))
    i += 1
`;
  assert.equal(model(code, 'model').layers.length, 3);
});

test('a Sequential nested in another is flattened into it and not reported on its own', () => {
  const code = `import keras
block = keras.Sequential([keras.layers.Dense(8), keras.layers.Dense(8)])
model = keras.Sequential([keras.layers.Dense(8), block, keras.layers.Dense(1)])
`;
  assert.deepEqual(modelsOf(code).map((raw) => [raw.name, raw.layers.length]), [['model', 4]]);
});

test('a build function never called in the file is read with its default arguments', () => {
  const code = `import keras
def build_model(depth=6, width=128):
    model = keras.Sequential()
    for _ in range(depth):
        model.add(keras.layers.Dense(width, activation="relu"))
    return model
`;
  const raw = model(code, 'model');
  assert.equal(raw.layers.length, 6);
  assert.deepEqual(widths(raw)[0], 128);
});

test('a build function called with different arguments builds one model per call; the same arguments, one model', () => {
  const code = `import keras
def build_model(depth, width=128):
    model = keras.Sequential()
    for _ in range(depth):
        model.add(keras.layers.Dense(width))
    return model

small = build_model(2, width=16)
large = build_model(50)
again = build_model(2, width=16)
ensemble = [build_model(3, 8) for _ in range(4)]
`;
  assert.deepEqual(modelsOf(code).map((raw) => [raw.name, raw.layers.length, widths(raw)[0]]), [['model', 2, 16], ['model', 50, 128], ['model', 3, 8]]);
});

test('functools.partial layers merge the bound arguments into each call', () => {
  const code = `from functools import partial
import keras
DefaultConv2D = partial(keras.layers.Conv2D, kernel_size=3, activation='relu', padding='same')
model = keras.Sequential([DefaultConv2D(64, kernel_size=7), DefaultConv2D(128)])
`;
  const raw = model(code, 'model');
  assert.deepEqual(callees(raw), ['keras.layers.Conv2D', 'keras.layers.Conv2D']);
  assert.equal(raw.layers[0].call.keyword.kernel_size.value.kind === 'number' && raw.layers[0].call.keyword.kernel_size.value.value, 7);
  assert.equal(textAt(code, raw.layers[1].call.keyword.activation.span), "'relu'");
  assert.equal(textAt(code, raw.layers[1].call.span), 'DefaultConv2D(128)');
});

test('model.build(input_shape) gives the input shape without the batch dimension', () => {
  const code = `import keras
model = keras.Sequential()
model.add(keras.layers.Dense(3))
model.build((None, 20))
`;
  const shape = model(code, 'model').inputShape!;
  assert.equal(shape.value.kind === 'array' && shape.value.items.length, 1);
});

test('any call in a Sequential list is a layer, even one the front end cannot name', () => {
  const code = `import keras
from .blocks import ResidualBlock
def make_head(n):
    return keras.layers.Dense(n)
model = keras.Sequential([ResidualBlock(64), make_head(10), get_layer()(3)])
`;
  assert.deepEqual(callees(model(code, 'model')), ['ResidualBlock', 'keras.layers.Dense', 'get_layer()']);
});

test('Sequential(layers=[...]), model.add inside with blocks, and if branches chosen by known conditions', () => {
  const code = `import tensorflow as tf
USE_DROPOUT = False
NORM = "batch"
strategy = tf.distribute.MirroredStrategy()
with strategy.scope():
    model = tf.keras.Sequential(layers=[tf.keras.layers.InputLayer(input_shape=(8,))])
    model.add(tf.keras.layers.Dense(8))
    if USE_DROPOUT:
        model.add(tf.keras.layers.Dropout(0.5))
    if NORM == "layer":
        model.add(tf.keras.layers.LayerNormalization())
    elif NORM is not None:
        model.add(tf.keras.layers.BatchNormalization())
`;
  assert.deepEqual(callees(model(code, 'model')).map((callee) => callee.slice('tensorflow.keras.layers.'.length)), ['InputLayer', 'Dense', 'BatchNormalization']);
});

test('match statements choose the case the subject matches: literals, |, as, value patterns and guards', () => {
  const code = `import keras
from enum import Enum

def pick_init(kind):
    match kind:
        case "relu" | "gelu":
            return "he_normal"
        case "selu" as chosen if chosen:
            return "lecun_normal"
        case _:
            return "glorot_uniform"

def norm_layer(norm):
    match norm:
        case None:
            return keras.layers.Dropout(0.1)
        case "batch":
            return keras.layers.BatchNormalization()
        case other:
            return keras.layers.LayerNormalization()

model = keras.Sequential([
    keras.layers.Dense(8, activation="selu", kernel_initializer=pick_init("selu")),
    keras.layers.Dense(8, kernel_initializer=pick_init("tanh")),
    norm_layer("batch"),
    norm_layer("group"),
])
`;
  const raw = model(code, 'model');
  assert.deepEqual(raw.layers.slice(0, 2).map((layer) => show(layer.call.keyword.kernel_initializer.value)), ['lecun_normal', 'glorot_uniform']);
  assert.deepEqual(callees(raw).slice(2), ['keras.layers.BatchNormalization', 'keras.layers.LayerNormalization']);
});

test('a match on a subject that cannot be known runs its first case, as an unknown if runs its branch', () => {
  const code = `import keras
def build(kind):
    model = keras.Sequential()
    match kind:
        case "wide":
            model.add(keras.layers.Dense(512))
        case _:
            model.add(keras.layers.Dense(8))
    return model
`;
  assert.deepEqual(widths(model(code, 'model')), [512]);
});

test('a loop over np.arange or tf.range of integers runs as many times as range would', () => {
  const code = (sequence: string) => `import numpy as np
import tensorflow as tf
from keras import layers, Sequential

model = Sequential()
for i in ${sequence}:
    model.add(layers.Dense(64, activation='relu'))
model.add(layers.Dense(1))
`;
  for (const sequence of ['np.arange(6)', 'np.arange(2, 8)', 'tf.range(0, 12, 2)', 'numpy.arange(6)']) {
    assert.equal(model(code(sequence).replace('import numpy as np', 'import numpy as np\nimport numpy'), 'model').layers.length, 7, sequence);
  }
  // A float sequence has no count InitLint knows: the loop body is read once, as for any unknown iterable.
  assert.equal(model(code('np.arange(0.0, 1.0, 0.25)'), 'model').layers.length, 2);
});
