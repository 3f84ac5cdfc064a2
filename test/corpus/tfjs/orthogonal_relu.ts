import * as tf from '@tensorflow/tfjs';

const model = tf.sequential();
model.add(tf.layers.dense({ units: 128, inputShape: [128], activation: 'relu', kernelInitializer: 'heUniform' }));
for (let i = 0; i < 20; i++) {
  model.add(tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: tf.initializers.orthogonal({ gain: 1 }) })); // expect: orthogonal-gain
}
model.add(tf.layers.dense({ units: 10, kernelInitializer: 'glorotUniform' }));
