"""Warns: the time-series WaveNet (two rounds of dilation rates 1, 2, 4, 8; 20 filters, kernel 2, Glorot, ReLU, no normalization): eight equal-width layers at x0.5 each."""
from tensorflow import keras

model = keras.models.Sequential()
model.add(keras.layers.InputLayer(input_shape=[None, 1]))
for rate in (1, 2, 4, 8) * 2:
    model.add(keras.layers.Conv1D(filters=20, kernel_size=2, padding="causal", activation="relu", dilation_rate=rate))  # expect: relu-glorot-deep
model.add(keras.layers.Conv1D(filters=10, kernel_size=1))
model.compile(loss="mse", optimizer="adam")
