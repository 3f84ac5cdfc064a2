"""Clean: the two-conv MNIST convnet of every Keras textbook (1-channel stem, Glorot, ReLU) trains fine; the stem's one-off shrink is not depth."""
from tensorflow import keras
from tensorflow.keras import layers

NUM_CLASSES = 10


def build_digit_classifier(input_shape=(28, 28, 1)):
    model = keras.Sequential(
        [
            keras.Input(shape=input_shape),
            layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ]
    )
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


classifier = build_digit_classifier()
