/** Pretrained backbones and loaded models as blocks: their output widths from the table, unknown ones never guessed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPAQUE_KINDS } from '../../../src/core/catalogue/layers';
import { findings, models } from '../../helpers/snippets';

const summary = (code: string, fileName = 'model.py', index = 0) =>
  models(code, fileName)[index].layers.map((layer) => [layer.kind, layer.className, layer.outputShape, layer.fanIn, layer.widthAssumed]);

test('ResNet50(include_top=False) at 224: a 7×7×2048 map, so a Flatten + Dense head has fan_in 100,352 (not the input\'s)', () => {
  const code = `from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.applications import ResNet50
base_model = ResNet50(weights="imagenet", include_top=False, input_shape=(224, 224, 3))
inputs = keras.Input(shape=(224, 224, 3))
x = base_model(inputs, training=False)
x = layers.Flatten()(x)
x = layers.Dense(256, activation="relu")(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
`;
  assert.deepEqual(summary(code), [
    ['pretrained', 'ResNet50', [7, 7, 2048], undefined, false],
    ['flatten', 'Flatten', [100352], undefined, false],
    ['dense', 'Dense', [256], 100352, false],
    ['dense', 'Dense', [10], 256, false],
  ]);
  // The backbone's output is post-ReLU; it is a block of given weights, which ends chains.
  const [backbone] = models(code)[0].layers;
  assert.equal(backbone.activation.spec.id, 'relu');
  assert.ok(OPAQUE_KINDS.has(backbone.kind));
});

test('pooling="avg", include_top (1000 classes, softmax), alpha, and base_model.output / base_model.input', () => {
  const pooled = `import keras
from keras import layers
model = keras.Sequential([
    keras.applications.EfficientNetB3(include_top=False, pooling="avg", input_shape=(300, 300, 3)),
    layers.Dense(128, activation="relu"),
    layers.Dense(5, activation="softmax"),
])
`;
  assert.deepEqual(summary(pooled).map((row) => row.slice(2, 4)), [[[1536], undefined], [[128], 1536], [[5], 128]]);
  const top = pooled.replace('include_top=False, pooling="avg", ', '');
  const [classifier, head] = models(top)[0].layers;
  assert.deepEqual([classifier.outputShape, classifier.activation.spec.id, head.fanIn], [[1000], 'softmax', 1000]);
  const transfer = `import keras
from keras import layers
base = keras.applications.MobileNet(input_shape=(128, 128, 3), alpha=0.5, include_top=False, weights="imagenet")
h = base.output
h = layers.GlobalAveragePooling2D()(h)
h = layers.Dense(1024, activation="relu")(h)
preds = layers.Dense(200, activation="softmax")(h)
model = keras.Model(inputs=base.input, outputs=preds)
`;
  assert.deepEqual(summary(transfer).map((row) => row.slice(1, 4)), [
    ['MobileNet', [4, 4, 512], undefined],
    ['GlobalAveragePooling2D', [512], undefined],
    ['Dense', [1024], 512],
    ['Dense', [200], 1024],
  ]);
});

test('keras_hub presets: a known preset has its width, an unknown one is an unknown block', () => {
  const code = (preset: string) => `import keras
import keras_hub
backbone = keras_hub.models.BertBackbone.from_preset("${preset}")
inputs = keras.Input(shape=(128,), dtype="int32")
x = backbone(inputs)
outputs = keras.layers.Dense(2)(x)
model = keras.Model(inputs, outputs)
`;
  assert.equal(models(code('bert_base_en_uncased'))[0].layers[1].fanIn, 768);
  const unknown = models(code('my_own_preset'))[0].layers[1];
  assert.equal(unknown.widthAssumed, true);
});

test('a loaded model is an unknown block: the next layer\'s width is not guessed, and no message reads ±∞', () => {
  const keras = `import keras
from keras import layers
encoder = keras.models.load_model("encoder.keras")
model = keras.Sequential([encoder] + [layers.Dense(64, activation="relu", kernel_initializer="random_normal") for _ in range(12)] + [layers.Dense(1)])
`;
  const [loaded, first] = models(keras)[0].layers;
  assert.deepEqual([loaded.kind, loaded.outputShape, first.widthAssumed], ['pretrained', undefined, true]);
  const tfjs = `import * as tf from '@tensorflow/tfjs';
async function build() {
  const base = await tf.loadLayersModel('https://example.com/model.json');
  const model = tf.sequential();
  model.add(base);
  model.add(tf.layers.dense({units: 64, activation: 'relu'}));
  model.add(tf.layers.dense({units: 2, activation: 'softmax'}));
  return model;
}
`;
  assert.deepEqual(summary(tfjs, 'model.ts').map((row) => row.slice(0, 2)), [['pretrained', 'loadLayersModel'], ['dense', 'dense'], ['dense', 'dense']]);
  assert.equal(models(tfjs, 'model.ts')[0].layers[1].widthAssumed, true);
  for (const finding of [...findings(keras), ...findings(tfjs, 'model.ts')]) assert.doesNotMatch(finding.message, /Infinity|∞|NaN/);
});
