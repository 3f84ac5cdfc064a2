"""Clean: pre-norm residual blocks (LayerNormalization opens each branch, as in a Transformer or MLP-Mixer): the stream grows by a constant per block, not by a factor."""
import keras
from keras import layers


def mlp_block(x, hidden, width):
    h = layers.LayerNormalization(epsilon=1e-6)(x)
    h = layers.Dense(hidden, activation="gelu")(h)
    h = layers.Dense(width)(h)
    return x + h


inputs = keras.Input(shape=(64, 96))
x = inputs
for _ in range(12):
    x = mlp_block(x, 384, 96)
x = layers.LayerNormalization(epsilon=1e-6)(x)
x = layers.GlobalAveragePooling1D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
