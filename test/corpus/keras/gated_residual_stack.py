"""Clean for residual-growth: a WaveNet-style stack of 20 gated residual blocks (tanh * sigmoid, a 1x1
projection added back to the stream). A gate's output is bounded, so a branch stops scaling with its
input: the stream grows by a bounded amount per block, not by a factor, as with a normalization."""
from tensorflow import keras
from tensorflow.keras import layers

CHANNELS = 32


def gated_block(x, dilation):
    filt = layers.Conv1D(CHANNELS, 2, dilation_rate=dilation, padding="causal", activation="tanh")(x)
    gate = layers.Conv1D(CHANNELS, 2, dilation_rate=dilation, padding="causal", activation="sigmoid")(x)
    out = layers.Multiply()([filt, gate])
    res = layers.Conv1D(CHANNELS, 1)(out)
    return layers.Add()([x, res])


audio = keras.Input(shape=(None, CHANNELS))
x = audio
for dilation in (1, 2, 4, 8, 16, 32, 64, 128, 256, 512) * 2:
    x = gated_block(x, dilation)
x = layers.Activation("relu")(x)
logits = layers.Conv1D(256, 1)(x)
model = keras.Model(audio, logits)
