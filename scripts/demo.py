"""Trains a small spectrally normalized DCGAN on real offline data.

This is the job `make demo` runs. It uses real Fashion-MNIST from the Debian
package `dataset-fashion-mnist` when it is installed and scikit-learn's bundled
handwritten digits otherwise, and writes into `--output-dir`:

- `samples_epoch_NNN.png`: a grid from the same 64 latent points every epoch;
- `losses.png`: discriminator and generator loss per step;
- `generator.keras`: the trained generator (loads with `safe_mode=True`).

Usage: `python scripts/demo.py [--output-dir outputs/demo] [--epochs 8]`.
"""

import argparse
import os
import pathlib
import sys
import time

# Level 3 hides a harmless grappler "remapper failed" message on fused
# conv + LeakyReLU gradients; Python errors are still raised as usual.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import imageio.v3 as iio  # noqa: E402
import keras  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import data_loaders  # noqa: E402
from gankit import layers  # noqa: E402
from gankit import losses  # noqa: E402

def load_data(batch_size, seed):
    """Real Fashion-MNIST from the Debian files, else scikit-learn digits."""
    debian_dir = pathlib.Path(data_loaders.DEBIAN_FASHION_MNIST_DIR)
    if (debian_dir / "train-images-idx3-ubyte.gz").exists():
        dataset = data_loaders.fashion_mnist(batch_size=batch_size, seed=seed, data_dir=debian_dir)
        return dataset, "Fashion-MNIST (Debian package dataset-fashion-mnist)"
    try:
        dataset = data_loaders.digits(batch_size=batch_size, seed=seed, image_size=28)
    except ImportError:
        print(
            "Neither the Debian Fashion-MNIST files nor scikit-learn are available; "
            "falling back to keras.datasets.fashion_mnist (downloads).",
            file=sys.stderr,
        )
        dataset = data_loaders.fashion_mnist(batch_size=batch_size, seed=seed)
        return dataset, "Fashion-MNIST (keras.datasets)"
    return dataset, "scikit-learn digits resized to 28x28"


def build_generator(latent_dim):
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            keras.layers.Dense(7 * 7 * 128, use_bias=False),
            keras.layers.BatchNormalization(),
            keras.layers.ReLU(),
            keras.layers.Reshape((7, 7, 128)),
            keras.layers.Conv2DTranspose(64, 4, strides=2, padding="same", use_bias=False),
            keras.layers.BatchNormalization(),
            keras.layers.ReLU(),
            keras.layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh"),
        ],
        name="generator",
    )


def build_discriminator():
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.ConvSN2D(64, 4, strides=2, padding="same"),
            keras.layers.LeakyReLU(0.2),
            layers.ConvSN2D(128, 4, strides=2, padding="same"),
            keras.layers.LeakyReLU(0.2),
            keras.layers.Flatten(),
            layers.DenseSN(1),
        ],
        name="discriminator",
    )


def save_grid(images, path, columns=8):
    """Writes images in [-1, 1] as one PNG grid."""
    images = np.clip((np.asarray(images) + 1.0) * 127.5, 0, 255).astype("uint8")
    count, height, width, channels = images.shape
    rows = -(-count // columns)
    grid = np.zeros((rows * height, columns * width, channels), "uint8")
    for index, image in enumerate(images):
        row, column = divmod(index, columns)
        grid[row * height : (row + 1) * height, column * width : (column + 1) * width] = image
    iio.imwrite(path, grid[..., 0] if channels == 1 else grid)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", default="outputs/demo")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--steps-per-epoch", type=int, default=150)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--latent-dim", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    for name in ("epochs", "steps_per_epoch", "batch_size", "latent_dim"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")

    output_dir = pathlib.Path(args.output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(args.seed)

    dataset, description = load_data(args.batch_size, args.seed)
    print(f"Training data: {description}")
    generator = build_generator(args.latent_dim)
    discriminator = build_discriminator()
    g_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)
    d_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)
    fixed_latents = tf.random.normal((64, args.latent_dim), seed=args.seed)

    @tf.function
    def train_step(real_images):
        latents = tf.random.normal((tf.shape(real_images)[0], args.latent_dim))
        with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
            fake_images = generator(latents, training=True)
            real_logits = discriminator(real_images, training=True)
            fake_logits = discriminator(fake_images, training=True)
            d_loss = losses.non_saturating_discriminator_loss(real_logits, fake_logits)
            g_loss = losses.non_saturating_generator_loss(real_logits, fake_logits)
        d_grads = d_tape.gradient(d_loss, discriminator.trainable_variables)
        g_grads = g_tape.gradient(g_loss, generator.trainable_variables)
        d_optimizer.apply_gradients(zip(d_grads, discriminator.trainable_variables))
        g_optimizer.apply_gradients(zip(g_grads, generator.trainable_variables))
        return d_loss, g_loss

    history = {"d_loss": [], "g_loss": []}
    batches = iter(dataset.repeat())
    for epoch in range(1, args.epochs + 1):
        start = time.time()
        for _ in range(args.steps_per_epoch):
            real_images = next(batches)
            if isinstance(real_images, tuple):
                real_images = real_images[0]
            d_loss, g_loss = train_step(real_images)
            history["d_loss"].append(float(d_loss))
            history["g_loss"].append(float(g_loss))
        samples = generator(fixed_latents, training=False)
        save_grid(samples, output_dir / f"samples_epoch_{epoch:03d}.png")
        window = slice(-args.steps_per_epoch, None)
        print(
            f"epoch {epoch}/{args.epochs}: d_loss {np.mean(history['d_loss'][window]):.4f} "
            f"g_loss {np.mean(history['g_loss'][window]):.4f} ({time.time() - start:.1f}s)",
            flush=True,
        )

    figure, axis = plt.subplots(figsize=(8, 4))
    axis.plot(history["d_loss"], label="discriminator")
    axis.plot(history["g_loss"], label="generator")
    axis.set_xlabel("step")
    axis.set_ylabel("loss")
    axis.legend()
    figure.savefig(output_dir / "losses.png", dpi=100, bbox_inches="tight")
    plt.close(figure)
    generator.save(output_dir / "generator.keras")

    print(f"Wrote {args.epochs} sample grids, losses.png and generator.keras to {output_dir.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
