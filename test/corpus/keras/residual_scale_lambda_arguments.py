"""Clean: a deep residual MLP without normalization whose branches are scaled by a Lambda given its scale
through `arguments` (Keras calls function(x, **arguments)). A pre-activation He branch is as strong as the
stream; scaled by 0.2 it adds 0.04 of it: (1.04)^20 = x2.2 over 20 blocks, nothing to report (x1e6 unscaled)."""
import keras
from keras import layers

BLOCKS = 20

inputs = keras.Input(shape=(128,))
x = layers.Dense(256, kernel_initializer="he_normal")(inputs)
for _ in range(BLOCKS):
    h = layers.ReLU()(x)
    h = layers.Dense(256, activation="relu", kernel_initializer="he_normal")(h)
    h = layers.Dense(256, kernel_initializer="he_normal")(h)
    h = layers.Lambda(lambda t, scale: t * scale, arguments={"scale": 0.2})(h)
    x = layers.Add()([x, h])
outputs = layers.Dense(10)(layers.ReLU()(x))
model = keras.Model(inputs, outputs)
