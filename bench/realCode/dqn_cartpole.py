"""A DQN agent for CartPole: replay buffer, epsilon-greedy policy, target network, 600 training episodes."""
import random
from collections import deque

import gym
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

ENV_NAME = "CartPole-v1"
GAMMA = 0.99
LEARNING_RATE = 1e-3
MEMORY_SIZE = 100_000
BATCH_SIZE = 64
EXPLORATION_MAX = 1.0
EXPLORATION_MIN = 0.01
EXPLORATION_DECAY = 0.995
EPISODES = 600
MAX_STEPS = 500
TARGET_SYNC = 10


def build_q_network(observation_space, action_space, hidden=(128, 128)):
    model = keras.Sequential()
    model.add(keras.Input(shape=(observation_space,)))
    for units in hidden:
        model.add(layers.Dense(units, activation="relu", kernel_initializer="he_uniform"))
    model.add(layers.Dense(action_space, activation="linear"))
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE))
    return model


class DQNSolver:
    def __init__(self, observation_space, action_space):
        self.exploration_rate = EXPLORATION_MAX
        self.action_space = action_space
        self.memory = deque(maxlen=MEMORY_SIZE)
        self.model = build_q_network(observation_space, action_space)
        self.target = build_q_network(observation_space, action_space)
        self.target.set_weights(self.model.get_weights())

    def remember(self, state, action, reward, next_state, done):
        self.memory.append((state, action, reward, next_state, done))

    def act(self, state):
        if np.random.rand() < self.exploration_rate:
            return random.randrange(self.action_space)
        q_values = self.model.predict(state, verbose=0)
        return int(np.argmax(q_values[0]))

    def experience_replay(self):
        if len(self.memory) < BATCH_SIZE:
            return
        batch = random.sample(self.memory, BATCH_SIZE)
        states = np.zeros((BATCH_SIZE, 4))
        targets = np.zeros((BATCH_SIZE, self.action_space))
        for i, (state, action, reward, state_next, terminal) in enumerate(batch):
            q_update = reward
            if not terminal:
                q_update = reward + GAMMA * np.amax(self.target.predict(state_next, verbose=0)[0])
            q_values = self.model.predict(state, verbose=0)
            q_values[0][action] = q_update
            states[i] = state[0]
            targets[i] = q_values[0]
        self.model.fit(states, targets, verbose=0)
        self.exploration_rate *= EXPLORATION_DECAY
        self.exploration_rate = max(EXPLORATION_MIN, self.exploration_rate)


def cartpole():
    env = gym.make(ENV_NAME)
    observation_space = env.observation_space.shape[0]
    action_space = env.action_space.n
    solver = DQNSolver(observation_space, action_space)
    scores = []
    for episode in range(EPISODES):
        state, _ = env.reset()
        state = np.reshape(state, [1, observation_space])
        total = 0
        for step in range(MAX_STEPS):
            action = solver.act(state)
            state_next, reward, terminal, truncated, info = env.step(action)
            reward = reward if not terminal else -reward
            state_next = np.reshape(state_next, [1, observation_space])
            solver.remember(state, action, reward, state_next, terminal)
            state = state_next
            total += reward
            if terminal or truncated:
                break
            solver.experience_replay()
        scores.append(total)
        if episode % TARGET_SYNC == 0:
            solver.target.set_weights(solver.model.get_weights())
        if episode % 50 == 0:
            mean = np.mean(scores[-50:])
            print(f"episode {episode}: mean score {mean:.1f}, epsilon {solver.exploration_rate:.3f}")
    env.close()
    return scores


if __name__ == "__main__":
    history = cartpole()
    smoothed = []
    window = 20
    for i in range(len(history)):
        lo = max(0, i - window)
        smoothed.append(sum(history[lo:i + 1]) / (i + 1 - lo))
    print("best", max(smoothed))
