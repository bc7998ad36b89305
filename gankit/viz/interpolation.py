"""Walks through latent space: interpolated latents and the images they give.

"GANs in Action" chapter 6 interpolates between two latent points of the TF
Hub Progressive GAN; the same strip shows how smooth any generator's latent
space is. Linear interpolation is the simple choice; spherical linear
interpolation (slerp) keeps the norm of Gaussian latents near the norm the
generator saw in training, where a straight line cuts through the
low-density centre of the Gaussian ball.

Reference: [White, 2016, "Sampling Generative Networks"](
https://arxiv.org/abs/1609.04468), section 2.2 (slerp for latent walks).
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
from numpy.typing import ArrayLike

from gankit._checks import check_int
from gankit.viz._io import to_numpy
from gankit.viz.grids import image_grid

METHODS = ("linear", "slerp")

# Below this angle (radians) between the two latents, slerp's
# sin(omega) denominators lose precision and the arc is a straight line to
# within float32 round-off, so linear interpolation gives the same points.
_SLERP_MIN_ANGLE = 1e-6


def _check_latent(name, value):
    value = to_numpy(value)
    if not np.issubdtype(value.dtype, np.number) or np.issubdtype(value.dtype, np.complexfloating):
        raise TypeError(f"`{name}` must be a real-valued array. Received: {name}.dtype={value.dtype}")
    if value.size == 0:
        raise ValueError(f"`{name}` must not be empty. Received: {name}.shape={value.shape}")
    value = value.astype(np.float64)
    if not np.all(np.isfinite(value)):
        raise ValueError(f"`{name}` must be finite. Received: {name} with NaN or infinite values.")
    return value


def interpolate_latents(z1: ArrayLike, z2: ArrayLike, steps: int, method: str = "linear") -> np.ndarray:
    """Points from `z1` to `z2`, both included, evenly spaced in `t`.

    With `t = linspace(0, 1, steps)`:

    - `"linear"`: `(1 - t) * z1 + t * z2`.
    - `"slerp"`: `sin((1 - t) w) / sin(w) * z1 + sin(t w) / sin(w) * z2`,
      where `w` is the angle between `z1` and `z2` (the arrays are flattened
      to measure it). For unit vectors the path stays on the unit sphere;
      otherwise the norm also changes smoothly from `|z1|` to `|z2|`. When
      the angle is below 1e-6 radians the two formulas agree to float32
      precision and the linear one is used. Opposite vectors (angle pi) have
      no unique great circle and raise.

    Args:
        z1: Start latent, any shape, e.g. `(latent_dim,)`.
        z2: End latent of the same shape.
        steps: Number of points, at least 2.
        method: `"linear"` or `"slerp"`. Defaults to `"linear"`.

    Returns:
        A float32 array `(steps, *z1.shape)`.

    Raises:
        TypeError: If the latents are not real arrays or `steps` is not an
            integer.
        ValueError: If the shapes differ, values are not finite, `steps < 2`,
            `method` is unknown, or for slerp a latent is zero or the two are
            opposite.

    Example:

        >>> interpolate_latents(np.array([1.0, 0.0]), np.array([0.0, 1.0]), 3, method="slerp").round(4)
        array([[1.    , 0.    ],
               [0.7071, 0.7071],
               [0.    , 1.    ]], dtype=float32)
    """
    z1 = _check_latent("z1", z1)
    z2 = _check_latent("z2", z2)
    if z1.shape != z2.shape:
        raise ValueError(f"`z1` and `z2` must have the same shape. Received: z1.shape={z1.shape}, z2.shape={z2.shape}")
    steps = check_int(steps, name="steps", minimum=1)
    if steps < 2:
        raise ValueError(f"`steps` must be at least 2 (both end points). Received: steps={steps}")
    if method not in METHODS:
        raise ValueError(f"`method` must be one of {METHODS}. Received: method={method!r}")
    t = np.linspace(0.0, 1.0, steps).reshape((steps,) + (1,) * z1.ndim)
    if method == "linear":
        return ((1.0 - t) * z1 + t * z2).astype(np.float32)
    norm1, norm2 = np.linalg.norm(z1), np.linalg.norm(z2)
    if norm1 == 0.0 or norm2 == 0.0:
        raise ValueError(
            "slerp needs non-zero latents: the angle to the zero vector is undefined. "
            f"Received: |z1|={norm1}, |z2|={norm2}. Use method='linear'."
        )
    cosine = np.clip(np.sum(z1 * z2) / (norm1 * norm2), -1.0, 1.0)
    omega = np.arccos(cosine)
    if omega < _SLERP_MIN_ANGLE:
        return ((1.0 - t) * z1 + t * z2).astype(np.float32)
    if np.pi - omega < _SLERP_MIN_ANGLE:
        raise ValueError(
            "slerp between opposite latents is undefined (every great circle "
            "joins them). Received: z1 and z2 at an angle of pi. Use "
            "method='linear' or move one end point."
        )
    sin_omega = np.sin(omega)
    points = np.sin((1.0 - t) * omega) / sin_omega * z1 + np.sin(t * omega) / sin_omega * z2
    return points.astype(np.float32)


def _run_generator(generator, latents):
    if isinstance(generator, keras.layers.Layer):
        images = generator(latents, training=False)
    elif callable(generator):
        images = generator(latents)
    else:
        raise TypeError(
            "`generator` must be a Keras model or a callable mapping latents to "
            f"images. Received: generator={generator!r}"
        )
    images = to_numpy(images)
    if images.ndim < 1 or images.shape[0] != latents.shape[0]:
        raise ValueError(
            f"`generator` must return one image per latent: {latents.shape[0]} expected. "
            f"Received: output shape {images.shape}"
        )
    return images


def interpolation_strip(
    generator: keras.layers.Layer | Callable[[np.ndarray], ArrayLike],
    z1: ArrayLike,
    z2: ArrayLike,
    steps: int = 10,
    *,
    method: str = "linear",
    value_range: tuple[float, float] | list[float] = (-1, 1),
    padding: int = 2,
    pad_value: float = 1.0,
    scale: int = 1,
) -> np.ndarray:
    """Generates images along a latent path and tiles them into one row.

    Args:
        generator: A Keras model mapping latents `(n, latent_dim)` to images
            (called with `training=False`, e.g. `gan.generator`, whose `tanh`
            output is in [-1, 1]), or any callable doing the same, e.g.
            `lambda z: gan.generate(latents=z)` with `value_range=(0, 1)`.
        z1: Start latent `(latent_dim,)`.
        z2: End latent `(latent_dim,)`.
        steps: Number of images, end points included. Defaults to `10`.
        method: `"linear"` or `"slerp"` (see `interpolate_latents`).
            Defaults to `"linear"`.
        value_range: `(low, high)` of the generator's output. Defaults to
            `(-1, 1)` (a `tanh` generator).
        padding: Pixels between images. Defaults to `2`.
        pad_value: Brightness of the padding, 0 to 1. Defaults to `1.0`.
        scale: Integer upscaling of every image. Defaults to `1`.

    Returns:
        A uint8 picture as from `image_grid` with one row of `steps` images.
        For the images themselves call the generator on
        `interpolate_latents(z1, z2, steps, method)`.

    Raises:
        TypeError: If `generator` is not callable, or as
            `interpolate_latents` and `image_grid`.
        ValueError: If the generator does not return one image per latent, or
            as `interpolate_latents` and `image_grid`.

    Example:

        >>> generator = lambda z: np.tanh(np.tile(z[:, :1, None, None], (1, 4, 4, 1)))
        >>> interpolation_strip(generator, np.ones(3), -np.ones(3), steps=5).shape
        (4, 28)
    """
    latents = interpolate_latents(z1, z2, steps, method)
    images = _run_generator(generator, latents)
    return image_grid(
        images,
        rows=1,
        padding=padding,
        pad_value=pad_value,
        value_range=value_range,
        scale=scale,
    )
