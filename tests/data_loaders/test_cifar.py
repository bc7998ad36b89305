"""Tests for `data_loaders.cifar`, on tiny `cifar-10-batches-py` fixtures."""

import os
import pickle

import keras
import numpy as np
import pytest

from data_loaders import cifar


def rows_from_images(images):
    """NHWC uint8 -> the CIFAR row layout (1024 R, then G, then B values)."""
    return images.transpose(0, 3, 1, 2).reshape(len(images), -1)


@pytest.fixture
def cifar_dir(tmp_path, noise_images):
    """Five train batches of 2 images each and a test batch of 3."""
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    splits = {"train": [], "test": []}
    for index, name in enumerate([*cifar._BATCH_FILES["train"], "test_batch"]):
        count = 3 if name == "test_batch" else 2
        images = noise_images(count, (32, 32, 3), seed=index)
        labels = [(index + i) % 10 for i in range(count)]
        with open(folder / name, "wb") as file:
            pickle.dump({b"data": rows_from_images(images), b"labels": labels}, file)
        splits["test" if name == "test_batch" else "train"].append((images, labels))
    arrays = {
        split: (np.concatenate([i for i, _ in parts]), np.concatenate([labels for _, labels in parts]))
        for split, parts in splits.items()
    }
    return str(folder), arrays


@pytest.mark.parametrize("split, count", [("train", 10), ("test", 3)])
def test_load_arrays_restores_rgb_pixels_and_labels(cifar_dir, split, count):
    folder, arrays = cifar_dir
    images, labels = cifar.load_cifar10_arrays(split, data_dir=folder)
    assert images.shape == (count, 32, 32, 3) and images.dtype == np.uint8
    np.testing.assert_array_equal(images, arrays[split][0])
    np.testing.assert_array_equal(labels, arrays[split][1])
    assert labels.dtype == np.int32


def test_channel_order_is_rgb(tmp_path):
    image = np.zeros((1, 32, 32, 3), np.uint8)
    image[..., 0], image[..., 1], image[..., 2] = 10, 20, 30
    with open(tmp_path / "test_batch", "wb") as file:
        pickle.dump({b"data": rows_from_images(image), b"labels": [3]}, file)
    images, _ = cifar.load_cifar10_arrays("test", data_dir=str(tmp_path))
    np.testing.assert_array_equal(images[0, 5, 7], [10, 20, 30])


def test_missing_batch_file_is_named(cifar_dir):
    folder, _ = cifar_dir
    os.remove(os.path.join(folder, "data_batch_3"))
    with pytest.raises(FileNotFoundError, match="data_batch_3"):
        cifar.load_cifar10_arrays("train", data_dir=folder)


def test_not_a_batch_file_is_an_error(tmp_path):
    with open(tmp_path / "test_batch", "wb") as file:
        pickle.dump({"something": 1}, file)
    with pytest.raises(ValueError, match="not a CIFAR-10 batch file"):
        cifar.load_cifar10_arrays("test", data_dir=str(tmp_path))


def test_without_data_dir_uses_keras_datasets(monkeypatch):
    train = np.zeros((2, 32, 32, 3), np.uint8), np.array([[1], [2]], np.uint8)
    test = np.ones((1, 32, 32, 3), np.uint8), np.array([[8]], np.uint8)
    monkeypatch.setattr(keras.datasets.cifar10, "load_data", lambda: (train, test))
    images, labels = cifar.load_cifar10_arrays("train")
    np.testing.assert_array_equal(images, train[0])
    np.testing.assert_array_equal(labels, [1, 2])  # Keras' (N, 1) labels flattened.


def test_shared_contract(cifar_dir, check_contract):
    folder, _ = cifar_dir
    check_contract(
        lambda **kwargs: cifar.cifar10(data_dir=folder, image_size=8, **kwargs),
        num_items=10,
        batch_size=4,
        element_shape=(8, 8, 3),
    )


def test_labels_and_classes(cifar_dir):
    folder, arrays = cifar_dir
    dataset = cifar.cifar10(data_dir=folder, batch_size=10, shuffle=False, with_labels=True, drop_remainder=False)
    images, labels = next(iter(dataset))
    np.testing.assert_array_equal(labels, arrays["train"][1])
    np.testing.assert_allclose(images, arrays["train"][0] / 127.5 - 1, rtol=0, atol=1e-6)
    dataset = cifar.cifar10(data_dir=folder, classes=[1, 2], batch_size=1, with_labels=True, seed=0)
    assert sorted(int(labels[0]) for _, labels in dataset) == sorted(
        label for label in arrays["train"][1] if label in (1, 2)
    )
