// Clean: the browser sentiment demo's multi-hot 10,000 -> 16 -> 16 -> 1 net: a 10,000-wide input layer is data scaling, not a vanishing chain.
import * as tf from '@tensorflow/tfjs';

export function buildMultihotModel(vocabularySize = 10000) {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 16, activation: 'relu', inputShape: [vocabularySize]}));
  model.add(tf.layers.dense({units: 16, activation: 'relu'}));
  model.add(tf.layers.dense({units: 1, activation: 'sigmoid'}));
  model.compile({loss: 'binaryCrossentropy', optimizer: 'adam', metrics: ['acc']});
  return model;
}
