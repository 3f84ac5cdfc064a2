"""Hints only: a spam classifier's three LSTMs with kernel_initializer='he_normal' after a ±0.05 embedding and a
Conv1D. He is scaled for ReLU, not for the cells' tanh, so Glorot is the better start in theory; but the signal
entering them is small (q ≈ 1e-3: nothing saturates) and the chain vanishes, which He's larger scale works
against, so this is no measured failure (that is a backward factor growing past 2): hints, not warnings."""
from keras.layers import Conv1D, Dense, Embedding, LSTM, MaxPooling1D
from keras.models import Sequential

VOCABULARY_SIZE = 20000


def prepare_lstm_model():
    model = Sequential()
    model.add(Embedding(VOCABULARY_SIZE + 1, output_dim=64))
    model.add(Conv1D(filters=32, kernel_size=16, padding="same", activation="relu"))
    model.add(MaxPooling1D(pool_size=4))
    model.add(LSTM(128, kernel_initializer="he_normal", return_sequences=True))  # expect: hint:saturating-he
    model.add(LSTM(128, kernel_initializer="he_normal", return_sequences=True))  # expect: hint:saturating-he
    model.add(LSTM(64, kernel_initializer="he_normal"))  # expect: hint:saturating-he
    model.add(Dense(1, activation="sigmoid"))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


model = prepare_lstm_model()
