"""A DCGAN trained by overriding train_step: the generator and the critic are models of their own."""
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.applications import imagenet_utils

LATENT_DIM = 128
# The DCGAN paper's N(0, 0.02): fine for one layer, vanishing over a deep stack without normalization.
weights = tf.random_normal_initializer(0.0, 0.02)


def up_block(x, filters):
    x = layers.Conv2DTranspose(filters, 4, strides=2, padding="same", kernel_initializer=weights)(x)  # expect: fixed-scale-init
    return layers.LeakyReLU(0.2)(x)


def build_generator(depth=4):
    noise = keras.Input(shape=(LATENT_DIM,))
    x = layers.Dense(4 * 4 * 256, kernel_initializer=weights)(noise)  # the first layer: scales the noise once
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Reshape((4, 4, 256))(x)
    for filters in [256, 128, 64, 32][:depth]:
        x = up_block(x, filters)
    image = layers.Conv2D(3, 3, padding="same", activation="tanh")(x)
    return keras.Model(noise, image, name="generator")


class Critic(keras.Model):
    """Only the training step is custom: the critic is built as Critic(inputs, outputs)."""

    def train_step(self, data):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(self(data, training=True))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


def critic_block(x, filters):
    shortcut = layers.Conv2D(filters, 1, strides=2, kernel_initializer="he_normal")(x)
    x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, 3))(x)
    x = layers.Conv2D(filters, 3, strides=2, kernel_initializer="he_normal")(x)
    x = layers.LeakyReLU(0.2)(x)
    x += shortcut
    return x


def build_critic():
    image = keras.Input(shape=(64, 64, 3))
    x = image
    for filters in (64, 128, 256):
        x = critic_block(x, filters)
    score = layers.Dense(1)(layers.Flatten()(x))
    return Critic(image, score, name="critic")


class GAN(keras.Model):
    def __init__(self, generator, critic):
        super().__init__()
        self.generator = generator
        self.critic = critic
        self.g_loss = keras.metrics.Mean(name="g_loss")

    def train_step(self, real_images):
        batch = tf.shape(real_images)[0]
        noise = tf.random.normal(shape=(batch, LATENT_DIM))
        with tf.GradientTape() as tape:
            loss = -tf.reduce_mean(self.critic(self.generator(noise)))
        grads = tape.gradient(loss, self.generator.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))
        self.g_loss.update_state(loss)
        return {"g_loss": self.g_loss.result()}


gan = GAN(build_generator(), build_critic())
