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


def test_without_data_dir_reads_keras_download_with_the_safe_reader(cifar_dir, monkeypatch):
    folder, arrays = cifar_dir
    calls = []

    def get_file(**kwargs):
        calls.append(kwargs)
        return os.path.dirname(folder)  # get_file's extract folder holds cifar-10-batches-py.

    monkeypatch.setattr(keras.utils, "get_file", get_file)
    images, labels = cifar.load_cifar10_arrays("train")
    np.testing.assert_array_equal(images, arrays["train"][0])
    np.testing.assert_array_equal(labels, arrays["train"][1])
    # Keras' own archive, cache name and SHA-256 (keras/src/datasets/cifar10.py).
    assert calls == [
        {
            "fname": "cifar-10-batches-py-target",
            "origin": "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
            "extract": True,
            "file_hash": "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
        }
    ]


class _RunsCode:
    """A pickle payload that would run `os.system` when unpickled by `pickle.load`."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize("where", ["data", "labels", "top"])
def test_a_pickle_that_runs_code_is_refused_and_runs_nothing(tmp_path, where):
    marker = tmp_path / "executed"
    payload = _RunsCode(marker)
    batch = {b"data": np.zeros((1, 3072), np.uint8), b"labels": [0]}
    if where == "top":
        batch = payload
    else:
        batch[b"data" if where == "data" else b"labels"] = payload
    with open(tmp_path / "test_batch", "wb") as file:
        pickle.dump(batch, file)
    with pytest.raises(ValueError, match=r"test_batch.*names the global (posix|os)\.system"):
        cifar.load_cifar10_arrays("test", data_dir=str(tmp_path))
    assert not marker.exists()


def test_other_globals_are_refused(tmp_path):
    with open(tmp_path / "test_batch", "wb") as file:
        pickle.dump(
            {b"data": np.zeros((1, 3072), np.uint8), b"labels": [0], b"when": __import__("datetime").date(2020, 1, 1)},
            file,
        )
    with pytest.raises(ValueError, match="datetime.date"):
        cifar.load_cifar10_arrays("test", data_dir=str(tmp_path))


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_arrays_of_every_pickle_protocol_are_read(tmp_path, protocol):
    image = np.arange(3072, dtype=np.uint8).reshape(1, 3072)
    with open(tmp_path / "test_batch", "wb") as file:
        pickle.dump({b"data": image, b"labels": [7], b"filenames": [b"a.png"]}, file, protocol=protocol)
    images, labels = cifar.load_cifar10_arrays("test", data_dir=str(tmp_path))
    np.testing.assert_array_equal(images.transpose(0, 3, 1, 2).reshape(1, -1), image)
    assert labels.tolist() == [7]


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "could not be read"),
        (b"not a pickle at all", "could not be read"),
        (None, "uint8 array of shape"),
    ],
)
def test_garbage_batch_files_name_the_file(tmp_path, content, message):
    path = tmp_path / "test_batch"
    if content is None:
        with open(path, "wb") as file:
            pickle.dump({b"data": [[1, 2, 3]], b"labels": [0]}, file)
    else:
        path.write_bytes(content)
    with pytest.raises(ValueError, match=message) as info:
        cifar.load_cifar10_arrays("test", data_dir=str(tmp_path))
    assert "test_batch" in str(info.value)


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
