// Errors: a "Fixup" attempt on TensorFlow.js separable convs. The last separableConv2d of each residual branch
// gets depthwiseInitializer: 'zeros' so the block starts as the identity, but tfjs draws the pointwise kernel
// from depthwiseInitializer too (tfjs#8564): both kernels are zero, each one's gradient goes through the other,
// and the branches never train. In Keras the same line zeros only the depthwise kernel, which is Fixup.
import * as tf from '@tensorflow/tfjs';

function middleFlow(x: tf.SymbolicTensor, blocks: number): tf.SymbolicTensor {
  for (let i = 0; i < blocks; i++) {
    let h = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
    h = tf.layers.separableConv2d({filters: 96, kernelSize: 3, padding: 'same', activation: 'relu', depthwiseInitializer: 'heNormal'}).apply(h) as tf.SymbolicTensor;
    h = tf.layers.separableConv2d({filters: 96, kernelSize: 3, padding: 'same', depthwiseInitializer: 'zeros'}).apply(h) as tf.SymbolicTensor; // expect: symmetric-init
    x = tf.layers.add().apply([x, h]) as tf.SymbolicTensor;
  }
  return x;
}

const board = tf.input({shape: [15, 15, 96]});
const trunk = middleFlow(board, 6);
const pooled = tf.layers.globalAveragePooling2d({}).apply(trunk) as tf.SymbolicTensor;
export const policy = tf.model({inputs: board, outputs: tf.layers.dense({units: 225, activation: 'softmax'}).apply(pooled) as tf.SymbolicTensor});
