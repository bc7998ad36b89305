"""A training script for tests/training/test_resume.py, run in a subprocess.

It trains a tiny model of one family (`--family`, default `gan`: EMA
generator, replay pool, label flipping, instance noise; the models and data
are those of tests/engine/families.py) on fixed data with a `TrainingBackup`
in `WORKDIR/backup`, and records what the tests check:

- `epochs.log`: `begin N` / `end N` lines (epochs counted from 1), the `end`
  line written after the backup of that epoch;
- `saved_epoch_N.npz`: the full state right after the backup of epoch N;
- `restored.npz`: the full state right after a backup was restored;
- `final.npz`: the full state after `fit()` returns.

Flags make it stop where a test will SIGKILL it: `--block-at EPOCH BATCH`
(inside an epoch, after that batch), `--block-in-save STAGE --block-epoch N`
(inside the save of epoch N: `weights` after half of the temporary weights
file is written, `pointer` after the weights file is in place but before the
pointer names it). It then writes `WORKDIR/blocked` and waits to be killed.
"""

import argparse
import os
import sys
import threading

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from gankit.training.resume import CHECKPOINT_FILE  # noqa: E402
from gankit.training.resume import TrainingBackup  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "engine"))
import families  # noqa: E402


def state(model):
    """Every variable of the model and of its optimizers, by position and path."""
    return families.state(model)


def block(workdir):
    with open(os.path.join(workdir, "blocked"), "w") as file:
        file.write(str(os.getpid()))
    threading.Event().wait()  # until the test kills this process


class Recorder(keras.callbacks.Callback):
    def __init__(self, workdir, backup, block_at):
        super().__init__()
        self.workdir = workdir
        self.backup = backup
        self.block_at = block_at
        self.epoch = None

    def _log(self, line):
        with open(os.path.join(self.workdir, "epochs.log"), "a") as file:
            file.write(line + "\n")

    def on_train_begin(self, logs=None):
        if self.backup.restored_epoch is not None:
            np.savez(os.path.join(self.workdir, "restored.npz"), **state(self.model))

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch + 1
        self._log(f"begin {epoch + 1}")

    def on_train_batch_end(self, batch, logs=None):
        if self.block_at == (self.epoch, batch + 1):
            block(self.workdir)

    def on_epoch_end(self, epoch, logs=None):
        np.savez(os.path.join(self.workdir, f"saved_epoch_{epoch + 1}.npz"), **state(self.model))
        self._log(f"end {epoch + 1}")


class BlockingBackup(TrainingBackup):
    """Blocks inside the save of one epoch, at the given stage."""

    def __init__(self, backup_dir, workdir, stage, epoch):
        super().__init__(backup_dir)
        self.workdir = workdir
        self.stage = stage
        self.block_epoch = epoch
        self.saving_epoch = None

    def save(self, epoch):
        self.saving_epoch = epoch
        return super().save(epoch)


def install_save_blocker(gan, backup):
    if backup.stage == "weights":
        save_weights = gan.save_weights

        def half_written_save(filepath, *args, **kwargs):
            save_weights(filepath, *args, **kwargs)
            if backup.saving_epoch == backup.block_epoch:
                size = os.path.getsize(filepath)
                with open(filepath, "r+b") as file:
                    file.truncate(size // 2)
                block(backup.workdir)

        object.__setattr__(gan, "save_weights", half_written_save)
    else:
        replace = os.replace

        def blocking_replace(source, destination):
            if os.path.basename(destination) == CHECKPOINT_FILE and backup.saving_epoch == backup.block_epoch:
                block(backup.workdir)
            replace(source, destination)

        os.replace = blocking_replace


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("workdir")
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--family", choices=families.FAMILIES, default="gan")
    parser.add_argument("--block-at", type=int, nargs=2, metavar=("EPOCH", "BATCH"))
    parser.add_argument("--block-in-save", choices=("weights", "pointer"))
    parser.add_argument("--block-epoch", type=int)
    args = parser.parse_args(argv)

    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.experimental.enable_op_determinism()
    keras.utils.set_random_seed(0)
    gan = families.build(args.family)
    backup_dir = os.path.join(args.workdir, "backup")
    if args.block_in_save:
        backup = BlockingBackup(backup_dir, args.workdir, args.block_in_save, args.block_epoch)
        install_save_blocker(gan, backup)
    else:
        backup = TrainingBackup(backup_dir)
    recorder = Recorder(args.workdir, backup, tuple(args.block_at) if args.block_at else None)
    gan.fit(families.dataset(args.family), epochs=args.epochs, verbose=0, callbacks=[backup, recorder])
    np.savez(os.path.join(args.workdir, "final.npz"), **state(gan))


if __name__ == "__main__":
    main(sys.argv[1:])
