/**
 * A misspelled initializer or activation keyword on a layer (ignored-argument): Keras raises on it, so the model
 * is never built; tfjs ignores the key without a word and draws the default. Either way the fix renames it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, models } from '../../helpers/snippets';

const ignored = (code: string, fileName: string) => findings(code, fileName).filter((finding) => finding.rule === 'ignored-argument');

/** Applies the first ignored-argument fix until none is left. */
function fixAll(code: string, fileName: string): string {
  for (let round = 0; round < 10; round++) {
    const fixable = ignored(code, fileName).find((finding) => finding.finding.fixes.length);
    if (!fixable) return code;
    code = applyFix(code, fixable.finding);
  }
  return code;
}

// A notebook's classifier, the way it was written.
const notebook = `from tensorflow import keras
from tensorflow.keras.layers import Dense
model = keras.Sequential([
    keras.Input(shape=(64,)),
    Dense(100, kernal_initializer='he_normal', actiavtion='elu'),
    Dense(100, activation='elu', kernel_initializer='he_normal', bias_intializer='zeros'),
    Dense(10, activation='softmax'),
])
`;

test('Keras: kernal_initializer, actiavtion, bias_intializer are errors (Keras raises, the model is never built), each renamed by its fix', () => {
  const found = ignored(notebook, 'model.py');
  assert.deepEqual(found.map((finding) => finding.at), ['kernal_initializer', 'actiavtion', 'bias_intializer']);
  assert.ok(found.every((finding) => finding.severity === 'error'));
  assert.match(found[0].message, /^Dense takes no keyword 'kernal_initializer' \(did you mean kernel_initializer\?\): tf\.keras and Keras 3 raise on a keyword a layer does not take, so this model is never built\. Rename it to kernel_initializer\.$/);
  assert.match(found[1].message, /did you mean activation\?/);
  assert.match(found[2].message, /did you mean bias_initializer\?/);
  assert.deepEqual(found.map((finding) => finding.finding.fixes[0]?.title), ['Rename to kernel_initializer', 'Rename to activation', 'Rename to bias_initializer']);
});

test('Keras: with the fixes applied the layers read as meant (he_normal kernels, elu) and nothing is left to report', () => {
  const fixed = fixAll(notebook, 'model.py');
  assert.match(fixed, /Dense\(100, kernel_initializer='he_normal', activation='elu'\)/);
  assert.match(fixed, /bias_initializer='zeros'/);
  assert.deepEqual(ignored(fixed, 'model.py'), []);
  const dense = models(fixed)[0].layers.filter((layer) => layer.kind === 'dense');
  assert.equal(dense[0].initializers.kernel?.id, 'heNormal');
  assert.equal(dense[0].activation.spec.id, 'elu');
  assert.equal(dense[1].initializers.bias?.id, 'zeros');
});

test('Keras: correct spellings, a custom layer\'s own keywords, a keyword real on another layer and a far unknown one stay silent', () => {
  const code = `import keras
from keras import layers

class Block(layers.Layer):
    def __init__(self, units, kernal_initializer='he_normal', actvation='relu', **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(units, activation=actvation, kernel_initializer=kernal_initializer)

    def call(self, x):
        return self.dense(x)

inputs = keras.Input(shape=(32,))
x = layers.Dense(64, activation='relu', kernel_initializer='he_normal', bias_initializer='zeros', name='first')(inputs)
x = Block(64, kernal_initializer='he_uniform', actvation='relu')(x)
x = layers.Dense(64, activation='relu', kernel_initializer='he_normal', dropout_rate=0.1)(x)
x = layers.Dense(64, activation='relu', kernel_initializer='he_normal', recurrent_initializer='orthogonal')(x)
x = layers.LSTM(16, recurrent_activaton='sigmoid')(layers.Reshape((4, 16))(x))
model = keras.Model(inputs, x)
`;
  // The one finding is the LSTM's: the Dense keywords are right or not near a misspelling, the Block's are its own.
  assert.deepEqual(ignored(code, 'model.py').map((finding) => [finding.at, finding.finding.fixes[0]?.title]), [['recurrent_activaton', 'Rename to recurrent_activation']]);
});

test('Keras: kernelInitializer written the tfjs way in Python is a keyword Keras does not take', () => {
  const code = `from keras import layers, models
model = models.Sequential([layers.Input(shape=(8,)), layers.Dense(8, kernelInitializer='he_normal', activation='relu')])
`;
  const [finding, ...rest] = ignored(code, 'model.py');
  assert.equal(rest.length, 0);
  assert.equal(finding.at, 'kernelInitializer');
  assert.match(applyFix(code, finding.finding), /layers\.Dense\(8, kernel_initializer='he_normal', activation='relu'\)/);
});

// A DCGAN generator as written: the key on every layer is one letter short.
const dcgan = `import * as tf from '@tensorflow/tfjs';
const generator = tf.sequential();
generator.add(tf.layers.dense({units: 256, inputShape: [100], kernelInitialize: tf.initializers.truncatedNormal({stddev: 0.02}), activaton: 'relu'}));
generator.add(tf.layers.dense({units: 256, kernelInitialize: tf.initializers.truncatedNormal({stddev: 0.02}), activation: 'relu'}));
generator.add(tf.layers.dense({units: 784, activation: 'tanh', kernelInitializer: tf.initializers.truncatedNormal({stddev: 0.02})}));
`;

test('tfjs: kernelInitialize and activaton are ignored, so glorotNormal and linear are what the network gets', () => {
  const found = ignored(dcgan, 'gan.ts');
  assert.deepEqual(found.map((finding) => finding.at), ['kernelInitialize', 'activaton', 'kernelInitialize']);
  assert.ok(found.every((finding) => finding.severity === 'error'));
  assert.equal(found[0].message, "TensorFlow.js has no layer config key 'kernelInitialize' (did you mean kernelInitializer?): it is ignored without a word, so this dense layer draws its kernel from the default initializer (glorotNormal), not the one written here.");
  assert.equal(found[1].message, "TensorFlow.js has no layer config key 'activaton' (did you mean activation?): it is ignored without a word, so this dense layer keeps its default activation (linear), not the one written here.");
  const [first, second] = models(dcgan, 'gan.ts')[0].layers;
  assert.equal(first.initializers.kernel?.id, 'glorotNormal');
  assert.equal(first.activation.spec.id, 'linear');
  assert.equal(second.initializers.kernel?.id, 'glorotNormal');
});

test('tfjs: with the fixes applied the generator draws truncatedNormal(0.02) under relu, and nothing is left to report', () => {
  const fixed = fixAll(dcgan, 'gan.ts');
  assert.equal((fixed.match(/kernelInitializer: tf\.initializers\.truncatedNormal/g) ?? []).length, 3);
  assert.deepEqual(ignored(fixed, 'gan.ts'), []);
  const [first, second] = models(fixed, 'gan.ts')[0].layers;
  assert.equal(first.initializers.kernel?.id, 'truncatedNormal');
  assert.equal(first.activation.spec.id, 'relu');
  assert.equal(second.initializers.kernel?.id, 'truncatedNormal');
});

test('tfjs: a misspelled key spelled the Keras way names the key meant, once; correct and far keys, and a key of no initializer the layer has, stay silent', () => {
  const code = `const tf = require('@tensorflow/tfjs');
const model = tf.sequential();
model.add(tf.layers.dense({units: 32, inputShape: [8], activation: 'relu', kernelInitializer: 'heNormal', myOwnSetting: 3}));
model.add(tf.layers.dense({units: 32, activation: 'relu', kernal_initializer: 'heNormal'}));
model.add(tf.layers.batchNormalization({kernelInitialize: 'heNormal'}));
`;
  const found = ignored(code, 'model.js');
  // Not the batch normalization's key: it has no kernel, kernelInitializer however spelled is nothing it reads.
  assert.deepEqual(found.map((finding) => finding.at), ['kernal_initializer']);
  assert.match(found[0].message, /did you mean kernelInitializer\?/);
  assert.match(applyFix(code, found[0].finding), /activation: 'relu', kernelInitializer: 'heNormal'\}\)\);\n/);
});
