"""Callbacks that draw: `SampleGrid` (one row per class for a conditional model) and `TrainingGif`."""

from __future__ import annotations

import os

import numpy as np

from gankit import viz
from gankit._checks import check_int
from gankit._checks import check_number
from gankit._checks import check_path
from gankit._checks import check_seed
from gankit.training._callback_base import _check_filename
from gankit.training._callback_base import _EveryNEpochs
from gankit.training._callback_base import _require


class _FixedLatentsMixin:
    """Latents drawn once from `model.sample_latents`, reused every epoch.

    For a conditional model (`model.conditional` true, e.g. a
    `ConditionalGAN`) the grid has one row per class: `samples_per_class`
    latents are drawn and reused for every class, so a column shows one
    latent point across the classes.
    """

    samples_per_class = 10

    def _conditional(self):
        return bool(getattr(self.model, "conditional", False))

    def _ensure_latents(self):
        _require(self.model, ("sample_latents", "generate"), type(self).__name__)
        if self.latents is None:
            count = self.samples_per_class if self._conditional() else self.num_samples
            latents = np.asarray(self.model.sample_latents(count, seed=self.seed))
            if latents.ndim < 1 or latents.shape[0] != count:
                raise ValueError(
                    f"`model.sample_latents({count})` must return {count} latents. Received: shape {latents.shape}"
                )
            self.latents = latents

    def _grid_arguments(self):
        if self._conditional():
            num_classes = self.model.num_classes
            labels = np.repeat(np.arange(num_classes), len(self.latents))
            images = self.model.generate(labels=labels, latents=np.tile(self.latents, (num_classes, 1)))
            return images, {"rows": num_classes, "padding": self.padding, "scale": self.scale}
        images = self.model.generate(latents=self.latents)
        return images, {"rows": self.rows, "padding": self.padding, "scale": self.scale}


class SampleGrid(_FixedLatentsMixin, _EveryNEpochs):
    """Writes a grid of samples from the same latent points every N epochs.

    Source 000 draws an 8x8 grid of dogs from a fixed `seed` batch every N
    epochs and after the last one; source 002 a 7x7 (CIFAR-10) or 10x10
    (MNIST) grid every 10 epochs. The latents are drawn once, with
    `model.sample_latents(num_samples, seed=seed)`, when training first
    begins and kept across later `fit()` calls, so the grids show the same
    points improving. Images come from `model.generate` (the EMA generator
    when the model keeps one), in [0, 1]. A grid is also written when
    training ends after an epoch that was not a multiple of N, so the final
    state is always saved.

    For a conditional model (a `ConditionalGAN`) the grid has one row per
    class ("GANs in Action" chapter 8): `samples_per_class` latents, drawn
    once, are reused for every class, so each column shows one latent point
    across the classes; `num_samples` and `rows` are then not used.

    Args:
        output_dir: Folder for the PNG files, created when training begins.
        every_n_epochs: Write after epochs N, 2N, ... Defaults to `1`.
        num_samples: Number of images in the grid. Defaults to `64` (8x8,
            source 000).
        seed: Seed of the fixed latents, or `None` for fresh ones. Defaults
            to `0`.
        rows: Rows of the grid, or `None` for a square-ish grid. Defaults to
            `None`.
        filename: File name pattern with an `{epoch}` field (counted from 1).
            Defaults to `"samples_epoch_{epoch:04d}.png"`.
        padding: Pixels between images. Defaults to `2`.
        scale: Integer upscaling of every image. Defaults to `1`.
        samples_per_class: Images per row for a conditional model.
            Defaults to `10`.

    Attributes:
        latents: The fixed latents, `None` until training begins.
        paths: Paths written so far, in order.

    Raises:
        TypeError: If an argument has the wrong type, or the model lacks
            `sample_latents`/`generate`.
        ValueError: If an argument has a bad value.

    Example:

        >>> callback = SampleGrid("samples", every_n_epochs=10, num_samples=49, rows=7)
        >>> callback.paths
        []
    """

    def __init__(
        self,
        output_dir: str | os.PathLike,
        every_n_epochs: int = 1,
        num_samples: int = 64,
        seed: int | None = 0,
        rows: int | None = None,
        *,
        filename: str = "samples_epoch_{epoch:04d}.png",
        padding: int = 2,
        scale: int = 1,
        samples_per_class: int = 10,
    ) -> None:
        super().__init__(every_n_epochs)
        self.output_dir = check_path(output_dir, name="output_dir")
        self.num_samples = check_int(num_samples, name="num_samples", minimum=1)
        self.seed = check_seed(seed)
        self.rows = None if rows is None else check_int(rows, name="rows", minimum=1)
        self.filename = _check_filename(filename, (".png", ".jpg", ".jpeg"))
        self.padding = check_int(padding, name="padding", minimum=0)
        self.scale = check_int(scale, name="scale", minimum=1)
        self.samples_per_class = check_int(samples_per_class, name="samples_per_class", minimum=1)
        self.latents = None
        self.paths = []
        self._last_epoch = None
        self._last_written = None

    def on_train_begin(self, logs=None):
        os.makedirs(self.output_dir, exist_ok=True)
        self._ensure_latents()
        self._last_epoch = None

    def on_epoch_end(self, epoch, logs=None):
        self._last_epoch = epoch
        if self._due(epoch):
            self._write(epoch)

    def on_train_end(self, logs=None):
        if self._last_epoch is not None and self._last_written != self._last_epoch:
            self._write(self._last_epoch)

    def _write(self, epoch):
        path = os.path.join(self.output_dir, self.filename.format(epoch=epoch + 1))
        images, arguments = self._grid_arguments()
        viz.save_image_grid(images, path, **arguments)
        self.paths.append(path)
        self._last_written = epoch


class TrainingGif(_FixedLatentsMixin, _EveryNEpochs):
    """Collects a sample grid every N epochs and writes them as a GIF.

    Source 000's closing animation of the training run. The frames are grids
    of the same latent points (drawn once, as in `SampleGrid`), kept in
    memory as uint8 pictures and written when training ends. Keras does not
    call `on_train_end` when `fit()` is interrupted (an exception or
    Ctrl-C), so call `write()` yourself to keep the frames gathered so far.

    Args:
        output_path: The GIF file to write.
        every_n_epochs: Add a frame after epochs N, 2N, ... Defaults to `1`.
        num_samples: Number of images per frame. Defaults to `16` (4x4).
        seed: Seed of the fixed latents, or `None`. Defaults to `0`.
        duration: Seconds each frame is shown. Defaults to `0.2`.
        rows: Rows of each grid, or `None` for a square-ish grid. Defaults
            to `None`.
        padding: Pixels between images. Defaults to `2`.
        scale: Integer upscaling of every image. Defaults to `1`.

    Attributes:
        frames: The uint8 grids collected so far.
        latents: The fixed latents, `None` until training begins.

    Raises:
        TypeError: If an argument has the wrong type, or the model lacks
            `sample_latents`/`generate`.
        ValueError: If an argument has a bad value.

    Example:

        >>> callback = TrainingGif("training.gif", num_samples=16, duration=0.5)
        >>> callback.frames
        []
    """

    def __init__(
        self,
        output_path: str | os.PathLike,
        every_n_epochs: int = 1,
        num_samples: int = 16,
        seed: int | None = 0,
        duration: float = 0.2,
        rows: int | None = None,
        *,
        padding: int = 2,
        scale: int = 1,
    ) -> None:
        super().__init__(every_n_epochs)
        self.output_path = check_path(output_path, name="output_path")
        self.num_samples = check_int(num_samples, name="num_samples", minimum=1)
        self.seed = check_seed(seed)
        self.duration = check_number(duration, name="duration", minimum=0.01)
        self.rows = None if rows is None else check_int(rows, name="rows", minimum=1)
        self.padding = check_int(padding, name="padding", minimum=0)
        self.scale = check_int(scale, name="scale", minimum=1)
        self.latents = None
        self.frames = []

    def on_train_begin(self, logs=None):
        self._ensure_latents()

    def on_epoch_end(self, epoch, logs=None):
        if self._due(epoch):
            images, arguments = self._grid_arguments()
            self.frames.append(viz.image_grid(images, **arguments))

    def on_train_end(self, logs=None):
        if self.frames:
            self.write()

    def write(self) -> str:
        """Writes the frames collected so far to `output_path`.

        Returns:
            `output_path`.

        Raises:
            ValueError: If no frame has been collected yet.
        """
        if not self.frames:
            raise ValueError(
                "TrainingGif has no frames yet: frames are added at the end of every "
                f"{self.every_n_epochs} epoch(s) of `fit()`."
            )
        return viz.write_gif(self.frames, self.output_path, duration=self.duration)
