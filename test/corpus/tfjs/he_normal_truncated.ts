import * as tf from '@tensorflow/tfjs';

// heNormal in tfjs draws a truncated normal without correcting its variance: ×0.774 per layer, ×2e-3 over 25
// layers; measured, heNormal at ×7.6e-3 trained as fast as heUniform, so truncated-variance warns only below 1e-3: a hint.
const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: 512, inputShape: [512], activation: 'relu', kernelInitializer: 'heNormal' }), // rescales once, like the data: not blamed
    ...Array.from({ length: 24 }, () =>
      tf.layers.dense({ units: 512, activation: 'relu', kernelInitializer: 'heNormal' })), // expect: hint:truncated-variance
    tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: 'glorotUniform' }),
  ],
});
export default model;
