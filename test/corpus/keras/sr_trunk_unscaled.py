"""Warns: a super-resolution trunk of 16 residual blocks (conv-ReLU-conv, no normalization) with Keras's
default Glorot and no residual scaling: Glorot keeps a square conv's variance, the ReLU halves it, so each
block adds half the stream: x1.5 per block, x660 over 16. (PyTorch's default init gives the same code about
x1.06 per block, which is why ports of such trunks to Keras are the ones that meet it.)"""
from tensorflow.keras import Model
from tensorflow.keras.layers import Add, Conv2D, Input


def body(x, filters):
    y = Conv2D(filters, 3, padding="same", activation="relu")(x)
    y = Conv2D(filters, 3, padding="same")(y)  # expect: residual-growth
    return Add()([x, y])


lr = Input(shape=(None, None, 3))
skip = x = Conv2D(64, 3, padding="same")(lr)
for _ in range(16):
    x = body(x, 64)
x = Conv2D(64, 3, padding="same")(x)
x = Add()([skip, x])
sr = Conv2D(3, 3, padding="same")(x)
model = Model(lr, sr)
