"""Clean: a DCGAN generator whose Dense width is a typo'd power (7**7**128, an int no float holds): the width is unknown, never Infinity, and BatchNormalization follows."""
from tensorflow import keras

num_features = 100
generator = keras.models.Sequential([
    keras.layers.Dense(7**7**128, input_shape=[num_features]),
    keras.layers.Reshape([7, 7, 128]),
    keras.layers.BatchNormalization(),
    keras.layers.Conv2DTranspose(64, (5, 5), (2, 2), padding="same", activation="relu"),
    keras.layers.BatchNormalization(),
    keras.layers.Conv2DTranspose(1, (5, 5), (2, 2), padding="same", activation="tanh"),
])
