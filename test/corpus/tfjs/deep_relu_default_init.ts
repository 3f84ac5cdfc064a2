import * as tf from '@tensorflow/tfjs';

const DEPTH = 20;

export function buildModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 256, inputShape: [256], activation: 'relu' })); // the first layer rescales once, like the data: not blamed
  for (let i = 1; i < DEPTH; i++) {
    model.add(tf.layers.dense({ units: 256, activation: 'relu' })); // expect: relu-glorot-deep
  }
  model.add(tf.layers.dense({ units: 10 }));
  return model;
}
