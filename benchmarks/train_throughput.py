"""Training throughput: gankit's `fit()` against source 002's loop and the keras.io idiom.

All three train the same `mlm_mnist` networks (Machine Learning Mastery's
MNIST GAN) on real Fashion-MNIST in one process:

- **tutorial**: source 002's loop, verbatim in its logic: per iteration,
  `generator.predict` on half a batch of latents, `d_model.train_on_batch` on
  128 real + 128 fake images, `gan_model.train_on_batch` on 256 latents through
  the composite model with the discriminator frozen.
- **keras.io**: the "DCGAN overriding `train_step`" idiom of keras.io, hand
  written as one `tf.function` per step on the same batch of 256 real images:
  the discriminator on `concat(fakes, reals)` (256 + 256), then the generator
  on 256 fresh latents. It is the best a user writes by hand in Keras.
- **gankit**: `GAN.fit()` with batch 256: per step one discriminator update on
  256 real + 256 fake images and one generator update on 256 latents, through
  the one training engine (`gankit.engine.AdversarialModel`), the generator
  pass shared by the two updates.

The machine is shared and noisy, so the two alternate in short blocks and the
report is the median over blocks of two ratios:

- **images/s**: real training images consumed per second (the tutorial's
  iteration uses 128 real images, half its batch; gankit's step uses 256);
- **updates/s**: generator updates per second (one per tutorial iteration
  and per gankit step, both on 256 latents). gankit's step also trains the
  discriminator on twice as many images, so this ratio is the conservative one.
- **gankit / keras.io**: steps per second, both on 256 real images a step.

It also prints gankit's achieved GFLOP/s (forward FLOPs counted from the layer
shapes, times 3 for forward + backward) against a large float32 matmul timed in
the same run.

Keras 3 reads `trainable` when a model's training function is first traced,
not at `compile()`, so the tutorial's "compile D, then freeze it inside the
composite" recipe needs `d.trainable = True/False` around the two
`train_on_batch` calls to train both networks; the loop below does that (it
costs no retracing).

Usage: python benchmarks/train_throughput.py [--blocks 12] [--steps 5]
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
from gankit.engine import generator_output_range  # noqa: E402
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


def cpu_description():
    """The CPU model and its widest vector extension (oneDNN's kernels depend on it)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as file:
            info = file.read()
    except OSError:
        return platform.processor() or "unknown CPU"
    model = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")), "")
    flags = next((line.split(":", 1)[1].split() for line in info.splitlines() if line.startswith("flags")), [])
    isa = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
    limit = os.environ.get("ONEDNN_MAX_CPU_ISA")
    return f"{model} ({isa}{f', ONEDNN_MAX_CPU_ISA={limit}' if limit else ''})"


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

    def __init__(self, images, generator=None, discriminator=None, seed=0):
        self.generator = generator or build_dcgan_generator(preset="mlm_mnist")
        # Real images in the generator's range: [0, 1] for the tutorial's
        # sigmoid MNIST network (`X / 255.0`), else the loaders' [-1, 1].
        if generator_output_range(self.generator) == (0.0, 1.0) and images.min() < 0:
            images = (images + 1.0) / 2.0
        self.images = images
        self.discriminator = discriminator or build_dcgan_discriminator(preset="mlm_mnist")
        bce = keras.losses.BinaryCrossentropy(from_logits=True)
        self.discriminator.compile(loss=bce, optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), metrics=["accuracy"])
        self.discriminator.trainable = False
        self.gan = keras.Sequential([self.generator, self.discriminator])
        self.gan.compile(loss=bce, optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
        self.rng = np.random.default_rng(seed)  # the real batches and the latents

    def step(self):
        half = BATCH // 2
        real = self.images[self.rng.integers(0, len(self.images), half)]
        latents = self.rng.standard_normal((half, LATENT_DIM)).astype("float32")
        fake = self.generator.predict(latents, verbose=0)
        x = np.vstack((real, fake))
        y = np.vstack((np.ones((half, 1)), np.zeros((half, 1)))).astype("float32")
        self.discriminator.trainable = True
        self.discriminator.train_on_batch(x, y)
        self.discriminator.trainable = False
        latents = self.rng.standard_normal((BATCH, LATENT_DIM)).astype("float32")
        self.gan.train_on_batch(latents, np.ones((BATCH, 1), "float32"))

    def run(self, steps):
        start = time.perf_counter()
        for _ in range(steps):
            self.step()
        return time.perf_counter() - start


class KerasIoStep:
    """keras.io's "DCGAN overriding train_step" step, hand-written as one `tf.function`."""

    def __init__(self):
        self.generator = build_dcgan_generator(preset="mlm_mnist")
        self.discriminator = build_dcgan_discriminator(preset="mlm_mnist")
        self.d_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)
        self.g_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_optimizer.build(self.generator.trainable_variables)
        self.loss = keras.losses.BinaryCrossentropy(from_logits=True)
        self.batches = iter(data_loaders.fashion_mnist(batch_size=BATCH, seed=1).repeat())
        self.step = tf.function(self._step)

    def _step(self, real):
        batch = tf.shape(real)[0]
        latents = tf.random.normal((batch, LATENT_DIM))
        fakes = self.generator(latents, training=True)
        images = tf.concat([fakes, real], axis=0)
        labels = tf.concat([tf.ones((batch, 1)), tf.zeros((batch, 1))], axis=0)
        with tf.GradientTape() as tape:
            d_loss = self.loss(labels, self.discriminator(images, training=True))
        variables = self.discriminator.trainable_variables
        self.d_optimizer.apply_gradients(zip(tape.gradient(d_loss, variables), variables))
        latents = tf.random.normal((batch, LATENT_DIM))
        with tf.GradientTape() as tape:
            logits = self.discriminator(self.generator(latents, training=True), training=True)
            g_loss = self.loss(tf.zeros((batch, 1)), logits)
        variables = self.generator.trainable_variables
        self.g_optimizer.apply_gradients(zip(tape.gradient(g_loss, variables), variables))
        return d_loss, g_loss

    def run(self, steps):
        batches = [next(self.batches) for _ in range(steps)]  # the pipeline is not timed
        start = time.perf_counter()
        for real in batches:
            losses = self.step(real)
        float(losses[0])
        return time.perf_counter() - start


class GankitFit:
    """gankit's `GAN.fit()` on a tf.data pipeline.

    One `fit()` runs all blocks, one epoch per block, as a user's training
    run would (a new `fit()` per block would also time the pipeline's start:
    filling the 60,000-image shuffle buffer, ~1.5 s here). The tutorial's
    blocks run between the epochs, from a callback, outside gankit's timings.
    """

    def __init__(self):
        self.gan = GAN(build_dcgan_generator(preset="mlm_mnist"), build_dcgan_discriminator(preset="mlm_mnist"))
        self.gan.compile()
        self.dataset = data_loaders.fashion_mnist(batch_size=BATCH, seed=0).repeat()

    def run_alternating(self, blocks, steps, between_blocks):
        """Returns gankit's seconds per block; calls `between_blocks()` after each."""
        times = []

        class Timer(keras.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                self.start = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):
                if epoch > 0:  # epoch 0 warms up (tracing, first allocations)
                    times.append(time.perf_counter() - self.start)
                    between_blocks(len(times))

        self.gan.fit(
            self.dataset, epochs=blocks + 1, steps_per_epoch=steps, shuffle=False, verbose=0, callbacks=[Timer()]
        )
        return times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=12, help="alternating timed blocks per method")
    parser.add_argument("--steps", type=int, default=5, help="training steps per block")
    args = parser.parse_args(argv)
    keras.utils.set_random_seed(0)

    raw, _ = data_loaders.load_fashion_mnist_arrays("train")
    images = raw[..., None].astype("float32") / 127.5 - 1.0
    tutorial = TutorialLoop(images)
    keras_io = KerasIoStep()
    gankit = GankitFit()
    tutorial.run(3)  # warm-up outside the timings
    keras_io.run(3)

    tutorial_times, keras_io_times = [], []

    def tutorial_block(block):
        tutorial_times.append(tutorial.run(args.steps))
        keras_io_times.append(keras_io.run(args.steps))

    gankit_times = gankit.run_alternating(args.blocks, args.steps, tutorial_block)
    tutorial_rates, gankit_rates, ratios, update_ratios = [], [], [], []
    keras_io_rates, keras_io_ratios = [], []
    for block, (t_tutorial, t_keras_io, t_gankit) in enumerate(zip(tutorial_times, keras_io_times, gankit_times)):
        tutorial_rate = args.steps * (BATCH // 2) / t_tutorial
        keras_io_rate = args.steps * BATCH / t_keras_io
        gankit_rate = args.steps * BATCH / t_gankit
        tutorial_rates.append(tutorial_rate)
        keras_io_rates.append(keras_io_rate)
        gankit_rates.append(gankit_rate)
        ratios.append(gankit_rate / tutorial_rate)
        keras_io_ratios.append(gankit_rate / keras_io_rate)
        update_ratios.append(t_tutorial / t_gankit)
        print(
            f"block {block + 1}/{args.blocks}: real images/s tutorial {tutorial_rate:6.0f}, "
            f"keras.io {keras_io_rate:6.0f}, gankit {gankit_rate:6.0f} (x tutorial {ratios[-1]:.2f}, "
            f"x keras.io {keras_io_ratios[-1]:.2f}); updates/s x tutorial {update_ratios[-1]:.2f}",
            flush=True,
        )

    # Best block of each (least disturbed by other load on a shared machine).
    best_ratio = max(gankit_rates) / max(tutorial_rates)
    g_flops = forward_flops(gankit.gan.generator)
    d_flops = forward_flops(gankit.gan.discriminator)
    # Per step: one shared G forward (B); D update = 3 x D forward (2B);
    # G update = G backward (2 x G forward) + D forward and backward (3 x D forward) on B.
    step_flops = BATCH * (3 * g_flops + 9 * d_flops)
    gankit_steps_per_second = statistics.median(gankit_rates) / BATCH
    achieved = step_flops * gankit_steps_per_second / 1e9
    peak = matmul_gflops()
    result = {
        "benchmark": "train_throughput",
        "architecture": "mlm_mnist",
        "dataset": "Fashion-MNIST (Debian files)",
        "batch_size": BATCH,
        "blocks": args.blocks,
        "steps_per_block": args.steps,
        "tutorial_real_images_per_second_median": statistics.median(tutorial_rates),
        "keras_io_real_images_per_second_median": statistics.median(keras_io_rates),
        "ratio_to_keras_io_median": statistics.median(keras_io_ratios),
        "ratios_to_keras_io": keras_io_ratios,
        "gankit_real_images_per_second_median": statistics.median(gankit_rates),
        "ratio_median": statistics.median(ratios),
        "ratios": ratios,
        "ratio_best_blocks": best_ratio,
        "updates_per_second_ratio_median": statistics.median(update_ratios),
        "updates_per_second_ratio_best_blocks": best_ratio / 2,
        "updates_per_second_ratios": update_ratios,
        "gankit_achieved_gflops": achieved,
        "matmul_gflops": peak,
        "fraction_of_matmul": achieved / peak,
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} CPUs, TensorFlow {tf.__version__}, Keras {keras.__version__}"
        ),
        "cpu": cpu_description(),
        "devices": [d.name for d in tf.config.list_logical_devices()],
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"median ratio gankit/keras.io idiom: {result['ratio_to_keras_io_median']:.2f}x real images/s "
        f"(keras.io {result['keras_io_real_images_per_second_median']:.0f})"
    )
    print(
        f"median ratio gankit/tutorial: {result['ratio_median']:.2f}x real images/s "
        f"(tutorial {result['tutorial_real_images_per_second_median']:.0f}, "
        f"gankit {result['gankit_real_images_per_second_median']:.0f}), "
        f"{result['updates_per_second_ratio_median']:.2f}x updates/s; "
        f"gankit {achieved:.1f} GFLOP/s vs matmul {peak:.1f} GFLOP/s ({100 * achieved / peak:.0f}%)"
    )
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
