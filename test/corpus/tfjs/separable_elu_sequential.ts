// Warns: a small driving-camera CNN, four separableConv2d with ELU after an input BatchNormalization, tfjs's
// default glorotUniform. tfjs draws both kernels from depthwiseInitializer, and the depthwise one's fans count
// every input channel though each output sums 9 inputs: ×0.07, ×0.05, ×0.035 per layer, 1.5e-5 before the head.
import * as tf from '@tensorflow/tfjs';

export function buildDriver(imageSize: number, classes: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.batchNormalization({inputShape: [imageSize, imageSize, 3]}));
  model.add(tf.layers.separableConv2d({filters: 16, kernelSize: 3, strides: 2, activation: 'elu'}));
  model.add(tf.layers.separableConv2d({filters: 32, kernelSize: 3, strides: 2, activation: 'elu'})); // expect: activation-gain
  model.add(tf.layers.separableConv2d({filters: 48, kernelSize: 3, activation: 'elu'})); // expect: activation-gain
  model.add(tf.layers.separableConv2d({filters: 64, kernelSize: 3, activation: 'elu'})); // expect: activation-gain
  model.add(tf.layers.dropout({rate: 0.3}));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({units: 32, activation: 'elu'}));
  model.add(tf.layers.dense({units: classes, activation: 'softmax'}));
  return model;
}
