"""Clean: a U-Net with He-normal convs and skip concatenations (the common segmentation starter): He keeps every level at x1, so depth alone is no finding."""
from keras.layers import Conv2D, Dropout, Input, MaxPooling2D, UpSampling2D, concatenate
from keras.models import Model


def double_conv(x, filters):
    x = Conv2D(filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(x)
    return Conv2D(filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(x)


def build_unet(input_size=(128, 128, 1), base=32):
    inputs = Input(input_size)
    skips = []
    x = inputs
    for level in range(4):
        x = double_conv(x, base * 2 ** level)
        skips.append(x)
        x = MaxPooling2D(pool_size=(2, 2))(x)
    x = Dropout(0.5)(double_conv(x, base * 16))
    for level in reversed(range(4)):
        up = Conv2D(base * 2 ** level, 2, activation="relu", padding="same", kernel_initializer="he_normal")(UpSampling2D(size=(2, 2))(x))
        x = double_conv(concatenate([skips[level], up], axis=3), base * 2 ** level)
    outputs = Conv2D(1, 1, activation="sigmoid")(x)
    return Model(inputs=inputs, outputs=outputs)


unet = build_unet()
