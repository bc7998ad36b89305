"""Tests for the OpenCV helpers (`data_loaders._images`)."""

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


def test_warn_skipped_names_at_most_ten():
    names = [f"f{i}.jpg" for i in range(12)]
    with pytest.warns(UserWarning) as record:
        _images.warn_skipped(names, 20, "files")
    assert len(record) == 1
    assert str(record[0].message) == ("Skipped 12 of 20 files: " + ", ".join(names[:10]) + ", ... (2 more)")
