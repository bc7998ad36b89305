"""Callbacks for `gankit.models.cyclegan.CycleGAN`: translation grids.

"GANs in Action" chapter 9 (`sample_images`) shows, every few batches, the
originals, their translations and their reconstructions for both domains;
`TranslationGrid` writes the same two pictures at the end of every N epochs.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from gankit import viz
from gankit._checks import check_path
from gankit.training._callback_base import _EveryNEpochs
from gankit.training._callback_base import _require

__all__ = ["TranslationGrid"]

A2B2A_FILENAME = "a2b2a_epoch_{epoch:04d}.png"
B2A2B_FILENAME = "b2a2b_epoch_{epoch:04d}.png"


class TranslationGrid(_EveryNEpochs):
    """Writes A→B→A and B→A→B grids of fixed samples every N epochs.

    Each PNG has three rows: the originals, their translations to the other
    domain, and the translations back (the cycle reconstruction), one
    column per sample. Files are `a2b2a_epoch_0001.png` and
    `b2a2b_epoch_0001.png` in `output_dir` (epochs counted from 1).

    Args:
        output_dir: Folder for the PNGs, created when training begins.
        samples_a: Array `(n, height, width, channels)` of A images.
        samples_b: Array `(m, height, width, channels)` of B images.
        every_n_epochs: Write at the end of epochs N, 2N, ... Defaults to `1`.
        value_range: Range of the samples, `(-1, 1)` (gankit's loaders) or
            `(0, 1)`. Defaults to `(-1.0, 1.0)`.

    Raises:
        TypeError: If `output_dir` is not a path, or (when training starts)
            the model has no `translate`.
        ValueError: If a sample array is empty or not a batch of images, or
            `value_range` is neither `(-1, 1)` nor `(0, 1)`.

    Example:

        >>> callback = TranslationGrid("samples", a_batch[:4], b_batch[:4])
        >>> cyclegan.fit(dataset, epochs=10, callbacks=[callback])  # doctest: +SKIP
    """

    def __init__(
        self,
        output_dir: str | os.PathLike,
        samples_a: ArrayLike,
        samples_b: ArrayLike,
        every_n_epochs: int = 1,
        value_range: Sequence[float] = (-1.0, 1.0),
    ) -> None:
        super().__init__(every_n_epochs)
        self.output_dir = check_path(output_dir, name="output_dir")
        self.samples_a = self._check_samples("samples_a", samples_a)
        self.samples_b = self._check_samples("samples_b", samples_b)
        try:
            self.value_range = tuple(float(v) for v in value_range)
        except (TypeError, ValueError):
            self.value_range = None
        if self.value_range not in ((-1.0, 1.0), (0.0, 1.0)):
            raise ValueError(f"`value_range` must be (-1, 1) or (0, 1). Received: value_range={value_range!r}")

    @staticmethod
    def _check_samples(name, samples):
        samples = np.asarray(samples, dtype="float32")
        if samples.ndim != 4 or len(samples) == 0:
            raise ValueError(
                f"`{name}` must be a non-empty batch (n, height, width, channels). "
                f"Received: {name}.shape={samples.shape}"
            )
        return samples

    def on_train_begin(self, logs=None):
        _require(self.model, ("translate",), "TranslationGrid")
        os.makedirs(self.output_dir, exist_ok=True)

    def on_epoch_end(self, epoch, logs=None):
        if self._due(epoch):
            self.write(epoch + 1)

    def write(self, epoch: int) -> list[str]:
        """Writes both grids for `epoch` (counted from 1); returns their paths."""
        paths = []
        for samples, there, back, filename in (
            (self.samples_a, "a2b", "b2a", A2B2A_FILENAME),
            (self.samples_b, "b2a", "a2b", B2A2B_FILENAME),
        ):
            translated = self.model.translate(samples, there, value_range=self.value_range)
            reconstructed = self.model.translate(translated, back, value_range=(0.0, 1.0))
            low, high = (float(v) for v in self.value_range)
            originals = np.clip((samples - low) / (high - low), 0.0, 1.0)
            rows = np.concatenate([originals, translated, reconstructed])
            path = os.path.join(self.output_dir, filename.format(epoch=epoch))
            paths.append(viz.save_image_grid(rows, path, rows=3, columns=len(samples)))
        return paths
