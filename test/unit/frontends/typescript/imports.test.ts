/** Imports: which names tfjs binds, how callees resolve through them, and where fixes add imports. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract, insert, onlyModel, parseErrors, TFJS } from './extract';

test('a namespace import binds the module: tf.layers.dense resolves to @tensorflow/tfjs.layers.dense', () => {
  const text = `import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({ layers: [tf.layers.dense({ units: 1 })] });`;
  const { imports, models } = extract(text);
  assert.deepEqual(imports.bindings, { tf: TFJS });
  assert.equal(models[0].layers[0].call.callee, `${TFJS}.layers.dense`);
});

test('every tfjs package resolves under its own name', () => {
  for (const module of ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-layers']) {
    const model = onlyModel(`import * as tf from '${module}';\nconst model = tf.sequential({ layers: [tf.layers.dense({ units: 1 })] });`);
    assert.equal(model.layers[0].call.callee, `${module}.layers.dense`);
  }
});

test('named imports bind members, aliases included', () => {
  const text = `import { layers as L, sequential, initializers } from '@tensorflow/tfjs';
const model = sequential({ layers: [L.dense({ units: 1, kernelInitializer: initializers.heNormal({}) })] });`;
  const { imports, models } = extract(text);
  assert.deepEqual(imports.bindings, { L: `${TFJS}.layers`, sequential: `${TFJS}.sequential`, initializers: `${TFJS}.initializers` });
  const call = models[0].layers[0].call;
  assert.equal(call.callee, `${TFJS}.layers.dense`);
  assert.deepEqual(call.keyword.kernelInitializer.value.kind === 'call' && call.keyword.kernelInitializer.value.call.callee, `${TFJS}.initializers.heNormal`);
});

test('TensorFlow.js from a CDN or Deno\'s npm: resolves as the package it is', () => {
  for (const specifier of ['https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@4.22.0/+esm', 'https://esm.sh/@tensorflow/tfjs?bundle', 'npm:@tensorflow/tfjs@4']) {
    const model = onlyModel(`import * as tf from '${specifier}';\nconst model = tf.sequential({ layers: [tf.layers.dense({ units: 1 })] });`);
    assert.equal(model.layers[0].call.callee, `${TFJS}.layers.dense`, specifier);
  }
  const { extendableImports } = extract(`import { layers, sequential } from 'https://esm.sh/@tensorflow/tfjs-layers@4.1.0';`).imports;
  assert.deepEqual(Object.keys(extendableImports), ['@tensorflow/tfjs-layers']);
  // Other packages keep their specifier.
  assert.deepEqual(extract(`import * as vis from 'https://unpkg.com/@tensorflow/tfjs-vis@1.5.1';`).imports.bindings, { vis: 'https://unpkg.com/@tensorflow/tfjs-vis@1.5.1' });
});

test('a default import binds the module itself', () => {
  const { imports } = extract(`import tf from '@tensorflow/tfjs';`);
  assert.deepEqual(imports.bindings, { tf: TFJS });
});

test('type-only imports bind nothing', () => {
  const { imports } = extract(`import type { Sequential } from '@tensorflow/tfjs';\nimport { type LayersModel, layers } from '@tensorflow/tfjs';`);
  assert.deepEqual(imports.bindings, { layers: `${TFJS}.layers` });
});

test('require() binds like an import: whole module, destructured members, renamed members', () => {
  const text = `const tf = require('@tensorflow/tfjs');
const { layers, sequential: seq } = require('@tensorflow/tfjs-node');
const initializers = require('@tensorflow/tfjs').initializers;
import tfl = require('@tensorflow/tfjs-layers');`;
  assert.deepEqual(extract(text).imports.bindings, {
    tf: TFJS,
    layers: '@tensorflow/tfjs-node.layers',
    seq: '@tensorflow/tfjs-node.sequential',
    initializers: `${TFJS}.initializers`,
    tfl: '@tensorflow/tfjs-layers',
  });
});

test('a model built through require() resolves its callees', () => {
  const text = `const { layers, sequential } = require('@tensorflow/tfjs');
const model = sequential({ layers: [layers.dense({ units: 2 })] });`;
  const model = onlyModel(text, 'model.js');
  assert.equal(model.layers[0].call.callee, `${TFJS}.layers.dense`);
});

test('names that are not imported keep their written form (a <script> tag global tf)', () => {
  const model = onlyModel(`const model = tf.sequential({ layers: [tf.layers.dense({ units: 2 })] });`, 'model.js');
  assert.equal(model.layers[0].call.callee, 'tf.layers.dense');
});

test('a local variable shadows an import of the same name', () => {
  const text = `import * as tf from '@tensorflow/tfjs';
function build(tf) { return tf.sequential({ layers: [tf.layers.dense({ units: 1 })] }); }`;
  // Inside build, tf is a parameter nobody passed: its calls are not tfjs calls.
  assert.equal(extract(text).models.length, 0);
});

test('a new import goes after the last import or require, on its own line', () => {
  const text = `import * as tf from '@tensorflow/tfjs';\nconst fs = require('fs');\n\nconst x = 1;\n`;
  const { newImportAt } = extract(text).imports;
  const fixed = insert(text, newImportAt, `import { initializers } from '@tensorflow/tfjs';`);
  assert.equal(fixed, `import * as tf from '@tensorflow/tfjs';\nconst fs = require('fs');\nimport { initializers } from '@tensorflow/tfjs';\n\nconst x = 1;\n`);
});

test('without imports, a new import goes after a use-strict prologue, else above the first statement', () => {
  const strict = `'use strict';\nconst model = 1;\n`;
  assert.equal(insert(strict, extract(strict, 'a.js').imports.newImportAt, 'import x;'), `'use strict';\nimport x;\nconst model = 1;\n`);
  const documented = `// License header\n\n/** Builds it. */\nfunction build() {}\n`;
  assert.equal(insert(documented, extract(documented).imports.newImportAt, 'import x;'), `// License header\n\nimport x;\n/** Builds it. */\nfunction build() {}\n`);
  const shebang = `#!/usr/bin/env node\n`;
  assert.equal(insert(shebang, extract(shebang, 'a.js').imports.newImportAt, 'import x;'), `#!/usr/bin/env node\nimport x;\n`);
  assert.equal(insert('', extract('').imports.newImportAt, 'import x;'), `import x;\n`);
});

test('a named-import list takes one more name after its last one', () => {
  const cases: [string, string][] = [
    [`import { layers } from '@tensorflow/tfjs';`, `import { layers, initializers } from '@tensorflow/tfjs';`],
    [`import {layers,} from '@tensorflow/tfjs';`, `import {layers, initializers} from '@tensorflow/tfjs';`],
    [`import {} from '@tensorflow/tfjs';`, `import {initializers} from '@tensorflow/tfjs';`],
    [`import tf, { layers } from '@tensorflow/tfjs';`, `import tf, { layers, initializers } from '@tensorflow/tfjs';`],
    [
      `import {\n  layers,\n  sequential,\n} from '@tensorflow/tfjs';`,
      `import {\n  layers,\n  sequential,\n  initializers,\n} from '@tensorflow/tfjs';`,
    ],
    [
      `import {\n  layers,\n  sequential\n} from '@tensorflow/tfjs';`,
      `import {\n  layers,\n  sequential,\n  initializers\n} from '@tensorflow/tfjs';`,
    ],
  ];
  for (const [text, expected] of cases) {
    const point = extract(text).imports.extendableImports[TFJS];
    const fixed = insert(text, point, 'initializers');
    assert.equal(fixed, expected);
    assert.equal(parseErrors(fixed), 0);
  }
});

test('namespace imports and a whole-module require() offer no list to extend', () => {
  const { extendableImports } = extract(`import * as tf from '@tensorflow/tfjs';\nconst tfn = require('@tensorflow/tfjs-node');`).imports;
  assert.deepEqual(extendableImports, {});
});

test('a destructured require() takes one more name, so a CommonJS file never gets an ES import', () => {
  const text = `const { layers, sequential } = require('@tensorflow/tfjs-node');\nconst fs = require('fs');\n`;
  const { extendableImports } = extract(text, 'model.js').imports;
  assert.deepEqual(Object.keys(extendableImports), ['@tensorflow/tfjs-node']);
  assert.equal(insert(text, extendableImports['@tensorflow/tfjs-node'], 'initializers'),
    `const { layers, sequential, initializers } = require('@tensorflow/tfjs-node');\nconst fs = require('fs');\n`);
  // A rest element must stay last: no list to extend.
  assert.deepEqual(extract(`const { layers, ...rest } = require('@tensorflow/tfjs');`, 'model.js').imports.extendableImports, {});
});

test('dynamic import() binds through await', () => {
  const model = onlyModel(`const tf = await import('@tensorflow/tfjs');\nconst model = tf.sequential({ layers: [tf.layers.dense({ units: 1 })] });`, 'model.mjs');
  assert.equal(model.layers[0].call.callee, `${TFJS}.layers.dense`);
});
