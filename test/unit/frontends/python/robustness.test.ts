/** Code being typed: comments, syntax problems, cut files, incremental reparses, and files that try to run forever. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractPython, extractPythonFromTree, parsePython } from '../../../../src/frontends/python';
import { model, modelsOf, textAt } from './extract';

test('every # comment, with its span and its text without the #', () => {
  const code = `import keras  # the framework
# initlint: disable=relu-glorot-deep
model = keras.Sequential([
    keras.layers.Dense(8),  # hidden
    keras.layers.Dense(1, # out
    ),
])
s = "# not a comment"
`;
  const { comments } = extractPython(code);
  assert.deepEqual(comments.map((comment) => comment.text), [' the framework', ' initlint: disable=relu-glorot-deep', ' hidden', ' out']);
  assert.ok(comments.every((comment) => textAt(code, comment.span) === `#${comment.text}`));
  assert.equal(model(code, 'model').layers.length, 2);
});

test('syntax problems are reported with spans, and the models around them are still found', () => {
  const code = `import keras
model = keras.Sequential([keras.layers.Dense(8)])
x = = 3
other = keras.Sequential([keras.layers.Dense(4)])
`;
  const extracted = extractPython(code);
  assert.ok(extracted.syntaxProblems.length > 0);
  assert.ok(extracted.syntaxProblems.every((problem) => problem.message.startsWith('Syntax error') && problem.span.start >= code.indexOf('x = =')));
  assert.deepEqual(extracted.models.map((raw) => raw.name), ['model', 'other']);
  assert.equal(extractPython('x = (1 +\n').syntaxProblems.at(-1)?.message, 'Syntax error: unexpected end of file');
  assert.deepEqual(extractPython('model = Sequential([Dense(1)])\n').syntaxProblems, []);
});

test('a file cut at every 7th character never throws and keeps the complete models before the cut', () => {
  const code = `import keras
from keras import layers

DEPTH = 3
model = keras.Sequential([layers.Dense(8, activation="relu"), layers.Dense(1)])

inputs = keras.Input(shape=(16,))
x = layers.Dense(16)(inputs)
functional = keras.Model(inputs, x)

class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.blocks = [layers.Dense(4) for _ in range(DEPTH)]

    def call(self, x):
        for block in self.blocks:
            x = block(x)
        return x

other = keras.Sequential()
for _ in range(DEPTH):
    other.add(layers.Dense(4, kernel_initializer="he_normal"))
`;
  const complete = [
    ['model', code.indexOf('\n', code.indexOf('model ='))],
    ['functional', code.indexOf('\n', code.indexOf('functional ='))],
  ] as const;
  for (let cut = 0; cut <= code.length; cut += 7) {
    const names = extractPython(code.slice(0, cut)).models.map((raw) => raw.name);
    for (const [name, end] of complete) if (cut > end) assert.ok(names.includes(name), `${name} missing when cut at ${cut}`);
  }
});

test('a half-typed layer call still yields the layers before it', () => {
  const code = `import keras
model = keras.Sequential([
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(
`;
  const raw = model(code, 'model');
  assert.equal(raw.layers[0].call.callee, 'keras.layers.Dense');
  assert.equal(textAt(code, raw.layers[0].call.span), 'keras.layers.Dense(64, activation="relu")');
});

test('garbage and odd input never throw', () => {
  for (const code of ['', '\n\n', ')))(((', 'def', 'class X(', 'for in range(:', 'x = [' + '['.repeat(2000), '\u0000\uffff', 'lambda: lambda: 0']) {
    assert.doesNotThrow(() => extractPython(code), JSON.stringify(code.slice(0, 20)));
  }
});

test('an incremental reparse gives the same extraction as a fresh parse', () => {
  const before = `import keras
model = keras.Sequential([keras.layers.Dense(8), keras.layers.Dense(1)])
`;
  const after = before.replace('Dense(8)', 'Dense(16, activation="relu")');
  const tree = parsePython(before);
  const incremental = extractPythonFromTree(after, parsePython(after, { tree, text: before }));
  assert.deepEqual(incremental, extractPython(after));
  const withChanges = parsePython(after, { tree, text: before, changes: [{ fromA: 0, toA: before.length, fromB: 0, toB: after.length }] });
  assert.deepEqual(extractPythonFromTree(after, withChanges), extractPython(after));
});

test('unrolling stops at 100000 repetitions per file, however large the loops', () => {
  const code = `import keras
model = keras.Sequential()
for i in range(10 ** 9):
    model.add(keras.layers.Dense(8))
later = keras.Sequential([keras.layers.Dense(1)] * 10 ** 9)
`;
  const models = modelsOf(code);
  const first = models.find((raw) => raw.name === 'model')!;
  assert.equal(first.layers.length, 100_000);
  assert.deepEqual(first.layers[5].repeat, { iteration: 5, count: 10 ** 9 });
  assert.ok(models.find((raw) => raw.name === 'later')!.layers.length <= 100_000);
});

test('a while loop whose condition never turns false ends', () => {
  const code = `import keras
model = keras.Sequential()
while True:
    model.add(keras.layers.Dense(8))
`;
  assert.equal(model(code, 'model').layers.length, 100_000);
});

test('arithmetic that overflows a double (Python ints do not) leaves the width unknown, not infinite', () => {
  const code = `import keras
model = keras.Sequential([
    keras.layers.Dense(7**7**128, input_shape=[100]),
    keras.layers.Dense(2 * 10**400),
    keras.layers.Dense(4 * 8),
])
`;
  const units = model(code, 'model').layers.map((layer) => layer.call.positional[0]?.value);
  assert.deepEqual(units.map((value) => (value?.kind === 'number' ? value.value : value?.kind)), ['unknown', 'unknown', 32]);
});
