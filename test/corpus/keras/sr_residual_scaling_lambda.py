"""Clean: a wide super-resolution trunk (32 residual blocks of 256 filters, no normalization, Keras's default
Glorot) whose branches are scaled by 0.1 in a Lambda, as EDSR does for its large model. The stream grows by
(1 + 0.1^2 * 0.5) per block, x1.17 over the stack: nothing to report. Without the scale it is x1.5 per block
(see sr_trunk_unscaled.py)."""
import tensorflow as tf
from tensorflow.keras import Model
from tensorflow.keras.layers import Add, Conv2D, Input, Lambda

MEAN_RGB = (114.4, 111.5, 103.0)


def branch(features, width, scale):
    h = Conv2D(width, 3, padding="same", activation="relu")(features)
    h = Conv2D(width, 3, padding="same")(h)
    h = Lambda(lambda tensor: tensor * scale)(h)
    return Add()([features, h])


def super_resolver(width=256, depth=32, scale=0.1):
    lr = Input(shape=(None, None, 3))
    pixels = Lambda(lambda image: (image - MEAN_RGB) / 127.5)(lr)
    head = trunk = Conv2D(width, 3, padding="same")(pixels)
    for _ in range(depth):
        trunk = branch(trunk, width, scale)
    trunk = Conv2D(width, 3, padding="same")(trunk)
    features = Add()([head, trunk])
    features = Conv2D(3 * 4, 3, padding="same")(features)
    hr = Lambda(lambda t: tf.nn.depth_to_space(t, 2))(features)
    return Model(lr, hr)


model = super_resolver()
