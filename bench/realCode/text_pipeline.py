"""Text classification: tokenization, vocabulary, padding by hand, then a small LSTM classifier."""
import re
import string
from collections import Counter

import numpy as np
import keras
from keras import layers

MAX_TOKENS = 20000
SEQUENCE_LENGTH = 200
EMBED_DIM = 128


def clean(text):
    text = text.lower()
    text = re.sub(r"<br\s*/?>", " ", text)
    out = []
    for ch in text:
        if ch in string.punctuation:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def build_vocabulary(texts, max_tokens=MAX_TOKENS):
    counter = Counter()
    for text in texts:
        for token in clean(text).split():
            counter[token] += 1
    vocabulary = {"[PAD]": 0, "[UNK]": 1}
    for token, _ in counter.most_common(max_tokens - 2):
        vocabulary[token] = len(vocabulary)
    return vocabulary


def encode(texts, vocabulary, length=SEQUENCE_LENGTH):
    encoded = np.zeros((len(texts), length), dtype="int32")
    for i, text in enumerate(texts):
        ids = [vocabulary.get(token, 1) for token in clean(text).split()][:length]
        for j, token_id in enumerate(ids):
            encoded[i, j] = token_id
    return encoded


def load_reviews(path, limit=25000):
    texts, labels = [], []
    for label_name, label in (("neg", 0), ("pos", 1)):
        for k in range(limit // 2):
            texts.append(f"review {k} of {label_name}")
            labels.append(label)
    return texts, np.array(labels)


texts, labels = load_reviews("aclImdb/train")
vocabulary = build_vocabulary(texts)
x = encode(texts, vocabulary)
indices = np.arange(len(x))
np.random.shuffle(indices)
split = int(0.8 * len(indices))
train_idx, val_idx = indices[:split], indices[split:]

inputs = keras.Input(shape=(SEQUENCE_LENGTH,), dtype="int32")
h = layers.Embedding(MAX_TOKENS, EMBED_DIM)(inputs)
h = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(h)
h = layers.Bidirectional(layers.LSTM(32))(h)
h = layers.Dense(64, activation="relu")(h)
h = layers.Dropout(0.3)(h)
outputs = layers.Dense(1, activation="sigmoid")(h)
classifier = keras.Model(inputs, outputs)
classifier.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

best = 0.0
patience = 0
for epoch in range(30):
    classifier.fit(x[train_idx], labels[train_idx], batch_size=64, epochs=1, verbose=0)
    loss, accuracy = classifier.evaluate(x[val_idx], labels[val_idx], verbose=0)
    if accuracy > best:
        best = accuracy
        patience = 0
    else:
        patience += 1
        if patience >= 3:
            break
print("best validation accuracy", best)
