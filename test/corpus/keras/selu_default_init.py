"""Four SELU layers under the default Glorot: LeCun normal is better in theory, but this shallow a stack trains the same: a hint."""
import keras
from keras import layers

inputs = keras.Input(shape=(784,))
x = inputs
for units in [512, 256, 256, 128]:
    x = layers.Dense(units, activation="selu")(x)  # expect: hint:selu-lecun
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
