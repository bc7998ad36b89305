"""Training throughput: gankit's `fit()` against the tutorial loop of source 002.

Both train the same `mlm_mnist` networks (Machine Learning Mastery's MNIST GAN)
on real Fashion-MNIST in one process:

- **tutorial**: source 002's loop, verbatim in its logic: per iteration,
  `generator.predict` on half a batch of latents, `d_model.train_on_batch` on
  128 real + 128 fake images, `gan_model.train_on_batch` on 256 latents through
  the composite model with the discriminator frozen.
- **gankit**: `GAN.fit()` with batch 256: per step one discriminator update on
  256 real + 256 fake images and one generator update on 256 latents.

The machine is shared and noisy, so the two alternate in short blocks and the
report is the median over blocks of the ratio of training images per second
(images through the discriminator update plus images through the generator
update; gankit's step does 768, the tutorial's iteration 512). It also prints
gankit's achieved GFLOP/s (forward FLOPs counted from the layer shapes, times
3 for forward + backward) against a large float32 matmul timed in the same run.

Usage: python benchmarks/train_throughput.py [--blocks 5] [--steps 20]
Writes benchmarks/results/train_throughput.json.
"""

import argparse
import json
import os
import pathlib
import platform
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import data_loaders  # noqa: E402
from gankit.models import GAN  # noqa: E402
from gankit.models import build_dcgan_discriminator  # noqa: E402
from gankit.models import build_dcgan_generator  # noqa: E402

BATCH = 256
LATENT_DIM = 100
RESULTS = pathlib.Path(__file__).resolve().parent / "results" / "train_throughput.json"


def forward_flops(model):
    """Multiply-adds x 2 of Dense, Conv2D and Conv2DTranspose layers for one image."""
    total = 0
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2DTranspose):
            _, h, w, c_in = layer.input.shape
            kh, kw, c_out, _ = layer.kernel.shape
            total += 2 * h * w * kh * kw * c_in * c_out
        elif isinstance(layer, keras.layers.Conv2D):
            _, h, w, c_out = layer.output.shape
            kh, kw, c_in, _ = layer.kernel.shape
            total += 2 * h * w * kh * kw * c_in * c_out
        elif isinstance(layer, keras.layers.Dense):
            total += 2 * int(np.prod(layer.kernel.shape))
    return total


def matmul_gflops(size=2048, repeats=10):
    a = tf.random.normal((size, size))
    b = tf.random.normal((size, size))
    product = tf.function(lambda x, y: tf.matmul(x, y))
    product(a, b).numpy()
    start = time.perf_counter()
    for _ in range(repeats):
        result = product(a, b)
    result.numpy()
    return 2 * size**3 * repeats / (time.perf_counter() - start) / 1e9


class TutorialLoop:
    """Source 002's composite-model training, one iteration per `step()`."""

    def __init__(self, images):
        self.images = images
        self.generator = build_dcgan_generator(preset="mlm_mnist")
        self.discriminator = build_dcgan_discriminator(preset="mlm_mnist")
        bce = keras.losses.BinaryCrossentropy(from_logits=True)
        self.discriminator.compile(loss=bce, optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), metrics=["accuracy"])
        self.discriminator.trainable = False
        self.gan = keras.Sequential([self.generator, self.discriminator])
        self.gan.compile(loss=bce, optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
        self.rng = np.random.default_rng(0)

    def step(self):
        half = BATCH // 2
        real = self.images[self.rng.integers(0, len(self.images), half)]
        latents = self.rng.standard_normal((half, LATENT_DIM)).astype("float32")
        fake = self.generator.predict(latents, verbose=0)
        x = np.vstack((real, fake))
        y = np.vstack((np.ones((half, 1)), np.zeros((half, 1)))).astype("float32")
        self.discriminator.train_on_batch(x, y)
        latents = self.rng.standard_normal((BATCH, LATENT_DIM)).astype("float32")
        self.gan.train_on_batch(latents, np.ones((BATCH, 1), "float32"))

    def run(self, steps):
        start = time.perf_counter()
        for _ in range(steps):
            self.step()
        return time.perf_counter() - start


class GankitFit:
    """gankit's `GAN.fit()` on a tf.data pipeline, `steps` steps per `run()`."""

    def __init__(self):
        self.gan = GAN(build_dcgan_generator(preset="mlm_mnist"), build_dcgan_discriminator(preset="mlm_mnist"))
        self.gan.compile()
        self.dataset = data_loaders.fashion_mnist(batch_size=BATCH, seed=0).repeat()

    def run(self, steps):
        start = time.perf_counter()
        self.gan.fit(self.dataset, epochs=1, steps_per_epoch=steps, verbose=0)
        return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=5, help="alternating timed blocks per method")
    parser.add_argument("--steps", type=int, default=20, help="training steps per block")
    args = parser.parse_args(argv)
    keras.utils.set_random_seed(0)

    raw, _ = data_loaders.load_fashion_mnist_arrays("train")
    images = (raw[..., None].astype("float32") / 127.5 - 1.0)
    tutorial = TutorialLoop(images)
    gankit = GankitFit()
    # Warm up both (graph tracing, first allocations) outside the timings.
    tutorial.run(3)
    gankit.run(3)

    tutorial_rates, gankit_rates, ratios = [], [], []
    for block in range(args.blocks):
        t_tutorial = tutorial.run(args.steps)
        t_gankit = gankit.run(args.steps)
        tutorial_rate = args.steps * (2 * (BATCH // 2) + BATCH) / t_tutorial
        gankit_rate = args.steps * (2 * BATCH + BATCH) / t_gankit
        tutorial_rates.append(tutorial_rate)
        gankit_rates.append(gankit_rate)
        ratios.append(gankit_rate / tutorial_rate)
        print(
            f"block {block + 1}/{args.blocks}: tutorial {tutorial_rate:8.0f} img/s, "
            f"gankit {gankit_rate:8.0f} img/s, ratio {ratios[-1]:.2f}",
            flush=True,
        )

    g_flops = forward_flops(gankit.gan.generator)
    d_flops = forward_flops(gankit.gan.discriminator)
    # Per step: D update = G forward (B) + 3 x D forward (2B);
    # G update = 3 x (G forward + D forward) (B).
    step_flops = BATCH * (g_flops + 3 * 2 * d_flops + 3 * (g_flops + d_flops))
    gankit_steps_per_second = statistics.median(gankit_rates) / (3 * BATCH)
    achieved = step_flops * gankit_steps_per_second / 1e9
    peak = matmul_gflops()
    result = {
        "benchmark": "train_throughput",
        "architecture": "mlm_mnist",
        "dataset": "Fashion-MNIST (Debian files)",
        "batch_size": BATCH,
        "blocks": args.blocks,
        "steps_per_block": args.steps,
        "tutorial_images_per_second_median": statistics.median(tutorial_rates),
        "gankit_images_per_second_median": statistics.median(gankit_rates),
        "ratio_median": statistics.median(ratios),
        "ratios": ratios,
        "gankit_achieved_gflops": achieved,
        "matmul_gflops": peak,
        "fraction_of_matmul": achieved / peak,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, TensorFlow {tf.__version__}, Keras {keras.__version__}",
        "devices": [d.name for d in tf.config.list_logical_devices()],
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"median ratio gankit/tutorial: {result['ratio_median']:.2f}x "
        f"(tutorial {result['tutorial_images_per_second_median']:.0f} img/s, "
        f"gankit {result['gankit_images_per_second_median']:.0f} img/s); "
        f"gankit {achieved:.1f} GFLOP/s vs matmul {peak:.1f} GFLOP/s ({100 * achieved / peak:.0f}%)"
    )
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
