import tensorflow as tf

model = tf.keras.Sequential([
    tf.keras.layers.Dense(128, activation="relu", input_shape=(784,), kernel_initializer="he_uniform"),
    tf.keras.layers.Dense(64, activation="relu", kernel_initializer="zeros"),
    # A zero output layer is fine: its gradient is not zero and the hidden units already differ.
    tf.keras.layers.Dense(10, kernel_initializer="zeros"),
])
