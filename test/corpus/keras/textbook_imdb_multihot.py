"""Clean: multi-hot 10,000 -> 16 -> 16 -> 1 (the IMDB chapter): the input layer's huge fan_in only scales d(loss)/d(input), which nobody trains on."""
from tensorflow import keras
from tensorflow.keras import layers

VOCABULARY = 10000

model = keras.Sequential([
    keras.Input(shape=(VOCABULARY,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(16, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
