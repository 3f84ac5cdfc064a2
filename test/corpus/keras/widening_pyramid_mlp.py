"""A 5-layer widening Glorot/ReLU MLP (32 -> 64 -> ... -> 512) shrinks by about x0.33 per layer, x0.012 overall: past T = 50, where measured SGD training slows (x7.8e-3 took 2.7x the steps), so warnings."""
import keras
from keras.layers import Dense, Flatten
from keras.models import Sequential

model = Sequential()
model.add(Dense(32, activation="relu", input_shape=(28, 28)))
model.add(Dense(64, activation="relu"))  # expect: relu-glorot-deep
model.add(Dense(128, activation="relu"))  # expect: relu-glorot-deep
model.add(Dense(256, activation="relu"))  # expect: relu-glorot-deep
model.add(Dense(512, activation="relu"))  # expect: relu-glorot-deep
model.add(Flatten())
model.add(Dense(10, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
