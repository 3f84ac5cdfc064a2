"""Warns: a residual MLP for tabular data (a "ResNet-style MLP"), 8 post-activation blocks with He on both branch layers and no normalization: the stream's variance grows about x2.4 per block."""
import keras
from keras import layers

N_FEATURES = 54
WIDTH = 128
N_BLOCKS = 8


def residual_block(x, width, dropout=0.1):
    h = layers.Dense(width, activation="relu", kernel_initializer="he_normal")(x)
    h = layers.Dropout(dropout)(h)
    h = layers.Dense(width, kernel_initializer="he_normal")(h)  # expect: residual-growth
    return layers.Activation("relu")(layers.add([x, h]))


inputs = keras.Input(shape=(N_FEATURES,))
x = layers.Dense(WIDTH, activation="relu", kernel_initializer="he_normal")(inputs)
for _ in range(N_BLOCKS):
    x = residual_block(x, WIDTH)
outputs = layers.Dense(7, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
