// Clean: heUniform has exactly Var = 2/fan_in in tfjs.
import * as tf from '@tensorflow/tfjs';

const WIDTH = 256;
const model = tf.sequential();
model.add(tf.layers.dense({ units: WIDTH, inputShape: [WIDTH], activation: 'relu', kernelInitializer: 'heUniform' }));
for (let i = 0; i < 30; i++) {
  model.add(tf.layers.dense({ units: WIDTH, activation: 'relu', kernelInitializer: 'heUniform' }));
}
model.add(tf.layers.dense({ units: 1, kernelInitializer: 'glorotUniform' }));
