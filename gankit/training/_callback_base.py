"""Shared pieces of gankit's callbacks: file-name checks, the GAN contract, every-N-epochs."""

from __future__ import annotations

import keras

from gankit._checks import check_int


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
