// Character-level translation: inputs made with tf.layers.input, the decoder LSTM given [input, h, c].
import * as tf from '@tensorflow/tfjs';

const SOURCE_TOKENS = 70;
const TARGET_TOKENS = 90;
const LATENT = 256;

export function translationModel(latentDim = LATENT) {
  const encoderInputs = tf.layers.input({ shape: [null, SOURCE_TOKENS] as number[] });
  const [, stateH, stateC] = tf.layers
    .lstm({ units: latentDim, returnState: true, recurrentInitializer: 'glorotNormal' }) // expect: hint:recurrent-init
    .apply(encoderInputs) as tf.SymbolicTensor[];

  const decoderInputs = tf.layers.input({ shape: [null, TARGET_TOKENS] as number[] });
  const [decoded] = tf.layers
    .lstm({ units: latentDim, returnSequences: true, returnState: true })
    .apply([decoderInputs, stateH, stateC]) as tf.SymbolicTensor[];
  const probabilities = tf.layers
    .dense({ units: TARGET_TOKENS, activation: 'softmax' })
    .apply(decoded) as tf.SymbolicTensor;
  return tf.model({ inputs: [encoderInputs, decoderInputs], outputs: probabilities });
}
