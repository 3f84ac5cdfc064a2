// Warns: pre-activation residual blocks, He uniform on both branch layers and no normalization: x2 per block, x64 over 6 blocks.
import * as tf from '@tensorflow/tfjs';

const UNITS = 64;

function residualBlock(x: tf.SymbolicTensor): tf.SymbolicTensor {
  let h = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: UNITS, activation: 'relu', kernelInitializer: 'heUniform' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: UNITS, kernelInitializer: 'heUniform' }).apply(h) as tf.SymbolicTensor; // expect: residual-growth
  return tf.layers.add().apply([x, h]) as tf.SymbolicTensor;
}

const input = tf.input({ shape: [16] });
let x = tf.layers.dense({ units: UNITS, kernelInitializer: 'heUniform' }).apply(input) as tf.SymbolicTensor;
for (let i = 0; i < 6; i++) x = residualBlock(x);
const output = tf.layers.dense({ units: 1 }).apply(tf.layers.reLU().apply(x) as tf.SymbolicTensor) as tf.SymbolicTensor;
const model = tf.model({ inputs: input, outputs: output });
model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
