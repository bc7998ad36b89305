"""Callbacks that record: `LossPlot`, `TensorBoardScalars`, `DiscriminatorAccuracyReport`."""

from __future__ import annotations

import os

import keras
import numpy as np
import tensorflow as tf
from numpy.typing import ArrayLike

from gankit import viz
from gankit._checks import check_bool
from gankit._checks import check_choice
from gankit._checks import check_int
from gankit._checks import check_path
from gankit._checks import check_seed
from gankit.training._callback_base import _EveryNEpochs
from gankit.training._callback_base import _require

# Names these callbacks add to the epoch logs.
D_EVAL_REAL_ACCURACY = "d_eval_real_accuracy"


D_EVAL_FAKE_ACCURACY = "d_eval_fake_accuracy"


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
