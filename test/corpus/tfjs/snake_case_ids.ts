import * as tf from '@tensorflow/tfjs';

const model = tf.sequential();
model.add(tf.layers.dense({ units: 64, inputShape: [64], activation: 'relu', kernelInitializer: 'he_normal' })); // expect: unknown-identifier
model.add(tf.layers.dense({ units: 64, activation: 'leaky_relu', kernelInitializer: 'heUniform' })); // expect: unknown-identifier
model.add(tf.layers.dense({ units: 1, kernelInitializer: 'glorotUniform' }));
