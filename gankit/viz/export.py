"""Writing many generated images to a folder or a zip archive.

Source 000 submits 10,000 generated PNGs in `images.zip` and writes the same
images to a folder to score them; source 001 writes generated images to a
folder during training. The source generates one image per generator call
and round-trips every PNG through a temporary file; `write_images` asks for
`batch_size` images per call and encodes each PNG in memory, which for
10,000 images is the difference between 10,000 generator calls and 40.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable

import imageio.v3 as iio
import keras
import numpy as np
from numpy.typing import ArrayLike

from gankit._checks import check_int
from gankit._checks import check_path
from gankit.viz._io import partial_path
from gankit.viz._io import to_numpy
from gankit.viz.grids import to_uint8


def _check_batch(images, expected):
    if images.ndim == 3:
        images = images[..., np.newaxis]
    if images.ndim != 4 or images.shape[-1] not in (1, 3, 4):
        raise ValueError(
            "Images must have shape (n, height, width) or (n, height, width, channels) "
            f"with 1, 3 or 4 channels. Received: shape {images.shape}"
        )
    if images.shape[0] != expected:
        raise ValueError(
            f"The image source returned {images.shape[0]} images when asked for {expected}. "
            "A callable must return exactly `n` images for `fn(n)`."
        )
    return images[..., 0] if images.shape[-1] == 1 else images


def _batches(images, num_images, batch_size):
    """Yields `(start, array)` pairs covering images 0 .. num_images - 1."""
    for start in range(0, num_images, batch_size):
        count = min(batch_size, num_images - start)
        if callable(images):
            batch = to_numpy(images(count))
        else:
            batch = images[start : start + count]
        yield start, _check_batch(batch, count)


def write_images(
    images: ArrayLike | Callable[[int], ArrayLike],
    path: str | os.PathLike,
    num_images: int | None = None,
    *,
    batch_size: int = 256,
    value_range: tuple[float, float] | list[float] = (0, 1),
) -> str:
    """Writes images as `0.png`, `1.png`, ... into a folder or a `.zip` file.

    A `path` ending in `.zip` gives a zip archive with the PNGs at its top
    level (source 000's submission format; PNG is already compressed, so
    members are stored, not deflated). It is written under a temporary name
    and renamed when complete, so an interrupted run never leaves a
    truncated archive. Any other `path` is a folder, created when missing;
    files of the same names are overwritten. PNGs are encoded in memory, with
    no temporary image files.

    Args:
        images: An array or tensor `(n, height, width[, channels])`, or a
            callable `fn(count)` returning `count` images, such as
            `gan.generate` (which returns images in [0, 1]). A callable is
            asked for at most `batch_size` images at a time.
        path: A folder, or a file ending in `.zip`.
        num_images: How many images to write. Required for a callable; for
            an array, `None` writes all of them. Defaults to `None`.
        batch_size: Images requested per call of a callable (and converted
            together for an array). Defaults to `256`.
        value_range: `(low, high)` of float images. Defaults to `(0, 1)`.

    Returns:
        `path` as a string.

    Raises:
        TypeError: If `images` is neither an array nor a callable (a Keras
            model is refused: it takes latents, not a count), or another
            argument has the wrong type.
        ValueError: If `num_images` is missing for a callable or exceeds the
            array, a batch has the wrong number of images or a bad shape, or
            values lie outside `value_range`.

    Example:

        >>> import os, tempfile, zipfile
        >>> path = os.path.join(tempfile.mkdtemp(), "images.zip")
        >>> path = write_images(lambda n: np.zeros((n, 8, 8, 3)), path, 5, batch_size=2)
        >>> sorted(zipfile.ZipFile(path).namelist())
        ['0.png', '1.png', '2.png', '3.png', '4.png']
    """
    path = check_path(path, name="path")
    batch_size = check_int(batch_size, name="batch_size", minimum=1)
    if isinstance(images, keras.layers.Layer):
        raise TypeError(
            "`images` must be an array or a callable `fn(n)` that returns n images; "
            "a Keras model maps latents, not counts, to images. Pass "
            "`gan.generate` or `lambda n: generator.predict(latents(n))`. "
            f"Received: images={images.__class__.__name__} model"
        )
    if callable(images):
        if num_images is None:
            raise ValueError("`num_images` is required when `images` is a callable. Received: num_images=None")
        num_images = check_int(num_images, name="num_images", minimum=1)
    else:
        if isinstance(images, (str, bytes)) or not (hasattr(images, "shape") or isinstance(images, (list, tuple))):
            raise TypeError(
                "`images` must be an array of images or a callable `fn(n)` returning n images. "
                f"Received: images of type {type(images).__name__}"
            )
        images = to_numpy(images)
        if images.ndim < 1:
            raise ValueError(f"`images` must be a batch of images. Received: shape {images.shape}")
        available = images.shape[0]
        num_images = available if num_images is None else check_int(num_images, name="num_images", minimum=1)
        if num_images > available:
            raise ValueError(f"`num_images` exceeds the {available} images given. Received: num_images={num_images}")
        if num_images == 0:
            raise ValueError("`images` must hold at least one image. Received: 0 images.")

    def encoded():
        for start, batch in _batches(images, num_images, batch_size):
            for offset, image in enumerate(to_uint8(batch, value_range)):
                yield f"{start + offset}.png", iio.imwrite("<bytes>", image, extension=".png")

    if path.lower().endswith(".zip"):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        temporary = partial_path(path)
        try:
            with zipfile.ZipFile(temporary, "x", compression=zipfile.ZIP_STORED) as archive:
                for name, data in encoded():
                    archive.writestr(name, data)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.remove(temporary)
            raise
    else:
        os.makedirs(path, exist_ok=True)
        for name, data in encoded():
            with open(os.path.join(path, name), "wb") as file:
                file.write(data)
    return path
