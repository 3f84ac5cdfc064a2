// Encoder-decoder: the encoder's last state seeds the decoder through initialState.
import { input, layers, model, type SymbolicTensor } from '@tensorflow/tfjs';

const VOCAB = 2000;
const HIDDEN = 256;
const MAX_LEN = 40;

export function buildSeq2Seq(vocab = VOCAB, hidden = HIDDEN) {
  const encoderInputs = input({ shape: [MAX_LEN, vocab], name: 'encoder_inputs' });
  const [, stateH] = layers
    .gru({ units: hidden, returnState: true, recurrentInitializer: 'glorotUniform' }) // expect: hint:recurrent-init
    .apply(encoderInputs) as SymbolicTensor[];

  const decoderInputs = input({ shape: [MAX_LEN, vocab], name: 'decoder_inputs' });
  const decoded = layers
    .gru({ units: hidden, returnSequences: true })
    .apply(decoderInputs, { initialState: [stateH] }) as SymbolicTensor;
  const probabilities = layers
    .timeDistributed({ layer: layers.dense({ units: vocab, activation: 'softmax' }) })
    .apply(decoded) as SymbolicTensor;

  return model({ inputs: [encoderInputs, decoderInputs], outputs: probabilities });
}
