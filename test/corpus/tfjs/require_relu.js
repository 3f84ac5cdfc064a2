const tf = require('@tensorflow/tfjs');

const hidden = Array.from({ length: 25 }, () =>
  tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'glorotUniform' })); // expect: relu-glorot-deep

const model = tf.sequential({
  layers: [tf.layers.dense({ units: 64, inputShape: [64], activation: 'relu', kernelInitializer: 'heUniform' }), ...hidden,
    tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: 'glorotUniform' })],
});
module.exports = { model };
