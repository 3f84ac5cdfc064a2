"""Train a DCGAN on a folder of face crops (64x64), with an optional WGAN-GP loss.

Usage:
    python dcgan_faces.py --data-dir data/faces --epochs 25 --batch-size 128
    python dcgan_faces.py --data-dir data/faces --loss wgan-gp --n-critic 5
"""
import argparse
import glob
import json
import os
import time

import numpy as np
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def parse_args():
    parser = argparse.ArgumentParser(description="DCGAN / WGAN-GP on face crops")
    parser.add_argument("--data-dir", type=str, default="data/faces")
    parser.add_argument("--out-dir", type=str, default="runs/dcgan")
    parser.add_argument("--image-size", type=int, default=64)
    parser.add_argument("--latent-dim", type=int, default=128)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--epochs", type=int, default=25)
    parser.add_argument("--lr", type=float, default=2e-4)
    parser.add_argument("--beta1", type=float, default=0.5)
    parser.add_argument("--loss", choices=["bce", "wgan-gp"], default="bce")
    parser.add_argument("--n-critic", type=int, default=1)
    parser.add_argument("--gp-weight", type=float, default=10.0)
    parser.add_argument("--sample-every", type=int, default=500)
    parser.add_argument("--checkpoint-every", type=int, default=1)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N images (debugging)")
    return parser.parse_args()


def list_images(data_dir, limit=0):
    patterns = ["*.jpg", "*.jpeg", "*.png"]
    files = []
    for pattern in patterns:
        files.extend(glob.glob(os.path.join(data_dir, "**", pattern), recursive=True))
    files = sorted(files)
    if limit:
        files = files[:limit]
    if not files:
        raise SystemExit(f"no images found under {data_dir}")
    print(f"found {len(files)} images")
    return files


def load_image(path, image_size):
    raw = tf.io.read_file(path)
    image = tf.io.decode_image(raw, channels=3, expand_animations=False)
    image.set_shape([None, None, 3])
    # center crop to a square before resizing, as the aligned crops are 178x218
    shape = tf.shape(image)
    side = tf.minimum(shape[0], shape[1])
    top = (shape[0] - side) // 2
    left = (shape[1] - side) // 2
    image = tf.image.crop_to_bounding_box(image, top, left, side, side)
    image = tf.image.resize(image, [image_size, image_size], antialias=True)
    image = tf.cast(image, tf.float32) / 127.5 - 1.0
    return image


def augment(image):
    image = tf.image.random_flip_left_right(image)
    return image


def make_dataset(files, image_size, batch_size):
    ds = tf.data.Dataset.from_tensor_slices(files)
    ds = ds.shuffle(len(files), reshuffle_each_iteration=True)
    ds = ds.map(lambda p: load_image(p, image_size), num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.map(augment, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.batch(batch_size, drop_remainder=True)
    return ds.prefetch(tf.data.AUTOTUNE)


def build_generator(latent_dim):
    init = keras.initializers.RandomNormal(mean=0.0, stddev=0.02)
    inputs = keras.Input(shape=(latent_dim,))
    x = layers.Dense(4 * 4 * 512, use_bias=False, kernel_initializer=init)(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.Reshape((4, 4, 512))(x)
    for filters in [256, 128, 64]:
        x = layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False, kernel_initializer=init)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
    outputs = layers.Conv2DTranspose(3, 4, strides=2, padding="same", activation="tanh", kernel_initializer=init)(x)
    return keras.Model(inputs, outputs, name="generator")


def build_discriminator(image_size, use_batchnorm=True):
    init = keras.initializers.RandomNormal(mean=0.0, stddev=0.02)
    inputs = keras.Input(shape=(image_size, image_size, 3))
    x = layers.Conv2D(64, 4, strides=2, padding="same", kernel_initializer=init)(inputs)
    x = layers.LeakyReLU(0.2)(x)
    for filters in [128, 256, 512]:
        x = layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=False, kernel_initializer=init)(x)
        if use_batchnorm:
            x = layers.BatchNormalization()(x)
        else:
            # the gradient penalty is per sample, so WGAN-GP critics use layer norm instead
            x = layers.LayerNormalization()(x)
        x = layers.LeakyReLU(0.2)(x)
    x = layers.Flatten()(x)
    x = layers.Dropout(0.2)(x)
    outputs = layers.Dense(1, kernel_initializer=init)(x)
    return keras.Model(inputs, outputs, name="discriminator")


class GAN(keras.Model):
    def __init__(self, generator, discriminator, latent_dim, loss="bce", n_critic=1, gp_weight=10.0):
        super().__init__()
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = latent_dim
        self.loss_kind = loss
        self.n_critic = n_critic
        self.gp_weight = gp_weight
        self.bce = keras.losses.BinaryCrossentropy(from_logits=True)
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.gp_tracker = keras.metrics.Mean(name="gp")

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker, self.gp_tracker]

    def compile(self, d_optimizer, g_optimizer):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer

    def gradient_penalty(self, real, fake):
        batch = tf.shape(real)[0]
        alpha = tf.random.uniform([batch, 1, 1, 1], 0.0, 1.0)
        mixed = real + alpha * (fake - real)
        with tf.GradientTape() as tape:
            tape.watch(mixed)
            scores = self.discriminator(mixed, training=True)
        grads = tape.gradient(scores, [mixed])[0]
        norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3]) + 1e-12)
        return tf.reduce_mean((norm - 1.0) ** 2)

    def discriminator_loss(self, real_logits, fake_logits):
        if self.loss_kind == "wgan-gp":
            return tf.reduce_mean(fake_logits) - tf.reduce_mean(real_logits)
        # one-sided label smoothing on the real side
        real_loss = self.bce(tf.ones_like(real_logits) * 0.9, real_logits)
        fake_loss = self.bce(tf.zeros_like(fake_logits), fake_logits)
        return real_loss + fake_loss

    def generator_loss(self, fake_logits):
        if self.loss_kind == "wgan-gp":
            return -tf.reduce_mean(fake_logits)
        return self.bce(tf.ones_like(fake_logits), fake_logits)

    def train_step(self, real_images):
        batch_size = tf.shape(real_images)[0]
        gp = 0.0
        for _ in range(self.n_critic):
            noise = tf.random.normal([batch_size, self.latent_dim])
            with tf.GradientTape() as tape:
                fake_images = self.generator(noise, training=True)
                real_logits = self.discriminator(real_images, training=True)
                fake_logits = self.discriminator(fake_images, training=True)
                d_loss = self.discriminator_loss(real_logits, fake_logits)
                if self.loss_kind == "wgan-gp":
                    gp = self.gradient_penalty(real_images, fake_images)
                    d_loss = d_loss + self.gp_weight * gp
            grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
            self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))

        noise = tf.random.normal([batch_size, self.latent_dim])
        with tf.GradientTape() as tape:
            fake_logits = self.discriminator(self.generator(noise, training=True), training=True)
            g_loss = self.generator_loss(fake_logits)
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))

        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        self.gp_tracker.update_state(gp)
        return {m.name: m.result() for m in self.metrics}


def save_grid(images, path, rows=8):
    images = (np.asarray(images) + 1.0) / 2.0
    images = np.clip(images, 0.0, 1.0)
    cols = int(np.ceil(len(images) / rows))
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.2, rows * 1.2))
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < len(images):
            ax.imshow(images[i])
    plt.tight_layout(pad=0.1)
    fig.savefig(path)
    plt.close(fig)


class SampleCallback(keras.callbacks.Callback):
    def __init__(self, fixed_noise, out_dir, every):
        super().__init__()
        self.fixed_noise = fixed_noise
        self.out_dir = out_dir
        self.every = every
        self.step = 0

    def on_train_batch_end(self, batch, logs=None):
        self.step += 1
        if self.step % self.every == 0:
            images = self.model.generator(self.fixed_noise, training=False)
            save_grid(images, os.path.join(self.out_dir, f"step_{self.step:07d}.png"))

    def on_epoch_end(self, epoch, logs=None):
        images = self.model.generator(self.fixed_noise, training=False)
        save_grid(images, os.path.join(self.out_dir, f"epoch_{epoch + 1:03d}.png"))


class CheckpointCallback(keras.callbacks.Callback):
    def __init__(self, out_dir, every):
        super().__init__()
        self.out_dir = out_dir
        self.every = every

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every != 0:
            return
        self.model.generator.save_weights(os.path.join(self.out_dir, f"generator_{epoch + 1:03d}.weights.h5"))
        self.model.discriminator.save_weights(os.path.join(self.out_dir, f"discriminator_{epoch + 1:03d}.weights.h5"))


def plot_history(history, path):
    fig, ax = plt.subplots(figsize=(8, 4))
    for key in ["d_loss", "g_loss"]:
        ax.plot(history.history[key], label=key)
    ax.set_xlabel("epoch")
    ax.legend()
    fig.savefig(path)
    plt.close(fig)


def main():
    args = parse_args()
    tf.random.set_seed(args.seed)
    np.random.seed(args.seed)
    os.makedirs(os.path.join(args.out_dir, "samples"), exist_ok=True)
    os.makedirs(os.path.join(args.out_dir, "checkpoints"), exist_ok=True)
    with open(os.path.join(args.out_dir, "config.json"), "w") as f:
        json.dump(vars(args), f, indent=2)

    files = list_images(args.data_dir, args.limit)
    dataset = make_dataset(files, args.image_size, args.batch_size)

    generator = build_generator(args.latent_dim)
    discriminator = build_discriminator(args.image_size, use_batchnorm=args.loss == "bce")
    generator.summary()
    discriminator.summary()

    if args.loss == "wgan-gp":
        d_opt = keras.optimizers.Adam(args.lr, beta_1=0.0, beta_2=0.9)
        g_opt = keras.optimizers.Adam(args.lr, beta_1=0.0, beta_2=0.9)
    else:
        d_opt = keras.optimizers.Adam(args.lr, beta_1=args.beta1)
        g_opt = keras.optimizers.Adam(args.lr, beta_1=args.beta1)

    gan = GAN(generator, discriminator, args.latent_dim, args.loss, args.n_critic, args.gp_weight)
    gan.compile(d_optimizer=d_opt, g_optimizer=g_opt)

    fixed_noise = tf.random.normal([64, args.latent_dim], seed=args.seed)
    callbacks = [
        SampleCallback(fixed_noise, os.path.join(args.out_dir, "samples"), args.sample_every),
        CheckpointCallback(os.path.join(args.out_dir, "checkpoints"), args.checkpoint_every),
        keras.callbacks.CSVLogger(os.path.join(args.out_dir, "log.csv")),
        keras.callbacks.TensorBoard(log_dir=os.path.join(args.out_dir, "tb")),
    ]
    start = time.time()
    history = gan.fit(dataset, epochs=args.epochs, callbacks=callbacks)
    print(f"training took {(time.time() - start) / 60:.1f} min")
    plot_history(history, os.path.join(args.out_dir, "losses.png"))
    generator.save(os.path.join(args.out_dir, "generator.keras"))


if __name__ == "__main__":
    main()
