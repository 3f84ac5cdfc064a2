"""PPO (clipped objective, GAE) with separate actor and critic networks in Keras, for discrete-action Gym tasks.

    python ppo_lunarlander.py --env LunarLander-v2 --total-steps 1000000
"""
import argparse
import collections
import csv
import os
import time

import gym
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def get_args():
    p = argparse.ArgumentParser()
    p.add_argument("--env", default="LunarLander-v2")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--total-steps", type=int, default=1_000_000)
    p.add_argument("--rollout-steps", type=int, default=2048)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--minibatch", type=int, default=64)
    p.add_argument("--gamma", type=float, default=0.99)
    p.add_argument("--lam", type=float, default=0.95)
    p.add_argument("--clip", type=float, default=0.2)
    p.add_argument("--actor-lr", type=float, default=3e-4)
    p.add_argument("--critic-lr", type=float, default=1e-3)
    p.add_argument("--entropy-coef", type=float, default=0.01)
    p.add_argument("--target-kl", type=float, default=0.015)
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--eval-every", type=int, default=10)
    p.add_argument("--save-dir", default="checkpoints/ppo")
    p.add_argument("--render", action="store_true")
    return p.parse_args()


def build_actor(obs_dim, n_actions, hidden):
    obs = keras.Input(shape=(obs_dim,))
    x = layers.Dense(hidden, activation="tanh")(obs)
    x = layers.Dense(hidden, activation="tanh")(x)
    logits = layers.Dense(n_actions)(x)
    return keras.Model(obs, logits, name="actor")


def build_critic(obs_dim, hidden):
    obs = keras.Input(shape=(obs_dim,))
    x = layers.Dense(hidden, activation="tanh")(obs)
    x = layers.Dense(hidden, activation="tanh")(x)
    value = layers.Dense(1)(x)
    return keras.Model(obs, value, name="critic")


class RunningMeanStd:
    """Running mean and variance of observations (parallel algorithm, Chan et al.)."""

    def __init__(self, shape, epsilon=1e-4):
        self.mean = np.zeros(shape, dtype=np.float64)
        self.var = np.ones(shape, dtype=np.float64)
        self.count = epsilon

    def update(self, x):
        batch_mean = x.mean(axis=0)
        batch_var = x.var(axis=0)
        batch_count = x.shape[0]
        delta = batch_mean - self.mean
        total = self.count + batch_count
        self.mean = self.mean + delta * batch_count / total
        m2 = self.var * self.count + batch_var * batch_count + delta ** 2 * self.count * batch_count / total
        self.var = m2 / total
        self.count = total

    def normalize(self, x):
        return np.clip((x - self.mean) / np.sqrt(self.var + 1e-8), -10.0, 10.0)


class RolloutBuffer:
    def __init__(self, size, obs_dim):
        self.obs = np.zeros((size, obs_dim), dtype=np.float32)
        self.actions = np.zeros(size, dtype=np.int32)
        self.rewards = np.zeros(size, dtype=np.float32)
        self.dones = np.zeros(size, dtype=np.float32)
        self.values = np.zeros(size, dtype=np.float32)
        self.logps = np.zeros(size, dtype=np.float32)
        self.advantages = np.zeros(size, dtype=np.float32)
        self.returns = np.zeros(size, dtype=np.float32)
        self.ptr = 0
        self.size = size

    def store(self, obs, action, reward, done, value, logp):
        i = self.ptr
        self.obs[i] = obs
        self.actions[i] = action
        self.rewards[i] = reward
        self.dones[i] = done
        self.values[i] = value
        self.logps[i] = logp
        self.ptr += 1

    def compute_gae(self, last_value, gamma, lam):
        gae = 0.0
        for t in reversed(range(self.size)):
            next_value = last_value if t == self.size - 1 else self.values[t + 1]
            not_done = 1.0 - self.dones[t]
            delta = self.rewards[t] + gamma * next_value * not_done - self.values[t]
            gae = delta + gamma * lam * not_done * gae
            self.advantages[t] = gae
        self.returns = self.advantages + self.values
        adv = self.advantages
        self.advantages = (adv - adv.mean()) / (adv.std() + 1e-8)

    def minibatches(self, batch_size):
        idx = np.random.permutation(self.size)
        for start in range(0, self.size, batch_size):
            b = idx[start:start + batch_size]
            yield (self.obs[b], self.actions[b], self.logps[b], self.advantages[b], self.returns[b])

    def reset(self):
        self.ptr = 0


def log_prob(logits, actions):
    logp_all = tf.nn.log_softmax(logits)
    one_hot = tf.one_hot(actions, logits.shape[-1])
    return tf.reduce_sum(one_hot * logp_all, axis=-1)


class PPOAgent:
    def __init__(self, obs_dim, n_actions, args):
        self.args = args
        self.actor = build_actor(obs_dim, n_actions, args.hidden)
        self.critic = build_critic(obs_dim, args.hidden)
        self.actor_opt = keras.optimizers.Adam(args.actor_lr)
        self.critic_opt = keras.optimizers.Adam(args.critic_lr)

    def act(self, obs):
        logits = self.actor(obs[None, :].astype(np.float32))
        action = tf.random.categorical(logits, 1)[0, 0]
        logp = log_prob(logits, [action])[0]
        value = self.critic(obs[None, :].astype(np.float32))[0, 0]
        return int(action), float(logp), float(value)

    def greedy(self, obs):
        logits = self.actor(obs[None, :].astype(np.float32))
        return int(tf.argmax(logits[0]))

    @tf.function
    def train_actor(self, obs, actions, old_logp, adv):
        with tf.GradientTape() as tape:
            logits = self.actor(obs, training=True)
            logp = log_prob(logits, actions)
            ratio = tf.exp(logp - old_logp)
            clipped = tf.clip_by_value(ratio, 1.0 - self.args.clip, 1.0 + self.args.clip)
            policy_loss = -tf.reduce_mean(tf.minimum(ratio * adv, clipped * adv))
            probs = tf.nn.softmax(logits)
            entropy = -tf.reduce_mean(tf.reduce_sum(probs * tf.nn.log_softmax(logits), axis=-1))
            loss = policy_loss - self.args.entropy_coef * entropy
        grads = tape.gradient(loss, self.actor.trainable_variables)
        grads, _ = tf.clip_by_global_norm(grads, 0.5)
        self.actor_opt.apply_gradients(zip(grads, self.actor.trainable_variables))
        approx_kl = tf.reduce_mean(old_logp - logp)
        return policy_loss, entropy, approx_kl

    @tf.function
    def train_critic(self, obs, returns):
        with tf.GradientTape() as tape:
            values = tf.squeeze(self.critic(obs, training=True), axis=-1)
            loss = tf.reduce_mean(tf.square(returns - values))
        grads = tape.gradient(loss, self.critic.trainable_variables)
        grads, _ = tf.clip_by_global_norm(grads, 0.5)
        self.critic_opt.apply_gradients(zip(grads, self.critic.trainable_variables))
        return loss

    def update(self, buffer):
        stats = collections.defaultdict(list)
        for epoch in range(self.args.epochs):
            kls = []
            for obs, actions, old_logp, adv, returns in buffer.minibatches(self.args.minibatch):
                pl, ent, kl = self.train_actor(obs, actions, old_logp, adv)
                vl = self.train_critic(obs, returns)
                stats["policy_loss"].append(float(pl))
                stats["value_loss"].append(float(vl))
                stats["entropy"].append(float(ent))
                kls.append(float(kl))
            stats["kl"].append(np.mean(kls))
            if np.mean(kls) > 1.5 * self.args.target_kl:
                print(f"  early stop at epoch {epoch}: kl {np.mean(kls):.4f}")
                break
        return {k: float(np.mean(v)) for k, v in stats.items()}

    def save(self, directory, tag):
        os.makedirs(directory, exist_ok=True)
        self.actor.save_weights(os.path.join(directory, f"actor_{tag}.weights.h5"))
        self.critic.save_weights(os.path.join(directory, f"critic_{tag}.weights.h5"))


def evaluate(env, agent, obs_rms, episodes=5, render=False):
    totals = []
    for _ in range(episodes):
        obs, _ = env.reset()
        done, total = False, 0.0
        while not done:
            action = agent.greedy(obs_rms.normalize(obs))
            obs, reward, terminated, truncated, _ = env.step(action)
            done = terminated or truncated
            total += reward
            if render:
                env.render()
        totals.append(total)
    return float(np.mean(totals))


def main():
    args = get_args()
    np.random.seed(args.seed)
    tf.random.set_seed(args.seed)
    env = gym.make(args.env)
    eval_env = gym.make(args.env, render_mode="human" if args.render else None)
    obs_dim = env.observation_space.shape[0]
    n_actions = env.action_space.n
    print(f"{args.env}: obs {obs_dim}, actions {n_actions}")

    agent = PPOAgent(obs_dim, n_actions, args)
    agent.actor.summary()
    buffer = RolloutBuffer(args.rollout_steps, obs_dim)
    obs_rms = RunningMeanStd((obs_dim,))

    log_file = open(os.path.join(os.path.dirname(args.save_dir) or ".", "ppo_log.csv"), "w", newline="")
    log = csv.writer(log_file)
    log.writerow(["update", "steps", "mean_return", "policy_loss", "value_loss", "entropy", "kl", "eval"])

    obs, _ = env.reset(seed=args.seed)
    episode_return, episode_returns = 0.0, collections.deque(maxlen=100)
    best_eval = -np.inf
    n_updates = args.total_steps // args.rollout_steps
    start = time.time()
    for update in range(1, n_updates + 1):
        # anneal the actor's learning rate linearly to zero
        frac = 1.0 - (update - 1.0) / n_updates
        agent.actor_opt.learning_rate.assign(frac * args.actor_lr)

        raw_obs = []
        buffer.reset()
        for step in range(args.rollout_steps):
            raw_obs.append(obs)
            norm_obs = obs_rms.normalize(obs)
            action, logp, value = agent.act(norm_obs)
            next_obs, reward, terminated, truncated, _ = env.step(action)
            done = terminated or truncated
            buffer.store(norm_obs, action, reward, float(terminated), value, logp)
            episode_return += reward
            obs = next_obs
            if done:
                episode_returns.append(episode_return)
                episode_return = 0.0
                obs, _ = env.reset()

        last_value = float(agent.critic(obs_rms.normalize(obs)[None, :].astype(np.float32))[0, 0])
        buffer.compute_gae(last_value, args.gamma, args.lam)
        obs_rms.update(np.asarray(raw_obs))
        stats = agent.update(buffer)

        eval_return = ""
        if update % args.eval_every == 0:
            eval_return = evaluate(eval_env, agent, obs_rms, render=args.render)
            if eval_return > best_eval:
                best_eval = eval_return
                agent.save(args.save_dir, "best")
        mean_return = np.mean(episode_returns) if episode_returns else float("nan")
        steps = update * args.rollout_steps
        print(f"update {update}/{n_updates} steps {steps} return {mean_return:.1f} "
              f"pi {stats['policy_loss']:.3f} v {stats['value_loss']:.3f} ent {stats['entropy']:.3f} "
              f"kl {stats['kl']:.4f} eval {eval_return} fps {steps / (time.time() - start):.0f}")
        log.writerow([update, steps, mean_return, stats["policy_loss"], stats["value_loss"], stats["entropy"], stats["kl"], eval_return])
        log_file.flush()
        if len(episode_returns) == 100 and mean_return >= 200:
            print("solved!")
            break

    agent.save(args.save_dir, "final")
    log_file.close()
    env.close()
    eval_env.close()


if __name__ == "__main__":
    main()
