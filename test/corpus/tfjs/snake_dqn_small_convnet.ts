// Hints only: a snake-game DQN (2-channel board -> 8 -> 16 -> 16 convs, glorotNormal, ReLU) is three conv layers: He is better in theory, training does not suffer.
import * as tf from '@tensorflow/tfjs';

export function createQNetwork(height: number, width: number, actions: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 1, activation: 'relu', inputShape: [height, width, 2] }));
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 1, activation: 'relu' })); // expect: hint:relu-glorot-deep
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 1, activation: 'relu' })); // expect: hint:relu-glorot-deep
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: actions }));
  return model;
}

export function syncTarget(target: tf.LayersModel, online: tf.LayersModel): void {
  target.setWeights(online.getWeights());
}
