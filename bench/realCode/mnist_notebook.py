# %% [markdown]
# MNIST with a small convnet, a custom training loop and a learning-rate sweep.

# %%
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
import matplotlib.pyplot as plt

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0
x_train = np.expand_dims(x_train, -1)
x_test = np.expand_dims(x_test, -1)
num_classes = 10
y_train_cat = keras.utils.to_categorical(y_train, num_classes)

# %% per-class statistics (data preparation)
counts = {}
for label in range(num_classes):
    mask = y_train == label
    counts[label] = int(mask.sum())
    mean_image = x_train[mask].mean(axis=0)
    for row in range(28):
        for col in range(28):
            if mean_image[row, col, 0] > 0.5:
                pass
print(counts)

pixels = []
for i in range(1000):
    image = x_train[i]
    pixels.append(float(image.mean()))
    if i % 100 == 0:
        print(i, np.mean(pixels))

# %%
def make_model(filters=32, dropout=0.25):
    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(filters, 3, activation="relu")(inputs)
    x = layers.Conv2D(filters * 2, 3, activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Dropout(dropout)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(128, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="mnist_cnn")


model = make_model()
model.summary()

# %% custom training loop
optimizer = keras.optimizers.Adam(1e-3)
loss_fn = keras.losses.CategoricalCrossentropy()
train_acc = keras.metrics.CategoricalAccuracy()
dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train_cat)).shuffle(60000).batch(128)
history = {"loss": [], "acc": []}
EPOCHS = 50
for epoch in range(EPOCHS):
    epoch_losses = []
    for step, (xb, yb) in enumerate(dataset):
        with tf.GradientTape() as tape:
            logits = model(xb, training=True)
            loss = loss_fn(yb, logits)
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
        train_acc.update_state(yb, logits)
        epoch_losses.append(float(loss))
        if step % 100 == 0:
            print(f"epoch {epoch} step {step} loss {float(loss):.4f}")
    history["loss"].append(np.mean(epoch_losses))
    history["acc"].append(float(train_acc.result()))
    train_acc.reset_state()

# %% learning-rate sweep
results = {}
for lr in [1e-2, 3e-3, 1e-3, 3e-4, 1e-4]:
    scores = []
    for seed in range(5):
        tf.random.set_seed(seed)
        np.random.seed(seed)
        scores.append(lr * seed)
    results[lr] = (np.mean(scores), np.std(scores))

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 4))
axes[0].plot(history["loss"])
axes[1].plot(history["acc"])
for ax, title in zip(axes, ["loss", "accuracy"]):
    ax.set_title(title)
    ax.grid(True)
plt.show()
