"""Animated GIFs, e.g. the sample grid of every epoch in one training movie.

Source 000 ends with a GIF of its per-epoch sample grids, read back from the
PNG files; `write_gif` takes the frames directly (`TrainingGif` in
`gankit.training.callbacks` collects them during `fit()`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import imageio.v3 as iio
import numpy as np
from numpy.typing import ArrayLike

from gankit._checks import check_int
from gankit._checks import check_number
from gankit._checks import check_path
from gankit.viz._io import atomic_write_bytes
from gankit.viz._io import to_numpy
from gankit.viz.grids import to_uint8


def write_gif(
    frames: ArrayLike | Sequence[ArrayLike],
    path: str | os.PathLike,
    *,
    duration: float = 0.2,
    loop: int = 0,
    value_range: tuple[float, float] | list[float] = (0, 1),
) -> str:
    """Writes frames to an animated GIF.

    GIF stores at most 256 colours per frame, so colour frames are quantised
    (grayscale frames are exact), and Pillow merges identical consecutive
    frames into one that shows for their summed duration. Durations are
    stored in hundredths of a second. The file is written to a temporary
    name and renamed; missing parent directories are created.

    Args:
        frames: A sequence of images of one shape, `(height, width)` or
            `(height, width, channels)` with 1, 3 or 4 channels, or an array
            stacking them on the first axis; floating point in `value_range`
            or uint8 (e.g. grids from `image_grid`).
        path: Output file, usually ending in `.gif`.
        duration: Seconds each frame is shown, at least 0.01. Defaults to
            `0.2`.
        loop: Number of times the animation repeats, 0 for forever. Defaults
            to `0`.
        value_range: `(low, high)` of float frames. Defaults to `(0, 1)`.

    Returns:
        `path` as a string.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If there are no frames, frame shapes differ or are not
            images, or values lie outside `value_range`.

    Example:

        >>> import os, tempfile
        >>> frames = [np.full((8, 8), value) for value in (0.0, 0.5, 1.0)]
        >>> path = write_gif(frames, os.path.join(tempfile.mkdtemp(), "fade.gif"))
        >>> iio.imread(path, index=None).shape[0]
        3
    """
    path = check_path(path, name="path")
    duration = check_number(duration, name="duration", minimum=0.01)
    loop = check_int(loop, name="loop", minimum=0)
    if isinstance(frames, np.ndarray) or hasattr(frames, "numpy"):
        frames = list(to_numpy(frames))
    else:
        frames = [to_numpy(frame) for frame in frames]
    if not frames:
        raise ValueError("`frames` must hold at least one frame. Received: 0 frames.")
    shapes = {frame.shape for frame in frames}
    if len(shapes) != 1:
        raise ValueError(f"All frames must have the same shape. Received shapes: {sorted(shapes)}")
    shape = shapes.pop()
    if not (len(shape) == 2 or (len(shape) == 3 and shape[-1] in (1, 3, 4))):
        raise ValueError(
            "Each frame must have shape (height, width) or (height, width, channels) "
            f"with 1, 3 or 4 channels. Received: frame shape {shape}"
        )
    stack = np.stack([to_uint8(frame, value_range) for frame in frames])
    if stack.ndim == 4 and stack.shape[-1] == 1:
        stack = stack[..., 0]
    data = iio.imwrite(
        "<bytes>",
        stack,
        extension=".gif",
        plugin="pillow",
        is_batch=True,
        duration=int(round(duration * 1000)),
        loop=loop,
    )
    return atomic_write_bytes(path, data)
