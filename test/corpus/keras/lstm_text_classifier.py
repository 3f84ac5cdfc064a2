from keras import Sequential
from keras.layers import Embedding, LSTM, Dense

model = Sequential([
    Embedding(20000, 128),
    LSTM(128, recurrent_initializer="glorot_uniform", return_sequences=True),  # expect: hint:recurrent-init
    LSTM(64),
    Dense(1, activation="sigmoid"),
])
