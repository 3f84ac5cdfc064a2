/**
 * A file read with the project modules it imports (modules.ts): the forms of TypeScript's own module syntax,
 * read from an in-memory project. Each layer is told by the file it is written in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { extractTypeScriptProject } from '../../../../src/frontends/typescript/modules';
import { scriptModuleResolver } from '../../../../src/project/scriptModules';
import { unitsOf } from './extract';

/** Each model of the project read from `main`: its name, its layers' units, and the files its layers are written in. */
function projectModels(files: Record<string, string>, main: string) {
  const path = (name: string) => `/project/${name}`;
  const byPath = new Map(Object.entries(files).map(([name, text]) => [path(name), text]));
  const resolve = scriptModuleResolver((file) => byPath.get(file), (file) => byPath.has(file));
  const parse = (text: string) => ts.createSourceFile(path(main), text, ts.ScriptTarget.Latest, true, main.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const project = extractTypeScriptProject(ts, path(main), files[main], resolve, parse);
  const fileAt = (offset: number) => project.segments.find((segment) => segment.start <= offset && offset < segment.end)?.path.slice('/project/'.length);
  return project.extracted.models.map((model) => ({ name: model.name, units: unitsOf(model), files: [...new Set(model.layers.map((layer) => fileAt(layer.call.span.start)))] }));
}

const header = `import * as tf from '@tensorflow/tfjs';\n`;
const LAYERS = `${header}
function addBlock(model: tf.Sequential, depth: number): void {
  for (let i = 0; i < depth; i++) model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
}
`;
const BUILD = `${header}
function buildModel(width: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: width, inputShape: [8], activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  return model;
}
`;
const app = (imports: string) => `${header}${imports}
const model = tf.sequential();
model.add(tf.layers.dense({ units: 64, inputShape: [32] }));
layers.addBlock(model, 3);
const other = buildModel(128);
`;

test('export = { addBlock } and export = buildModel, imported with import x = require(), a default import or require()', () => {
  const modules = { 'layers.ts': `${LAYERS}\nexport = { addBlock };\n`, 'build.ts': `${BUILD}\nexport = buildModel;\n` };
  const forms = [
    `import layers = require('./layers');\nimport buildModel = require('./build');`,
    `import layers from './layers';\nimport buildModel from './build';`,
    `const layers = require('./layers');\nconst buildModel = require('./build');`,
  ];
  for (const imports of forms) {
    const models = projectModels({ ...modules, 'app.ts': app(imports) }, 'app.ts');
    assert.deepEqual(models, [
      { name: 'model', units: [128, 1], files: ['build.ts'] },
      { name: 'model', units: [64, 64, 64, 64], files: ['app.ts', 'layers.ts'] },
    ], imports);
  }
});

test('export = of something computed is not run a second time: it stays unknown', () => {
  const build = `${BUILD}\nexport = buildModel(16);\n`;
  const models = projectModels({ 'build.ts': build, 'app.ts': `import made = require('./build');\nmade.summary();\n` }, 'app.ts');
  assert.deepEqual(models.map((model) => model.units), [[16, 1]]);
});

test('require(\'./utils\') naming a different file in each folder reaches each folder\'s own file', () => {
  const utils = (width: number) => `const tf = require('@tensorflow/tfjs');\nmodule.exports = function (model) {\n  model.add(tf.layers.dense({ units: ${width}, activation: 'relu' }));\n};\n`;
  // Required at the top level of one folder, inside a function run later in the other.
  const files = {
    'a/utils.js': utils(16), 'a/index.js': `const stack = require('./utils');\nmodule.exports = { stack };\n`,
    'b/utils.js': utils(32), 'b/index.js': `module.exports = { stack(model) { require('./utils')(model); } };\n`,
    'model.js': `const tf = require('@tensorflow/tfjs');
const a = require('./a');
const b = require('./b');
const model = tf.sequential();
model.add(tf.layers.dense({ units: 8, inputShape: [4] }));
a.stack(model);
b.stack(model);
a.stack(model);
`,
  };
  assert.deepEqual(projectModels(files, 'model.js'), [{ name: 'model', units: [8, 16, 32, 16], files: ['model.js', 'a/utils.js', 'b/utils.js'] }]);
});
