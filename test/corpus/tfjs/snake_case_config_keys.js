// Errors: a character model in plain JavaScript whose embedding config is written the Keras way. tfjs layers read
// args.embeddingsInitializer and args.kernelInitializer: the snake_case keys are properties nothing reads, so the
// embedding draws its default ±0.05 uniform instead of N(0, 0.02), and the head its default glorotNormal.
const tf = require('@tensorflow/tfjs-node');

const SEQ_LENGTH = 64;

function buildCharModel(vocabSize) {
  const inputs = tf.input({ shape: [SEQ_LENGTH], dtype: 'int32' });
  let x = tf.layers.embedding({
    inputDim: vocabSize,
    outputDim: 128,
    embeddings_initializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.02 }), // expect: ignored-argument
  }).apply(inputs);
  x = tf.layers.lstm({ units: 256, returnSequences: true }).apply(x);
  const logits = tf.layers.timeDistributed({
    layer: tf.layers.dense({ units: vocabSize, kernel_initializer: 'glorotUniform' }), // expect: ignored-argument
  }).apply(x);
  return tf.model({ inputs, outputs: logits });
}

const model = buildCharModel(65);
model.compile({ optimizer: tf.train.adam(3e-4), loss: 'sparseCategoricalCrossentropy' });
module.exports = { buildCharModel };
