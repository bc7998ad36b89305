import os

import imageio.v3 as iio
import numpy as np
import pytest
import tensorflow as tf

from gankit.viz import image_grid
from gankit.viz import save_image_grid
from gankit.viz import to_uint8


def _numbered(num_images, height=2, width=3, channels=1):
    """Image i is filled with the value i (uint8), so cells can be located."""
    return np.arange(num_images, dtype=np.uint8)[:, None, None, None] * np.ones((1, height, width, channels), np.uint8)


# --- to_uint8 ---------------------------------------------------------------


@pytest.mark.parametrize(
    "values,value_range,expected",
    [
        # (x - low) / (high - low) * 255, rounded half to even: 127.5 -> 128.
        ([-1.0, 0.0, 1.0], (-1, 1), [0, 128, 255]),
        ([0.0, 0.5, 1.0], (0, 1), [0, 128, 255]),
        ([0.0, 1 / 255, 254 / 255], (0, 1), [0, 1, 254]),
        ([-1.0, -1.0 + 2 / 255], (-1, 1), [0, 1]),
        # Round-off just outside the range is clipped.
        ([-0.004, 1.005], (0, 1), [0, 255]),
    ],
)
def test_to_uint8_maps_value_range_to_bytes(values, value_range, expected):
    result = to_uint8(np.array(values, np.float32), value_range)
    assert result.dtype == np.uint8
    np.testing.assert_array_equal(result, expected)


def test_to_uint8_accepts_tensors_and_keeps_uint8():
    np.testing.assert_array_equal(to_uint8(tf.constant([0.0, 1.0])), [0, 255])
    pixels = np.array([[3, 200]], np.uint8)
    assert to_uint8(pixels, value_range=(-1, 1)) is pixels


def test_to_uint8_refuses_wrong_range_with_a_hint():
    with pytest.raises(ValueError, match=r"value_range=\(-1, 1\)"):
        to_uint8(np.array([-1.0, 1.0]), value_range=(0, 1))


@pytest.mark.parametrize(
    "images,value_range,error,match",
    [
        (np.array([0, 255], np.int64), (0, 1), TypeError, "astype"),
        (np.array([0.0, np.nan]), (0, 1), ValueError, "NaN"),
        (np.zeros(2), (1, 0), ValueError, "low < high"),
        (np.zeros(2), 1.0, TypeError, "pair"),
        (np.zeros(2), (0, "1"), TypeError, "value_range"),
    ],
)
def test_to_uint8_bad_input(images, value_range, error, match):
    with pytest.raises(error, match=match):
        to_uint8(images, value_range)


# --- image_grid ---------------------------------------------------------------


def test_grid_places_images_row_by_row_and_fills_empty_cells():
    grid = image_grid(_numbered(5), rows=2, padding=1, pad_value=1.0)
    # 2 rows x 3 columns of 2x3 images with 1-pixel gaps.
    assert grid.shape == (2 * 2 + 1, 3 * 3 + 2)
    for index in range(5):
        row, column = divmod(index, 3)
        top, left = row * 3, column * 4
        np.testing.assert_array_equal(grid[top : top + 2, left : left + 3], index)
    np.testing.assert_array_equal(grid[2, :], 255)  # horizontal gap
    np.testing.assert_array_equal(grid[:, 3], 255)  # vertical gap
    np.testing.assert_array_equal(grid[3:5, 8:11], 255)  # the sixth, empty cell


def test_grid_without_padding_is_a_plain_block():
    images = np.random.default_rng(0).integers(0, 256, (6, 4, 5, 3), dtype=np.uint8)
    expected = np.concatenate([np.concatenate(list(images[3 * r : 3 * r + 3]), axis=1) for r in range(2)], axis=0)
    np.testing.assert_array_equal(image_grid(images, rows=2, padding=0), expected)


@pytest.mark.parametrize(
    "num_images,rows,columns,expected",
    [
        (64, None, None, (8, 8)),  # source 000
        (49, None, None, (7, 7)),  # source 002, CIFAR-10
        (100, None, None, (10, 10)),  # source 002, MNIST
        (5, None, None, (2, 3)),
        (6, 3, None, (3, 2)),
        (6, None, 4, (2, 4)),
        (3, 1, 5, (1, 5)),
    ],
)
def test_grid_shape_follows_rows_and_columns(num_images, rows, columns, expected):
    grid = image_grid(_numbered(num_images, 4, 4), rows, columns, padding=1)
    expected_rows, expected_columns = expected
    assert grid.shape == (expected_rows * 5 - 1, expected_columns * 5 - 1)


@pytest.mark.parametrize(
    "shape,expected",
    [
        ((3, 4, 4), (4, 14)),
        ((3, 4, 4, 1), (4, 14)),
        ((3, 4, 4, 3), (4, 14, 3)),
        ((3, 4, 4, 4), (4, 14, 4)),
    ],
)
def test_grayscale_is_squeezed_and_colour_kept(shape, expected):
    assert image_grid(np.zeros(shape), rows=1, padding=1).shape == expected


def test_value_range_scale_and_pad_value():
    images = np.array([-1.0, 1.0], np.float32).reshape(2, 1, 1, 1)
    grid = image_grid(images, rows=1, padding=1, pad_value=0.0, value_range=(-1, 1), scale=2)
    np.testing.assert_array_equal(grid, [[0, 0, 0, 255, 255], [0, 0, 0, 255, 255]])


def test_too_small_grid_is_refused_not_cropped():
    with pytest.raises(ValueError, match=r"images\[:4\]"):
        image_grid(_numbered(5), rows=2, columns=2)


@pytest.mark.parametrize(
    "images,kwargs,error,match",
    [
        (np.zeros((2, 4, 4, 2)), {}, ValueError, "1, 3 or 4 channels"),
        (np.zeros((4, 4)), {}, ValueError, "shape"),
        (np.zeros((0, 4, 4, 1)), {}, ValueError, "at least one"),
        (np.zeros((2, 4, 4, 1)), {"rows": 0}, ValueError, "rows"),
        (np.zeros((2, 4, 4, 1)), {"columns": 1.5}, TypeError, "columns"),
        (np.zeros((2, 4, 4, 1)), {"padding": -1}, ValueError, "padding"),
        (np.zeros((2, 4, 4, 1)), {"pad_value": 2.0}, ValueError, "pad_value"),
        (np.zeros((2, 4, 4, 1)), {"scale": 0}, ValueError, "scale"),
    ],
)
def test_image_grid_bad_arguments(images, kwargs, error, match):
    with pytest.raises(error, match=match):
        image_grid(images, **kwargs)


# --- save_image_grid ------------------------------------------------------------


def test_save_image_grid_writes_the_grid_as_png(tmp_path):
    images = np.random.default_rng(0).uniform(-1, 1, (4, 8, 8, 3)).astype(np.float32)
    path = tmp_path / "new" / "folder" / "grid.png"
    returned = save_image_grid(images, path, value_range=(-1, 1))
    assert returned == str(path)
    np.testing.assert_array_equal(iio.imread(path), image_grid(images, value_range=(-1, 1)))
    assert os.listdir(path.parent) == ["grid.png"]  # no temporary file left


def test_save_image_grid_grayscale_png_is_single_channel(tmp_path):
    path = save_image_grid(np.ones((4, 8, 8, 1)), tmp_path / "gray.png")
    assert iio.imread(path).shape == (18, 18)


@pytest.mark.parametrize("path,error", [(42, TypeError), ("grid", ValueError)])
def test_save_image_grid_bad_path(tmp_path, path, error):
    if isinstance(path, str):
        path = str(tmp_path / path)
    with pytest.raises(error, match="path"):
        save_image_grid(np.zeros((1, 2, 2, 1)), path)
