"""Tests for `data_loaders.sklearn_digits` (scikit-learn's bundled digits)."""

import sys

import numpy as np
import pytest

from data_loaders import sklearn_digits

sklearn_datasets = pytest.importorskip("sklearn.datasets", reason="scikit-learn is a test extra")


def test_arrays_are_uint8_scaled_from_0_16():
    images, labels = sklearn_digits.load_digits_arrays()
    raw = sklearn_datasets.load_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.uint8
    assert labels.dtype == np.int32 and labels[0] == 0
    np.testing.assert_array_equal(images, np.rint(raw.images * 255 / 16))
    assert images.min() == 0 and images.max() == 255


def test_gray_levels_map_to_unit_range():
    # Levels 0 and 16 map to -1 and 1 exactly; level 8 to 128 / 127.5 - 1.
    images, _ = sklearn_digits.load_digits_arrays()
    dataset = sklearn_digits.digits(image_size=None, batch_size=1797, shuffle=False)
    out = next(iter(dataset)).numpy()[..., 0]
    raw = sklearn_datasets.load_digits().images
    np.testing.assert_array_equal(out[raw == 0], -1.0)
    np.testing.assert_array_equal(out[raw == 16], 1.0)
    np.testing.assert_allclose(out[raw == 8], 128 / 127.5 - 1, rtol=0, atol=1e-7)
    np.testing.assert_allclose(out, images / 127.5 - 1, rtol=0, atol=1e-6)


def test_default_size_is_28_like_mnist():
    dataset = sklearn_digits.digits(seed=0)
    assert tuple(dataset.element_spec.shape) == (64, 28, 28, 1)
    assert int(dataset.cardinality()) == 1797 // 64


def test_shared_contract(check_contract):
    check_contract(
        lambda **kwargs: sklearn_digits.digits(image_size=None, **kwargs),
        num_items=1797,
        batch_size=500,
        element_shape=(8, 8, 1),
    )


def test_labels_and_classes():
    dataset = sklearn_digits.digits(classes=[3], with_labels=True, batch_size=50, drop_remainder=False, seed=1)
    labels = np.concatenate([labels.numpy() for _, labels in dataset])
    _, all_labels = sklearn_digits.load_digits_arrays()
    assert len(labels) == np.sum(all_labels == 3) and set(labels) == {3}


def test_missing_scikit_learn_gives_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)  # Makes the import fail.
    with pytest.raises(ImportError, match="pip install scikit-learn"):
        sklearn_digits.load_digits_arrays()
