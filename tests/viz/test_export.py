import os
import zipfile

import imageio.v3 as iio
import keras
import numpy as np
import pytest

from gankit.viz import to_uint8
from gankit.viz import write_images


def _images(num_images, channels=3):
    # Values on the 1/255 grid so the PNG round trip is exact.
    pixels = np.random.default_rng(0).integers(0, 256, (num_images, 8, 8, channels))
    return (pixels / 255.0).astype(np.float32)


class CountingGenerator:
    """A `gan.generate`-style callable that records the batch sizes asked for."""

    def __init__(self, images):
        self.images = images
        self.requests = []

    def __call__(self, count):
        start = sum(self.requests)
        self.requests.append(count)
        return self.images[start : start + count]


def _read_zip(path):
    with zipfile.ZipFile(path) as archive:
        assert all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())
        return {name: iio.imread(archive.read(name)) for name in archive.namelist()}


def test_callable_into_a_zip_is_batched(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the source wrote temporary PNGs into the working folder
    images = _images(10)
    generate = CountingGenerator(images)
    path = write_images(generate, "out/images.zip", 10, batch_size=4)
    assert path == "out/images.zip"
    assert generate.requests == [4, 4, 2]
    members = _read_zip(path)
    assert sorted(members, key=lambda name: int(name[:-4])) == [f"{i}.png" for i in range(10)]
    for index in range(10):
        np.testing.assert_array_equal(members[f"{index}.png"], to_uint8(images[index]))
    assert sorted(os.listdir(tmp_path)) == ["out"]
    assert os.listdir(tmp_path / "out") == ["images.zip"]


def test_array_into_a_folder(tmp_path):
    images = _images(5, channels=1)
    path = write_images(images, tmp_path / "folder", num_images=3)
    assert sorted(os.listdir(path)) == ["0.png", "1.png", "2.png"]
    first = iio.imread(os.path.join(path, "0.png"))
    assert first.shape == (8, 8)  # grayscale PNGs
    np.testing.assert_array_equal(first, to_uint8(images[0, ..., 0]))


@pytest.mark.parametrize("batch_size", [1, 3, 64])
def test_result_does_not_depend_on_batch_size(tmp_path, batch_size):
    images = np.random.default_rng(1).uniform(-1, 1, (7, 4, 4, 3)).astype(np.float32)
    reference = _read_zip(write_images(images, tmp_path / "ref.zip", value_range=(-1, 1)))
    result = _read_zip(write_images(images, tmp_path / "b.zip", batch_size=batch_size, value_range=(-1, 1)))
    assert reference.keys() == result.keys()
    for name in reference:
        np.testing.assert_array_equal(reference[name], result[name])


def test_failure_leaves_no_archive(tmp_path):
    def generate(count):
        if generate.calls:
            raise RuntimeError("generator crashed")
        generate.calls += 1
        return np.zeros((count, 4, 4, 3))

    generate.calls = 0
    with pytest.raises(RuntimeError, match="crashed"):
        write_images(generate, tmp_path / "images.zip", 4, batch_size=2)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    "images,kwargs,error,match",
    [
        (lambda n: np.zeros((n, 4, 4, 3)), {}, ValueError, "num_images"),
        (np.zeros((2, 4, 4, 3)), {"num_images": 3}, ValueError, "exceeds"),
        (lambda n: np.zeros((1, 4, 4, 3)), {"num_images": 2}, ValueError, "returned 1"),
        (lambda n: np.zeros((n, 4, 4, 2)), {"num_images": 2}, ValueError, "channels"),
        (np.zeros((2, 4, 4, 3)), {"batch_size": 0}, ValueError, "batch_size"),
        ("images", {}, TypeError, "callable"),
        (np.full((2, 4, 4, 3), 5.0), {}, ValueError, "value_range"),
    ],
)
def test_write_images_bad_arguments(tmp_path, images, kwargs, error, match):
    with pytest.raises(error, match=match):
        write_images(images, tmp_path / "out", **kwargs)


def test_a_keras_model_is_refused_with_a_hint(tmp_path):
    generator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4)])
    with pytest.raises(TypeError, match="gan.generate"):
        write_images(generator, tmp_path / "out", 2)
