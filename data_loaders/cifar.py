"""CIFAR-10: Keras download or the extracted `cifar-10-batches-py` folder.

Reference: Krizhevsky, 2009, "Learning Multiple Layers of Features from Tiny
Images", https://www.cs.toronto.edu/~kriz/cifar.html. Source 002 trains its
CIFAR-10 DCGAN on the training images with batches of 128.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterable
from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf

from data_loaders import _files
from data_loaders import _pipeline
from gankit._checks import check_choice
from gankit._checks import check_directory

CIFAR10_CLASS_NAMES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)
SPLITS = ("train", "test")
_BATCH_FILES = {
    "train": tuple(f"data_batch_{i}" for i in range(1, 6)),
    "test": ("test_batch",),
}


# The only globals a CIFAR-10 batch pickle names: NumPy's array reconstruction
# (under NumPy 1's and NumPy 2's module names), the array and dtype types.
_CIFAR_PICKLE_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.numeric", "_frombuffer"),  # Protocol 5 pickles of arrays.
    ("numpy._core.numeric", "_frombuffer"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
}
# Keras' download of the same archive (keras/src/datasets/cifar10.py): its
# folder name and SHA-256, so the downloaded files are read by the reader below.
_KERAS_CIFAR10_DIRNAME = "cifar-10-batches-py-target"
_CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
_CIFAR10_SHA256 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"


class _BatchUnpickler(pickle.Unpickler):
    """Reads a pickle without running code: builtin containers, bytes, str and
    numbers, plus NumPy arrays; any other global is refused."""

    def __init__(self, file, path):
        super().__init__(file, encoding="bytes")
        self.path = path

    def find_class(self, module, name):
        if (module, name) in _CIFAR_PICKLE_GLOBALS:
            return super().find_class(module, name)
        if (module, name) == ("_codecs", "encode"):
            return self._latin1_bytes  # How Python 3 writes bytes at protocol 2.
        raise ValueError(
            f"{self.path!r} is not a CIFAR-10 batch file: its pickle names the global {module}.{name}, and "
            "gankit reads only NumPy arrays, containers, bytes, strings and numbers from CIFAR-10 files "
            "(nothing in them is executed)."
        )

    def _latin1_bytes(self, text, encoding="utf-8"):
        if encoding != "latin1" or not isinstance(text, str):
            raise ValueError(
                f"{self.path!r} is not a CIFAR-10 batch file: its pickle asks for _codecs.encode with "
                f"{encoding!r}; only the latin1 form of bytes is read."
            )
        return text.encode("latin1")


def _read_batch_file(path):
    # Python pickles, as the dataset's authors distribute them, read with an
    # unpickler that admits no callable but NumPy's array reconstruction.
    with open(path, "rb") as file:
        try:
            batch = _BatchUnpickler(file, path).load()
        except ValueError:
            raise
        except Exception as error:  # A truncated or foreign file: UnpicklingError, EOFError, ...
            raise ValueError(
                f"{path!r} is not a CIFAR-10 batch file: it could not be read as one ({type(error).__name__}: "
                f"{error}). Point `data_dir` at the extracted `cifar-10-batches-py` folder."
            ) from None
    try:
        data, labels = batch[b"data"], batch[b"labels"]
    except (KeyError, TypeError) as error:
        raise ValueError(
            f"{path!r} is not a CIFAR-10 batch file: it lacks the b'data' and "
            "b'labels' entries. Point `data_dir` at the extracted "
            "`cifar-10-batches-py` folder."
        ) from error
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3072:
        raise ValueError(
            f"{path!r} is not a CIFAR-10 batch file: b'data' must be a uint8 array of shape (N, 3072). "
            f"Received: {type(data).__name__} {getattr(data, 'dtype', '')} {getattr(data, 'shape', '')}"
        )
    if len(labels) != len(data):
        raise ValueError(f"{path!r} holds {len(data)} images but {len(labels)} labels.")
    # Each row is 3072 bytes: the 1024 red, then green, then blue pixels.
    images = np.asarray(data, np.uint8).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return images, np.asarray(labels, np.int32)


def load_cifar10_arrays(
    split: str = "train", data_dir: str | os.PathLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Returns the raw CIFAR-10 arrays of one split.

    Args:
        split: `"train"` (50,000 images) or `"test"` (10,000 images).
            Defaults to `"train"`.
        data_dir: `None` to use `keras.datasets.cifar10.load_data()`
            (downloads once into `~/.keras/datasets`, network on first use),
            or the extracted `cifar-10-batches-py` folder of
            `cifar-10-python.tar.gz` (files `data_batch_1` to `data_batch_5`
            and `test_batch`; Python pickles, read without running any code:
            only NumPy arrays, containers, bytes, strings and numbers are
            admitted).
            Defaults to `None`.

    Returns:
        `(images, labels)`: uint8 `[N, 32, 32, 3]` RGB and int32 `[N]` class
        ids (see `CIFAR10_CLASS_NAMES`).

    Raises:
        ValueError: if `split` is unknown or a file is not a CIFAR-10 batch.
        FileNotFoundError: if `data_dir` lacks the batch files.

    Example:

        >>> images, labels = load_cifar10_arrays("test")  # doctest: +SKIP
        >>> images.shape  # doctest: +SKIP
        (10000, 32, 32, 3)
    """
    check_choice(split, name="split", choices=SPLITS)
    if data_dir is None:
        # Keras' own download (same archive, same hash check, same cache), read
        # with the restricted unpickler instead of Keras' plain `pickle.load`.
        downloaded = _files.download(
            "CIFAR-10",
            f"Offline, download {_CIFAR10_URL} elsewhere, extract it and pass its cifar-10-batches-py folder "
            "as {data_dir}",
            keras.utils.get_file,
            fname=_KERAS_CIFAR10_DIRNAME,
            origin=_CIFAR10_URL,
            extract=True,
            file_hash=_CIFAR10_SHA256,
        )
        data_dir = os.path.join(downloaded, "cifar-10-batches-py")
    data_dir = check_directory(data_dir, name="data_dir")
    paths = [os.path.join(data_dir, name) for name in _BATCH_FILES[split]]
    missing = [os.path.basename(p) for p in paths if not os.path.isfile(p)]
    if missing:
        raise FileNotFoundError(
            f"Missing CIFAR-10 batch files for split={split!r} in {data_dir!r}: "
            f"{missing}. Point `data_dir` at the extracted `cifar-10-batches-py` "
            "folder of https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz."
        )
    parts = [_read_batch_file(p) for p in paths]
    return (
        np.concatenate([images for images, _ in parts]),
        np.concatenate([labels for _, labels in parts]),
    )


def cifar10(
    split: str = "train",
    *,
    batch_size: int = 128,
    shuffle: bool = True,
    seed: int | None = None,
    flip: bool = False,
    drop_remainder: bool = True,
    with_labels: bool = False,
    value_range: Sequence[float] = (-1.0, 1.0),
    image_size: int | Sequence[int] | None = None,
    classes: Iterable[int] | None = None,
    data_dir: str | os.PathLike | None = None,
) -> tf.data.Dataset:
    """CIFAR-10 as a batched `tf.data.Dataset` of RGB images in `value_range` ([-1, 1] by default).

    Args:
        split: `"train"` or `"test"`. Defaults to `"train"`.
        batch_size: images per batch (source 002 uses 128).
            Defaults to `128`.
        shuffle: whether to shuffle (uniformly, anew every epoch).
            Defaults to `True`.
        seed: `None`, or an int making shuffles and flips reproducible.
            Defaults to `None`.
        flip: whether to mirror each image left-right with probability 1/2.
            Defaults to `False`.
        drop_remainder: whether to drop the last batch when it is smaller
            than `batch_size`. Defaults to `True`.
        with_labels: whether to yield `(images, labels)` with int32 class ids.
            Defaults to `False`.
        value_range: pixel range of the images, `(-1, 1)` (gankit's `tanh`
            generators) or `(0, 1)` (`sigmoid` generators, e.g. source 002's
            MNIST network, `build_dcgan(preset="mlm_mnist")`).
            Defaults to `(-1, 1)`.
        image_size: `None` to keep 32x32, or an int / `(height, width)` to
            resize to (bilinear, antialiased). Defaults to `None`.
        classes: `None` for all classes, or the class ids to keep (labels
            keep their original ids). Defaults to `None`.
        data_dir: `None` for `keras.datasets.cifar10` (network on first use),
            or the extracted `cifar-10-batches-py` folder. Defaults to `None`.

    Returns:
        A `tf.data.Dataset` of float32 `[batch, H, W, 3]` images in [-1, 1],
        or `(images, labels)` pairs when `with_labels=True`.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument has a bad value, or `batch_size` exceeds
            the number of images while `drop_remainder=True`.
        FileNotFoundError: if `data_dir` lacks the batch files.

    Example:

        >>> dataset = cifar10(batch_size=128, flip=True, seed=1)  # doctest: +SKIP
        >>> next(iter(dataset)).shape  # doctest: +SKIP
        TensorShape([128, 32, 32, 3])
    """
    options = _pipeline.PipelineOptions(batch_size, shuffle, seed, flip, drop_remainder, with_labels, value_range)
    return _pipeline.split_dataset(
        load_cifar10_arrays,
        split,
        data_dir,
        splits=SPLITS,
        num_classes=len(CIFAR10_CLASS_NAMES),
        options=options,
        image_size=image_size,
        classes=classes,
    )
