"""Tests for the OpenCV helpers (`data_loaders._images`)."""

import struct
import zlib

import cv2
import numpy as np
import pytest

from data_loaders import _images


@pytest.mark.parametrize(
    "shape, size, expected_region",
    [
        ((10, 4), (2, 2), (slice(3, 7), slice(0, 4))),  # Tall: centred rows.
        ((4, 10), (2, 2), (slice(0, 4), slice(3, 7))),  # Wide: centred columns.
        ((6, 6), (3, 3), (slice(0, 6), slice(0, 6))),  # Square: unchanged.
        ((6, 12), (2, 1), (slice(0, 6), slice(4, 7))),  # 2:1 -> 6 x 3, left (12 - 3) // 2.
    ],
)
def test_center_crop_takes_the_largest_centred_region(shape, size, expected_region):
    image = np.arange(np.prod(shape)).reshape(*shape, 1)
    np.testing.assert_array_equal(_images.center_crop(image, size), image[expected_region])


@pytest.mark.parametrize(
    "source, target, flag",
    [((20, 20), (8, 8), cv2.INTER_AREA), ((8, 8), (20, 20), cv2.INTER_CUBIC)],
)
def test_auto_interpolation_is_area_to_shrink_and_cubic_to_enlarge(source, target, flag):
    image = np.random.default_rng(0).integers(0, 256, size=(*source, 3), dtype=np.uint8)
    expected = cv2.resize(image, target[::-1], interpolation=flag)
    np.testing.assert_array_equal(_images.resize(image, target), expected)


def test_resize_keeps_the_channel_axis_of_gray_images():
    image = np.zeros((5, 5, 1), np.uint8)
    assert _images.resize(image, (3, 4), "linear").shape == (3, 4, 1)


def test_decode_image_returns_rgb_gray_or_none(tmp_path):
    bgr = np.zeros((3, 3, 3), np.uint8)
    bgr[..., 2] = 255  # Red in OpenCV's BGR order.
    cv2.imwrite(str(tmp_path / "red.png"), bgr)
    red = _images.decode_image(str(tmp_path / "red.png"))
    np.testing.assert_array_equal(red[0, 0], [255, 0, 0])
    assert _images.decode_image(str(tmp_path / "red.png"), "grayscale").shape == (3, 3, 1)
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "junk.png").write_bytes(b"junk")
    assert _images.decode_image(str(tmp_path / "empty.png")) is None
    assert _images.decode_image(str(tmp_path / "junk.png")) is None
    assert _images.decode_image(str(tmp_path / "missing.png")) is None


def _png_declaring(path, width, height):
    """A tiny PNG whose header declares `width` x `height` gray pixels (data truncated)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)))
    return str(path)


def test_images_over_the_pixel_limit_are_never_decoded(tmp_path, monkeypatch):
    bomb = _png_declaring(tmp_path / "bomb.png", 20000, 20000)  # 400 M pixels in ~100 bytes.
    assert _images.declared_pixels(bomb) > _images.MAX_IMAGE_PIXELS
    decoded = []
    monkeypatch.setattr(_images.cv2, "imdecode", lambda *args: decoded.append(args))
    assert _images.decode_image(bomb) is None
    assert decoded == []  # Refused from the header alone.


def test_the_pixel_limit_is_inclusive(tmp_path, monkeypatch):
    cv2.imwrite(str(tmp_path / "small.png"), np.full((8, 8), 7, np.uint8))
    path = str(tmp_path / "small.png")
    assert _images.declared_pixels(path) == 64
    monkeypatch.setattr(_images, "MAX_IMAGE_PIXELS", 64)
    assert _images.decode_image(path, "grayscale").shape == (8, 8, 1)
    monkeypatch.setattr(_images, "MAX_IMAGE_PIXELS", 63)
    assert _images.decode_image(path, "grayscale") is None


def test_an_image_folder_skips_a_bomb_with_the_warning(tmp_path):
    import data_loaders

    cv2.imwrite(str(tmp_path / "a.png"), np.full((8, 8), 9, np.uint8))
    _png_declaring(tmp_path / "bomb.png", 20000, 20000)
    with pytest.warns(UserWarning, match=r"Skipped 1 of 2 .*pixels\): bomb.png"):
        images, _, _ = data_loaders.load_image_folder_arrays(str(tmp_path), image_size=8, color_mode="grayscale")
    assert len(images) == 1


def test_warn_skipped_names_at_most_ten():
    names = [f"f{i}.jpg" for i in range(12)]
    with pytest.warns(UserWarning) as record:
        _images.warn_skipped(names, 20, "files")
    assert len(record) == 1
    assert str(record[0].message) == ("Skipped 12 of 20 files: " + ", ".join(names[:10]) + ", ... (2 more)")
