"""Clean: a CartPole DQN agent's 4 -> 24 -> 24 -> 2 Q-network, written as a class with the sizes as attributes: two hidden layers are no chain."""
from collections import deque

from keras.layers import Dense
from keras.models import Sequential
from keras.optimizers import Adam


class CartPoleAgent:
    def __init__(self, observation_size, action_count, learning_rate=1e-3):
        self.observation_size = observation_size
        self.action_count = action_count
        self.replay = deque(maxlen=5000)
        self.learning_rate = learning_rate
        self.q_network = self.make_q_network()

    def make_q_network(self):
        net = Sequential()
        net.add(Dense(24, input_dim=self.observation_size, activation="relu"))
        net.add(Dense(24, activation="relu"))
        net.add(Dense(self.action_count, activation="linear"))
        net.compile(loss="mse", optimizer=Adam(learning_rate=self.learning_rate))
        return net


agent = CartPoleAgent(4, 2)
