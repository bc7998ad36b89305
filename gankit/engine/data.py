"""What every training model checks about the data `fit()` receives.

- `check_real_batch`: a real batch against the discriminator's input shape
  and dtype, when the train step is traced.
- `check_dataset_not_empty`: a `tf.data.Dataset` known to yield nothing.
- `fit_defaults`: `shuffle=False` for a dataset (Keras ignores `shuffle`
  there and warns on its default).
- `warn_if_outside_output_range`: real images on another scale than the
  generator's output (e.g. [0, 255] against `tanh`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import keras
import numpy as np
import tensorflow as tf


def check_real_batch(
    images: tf.Tensor, expected_shape: Sequence[int | None], owner: str = "GAN", what: str = "images"
) -> None:
    """Checks a batch of real images against a discriminator's input shape.

    Runs when `train_step` is traced, on the static shape and dtype, so a
    dataset of the wrong rank, size, channel count or dtype gets one clear
    message instead of an error deep inside a convolution.

    Args:
        images: The batch, a tensor.
        expected_shape: The discriminator's input shape without the batch
            axis, e.g. `(28, 28, 1)`; `None` entries accept any size.
        owner: The model's name for the message. Defaults to `"GAN"`.
        what: What the batch holds, for the message. Defaults to `"images"`.

    Raises:
        TypeError: If the images are not floating point.
        ValueError: If the rank or a known dimension differs.
    """
    expected = tuple(expected_shape)
    wanted = "(batch, " + ", ".join("any" if d is None else str(d) for d in expected) + ")"
    if not images.dtype.is_floating:
        raise TypeError(
            f"{owner}.fit() needs floating-point {what} scaled like the generator's output "
            f"(e.g. [-1, 1] for a tanh generator). Received: a batch of dtype {images.dtype.name}. "
            "Convert it, e.g. `tf.cast(x, tf.float32) / 127.5 - 1.0`, or use a data_loaders pipeline."
        )
    if images.shape.rank is None:
        return
    shape = tuple(images.shape)
    mismatch = len(shape) != len(expected) + 1 or any(
        e is not None and s is not None and e != s for e, s in zip(expected, shape[1:])
    )
    if mismatch:
        raise ValueError(
            f"{owner}.fit() needs batches of {what} of shape {wanted}, the discriminator's input "
            f"shape (height, width, channels). Received: a batch of shape {shape}. "
            "Resize or convert the images (e.g. data_loaders' `image_size=`), or build the model "
            "for this shape."
        )


def check_dataset_not_empty(x: Any, owner: str = "GAN") -> None:
    """Raises `ValueError` if `x` is a `tf.data.Dataset` known to yield no batch."""
    if isinstance(x, tf.data.Dataset) and int(x.cardinality()) == 0:
        raise ValueError(
            f"{owner}.fit() received a dataset that yields no batch (cardinality 0). Check that "
            "it holds images and, when batched with `drop_remainder=True`, at least one full "
            f"batch. Received: x={x!r}"
        )


# Position of `shuffle` among `keras.Model.fit`'s arguments after `x`.
_FIT_SHUFFLE_POSITION = 7


def fit_defaults(x: Any, args: Sequence[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    """`fit()` keyword arguments with `shuffle=False` by default for a dataset.

    Keras ignores `shuffle` for a `tf.data.Dataset` but warns on every call
    that leaves its default `True`; the data_loaders shuffle in the pipeline.
    An explicit `shuffle` (keyword or positional) is passed on unchanged.
    """
    if isinstance(x, tf.data.Dataset) and len(args) <= _FIT_SHUFFLE_POSITION:
        kwargs = {"shuffle": False, **kwargs}
    return kwargs


# Output ranges of the generators' last activations; images beyond them by more
# than the margin (half the range) are taken for another scale, e.g. [0, 255].
_OUTPUT_RANGES = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}
_RANGE_MARGIN = 0.5


def generator_output_range(generator: keras.Model) -> tuple[float, float] | None:
    """The range of a generator's last activation: `(-1, 1)` for `tanh`, `(0, 1)` for `sigmoid`.

    `None` when the last layer has another (or no) activation, so the range
    is unknown. `GAN.generate` maps `(-1, 1)` and `(0, 1)` outputs alike to
    [0, 1]; the data loaders' `value_range=` produces either.

    Example:

        >>> import keras
        >>> generator_output_range(keras.Sequential([keras.Input((2,)), keras.layers.Dense(4, activation="sigmoid")]))
        (0.0, 1.0)
    """
    layers = getattr(generator, "layers", None)
    activation = getattr(layers[-1], "activation", None) if layers else None
    return _OUTPUT_RANGES.get(getattr(activation, "__name__", None))


_output_range = generator_output_range


def _first_images(x):
    if isinstance(x, tf.data.Dataset):
        for element in x.take(1):
            while isinstance(element, (tuple, list)) and element:
                element = element[0]  # images first: (images, labels), ((images, labels), images)
            return element
        return None
    while isinstance(x, (tuple, list)) and x:
        x = x[0]
    if isinstance(x, np.ndarray) or tf.is_tensor(x):
        return x[:256]
    return None


def warn_if_outside_output_range(x: Any, generator: keras.Model, owner: str = "GAN", stacklevel: int = 3) -> None:
    """One `UserWarning` when the first real batch lies far outside the generator's range.

    The discriminator can then tell real from fake by the range alone and
    training goes nowhere silently (d_loss ~50 on [0, 255] images). Only
    generators ending in `tanh` or `sigmoid` have a known range.
    """
    expected = _output_range(generator)
    if expected is None:
        return
    images = _first_images(x)
    if images is None:
        return
    images = np.asarray(images)
    if images.size == 0 or not np.issubdtype(images.dtype, np.floating):
        return  # Integer images are refused by the batch check with their own message.
    low, high = float(np.min(images)), float(np.max(images))
    margin = _RANGE_MARGIN * (expected[1] - expected[0])
    if low < expected[0] - margin or high > expected[1] + margin:
        warnings.warn(
            f"{owner}.fit() received real images in [{low:.4g}, {high:.4g}], but the generator outputs "
            f"[{expected[0]:g}, {expected[1]:g}]: the discriminator can tell them apart by range alone. Scale the "
            f"images to [{expected[0]:g}, {expected[1]:g}] (the data_loaders do).",
            UserWarning,
            stacklevel=stacklevel,
        )
