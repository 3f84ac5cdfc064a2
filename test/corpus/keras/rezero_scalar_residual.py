"""Clean: a deep residual MLP without normalization made trainable ReZero's way (Bachlechner et al. 2020):
each block adds alpha * F(x) with alpha a learned scalar starting at zero, so every block starts as the
identity whatever the branch's He init. The scalar is a custom layer's weight, a scale InitLint cannot read,
so the stack is not judged (without it, 24 blocks of He branches grow x3 per block)."""
import keras
from keras import layers


class ReZeroResidual(layers.Layer):
    def build(self, input_shape):
        self.alpha = self.add_weight(name="alpha", shape=(), initializer="zeros", trainable=True)

    def call(self, inputs):
        stream, branch = inputs
        return stream + self.alpha * branch


features = keras.Input(shape=(512,))
x = layers.Dense(512, kernel_initializer="he_normal")(features)
for _ in range(24):
    h = layers.Dense(1024, activation="relu", kernel_initializer="he_normal")(x)
    h = layers.Dense(512, kernel_initializer="he_normal")(h)
    x = ReZeroResidual()([x, h])
prediction = layers.Dense(1)(x)
model = keras.Model(features, prediction)
