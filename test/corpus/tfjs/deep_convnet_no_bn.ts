// Warns: a ten-conv browser image classifier with the tfjs default glorotNormal and ReLU, no normalization: ReLU's 1/2 times the truncation's 0.77 is x0.38 per conv, ~1e-6 over ten.
import * as tf from '@tensorflow/tfjs';

export function buildDeepClassifier(classes: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [64, 64, 3] }));
  for (const filters of [32, 32, 64, 64, 64, 128, 128, 128, 128]) {
    model.add(tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu' })); // expect: relu-glorot-deep
    if (filters !== 32) model.add(tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }));
  }
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
  return model;
}
