"""Tests of `ClassSampleGrid`."""

import imageio.v3 as iio
import numpy as np
import pytest

from gankit.models.cgan import build_cgan
from gankit.training.conditional_callbacks import ClassSampleGrid


def test_writes_one_row_per_class(tmp_path):
    cgan = build_cgan(3, 4, (8, 8, 1))
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (4, 8, 8, 1)).astype("float32")
    labels = np.array([0, 1, 2, 0])
    callback = ClassSampleGrid(str(tmp_path / "grids"), every_n_epochs=2, samples_per_class=2)
    cgan.fit(images, labels, batch_size=4, epochs=2, verbose=0, callbacks=[callback])
    assert len(callback.paths) == 1 and callback.paths[0].endswith("class_samples_epoch_0002.png")
    grid = iio.imread(callback.paths[0])
    # 3 rows and 2 columns of 8-pixel images with 2-pixel padding between cells.
    assert grid.shape[:2] == (3 * 8 + 2 * 2, 2 * 8 + 1 * 2)


def test_bad_arguments():
    with pytest.raises(ValueError, match="every_n_epochs"):
        ClassSampleGrid("x", every_n_epochs=0)
    with pytest.raises(TypeError, match="seed"):
        ClassSampleGrid("x", seed=1.5)
