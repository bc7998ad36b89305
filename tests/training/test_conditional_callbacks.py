"""Tests of `SampleGrid` on a conditional GAN and of the deprecated `ClassSampleGrid`."""

import imageio.v3 as iio
import numpy as np
import pytest

from gankit.models.cgan import build_cgan
from gankit.training import SampleGrid
from gankit.training.conditional_callbacks import ClassSampleGrid


def fit_with(callback):
    cgan = build_cgan(3, 4, (8, 8, 1))
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (4, 8, 8, 1)).astype("float32")
    labels = np.array([0, 1, 2, 0])
    cgan.fit(images, labels, batch_size=4, epochs=2, verbose=0, callbacks=[callback])
    return cgan


def test_sample_grid_writes_one_row_per_class_of_a_conditional_gan(tmp_path):
    callback = SampleGrid(str(tmp_path / "grids"), every_n_epochs=2, samples_per_class=2, padding=0)
    cgan = fit_with(callback)
    assert len(callback.paths) == 1 and callback.paths[0].endswith("samples_epoch_0002.png")
    grid = iio.imread(callback.paths[0]).astype("float32") / 255.0
    assert grid.shape[:2] == (3 * 8, 2 * 8)  # 3 classes x 2 latents of 8-pixel images
    # Cell (row c, column j) is the image for class c at latent j, the same latents in every row.
    labels = np.repeat(np.arange(3), 2)
    expected = cgan.generate(labels=labels, latents=np.tile(callback.latents, (3, 1)))
    for index, (c, j) in enumerate((c, j) for c in range(3) for j in range(2)):
        cell = grid[8 * c : 8 * c + 8, 8 * j : 8 * j + 8]
        cell = cell if cell.ndim == 2 else cell[..., 0]
        np.testing.assert_allclose(cell, expected[index, ..., 0], atol=1 / 255 + 1e-6)


def test_class_sample_grid_is_deprecated_and_keeps_its_file_names(tmp_path):
    with pytest.warns(DeprecationWarning, match="SampleGrid"):
        callback = ClassSampleGrid(str(tmp_path / "grids"), every_n_epochs=2, samples_per_class=2)
    fit_with(callback)
    assert len(callback.paths) == 1 and callback.paths[0].endswith("class_samples_epoch_0002.png")
    grid = iio.imread(callback.paths[0])
    # 3 rows and 2 columns of 8-pixel images with 2-pixel padding between cells.
    assert grid.shape[:2] == (3 * 8 + 2 * 2, 2 * 8 + 1 * 2)


def test_bad_arguments():
    with pytest.raises(ValueError, match="samples_per_class"):
        SampleGrid("x", samples_per_class=0)
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match="every_n_epochs"):
        ClassSampleGrid("x", every_n_epochs=0)
    with pytest.warns(DeprecationWarning), pytest.raises(TypeError, match="seed"):
        ClassSampleGrid("x", seed=1.5)
