"""`ClassSampleGrid`, kept for one release: `SampleGrid` now draws one row per class."""

from __future__ import annotations

import os
import warnings

from gankit.training.images import SampleGrid


class ClassSampleGrid(SampleGrid):
    """Deprecated: `SampleGrid` writes one row per class for a conditional model.

    `ClassSampleGrid(output_dir, every_n_epochs, samples_per_class, seed)`
    is `SampleGrid(output_dir, every_n_epochs, seed=seed,
    samples_per_class=samples_per_class,
    filename="class_samples_epoch_{epoch:04d}.png")`; it warns with a
    `DeprecationWarning` and goes away in gankit 0.3.

    Args:
        output_dir: Folder for the PNG files, created when training begins.
        every_n_epochs: Write after epochs N, 2N, ... Defaults to `1`.
        samples_per_class: Images per row. Defaults to `10`.
        seed: Seed of the fixed latents, or `None`. Defaults to `0`.

    Example:

        >>> callback = ClassSampleGrid("samples", every_n_epochs=5)  # doctest: +SKIP
    """

    def __init__(
        self, output_dir: str | os.PathLike, every_n_epochs: int = 1, samples_per_class: int = 10, seed: int | None = 0
    ) -> None:
        warnings.warn(
            "ClassSampleGrid is deprecated: SampleGrid writes one row per class for a conditional model "
            "(SampleGrid(output_dir, every_n_epochs, samples_per_class=..., seed=...)).",
            DeprecationWarning,
            stacklevel=2,
        )
        super().__init__(
            output_dir,
            every_n_epochs,
            seed=seed,
            samples_per_class=samples_per_class,
            filename="class_samples_epoch_{epoch:04d}.png",
        )

    def on_train_begin(self, logs=None):
        if not getattr(self.model, "conditional", False):
            raise TypeError(
                "ClassSampleGrid needs a conditional GAN (num_classes, sample_latents, "
                f"generate with labels). Received: a {type(self.model).__name__}."
            )
        super().on_train_begin(logs)

    def write(self, epoch: int) -> str:
        """Writes `class_samples_epoch_{epoch:04d}.png` (epoch counted from 1) and returns its path."""
        self._write(epoch - 1)
        return self.paths[-1]
