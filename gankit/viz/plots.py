"""Loss curves as PNG files.

Source 000 draws two figures: the generator and discriminator losses of the
latest epoch ("Generator and Discriminator Loss - EPOCH n") and of the whole
run ("All Time Loss"), both per iteration. `plot_losses` draws either one
from a mapping of curve names to values; `LossPlot` in
`gankit.training.callbacks` records the values during `fit()`.

The figure is a `matplotlib.figure.Figure` rendered by the Agg canvas
without `pyplot`, so nothing touches matplotlib's global figure list or
backend and the function is safe in scripts, notebooks and threads.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from gankit._checks import check_int
from gankit._checks import check_number
from gankit._checks import check_path
from gankit.viz._io import atomic_write_bytes

if TYPE_CHECKING:  # annotations only: plotting needs no Keras
    import keras


def _curves(history, keys):
    values = history.history if hasattr(history, "history") and isinstance(history.history, Mapping) else history
    if not isinstance(values, Mapping):
        raise TypeError(
            "`history` must map curve names to sequences of numbers, e.g. "
            "`{'d_loss': [...], 'g_loss': [...]}`, or be a `keras.callbacks.History`. "
            f"Received: history of type {type(history).__name__}"
        )
    if keys is None:
        keys = list(values)
    elif isinstance(keys, str) or not all(isinstance(key, str) for key in keys):
        raise TypeError(f"`keys` must be a sequence of names. Received: keys={keys!r}")
    if not keys:
        raise ValueError("`history` has no curves to plot. Received: an empty mapping.")
    curves = {}
    for key in keys:
        if key not in values:
            raise ValueError(
                f"`history` has no curve {key!r}. Available: {sorted(values)}. Received: keys={list(keys)!r}"
            )
        curve = np.asarray(values[key], dtype=np.float64)
        if curve.ndim != 1:
            raise ValueError(f"Curve {key!r} must be a 1-D sequence of numbers. Received: shape {curve.shape}")
        curves[key] = curve
    return curves


def plot_losses(
    history: Mapping[str, ArrayLike] | keras.callbacks.History,
    path: str | os.PathLike,
    *,
    keys: Sequence[str] | None = None,
    title: str = "Generator and Discriminator Loss",
    xlabel: str = "Iterations",
    ylabel: str = "Loss",
    figsize: tuple[float, float] | list[float] = (10, 5),
    dpi: int = 100,
) -> str:
    """Plots one or more loss curves against their index and saves a PNG.

    Source 000's per-epoch figure is
    `plot_losses({"G": g_epoch, "D": d_epoch}, path, title="Generator and
    Discriminator Loss - EPOCH 3")` and its all-time figure the same call on
    the concatenated values with `title="All Time Loss"`. Non-finite values
    are left out of the line (matplotlib draws a gap), which shows where a
    run diverged. The file is written to a temporary name and renamed;
    missing parent directories are created.

    Args:
        history: Mapping of curve name to a 1-D sequence of numbers (curves
            may differ in length), or a `keras.callbacks.History` (as
            returned by `fit()`).
        path: Output file ending in `.png`.
        keys: Names of the curves to draw, in legend order, or `None` for
            all of them. Defaults to `None`.
        title: Figure title. Defaults to
            `"Generator and Discriminator Loss"`.
        xlabel: x-axis label. Defaults to `"Iterations"`.
        ylabel: y-axis label. Defaults to `"Loss"`.
        figsize: Figure size in inches `(width, height)`. Defaults to
            `(10, 5)`, source 000's size.
        dpi: Resolution in dots per inch. Defaults to `100`.

    Returns:
        `path` as a string.

    Raises:
        TypeError: If `history`, `keys`, `path`, `figsize` or `dpi` has the
            wrong type.
        ValueError: If there are no curves, a key is missing, a curve is not
            1-D, `path` does not end in `.png`, or a size is not positive.

    Example:

        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "losses.png")
        >>> plot_losses({"d_loss": [1.4, 1.2, 1.3], "g_loss": [0.7, 0.9, 0.8]}, path) == path
        True
    """
    # Imported here: matplotlib costs a noticeable fraction of a second and
    # only the plotting functions need it.
    from matplotlib.figure import Figure

    path = check_path(path, name="path")
    if not path.lower().endswith(".png"):
        raise ValueError(f"`path` must end in `.png`. Received: path={path!r}")
    dpi = check_int(dpi, name="dpi", minimum=1)
    if not isinstance(figsize, (tuple, list)) or len(figsize) != 2:
        raise TypeError(f"`figsize` must be a pair `(width, height)` in inches. Received: figsize={figsize!r}")
    figsize = tuple(
        check_number(size, name=f"figsize[{i}]", minimum=0.0, min_inclusive=False) for i, size in enumerate(figsize)
    )
    curves = _curves(history, keys)
    figure = Figure(figsize=figsize)
    axes = figure.subplots()
    for name, curve in curves.items():
        axes.plot(np.arange(len(curve)), curve, label=name)
    axes.set_title(title)
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.legend()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return atomic_write_bytes(path, buffer.getvalue())
