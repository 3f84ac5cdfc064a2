"""The keras.io-style conv VAE: encoder and decoder are models of their own, composed in VAE.call; each starts its own chains, so the decoder's 2 -> 3136 latent expansion is its first layer, not a hidden one, and it gets hints at most (it trains fine)."""
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

LATENT = 2


class Sampling(layers.Layer):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = tf.random.normal(shape=tf.shape(z_mean))
        return z_mean + tf.exp(0.5 * z_log_var) * epsilon


encoder_inputs = keras.Input(shape=(28, 28, 1))
h = layers.Conv2D(32, 3, activation="relu", strides=2, padding="same")(encoder_inputs)
h = layers.Conv2D(64, 3, activation="relu", strides=2, padding="same")(h)  # expect: hint:relu-glorot-deep
h = layers.Flatten()(h)
h = layers.Dense(16, activation="relu")(h)
z_mean = layers.Dense(LATENT, name="z_mean")(h)
z_log_var = layers.Dense(LATENT, name="z_log_var")(h)
z = Sampling()([z_mean, z_log_var])
encoder = keras.Model(encoder_inputs, [z_mean, z_log_var, z], name="encoder")

latent_inputs = keras.Input(shape=(LATENT,))
d = layers.Dense(7 * 7 * 64, activation="relu")(latent_inputs)
d = layers.Reshape((7, 7, 64))(d)
d = layers.Conv2DTranspose(64, 3, activation="relu", strides=2, padding="same")(d)  # expect: hint:relu-glorot-deep
d = layers.Conv2DTranspose(32, 3, activation="relu", strides=2, padding="same")(d)  # expect: hint:relu-glorot-deep
decoder_outputs = layers.Conv2DTranspose(1, 3, activation="sigmoid", padding="same")(d)
decoder = keras.Model(latent_inputs, decoder_outputs, name="decoder")


class VAE(keras.Model):
    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder

    def call(self, x):
        z_mean, z_log_var, z = self.encoder(x)
        return self.decoder(z)


vae = VAE(encoder, decoder)
vae.compile(optimizer=keras.optimizers.Adam())
