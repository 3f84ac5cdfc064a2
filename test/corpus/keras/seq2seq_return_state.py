"""Character-level seq2seq (after the Keras example): LSTMs unpacked into outputs and states, and one recurrent kernel set to glorot_uniform;
two inputs of open length and their own widths."""
import keras
from keras.layers import LSTM, Dense, Input

num_encoder_tokens = 71
num_decoder_tokens = 93
latent_dim = 256

encoder_inputs = Input(shape=(None, num_encoder_tokens))
encoder = LSTM(latent_dim, return_state=True)
encoder_outputs, state_h, state_c = encoder(encoder_inputs)
encoder_states = [state_h, state_c]

decoder_inputs = Input(shape=(None, num_decoder_tokens))
decoder_lstm = LSTM(latent_dim, return_sequences=True, return_state=True, recurrent_initializer="glorot_uniform")  # expect: hint:recurrent-init
decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=encoder_states)
decoder_dense = Dense(num_decoder_tokens, activation="softmax")
decoder_outputs = decoder_dense(decoder_outputs)

model = keras.Model([encoder_inputs, decoder_inputs], decoder_outputs)
model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
