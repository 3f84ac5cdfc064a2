// Clean: a REINFORCE policy network whose hidden sizes come from the UI (a parameter): widths are unknown, so nothing is judged and nothing is claimed.
import * as tf from '@tensorflow/tfjs';

class PolicyNetwork {
  constructor(hiddenLayerSizes) {
    this.createModel(hiddenLayerSizes);
  }

  createModel(hiddenLayerSizes) {
    if (!Array.isArray(hiddenLayerSizes)) {
      hiddenLayerSizes = [hiddenLayerSizes];
    }
    this.model = tf.sequential();
    hiddenLayerSizes.forEach((size, i) => {
      this.model.add(tf.layers.dense({units: size, activation: 'elu', inputShape: i === 0 ? [4] : undefined}));
    });
    this.model.add(tf.layers.dense({units: 1}));
  }
}

export class SaveablePolicyNetwork extends PolicyNetwork {}
