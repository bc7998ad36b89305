"""Reconstruction losses of CycleGAN: cycle consistency and identity."""

from __future__ import annotations

import tensorflow as tf
from keras import ops
from numpy.typing import ArrayLike

from gankit.losses._utils import to_float32


def _mean_absolute_error(real_images, other_images, other_name):
    real = to_float32(real_images, "real_images")
    other = to_float32(other_images, other_name)
    # Broadcasting would silently compare mismatched batches.
    if not real.shape.is_compatible_with(other.shape):
        raise ValueError(
            f"`real_images` and `{other_name}` must have the same shape. "
            f"Received: real_images.shape={real.shape}, "
            f"{other_name}.shape={other.shape}"
        )
    return ops.mean(ops.abs(real - other))


def cycle_consistency_loss(real_images: tf.Tensor | ArrayLike, cycled_images: tf.Tensor | ArrayLike) -> tf.Tensor:
    """Cycle-consistency loss: L1 distance `mean(|x - F(G(x))|)`.

    Translating an image to the other domain and back should return the
    original; this is the mean absolute error between the two, over all
    elements. It is returned *unweighted*: CycleGAN adds `lambda * loss` per
    direction with lambda = 10.

    Reference: [Zhu et al., 2017](https://arxiv.org/abs/1703.10593),
    equation 2; "GANs in Action", chapter 9.

    Args:
        real_images: Batch of original images, any shape.
        cycled_images: The same images after the round trip, same shape.

    Returns:
        A float32 scalar, at least 0.

    Raises:
        TypeError: If an input is not real-valued.
        ValueError: If the static shapes differ.

    Example:

        >>> real = tf.zeros((1, 2, 2, 1))
        >>> cycled = tf.constant([[[[1.0], [-1.0]], [[0.5], [0.5]]]])
        >>> float(cycle_consistency_loss(real, cycled))  # (1 + 1 + .5 + .5) / 4
        0.75
    """
    return _mean_absolute_error(real_images, cycled_images, "cycled_images")


def identity_loss(real_images: tf.Tensor | ArrayLike, same_images: tf.Tensor | ArrayLike) -> tf.Tensor:
    """Identity-mapping loss: L1 distance `mean(|y - G(y)|)`.

    A generator fed an image already in its target domain should leave it
    unchanged; this keeps colours from drifting. Mean absolute error over
    all elements, returned *unweighted*: the CycleGAN paper weights it
    `0.5 * lambda` (5 with lambda = 10), "GANs in Action" listing 9.2
    `0.9 * lambda` (9).

    Reference: [Zhu et al., 2017](https://arxiv.org/abs/1703.10593),
    section 5.2 (after Taigman et al., 2017).

    Args:
        real_images: Batch of images from the generator's target domain.
        same_images: The generator's output on `real_images`, same shape.

    Returns:
        A float32 scalar, at least 0.

    Raises:
        TypeError: If an input is not real-valued.
        ValueError: If the static shapes differ.

    Example:

        >>> real = tf.constant([[1.0, 2.0]])
        >>> float(identity_loss(real, tf.constant([[1.0, 4.0]])))  # (0 + 2) / 2
        1.0
    """
    return _mean_absolute_error(real_images, same_images, "same_images")
