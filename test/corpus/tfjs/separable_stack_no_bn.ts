// A small depthwise-separable image classifier without normalization, He on both kernels as in a Keras
// tutorial: each separable conv keeps 2/in × 2 of the signal (×0.06 at 32 channels under ReLU).
import * as tf from '@tensorflow/tfjs';

export function buildClassifier(numClasses: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({inputShape: [64, 64, 3], filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: 'heUniform'}));
  for (let i = 0; i < 5; i++) {
    model.add(tf.layers.separableConv2d({
      filters: 32,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      depthwiseInitializer: 'heUniform', // expect: relu-glorot-deep
      pointwiseInitializer: 'heUniform',
    }));
  }
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dense({units: numClasses, activation: 'softmax'}));
  return model;
}
