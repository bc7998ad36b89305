"""Shared pytest set-up for the gankit suite."""

import os
import re

from gankit.cli import prefer_onednn

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# As the Makefile and the `gankit` command: oneDNN's kernels on every x86 CPU, so a plain
# `pytest` runs what `make test` runs. `TF_ENABLE_ONEDNN_OPTS=0 pytest` runs Eigen's.
prefer_onednn()

import numpy as np  # noqa: E402 (after prefer_onednn, before TensorFlow loads)
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

# Two logical CPU devices so tf.distribute.MirroredStrategy can be tested on
# one CPU. This must run before TensorFlow initialises its devices, which is
# why it lives at conftest import time rather than in a fixture.
_CPUS = tf.config.list_physical_devices("CPU")
try:
    tf.config.set_logical_device_configuration(
        _CPUS[0],
        [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()],
    )
except RuntimeError:  # Devices already initialised by another plugin.
    pass


@pytest.fixture(autouse=True)
def _reset_keras_state():
    """Every test starts from the default dtype policy and a clean graph."""
    import keras

    keras.mixed_precision.set_dtype_policy("float32")
    yield
    keras.mixed_precision.set_dtype_policy("float32")
    # free_memory=False: a full gc.collect() per test would cost ~0.15 s each.
    keras.backend.clear_session(free_memory=False)


@pytest.fixture
def rng():
    """A seeded NumPy generator, one per test."""
    return np.random.default_rng(1234)


@pytest.fixture(scope="session")
def mirrored_strategy():
    """One MirroredStrategy over the two logical CPUs, shared by every test.

    Several strategies in one process can collide on collective-op instance
    keys ("Shape mismatch in the collective instance"), so tests share one.
    """
    devices = [d.name for d in tf.config.list_logical_devices("CPU")][:2]
    if len(devices) < 2:
        pytest.skip("needs two logical CPU devices (configured at the top of tests/conftest.py)")
    return tf.distribute.MirroredStrategy(devices)


@pytest.fixture
def assert_refused_by_name():
    """`check(name, call, *args)`: `call(*args)` raises a one-line ValueError that names
    the argument `name`, says it must be finite and shows the received value."""

    def check(name, call, *args):
        pattern = rf"^`{re.escape(name)}` must (be a finite number|hold finite numbers).* Received: {re.escape(name)}="
        with pytest.raises(ValueError, match=pattern) as error:
            call(*args)
        assert "\n" not in str(error.value)

    return check
