"""Image grids: many generated images tiled into one picture.

Both sources draw their sample figures with one matplotlib subplot per image
(source 000: an 8x8 grid of 64 dogs every N epochs; source 002: 7x7 CIFAR-10
and 10x10 MNIST grids). Tiling the pixels directly gives the same layout at
the images' own resolution, without axes, figure state or resampling, and is
fast enough to run every epoch.

Value ranges: float images are mapped from `value_range` to [0, 255] and
rounded (`(-1, 1)` for raw `tanh` generator outputs, `(0, 1)` for
`GAN.generate`); uint8 images are taken as they are.
"""

from __future__ import annotations

import math
import os

import imageio.v3 as iio
import numpy as np
from numpy.typing import ArrayLike

from gankit._checks import check_int
from gankit._checks import check_number
from gankit._checks import check_path
from gankit._checks import check_value_range
from gankit.viz._io import atomic_write_bytes
from gankit.viz._io import to_numpy

# Values may leave `value_range` by this fraction of its width before
# `to_uint8` refuses them (they are clipped): enough for float round-off and
# resampling overshoot, far too little to hide a wrong `value_range`.
RANGE_TOLERANCE = 0.01


def to_uint8(images: ArrayLike, value_range: tuple[float, float] | list[float] = (0, 1)) -> np.ndarray:
    """Converts images to uint8 pixels in [0, 255].

    Float images are mapped linearly from `value_range` to [0, 255] and
    rounded to the nearest integer; values within 1% of the range's width
    outside it (float round-off) are clipped. Values further out raise, since
    they almost always mean a wrong `value_range` (for example `tanh` outputs
    in [-1, 1] passed with `value_range=(0, 1)`). uint8 input is returned
    unchanged, whatever `value_range` says.

    Args:
        images: Array or tensor of any shape, floating point or uint8.
        value_range: `(low, high)` that float values span: `(0, 1)` or
            `(-1, 1)` for the usual generator outputs. Defaults to `(0, 1)`.

    Returns:
        A uint8 NumPy array of the same shape.

    Raises:
        TypeError: If `images` is neither floating point nor uint8, or
            `value_range` is not a pair of numbers.
        ValueError: If `value_range` is empty, or float values are not finite
            or lie outside `value_range`.

    Example:

        >>> to_uint8(np.array([-1.0, 0.0, 1.0]), value_range=(-1, 1))
        array([  0, 128, 255], dtype=uint8)
    """
    low, high = check_value_range(value_range)
    images = to_numpy(images)
    if images.dtype == np.uint8:
        return images
    if not np.issubdtype(images.dtype, np.floating):
        raise TypeError(
            "`images` must be floating point (with `value_range`) or uint8. "
            f"Received: images.dtype={images.dtype}. Cast integer pixels in "
            "[0, 255] with `.astype('uint8')`."
        )
    images = images.astype(np.float32)
    if images.size == 0:
        return images.astype(np.uint8)
    if not np.all(np.isfinite(images)):
        raise ValueError(
            "`images` contain NaN or infinite values; a generator that outputs "
            "them has diverged. Received: images with "
            f"{int(np.sum(~np.isfinite(images)))} non-finite values."
        )
    slack = RANGE_TOLERANCE * (high - low)
    found_low, found_high = float(images.min()), float(images.max())
    if found_low < low - slack or found_high > high + slack:
        raise ValueError(
            f"`images` have values in [{found_low:.4g}, {found_high:.4g}], outside "
            f"value_range=({low:g}, {high:g}). Pass the range the images "
            "actually use, e.g. `value_range=(-1, 1)` for `tanh` outputs."
        )
    scaled = (images - low) * (255.0 / (high - low))
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


def _as_image_batch(images, value_range):
    """Returns uint8 `(n, height, width, channels)` and checks the shape."""
    images = to_uint8(images, value_range)
    if images.ndim == 3:
        images = images[..., np.newaxis]
    if images.ndim != 4 or images.shape[-1] not in (1, 3, 4):
        raise ValueError(
            "`images` must have shape (n, height, width) or (n, height, width, "
            "channels) with 1, 3 or 4 channels. "
            f"Received: images.shape={images.shape}"
        )
    if images.shape[0] == 0:
        raise ValueError("`images` must hold at least one image. Received: 0 images.")
    return images


def _grid_shape(num_images, rows, columns):
    if rows is not None:
        rows = check_int(rows, name="rows", minimum=1)
    if columns is not None:
        columns = check_int(columns, name="columns", minimum=1)
    if rows is None and columns is None:
        columns = math.ceil(math.sqrt(num_images))
    if rows is None:
        rows = math.ceil(num_images / columns)
    elif columns is None:
        columns = math.ceil(num_images / rows)
    if rows * columns < num_images:
        raise ValueError(
            f"A {rows}x{columns} grid holds {rows * columns} images, fewer than "
            f"the {num_images} given. Pass `images[:{rows * columns}]` to show "
            f"the first ones, or a larger grid. Received: rows={rows}, "
            f"columns={columns}, {num_images} images."
        )
    return rows, columns


def image_grid(
    images: ArrayLike,
    rows: int | None = None,
    columns: int | None = None,
    *,
    padding: int = 2,
    pad_value: float = 1.0,
    value_range: tuple[float, float] | list[float] = (0, 1),
    scale: int = 1,
) -> np.ndarray:
    """Tiles a batch of images into one uint8 picture, row by row.

    With neither `rows` nor `columns`, the grid is as square as possible
    (`columns = ceil(sqrt(n))`); with one of them the other follows. Cells
    left over after the last image are filled with `pad_value`. A grid that
    cannot hold every image raises instead of dropping images: slice the
    batch yourself (source 002 shows the first 49 of 100 images in 7x7).

    Grayscale images (1 channel, or no channel axis) give a 2-D
    `(height, width)` picture, the layout image writers and
    `matplotlib.pyplot.imshow(..., cmap="gray")` expect; colour images keep
    their 3 or 4 channels.

    Args:
        images: Array or tensor `(n, height, width)` or
            `(n, height, width, channels)` with 1, 3 or 4 channels; floating
            point in `value_range`, or uint8.
        rows: Number of rows, or `None` to derive it. Defaults to `None`.
        columns: Number of columns, or `None` to derive it. Defaults to
            `None`.
        padding: Pixels between neighbouring cells (no outer border).
            Defaults to `2`.
        pad_value: Brightness of the padding and empty cells, from 0 (black)
            to 1 (white). Defaults to `1.0`.
        value_range: `(low, high)` of float images. Defaults to `(0, 1)`.
        scale: Integer upscaling of every image (nearest neighbour) before
            tiling, to make small images visible. Defaults to `1`.

    Returns:
        A uint8 array `(grid_height, grid_width)` for grayscale input or
        `(grid_height, grid_width, channels)` otherwise, where
        `grid_height = rows * height * scale + (rows - 1) * padding`.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If `images` has a bad shape or values outside
            `value_range`, or the grid is too small.

    Example:

        >>> grid = image_grid(np.zeros((6, 4, 4, 3)), rows=2, padding=1)
        >>> grid.shape
        (9, 14, 3)
    """
    padding = check_int(padding, name="padding", minimum=0)
    pad_value = check_number(pad_value, name="pad_value", minimum=0.0, maximum=1.0)
    scale = check_int(scale, name="scale", minimum=1)
    images = _as_image_batch(images, value_range)
    if scale > 1:
        images = images.repeat(scale, axis=1).repeat(scale, axis=2)
    num_images, height, width, channels = images.shape
    rows, columns = _grid_shape(num_images, rows, columns)
    grid = np.full(
        (rows * height + (rows - 1) * padding, columns * width + (columns - 1) * padding, channels),
        round(pad_value * 255),
        dtype=np.uint8,
    )
    for index, image in enumerate(images):
        row, column = divmod(index, columns)
        top = row * (height + padding)
        left = column * (width + padding)
        grid[top : top + height, left : left + width] = image
    return grid[..., 0] if channels == 1 else grid


def save_image_grid(
    images: ArrayLike,
    path: str | os.PathLike,
    rows: int | None = None,
    columns: int | None = None,
    *,
    padding: int = 2,
    pad_value: float = 1.0,
    value_range: tuple[float, float] | list[float] = (0, 1),
    scale: int = 1,
) -> str:
    """Writes `image_grid(images, ...)` to an image file (PNG recommended).

    The format follows the file extension (imageio). The file is written to
    a temporary name and renamed, so an interrupted run never leaves a
    truncated picture; missing parent directories are created.

    Args:
        images: Images as for `image_grid`.
        path: Output file, e.g. `"samples/epoch_0010.png"`.
        rows: As for `image_grid`. Defaults to `None`.
        columns: As for `image_grid`. Defaults to `None`.
        padding: As for `image_grid`. Defaults to `2`.
        pad_value: As for `image_grid`. Defaults to `1.0`.
        value_range: As for `image_grid`. Defaults to `(0, 1)`.
        scale: As for `image_grid`. Defaults to `1`.

    Returns:
        `path` as a string.

    Raises:
        TypeError: If `path` is not a string or path, or as `image_grid`.
        ValueError: If `path` has no extension, or as `image_grid`.

    Example:

        >>> import os, tempfile
        >>> path = save_image_grid(np.ones((4, 8, 8, 1)), os.path.join(tempfile.mkdtemp(), "grid.png"))
        >>> iio.imread(path).shape
        (18, 18)
    """
    path = check_path(path, name="path")
    grid = image_grid(
        images,
        rows,
        columns,
        padding=padding,
        pad_value=pad_value,
        value_range=value_range,
        scale=scale,
    )
    extension = os.path.splitext(path)[1].lower()
    if not extension:
        raise ValueError(
            f"`path` needs a file extension that names the format, such as `.png`. Received: path={path!r}"
        )
    return atomic_write_bytes(path, iio.imwrite("<bytes>", grid, extension=extension))
