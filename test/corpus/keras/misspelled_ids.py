import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(32,)),
    layers.Dense(32, activation="relu", kernel_initializer="heNormal"),  # expect: unknown-identifier
    layers.Dense(32, activation="leakyRelu", kernel_initializer="LeCunNormal"),  # expect: unknown-identifier, unknown-identifier
    layers.Dense(1),
])
