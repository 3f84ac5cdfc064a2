"""Clean: a small ResNet with BatchNorm, and residual branches ending in a zero-initialised conv (Fixup-style)."""
import keras
from keras import layers


def residual_block(x, filters):
    shortcut = x
    y = layers.Conv2D(filters, 3, padding="same", kernel_initializer="he_normal")(x)
    y = layers.BatchNormalization()(y)
    y = layers.ReLU()(y)
    y = layers.Conv2D(filters, 3, padding="same", kernel_initializer="zeros")(y)
    return layers.Add()([shortcut, y])


inputs = keras.Input(shape=(32, 32, 16))
x = inputs
for _ in range(4):
    x = residual_block(x, 16)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
