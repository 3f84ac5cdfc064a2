from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense
from tensorflow.keras import initializers

model = Sequential()
model.add(Dense(256, activation="tanh", input_dim=100, kernel_initializer=initializers.HeNormal()))
model.add(Dense(256, activation="tanh", kernel_initializer="he_uniform"))
# He under an output sigmoid is not a hidden layer: not flagged.
model.add(Dense(1, activation="sigmoid", kernel_initializer="he_normal"))
