"""Clean: a PPO actor written as a "functional subclass": the graph is built in __init__ and handed to
super().__init__(inputs, outputs), with no call method. He on the two ReLU layers; the policy head's small
uniform init (±3e-3) is the usual choice for an output layer, not a vanishing chain."""
import keras
import tensorflow as tf
from keras import layers


class Actor(keras.Model):
    def __init__(self, observation_size, action_count, hidden=256, **kwargs):
        observations = keras.Input(shape=(observation_size,), name="observations")
        x = layers.Dense(hidden, activation="relu", kernel_initializer="he_uniform")(observations)
        x = layers.Dense(hidden, activation="relu", kernel_initializer="he_uniform")(x)
        logits = layers.Dense(
            action_count,
            kernel_initializer=keras.initializers.RandomUniform(minval=-3e-3, maxval=3e-3),
            name="logits",
        )(x)
        super().__init__(inputs=observations, outputs=logits, **kwargs)
        self.entropy_tracker = keras.metrics.Mean(name="entropy")

    def train_step(self, data):
        observations, actions, advantages = data
        with tf.GradientTape() as tape:
            logits = self(observations, training=True)
            log_probs = tf.nn.log_softmax(logits)
            chosen = tf.reduce_sum(log_probs * tf.one_hot(actions, tf.shape(logits)[-1]), axis=-1)
            loss = -tf.reduce_mean(chosen * advantages)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.entropy_tracker.update_state(-tf.reduce_sum(tf.nn.softmax(logits) * log_probs, axis=-1))
        return {"loss": loss, "entropy": self.entropy_tracker.result()}


actor = Actor(8, 4)
actor.compile(optimizer=keras.optimizers.Adam(3e-4))
