import * as tf from '@tensorflow/tfjs';

const input = tf.input({ shape: [128] });
let x = input as tf.SymbolicTensor;
for (let i = 0; i < 30; i++) {
  x = tf.layers.dense({ units: 128, activation: 'tanh', kernelInitializer: 'glorotNormal' }).apply(x) as tf.SymbolicTensor;
}
const output = tf.layers.dense({ units: 1, kernelInitializer: 'glorotUniform' }).apply(x) as tf.SymbolicTensor;
export const model = tf.model({ inputs: input, outputs: output });
