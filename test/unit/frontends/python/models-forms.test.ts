/** The Keras front end finds models in every way people write them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractPython } from '../../../../src/frontends/python';
import { models } from '../../../helpers/snippets';
import { model, show, widths } from './extract';

const classes = (code: string, index = 0) => models(code)[index].layers.map((layer) => layer.className);

test('Sequential list with keras.Input, tf.keras paths and name=', () => {
  const code = `import tensorflow as tf
model = tf.keras.Sequential([tf.keras.Input(shape=(784,)), tf.keras.layers.Dense(64, activation='relu'), tf.keras.layers.Dense(10)], name='mlp')
`;
  const [model] = models(code);
  assert.equal(model.name, 'model');
  assert.deepEqual(model.inputShape, [784]);
  assert.deepEqual(model.layers.map((layer) => [layer.className, layer.fanIn, layer.fanOut]), [['Dense', 784, 64], ['Dense', 64, 10]]);
});

test('model.add inside for loops with constant bounds repeats one source location', () => {
  const code = `from keras import Sequential
from keras.layers import Dense
DEPTH = 4 * 5
model = Sequential()
for _ in range(DEPTH):
    model.add(Dense(32, activation="relu", input_shape=(32,)))
model.add(Dense(1))
`;
  const [model] = models(code);
  assert.equal(model.layers.length, 21);
  assert.deepEqual(model.layers[7].repeat, { iteration: 7, count: 20 });
  assert.equal(model.layers[0].call.span.start, model.layers[19].call.span.start);
});

test('range with start and step, and a loop over a list of widths', () => {
  const code = `import keras
model = keras.Sequential()
for units in [512, 256, 128]:
    model.add(keras.layers.Dense(units, activation='tanh'))
for i in range(2, 10, 4):
    model.add(keras.layers.Dense(8))
`;
  const [model] = models(code);
  assert.deepEqual(model.layers.map((layer) => layer.width), [512, 256, 128, 8, 8]);
});

test('list comprehensions, concatenation, unpacking and [layer] * n', () => {
  const code = `from keras import layers, Sequential
hidden = [layers.Dense(16, activation="relu") for _ in range(3)]
model = Sequential([layers.Dense(16, input_shape=(16,)), *hidden] + [layers.Dropout(0.1)] * 2 + [layers.Dense(1)])
`;
  assert.deepEqual(classes(code), ['Dense', 'Dense', 'Dense', 'Dense', 'Dropout', 'Dropout', 'Dense']);
});

test('a list appended in a loop, then given to Sequential', () => {
  const code = `import keras
blocks = []
for i in range(5):
    blocks.append(keras.layers.Dense(64, activation='relu'))
model = keras.Sequential(blocks)
`;
  assert.equal(models(code)[0].layers.length, 5);
});

test('functional models: Input, layer chains, shared layers, Add and Concatenate', () => {
  const code = `import keras
from keras import layers
inputs = keras.Input(shape=(32,))
x = layers.Dense(32, activation="relu")(inputs)
shortcut = x
for _ in range(2):
    x = layers.Dense(32, activation="relu")(x)
x = layers.Add()([x, shortcut])
y = layers.concatenate([x, inputs])
outputs = layers.Dense(1)(y)
model = keras.Model(inputs=inputs, outputs=outputs)
`;
  const [model] = models(code);
  assert.equal(model.style, 'functional');
  assert.deepEqual(model.layers.map((layer) => layer.className), ['Dense', 'Dense', 'Dense', 'Add', 'concatenate', 'Dense']);
  assert.deepEqual(model.layers[3].inputs, [2, 0]);
  assert.deepEqual(model.layers[4].inputs, [3, -1]); // -1: the model input itself
  assert.equal(model.layers[5].fanIn, 64);
});

test('functional: separate activation layers fold into the layer they follow', () => {
  const code = `from tensorflow import keras
inputs = keras.Input((8,))
x = keras.layers.Dense(8)(inputs)
x = keras.layers.LeakyReLU(negative_slope=0.1)(x)
x = keras.layers.Dense(8)(x)
x = keras.layers.Activation("tanh")(x)
model = keras.Model(inputs, x)
`;
  const [model] = models(code);
  assert.deepEqual(model.layers.map((layer) => [layer.className, layer.activation.spec.id, layer.activation.spec.parameter]), [
    ['Dense', 'leakyRelu', 0.1],
    ['Dense', 'tanh', undefined],
  ]);
});

test('helper functions that build blocks are inlined with their arguments', () => {
  const code = `import keras
from keras import layers

def block(x, units):
    x = layers.Dense(units)(x)
    return layers.ReLU()(x)

inputs = keras.Input(shape=(10,))
x = inputs
for width in [64, 32]:
    x = block(x, width)
model = keras.Model(inputs, layers.Dense(1)(x))
`;
  const [model] = models(code);
  assert.deepEqual(model.layers.map((layer) => [layer.width, layer.activation.spec.id]), [[64, 'relu'], [32, 'relu'], [1, 'linear']]);
});

test('a build function that is never called is still analysed with its defaults', () => {
  const code = `import keras
def build_model(depth=6, width=128):
    model = keras.Sequential()
    for _ in range(depth):
        model.add(keras.layers.Dense(width, activation="relu"))
    return model
`;
  assert.equal(models(code)[0].layers.length, 6);
});

test('subclassed models: layers from __init__, order from call', () => {
  const code = `import keras
class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.blocks = [keras.layers.Dense(64, activation="relu") for _ in range(3)]
        self.out = keras.layers.Dense(10)
        self.first = keras.layers.Dense(64)

    def call(self, x):
        x = self.first(x)
        for block in self.blocks:
            x = block(x)
        return self.out(x)
`;
  const [model] = models(code);
  assert.equal(model.name, 'Net');
  assert.equal(model.style, 'subclassed');
  assert.deepEqual(model.layers.map((layer) => layer.width), [64, 64, 64, 64, 10]);
});

test('initializers and activations as strings, classes, functions and references', () => {
  const code = `import tensorflow as tf
from keras import initializers, activations
from keras.initializers import VarianceScaling
model = tf.keras.Sequential([
    tf.keras.layers.Dense(4, activation=tf.nn.relu, kernel_initializer=initializers.RandomNormal(0.0, 0.2)),
    tf.keras.layers.Dense(4, activation=activations.gelu, kernel_initializer=VarianceScaling(2.0, "fan_in", "uniform")),
    tf.keras.layers.Dense(4, activation="selu", kernel_initializer=tf.keras.initializers.he_normal()),
])
`;
  const layers = models(code)[0].layers;
  assert.deepEqual(layers.map((layer) => layer.activation.spec.id), ['relu', 'gelu', 'selu']);
  assert.deepEqual(layers[0].initializers.kernel?.sampling, { kind: 'normal', sampler: 'normal', mean: 0, stddev: 0.2 });
  assert.deepEqual(layers[1].initializers.kernel?.sampling, { kind: 'varianceScaling', scale: 2, mode: 'fanIn', sampler: 'uniform' });
  assert.equal(layers[2].initializers.kernel?.id, 'heNormal');
});

test('imports, comments and an insertion point that keeps the call valid', () => {
  const code = `from keras.initializers import (HeNormal,
    GlorotUniform)
import keras  # the framework
model = keras.Sequential([keras.layers.Dense(3,), keras.layers.Dense()])
`;
  const extracted = extractPython(code);
  assert.equal(extracted.imports.bindings.GlorotUniform, 'keras.initializers.GlorotUniform');
  assert.equal(code.slice(0, extracted.imports.extendableImports['keras.initializers'].offset).endsWith('GlorotUniform'), true);
  assert.deepEqual(extracted.comments.map((comment) => comment.text), [' the framework']);
  const [withTrailingComma, empty] = extracted.models[0].layers.map((layer) => layer.call.insertAt);
  assert.equal(withTrailingComma.prefix, ' ');
  assert.equal(empty.prefix, '');
});

test('incomplete code being typed never throws and keeps the models before the cut', () => {
  const code = `import keras
from keras import layers
model = keras.Sequential([layers.Dense(8, activation="relu"), layers.Dense(1)])
other = keras.Sequential()
for _ in range(3):
    other.add(layers.Dense(4, kernel_initializer="he_normal"))
`;
  const complete = code.indexOf('other =');
  for (let cut = 0; cut <= code.length; cut += 7) {
    const extracted = extractPython(code.slice(0, cut));
    if (cut >= complete) assert.ok(extracted.models.some((model) => model.name === 'model' && model.layers.length === 2), `cut at ${cut}`);
  }
});

test('a @dataclass config: field defaults (default_factory too) and the arguments its generated __init__ takes', () => {
  const code = `from dataclasses import dataclass, field
from typing import List
import tensorflow as tf

@dataclass(frozen=True)
class MLPConfig:
    input_dim: int
    hidden: List[int] = field(default_factory=lambda: [512] * 3)
    activation: str = "relu"

def build(c: MLPConfig) -> tf.keras.Model:
    layers_ = [tf.keras.layers.InputLayer(input_shape=(c.input_dim,))]
    for width in c.hidden:
        layers_.append(tf.keras.layers.Dense(width, activation=c.activation))
    return tf.keras.Sequential(layers_)

default_model = build(MLPConfig(128))
narrow_model = build(MLPConfig(input_dim=64, hidden=[32, 16], activation="tanh"))
`;
  // Layer 0 is the InputLayer.
  const wide = model(code, 'default_model');
  assert.deepEqual(show(wide.layers[0].call.keyword.input_shape.value), [128]);
  assert.deepEqual(widths(wide).slice(1), [512, 512, 512]);
  assert.deepEqual(wide.layers.slice(1).map((layer) => show(layer.call.keyword.activation.value)), ['relu', 'relu', 'relu']);
  const narrow = model(code, 'narrow_model');
  assert.deepEqual(show(narrow.layers[0].call.keyword.input_shape.value), [64]);
  assert.deepEqual(widths(narrow).slice(1), [32, 16]);
  assert.deepEqual(narrow.layers.slice(1).map((layer) => show(layer.call.keyword.activation.value)), ['tanh', 'tanh']);
});

test('slices with a step: skips[::-1], range(n)[::-1], widths[3:0:-1]', () => {
  const code = `import keras
widths = [8, 16, 32, 64, 128]
up = widths[::-1]
every_other = widths[::2]
down = widths[3:0:-1]
model = keras.Sequential([keras.layers.Dense(w) for w in up + every_other + down + list(range(3))[::-1]])
`;
  assert.deepEqual(widths(model(code, 'model')), [128, 64, 32, 16, 8, 8, 32, 128, 64, 32, 16, 2, 1, 0]);
});

test('a list or dict filled in a loop over what cannot be read has an unknown length, not the one pass it was read with', () => {
  const code = `import os
import keras
from keras import layers
class_names = []
for name in os.listdir("data"):
    class_names.append(name)
label_of = {}
for index, name in enumerate(sorted(os.listdir("data"))):
    label_of[name] = index
known = []
for width in [64, 32]:
    known.append(width)
files = [name for name in os.listdir("data") if name.endswith(".wav")]
model = keras.Sequential([
    keras.Input(shape=(16,)),
    layers.Dense(len(known)),
    layers.Dense(len(class_names), activation="softmax"),
    layers.Dense(len(label_of)),
    layers.Dense(max(known)),
    layers.Dense(len(files)),
])
`;
  assert.deepEqual(widths(model(code, 'model')), [2, '?', '?', 64, '?']);
});

test('set() keeps distinct values and sorted() orders them: len(set(labels)) classes, a sorted(set(text)) vocabulary', () => {
  const code = `import os
import keras
from keras import layers
labels = ["cat", "dog", "cat", "bird", "dog"]
num_classes = len(set(labels))
chars = sorted(set("hello world"))
sizes = sorted({256, 64, 128, 64})
vowels = {c for c in "hello world" if c in "aeiou"}
unknown = len(set(os.listdir("data")))
model = keras.Sequential([
    keras.Input(shape=(40,)),
    layers.Dense(len(chars)),
    layers.Dense(sizes[0]),
    layers.Dense(sizes[-1]),
    layers.Dense(len(sizes)),
    layers.Dense(len(vowels)),
    layers.Dense(unknown),
    layers.Dense(num_classes, activation="softmax"),
])
`;
  // Five labels, three distinct; eight distinct characters; a set literal of three values, sorted; two vowels.
  assert.deepEqual(widths(model(code, 'model')), [8, 64, 256, 3, 2, '?', 3]);
});

test('`x and False` is false and `x or True` true whatever x is: the branch they decide is known', () => {
  const code = `import keras
from keras import layers

def block(x, filters, stride):
    y = layers.Conv2D(filters, 3, strides=stride, padding="same")(x)
    if x.shape[-1] == filters and stride == 1:
        return layers.Add()([x, y])
    return y

inputs = keras.Input(shape=(32, 32, 16))
model = keras.Model(inputs, block(block(inputs, 16, 1), 32, 2))
`;
  assert.deepEqual(classes(code), ['Conv2D', 'Add', 'Conv2D']);
});
