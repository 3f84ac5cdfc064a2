"""Clean: He initialization keeps a deep ReLU stack at unit variance."""
import keras
from keras import layers

model = keras.Sequential(
    [keras.Input(shape=(512,))]
    + [layers.Dense(512, activation="relu", kernel_initializer="he_normal") for _ in range(24)]
    + [layers.Dense(10, activation="softmax")]
)
