"""Tests of `data_loaders.labeled.labeled_subset`."""

import numpy as np
import pytest

from data_loaders.labeled import labeled_subset


def data(n=60, num_classes=3):
    images = np.arange(n, dtype="float32").reshape(n, 1, 1, 1)  # image i holds the value i
    return images, np.arange(n) % num_classes


def test_balanced_disjoint_complete():
    images, labels = data()
    xl, yl, xu = labeled_subset(images, labels, num_labeled=9)
    assert xl.shape == (9, 1, 1, 1) and yl.dtype == np.int32 and xu.shape == (51, 1, 1, 1)
    assert np.bincount(yl).tolist() == [3, 3, 3]
    ids_l, ids_u = xl.ravel().astype(int), xu.ravel().astype(int)
    assert not set(ids_l) & set(ids_u)
    assert sorted(np.concatenate([ids_l, ids_u]).tolist()) == list(range(60))
    np.testing.assert_array_equal(labels[ids_l], yl)  # labels stay with their images


def test_reproducible_by_seed():
    images, labels = data()
    a = labeled_subset(images, labels, 6, seed=1)
    b = labeled_subset(images, labels, 6, seed=1)
    c = labeled_subset(images, labels, 6, seed=2)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a[0], c[0])


def test_column_labels_and_explicit_num_classes():
    images, labels = data()
    _, yl, _ = labeled_subset(images, labels[:, None], 6, num_classes=3)
    assert yl.shape == (6,)


def test_errors():
    images, labels = data()
    with pytest.raises(ValueError, match="divisible.*Received: num_labeled=10"):
        labeled_subset(images, labels, 10)
    with pytest.raises(ValueError, match="fewer"):
        labeled_subset(images, labels, 63)
    with pytest.raises(ValueError, match="same length"):
        labeled_subset(images[:5], labels)
    with pytest.raises(ValueError, match="lie in"):
        labeled_subset(images, labels, 6, num_classes=2)
    with pytest.raises(TypeError, match="num_labeled"):
        labeled_subset(images, labels, 6.0)
    with pytest.raises(ValueError, match="labels"):
        labeled_subset(images, labels.astype("float32"), 6)
