"""Tests for `data_loaders.folders` on image folders written by cv2 and imageio."""

import os
import warnings

import cv2
import imageio.v3 as iio
import numpy as np
import pytest

from data_loaders import _images
from data_loaders import folders

RED = (255, 0, 0)
GREEN = (0, 255, 0)
BLUE = (0, 0, 255)


def solid(color, size=(8, 8)):
    return np.broadcast_to(np.array(color, np.uint8), (*size, 3)).copy()


@pytest.fixture
def mixed_dir(tmp_path):
    """png (imageio), jpg and bmp (cv2), a nested file, a corrupt jpg, a txt."""
    root = tmp_path / "mixed"
    for sub in ("cats", "dogs/puppies"):
        (root / sub).mkdir(parents=True)
    iio.imwrite(root / "cats" / "a.png", solid(RED))  # imageio writes RGB.
    cv2.imwrite(str(root / "cats" / "b.jpg"), solid(GREEN)[..., ::-1])  # cv2 writes BGR.
    cv2.imwrite(str(root / "dogs" / "c.bmp"), solid(BLUE)[..., ::-1])
    iio.imwrite(root / "dogs" / "puppies" / "d.PNG", solid(RED, (4, 4)), extension=".png")
    (root / "dogs" / "bad.jpg").write_bytes(b"this is not a jpeg")
    (root / "notes.txt").write_text("not an image")
    (root / ".DS_Store").write_bytes(b"\x00")  # Hidden: ignored, not counted.
    return str(root)


@pytest.fixture
def noise_dir(tmp_path, noise_images):
    """Ten random (asymmetric) 8x8 RGB PNG images, lossless."""
    root = tmp_path / "noise"
    root.mkdir()
    for index, image in enumerate(noise_images(10, (8, 8, 3), seed=4)):
        iio.imwrite(root / f"{index:02d}.png", image)
    return str(root)


def test_reads_every_format_recursively_and_warns_once(mixed_dir):
    with pytest.warns(UserWarning) as record:
        images, labels, class_names = folders.load_image_folder_arrays(mixed_dir, image_size=8)
    assert len(record) == 1
    message = str(record[0].message)
    assert message.startswith("Skipped 2 of 6 files")
    assert "dogs/bad.jpg" in message and "notes.txt" in message
    assert images.shape == (4, 8, 8, 3) and images.dtype == np.uint8
    # Sorted paths: cats/a.png, cats/b.jpg, dogs/c.bmp, dogs/puppies/d.PNG.
    np.testing.assert_array_equal(images[0], solid(RED))
    np.testing.assert_allclose(images[1], solid(GREEN), atol=4)  # JPEG is lossy.
    np.testing.assert_array_equal(images[2], solid(BLUE))
    np.testing.assert_array_equal(images[3], solid(RED))  # Enlarged from 4x4.
    np.testing.assert_array_equal(labels, [0, 0, 1, 1])
    assert class_names == ("cats", "dogs")


def test_grayscale_has_one_channel(mixed_dir):
    with pytest.warns(UserWarning):
        images, _, _ = folders.load_image_folder_arrays(mixed_dir, image_size=(4, 6), color_mode="grayscale")
    assert images.shape == (4, 4, 6, 1)


def test_center_crop_versus_plain_resize(tmp_path):
    image = np.concatenate([solid(RED, (8, 8)), solid(GREEN, (8, 8)), solid(BLUE, (8, 8))], axis=1)
    iio.imwrite(tmp_path / "wide.png", image)  # 8 x 24: red | green | blue.
    center, _, _ = folders.load_image_folder_arrays(str(tmp_path), image_size=8, interpolation="nearest")
    np.testing.assert_array_equal(center[0], solid(GREEN))
    whole, _, _ = folders.load_image_folder_arrays(
        str(tmp_path), image_size=(8, 3), crop="none", interpolation="nearest"
    )
    np.testing.assert_array_equal(whole[0, :, 0], solid(RED, (8, 1))[:, 0])
    np.testing.assert_array_equal(whole[0, :, 2], solid(BLUE, (8, 1))[:, 0])


def test_labels_are_none_when_an_image_lies_at_the_top(mixed_dir):
    iio.imwrite(os.path.join(mixed_dir, "top.png"), solid(RED))
    with pytest.warns(UserWarning):
        _, labels, class_names = folders.load_image_folder_arrays(mixed_dir, image_size=8)
    assert labels is None and class_names == ()
    with pytest.warns(UserWarning), pytest.raises(ValueError, match="class sub-folder"):
        folders.image_folder(mixed_dir, image_size=8, batch_size=1, with_labels=True)


def test_with_labels_yields_sub_folder_ids(mixed_dir):
    with pytest.warns(UserWarning):
        dataset = folders.image_folder(mixed_dir, image_size=8, batch_size=4, shuffle=False, with_labels=True)
    images, labels = next(iter(dataset))
    np.testing.assert_array_equal(labels, [0, 0, 1, 1])
    assert images.dtype.name == "float32" and images.shape == (4, 8, 8, 3)
    np.testing.assert_array_equal(images[0, 0, 0], [1.0, -1.0, -1.0])  # Red.


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="No images found"):
        folders.image_folder(str(tmp_path))


def test_folder_without_readable_images_warns_then_errors(tmp_path):
    (tmp_path / "x.jpg").write_bytes(b"garbage")
    with pytest.warns(UserWarning, match="Skipped 1 of 1 files"):
        with pytest.raises(ValueError, match=r"No images found .*\(1 files searched"):
            folders.image_folder(str(tmp_path))


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="must be an existing directory"):
        folders.image_folder(str(tmp_path / "nowhere"))


def test_shared_contract(noise_dir, check_contract):
    check_contract(
        lambda **kwargs: folders.image_folder(noise_dir, image_size=8, **kwargs),
        num_items=10,
        batch_size=3,
        element_shape=(8, 8, 3),
    )


def test_pixels_are_scaled_exactly(noise_dir, noise_images):
    dataset = folders.image_folder(noise_dir, image_size=8, batch_size=10, shuffle=False)
    np.testing.assert_allclose(next(iter(dataset)), noise_images(10, (8, 8, 3), seed=4) / 127.5 - 1, rtol=0, atol=1e-6)


def test_cache_file_is_reused_then_rebuilt_when_the_folder_changes(mixed_dir, tmp_path, monkeypatch):
    cache = str(tmp_path / "decoded.cache")
    with pytest.warns(UserWarning):
        first = folders.load_image_folder_arrays(mixed_dir, image_size=8, cache_file=cache)
    assert os.path.isfile(cache)

    def no_decoding(*args):
        raise AssertionError("decoded although the cache is valid")

    with monkeypatch.context() as patch:
        patch.setattr(_images, "decode_image", no_decoding)
        with pytest.warns(UserWarning, match="Skipped 2 of 6 files"):  # Still reported.
            cached = folders.load_image_folder_arrays(mixed_dir, image_size=8, cache_file=cache)
    np.testing.assert_array_equal(cached[0], first[0])
    np.testing.assert_array_equal(cached[1], first[1])
    assert cached[2] == first[2]

    iio.imwrite(os.path.join(mixed_dir, "cats", "e.png"), solid(BLUE))
    with pytest.warns(UserWarning):
        rebuilt = folders.load_image_folder_arrays(mixed_dir, image_size=8, cache_file=cache)
    assert len(rebuilt[0]) == 5
    with pytest.warns(UserWarning):
        resized = folders.load_image_folder_arrays(mixed_dir, image_size=4, cache_file=cache)
    assert resized[0].shape == (5, 4, 4, 3)


def test_unreadable_cache_file_is_replaced(noise_dir, tmp_path):
    cache = tmp_path / "broken.npz"
    cache.write_bytes(b"not a cache")
    images, _, _ = folders.load_image_folder_arrays(noise_dir, image_size=8, cache_file=str(cache))
    assert len(images) == 10
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # A clean folder gives no warning.
        again, _, _ = folders.load_image_folder_arrays(noise_dir, image_size=8, cache_file=str(cache))
    np.testing.assert_array_equal(again, images)


def test_a_cache_file_that_is_a_folder_is_refused_and_leaves_nothing(tmp_path):
    (tmp_path / "images").mkdir()
    iio.imwrite(tmp_path / "images" / "a.png", np.zeros((8, 8), np.uint8))
    (tmp_path / "cache").mkdir()
    with pytest.raises(ValueError, match="cache_file.*not a folder"):
        folders.load_image_folder_arrays(tmp_path / "images", image_size=8, cache_file=tmp_path / "cache")
    # Even past the argument check (the folder appears during decoding), no temporary file stays.
    with pytest.raises(IsADirectoryError):
        folders._write_cache(str(tmp_path / "cache"), "x", str(tmp_path), np.zeros((1, 8, 8, 1)), None, (), [], 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "images"]


def test_a_cache_holding_a_pickle_is_not_executed_but_rebuilt(tmp_path):
    (tmp_path / "images").mkdir()
    iio.imwrite(tmp_path / "images" / "a.png", np.full((8, 8), 5, np.uint8))
    marker = tmp_path / "executed"

    class RunsCode:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    np.savez(tmp_path / "cache.npz", fingerprint=np.array([RunsCode()], dtype=object))
    images, _, _ = folders.load_image_folder_arrays(
        tmp_path / "images", image_size=8, cache_file=tmp_path / "cache.npz"
    )
    assert int(images.max()) == 5 and not marker.exists()


def test_list_image_files_is_the_loaders_listing(tmp_path):
    import data_loaders

    for relative in ("b.png", "a.JPG", "sub/c.jpeg", "notes.txt", ".hidden.png", ".cache/d.png", "sub/e.bmp"):
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")
    expected = [str(tmp_path / name) for name in ("a.JPG", "b.png", "sub/c.jpeg", "sub/e.bmp")]
    assert data_loaders.list_image_files(tmp_path) == expected
    assert data_loaders.IMAGE_EXTENSIONS == (".bmp", ".jpeg", ".jpg", ".png")
    with pytest.raises(FileNotFoundError, match="directory"):
        data_loaders.list_image_files(tmp_path / "missing")
