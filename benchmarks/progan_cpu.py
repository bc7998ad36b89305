"""A benchmark-sized Progressive GAN run on a CPU: Fashion-MNIST grown 4x4 -> 32x32.

Trains `ProgressiveNetworks(target_resolution=32, channels=1)` with the
`ProgressiveGAN` driver on real Fashion-MNIST (Debian files) resized to 32x32:
a stabilization phase at 4x4, then a fade-in and a stabilization phase at 8, 16
and 32, `--images-per-phase` images each. Records the wall time of every phase
and the final losses in `benchmarks/results/progan_cpu.json`; the driver's
per-resolution sample grids go to `benchmarks/results/progan_cpu/`.

Usage: python benchmarks/progan_cpu.py [--images-per-phase 3000] [--batch-size 16]
"""

import argparse
import json
import os
import pathlib
import platform
import shutil
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import data_loaders  # noqa: E402
from gankit.models import ProgressiveNetworks  # noqa: E402
from gankit.training import ProgressiveGAN  # noqa: E402

RESULTS = pathlib.Path(__file__).resolve().parent / "results"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images-per-phase", type=int, default=3000)
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args(argv)
    keras.utils.set_random_seed(0)

    raw, _ = data_loaders.load_fashion_mnist_arrays("train")
    images = tf.image.resize(raw[:20000, ..., None].astype("float32"), (32, 32)).numpy() / 127.5 - 1.0

    def dataset_fn():
        return tf.data.Dataset.from_tensor_slices(images).shuffle(len(images), seed=0).repeat()

    out = RESULTS / "progan_cpu"
    shutil.rmtree(out, ignore_errors=True)
    networks = ProgressiveNetworks(target_resolution=32, latent_dim=64, channels=1, seed=0)
    driver = ProgressiveGAN(networks, out)
    phases = []
    start_all = time.perf_counter()
    while True:
        start = time.perf_counter()
        state = driver.train(
            dataset_fn, images_per_phase=args.images_per_phase, batch_sizes=args.batch_size, max_phases=1
        )
        if phases and state["phase_index"] == phases[-1]["phase_index"]:
            break
        phases.append(
            {
                "phase_index": state["phase_index"],
                "resolution": state["resolution"],
                "seconds": time.perf_counter() - start,
            }
        )
        print(
            f"phase {state['phase_index']}: resolution {state['resolution']}, {phases[-1]['seconds']:.1f} s", flush=True
        )
        if state["phase_index"] >= len(driver.phases):
            break
    samples = networks.generator(32, fade_in=False)(np.random.default_rng(0).normal(size=(64, 64)).astype("float32"))
    result = {
        "benchmark": "progan_cpu",
        "dataset": "Fashion-MNIST (Debian files), 20,000 training images resized to 32x32",
        "images_per_phase": args.images_per_phase,
        "batch_size": args.batch_size,
        "phases": phases,
        "total_seconds": time.perf_counter() - start_all,
        "final_samples_mean": float(np.mean(samples)),
        "final_samples_std": float(np.std(samples)),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} CPUs, TensorFlow {tf.__version__}, Keras {keras.__version__}"
        ),
    }
    (RESULTS / "progan_cpu.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
