"""Callbacks for conditional GANs (one grid row per class)."""

from __future__ import annotations

import os

import keras
import numpy as np

from gankit import viz
from gankit._checks import check_int
from gankit._checks import check_path
from gankit._checks import check_seed


class ClassSampleGrid(keras.callbacks.Callback):
    """Writes a grid with one row per class every N epochs.

    The conditional GAN chapter of "GANs in Action" shows one sample per
    digit to check that the generator obeys the label. Row `c` holds
    `samples_per_class` images generated for class `c`; the latents are drawn
    once (`model.sample_latents`, seeded) and reused for every class and
    epoch, so columns show the same latent point across classes.

    Args:
        output_dir: Folder for the PNG files, created when training begins.
        every_n_epochs: Write after epochs N, 2N, ... Defaults to `1`.
        samples_per_class: Images per row. Defaults to `10`.
        seed: Seed of the fixed latents, or `None`. Defaults to `0`.

    Attributes:
        paths: Paths written so far, in order.

    Raises:
        TypeError: If an argument has the wrong type, or the model has no
            `num_classes`/`sample_latents`/`generate`.
        ValueError: If an argument has a bad value.

    Example:

        >>> callback = ClassSampleGrid("samples", every_n_epochs=5)
        >>> callback.paths
        []
    """

    def __init__(
        self, output_dir: str | os.PathLike, every_n_epochs: int = 1, samples_per_class: int = 10, seed: int | None = 0
    ) -> None:
        super().__init__()
        self.output_dir = check_path(output_dir, name="output_dir")
        self.every_n_epochs = check_int(every_n_epochs, name="every_n_epochs", minimum=1)
        self.samples_per_class = check_int(samples_per_class, name="samples_per_class", minimum=1)
        self.seed = check_seed(seed)
        self.latents = None
        self.paths = []

    def on_train_begin(self, logs=None):
        missing = [n for n in ("num_classes", "sample_latents", "generate") if not hasattr(self.model, n)]
        if missing:
            raise TypeError(
                "ClassSampleGrid needs a conditional GAN (num_classes, sample_latents, "
                f"generate). Received: a {type(self.model).__name__} without {', '.join(missing)}."
            )
        os.makedirs(self.output_dir, exist_ok=True)
        if self.latents is None:
            self.latents = np.asarray(self.model.sample_latents(self.samples_per_class, seed=self.seed))

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every_n_epochs == 0:
            self.write(epoch + 1)

    def write(self, epoch: int) -> str:
        """Writes `class_samples_epoch_{epoch:04d}.png` and returns its path."""
        num_classes = self.model.num_classes
        labels = np.repeat(np.arange(num_classes), self.samples_per_class)
        latents = np.tile(self.latents, (num_classes, 1))
        images = self.model.generate(labels=labels, latents=latents)
        path = os.path.join(self.output_dir, f"class_samples_epoch_{epoch:04d}.png")
        viz.save_image_grid(images, path, rows=num_classes, columns=self.samples_per_class)
        self.paths.append(path)
        return path
