"""Warns: a depthwise-separable text CNN (six SeparableConv1D, ReLU, no normalization) on Keras's default
Glorot. The depthwise kernel [5, 128, 1] gets Glorot's fans from every input channel (fan_in 640), though
each of its outputs sums 5 inputs: x0.016 per layer before the pointwise kernel."""
import keras
from keras import layers

tokens = keras.Input(shape=(200,), dtype="int32")
x = layers.Embedding(20000, 128)(tokens)
for _ in range(6):
    x = layers.SeparableConv1D(128, 5, padding="same", activation="relu")(x)  # expect: relu-glorot-deep
x = layers.GlobalMaxPooling1D()(x)
model = keras.Model(tokens, layers.Dense(1, activation="sigmoid")(x))
