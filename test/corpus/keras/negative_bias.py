import keras
from keras import layers
from keras.initializers import Constant

model = keras.Sequential([
    keras.Input(shape=(100,)),
    layers.Dense(100, activation="relu", kernel_initializer="he_normal", bias_initializer=Constant(-1.0)),  # expect: dead-relu-bias
    layers.Dense(1),
])
