"""MNIST and Fashion-MNIST: IDX files, Keras downloads and the Debian package.

Both datasets ship as the same four IDX files (LeCun's format):
`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`
and `t10k-labels-idx1-ubyte`, each optionally gzipped (`.gz`). Fashion-MNIST
is also packaged by Debian (`apt-get install dataset-fashion-mnist`), whose
files in `/usr/share/datasets/fashion-mnist/` are exactly the gzipped files
`keras.datasets.fashion_mnist` downloads; that makes it the real dataset
gankit can use offline.

References:
    MNIST: http://yann.lecun.com/exdb/mnist/ (format description).
    Fashion-MNIST: Xiao et al., 2017, https://arxiv.org/abs/1708.07747,
    https://github.com/zalandoresearch/fashion-mnist.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterable
from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf

from data_loaders import _files
from data_loaders import _pipeline
from gankit._checks import check_choice
from gankit._checks import check_directory
from gankit._checks import check_path

DEBIAN_FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"
# Class ids 0-9 in the order of the official Fashion-MNIST README.
FASHION_MNIST_CLASS_NAMES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
SPLITS = ("train", "test")
# Magic numbers: two zero bytes, the element type (0x08 = unsigned byte), the
# number of dimensions.
IDX_IMAGES_MAGIC = 0x00000803
IDX_LABELS_MAGIC = 0x00000801
_IDX_DTYPES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_IDX_PREFIX = {"train": "train", "test": "t10k"}
_GZIP_MAGIC = b"\x1f\x8b"


def read_idx(path: str | os.PathLike, expected_magic: int | None = None) -> np.ndarray:
    """Reads an IDX file (gzipped or plain) into a NumPy array.

    The IDX format starts with a 4-byte big-endian magic number (two zero
    bytes, an element-type code, the number of dimensions), then one 4-byte
    big-endian size per dimension, then the data. Gzip is detected from the
    file's first bytes, not its name.

    Args:
        path: path of the file.
        expected_magic: `None`, or the magic number the file must have, e.g.
            `0x00000803` for uint8 images (3 dimensions) or `0x00000801` for
            uint8 labels. Defaults to `None`.

    Returns:
        A NumPy array with the file's shape and element type (native byte
        order).

    Raises:
        ValueError: if the file is not a valid IDX file, has another magic
            number than `expected_magic`, or is truncated.

    Example:

        >>> labels = read_idx(
        ...     "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz",
        ...     expected_magic=0x00000801)  # doctest: +SKIP
        >>> labels.shape  # doctest: +SKIP
        (60000,)
    """
    path = check_path(path, name="path")
    with open(path, "rb") as file:
        data = file.read()
    if data[:2] == _GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise ValueError(f"{path!r} is a corrupted gzip file ({error}). Download it again.") from error
    if len(data) < 4:
        raise ValueError(f"{path!r} is not an IDX file: it has only {len(data)} bytes.")
    magic = int.from_bytes(data[:4], "big")
    zeros, type_code, ndim = data[:2], data[2], data[3]
    if zeros != b"\x00\x00" or type_code not in _IDX_DTYPES or ndim == 0:
        raise ValueError(
            f"{path!r} is not an IDX file: its magic number is {magic:#010x}, "
            "expected two zero bytes, a type code in "
            f"{[hex(c) for c in _IDX_DTYPES]} and a dimension count. "
            "The file may be corrupted or of another format; download it again."
        )
    if expected_magic is not None and magic != expected_magic:
        raise ValueError(
            f"{path!r} has IDX magic number {magic:#010x}, expected "
            f"{expected_magic:#010x}. Check that images and labels files are not "
            "swapped and that the file is not corrupted."
        )
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise ValueError(f"{path!r} is truncated: its IDX header is incomplete.")
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = _IDX_DTYPES[type_code]
    expected_bytes = header_size + int(np.prod(shape)) * dtype.itemsize
    if len(data) != expected_bytes:
        raise ValueError(
            f"{path!r} holds {len(data)} bytes, but its IDX header (shape {shape}, "
            f"type {dtype.name}) needs {expected_bytes}. The file is truncated or "
            "corrupted; download it again."
        )
    array = np.frombuffer(data, dtype=dtype, offset=header_size).reshape(shape)
    return array.astype(dtype.newbyteorder("="))


def _find_idx_file(directory, name):
    for candidate in (name + ".gz", name):
        path = os.path.join(directory, candidate)
        if os.path.isfile(path):
            return path
    return None


def _load_idx_split(directory, split):
    """Reads `(images uint8 [N, H, W], labels int32 [N])` of one split."""
    prefix = _IDX_PREFIX[split]
    names = (f"{prefix}-images-idx3-ubyte", f"{prefix}-labels-idx1-ubyte")
    paths = [_find_idx_file(directory, name) for name in names]
    if None in paths:
        raise FileNotFoundError(
            f"Missing IDX files for split={split!r} in {directory!r}: expected "
            f"{names[0]}[.gz] and {names[1]}[.gz] (the file names Keras and the "
            "original MNIST/Fashion-MNIST sites use)."
        )
    images = read_idx(paths[0], expected_magic=IDX_IMAGES_MAGIC)
    labels = read_idx(paths[1], expected_magic=IDX_LABELS_MAGIC)
    if len(images) != len(labels):
        raise ValueError(
            f"{paths[0]!r} holds {len(images)} images but {paths[1]!r} holds "
            f"{len(labels)} labels; the files do not belong together."
        )
    return images, labels.astype(np.int32)


_KERAS_REMEDIES = {
    "Fashion-MNIST": (
        "Offline, install the Debian package dataset-fashion-mnist (apt-get install "
        f"dataset-fashion-mnist; files in {DEBIAN_FASHION_MNIST_DIR}), or put the four IDX files "
        "(train-images-idx3-ubyte.gz, ...) in a folder and pass it as {{data_dir}}"
    ),
    "MNIST": (
        "Offline, put the four IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], "
        "t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]) in a folder and pass it as {data_dir}, "
        "or copy Keras' mnist.npz into ~/.keras/datasets"
    ),
}


def _from_keras(module, split):
    name = "Fashion-MNIST" if module is keras.datasets.fashion_mnist else "MNIST"
    (x_train, y_train), (x_test, y_test) = _files.download(name, _KERAS_REMEDIES[name], module.load_data)
    images, labels = (x_train, y_train) if split == "train" else (x_test, y_test)
    return np.asarray(images, np.uint8), np.asarray(labels).reshape(-1).astype(np.int32)


def load_fashion_mnist_arrays(
    split: str = "train", data_dir: str | os.PathLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Returns the raw Fashion-MNIST arrays of one split.

    Sources, in order of preference: `data_dir` when given (it must then hold
    the IDX files); else the Debian package folder
    `/usr/share/datasets/fashion-mnist` when it exists; else
    `keras.datasets.fashion_mnist.load_data()` (downloads once into
    `~/.keras/datasets`, needs network the first time).

    Args:
        split: `"train"` (60,000 images) or `"test"` (10,000 images).
            Defaults to `"train"`.
        data_dir: `None`, or a folder holding `train-images-idx3-ubyte[.gz]`,
            `train-labels-idx1-ubyte[.gz]`, `t10k-images-idx3-ubyte[.gz]` and
            `t10k-labels-idx1-ubyte[.gz]`. Defaults to `None`.

    Returns:
        `(images, labels)`: uint8 `[N, 28, 28]` in [0, 255] and int32 `[N]`
        class ids (see `FASHION_MNIST_CLASS_NAMES`).

    Raises:
        ValueError: if `split` is unknown or a file is corrupted.
        FileNotFoundError: if `data_dir` lacks the files.

    Example:

        >>> images, labels = load_fashion_mnist_arrays("test")  # doctest: +SKIP
        >>> images.shape, labels[:3]  # doctest: +SKIP
        ((10000, 28, 28), array([9, 2, 1], dtype=int32))
    """
    check_choice(split, name="split", choices=SPLITS)
    if data_dir is not None:
        return _load_idx_split(check_directory(data_dir, name="data_dir"), split)
    if os.path.isdir(DEBIAN_FASHION_MNIST_DIR):
        return _load_idx_split(DEBIAN_FASHION_MNIST_DIR, split)
    return _from_keras(keras.datasets.fashion_mnist, split)


def load_mnist_arrays(split: str = "train", data_dir: str | os.PathLike | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Returns the raw MNIST arrays of one split.

    Args:
        split: `"train"` (60,000 images) or `"test"` (10,000 images).
            Defaults to `"train"`.
        data_dir: `None` to use `keras.datasets.mnist.load_data()` (downloads
            `mnist.npz` once into `~/.keras/datasets`, needs network the first
            time), or a folder holding the original IDX files
            (`train-images-idx3-ubyte[.gz]`, `train-labels-idx1-ubyte[.gz]`,
            `t10k-images-idx3-ubyte[.gz]`, `t10k-labels-idx1-ubyte[.gz]`).
            Defaults to `None`.

    Returns:
        `(images, labels)`: uint8 `[N, 28, 28]` and int32 `[N]` digits 0-9.

    Raises:
        ValueError: if `split` is unknown or a file is corrupted.
        FileNotFoundError: if `data_dir` lacks the files.

    Example:

        >>> images, labels = load_mnist_arrays("train")  # doctest: +SKIP
        >>> images.shape  # doctest: +SKIP
        (60000, 28, 28)
    """
    check_choice(split, name="split", choices=SPLITS)
    if data_dir is not None:
        return _load_idx_split(check_directory(data_dir, name="data_dir"), split)
    return _from_keras(keras.datasets.mnist, split)


def fashion_mnist(
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
    """Fashion-MNIST as a batched `tf.data.Dataset` of images in `value_range` ([-1, 1] by default).

    Grayscale 28x28 clothing images (10 classes), read from `data_dir`, the
    Debian package folder or Keras, in that order (see
    `load_fashion_mnist_arrays`). Optionally resized (e.g. to 32 or 64 for
    DCGAN generators whose size is a power of two) and restricted to some
    classes.

    Args:
        split: `"train"` or `"test"`. Defaults to `"train"`.
        batch_size: images per batch. Defaults to `128`.
        shuffle: whether to shuffle (uniformly, anew every epoch).
            Defaults to `True`.
        seed: `None`, or an int making shuffles and flips reproducible.
            Defaults to `None`.
        flip: whether to mirror each image left-right with probability 1/2.
            Defaults to `False`.
        drop_remainder: whether to drop the last batch when it is smaller
            than `batch_size`, so every batch has a static size (what GAN
            train steps usually want). Defaults to `True`.
        with_labels: whether to yield `(images, labels)` with int32 class ids
            instead of images alone. Defaults to `False`.
        value_range: pixel range of the images, `(-1, 1)` (gankit's `tanh`
            generators) or `(0, 1)` (`sigmoid` generators, e.g. source 002's
            MNIST network, `build_dcgan(preset="mlm_mnist")`).
            Defaults to `(-1, 1)`.
        image_size: `None` to keep 28x28, or an int / `(height, width)` to
            resize to (bilinear, antialiased). Defaults to `None`.
        classes: `None` for all classes, or the class ids to keep (labels
            keep their original ids). Defaults to `None`.
        data_dir: `None`, or a folder with the four IDX files.
            Defaults to `None`.

    Returns:
        A `tf.data.Dataset` of float32 `[batch, H, W, 1]` images in [-1, 1],
        or `(images, labels)` pairs when `with_labels=True`.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument has a bad value, or `batch_size` exceeds
            the number of images while `drop_remainder=True`.
        FileNotFoundError: if `data_dir` lacks the IDX files.

    Example:

        >>> dataset = fashion_mnist(batch_size=64, image_size=32, seed=0)  # doctest: +SKIP
        >>> next(iter(dataset)).shape  # doctest: +SKIP
        TensorShape([64, 32, 32, 1])
    """
    options = _pipeline.PipelineOptions(batch_size, shuffle, seed, flip, drop_remainder, with_labels, value_range)
    return _pipeline.split_dataset(
        load_fashion_mnist_arrays,
        split,
        data_dir,
        splits=SPLITS,
        num_classes=10,
        options=options,
        image_size=image_size,
        classes=classes,
    )


def mnist(
    split: str = "train",
    *,
    batch_size: int = 256,
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
    """MNIST as a batched `tf.data.Dataset` of images in `value_range` ([-1, 1] by default).

    The batch size defaults to 256, the MNIST GAN tutorial's (source 002).

    Args:
        split: `"train"` or `"test"`. Defaults to `"train"`.
        batch_size: images per batch. Defaults to `256`.
        shuffle: whether to shuffle (uniformly, anew every epoch).
            Defaults to `True`.
        seed: `None`, or an int making shuffles and flips reproducible.
            Defaults to `None`.
        flip: whether to mirror each image left-right with probability 1/2.
            Defaults to `False`.
        drop_remainder: whether to drop the last batch when it is smaller
            than `batch_size`. Defaults to `True`.
        with_labels: whether to yield `(images, labels)` with int32 digits.
            Defaults to `False`.
        value_range: pixel range of the images, `(-1, 1)` (gankit's `tanh`
            generators) or `(0, 1)` (`sigmoid` generators, e.g. source 002's
            MNIST network, `build_dcgan(preset="mlm_mnist")`).
            Defaults to `(-1, 1)`.
        image_size: `None` to keep 28x28, or an int / `(height, width)` to
            resize to (bilinear, antialiased). Defaults to `None`.
        classes: `None` for all digits, or the digits to keep.
            Defaults to `None`.
        data_dir: `None` for `keras.datasets.mnist` (network on first use),
            or a folder with the four IDX files. Defaults to `None`.

    Returns:
        A `tf.data.Dataset` of float32 `[batch, H, W, 1]` images in [-1, 1],
        or `(images, labels)` pairs when `with_labels=True`.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument has a bad value, or `batch_size` exceeds
            the number of images while `drop_remainder=True`.
        FileNotFoundError: if `data_dir` lacks the IDX files.

    Example:

        >>> dataset = mnist(batch_size=32, with_labels=True)  # doctest: +SKIP
        >>> images, labels = next(iter(dataset))  # doctest: +SKIP
    """
    options = _pipeline.PipelineOptions(batch_size, shuffle, seed, flip, drop_remainder, with_labels, value_range)
    return _pipeline.split_dataset(
        load_mnist_arrays,
        split,
        data_dir,
        splits=SPLITS,
        num_classes=10,
        options=options,
        image_size=image_size,
        classes=classes,
    )
