"""Keras callbacks that watch a GAN train: samples, GIF, losses, checkpoints, D accuracy.

Every callback works with any `keras.Model` that follows gankit's GAN
contract (`gankit.models.gan.GAN` and its relatives):

- `model.generator` maps latents `(n, latent_dim)` to images in [-1, 1] and
  `model.discriminator` maps images to logits;
- `model.sample_latents(n, seed=None)` returns float32 latents and
  `model.generate(n=None, *, seed=None, latents=None, batch_size=256)`
  returns images in [0, 1];
- `model.d_optimizer` / `model.g_optimizer` are the two optimizers;
- the logs hold `d_loss`, `g_loss`, `d_real_accuracy` and `d_fake_accuracy`
  at the end of every batch and epoch.

Epochs are counted from 1 in file names and in `every_n_epochs` (the work is
done at the end of epochs N, 2N, ...), as in the sources' `(epoch + 1) % N`.

What each source did, and its callback:

- Source 000 (Kaggle dogs): an 8x8 sample grid every N epochs
  (`SampleGrid(num_samples=64)`), per-epoch and all-time loss plots
  (`LossPlot`), a GIF of the grids (`TrainingGif`), cosine learning-rate
  decay (`GANLearningRateScheduler(cosine_decay(...))`, or a
  `keras.optimizers.schedules.CosineDecay` given to the optimizers for a
  per-step decay), and 10,000 PNGs in a zip
  (`gankit.viz.write_images(gan.generate, "images.zip", 10_000)`).
- Source 002 (Machine Learning Mastery): `summarize_performance` every 10
  epochs is three callbacks: `DiscriminatorAccuracyReport(x_train)`,
  `SampleGrid(every_n_epochs=10, num_samples=49, rows=7)` (100 and 10x10 for
  MNIST) and `GeneratorCheckpoint(every_n_epochs=10)`.
- Source 001 (TF slim DCGAN): TensorBoard scalars for the four losses at
  every step are `TensorBoardScalars(log_dir, update_freq=1)` (tags
  `batch_d_loss`, `epoch_d_loss`, ... under `log_dir/train`). With the
  `tensorboard` package installed, `keras.callbacks.TensorBoard(log_dir,
  update_freq=1)` writes the same tags; TensorFlow 2.21 no longer installs
  that package, and without it Keras' callback fails, hence gankit's.
  Checkpoints every N steps are `keras.callbacks.ModelCheckpoint(path,
  save_freq=N, save_weights_only=True)`, and generated images go to a
  folder with `gankit.viz.write_images`.

Callbacks that write files write them atomically (temporary name, then
rename) and create their folders when training begins. Under a multi-worker
strategy every worker runs the callbacks; give each worker its own folder or
attach the file-writing callbacks on the chief only.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf
from numpy.typing import ArrayLike

from gankit import viz
from gankit._checks import check_bool
from gankit._checks import check_choice
from gankit._checks import check_int
from gankit._checks import check_number
from gankit._checks import check_path
from gankit._checks import check_seed

__all__ = [
    "DiscriminatorAccuracyReport",
    "GANLearningRateScheduler",
    "GeneratorCheckpoint",
    "LossPlot",
    "SampleGrid",
    "TensorBoardScalars",
    "TrainingGif",
    "cosine_decay",
]

# Names these callbacks add to the epoch logs.
D_EVAL_REAL_ACCURACY = "d_eval_real_accuracy"
D_EVAL_FAKE_ACCURACY = "d_eval_fake_accuracy"
D_LEARNING_RATE = "d_learning_rate"
G_LEARNING_RATE = "g_learning_rate"


def _check_filename(filename, extensions):
    if not isinstance(filename, str):
        raise TypeError(f"`filename` must be a string. Received: filename={filename!r}")
    try:
        example = filename.format(epoch=1)
    except (AttributeError, IndexError, KeyError, ValueError) as error:
        raise ValueError(
            "`filename` must be a format string whose only field is `{epoch}`, e.g. "
            f"'samples_epoch_{{epoch:04d}}.png'. Received: filename={filename!r} ({error})"
        ) from None
    if example == filename.format(epoch=2):
        raise ValueError(
            "`filename` must contain an `{epoch}` field, or every epoch would overwrite "
            f"the same file. Received: filename={filename!r}"
        )
    if not example.lower().endswith(extensions):
        raise ValueError(f"`filename` must end in one of {extensions}. Received: filename={filename!r}")
    return filename


def _require(model, names, callback):
    missing = [name for name in names if not hasattr(model, name)]
    if missing:
        raise TypeError(
            f"{callback} needs a GAN model with {', '.join(names)} (gankit's GAN "
            f"contract). Received: a {type(model).__name__} without {', '.join(missing)}."
        )


class _EveryNEpochs(keras.callbacks.Callback):
    """Shared `every_n_epochs` bookkeeping: `_due(epoch)` with 0-based Keras epochs."""

    def __init__(self, every_n_epochs):
        super().__init__()
        self.every_n_epochs = check_int(every_n_epochs, name="every_n_epochs", minimum=1)

    def _due(self, epoch):
        return (epoch + 1) % self.every_n_epochs == 0


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


class _BatchValues:
    """Turns the batch logs of one epoch into each batch's own values.

    Keras models that track losses with `keras.metrics.Mean` report running
    means over the epoch; batch k's own value is `k * m_k - (k - 1) * m_(k-1)`
    (with `steps_per_execution > 1`, the mean over the executed chunk).
    """

    def __init__(self, running_means):
        self.running_means = running_means
        self.reset()

    def reset(self):
        self._seen = 0
        self._previous = {}

    def __call__(self, batch, logs, keys):
        """Returns `(new_batches, {key: value})` for the batch that just ended."""
        seen = batch + 1
        new_batches = max(seen - self._seen, 1)
        values = {}
        for key in keys:
            mean = float(logs[key])
            if self.running_means and seen > self._seen:
                values[key] = (seen * mean - self._seen * self._previous.get(key, 0.0)) / (seen - self._seen)
            else:
                values[key] = mean
            self._previous[key] = mean
        self._seen = seen
        return new_batches, values


class LossPlot(_EveryNEpochs):
    """Plots the losses per batch for the last epoch and for the whole run.

    Source 000's two figures: "Generator and Discriminator Loss - EPOCH n"
    over the iterations of the epoch, written as
    `losses_epoch_{epoch:04d}.png`, and "All Time Loss" over every iteration
    so far, rewritten as `losses_all_time.png`. Values are recorded at every
    batch, so plots only every N epochs still cover every iteration.

    Keras models that track their losses with `keras.metrics.Mean` (the
    keras.io convention gankit's models follow) report running means over
    the epoch in the batch logs. With `running_means=True` the callback
    recovers each batch's own value from two consecutive means,
    `v_k = k * m_k - (k - 1) * m_(k-1)`, which is what source 000 plotted
    (with `steps_per_execution > 1` it recovers the mean of each executed
    chunk). Set `running_means=False` for a `train_step` whose logs are
    already per-batch values.

    Args:
        output_dir: Folder for the PNG files, created when training begins.
        every_n_epochs: Plot after epochs N, 2N, ... Defaults to `1`.
        keys: Log entries to plot. Defaults to `("d_loss", "g_loss")`.
        running_means: Whether the batch logs are running means over the
            epoch (see above). Defaults to `True`.

    Attributes:
        history: Mapping of every key to its per-batch values over all
            epochs.
        epoch_history: The same for the current epoch.
        paths: Paths written so far, in order (the all-time plot once per
            plotting epoch).

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument has a bad value, or a key is missing from
            the logs during training.

    Example:

        >>> callback = LossPlot("plots", every_n_epochs=5)
        >>> callback.history
        {'d_loss': [], 'g_loss': []}
    """

    ALL_TIME_FILENAME = "losses_all_time.png"
    EPOCH_FILENAME = "losses_epoch_{epoch:04d}.png"

    def __init__(
        self,
        output_dir: str | os.PathLike,
        every_n_epochs: int = 1,
        keys: tuple[str, ...] | list[str] = ("d_loss", "g_loss"),
        running_means: bool = True,
    ) -> None:
        super().__init__(every_n_epochs)
        self.output_dir = check_path(output_dir, name="output_dir")
        if (
            isinstance(keys, str)
            or not isinstance(keys, (tuple, list))
            or not all(isinstance(key, str) for key in keys)
        ):
            raise TypeError(f"`keys` must be a tuple of log names. Received: keys={keys!r}")
        if not keys or len(set(keys)) != len(keys):
            raise ValueError(f"`keys` must be non-empty and without repeats. Received: keys={keys!r}")
        self.keys = tuple(keys)
        self.running_means = check_bool(running_means, name="running_means")
        self.history = {key: [] for key in self.keys}
        self.epoch_history = {key: [] for key in self.keys}
        self.paths = []
        self._batch_values = _BatchValues(self.running_means)

    def on_train_begin(self, logs=None):
        os.makedirs(self.output_dir, exist_ok=True)

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch_history = {key: [] for key in self.keys}
        self._batch_values.reset()

    def on_train_batch_end(self, batch, logs=None):
        logs = logs or {}
        missing = [key for key in self.keys if key not in logs]
        if missing:
            raise ValueError(
                f"LossPlot(keys={self.keys}) found no {missing} in the batch logs. "
                f"Received logs with keys {sorted(logs)}; pass `keys` that the model logs."
            )
        _, values = self._batch_values(batch, logs, self.keys)
        for key, value in values.items():
            self.epoch_history[key].append(value)
            self.history[key].append(value)

    def on_epoch_end(self, epoch, logs=None):
        if not self._due(epoch):
            return
        epoch_path = os.path.join(self.output_dir, self.EPOCH_FILENAME.format(epoch=epoch + 1))
        viz.plot_losses(
            self.epoch_history,
            epoch_path,
            title=f"Generator and Discriminator Loss - Epoch {epoch + 1}",
        )
        all_time_path = os.path.join(self.output_dir, self.ALL_TIME_FILENAME)
        viz.plot_losses(self.history, all_time_path, title="All Time Loss")
        self.paths.extend([epoch_path, all_time_path])


class TensorBoardScalars(keras.callbacks.Callback):
    """Writes the training logs as TensorBoard scalars, per epoch and per step.

    Source 001 logs its discriminator and generator losses as TensorBoard
    scalars at every step. `keras.callbacks.TensorBoard(log_dir,
    update_freq=N)` does the same for every log entry, but only when the
    `tensorboard` package is installed, which TensorFlow 2.21 no longer
    pulls in. This callback writes the same records with TensorFlow alone
    (`tensorboard` is only needed to view them), in the same layout: files
    under `log_dir/train`, tags `epoch_<name>` with the epoch (from 0) as
    step and, with `update_freq`, `batch_<name>` with the global step.
    Per-step values are recovered from running means as in `LossPlot`.

    Args:
        log_dir: Folder for the event files (TensorBoard's `--logdir`).
        keys: Log entries to write, or `None` for every numeric entry (the
            four GAN logs and any added by callbacks earlier in the list,
            such as `DiscriminatorAccuracyReport`). Defaults to `None`.
        update_freq: `"epoch"`, or an integer N to also write the batch
            values every N steps. Defaults to `"epoch"`.
        running_means: Whether the batch logs are running means over the
            epoch (see `LossPlot`). Defaults to `True`.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument has a bad value, or a requested key is
            missing from the logs during training.

    Example:

        >>> callback = TensorBoardScalars("logs", update_freq=100)
        >>> callback.update_freq
        100
    """

    def __init__(
        self,
        log_dir: str | os.PathLike,
        keys: tuple[str, ...] | list[str] | None = None,
        update_freq: int | str = "epoch",
        running_means: bool = True,
    ) -> None:
        super().__init__()
        self.log_dir = check_path(log_dir, name="log_dir")
        if keys is not None:
            if (
                isinstance(keys, str)
                or not isinstance(keys, (tuple, list))
                or not all(isinstance(key, str) for key in keys)
            ):
                raise TypeError(f"`keys` must be a tuple of log names or None. Received: keys={keys!r}")
            if not keys:
                raise ValueError(f"`keys` must not be empty. Received: keys={keys!r}")
            keys = tuple(keys)
        self.keys = keys
        if update_freq != "epoch":
            update_freq = check_int(update_freq, name="update_freq", minimum=1)
        self.update_freq = update_freq
        self.running_means = check_bool(running_means, name="running_means")
        self._batch_values = _BatchValues(self.running_means)
        self._writer = None
        self._global_step = 0

    def _selected(self, logs, where):
        if self.keys is None:
            return [key for key, value in logs.items() if _is_scalar(value)]
        missing = [key for key in self.keys if key not in logs]
        if missing:
            raise ValueError(
                f"TensorBoardScalars(keys={self.keys}) found no {missing} in the {where} logs. "
                f"Received logs with keys {sorted(logs)}."
            )
        return list(self.keys)

    def _write(self, prefix, values, step):
        with self._writer.as_default():
            for key, value in values.items():
                tf.summary.write(
                    f"{prefix}_{key}",
                    tf.constant(value, tf.float32),
                    step=step,
                    metadata=_SCALAR_METADATA,
                )

    def on_train_begin(self, logs=None):
        if self._writer is None:
            self._writer = tf.summary.create_file_writer(os.path.join(self.log_dir, "train"))

    def on_epoch_begin(self, epoch, logs=None):
        self._batch_values.reset()

    def on_train_batch_end(self, batch, logs=None):
        if self.update_freq == "epoch":
            return
        logs = logs or {}
        new_batches, values = self._batch_values(batch, logs, self._selected(logs, "batch"))
        previous = self._global_step
        self._global_step += new_batches
        if self._global_step // self.update_freq > previous // self.update_freq:
            self._write("batch", values, self._global_step)

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        values = {key: float(logs[key]) for key in self._selected(logs, "epoch")}
        self._write("epoch", values, epoch)
        self._writer.flush()

    def on_train_end(self, logs=None):
        if self._writer is not None:
            self._writer.close()
            self._writer = None


def _is_scalar(value):
    return not isinstance(value, bool) and isinstance(value, (int, float, np.integer, np.floating))


# The metadata tensorboard's own `tf.summary.scalar` attaches, byte for byte:
# the "scalars" plugin, whose ScalarPluginData at version 0 serialises to
# empty content. TensorBoard then shows these records as scalar charts.
_SCALAR_METADATA = tf.compat.v1.SummaryMetadata(
    plugin_data=tf.compat.v1.SummaryMetadata.PluginData(plugin_name="scalars", content=b"")
)


class GeneratorCheckpoint(_EveryNEpochs):
    """Saves `model.generator` every N epochs as a `.keras` file.

    Source 002 saves `generator_model_%03d.h5` every 10 epochs and later
    reloads one to generate images. The file is written under a temporary
    name in the same folder and renamed when complete, so a crash never
    leaves a half-written model. Reload with
    `keras.saving.load_model(path)` (gankit's layers are registered and need
    no `custom_objects`). To checkpoint the whole GAN for resuming after a
    crash, use `gankit.training.TrainingBackup`.

    Args:
        output_dir: Folder for the model files, created when training begins.
        every_n_epochs: Save after epochs N, 2N, ... Defaults to `10`
            (source 002).
        filename: File name pattern with an `{epoch}` field (counted from 1),
            ending in `.keras` (or `.h5`, Keras' legacy format). Defaults to
            `"generator_epoch_{epoch:04d}.keras"`.

    Attributes:
        paths: Paths written so far, in order.

    Raises:
        TypeError: If an argument has the wrong type, or the model has no
            `generator`.
        ValueError: If an argument has a bad value.

    Example:

        >>> callback = GeneratorCheckpoint("checkpoints", every_n_epochs=10)
        >>> callback.filename.format(epoch=10)
        'generator_epoch_0010.keras'
    """

    def __init__(
        self,
        output_dir: str | os.PathLike,
        every_n_epochs: int = 10,
        filename: str = "generator_epoch_{epoch:04d}.keras",
    ) -> None:
        super().__init__(every_n_epochs)
        self.output_dir = check_path(output_dir, name="output_dir")
        self.filename = _check_filename(filename, (".keras", ".h5"))
        self.paths = []

    def on_train_begin(self, logs=None):
        _require(self.model, ("generator",), "GeneratorCheckpoint")
        os.makedirs(self.output_dir, exist_ok=True)

    def on_epoch_end(self, epoch, logs=None):
        if self._due(epoch):
            self.paths.append(self.save(epoch + 1))

    def save(self, epoch: int) -> str:
        """Saves the generator now under the name for `epoch` (counted from 1).

        Returns:
            The path written.
        """
        path = os.path.join(self.output_dir, self.filename.format(epoch=epoch))
        extension = os.path.splitext(path)[1]
        # Keras picks the format from the extension, so the temporary name
        # keeps it.
        directory, name = os.path.split(path)
        temporary = os.path.join(directory, f".{name}.{os.getpid()}.partial{extension}")
        try:
            self.model.generator.save(temporary)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.remove(temporary)
            raise
        return path


class DiscriminatorAccuracyReport(_EveryNEpochs):
    """Reports the discriminator's accuracy on real and generated images.

    Source 002's `summarize_performance`: every N epochs, take `num_samples`
    real images and as many fresh fakes, and print
    `>Accuracy real: 55%, fake: 89%`. The discriminator returns logits, so a
    real image counts as correct when its logit is > 0 and a fake one when
    its logit is < 0 (a logit of exactly 0, probability 0.5, counts as wrong
    for both). A discriminator with several logits per image (PatchGAN) is
    scored on every logit. Fakes come from `model.generator` (the generator
    being trained, not an EMA copy) from `model.sample_latents`, and both
    networks run with `training=False` in batches of `batch_size`.

    The results go to `history` and into the epoch logs as
    `d_eval_real_accuracy` and `d_eval_fake_accuracy` (fractions in [0, 1]),
    so callbacks after this one in the list (`TensorBoardScalars`,
    `keras.callbacks.CSVLogger`, the `History` that `fit()` returns) record
    them; with `every_n_epochs > 1` the `History` lists of these two names
    hold the reporting epochs only.

    Args:
        real_images: Real images in the range the discriminator is trained
            on: an array `(n, height, width, channels)` (`num_samples` are
            drawn without replacement each time), or a `tf.data.Dataset` of
            image batches or `(images, ...)` tuples (read from the start each
            time until `num_samples` images are taken; shuffle it for fresh
            samples).
        every_n_epochs: Evaluate after epochs N, 2N, ... Defaults to `10`
            (source 002).
        num_samples: Real images, and fakes, per evaluation. Defaults to
            `100` (source 002's MNIST tutorial; its CIFAR-10 tutorial uses
            150).
        batch_size: Images per generator and discriminator call. Defaults
            to `256`.
        seed: Seed for choosing real images and latents, or `None`.
            Reproducible across runs, different at every evaluation.
            Defaults to `0`.
        verbose: 1 prints the report line, 0 is silent. Defaults to `1`.

    Attributes:
        history: One dict per evaluation: `{"epoch": e, "real_accuracy": r,
            "fake_accuracy": f}` with `e` counted from 1.

    Raises:
        TypeError: If an argument has the wrong type, or the model lacks
            `generator`, `discriminator` or `sample_latents`.
        ValueError: If an argument has a bad value, or the dataset runs out
            before `num_samples` images.

    Example:

        >>> callback = DiscriminatorAccuracyReport(np.zeros((150, 8, 8, 1), "float32"), num_samples=150)
        >>> callback.history
        []
    """

    def __init__(
        self,
        real_images: ArrayLike | tf.data.Dataset,
        every_n_epochs: int = 10,
        num_samples: int = 100,
        *,
        batch_size: int = 256,
        seed: int | None = 0,
        verbose: int = 1,
    ) -> None:
        super().__init__(every_n_epochs)
        self.num_samples = check_int(num_samples, name="num_samples", minimum=1)
        self.batch_size = check_int(batch_size, name="batch_size", minimum=1)
        self.seed = check_seed(seed)
        self.verbose = check_choice(verbose, name="verbose", choices=(0, 1))
        if isinstance(real_images, tf.data.Dataset):
            self.real_images = real_images
        else:
            if not hasattr(real_images, "shape") and not isinstance(real_images, (list, tuple)):
                raise TypeError(
                    "`real_images` must be an array of images or a `tf.data.Dataset`. "
                    f"Received: real_images of type {type(real_images).__name__}"
                )
            real_images = np.asarray(real_images)
            if real_images.ndim < 2:
                raise ValueError(f"`real_images` must be a batch of images. Received: shape {real_images.shape}")
            if real_images.shape[0] < self.num_samples:
                raise ValueError(
                    f"`real_images` holds {real_images.shape[0]} images, fewer than "
                    f"num_samples={self.num_samples}. Lower `num_samples` or pass more images."
                )
            self.real_images = real_images
        self.history = []
        self._rng = np.random.default_rng(self.seed)

    def on_train_begin(self, logs=None):
        _require(
            self.model,
            ("generator", "discriminator", "sample_latents"),
            "DiscriminatorAccuracyReport",
        )

    def on_epoch_end(self, epoch, logs=None):
        if not self._due(epoch):
            return
        real_accuracy, fake_accuracy = self.evaluate()
        self.history.append({"epoch": epoch + 1, "real_accuracy": real_accuracy, "fake_accuracy": fake_accuracy})
        if logs is not None:
            logs[D_EVAL_REAL_ACCURACY] = real_accuracy
            logs[D_EVAL_FAKE_ACCURACY] = fake_accuracy
        if self.verbose:
            print(f">Accuracy real: {real_accuracy * 100:.0f}%, fake: {fake_accuracy * 100:.0f}%")

    def evaluate(self) -> tuple[float, float]:
        """Evaluates the discriminator once, outside the epoch schedule.

        Returns:
            `(real_accuracy, fake_accuracy)`, fractions in [0, 1].
        """
        real = self._real_samples()
        seed = None if self.seed is None else int(self._rng.integers(2**31 - 1))
        latents = np.asarray(self.model.sample_latents(self.num_samples, seed=seed))
        real_correct = self._fraction_correct(real, real=True)
        fake_correct = self._fraction_correct(latents, real=False)
        return real_correct, fake_correct

    def _real_samples(self):
        if not isinstance(self.real_images, tf.data.Dataset):
            indices = self._rng.choice(self.real_images.shape[0], self.num_samples, replace=False)
            return self.real_images[np.sort(indices)]
        batches, count = [], 0
        for element in self.real_images:
            if isinstance(element, dict):
                raise TypeError(
                    "`real_images` datasets must yield image batches or `(images, ...)` "
                    f"tuples. Received: a dict with keys {sorted(element)}"
                )
            images = element[0] if isinstance(element, (tuple, list)) else element
            images = np.asarray(images)
            batches.append(images)
            count += images.shape[0]
            if count >= self.num_samples:
                break
        if count < self.num_samples:
            raise ValueError(
                f"`real_images` yielded {count} images, fewer than num_samples={self.num_samples}. "
                "Lower `num_samples` or use a longer (or repeated) dataset."
            )
        return np.concatenate(batches)[: self.num_samples]

    def _fraction_correct(self, inputs, real):
        correct, total = 0, 0
        for start in range(0, inputs.shape[0], self.batch_size):
            batch = inputs[start : start + self.batch_size]
            if not real:
                batch = self.model.generator(batch, training=False)
            logits = keras.ops.convert_to_numpy(self.model.discriminator(batch, training=False))
            logits = logits.reshape(logits.shape[0], -1)
            if logits.shape[0] != batch.shape[0]:
                raise ValueError(f"The discriminator returned {logits.shape[0]} outputs for {batch.shape[0]} images.")
            correct += int(np.sum(logits > 0 if real else logits < 0))
            total += logits.size
        return correct / total


def cosine_decay(
    initial_learning_rate: float, decay_steps: int, alpha: float = 0.0
) -> Callable[[int, float | None], float]:
    """A per-epoch cosine decay for `GANLearningRateScheduler`.

    Returns `schedule(epoch, learning_rate)` giving
    `initial_learning_rate * ((1 - alpha) * 0.5 * (1 + cos(pi * e / decay_steps)) + alpha)`
    with `e = min(epoch, decay_steps)`: the value of
    `keras.optimizers.schedules.CosineDecay` with the epoch as its step.
    Source 000 decays with `tf.train.cosine_decay` (its loop rebuilds the
    Adam optimizers, losing their moments, and swaps the D and G rates; the
    scheduler assigns the rates in place instead). For a decay per step
    rather than per epoch, give each optimizer
    `keras.optimizers.schedules.CosineDecay(initial_learning_rate,
    decay_steps, alpha)` and no scheduler.

    Reference: [Loshchilov and Hutter, 2017](https://arxiv.org/abs/1608.03983).

    Args:
        initial_learning_rate: Learning rate at epoch 0, > 0.
        decay_steps: Epochs over which to decay, >= 1.
        alpha: Final rate as a fraction of `initial_learning_rate`, in
            [0, 1]. Defaults to `0.0`.

    Returns:
        A function `schedule(epoch, learning_rate) -> float` (the current
        rate is ignored).

    Raises:
        TypeError: If an argument is not a number.
        ValueError: If an argument is NaN, infinite or out of range.

    Example:

        >>> schedule = cosine_decay(2e-4, decay_steps=10)
        >>> [round(schedule(epoch, None), 8) for epoch in (0, 5, 10, 20)]
        [0.0002, 0.0001, 0.0, 0.0]
    """
    for name, value in (("initial_learning_rate", initial_learning_rate), ("alpha", alpha)):
        check_number(value, name=name)
    if not initial_learning_rate > 0:
        raise ValueError(
            f"`initial_learning_rate` must be > 0. Received: initial_learning_rate={initial_learning_rate}"
        )
    decay_steps = check_int(decay_steps, name="decay_steps", minimum=1)
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"`alpha` must be in [0, 1]. Received: alpha={alpha}")
    initial_learning_rate, alpha = float(initial_learning_rate), float(alpha)

    def schedule(epoch, learning_rate=None):
        progress = min(epoch, decay_steps) / decay_steps
        cosine = 0.5 * (1.0 + math.cos(math.pi * progress))
        return initial_learning_rate * ((1.0 - alpha) * cosine + alpha)

    return schedule


class GANLearningRateScheduler(keras.callbacks.Callback):
    """Sets the discriminator's and/or generator's learning rate every epoch.

    `keras.callbacks.LearningRateScheduler` only knows `model.optimizer`; a
    GAN has two. At the start of every epoch this callback calls
    `schedule(epoch, current_rate)` (0-based epoch, as in Keras) for each
    chosen optimizer and assigns the result to its learning-rate variable,
    keeping the optimizer's state. The rates in use are added to the epoch
    logs as `d_learning_rate` / `g_learning_rate`. For different schedules
    per network, use two callbacks with `which="d"` and `which="g"`.

    The optimizers must have been created with a float learning rate; one
    built on a `keras.optimizers.schedules.LearningRateSchedule` already
    follows that schedule and is refused.

    Args:
        schedule: A function `(epoch, learning_rate) -> float`, e.g.
            `cosine_decay(2e-4, decay_steps=100)`.
        which: `"both"`, `"d"` (`model.d_optimizer`) or `"g"`
            (`model.g_optimizer`). Defaults to `"both"`.
        verbose: 1 prints every change, 0 is silent. Defaults to `0`.

    Raises:
        TypeError: If `schedule` is not callable, it returns a non-number, or
            an optimizer's learning rate is a schedule.
        ValueError: If `which` or `verbose` is unknown, or the schedule
            returns a negative or non-finite rate.

    Example:

        >>> callback = GANLearningRateScheduler(cosine_decay(2e-4, 100), which="both")
        >>> callback.optimizer_names
        ('d_optimizer', 'g_optimizer')
    """

    _WHICH = {
        "both": ("d_optimizer", "g_optimizer"),
        "d": ("d_optimizer",),
        "g": ("g_optimizer",),
    }
    _LOG_NAMES = {"d_optimizer": D_LEARNING_RATE, "g_optimizer": G_LEARNING_RATE}

    def __init__(self, schedule: Callable[[int, float], float], which: str = "both", verbose: int = 0) -> None:
        super().__init__()
        if not callable(schedule):
            raise TypeError(f"`schedule` must be callable as schedule(epoch, lr). Received: schedule={schedule!r}")
        if which not in self._WHICH:
            raise ValueError(f"`which` must be one of {tuple(self._WHICH)}. Received: which={which!r}")
        self.schedule = schedule
        self.which = which
        self.verbose = check_choice(verbose, name="verbose", choices=(0, 1))
        self.optimizer_names = self._WHICH[which]

    def _variable(self, name):
        optimizer = getattr(self.model, name, None)
        if optimizer is None:
            raise TypeError(
                f"GANLearningRateScheduler needs `model.{name}`; compile the GAN with "
                f"both optimizers. Received: a {type(self.model).__name__} without it."
            )
        learning_rate = optimizer.learning_rate
        # A float learning rate is a variable; a schedule (or a callable) is
        # evaluated into a tensor on every read and cannot be assigned.
        if not isinstance(learning_rate, keras.Variable):
            raise TypeError(
                f"`model.{name}` has a learning-rate schedule, not a settable rate, so "
                "GANLearningRateScheduler cannot change it. Create the optimizer with a float "
                "`learning_rate`, or keep the schedule and drop this callback. Received: "
                f"{name}.learning_rate of type {type(learning_rate).__name__}"
            )
        return learning_rate

    def on_train_begin(self, logs=None):
        for name in self.optimizer_names:
            self._variable(name)

    def on_epoch_begin(self, epoch, logs=None):
        for name in self.optimizer_names:
            variable = self._variable(name)
            current = float(keras.ops.convert_to_numpy(variable))
            new = self.schedule(epoch, current)
            if isinstance(new, bool) or not isinstance(new, (int, float, np.integer, np.floating)):
                raise TypeError(f"`schedule` must return a number. Received: {new!r} for epoch {epoch}")
            new = float(new)
            if not (math.isfinite(new) and new >= 0.0):
                raise ValueError(
                    f"`schedule` must return a finite learning rate >= 0. Received: {new} for epoch {epoch}"
                )
            variable.assign(new)
            if self.verbose:
                print(f"\nEpoch {epoch + 1}: GANLearningRateScheduler setting {name} learning rate to {new}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            return
        for name in self.optimizer_names:
            logs[self._LOG_NAMES[name]] = float(keras.ops.convert_to_numpy(self._variable(name)))
