"""scikit-learn's bundled handwritten digits: a tiny real dataset, always offline.

`sklearn.datasets.load_digits` ships 1,797 real 8x8 handwritten digits (the
test part of the UCI "Optical Recognition of Handwritten Digits" set) with 17
gray levels, 0 to 16, inside the scikit-learn package. gankit uses them as the
offline default where Fashion-MNIST is absent, so the loader resizes them to
28x28 by default: the same shape as MNIST and Fashion-MNIST, so models built
for those (sources 002 and 004) run unchanged. There is no official
train/test split, hence no `split` argument.

scikit-learn is a dependency of gankit (this is the offline fallback of
`make demo`); it is imported only when these functions run.

Reference: https://archive.ics.uci.edu/dataset/80 and
https://scikit-learn.org/stable/modules/generated/sklearn.datasets.load_digits.html
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence

import numpy as np
import tensorflow as tf

from data_loaders import _pipeline
from data_loaders._validation import check_classes
from gankit._checks import check_image_size

DIGITS_MAX_VALUE = 16  # The bundled images use gray levels 0..16.


def load_digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    """Returns scikit-learn's 1,797 handwritten digits as uint8 arrays.

    The gray levels 0..16 are mapped to 0..255 by `round(v * 255 / 16)`
    (0 -> 0, 8 -> 128, 16 -> 255), so the arrays follow the same uint8
    convention as every other loader.

    Returns:
        `(images, labels)`: uint8 `[1797, 8, 8]` and int32 `[1797]` digits 0-9.

    Raises:
        ImportError: if scikit-learn is not installed.

    Example:

        >>> images, labels = load_digits_arrays()
        >>> images.shape, images.dtype.name, int(labels[0])
        ((1797, 8, 8), 'uint8', 0)
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError as error:
        raise ImportError(
            "The digits loader needs scikit-learn, a dependency of gankit that is not "
            "installed here. Install it with `pip install scikit-learn` (or reinstall "
            "gankit: `pip install -e .`)."
        ) from error
    bunch = load_digits()
    images = np.rint(bunch.images * (255.0 / DIGITS_MAX_VALUE)).astype(np.uint8)
    return images, bunch.target.astype(np.int32)


def digits(
    *,
    batch_size: int = 64,
    shuffle: bool = True,
    seed: int | None = None,
    flip: bool = False,
    drop_remainder: bool = True,
    with_labels: bool = False,
    value_range: Sequence[float] = (-1.0, 1.0),
    image_size: int | Sequence[int] | None = 28,
    classes: Iterable[int] | None = None,
) -> tf.data.Dataset:
    """scikit-learn's handwritten digits as a batched dataset in [-1, 1].

    1,797 real digits, bundled with scikit-learn (no download), upscaled from
    8x8 to `image_size` with bilinear interpolation. Small enough to train a
    GAN on a CPU in minutes.

    Args:
        batch_size: images per batch (28 full batches per epoch at 64).
            Defaults to `64`.
        shuffle: whether to shuffle (uniformly, anew every epoch).
            Defaults to `True`.
        seed: `None`, or an int making shuffles and flips reproducible.
            Defaults to `None`.
        flip: whether to mirror each image left-right with probability 1/2
            (rarely wanted for digits). Defaults to `False`.
        drop_remainder: whether to drop the last batch when it is smaller
            than `batch_size`. Defaults to `True`.
        with_labels: whether to yield `(images, labels)` with int32 digits.
            Defaults to `False`.
        value_range: pixel range of the images, `(-1, 1)` (gankit's `tanh`
            generators) or `(0, 1)` (`sigmoid` generators, e.g. source 002's
            MNIST network, `build_dcgan(preset="mlm_mnist")`).
            Defaults to `(-1, 1)`.
        image_size: an int or `(height, width)` to resize to, or `None` to
            keep 8x8. 28 matches MNIST-shaped models; pass 32 for generators
            whose size must be a power of two. Defaults to `28`.
        classes: `None` for all digits, or the digits to keep.
            Defaults to `None`.

    Returns:
        A `tf.data.Dataset` of float32 `[batch, H, W, 1]` images in [-1, 1],
        or `(images, labels)` pairs when `with_labels=True`.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument has a bad value, or `batch_size` exceeds
            the number of images while `drop_remainder=True`.
        ImportError: if scikit-learn is not installed.

    Example:

        >>> dataset = digits(batch_size=64, seed=0)
        >>> next(iter(dataset)).shape
        TensorShape([64, 28, 28, 1])
    """
    options = _pipeline.PipelineOptions(batch_size, shuffle, seed, flip, drop_remainder, with_labels, value_range)
    image_size = check_image_size(image_size)
    classes = check_classes(classes, num_classes=10)
    images, labels = load_digits_arrays()
    return _pipeline.make_dataset(images, labels, options=options, image_size=image_size, classes=classes)
