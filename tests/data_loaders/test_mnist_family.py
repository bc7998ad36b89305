"""Tests for `data_loaders.mnist_family`: IDX reading, MNIST, Fashion-MNIST."""

import gzip
import os
import shutil

import keras
import numpy as np
import pytest

from data_loaders import mnist_family

LOADERS = [mnist_family.fashion_mnist, mnist_family.mnist]
ARRAY_LOADERS = [mnist_family.load_fashion_mnist_arrays, mnist_family.load_mnist_arrays]


# IDX parsing.


@pytest.mark.parametrize("name", ["plain", "packed.gz"])
def test_read_idx_plain_and_gzip(tmp_path, idx_writer, name):
    array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    path = idx_writer(tmp_path / name, array)
    result = mnist_family.read_idx(path, expected_magic=mnist_family.IDX_IMAGES_MAGIC)
    np.testing.assert_array_equal(result, array)
    assert result.dtype == np.uint8


def test_read_idx_detects_gzip_from_content_not_name(tmp_path, idx_writer):
    array = np.arange(5, dtype=np.uint8)
    path = idx_writer(tmp_path / "labels-no-suffix", array, compress=True)
    np.testing.assert_array_equal(mnist_family.read_idx(path), array)


def test_read_idx_big_endian_int32(tmp_path, idx_writer):
    array = np.array([[1, -2], [70000, 3]], dtype=">i4")
    result = mnist_family.read_idx(idx_writer(tmp_path / "ints", array))
    np.testing.assert_array_equal(result, [[1, -2], [70000, 3]])
    assert result.dtype == np.dtype("int32") and result.dtype.isnative


def test_read_idx_corrupted_magic_is_an_error(tmp_path):
    path = tmp_path / "bad"
    path.write_bytes(b"\x12\x34\x08\x01" + b"\x00\x00\x00\x01" + b"\x07")
    with pytest.raises(ValueError, match="not an IDX file: its magic number is 0x12340801"):
        mnist_family.read_idx(path)


def test_read_idx_unexpected_magic_names_both_numbers(tmp_path, idx_writer):
    path = idx_writer(tmp_path / "labels", np.zeros(3, np.uint8))
    with pytest.raises(ValueError, match="magic number 0x00000801, expected 0x00000803"):
        mnist_family.read_idx(path, expected_magic=mnist_family.IDX_IMAGES_MAGIC)


def test_read_idx_truncated_is_an_error(tmp_path, idx_writer):
    path = idx_writer(tmp_path / "images", np.zeros((2, 3, 3), np.uint8))
    with open(path, "rb+") as file:
        file.truncate(os.path.getsize(path) - 1)
    with pytest.raises(ValueError, match="truncated or corrupted"):
        mnist_family.read_idx(path)


def test_read_idx_corrupted_gzip_is_an_error(tmp_path):
    path = tmp_path / "broken.gz"
    path.write_bytes(gzip.compress(b"\x00" * 100)[:-12])
    with pytest.raises(ValueError, match="corrupted gzip file"):
        mnist_family.read_idx(path)


# Arrays.


@pytest.mark.parametrize("load", ARRAY_LOADERS)
@pytest.mark.parametrize("split", ["train", "test"])
def test_load_arrays_from_data_dir(load, split, idx_dir, idx_labels, idx_arrays):
    images, labels = load(split, data_dir=idx_dir)
    np.testing.assert_array_equal(images, idx_arrays[split])
    np.testing.assert_array_equal(labels, idx_labels[split])
    assert images.dtype == np.uint8 and labels.dtype == np.int32


def test_missing_idx_file_names_the_expected_files(idx_dir):
    os.remove(os.path.join(idx_dir, "t10k-labels-idx1-ubyte"))
    with pytest.raises(FileNotFoundError, match=r"t10k-labels-idx1-ubyte\[\.gz\]"):
        mnist_family.load_fashion_mnist_arrays("test", data_dir=idx_dir)


def test_images_and_labels_of_different_lengths_are_an_error(idx_dir, idx_writer):
    idx_writer(os.path.join(idx_dir, "t10k-labels-idx1-ubyte"), np.zeros(2, np.uint8))
    with pytest.raises(ValueError, match="do not belong together"):
        mnist_family.load_fashion_mnist_arrays("test", data_dir=idx_dir)


def test_fashion_mnist_prefers_data_dir_then_debian_then_keras(tmp_path, idx_dir, idx_arrays, monkeypatch):
    other = tmp_path / "debian"
    shutil.copytree(idx_dir, other)
    os.remove(other / "train-images-idx3-ubyte.gz")  # Reading it would fail.
    monkeypatch.setattr(mnist_family, "DEBIAN_FASHION_MNIST_DIR", str(other))
    images, _ = mnist_family.load_fashion_mnist_arrays("train", data_dir=idx_dir)
    np.testing.assert_array_equal(images, idx_arrays["train"])
    images, _ = mnist_family.load_fashion_mnist_arrays("test")  # From "Debian".
    np.testing.assert_array_equal(images, idx_arrays["test"])

    # No Debian folder: keras.datasets (replaced here, the real one downloads).
    monkeypatch.setattr(mnist_family, "DEBIAN_FASHION_MNIST_DIR", str(tmp_path / "absent"))
    fake = np.full((2, 28, 28), 9, np.uint8), np.array([[1], [2]], np.uint8)
    monkeypatch.setattr(keras.datasets.fashion_mnist, "load_data", lambda: (fake, (fake[0][:1], fake[1][:1])))
    images, labels = mnist_family.load_fashion_mnist_arrays("train")
    np.testing.assert_array_equal(images, fake[0])
    np.testing.assert_array_equal(labels, [1, 2])
    assert labels.dtype == np.int32


def test_mnist_without_data_dir_uses_keras_datasets(monkeypatch):
    train = np.zeros((3, 28, 28), np.uint8), np.array([4, 5, 6], np.uint8)
    test = np.ones((1, 28, 28), np.uint8), np.array([7], np.uint8)
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: (train, test))
    images, labels = mnist_family.load_mnist_arrays("test")
    np.testing.assert_array_equal(images, test[0])
    np.testing.assert_array_equal(labels, [7])


# Datasets.


@pytest.mark.parametrize("loader", LOADERS)
def test_shared_contract(loader, idx_dir, check_contract):
    check_contract(
        lambda **kwargs: loader("train", data_dir=idx_dir, **kwargs),
        num_items=24,
        batch_size=5,
        element_shape=(6, 6, 1),
    )


@pytest.mark.parametrize("loader", LOADERS)
def test_exact_pixel_values_and_labels(loader, idx_dir, idx_arrays, idx_labels):
    dataset = loader("test", data_dir=idx_dir, batch_size=6, shuffle=False, with_labels=True)
    images, labels = next(iter(dataset))
    np.testing.assert_array_equal(labels, idx_labels["test"])
    first_row = images.numpy()[0, 0, :4, 0]
    np.testing.assert_allclose(first_row, [-1.0, 1.0, 127 / 127.5 - 1, 128 / 127.5 - 1], rtol=0, atol=1e-7)
    np.testing.assert_allclose(images.numpy()[..., 0], idx_arrays["test"] / 127.5 - 1, rtol=0, atol=1e-6)


def test_classes_filter_keeps_original_ids(idx_dir):
    dataset = mnist_family.fashion_mnist(data_dir=idx_dir, classes=[9, 7], batch_size=4, with_labels=True, seed=0)
    labels = np.concatenate([labels.numpy() for _, labels in dataset])
    assert sorted(labels) == [7] * 8 + [9] * 8


def test_image_size_resizes(idx_dir):
    dataset = mnist_family.fashion_mnist(data_dir=idx_dir, image_size=(8, 12), batch_size=4)
    assert tuple(dataset.element_spec.shape) == (4, 8, 12, 1)
    assert next(iter(dataset)).numpy().min() >= -1.0


def test_real_fashion_mnist_debian_files():
    folder = mnist_family.DEBIAN_FASHION_MNIST_DIR
    if not os.path.isdir(folder):
        pytest.skip(
            f"{folder} is absent; install the Debian package `dataset-fashion-mnist` "
            "to test against the real Fashion-MNIST files."
        )
    images, labels = mnist_family.load_fashion_mnist_arrays("train")
    assert images.shape == (60000, 28, 28) and images.dtype == np.uint8
    assert labels[0] == 9  # The first label of the official train file (Ankle boot).
    np.testing.assert_array_equal(np.bincount(labels), [6000] * 10)
    test_images, test_labels = mnist_family.load_fashion_mnist_arrays("test")
    assert test_images.shape == (10000, 28, 28)
    np.testing.assert_array_equal(np.bincount(test_labels), [1000] * 10)
    dataset = mnist_family.fashion_mnist(batch_size=128, seed=0, image_size=32)
    assert int(dataset.cardinality()) == 60000 // 128
    assert next(iter(dataset)).shape == (128, 32, 32, 1)
