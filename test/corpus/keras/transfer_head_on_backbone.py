"""Hints at most: a small ReLU head on a frozen keras.applications backbone: the backbone is pretrained (not a chain InitLint can see into) and the head has three layers."""
import tensorflow as tf
from tensorflow import keras

backbone = keras.applications.vgg16.VGG16(include_top=False, weights="imagenet", input_shape=(224, 224, 3))
for layer in backbone.layers:
    layer.trainable = False

x = keras.layers.Flatten()(backbone.output)
x = keras.layers.Dense(30, activation="relu")(x)
x = keras.layers.Dense(30, activation="relu")(x)  # expect: hint:relu-glorot-deep
x = keras.layers.Dense(30, activation="relu")(x)  # expect: hint:relu-glorot-deep
x = keras.layers.Dense(1, activation="sigmoid")(x)
classifier = keras.models.Model(inputs=backbone.input, outputs=x)
classifier.compile(optimizer="adam", loss="binary_crossentropy")
