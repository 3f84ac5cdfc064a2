// A policy network wrapped in a class: sizes come through the constructor, the model is built by a method.
import * as tf from '@tensorflow/tfjs-node';

type Activation = 'relu' | 'tanh';

export class PolicyNetwork {
  private model!: tf.Sequential;

  constructor(private readonly hiddenSizes: number[], private readonly activation: Activation = 'relu') {}

  build(stateDim: number, numActions: number): tf.Sequential {
    this.model = tf.sequential();
    this.hiddenSizes.forEach((units, i) => {
      this.model.add(tf.layers.dense({
        units,
        activation: this.activation,
        ...(i === 0 ? { inputShape: [stateDim] } : {}),
        kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.01 }), // expect: fixed-scale-init
      }));
    });
    this.model.add(tf.layers.dense({ units: numActions, activation: 'softmax' }));
    return this.model;
  }
}

const HIDDEN = [256, 256, 256, 256, 256, 256];
export const policy = new PolicyNetwork(HIDDEN).build(128, 4);
