/** Module constants reassigned through `global`: their first value is followed, but a width read from one is assumed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { models } from '../../../helpers/snippets';

const code = (reassigned: boolean) => `import keras
from keras import layers

HIDDEN = 64
DEPTH = 3
${reassigned ? `
def configure(args):
    global HIDDEN
    HIDDEN = args.hidden
` : ''}
def build():
    model = keras.Sequential([keras.Input(shape=(32,))])
    for _ in range(DEPTH):
        model.add(layers.Dense(HIDDEN * 2, activation="relu"))
    model.add(layers.Dense(1))
    return model

model = build()
`;

test('a width read from a constant a function reassigns through global is its first value, marked assumed', () => {
  const [model] = models(code(true));
  assert.deepEqual(model.layers.map((layer) => [layer.width, layer.widthAssumed]), [[128, true], [128, true], [128, true], [1, false]]);
  // The same file without the reassignment: the widths are as written.
  assert.deepEqual(models(code(false))[0].layers.map((layer) => layer.widthAssumed), [false, false, false, false]);
});
