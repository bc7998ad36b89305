"""Tests for `data_loaders.cyclegan`: unpaired folders, archives, sneakers/boots."""

import os
import zipfile

import cv2
import imageio.v3 as iio
import keras
import numpy as np
import pytest

from data_loaders import cyclegan
from data_loaders import mnist_family

# Images per folder of the fixture archive.
COUNTS = {"trainA": 8, "trainB": 8, "testA": 2, "testB": 3}


@pytest.fixture
def archive_images(noise_images):
    return {folder: noise_images(count, (8, 8, 3), seed=index) for index, (folder, count) in enumerate(COUNTS.items())}


@pytest.fixture
def apple2orange_zip(tmp_path, archive_images):
    """`apple2orange.zip` laid out like the published archive, PNG inside."""
    path = tmp_path / "downloads" / "apple2orange.zip"
    path.parent.mkdir()
    with zipfile.ZipFile(path, "w") as zipped:
        for folder, images in archive_images.items():
            for index, image in enumerate(images):
                png = cv2.imencode(".png", image[..., ::-1])[1].tobytes()
                zipped.writestr(f"apple2orange/{folder}/{index}_{folder}.png", png)
    return path


@pytest.fixture
def unpaired_dir(tmp_path, apple2orange_zip):
    with zipfile.ZipFile(apple2orange_zip) as zipped:
        zipped.extractall(tmp_path / "extracted")
    return str(tmp_path / "extracted" / "apple2orange")


def test_zip_archive_is_extracted_and_loaded_offline(apple2orange_zip, archive_images, monkeypatch):
    # As documented for offline use: the zip sits in data_dir and
    # download_cyclegan_dataset only extracts it. The URL points nowhere, so
    # no test can reach the network.
    monkeypatch.setattr(cyclegan, "CYCLEGAN_URL", "file:///nonexistent/{name}.zip")
    data_dir = str(apple2orange_zip.parent)
    root = cyclegan.download_cyclegan_dataset("apple2orange", data_dir)
    assert root == os.path.join(data_dir, "apple2orange")
    assert sorted(os.listdir(root)) == ["testA", "testB", "trainA", "trainB"]
    images_a, images_b = cyclegan.load_unpaired_arrays("apple2orange", image_size=8, data_dir=data_dir)
    np.testing.assert_array_equal(images_a, archive_images["trainA"])
    np.testing.assert_array_equal(images_b, archive_images["trainB"])


def test_download_flag_extracts_a_named_dataset(apple2orange_zip, monkeypatch):
    monkeypatch.setattr(cyclegan, "CYCLEGAN_URL", "file:///nonexistent/{name}.zip")
    dataset = cyclegan.unpaired("apple2orange", 8, data_dir=str(apple2orange_zip.parent), download=True, batch_size=4)
    assert int(dataset.cardinality()) == 2


def test_download_skips_an_extracted_dataset(unpaired_dir, monkeypatch):
    def no_download(*args, **kwargs):
        raise AssertionError("get_file called although the data is in place")

    monkeypatch.setattr(keras.utils, "get_file", no_download)
    parent = os.path.dirname(unpaired_dir)
    assert cyclegan.download_cyclegan_dataset("apple2orange", parent) == unpaired_dir


@pytest.mark.parametrize(
    "call",
    [
        lambda: cyclegan.download_cyclegan_dataset("apples2pears"),
        lambda: cyclegan.unpaired("apples2pears"),
    ],
)
def test_unknown_name_lists_the_known_datasets(call):
    with pytest.raises(ValueError, match="horse2zebra.*apples2pears"):
        call()


def test_missing_named_dataset_points_to_the_download_function(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"download_cyclegan_dataset\('horse2zebra'"):
        cyclegan.unpaired("horse2zebra", data_dir=str(tmp_path))


def test_missing_split_folder_names_the_layout(tmp_path):
    (tmp_path / "trainA").mkdir()
    with pytest.raises(FileNotFoundError, match=r"\['trainB'\].*<root>/trainA"):
        cyclegan.unpaired(str(tmp_path))


def test_pairs_come_from_their_domains(unpaired_dir, archive_images):
    dataset = cyclegan.unpaired(unpaired_dir, 8, split="test", batch_size=2, shuffle=False)
    assert int(dataset.cardinality()) == 1  # min(2, 3) // 2.
    a, b = next(iter(dataset))
    np.testing.assert_allclose(a, archive_images["testA"] / 127.5 - 1, rtol=0, atol=1e-6)
    np.testing.assert_allclose(b, archive_images["testB"][:2] / 127.5 - 1, rtol=0, atol=1e-6)


@pytest.mark.parametrize(
    "length, drop_remainder, batches",
    [("min", True, 1), ("min", False, 1), ("max", True, 1), ("max", False, 2)],
)
def test_length_modes_on_unequal_domains(unpaired_dir, length, drop_remainder, batches):
    dataset = cyclegan.unpaired(
        unpaired_dir, 8, split="test", batch_size=2, length=length, drop_remainder=drop_remainder
    )
    assert len(list(dataset)) == int(dataset.cardinality()) == batches


def test_resize_and_grayscale(unpaired_dir):
    dataset = cyclegan.unpaired(unpaired_dir, (4, 6), color_mode="grayscale", batch_size=8)
    assert [tuple(spec.shape) for spec in dataset.element_spec] == [(8, 4, 6, 1)] * 2


def test_shared_contract(unpaired_dir, check_contract):
    check_contract(
        lambda **kwargs: cyclegan.unpaired(unpaired_dir, 8, **kwargs),
        num_items=8,
        batch_size=3,
        element_shape=(8, 8, 3),
    )


def test_sneakers_boots_from_idx_files(idx_dir, idx_arrays, idx_labels):
    sneakers, boots = cyclegan.load_fashion_mnist_sneakers_boots_arrays("train", idx_dir)
    train_images, train_labels = idx_arrays["train"], idx_labels["train"]
    np.testing.assert_array_equal(sneakers, train_images[train_labels == 7])
    np.testing.assert_array_equal(boots, train_images[train_labels == 9])
    dataset = cyclegan.fashion_mnist_sneakers_boots(
        "test", data_dir=idx_dir, batch_size=2, shuffle=False, image_size=12
    )
    a, b = next(iter(dataset))
    assert a.shape == b.shape == (2, 12, 12, 1)


def test_sneakers_boots_shared_contract(idx_dir, check_contract):
    check_contract(
        lambda **kwargs: cyclegan.fashion_mnist_sneakers_boots(data_dir=idx_dir, **kwargs),
        num_items=8,
        batch_size=3,
        element_shape=(6, 6, 1),
    )


def test_sneakers_boots_real_debian_files():
    if not os.path.isdir(mnist_family.DEBIAN_FASHION_MNIST_DIR):
        pytest.skip(
            f"{mnist_family.DEBIAN_FASHION_MNIST_DIR} is absent; install the Debian "
            "package `dataset-fashion-mnist` to test the real sneakers/boots task."
        )
    sneakers, boots = cyclegan.load_fashion_mnist_sneakers_boots_arrays("train")
    assert sneakers.shape == boots.shape == (6000, 28, 28)
    dataset = cyclegan.fashion_mnist_sneakers_boots("test", batch_size=100, seed=0)
    assert int(dataset.cardinality()) == 10


def test_export_unpaired_round_trip(tmp_path, noise_images):
    gray_a, gray_b = noise_images(3, (5, 7), seed=8), noise_images(4, (5, 7), seed=9)
    root = cyclegan.export_unpaired(str(tmp_path / "shoes"), gray_a, gray_b, split="test")
    written = sorted(os.listdir(os.path.join(root, "testA")))
    assert written == ["00000.png", "00001.png", "00002.png"]
    assert iio.imread(os.path.join(root, "testB", "00003.png")).shape == (5, 7)
    images_a, images_b = cyclegan.load_unpaired_arrays(root, (5, 7), split="test", color_mode="grayscale")
    np.testing.assert_array_equal(images_a[..., 0], gray_a)
    np.testing.assert_array_equal(images_b[..., 0], gray_b)
    rgb = noise_images(2, (4, 4, 3), seed=10)
    cyclegan.export_unpaired(str(tmp_path / "rgb"), rgb, rgb)
    np.testing.assert_array_equal(cyclegan.load_unpaired_arrays(str(tmp_path / "rgb"), 4)[0], rgb)


def test_export_unpaired_refuses_overwrite_and_floats(tmp_path, noise_images):
    images = noise_images(2, (4, 4), seed=0)
    cyclegan.export_unpaired(str(tmp_path), images, images)
    with pytest.raises(FileExistsError, match="already holds files"):
        cyclegan.export_unpaired(str(tmp_path), images, images)
    with pytest.raises(TypeError, match="must be a uint8 array"):
        cyclegan.export_unpaired(str(tmp_path / "new"), images / 255.0, images)
