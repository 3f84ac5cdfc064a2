/** ineffective-initializer: initializers assigned to a layer's attribute after Keras built its weights. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, rules } from '../../helpers/snippets';

const ineffective = (code: string) => findings(code).filter((finding) => finding.rule === 'ineffective-initializer');

/** The tutorial this project grew from: He assigned to the first layer of a Sequential that knows its input shape. */
const tutorial = `import tensorflow as tf
from tensorflow import keras

he_init = keras.initializers.HeNormal

model = keras.Sequential([
    keras.layers.Dense(300, activation="relu", input_shape=(784,)),
    keras.layers.Dense(100, activation="relu"),
    keras.layers.Dense(10, activation="softmax"),
])
model.layers[0].kernel_initializer = he_init()
model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd")
`;

test('an initializer assigned after input_shape built the layer: a warning that quotes what built it', () => {
  const [finding, ...rest] = ineffective(tutorial);
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.equal(finding.at, 'model.layers[0].kernel_initializer = he_init()');
  assert.match(finding.message, /after the Dense layer's weights were built \(when its model learned its input shape from `input_shape=\(784,\)`\)/);
  assert.match(finding.message, /the layer keeps glorot_uniform \(the Keras default\)/);
  assert.deepEqual(finding.finding.layers, [0]);
});

test('fix: pass the initializer where the layer is made, and the assignment goes; analysed again, nothing is left', () => {
  const [finding] = ineffective(tutorial);
  const preferred = finding.finding.fixes.find((fix) => fix.preferred);
  assert.equal(preferred?.title, 'Pass he_normal as kernel_initializer where Dense(…) is made');
  const fixed = applyFix(tutorial, finding.finding, 0);
  assert.match(fixed, /Dense\(300, activation="relu", input_shape=\(784,\), kernel_initializer="he_normal"\)/);
  assert.doesNotMatch(fixed, /kernel_initializer = he_init\(\)/);
  assert.deepEqual(rules(fixed), []);
});

test('fix: re-draw the weights with the initializer, in place of the assignment', () => {
  const [finding] = ineffective(tutorial);
  assert.equal(finding.finding.fixes[1].preferred, false);
  const fixed = applyFix(tutorial, finding.finding, 1);
  assert.match(fixed, /^model\.layers\[0\]\.kernel\.assign\(he_init\(\)\(model\.layers\[0\]\.kernel\.shape\)\)$/m);
  assert.deepEqual(rules(fixed), []);
});

test('an assignment before the layer is built is silent; the same after fit() is reported', () => {
  const loop = `for layer in model.layers:
    layer.kernel_initializer = "he_normal"
`;
  const code = `import keras
from keras import layers

model = keras.Sequential()
model.add(layers.Dense(64, activation="relu"))
model.add(layers.Dropout(0.2))
model.add(layers.Dense(64, activation="relu"))
model.add(layers.Dense(1))
${loop}model.fit(x, y)
`;
  assert.deepEqual(ineffective(code), []);
  const late = `${code}${loop}`;
  const [finding] = ineffective(late);
  assert.match(finding.message, /after the weights of the 3 layers it reaches were built \(by `model\.fit\(x, y\)`\)/);
  assert.deepEqual(finding.finding.layers, [0, 2, 3]);
  // Preferred: each Dense takes the initializer (the Dropout has no kernel), and the late loop is gone.
  const fixed = applyFix(late, finding.finding, 0);
  assert.equal(fixed.match(/kernel_initializer="he_normal"\)\)/g)?.length, 3);
  assert.match(fixed, /layers\.Dropout\(0\.2\)\)/);
  assert.ok(fixed.endsWith('model.fit(x, y)\n'));
  assert.deepEqual(rules(fixed), []);
  // The re-draw skips the layers without a kernel.
  const redrawn = applyFix(late, finding.finding, 1);
  assert.match(redrawn, /^ {4}if hasattr\(layer, "kernel"\): layer\.kernel\.assign\(keras\.initializers\.get\("he_normal"\)\(layer\.kernel\.shape\)\)$/m);
  assert.deepEqual(rules(redrawn), []);
});

test('functional layers are built when called on a tensor: before the call silent, after it reported', () => {
  const code = (assignedBeforeCall: boolean) => `import keras
from keras import layers
inputs = keras.Input(shape=(32,))
hidden = layers.Dense(64, activation="relu")
${assignedBeforeCall ? 'hidden.kernel_initializer = keras.initializers.HeNormal()\n' : ''}x = hidden(inputs)
${assignedBeforeCall ? '' : 'hidden.kernel_initializer = keras.initializers.HeNormal()\n'}outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
`;
  assert.deepEqual(ineffective(code(true)), []);
  const [finding] = ineffective(code(false));
  assert.match(finding.message, /when it was called on a tensor: `hidden\(inputs\)`\)/);
  const fixed = applyFix(code(false), finding.finding, 0);
  assert.match(fixed, /layers\.Dense\(64, activation="relu", kernel_initializer="he_normal"\)/);
  assert.deepEqual(rules(fixed), []);
});

test('model.build() and a subclassed model used by fit() build the layers; an initializer with arguments is written as a call', () => {
  const built = `import keras
model = keras.Sequential([keras.layers.Dense(16), keras.layers.Dense(1)])
model.build((None, 8))
model.layers[1].bias_initializer = keras.initializers.Constant(0.1)
`;
  const [finding] = ineffective(built);
  assert.match(finding.message, /by `model\.build\(\(None, 8\)\)`\)/);
  assert.match(applyFix(built, finding.finding, 0), /keras\.layers\.Dense\(1, bias_initializer=keras\.initializers\.Constant\(value=0\.1\)\)/);
  const subclassed = (late: boolean) => `import keras
class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(64, activation="relu")
        self.out = keras.layers.Dense(1)
    def call(self, x):
        return self.out(self.hidden(x))

model = Net()
${late ? 'model.fit(x, y)\n' : ''}model.hidden.kernel_initializer = "he_uniform"
${late ? '' : 'model.fit(x, y)\n'}`;
  assert.deepEqual(ineffective(subclassed(false)), []);
  const [late] = ineffective(subclassed(true));
  assert.match(late.message, /by `model\.fit\(x, y\)`\)/);
});

test('a functional model lists its InputLayer first; get_layer by name and layer.build() are followed', () => {
  const code = `import keras
from keras import layers
inputs = keras.Input(shape=(16,))
x = layers.Dense(32, activation="relu", name="hidden")(inputs)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.layers[1].kernel_initializer = "he_normal"
model.get_layer("hidden").bias_initializer = "ones"
`;
  const found = ineffective(code);
  assert.deepEqual(found.map((finding) => [finding.at, finding.finding.layers]), [
    ['model.layers[1].kernel_initializer = "he_normal"', [0]],
    ['model.get_layer("hidden").bias_initializer = "ones"', [0]],
  ]);
  const single = `import keras
dense = keras.layers.Dense(8)
dense.build((None, 4))
dense.kernel_initializer = "he_normal"
model = keras.Sequential([dense])
`;
  assert.match(ineffective(single)[0].message, /by `dense\.build\(\(None, 4\)\)`\)/);
});
