/** Imports: what each name is bound to, and where fixes can add an import or one more imported name. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractPython } from '../../../../src/frontends/python';
import { callees, model } from './extract';

test('every import form binds its names to dotted paths', () => {
  const code = `import keras
import tensorflow as tf
import numpy as np, os.path
import tensorflow.keras as tk
from tensorflow import keras as tfk
from keras import layers, initializers, activations, Sequential, Model, Input
from tensorflow.keras.layers import Dense, ReLU as R
from keras.layers import *
from . import sibling
`;
  assert.deepEqual(extractPython(code).imports.bindings, {
    keras: 'keras',
    tf: 'tensorflow',
    np: 'numpy',
    os: 'os',
    tk: 'tensorflow.keras',
    tfk: 'tensorflow.keras',
    layers: 'keras.layers',
    initializers: 'keras.initializers',
    activations: 'keras.activations',
    Sequential: 'keras.Sequential',
    Model: 'keras.Model',
    Input: 'keras.Input',
    Dense: 'tensorflow.keras.layers.Dense',
    R: 'tensorflow.keras.layers.ReLU',
  });
});

test('callees resolve through aliases: import tf_keras as keras, from tensorflow import keras', () => {
  const code = `import tf_keras as keras
from tensorflow import keras as tfk
model = keras.Sequential([keras.layers.Dense(1), tfk.layers.Dense(2)])
`;
  assert.deepEqual(callees(model(code, 'model')), ['tf_keras.layers.Dense', 'tensorflow.keras.layers.Dense']);
});

test('imports inside a top-level try block bind module names; function-local imports resolve inside the function', () => {
  const code = `try:
    import tensorflow as tf
except ImportError:
    tf = None

def build():
    from keras import layers
    return tf.keras.Sequential([layers.Dense(1)], name='m')
`;
  const extracted = extractPython(code);
  assert.equal(extracted.imports.bindings.tf, 'tensorflow');
  assert.equal(extracted.imports.bindings.layers, undefined);
  assert.deepEqual(callees(model(code, 'm')), ['keras.layers.Dense']);
});

/** Inserts `text` at an insertion point. */
function insert(code: string, point: { offset: number; prefix: string; suffix: string }, text: string): string {
  return code.slice(0, point.offset) + point.prefix + text + point.suffix + code.slice(point.offset);
}

test('a new import goes on its own line after the last top-level import, keeping its comment in place', () => {
  const code = `"""Model."""
import keras
from keras import layers  # the layers

model = keras.Sequential([layers.Dense(1)])
`;
  const inserted = insert(code, extractPython(code).imports.newImportAt, 'from keras import initializers');
  assert.equal(inserted, `"""Model."""
import keras
from keras import layers  # the layers
from keras import initializers

model = keras.Sequential([layers.Dense(1)])
`);
  assert.deepEqual(extractPython(inserted).syntaxProblems, []);
});

test('without imports, a new import goes after the docstring, else before the first statement after header comments', () => {
  const withDocstring = `"""Docs."""\nmodel = Sequential()\n`;
  assert.equal(insert(withDocstring, extractPython(withDocstring).imports.newImportAt, 'import keras'), `"""Docs."""\nimport keras\nmodel = Sequential()\n`);
  const withShebang = `#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nmodel = Sequential()\n`;
  assert.equal(insert(withShebang, extractPython(withShebang).imports.newImportAt, 'import keras'), `#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nimport keras\nmodel = Sequential()\n`);
  assert.equal(insert('', extractPython('').imports.newImportAt, 'import keras'), 'import keras\n');
});

test('a from-import list can take one more name, also in parentheses with a trailing comma', () => {
  const code = `from keras import layers
from keras.initializers import (
    HeNormal,
    GlorotUniform,
)
import keras
`;
  const { extendableImports } = extractPython(code).imports;
  assert.deepEqual(Object.keys(extendableImports).sort(), ['keras', 'keras.initializers']);
  const inserted = insert(code, extendableImports['keras.initializers'], 'LecunNormal');
  assert.ok(inserted.includes('GlorotUniform, LecunNormal,\n)'));
  const reparsed = extractPython(inserted);
  assert.deepEqual(reparsed.syntaxProblems, []);
  assert.equal(reparsed.imports.bindings.LecunNormal, 'keras.initializers.LecunNormal');
  assert.equal(insert(code, extendableImports.keras, 'initializers').split('\n')[0], 'from keras import layers, initializers');
});
