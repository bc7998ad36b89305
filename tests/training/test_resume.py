"""gankit.training.resume: backups that survive a SIGKILL, atomic saves, divergence stops."""

import json
import os
import re
import signal
import subprocess
import sys
import time

import keras
import numpy as np
import pytest
import tensorflow as tf

from gankit.models import GAN
from gankit.training import resume
from gankit.training.resume import CHECKPOINT_FILE
from gankit.training.resume import LOCK_FILE
from gankit.training.resume import DivergenceError
from gankit.training.resume import StopOnDivergence
from gankit.training.resume import TrainingBackup

WORKER = os.path.join(os.path.dirname(__file__), "resume_worker.py")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Generous: a worker imports TensorFlow on 2 shared cores before it trains.
WORKER_DEADLINE_S = 300

LATENT_DIM = 3
FEATURES = 4
STEPS_PER_EPOCH = 4  # 8 samples in batches of 2


def tiny_gan():
    generator = keras.Sequential(
        [keras.Input((LATENT_DIM,)), keras.layers.Dense(FEATURES, activation="tanh")], name="generator"
    )
    discriminator = keras.Sequential([keras.Input((FEATURES,)), keras.layers.Dense(1)], name="discriminator")
    gan = GAN(generator, discriminator, ema_decay=0.9)
    gan.compile(replay_pool_size=4)
    return gan


def data():
    return np.linspace(-1.0, 1.0, 2 * STEPS_PER_EPOCH * FEATURES).reshape(-1, FEATURES).astype("float32")


def fit(gan, epochs, callbacks=()):
    gan.fit(data(), batch_size=2, epochs=epochs, shuffle=False, verbose=0, callbacks=list(callbacks))


def full_state(gan):
    variables = list(gan.variables) + list(gan.d_optimizer.variables) + list(gan.g_optimizer.variables)
    return [keras.ops.convert_to_numpy(v) for v in variables]


def assert_same_state(actual, expected):
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        np.testing.assert_array_equal(a, e)


class Poison(keras.callbacks.Callback):
    """Sets the discriminator's kernel to NaN before train step `step` (from 1)."""

    def __init__(self, step):
        super().__init__()
        self.step = step
        self.seen = 0

    def on_train_batch_begin(self, batch, logs=None):
        self.seen += 1
        if self.seen == self.step:
            kernel = self.model.discriminator.layers[-1].kernel
            kernel.assign(np.full(kernel.shape, np.nan, "float32"))


class Snapshot(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.states = {}

    def on_epoch_end(self, epoch, logs=None):
        self.states[epoch + 1] = full_state(self.model)


# -- in-process: restore, determinism, divergence ----------------------------


def test_backup_restores_the_whole_state_and_continues_like_an_uninterrupted_run(tmp_path):
    keras.utils.set_random_seed(0)
    reference = tiny_gan()
    keras.utils.set_random_seed(0)
    interrupted = tiny_gan()
    snapshot = Snapshot()
    fit(interrupted, 2, [TrainingBackup(tmp_path, delete_checkpoint=False), snapshot])

    keras.utils.set_random_seed(1)  # the new process would not share any RNG state
    resumed = tiny_gan()
    backup = TrainingBackup(tmp_path, delete_checkpoint=False)
    history = resumed.fit(data(), batch_size=2, epochs=2, shuffle=False, verbose=0, callbacks=[backup])
    # Everything was done: no epoch runs again, and the state is the saved one.
    assert backup.restored_epoch == 2 and history.epoch == []
    assert_same_state(full_state(resumed), snapshot.states[2])
    assert int(resumed.step_counter.numpy()) == 2 * STEPS_PER_EPOCH

    fit(reference, 3)
    fit(resumed, 3, [TrainingBackup(tmp_path)])
    # rng_state makes the resumed epoch draw the latents and replay picks of
    # the uninterrupted run, so the weights agree exactly.
    assert_same_state(full_state(resumed), full_state(reference))
    assert not os.path.exists(tmp_path / CHECKPOINT_FILE)  # deleted when fit() completes


def test_replicas_draw_different_latents_from_one_rng_state(mirrored_strategy):
    with mirrored_strategy.scope():
        gan = tiny_gan()
    per_replica = mirrored_strategy.run(tf.function(lambda: gan._sample_latents_tensor(2)))
    first, second = (t.numpy() for t in mirrored_strategy.experimental_local_results(per_replica))
    assert not np.allclose(first, second)
    assert gan.rng_state.numpy()[1] == 1  # advanced once, not once per replica


def test_nan_loss_stops_with_the_loss_step_and_last_good_checkpoint(tmp_path):
    gan = tiny_gan()
    snapshot = Snapshot()
    poisoned_step = STEPS_PER_EPOCH + 3  # third step of epoch 2
    with pytest.raises(DivergenceError) as info:
        fit(gan, 3, [TrainingBackup(tmp_path), snapshot, Poison(poisoned_step)])
    checkpoint = os.path.join(tmp_path, "epoch_000001.weights.h5")
    assert str(info.value) == (
        f"Training diverged: d_loss is nan at step {poisoned_step} (epoch 2); it must stay finite. "
        f"The last good checkpoint is {checkpoint}; run the same script again to resume "
        "from it (e.g. with a lower learning rate)."
    )
    assert (info.value.name, info.value.step, info.value.epoch) == ("d_loss", poisoned_step, 2)
    assert json.loads((tmp_path / CHECKPOINT_FILE).read_text())["epoch"] == 1

    # The last good checkpoint restores the finite state of epoch 1 and trains on.
    restored = tiny_gan()
    backup = TrainingBackup(tmp_path, delete_checkpoint=False)
    restored.fit(data(), batch_size=2, epochs=1, verbose=0, callbacks=[backup])
    assert backup.restored_epoch == 1
    assert_same_state(full_state(restored), snapshot.states[1])
    fit(restored, 3, [TrainingBackup(tmp_path)])
    assert all(np.all(np.isfinite(v)) for v in full_state(restored))


def test_non_finite_weights_are_never_saved(tmp_path):
    gan = tiny_gan()
    # Nothing monitored, so only the check before the save can catch it.
    backup = TrainingBackup(tmp_path, monitor=["not_logged"])
    with pytest.raises(DivergenceError, match=r"weight \S+ is non-finite in epoch 2.*epoch_000001"):
        fit(gan, 2, [backup, Poison(STEPS_PER_EPOCH + 1)])
    assert json.loads((tmp_path / CHECKPOINT_FILE).read_text())["epoch"] == 1
    assert sorted(os.listdir(tmp_path)) == [LOCK_FILE, CHECKPOINT_FILE, "epoch_000001.weights.h5"]


@pytest.mark.parametrize("monitor,name", [(None, "d_loss"), ("g_loss", "g_loss")])
def test_stop_on_divergence_names_the_monitored_loss(monitor, name):
    gan = tiny_gan()
    fit(gan, 1)  # the step count continues from the GAN's step_counter
    with pytest.raises(DivergenceError) as info:
        fit(gan, 2, [StopOnDivergence(monitor), Poison(2)])
    assert str(info.value).startswith(
        f"Training diverged: {name} is nan at step {STEPS_PER_EPOCH + 2} (epoch 1); it must stay "
        "finite. No checkpoint was written before it."
    )


def test_stop_on_divergence_defaults_to_every_loss():
    # The docstring's default: without arguments every log ending in "loss" is watched.
    gan = tiny_gan()
    with pytest.raises(DivergenceError, match="d_loss is nan"):
        fit(gan, 1, [StopOnDivergence(), Poison(2)])


@pytest.mark.parametrize(
    "make,error,match",
    [
        (lambda: TrainingBackup(""), ValueError, "backup_dir"),
        (lambda: TrainingBackup("x", every_n_epochs=0), ValueError, "every_n_epochs"),
        (lambda: TrainingBackup("x", stop_on_divergence="yes"), TypeError, "stop_on_divergence"),
        (lambda: TrainingBackup("x", delete_checkpoint=1), TypeError, "delete_checkpoint"),
        (lambda: StopOnDivergence(monitor=[]), TypeError, "monitor"),
        (lambda: StopOnDivergence(monitor=3), TypeError, "Received: monitor=3"),
    ],
)
def test_bad_arguments_are_refused(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_unreadable_pointer_is_reported(tmp_path):
    (tmp_path / CHECKPOINT_FILE).write_text("{not json")
    with pytest.raises(ValueError, match="cannot be read.*Delete the folder"):
        fit(tiny_gan(), 1, [TrainingBackup(tmp_path)])


@pytest.mark.parametrize("weights", ["../outside.weights.h5", "/etc/passwd", "", None])
def test_pointer_may_only_name_a_file_in_the_backup_folder(tmp_path, weights):
    backup = tmp_path / "backup"
    backup.mkdir()
    (tmp_path / "outside.weights.h5").write_bytes(b"x")
    pointer = {"format": resume._FORMAT_VERSION, "weights": weights, "epoch": 1, "step": 2, "optimizers": {}}
    pointer["model"] = resume.model_fingerprint(tiny_gan())
    (backup / CHECKPOINT_FILE).write_text(json.dumps(pointer))
    with pytest.raises(ValueError, match="plain file name"):
        fit(tiny_gan(), 1, [TrainingBackup(backup)])


def _saved_backup(tmp_path, epochs=1):
    """A backup folder as a run of `epochs` epochs leaves it, and its pointer."""
    backup = tmp_path / "backup"
    fit(tiny_gan(), epochs, [TrainingBackup(backup, delete_checkpoint=False)])
    return backup, json.loads((backup / CHECKPOINT_FILE).read_text())


@pytest.mark.parametrize(
    "change,match",
    [
        ({"epoch": None}, "lacks epoch"),
        ({"optimizers": None}, "lacks optimizers"),
        ({"epoch": -5}, r"bad epoch: expected an integer >= 1. Received: epoch=-5"),
        ({"epoch": 1e6}, r"bad epoch.*Received: epoch=1000000.0"),
        ({"epoch": 10**6}, "holds 1000000 completed epochs, more than this fit"),
        ({"step": "2"}, "bad step"),
        ({"optimizers": []}, "bad optimizers or model"),
        ({"model": "0123456789abcdef"}, "belongs to another model"),
    ],
)
def test_a_tampered_pointer_is_named_and_refused(tmp_path, change, match):
    backup, pointer = _saved_backup(tmp_path)
    for key, value in change.items():
        if value is None:
            del pointer[key]
        else:
            pointer[key] = value
    (backup / CHECKPOINT_FILE).write_text(json.dumps(pointer))
    weights_before = (backup / pointer.get("weights", "epoch_000001.weights.h5")).read_bytes()
    with pytest.raises(ValueError, match=match) as info:
        fit(tiny_gan(), 2, [TrainingBackup(backup)])
    assert str(backup) in str(info.value)
    # Refused, never taken over: the backup is still there, unchanged.
    assert (backup / "epoch_000001.weights.h5").read_bytes() == weights_before


def test_a_symlinked_or_truncated_checkpoint_is_refused(tmp_path):
    backup, pointer = _saved_backup(tmp_path)
    weights = backup / pointer["weights"]
    data = weights.read_bytes()
    outside = tmp_path / "elsewhere.weights.h5"
    outside.write_bytes(data)
    weights.unlink()
    weights.symlink_to(outside)
    with pytest.raises(ValueError, match="is a symbolic link"):
        fit(tiny_gan(), 2, [TrainingBackup(backup)])
    weights.unlink()
    weights.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=rf"{re.escape(str(weights))} cannot be read.*damaged"):
        fit(tiny_gan(), 2, [TrainingBackup(backup)])


def test_a_backup_folder_in_use_by_another_process_is_refused(tmp_path):
    backup = tmp_path / "backup"
    backup.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(backup / LOCK_FILE)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(RuntimeError, match=rf"in use: process {holder.pid} is training into it"):
            fit(tiny_gan(), 1, [TrainingBackup(backup)])
    finally:
        holder.kill()
        holder.wait()
    # The holder died: its lock file is left, but is no lock.
    assert (backup / LOCK_FILE).exists()
    fit(tiny_gan(), 1, [TrainingBackup(backup)])
    assert not backup.exists()  # Finished: backup, pointer and lock file removed.


HOLD_LOCK = """
import fcntl, os, sys, time
descriptor = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(descriptor, fcntl.LOCK_EX)
os.pwrite(descriptor, str(os.getpid()).encode(), 0)
print("locked", flush=True)
time.sleep(600)
"""


# -- subprocesses killed with SIGKILL ------------------------------------------


def start_worker(workdir, *flags):
    os.makedirs(workdir, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen(
        [sys.executable, WORKER, str(workdir), *map(str, flags)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process):
    output, _ = process.communicate(timeout=WORKER_DEADLINE_S)
    assert process.returncode == 0, output


def kill_when_blocked(process, workdir):
    """Polls for the worker's `blocked` marker, then SIGKILLs it."""
    marker = os.path.join(workdir, "blocked")
    deadline = time.monotonic() + WORKER_DEADLINE_S
    while not os.path.exists(marker):
        if process.poll() is not None:
            pytest.fail(f"the worker exited before blocking:\n{process.stdout.read()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the worker did not block in time")
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=WORKER_DEADLINE_S)
    assert process.returncode == -signal.SIGKILL
    os.remove(marker)


def epoch_log(workdir):
    with open(os.path.join(workdir, "epochs.log")) as file:
        entries = [line.split() for line in file.read().splitlines()]
    return [(kind, int(epoch)) for kind, epoch in entries]


def load_state(path):
    with np.load(path) as archive:
        return {key: archive[key] for key in archive.files}


def assert_same_saved_state(actual, expected):
    # Exact: the worker processes run on this machine with the same
    # environment, so an uninterrupted and a resumed run do the same ops on
    # the same batch shapes with the same thread settings.
    assert sorted(actual) == sorted(expected)
    for key in expected:
        np.testing.assert_array_equal(actual[key], expected[key], err_msg=key)


@pytest.mark.slow
@pytest.mark.parametrize("family", ["gan", "cgan", "sgan", "cyclegan", "progressive"])
def test_run_killed_mid_epoch_resumes_after_its_last_checkpoint(tmp_path, family):
    # Every family: its draws come from the checkpointed rng_state (latents,
    # labels, pools, label flips, instance noise, gradient-penalty mixes).
    epochs, killed_in = 4, 3
    reference_dir, run_dir = tmp_path / "reference", tmp_path / "run"
    reference = start_worker(reference_dir, "--epochs", epochs, "--family", family)
    run = start_worker(run_dir, "--epochs", epochs, "--block-at", killed_in, 2, "--family", family)
    kill_when_blocked(run, run_dir)
    assert json.loads((run_dir / "backup" / CHECKPOINT_FILE).read_text())["epoch"] == killed_in - 1
    log_before = epoch_log(run_dir)

    finish(start_worker(run_dir, "--epochs", epochs, "--family", family))
    log_after = epoch_log(run_dir)[len(log_before) :]
    # (a) Epoch 3 was cut short; the restart runs it again from its start,
    # and no completed epoch is lost or repeated.
    assert [e for kind, e in log_before if kind == "end"] == [1, 2]
    assert log_after[0] == ("begin", killed_in)
    ends = [e for kind, e in log_before + log_after if kind == "end"]
    assert ends == list(range(1, epochs + 1))
    # (b) The restored state (weights, EMA, optimizers, step counter,
    # rng_state, replay pool) is the state saved after epoch 2.
    assert_same_saved_state(
        load_state(run_dir / "restored.npz"), load_state(run_dir / f"saved_epoch_{killed_in - 1}.npz")
    )
    # (c) ... and the resumed run ends exactly where an uninterrupted one does.
    finish(reference)
    assert_same_saved_state(load_state(run_dir / "final.npz"), load_state(reference_dir / "final.npz"))
    assert not os.path.exists(run_dir / "backup")  # deleted when fit() completes


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["weights", "pointer"])
def test_run_killed_during_a_save_resumes_from_the_previous_checkpoint(tmp_path, stage):
    run_dir = tmp_path / "run"
    run = start_worker(run_dir, "--epochs", 3, "--block-in-save", stage, "--block-epoch", 2)
    kill_when_blocked(run, run_dir)
    files = sorted(os.listdir(run_dir / "backup"))
    log_before = epoch_log(run_dir)

    finish(start_worker(run_dir, "--epochs", 3))
    log_after = epoch_log(run_dir)[len(log_before) :]
    assert log_after[0] == ("begin", 2)
    assert [e for kind, e in log_after if kind == "end"] == [2, 3]
    assert_same_saved_state(load_state(run_dir / "restored.npz"), load_state(run_dir / "saved_epoch_1.npz"))
    assert not os.path.exists(run_dir / "backup")  # leftovers removed, backup deleted at the end
    # What the kill left: the previous checkpoint and a part of the new one.
    partial = [name for name in files if name.startswith(".partial-")]
    complete = [name for name in files if name not in partial and name != LOCK_FILE]
    if stage == "weights":  # a half-written temporary weights file
        assert [name.split(".", 2)[-1] for name in partial] == ["weights.h5"]
        assert complete == [CHECKPOINT_FILE, "epoch_000001.weights.h5"]
    else:  # the new weights are in place; the new pointer is not
        assert [name.split(".", 2)[-1] for name in partial] == ["json"]
        assert complete == [CHECKPOINT_FILE, "epoch_000001.weights.h5", "epoch_000002.weights.h5"]


def test_docstring_examples_run():
    import doctest

    from gankit.training import resume

    results = doctest.testmod(resume, optionflags=doctest.ELLIPSIS)
    assert results.attempted > 0 and results.failed == 0


def test_a_full_disk_names_the_folder_and_keeps_the_previous_checkpoint(tmp_path, monkeypatch):
    gan = tiny_gan()
    backup = TrainingBackup(tmp_path)
    save_weights = gan.save_weights
    calls = []

    def disk_full(path, *args, **kwargs):
        calls.append(path)
        if len(calls) == 2:  # The checkpoint of epoch 2.
            save_weights(path, *args, **kwargs)  # Half written, then the disk is full.
            raise OSError(28, "No space left on device")
        return save_weights(path, *args, **kwargs)

    monkeypatch.setattr(gan, "save_weights", disk_full)
    with pytest.raises(OSError, match=r"epoch 2 into .*No space left on device.*intact: .*epoch_000001\.weights\.h5"):
        fit(gan, 3, [backup])
    assert json.loads((tmp_path / CHECKPOINT_FILE).read_text())["epoch"] == 1
    assert sorted(os.listdir(tmp_path)) == [LOCK_FILE, CHECKPOINT_FILE, "epoch_000001.weights.h5"]
