"""InitLint's sample: a 20-layer ReLU MLP with Keras's default glorot_uniform kernels."""
import keras
from keras import layers

DEPTH = 20
WIDTH = 256

model = keras.Sequential(name="deep_mlp")
model.add(keras.Input(shape=(WIDTH,)))
for _ in range(DEPTH):
    model.add(layers.Dense(WIDTH, activation="relu"))
model.add(layers.Dense(10))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
