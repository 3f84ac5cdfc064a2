/**
 * Classes written as expressions (`module.exports = class TwoTower {…}`, `const Net = class {…}`) are classes like
 * declared ones: their never-called methods that may build run on the instance (the file's own, where it makes
 * one), their constructor first with unseen arguments; loaders and training methods are not run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract, keywords, kindsOf, onlyModel, unitsOf } from './extract';

const header = `import * as tf from '@tensorflow/tfjs';\n`;

test('a two-tower recommender exported as a class expression: each tower built in its constructor is a model', () => {
  const { models } = extract(`const tf = require('@tensorflow/tfjs');
module.exports = class TwoTower {
  constructor(userDim, itemDim) {
    this.userTower = this.buildTower(userDim, 64);
    this.itemTower = this.buildTower(itemDim, 128);
  }
  buildTower(inputDim, hidden) {
    const m = tf.sequential();
    m.add(tf.layers.dense({units: hidden, activation: 'relu', inputShape: [inputDim]}));
    m.add(tf.layers.dense({units: 32}));
    return m;
  }
};`, 'twoTower.js');
  assert.deepEqual(models.map(unitsOf), [[64, 32], [128, 32]]);
  // The input widths are the constructor's parameters, which nobody passes: unknown, never guessed.
  for (const model of models) assert.deepEqual(keywords(model.layers[0].call).inputShape, ['?']);
});

test('towers built in methods nobody calls run on the instance the constructor set up', () => {
  const { models } = extract(`${header}const TwoTower = class {
  constructor(embedDim = 16) { this.embedDim = embedDim; }
  buildUserTower(userDim) {
    const user = tf.sequential();
    user.add(tf.layers.dense({units: 64, activation: 'relu', inputShape: [userDim]}));
    user.add(tf.layers.dense({units: this.embedDim}));
    return user;
  }
  buildItemTower(itemDim) {
    const item = tf.sequential();
    item.add(tf.layers.dense({units: 128, activation: 'relu', inputShape: [itemDim]}));
    item.add(tf.layers.dense({units: this.embedDim}));
    return item;
  }
};
export default TwoTower;`, 'twoTower.js');
  assert.deepEqual(models.map((model) => [model.name, unitsOf(model)]), [['user', [64, 16]], ['item', [128, 16]]]);
  assert.deepEqual(keywords(models[0].layers[0].call).inputShape, ['?']);
});

test('a class expression the file instantiates: its build(), never called, runs on that instance', () => {
  const found = onlyModel(`${header}const Net = class {
  constructor(width) { this.width = width; }
  build() {
    const model = tf.sequential();
    model.add(tf.layers.dense({units: this.width, inputShape: [10]}));
    model.add(tf.layers.dense({units: 1}));
    return model;
  }
};
export const net = new Net(48);`, 'net.js');
  // The width the file gave, not an unknown one from a second run of the constructor.
  assert.deepEqual(unitsOf(found), [48, 1]);
});

test('a class expression\'s data loader and training loop are not run: only the model its builder makes', () => {
  const { models } = extract(`${header}export const Recommender = class {
  constructor(url) { this.url = url; }
  async loadData() {
    const rows = await tf.data.csv(this.url).toArray();
    return rows.map((row) => Object.values(row));
  }
  buildModel() {
    this.model = tf.sequential();
    this.model.add(tf.layers.dense({units: 24, activation: 'relu', inputShape: [8]}));
    this.model.add(tf.layers.dense({units: 1, activation: 'sigmoid'}));
    this.model.compile({optimizer: 'adam', loss: 'binaryCrossentropy'});
  }
  async train(xs, ys) {
    for (let epoch = 0; epoch < 200; epoch++) await this.model.fit(xs, ys, {epochs: 1});
  }
};`, 'recommender.js');
  assert.deepEqual(models.map(unitsOf), [[24, 1]]);
});

test('a tf.Sequential subclass written as a class expression is the model its instance is, named by its variable', () => {
  const found = onlyModel(`${header}const Net = class extends tf.Sequential {
  constructor() {
    super();
    this.add(tf.layers.dense({units: 7, activation: 'relu', inputShape: [3]}));
    this.add(tf.layers.dense({units: 2}));
  }
};
export const net = new Net();`, 'net.js');
  assert.equal(found.name, 'Net');
  assert.deepEqual(kindsOf(found), ['dense', 'dense']);
  assert.deepEqual(unitsOf(found), [7, 2]);
});
