"""Nothing lost on failure: resumable training backups and divergence checks.

GANs train for hours; a killed process, a full disk during a save or a loss
that turns NaN should cost minutes, not the run.

- `TrainingBackup(backup_dir)` saves the whole training state at the end of
  every N epochs and restores it when the same `fit()` starts again after a
  crash: both networks, the EMA generator, every optimizer (slots and
  iteration counts), the step counter, the random-generator state that draws
  latents and replay picks (`GAN.rng_state`), the replay pool, and the number
  of completed epochs. It is Keras' `BackupAndRestore` made safe for GANs:
  Keras' callback builds only `model.optimizer` before loading (a GAN's
  `d_optimizer`/`g_optimizer` would silently lose their state) and overwrites
  its one weights file in place, so a kill during a save leaves a file that
  blocks resuming.
- Checkpoints are written atomically: the weights go to a temporary file in
  the same folder, renamed into place when complete; then a small pointer
  file, `checkpoint.json`, is replaced (also by rename) to name them; only
  then is the previous checkpoint deleted. A kill at any moment leaves the
  pointer naming a complete checkpoint.
- A NaN or Inf loss stops training with one message naming the loss, the step
  and the last good checkpoint (`DivergenceError`); the backup never writes
  non-finite weights, so that checkpoint stays usable. `StopOnDivergence`
  does the same check without backups (Keras' `TerminateOnNaN` stops without
  saying which loss diverged).
"""

from __future__ import annotations

import fcntl
import glob
import hashlib
import json
import math
import os
import uuid

import keras
import numpy as np

from gankit._checks import check_bool
from gankit._checks import check_int
from gankit._checks import check_path

__all__ = ["DivergenceError", "StopOnDivergence", "TrainingBackup"]

CHECKPOINT_FILE = "checkpoint.json"
"""The pointer file of a `TrainingBackup` folder: names the current checkpoint."""

WEIGHTS_FILENAME = "epoch_{epoch:06d}.weights.h5"
"""Weights file of the checkpoint after `epoch` completed epochs."""

_PARTIAL_PREFIX = ".partial-"
_FORMAT_VERSION = 1
LOCK_FILE = ".lock"
"""Lock file of a backup folder: held (`fcntl.flock`) by the process training into it."""
# The TrainingBackup of this process holding each backup folder's lock, by real path.
_LOCK_HOLDERS = {}
_POINTER_KEYS = ("format", "epoch", "step", "weights", "optimizers", "model")


def model_fingerprint(model: keras.Model) -> str:
    """A hash of a model's class and variables (shapes and dtypes, in order).

    Two models of the same architecture have the same fingerprint whatever
    their layers are named (Keras numbers names per process), so it survives
    a restart; `TrainingBackup` records it to refuse a backup that belongs to
    another model.
    """
    description = [type(model).__name__] + [[list(variable.shape), str(variable.dtype)] for variable in model.variables]
    return hashlib.sha256(json.dumps(description).encode("utf-8")).hexdigest()[:16]


class DivergenceError(FloatingPointError):
    """Raised when a monitored loss becomes NaN or infinite during `fit()`.

    Attributes:
        name: The log entry that diverged (e.g. `"d_loss"`).
        value: Its value (`nan`, `inf` or `-inf`).
        step: The train step, counted from 1 over the whole run.
        epoch: The epoch, counted from 1.
        checkpoint: Path of the last good checkpoint, or `None`.
    """

    def __init__(self, name: str, value: float, step: int | None, epoch: int, checkpoint: str | None = None) -> None:
        self.name = name
        self.value = value
        self.step = step
        self.epoch = epoch
        self.checkpoint = checkpoint
        where = f"at step {step} (epoch {epoch})" if step is not None else f"in epoch {epoch}"
        if checkpoint is None:
            saved = "No checkpoint was written before it."
        else:
            saved = (
                f"The last good checkpoint is {checkpoint}; run the same script again to "
                "resume from it (e.g. with a lower learning rate)."
            )
        super().__init__(f"Training diverged: {name} is {value} {where}; it must stay finite. {saved}")


def _check_monitor(monitor):
    if monitor is None:
        return None
    if isinstance(monitor, str):
        monitor = (monitor,)
    if (
        not isinstance(monitor, (tuple, list))
        or not monitor
        or not all(isinstance(name, str) and name for name in monitor)
    ):
        raise TypeError(
            "`monitor` must be None (every log entry ending in 'loss'), a log name such as "
            f"'d_loss', or a list of names. Received: monitor={monitor!r}"
        )
    return tuple(monitor)


def _first_non_finite(logs, monitor, order=()):
    """`(name, value)` of the first monitored log entry that is NaN or Inf, else `None`.

    Without `monitor`, every `*loss` entry is checked in `order` (the model's
    metric order: its total losses before their terms), then the rest.
    """
    if not logs:
        return None
    if monitor is not None:
        names = monitor
    else:
        losses = [k for k in logs if k.endswith("loss")]
        names = [k for k in order if k in losses] + [k for k in losses if k not in order]
    for name in names:
        if name not in logs:
            continue
        value = float(np.asarray(logs[name]))
        if not math.isfinite(value):
            return name, value
    return None


class _DivergenceWatch(keras.callbacks.Callback):
    """Counts train steps over the run and checks the monitored losses."""

    def __init__(self, monitor: str | tuple[str, ...] | list[str] | None) -> None:
        super().__init__()
        self.monitor = _check_monitor(monitor)
        self._steps_before_epoch = 0
        self._last_batch = -1
        self._epoch = 0

    def _start_counting(self, steps_done):
        self._steps_before_epoch = steps_done
        self._last_batch = -1

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch
        self._last_batch = -1

    def on_train_batch_end(self, batch, logs=None):
        self._last_batch = batch
        self._check(logs, self._steps_before_epoch + batch + 1)

    def on_epoch_end(self, epoch, logs=None):
        self._check(logs, None)
        self._steps_before_epoch += self._last_batch + 1
        self._last_batch = -1

    def _check(self, logs, step):
        order = [metric.name for metric in getattr(self.model, "metrics", [])]
        found = _first_non_finite(logs, self.monitor, order)
        if found is not None:
            self._diverged(*found, step)

    def _diverged(self, name, value, step):
        raise DivergenceError(name, value, step, self._epoch + 1, self._last_good_checkpoint())

    def _last_good_checkpoint(self):
        return None


class StopOnDivergence(_DivergenceWatch):
    """Stops `fit()` with a clear error when a loss becomes NaN or infinite.

    Keras' `TerminateOnNaN` prints "Batch 11: Invalid loss, terminating
    training" and returns normally; this callback raises a `DivergenceError`
    that names the loss, its value, the step and the epoch, e.g.
    "Training diverged: d_loss is nan at step 12 (epoch 2)". Steps are counted
    from 1 over the whole run: a model with a `step_counter` (gankit's GAN)
    continues its count. `TrainingBackup` makes the same check by default and
    also names the last good checkpoint; use this callback without backups.

    Args:
        monitor: Log names to check, or `None` for every entry whose name
            ends in `"loss"` (`d_loss`, `g_loss`, `cycle_loss`, ...).
            Defaults to `None`.

    Raises:
        TypeError: If `monitor` is not `None`, a name or a list of names.

    Example:

        >>> callback = StopOnDivergence(monitor=["d_loss", "g_loss"])
        >>> callback.monitor
        ('d_loss', 'g_loss')
    """

    def __init__(self, monitor: str | tuple[str, ...] | list[str] | None = None) -> None:
        super().__init__(monitor)

    def on_train_begin(self, logs=None):
        counter = getattr(self.model, "step_counter", None)
        steps_done = 0 if counter is None else int(keras.ops.convert_to_numpy(counter))
        self._start_counting(steps_done)


class TrainingBackup(_DivergenceWatch):
    """Backs up the training state during `fit()` and resumes from it after a crash.

    Add it to `fit()` and run the same script again after a crash (a killed
    process, a lost machine): `fit()` continues after the last completed
    backup with the weights, optimizer state, counters and random state of
    that moment, so no completed epoch is lost or repeated. Without a backup
    in `backup_dir`, training starts from scratch.

    What is saved is everything `model.save_weights` writes (for gankit's
    GAN: both networks, the EMA generator, the step counter, `rng_state` and
    the replay pool) plus every optimizer the model holds as an attribute
    (built before loading, so their state is restored rather than skipped),
    the number of completed epochs and the step count. Draws from TensorFlow's
    global random ops (label flipping, instance noise) and `fit(...,
    shuffle=True)` orders are not saved: with them, a resumed run continues
    correctly but not bit for bit like an uninterrupted one.

    Saving is atomic (temporary file in the same folder, then rename) and the
    previous checkpoint is deleted only after the new one is complete, so a
    kill during a save resumes from the previous one. With
    `stop_on_divergence`, a NaN or Inf loss raises `DivergenceError` naming
    the loss, the step and the last good checkpoint, and non-finite weights
    are never saved.

    The backup is for resuming the same `fit()` call: it is deleted when
    `fit()` completes (as with Keras' `BackupAndRestore`) unless
    `delete_checkpoint=False`; save the trained model yourself. Under a
    multi-worker strategy, give every worker its own `backup_dir`.

    Args:
        backup_dir: Folder for the backup, created on the first save.
        every_n_epochs: Save after epochs N, 2N, ... Defaults to `1`.
        stop_on_divergence: Check the monitored losses after every batch and
            the weights before every save. Defaults to `True`.
        monitor: Log names checked for divergence, or `None` for every entry
            ending in `"loss"`. Defaults to `None`.
        delete_checkpoint: Delete the backup when `fit()` completes.
            Defaults to `True`.

    Attributes:
        restored_epoch: Completed epochs restored at the start of the last
            `fit()`, or `None` if it started from scratch.
        checkpoint_path: The weights file of the current checkpoint, or `None`.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If `every_n_epochs` is smaller than 1, or the folder holds
            a checkpoint that cannot be read.
        DivergenceError: During `fit()`, if a monitored loss or a weight is
            NaN or infinite.

    Example:

        >>> backup = TrainingBackup("runs/x/backup")
        >>> history = gan.fit(dataset, epochs=50, callbacks=[backup])  # doctest: +SKIP
        >>> backup.every_n_epochs
        1
    """

    def __init__(
        self,
        backup_dir: str | os.PathLike,
        every_n_epochs: int = 1,
        stop_on_divergence: bool = True,
        monitor: str | tuple[str, ...] | list[str] | None = None,
        delete_checkpoint: bool = True,
    ) -> None:
        super().__init__(monitor)
        self.backup_dir = check_path(backup_dir, name="backup_dir")
        self.every_n_epochs = check_int(every_n_epochs, name="every_n_epochs", minimum=1)
        self.stop_on_divergence = check_bool(stop_on_divergence, name="stop_on_divergence")
        self.delete_checkpoint = check_bool(delete_checkpoint, name="delete_checkpoint")
        self.restored_epoch = None
        self.checkpoint_path = None
        self._lock = None

    # -- the lock ----------------------------------------------------------------

    def _acquire_lock(self):
        """Takes the folder's lock, or raises if another training holds it.

        A `flock` lock dies with its process, so a lock file left by a killed
        run is no lock: the next run takes it.
        """
        if self._lock is not None:
            return
        os.makedirs(self.backup_dir, exist_ok=True)
        key = os.path.realpath(self.backup_dir)
        earlier = _LOCK_HOLDERS.get(key)
        if earlier is not None and earlier is not self:
            # fit() is synchronous: an earlier TrainingBackup of this process that
            # still holds the folder saw its fit() end with an error (Keras then
            # skips on_train_end). A later run in the same process takes over.
            earlier._release_lock()
        path = os.path.join(self.backup_dir, LOCK_FILE)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 64, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(descriptor)
            who = "this process" if holder == str(os.getpid()) else f"process {holder}"
            raise RuntimeError(
                f"The backup folder {self.backup_dir} is in use: {who} is training into it (it holds "
                f"{path}). Give each run its own backup_dir, or wait for the other to finish."
            ) from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode("ascii"), 0)
        self._lock = descriptor
        _LOCK_HOLDERS[key] = self

    def _release_lock(self, remove_file=False):
        if self._lock is None:
            return
        if remove_file:
            path = os.path.join(self.backup_dir, LOCK_FILE)
            if os.path.exists(path):
                os.remove(path)
        fcntl.flock(self._lock, fcntl.LOCK_UN)
        os.close(self._lock)
        self._lock = None
        key = os.path.realpath(self.backup_dir)
        if _LOCK_HOLDERS.get(key) is self:
            del _LOCK_HOLDERS[key]

    def __del__(self):
        if getattr(self, "_lock", None) is not None:
            os.close(self._lock)  # Closing releases the lock.

    # -- restore ---------------------------------------------------------------

    @property
    def _pointer_path(self):
        return os.path.join(self.backup_dir, CHECKPOINT_FILE)

    def _read_pointer(self):
        try:
            with open(self._pointer_path, encoding="utf-8") as file:
                metadata = json.load(file)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            raise ValueError(
                f"The backup pointer {self._pointer_path} cannot be read ({error}); expected "
                "the JSON file TrainingBackup writes. Delete the folder to start from "
                f"scratch. Received: backup_dir={self.backup_dir!r}"
            ) from None
        if not isinstance(metadata, dict) or metadata.get("format") != _FORMAT_VERSION:
            raise ValueError(
                f"{self._pointer_path} is not a TrainingBackup pointer of format "
                f"{_FORMAT_VERSION}. Received: {metadata!r}"
            )
        missing = [key for key in _POINTER_KEYS if key not in metadata]
        if missing:
            raise ValueError(
                f"The backup pointer {self._pointer_path} lacks {', '.join(missing)}; expected the JSON file "
                "TrainingBackup writes. Delete the folder to start from scratch."
            )
        for key, minimum in (("epoch", 1), ("step", 0)):
            value = metadata[key]
            if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
                raise ValueError(
                    f"The backup pointer {self._pointer_path} has a bad {key}: expected an integer >= {minimum}. "
                    f"Received: {key}={value!r}"
                )
        if not isinstance(metadata["optimizers"], dict) or not isinstance(metadata["model"], str):
            raise ValueError(
                f"The backup pointer {self._pointer_path} has a bad optimizers or model entry. Received: "
                f"optimizers={metadata['optimizers']!r}, model={metadata['model']!r}"
            )
        weights = metadata.get("weights")
        if not isinstance(weights, str) or os.path.basename(weights) != weights or weights in ("", ".", ".."):
            # The pointer may only name a file inside the backup folder.
            raise ValueError(
                f"The backup pointer {self._pointer_path} must name a weights file inside "
                f"the backup folder (a plain file name). Received: weights={weights!r}"
            )
        return metadata

    def _optimizers(self):
        """The model's optimizers by attribute name, in a stable order."""
        found = {}
        for name, value in sorted(vars(self.model).items()):
            if isinstance(value, keras.optimizers.Optimizer) and all(value is not o for o in found.values()):
                found[name] = value
        return found

    def _remove_stale_files(self, keep):
        """Deletes temporary files of interrupted saves and unreferenced checkpoints."""
        for path in glob.glob(os.path.join(glob.escape(self.backup_dir), _PARTIAL_PREFIX + "*")):
            os.remove(path)
        pattern = WEIGHTS_FILENAME.replace("{epoch:06d}", "*")
        for path in glob.glob(os.path.join(glob.escape(self.backup_dir), pattern)):
            if keep is None or os.path.abspath(path) != os.path.abspath(keep):
                os.remove(path)

    def on_train_begin(self, logs=None):
        self.model._initial_epoch = None
        self.restored_epoch = None
        self.checkpoint_path = None
        steps_done = 0
        self._acquire_lock()
        try:
            metadata = self._read_pointer()
            if metadata is not None:
                self._check_ownership(metadata)
        except BaseException:
            self._release_lock()
            raise
        if metadata is not None:
            path = os.path.join(self.backup_dir, metadata["weights"])
            if os.path.islink(path) or not os.path.isfile(path):
                self._release_lock()
                raise ValueError(
                    f"The backup pointer {self._pointer_path} names {path}, which "
                    f"{'is a symbolic link' if os.path.islink(path) else 'does not exist'}; expected a complete "
                    "TrainingBackup folder. Delete the folder to start from scratch. "
                    f"Received: backup_dir={self.backup_dir!r}"
                )
            self._restore(path, metadata)
            self.checkpoint_path = path
            self.restored_epoch = int(metadata["epoch"])
            steps_done = int(metadata["step"])
            # Read by `fit()` right after `on_train_begin` (as Keras'
            # BackupAndRestore does): the first epoch to run.
            self.model._initial_epoch = self.restored_epoch
        if os.path.isdir(self.backup_dir):
            self._remove_stale_files(keep=self.checkpoint_path)
        self._start_counting(steps_done)

    def _check_ownership(self, metadata):
        """The backup must belong to this model and to a run this `fit()` continues."""
        fingerprint = model_fingerprint(self.model)
        if metadata["model"] != fingerprint:
            raise ValueError(
                f"The backup in {self.backup_dir} belongs to another model (fingerprint {metadata['model']}, "
                f"this {type(self.model).__name__} has {fingerprint}): refusing to take over its state. "
                "Give this run its own backup_dir, or delete that folder."
            )
        epochs = (self.params or {}).get("epochs")
        if epochs is not None and metadata["epoch"] > epochs:
            raise ValueError(
                f"The backup in {self.backup_dir} holds {metadata['epoch']} completed epochs, more than this fit() "
                f"runs (epochs={epochs}): it belongs to another run, and resuming would train nothing and delete "
                "it. Give this run its own backup_dir, or delete that folder."
            )

    def _restore(self, path, metadata):
        variables = self.model.trainable_variables
        optimizers = self._optimizers()
        for name, indices in metadata["optimizers"].items():
            optimizer = optimizers.get(name)
            if (
                optimizer is None
                or not isinstance(indices, list)
                or any(not isinstance(i, int) or not 0 <= i < len(variables) for i in indices)
            ):
                raise ValueError(
                    f"The backup {path} holds the state of optimizer `{name}` for "
                    f"{len(indices)} variables, which this model cannot take: expected the "
                    "model the backup was made from. Received: a "
                    f"{type(self.model).__name__} with optimizers {sorted(optimizers)}"
                )
            if not optimizer.built:
                # Keras skips (with a warning) the state of an unbuilt optimizer.
                optimizer.build([variables[i] for i in indices])
        try:
            self.model.load_weights(path)
        except Exception as error:  # h5py and Keras raise many types for a damaged file.
            self._release_lock()
            raise ValueError(
                f"The backup weights {path} cannot be read ({type(error).__name__}: {error}); the file is damaged. "
                "Delete the backup folder to start from scratch."
            ) from None

    # -- save ------------------------------------------------------------------

    def on_epoch_end(self, epoch, logs=None):
        super().on_epoch_end(epoch, logs)
        if (epoch + 1) % self.every_n_epochs == 0:
            self.save(epoch + 1)

    def on_train_end(self, logs=None):
        self.model._initial_epoch = None
        if self.delete_checkpoint and os.path.isdir(self.backup_dir):
            self._remove_stale_files(keep=None)
            if os.path.exists(self._pointer_path):
                os.remove(self._pointer_path)
            self._release_lock(remove_file=True)
            if not os.listdir(self.backup_dir):
                os.rmdir(self.backup_dir)
            self.checkpoint_path = None
        self._release_lock()

    def _check(self, logs, step):
        if self.stop_on_divergence:
            super()._check(logs, step)

    def _last_good_checkpoint(self):
        return self.checkpoint_path

    def _check_weights(self):
        for variable in self.model.variables:
            if not np.issubdtype(np.dtype(variable.dtype), np.floating):
                continue
            values = keras.ops.convert_to_numpy(variable)
            if not np.all(np.isfinite(values)):
                raise DivergenceError(
                    f"weight {variable.path}", "non-finite", None, self._epoch + 1, self.checkpoint_path
                )

    def _optimizer_indices(self):
        position = {id(v): i for i, v in enumerate(self.model.trainable_variables)}
        indices = {}
        for name, optimizer in self._optimizers().items():
            served = getattr(optimizer, "_trainable_variables", None)
            if not optimizer.built or not served:
                continue
            if any(id(v) not in position for v in served):
                raise ValueError(
                    f"TrainingBackup saves optimizers that update the model's own trainable "
                    f"variables; `{name}` updates others. Received: a "
                    f"{type(self.model).__name__} whose `{name}` serves {len(served)} variables"
                )
            indices[name] = [position[id(v)] for v in served]
        return indices

    def save(self, epoch: int) -> str:
        """Saves the training state now, as the checkpoint after `epoch` completed epochs.

        Args:
            epoch: Completed epochs, counted from 1.

        Returns:
            The path of the weights file written.

        Raises:
            DivergenceError: With `stop_on_divergence`, if a weight is NaN or
                infinite (nothing is written).
        """
        if self.stop_on_divergence:
            self._check_weights()
        self._acquire_lock()
        name = WEIGHTS_FILENAME.format(epoch=epoch)
        path = os.path.join(self.backup_dir, name)
        partial = f"{_PARTIAL_PREFIX}{os.getpid()}-{uuid.uuid4().hex}"
        # Keras picks the format from the name, so the temporary file keeps
        # the `.weights.h5` ending.
        temporary_weights = os.path.join(self.backup_dir, partial + ".weights.h5")
        temporary_pointer = os.path.join(self.backup_dir, partial + ".json")
        metadata = {
            "format": _FORMAT_VERSION,
            "epoch": epoch,
            "step": self._steps_before_epoch,
            "weights": name,
            "optimizers": self._optimizer_indices(),
            "model": model_fingerprint(self.model),
        }
        try:
            self.model.save_weights(temporary_weights)
            _fsync(temporary_weights)
            os.replace(temporary_weights, path)
            with open(temporary_pointer, "w", encoding="utf-8") as file:
                json.dump(metadata, file)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary_pointer, self._pointer_path)
            _fsync_directory(self.backup_dir)
        except BaseException as error:
            for leftover in (temporary_weights, temporary_pointer):
                if os.path.exists(leftover):
                    os.remove(leftover)
            if isinstance(error, OSError):  # A full disk, a read-only folder, a lost mount.
                intact = self.checkpoint_path or "none was written before"
                raise OSError(
                    error.errno,
                    f"TrainingBackup could not write the checkpoint of epoch {epoch} into {self.backup_dir} "
                    f"({error.strerror or error}). The pointer still names the previous checkpoint, which is "
                    f"intact: {intact}",
                ) from error
            raise
        previous = self.checkpoint_path
        self.checkpoint_path = path
        if previous is not None and os.path.abspath(previous) != os.path.abspath(path):
            if os.path.exists(previous):
                os.remove(previous)
        return path


def _fsync(path):
    with open(path, "rb") as file:
        os.fsync(file.fileno())


def _fsync_directory(directory):
    # Makes the renames durable on POSIX; Windows cannot open folders.
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
