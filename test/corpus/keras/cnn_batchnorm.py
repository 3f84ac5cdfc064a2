"""Clean: a VGG-style CNN where BatchNormalization follows every convolution."""
import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(64, 64, 3))])
for filters in [32, 64, 128, 256]:
    model.add(layers.Conv2D(filters, (3, 3), padding="same", use_bias=False))
    model.add(layers.BatchNormalization())
    model.add(layers.Activation("relu"))
    model.add(layers.MaxPooling2D())
model.add(layers.Flatten())
model.add(layers.Dense(10, activation="softmax"))
