"""Clean: Xception's middle flow (ReLU → SeparableConv2D → BatchNormalization, three per block, residual Add).

BatchNormalization after every separable conv normalizes its scale away, so its He-on-both-kernels
(×2/in) never compounds: nothing to report.
"""
import keras
from keras import layers


def middle_block(x, filters=256):
    residual = x
    for _ in range(3):
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(filters, 3, padding="same", use_bias=False,
                                   depthwise_initializer="he_normal", pointwise_initializer="he_normal")(x)
        x = layers.BatchNormalization()(x)
    return layers.add([x, residual])


inputs = keras.Input(shape=(19, 19, 256))
x = inputs
for _ in range(8):
    x = middle_block(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(1000, activation="softmax")(x)
model = keras.Model(inputs, outputs)
