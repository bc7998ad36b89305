"""Where a gankit DCGAN step spends its time: the parts of `GAN.train_step`, timed alone.

The `mlm_mnist` networks at batch 256 (as `train_throughput.py`). Each part
is its own `tf.function`, run `--repeats` times after a warm-up, median
seconds reported, next to the forward FLOPs of the networks:

- generator forward on 256 latents (shared by both updates in gankit's step);
- discriminator forward + backward + Adam on 256 real + 256 fake images;
- generator update: discriminator forward + backward through the generator's
  output, generator backward and Adam (the forward pass already done);
- the whole `GAN.train_step` as `fit()` runs it.

Per layer type it also times the forward pass of the generator's transposed
convolutions and the discriminator's convolutions, and a float32 matmul of
the same machine, so the report can say which ops bound the step.

Usage: python benchmarks/step_profile.py [--repeats 10]
Writes benchmarks/results/step_profile.json.
"""

import argparse
import json
import os
import pathlib
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from train_throughput import cpu_description  # noqa: E402
from train_throughput import forward_flops  # noqa: E402
from train_throughput import matmul_gflops  # noqa: E402

from gankit.models import GAN  # noqa: E402
from gankit.models import build_dcgan_discriminator  # noqa: E402
from gankit.models import build_dcgan_generator  # noqa: E402

BATCH = 256
LATENT_DIM = 100
RESULTS = pathlib.Path(__file__).resolve().parent / "results" / "step_profile.json"


def median_seconds(function, repeats, *args):
    keras.ops.convert_to_numpy(tf.nest.flatten(function(*args))[0])  # trace and warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        keras.ops.convert_to_numpy(tf.nest.flatten(function(*args))[0])
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def forward_by_layer_type(model, x, prefix, totals, repeats):
    """Adds each layer's median forward seconds on `x` to `totals["<prefix> <LayerType>"]`."""
    for layer in model.layers:
        function = tf.function(lambda inputs, layer=layer: layer(inputs, training=True))
        key = f"{prefix} {type(layer).__name__}"
        totals[key] = totals.get(key, 0.0) + median_seconds(function, repeats, x)
        x = layer(x, training=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args(argv)
    keras.utils.set_random_seed(0)
    gan = GAN(build_dcgan_generator(preset="mlm_mnist"), build_dcgan_discriminator(preset="mlm_mnist"))
    gan.compile()
    g, d = gan.generator, gan.discriminator
    real = tf.random.uniform((BATCH, 28, 28, 1), -1.0, 1.0)
    latents = tf.random.normal((BATCH, LATENT_DIM))
    fakes = g(latents)

    @tf.function
    def generator_forward(z):
        return g(z, training=True)

    @tf.function
    def discriminator_update(real_images, fake_images):
        with tf.GradientTape() as tape:
            loss, _ = gan.discriminator_loss({"images": real_images}, {"images": fake_images})
        variables = d.trainable_variables
        gan.d_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss

    @tf.function
    def generator_update(z):
        with tf.GradientTape() as tape:
            images = g(z, training=True)
            loss, _ = gan.generator_loss({"images": real}, {"images": images})
        variables = g.trainable_variables
        gan.g_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss

    train_step = tf.function(gan.train_step)
    parts = {
        "generator_forward": median_seconds(generator_forward, args.repeats, latents),
        "discriminator_update": median_seconds(discriminator_update, args.repeats, real, fakes),
        "generator_update_with_forward": median_seconds(generator_update, args.repeats, latents),
        "train_step": median_seconds(train_step, args.repeats, real),
    }
    parts["generator_update_without_forward"] = parts["generator_update_with_forward"] - parts["generator_forward"]

    # Forward time by layer type: the generator's transposed convolutions
    # against everything else in it, and the discriminator's convolutions.
    by_layer = {}
    forward_by_layer_type(g, latents, "generator", by_layer, args.repeats)
    forward_by_layer_type(d, tf.concat([real, fakes], axis=0), "discriminator", by_layer, args.repeats)

    g_flops, d_flops = forward_flops(g), forward_flops(d)
    peak = matmul_gflops()
    result = {
        "benchmark": "step_profile",
        "architecture": "mlm_mnist",
        "batch_size": BATCH,
        "repeats": args.repeats,
        "seconds": parts,
        "forward_seconds_by_layer_type": dict(sorted(by_layer.items(), key=lambda item: -item[1])),
        "generator_forward_gflop_per_batch": BATCH * g_flops / 1e9,
        "discriminator_forward_gflop_per_batch_of_512": 2 * BATCH * d_flops / 1e9,
        "generator_forward_gflops": BATCH * g_flops / 1e9 / parts["generator_forward"],
        "matmul_gflops": peak,
        "cpu": cpu_description(),
        "machine": f"{os.cpu_count()} CPUs, TensorFlow {tf.__version__}, Keras {keras.__version__}",
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    np.set_printoptions(precision=3)
    main()
