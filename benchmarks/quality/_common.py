"""Shared parts of the quality benchmarks: real data, the domain classifier, results.

Every benchmark trains or measures on real Fashion-MNIST (the Debian package
`dataset-fashion-mnist`) and scores with gankit's `DomainClassifier` trained on
its labels with the default recipe (5 epochs, seed 0). That classifier is
committed in `benchmarks/classifiers/` and loaded from there (Keras
`safe_mode`), so every machine scores with the same weights: its training is
not bit-identical across CPUs (AVX-512 and AVX2 kernels round differently).
Where the folder is missing, the first benchmark trains it there (about 2-8
minutes on 2 CPU cores). Each result records the SHA-256 of the weights that
scored it. Domain FID/KID/IS compare generated images with the 10,000 test
images; they are comparable only with other numbers of the same classifier
and the same N.
"""

import functools
import hashlib
import json
import os
import pathlib
import platform
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from gankit.cli import prefer_onednn  # noqa: E402 (imports no TensorFlow)

# Every quality benchmark runs oneDNN's kernels on x86; each result records whether they ran.
prefer_onednn()

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

import data_loaders  # noqa: E402
from gankit.metrics import DomainClassifier  # noqa: E402
from gankit.metrics import evaluate  # noqa: E402
from gankit.viz import save_image_grid  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"
GRIDS = ROOT / "docs" / "images" / "quality"
CLASSIFIERS = ROOT / "benchmarks" / "classifiers"
NUM_EVAL = 10000
SEED = 0


def start(seed=SEED):
    """Seeds Python, NumPy and TensorFlow; returns a start time."""
    keras.utils.set_random_seed(seed)
    if not os.path.isdir(data_loaders.DEBIAN_FASHION_MNIST_DIR):
        sys.exit(
            f"The quality benchmarks read real Fashion-MNIST from {data_loaders.DEBIAN_FASHION_MNIST_DIR}; "
            "install it with `apt-get install dataset-fashion-mnist`."
        )
    return time.perf_counter()


def real_images(split="train"):
    """`(images, labels)`: float32 `(N, 28, 28, 1)` in [-1, 1] and int labels."""
    raw, labels = data_loaders.load_fashion_mnist_arrays(split)
    return raw[..., None].astype("float32") / 127.5 - 1.0, labels.astype("int32")


@functools.cache
def classifier():
    """The committed default-recipe Fashion-MNIST domain classifier (trained there when missing)."""
    return DomainClassifier.for_dataset("fashion_mnist", cache_dir=CLASSIFIERS, verbose=1)


def classifier_sha256():
    """SHA-256 of the committed classifier's `model.keras`: which weights scored a result."""
    path = CLASSIFIERS / classifier().name / "model.keras"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def domain_scores(generator_or_images, real="fashion_mnist", num_images=NUM_EVAL, metrics=("fid", "kid", "is")):
    """Domain FID/KID/IS against `real`: by default the 10,000 Fashion-MNIST test images."""
    result = evaluate(
        generator_or_images, real, metrics=metrics, num_images=num_images, extractor=classifier(), seed=SEED
    )
    return result.as_dict()


class StopAtTrainingTime(keras.callbacks.Callback):
    """Stops `fit()` after the batch at which `seconds` of training (this and earlier fits) have passed."""

    def __init__(self, seconds, already=0.0):
        super().__init__()
        self.seconds, self.already = seconds, already

    def on_train_begin(self, logs=None):
        self.begin = time.perf_counter()
        self.steps = 0

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1
        if self.already + time.perf_counter() - self.begin >= self.seconds:
            self.model.stop_training = True


def save_grid(images, name, rows=8, columns=None):
    """Writes a sample grid (images in [0, 1]) to docs/images/quality/<name>.png."""
    path = GRIDS / f"{name}.png"
    columns = columns or rows
    save_image_grid(images[: rows * columns], path, rows=rows, columns=columns, scale=2)
    return str(path.relative_to(ROOT))


def onednn_enabled():
    """Whether TensorFlow runs oneDNN's kernels in this process (None where it cannot say)."""
    try:
        from tensorflow.python.util import _pywrap_util_port
    except ImportError:
        return None
    return bool(_pywrap_util_port.IsMklEnabled())


def write_result(name, result, started):
    """Writes benchmarks/results/quality_<name>.json with the machine and command."""
    result = {
        "benchmark": name,
        "command": "python "
        + " ".join([pathlib.Path(sys.argv[0]).resolve().relative_to(ROOT).as_posix()] + sys.argv[1:]),
        "machine": {
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpu_count": os.cpu_count(),
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "onednn": onednn_enabled(),
        },
        "seconds": round(time.perf_counter() - started, 1),
        **result,
    }
    if classifier.cache_info().currsize:  # this run scored with the domain classifier
        result["classifier_sha256"] = classifier_sha256()
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"quality_{name}.json"
    # Written under a temporary name, then renamed: an interrupted run leaves the old result whole.
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(result, indent=2, default=float) + "\n")
    os.replace(partial, path)
    print(json.dumps(result, indent=2, default=float))
    print(f"wrote {path}")
    return result
