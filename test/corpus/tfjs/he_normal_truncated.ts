import * as tf from '@tensorflow/tfjs';

// heNormal in tfjs draws a truncated normal without correcting its variance: ×0.774 per layer.
const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: 512, inputShape: [512], activation: 'relu', kernelInitializer: 'heNormal' }), // rescales once, like the data: not blamed
    ...Array.from({ length: 24 }, () =>
      tf.layers.dense({ units: 512, activation: 'relu', kernelInitializer: 'heNormal' })), // expect: truncated-variance
    tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: 'glorotUniform' }),
  ],
});
export default model;
