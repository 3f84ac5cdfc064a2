// Clean: BatchNormalization after each convolution resets the scale.
import * as tf from '@tensorflow/tfjs';

const model = tf.sequential();
model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, padding: 'same', useBias: false }));
model.add(tf.layers.batchNormalization());
model.add(tf.layers.reLU());
for (const filters of [64, 128]) {
  model.add(tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.reLU());
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
}
model.add(tf.layers.flatten());
model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: 'glorotUniform' }));
export default model;
