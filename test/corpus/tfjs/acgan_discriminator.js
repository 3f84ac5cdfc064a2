// An ACGAN discriminator (4 convs, linear then leakyReLU layers, dropout, no normalization) under tfjs's default glorotNormal loses about x0.25 per conv, x0.014 over the stack: past T = 50, where measured SGD training slows (x7.8e-3 took 2.7x the steps), so a warning; GAN recipes use Adam, which absorbs it better.
const tf = require('@tensorflow/tfjs');

const IMAGE_SIZE = 28;
const CLASSES = 10;

function buildDiscriminator() {
  const cnn = tf.sequential();
  cnn.add(tf.layers.conv2d({filters: 32, kernelSize: 3, padding: 'same', strides: 2, inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1]}));
  cnn.add(tf.layers.leakyReLU({alpha: 0.2}));
  cnn.add(tf.layers.dropout({rate: 0.3}));
  cnn.add(tf.layers.conv2d({filters: 64, kernelSize: 3, padding: 'same', strides: 1})); // expect: relu-glorot-deep
  cnn.add(tf.layers.leakyReLU({alpha: 0.2}));
  cnn.add(tf.layers.dropout({rate: 0.3}));
  cnn.add(tf.layers.conv2d({filters: 128, kernelSize: 3, padding: 'same', strides: 2})); // expect: relu-glorot-deep
  cnn.add(tf.layers.leakyReLU({alpha: 0.2}));
  cnn.add(tf.layers.dropout({rate: 0.3}));
  cnn.add(tf.layers.conv2d({filters: 256, kernelSize: 3, padding: 'same', strides: 1})); // expect: relu-glorot-deep
  cnn.add(tf.layers.leakyReLU({alpha: 0.2}));
  cnn.add(tf.layers.dropout({rate: 0.3}));
  cnn.add(tf.layers.flatten());

  const image = tf.input({shape: [IMAGE_SIZE, IMAGE_SIZE, 1]});
  const features = cnn.apply(image);
  const realness = tf.layers.dense({units: 1, activation: 'sigmoid'}).apply(features);
  const aux = tf.layers.dense({units: CLASSES, activation: 'softmax'}).apply(features);
  return tf.model({inputs: image, outputs: [realness, aux]});
}

module.exports = {buildDiscriminator};
