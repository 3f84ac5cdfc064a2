import keras
from keras import layers

inputs = keras.Input(shape=(784,))
x = inputs
for units in [512, 256, 256, 128]:
    x = layers.Dense(units, activation="selu")(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
