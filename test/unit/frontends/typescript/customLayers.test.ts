/** tfjs classes that extend tfjs's own (Sequential, LayersModel, layers.Layer with addWeight), and `tf` received as a parameter. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, models, rules } from '../../../helpers/snippets';
import { extract, kindsOf, onlyModel, unitsOf } from './extract';

const customLayer = (initializer: string) => `import * as tf from '@tensorflow/tfjs';

class Linear extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.units = config.units;
  }
  build(inputShape) {
    this.kernel = this.addWeight('kernel', [inputShape[inputShape.length - 1], this.units], 'float32', ${initializer});
  }
  call(inputs) {
    return tf.tidy(() => tf.relu(tf.matMul(inputs, this.kernel.read())));
  }
  static get className() { return 'Linear'; }
}

const model = tf.sequential();
model.add(tf.layers.dense({inputShape: [64], units: 64, activation: 'relu', kernelInitializer: 'heNormal'}));
for (let i = 0; i < 10; i++) model.add(new Linear({units: 64}));
model.add(tf.layers.dense({units: 1}));
`;

test('a custom tf.layers.Layer with addWeight: each use of its weight in call() is a kernel layer with its initializer', () => {
  const code = customLayer('tf.initializers.randomNormal({stddev: 0.01})');
  const [model] = models(code, 'model.ts');
  assert.deepEqual(model.layers.map((layer) => layer.className), ['dense', ...Array(10).fill('addWeight'), 'dense']);
  const kernel = model.layers[1];
  assert.deepEqual([kernel.fanIn, kernel.fanOut, kernel.initializers.kernel?.id, kernel.activation.spec.id], [64, 64, 'randomNormal', 'relu']);
  const [finding] = findings(code, 'model.ts');
  assert.equal(finding.rule, 'fixed-scale-init');
  assert.equal(finding.at, 'tf.initializers.randomNormal({stddev: 0.01})');
  const fixed = applyFix(code, finding.finding);
  assert.match(fixed, /'float32', tf\.initializers\.heUniform\(\{\}\)\);/);
  assert.deepEqual(rules(fixed, 'model.ts'), []);
});

test('a custom layer applied with .apply(): its weight feeds the next layer; tensor methods keep the shape', () => {
  const code = `import * as tf from '@tensorflow/tfjs';
class Scale extends tf.layers.Layer {
  build(inputShape) {
    this.w = this.addWeight('w', [inputShape[1], 32], 'float32', tf.initializers.zeros());
  }
  call(inputs) {
    return tf.matMul(inputs, this.w.read()).add(1).tanh();
  }
}
const x = tf.input({shape: [12]});
const y = new Scale().apply(x);
const z = tf.layers.dense({units: 4}).apply(y);
const model = tf.model({inputs: x, outputs: z});
`;
  const [scale, head] = models(code, 'model.ts')[0].layers;
  assert.deepEqual([scale.fanIn, scale.width, scale.activation.spec.id, head.fanIn], [12, 32, 'tanh', 32]);
  assert.deepEqual(rules(code, 'model.ts'), ['symmetric-init']);
});

test('class Policy extends tf.Sequential adding layers in its constructor is a model named by its class', () => {
  const code = `class Policy extends tf.Sequential {
  constructor(hidden) {
    super();
    this.add(tf.layers.dense({inputShape: [4], units: hidden, activation: 'relu'}));
    this.add(tf.layers.dense({units: hidden, activation: 'relu'}));
    this.add(tf.layers.dense({units: 2}));
  }
}
const policy = new Policy(32);
`;
  const model = onlyModel(code, 'policy.js');
  assert.equal(model.name, 'Policy');
  assert.deepEqual(unitsOf(model), [32, 32, 2]);
  assert.ok(code.slice(model.span.start, model.span.end).startsWith('class Policy extends tf.Sequential'));
});

test('a tf.Sequential subclass adding its layers with super.add, built by a class declared after it, is one model with its arguments', () => {
  // Real-code audit: a TypeScript dueling DQN whose network was 'no model found'.
  const code = `import * as tf from '@tensorflow/tfjs';
class QNet extends tf.Sequential {
  dense1: tf.layers.Layer;
  constructor(actions: number, fc1: number, fc2: number) {
    super();
    this.dense1 = tf.layers.dense({units: fc1, activation: 'relu'});
    super.add(tf.layers.flatten({inputShape: [4, 2]}));
    super.add(this.dense1);
    super.add(tf.layers.dense({units: fc2, activation: 'relu'}));
    super.add(tf.layers.dense({units: actions}));
  }
}
export class Agent {
  net: QNet;
  constructor() {
    this.net = new QNet(3, 128, 64);
  }
}
`;
  const model = onlyModel(code);
  assert.equal(model.name, 'QNet');
  assert.deepEqual(kindsOf(model), ['flatten', 'dense', 'dense', 'dense']);
  assert.deepEqual(unitsOf(model).slice(1), [128, 64, 3]);
});

test('super.build(inputShape) in a custom layer is tfjs\'s build, not the layer\'s own run again', () => {
  const code = customLayer("'heNormal'").replace('build(inputShape) {', 'build(inputShape) {\n    super.build(inputShape);');
  assert.ok(code.includes('super.build(inputShape);'));
  assert.deepEqual(kindsOf(onlyModel(code)), kindsOf(onlyModel(customLayer("'heNormal'"))));
});

test('a custom layer applied to model inputs gets their shapes in build(inputShape): weights sized from them are known', () => {
  // Real-code audit: a MultiHeadAttention layer whose output projection [heads·dim, inputShape[2]] was 'assumed'.
  const code = `import * as tf from '@tensorflow/tfjs';
class Attention extends tf.layers.Layer {
  build(inputShape) {
    const queryShape = Array.isArray(inputShape[0]) ? inputShape[0] : inputShape;
    const dim = queryShape[2];
    this.q = this.addWeight('q', [dim, 128], null, tf.initializers.glorotUniform({}));
    this.o = this.addWeight('o', [128, dim], null, tf.initializers.glorotUniform({}));
  }
  call(inputs) {
    return tf.matMul(tf.matMul(inputs[0], this.q.read()), this.o.read());
  }
}
const query = tf.input({shape: [10, 64]});
const key = tf.input({shape: [10, 64]});
const model = tf.model({inputs: [query, key], outputs: new Attention().apply([query, key])});
`;
  const [found] = models(code, 'model.ts');
  assert.deepEqual(found.layers.map((layer) => [layer.fanIn, layer.fanOut, layer.widthAssumed ?? false]), [[64, 128, false], [128, 64, false]]);
});

test('a residual custom layer (tf.add(x, out) in call) added to a Sequential keeps its layers and its Add of the block input', () => {
  // Real-code audit: MobileNetV2-style inverted residual blocks of a neural cellular automaton were dropped.
  const code = (merge: string) => `import * as tf from '@tensorflow/tfjs';
class Residual extends tf.layers.Layer {
  constructor() {
    super({});
    this.expand = tf.layers.dense({ units: 64, activation: 'relu' });
    this.project = tf.layers.dense({ units: 32 });
  }
  call(inputs) {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const out = this.project.apply(this.expand.apply(x));
    return ${merge};
  }
}
const model = tf.sequential();
model.add(tf.layers.dense({ inputShape: [8], units: 32 }));
for (let i = 0; i < 2; i++) model.add(new Residual());
model.add(tf.layers.dense({ units: 1 }));
`;
  for (const merge of ['tf.add(x, out)', 'x.add(out)']) {
    const model = onlyModel(code(merge), 'model.js');
    assert.deepEqual(kindsOf(model), ['dense', 'dense', 'dense', 'add', 'dense', 'dense', 'add', 'dense'], merge);
    assert.deepEqual(model.layers.map((layer) => layer.inputs), [[], [0], [1], [0, 2], [3], [4], [3, 5], [6]], merge);
  }
});

test('each new of a custom layer class is a layer of its own: two instances keep their own widths', () => {
  // Real-code audit: a mixture of experts (experts of noOfUnits, a gate of numExperts) read every expert at the gate's width.
  const [model] = models(`import * as tf from '@tensorflow/tfjs';
class Block extends tf.layers.Layer {
  constructor(units) {
    super({});
    this.dense = tf.layers.dense({ units, activation: 'relu' });
  }
  call(inputs) {
    return this.dense.apply(inputs);
  }
}
const input = tf.input({ shape: [16] });
const wide = new Block(64);
const narrow = new Block(8);
const model = tf.model({ inputs: input, outputs: narrow.apply(wide.apply(input)) });
`, 'model.js');
  assert.deepEqual(model.layers.map((layer) => [layer.fanIn, layer.fanOut]), [[16, 64], [64, 8]]);
});

test('a custom layer whose call cannot be read is a layer of its own in the graph: what it feeds stays fed by it', () => {
  // Real-code audit: a mixture of experts ending in a layer that mixes them with tf.sum(tf.stack(…)) was no model
  // at all; with a dense after it, that dense read as fed by the model input.
  const model = onlyModel(`import * as tf from '@tensorflow/tfjs';
class Mixer extends tf.layers.Layer {
  call(inputs) {
    return tf.tidy(() => tf.sum(tf.stack(inputs), 0));
  }
}
const input = tf.input({ shape: [16] });
const a = tf.layers.dense({ units: 32, activation: 'relu' }).apply(input);
const b = tf.layers.dense({ units: 32, activation: 'relu' }).apply(input);
const mixed = new Mixer().apply([a, b]);
const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1 }).apply(mixed) });
`, 'model.js');
  assert.deepEqual(kindsOf(model), ['dense', 'dense', 'Mixer', 'dense']);
  assert.deepEqual(model.layers.map((layer) => layer.inputs), [[], [], [0, 1], [2]]);
});

test('a custom layer whose call cannot be read, added to a Sequential, stays in it: no chain runs through it', () => {
  // Real-code audit: a SIREN image model (1x1 convs, each followed by a SineActivation layer calling tf.sin) was read
  // as a stack of linear convs, the sine layers dropped.
  const model = onlyModel(`import * as tf from '@tensorflow/tfjs';
class SineActivation extends tf.layers.Layer {
  call(input) { return tf.sin(input); }
}
const model = tf.sequential();
model.add(tf.layers.conv2d({ filters: 64, kernelSize: 1, inputShape: [null, null, 2] }));
model.add(new SineActivation());
model.add(tf.layers.conv2d({ filters: 3, kernelSize: 1 }));
`, 'model.js');
  assert.deepEqual(kindsOf(model), ['conv2d', 'SineActivation', 'conv2d']);
});

test('an unreadable custom layer named like a layer InitLint knows is not read as that layer', () => {
  const model = onlyModel(`import * as tf from '@tensorflow/tfjs';
class Softmax extends tf.layers.Layer {
  call(inputs) { return tf.exp(inputs); }
}
const input = tf.input({ shape: [16] });
const model = tf.model({ inputs: input, outputs: new Softmax().apply(tf.layers.dense({ units: 8 }).apply(input)) });
`, 'model.js');
  assert.deepEqual(kindsOf(model), ['dense', 'CustomLayer']);
});

test('a custom layer extending a base class of the file: its super(config) and the base\'s call run on it', () => {
  // As in projects whose layers all extend one LayerBase (fields set in its constructor, a shared call).
  const model = onlyModel(`import * as tf from '@tensorflow/tfjs';
class LayerBase extends tf.layers.Layer {
  constructor(config) { super(config); this.units = config.units; }
  call(inputs) { return this.dense.apply(inputs); }
}
class Projection extends LayerBase {
  constructor(config) {
    super(config);
    this.dense = tf.layers.dense({ units: this.units, activation: 'relu' });
  }
}
const model = tf.sequential();
model.add(tf.layers.dense({ units: 64, inputShape: [16] }));
model.add(new Projection({ units: 48 }));
model.add(tf.layers.dense({ units: 1 }));
`, 'model.js');
  assert.deepEqual(kindsOf(model), ['dense', 'dense', 'dense']);
  assert.deepEqual(unitsOf(model), [64, 48, 1]);
});

test('class Net extends tf.LayersModel with super({inputs, outputs})', () => {
  const code = `import * as tf from '@tensorflow/tfjs';
class Net extends tf.LayersModel {
  constructor(width = 16) {
    const input = tf.input({shape: [8]});
    const hidden = tf.layers.dense({units: width, activation: 'relu'}).apply(input);
    const output = tf.layers.dense({units: 1}).apply(hidden);
    super({inputs: input, outputs: output});
  }
}
`;
  const model = onlyModel(code);
  assert.deepEqual([model.name, model.style, unitsOf(model)], ['Net', 'functional', [16, 1]]);
});

test('tf received as a parameter (a script tag\'s global) is tfjs; a parameter shadowing an import is not', () => {
  const browser = `function createModel(tf) {
  const model = tf.sequential();
  model.add(tf.layers.dense({inputShape: [10], units: 32, activation: 'relu'}));
  model.add(tf.layers.dense({units: 1}));
  return model;
}
`;
  assert.deepEqual(kindsOf(onlyModel(browser, 'app.js')), ['dense', 'dense']);
  const shadowed = `import * as tf from '@tensorflow/tfjs';\n${browser}`;
  assert.equal(extract(shadowed, 'app.js').models.length, 0);
});
