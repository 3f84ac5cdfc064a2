// Clean: the housing-price regressor with two leCunNormal sigmoid layers of 50: sigmoid's derivative shrinks the backward signal, not the initializer, so there is nothing to fix.
import * as tf from '@tensorflow/tfjs';

const NUM_FEATURES = 12;

export function twoHiddenLayerRegressor() {
  const model = tf.sequential();
  model.add(tf.layers.dense({inputShape: [NUM_FEATURES], units: 50, activation: 'sigmoid', kernelInitializer: 'leCunNormal'}));
  model.add(tf.layers.dense({units: 50, activation: 'sigmoid', kernelInitializer: 'leCunNormal'}));
  model.add(tf.layers.dense({units: 1}));
  model.compile({optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError'});
  return model;
}
