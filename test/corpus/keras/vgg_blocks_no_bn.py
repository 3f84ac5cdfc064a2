"""Warns: a VGG-16-style stack (13 convs + 2 FC, Glorot, ReLU, no normalization) written with a block helper halves the signal at every conv: x0.5^12 is the classic vanishing case."""
from tensorflow import keras
from tensorflow.keras import layers


def vgg_block(x, filters, convs):
    for _ in range(convs):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)  # expect: relu-glorot-deep
    return layers.MaxPooling2D(2, strides=2)(x)


def build_vgg16(input_shape=(224, 224, 3), classes=2):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        x = vgg_block(x, filters, convs)
    x = layers.Flatten()(x)
    x = layers.Dense(4096, activation="relu")(x)
    x = layers.Dense(4096, activation="relu")(x)  # expect: relu-glorot-deep
    outputs = layers.Dense(classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="vgg16_scratch")


vgg = build_vgg16()
