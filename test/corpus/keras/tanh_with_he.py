"""He under two tanh layers: Glorot is right, but measured training at this depth did not suffer: hints."""
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense
from tensorflow.keras import initializers

model = Sequential()
model.add(Dense(256, activation="tanh", input_dim=100, kernel_initializer=initializers.HeNormal()))  # expect: hint:saturating-he
model.add(Dense(256, activation="tanh", kernel_initializer="he_uniform"))  # expect: hint:saturating-he
# He under an output sigmoid is not a hidden layer: not flagged.
model.add(Dense(1, activation="sigmoid", kernel_initializer="he_normal"))
