import tensorflow as tf
from tensorflow import keras


class DeepNet(keras.Model):
    def __init__(self, depth=16, width=128):
        super().__init__()
        self.hidden = [keras.layers.Dense(128, activation=tf.nn.relu) for _ in range(16)]  # expect: relu-glorot-deep
        self.head = keras.layers.Dense(10)

    def call(self, inputs, training=None):
        x = inputs
        for layer in self.hidden:
            x = layer(x)
        return self.head(x)
