/**
 * Keras 1 argument names (`init=`, `subsample=`, `Convolution2D(32, 8, 8)`), which multi-backend Keras 2.0–2.3
 * still converted and tf.keras and Keras 3 reject: read as Keras 2.0–2.3 read them, never as the default they
 * are not, and reported where the configured Keras raises on them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../src/project/analyzeSource';
import { DEFAULT_CONFIG, mergeConfig } from '../../../src/core/config';
import { applyFix, findings, rules } from '../../helpers/snippets';

const KERAS_2_2 = { frameworkVersion: { keras: '2.2.4', tfjs: '4' } };

const flappyBird = `from keras.models import Sequential
from keras.layers import Convolution2D, Dense, Flatten
model = Sequential()
model.add(Convolution2D(32, 8, 8, subsample=(4, 4), init='normal', border_mode='same', input_shape=(80, 80, 4), activation='relu'))
model.add(Convolution2D(64, 4, 4, subsample=(2, 2), init='normal', border_mode='same', activation='relu'))
model.add(Convolution2D(64, 3, 3, subsample=(1, 1), init='normal', border_mode='same', activation='relu'))
model.add(Flatten())
model.add(Dense(512, init='normal', activation='relu'))
model.add(Dense(2, init='normal'))
`;

test('Convolution2D(32, 8, 8, subsample=(4, 4), init=…) is an 8 × 8 kernel with stride 4 drawn from init, as Keras 2.0–2.3 built it', () => {
  const { layers } = analyzeSource(flappyBird, 'model.py', mergeConfig(DEFAULT_CONFIG, KERAS_2_2)).models[0].model;
  assert.deepEqual(layers[0].kernelSize, [8, 8]);
  assert.deepEqual(layers[0].strides, [4, 4]);
  assert.equal(layers[0].padding, 'same');
  assert.equal(layers[0].initializers.kernel?.id, 'randomNormal');
  // 80 → 20 → 10 → 10 ('same' with strides 4, 2, 1): the Dense after Flatten reads 10·10·64.
  assert.equal(layers.find((layer) => layer.kind === 'dense')?.fanIn, 6400);
});

test("configured for Keras 2.0–2.3 the Keras 1 names are fine; under Keras 3 each init= is an error, renamed where it is the call's only Keras 1 name", () => {
  assert.ok(!rules(flappyBird, 'model.py', KERAS_2_2).includes('ignored-argument'));
  const found = findings(flappyBird).filter((finding) => finding.rule === 'ignored-argument');
  assert.equal(found.length, 5);
  assert.match(found[0].message, /'init' is Keras 1's name for kernel_initializer: Keras 2\.0–2\.3 converted it, but tf\.keras and Keras 3 raise on it/);
  // The convolutions keep subsample= and border_mode=: a rename alone would not build them.
  assert.deepEqual(found.map((finding) => finding.finding.fixes.length), [0, 0, 0, 1, 1]);
  const dense = found[3].finding;
  assert.match(applyFix(flappyBird, dense), /Dense\(512, kernel_initializer='normal', activation='relu'\)/);
});
