"""Clean: an image-to-image ResNet generator (CycleGAN style): nine residual blocks of reflection-padded 3x3
convs, each followed by TensorFlow Addons' InstanceNormalization, weights from N(0, 0.02). Every conv feeds a
normalization, so neither the small init nor the residual stack compounds: nothing to report."""
import tensorflow as tf
import tensorflow_addons as tfa
from tensorflow import keras
from tensorflow.keras import layers

weights = keras.initializers.RandomNormal(mean=0.0, stddev=0.02)


class ReflectPad(layers.Layer):
    def __init__(self, pad=1, **kwargs):
        super().__init__(**kwargs)
        self.pad = pad

    def call(self, x):
        p = self.pad
        return tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]], mode="REFLECT")


def conv_norm(x, filters, size, strides=1, relu=True):
    x = layers.Conv2D(filters, size, strides=strides, padding="same", kernel_initializer=weights, use_bias=False)(x)
    x = tfa.layers.InstanceNormalization()(x)
    return layers.ReLU()(x) if relu else x


def res_unit(x):
    width = x.shape[-1]
    y = ReflectPad()(x)
    y = layers.Conv2D(width, 3, kernel_initializer=weights, use_bias=False)(y)
    y = tfa.layers.InstanceNormalization()(y)
    y = layers.ReLU()(y)
    y = ReflectPad()(y)
    y = layers.Conv2D(width, 3, kernel_initializer=weights, use_bias=False)(y)
    y = tfa.layers.InstanceNormalization()(y)
    return layers.add([x, y])


image = keras.Input(shape=(128, 128, 3))
x = conv_norm(image, 64, 7)
x = conv_norm(x, 128, 3, strides=2)
x = conv_norm(x, 256, 3, strides=2)
for _ in range(9):
    x = res_unit(x)
x = layers.Conv2DTranspose(128, 3, strides=2, padding="same", kernel_initializer=weights, use_bias=False)(x)
x = layers.ReLU()(tfa.layers.InstanceNormalization()(x))
x = layers.Conv2DTranspose(64, 3, strides=2, padding="same", kernel_initializer=weights, use_bias=False)(x)
x = layers.ReLU()(tfa.layers.InstanceNormalization()(x))
translated = layers.Conv2D(3, 7, padding="same", activation="tanh")(x)
generator = keras.Model(image, translated)
