"""Tests for gankit.training.cycle_callbacks."""

import os

import imageio.v3 as iio
import numpy as np
import pytest
import tensorflow as tf

from gankit.models.cyclegan import build_cyclegan
from gankit.training.cycle_callbacks import TranslationGrid


def test_translation_grid_writes_both_grids(tmp_path, rng):
    model = build_cyclegan((16, 16, 3), generator_filters=2, discriminator_filters=2, pool_size=0)
    a = rng.uniform(-1, 1, (2, 16, 16, 3)).astype("float32")
    b = rng.uniform(-1, 1, (2, 16, 16, 3)).astype("float32")
    callback = TranslationGrid(tmp_path / "grids", a[:2], b[:1], every_n_epochs=2)
    dataset = tf.data.Dataset.from_tensor_slices((a, b)).batch(2)
    model.fit(dataset, epochs=2, verbose=0, callbacks=[callback])
    assert sorted(os.listdir(tmp_path / "grids")) == ["a2b2a_epoch_0002.png", "b2a2b_epoch_0002.png"]
    grid = iio.imread(tmp_path / "grids" / "a2b2a_epoch_0002.png")
    assert grid.shape[0] > grid.shape[1] * 1.2  # 3 rows x 2 columns


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"samples_a": np.zeros((0, 16, 16, 3))}, ValueError),
        ({"samples_b": np.zeros((16, 16, 3))}, ValueError),
        ({"value_range": (0, 255)}, ValueError),
        ({"output_dir": 3}, TypeError),
        ({"every_n_epochs": 0}, ValueError),
    ],
)
def test_translation_grid_rejects_bad_arguments(kwargs, error, tmp_path):
    arguments = {"output_dir": tmp_path, "samples_a": np.zeros((1, 16, 16, 3)), "samples_b": np.zeros((1, 16, 16, 3))}
    arguments.update(kwargs)
    with pytest.raises(error):
        TranslationGrid(**arguments)
