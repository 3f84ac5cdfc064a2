/**
 * Keras 1-era model code (Keras 2.0–2.2 still ran it, renaming as it went): `Model(input=…, output=…)`, the
 * functional `merge(…, mode=…)`, Python 2's `xrange`. The model such a file builds is the one read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../../src/project/analyzeSource';
import { callees, model } from './extract';

test('Model(input=…, output=…) is the functional model Keras 2.0–2.2 built from it, also handed to super().__init__', () => {
  const functional = `from keras.layers import Input, Dense
from keras.models import Model
features = Input(shape=(12,))
hidden = Dense(32, activation='relu')(features)
score = Dense(1, activation='sigmoid')(hidden)
scorer = Model(input=features, output=score)
`;
  assert.deepEqual(callees(model(functional, 'scorer')), ['keras.layers.Dense', 'keras.layers.Dense']);

  const subclass = `from keras.layers import Input, Dense
from keras.models import Model
class Scorer(Model):
    def __init__(self):
        features = Input(shape=(12,))
        score = Dense(1)(Dense(32, activation='relu')(features))
        super(Scorer, self).__init__(input=features, output=score)
scorer = Scorer()
`;
  assert.deepEqual(callees(model(subclass, 'Scorer')), ['keras.layers.Dense', 'keras.layers.Dense']);
});

test("merge([u, v], mode='concat') is a concatenate: the Dense after it has both widths as its fan_in", () => {
  const code = `from keras.layers import Input, Dense, merge
from keras.models import Model
user = Input(shape=(24,))
item = Input(shape=(40,))
joined = merge([Dense(16)(user), Dense(8)(item)], mode='concat')
summed = merge([Dense(8)(user), Dense(8)(item)])
out = Dense(1)(merge([Dense(4)(joined), Dense(4)(summed)], mode='mul'))
net = Model(inputs=[user, item], outputs=out)
`;
  const layers = analyzeSource(code, 'model.py').models[0].model.layers;
  const mergeKinds = layers.filter((layer) => layer.call.callee.startsWith('keras.layers.') && !layer.call.callee.endsWith('Dense'));
  assert.deepEqual(mergeKinds.map((layer) => layer.call.callee), ['keras.layers.concatenate', 'keras.layers.add', 'keras.layers.multiply']);
  const afterConcat = layers.find((layer) => layer.call.callee.endsWith('Dense') && layer.inputs.some((input) => layers[input]?.call.callee === 'keras.layers.concatenate'));
  assert.equal(afterConcat?.fanIn, 24, 'Dense(4) reads the 16 + 8 features merge concatenated');
});

test('for idx in xrange(1, 4): the loop runs three times, as range would', () => {
  const code = `from keras.models import Sequential
from keras.layers import Dense
model = Sequential()
model.add(Dense(32, input_dim=10, activation='relu'))
for idx in xrange(1, 4):
    model.add(Dense(32, activation='relu'))
model.add(Dense(1))
`;
  assert.deepEqual(callees(model(code, 'model')), Array(5).fill('keras.layers.Dense'));
});
