"""`GeneratorCheckpoint`: the generator saved every N epochs (source 002).

The whole training state is `gankit.training.TrainingBackup`'s (resume.py).
"""

from __future__ import annotations

import os

from gankit._checks import check_path
from gankit.training._callback_base import _check_filename
from gankit.training._callback_base import _EveryNEpochs
from gankit.training._callback_base import _require


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
