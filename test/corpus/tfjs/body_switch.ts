// A classifier whose body is picked by an option: each body is a model of its own, never all of them
// stacked into one (five ReLU layers with Glorot are only a hint, ×0.5⁴ = 0.06; five swish ones vanish, ×4.7e-3).
import * as tf from '@tensorflow/tfjs';

export type Body = 'relu' | 'elu' | 'swish';

function block(model: tf.Sequential, activation: Body, features: number) {
  for (let i = 0; i < 5; i++) {
    model.add(tf.layers.dense({
      units: 128,
      activation,
      kernelInitializer: 'glorotUniform', // expect: activation-gain, hint:relu-glorot-deep
      inputShape: i === 0 ? [features] : undefined,
    }));
  }
}

export function buildClassifier(body: Body, features = 64, classes = 10): tf.Sequential {
  const model = tf.sequential();
  switch (body) {
    case 'relu':
      block(model, 'relu', features);
      break;
    case 'elu':
      block(model, 'elu', features);
      break;
    case 'swish':
      block(model, 'swish', features);
      break;
    default:
      throw new Error(`unknown body: ${body}`);
  }
  if (classes > 2) {
    model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
  } else {
    model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  }
  return model;
}
