import imageio.v3 as iio
import numpy as np
import pytest

from gankit.viz import write_gif


def test_grayscale_frames_round_trip_exactly(tmp_path):
    frames = [np.full((6, 8), value, np.float32) for value in (0.0, 0.5, 1.0)]
    path = write_gif(frames, tmp_path / "fade.gif", duration=0.25)
    assert path == str(tmp_path / "fade.gif")
    read = iio.imread(path, index=None)
    assert read.shape[0] == 3
    gray = read if read.ndim == 3 else read[..., 0]
    np.testing.assert_array_equal(gray[:, 0, 0], [0, 128, 255])
    metadata = iio.immeta(path, index=0)
    assert metadata["duration"] == 250
    assert metadata["loop"] == 0


def test_colour_frames_from_an_array(tmp_path):
    frames = np.zeros((2, 4, 4, 3), np.uint8)
    frames[0, ..., 0] = 255  # red
    frames[1, ..., 2] = 255  # blue
    read = iio.imread(write_gif(frames, tmp_path / "rb.gif"), index=None)
    assert read.shape[:3] == (2, 4, 4)
    np.testing.assert_array_equal(read[..., :3], frames)


def test_single_channel_axis_and_value_range(tmp_path):
    frames = np.array([-1.0, 1.0], np.float32).reshape(2, 1, 1, 1) * np.ones((1, 4, 4, 1))
    read = iio.imread(write_gif(frames, tmp_path / "a.gif", value_range=(-1, 1)), index=None)
    gray = read if read.ndim == 3 else read[..., 0]
    np.testing.assert_array_equal(gray[:, 0, 0], [0, 255])


def test_no_temporary_file_is_left(tmp_path):
    write_gif([np.zeros((2, 2))], tmp_path / "one.gif")
    assert [p.name for p in tmp_path.iterdir()] == ["one.gif"]


@pytest.mark.parametrize(
    "frames,kwargs,error,match",
    [
        ([], {}, ValueError, "at least one"),
        ([np.zeros((2, 2)), np.zeros((3, 3))], {}, ValueError, "same shape"),
        ([np.zeros((2, 2, 2))], {}, ValueError, "channels"),
        ([np.zeros((2, 2))], {"duration": 0.001}, ValueError, "duration"),
        ([np.zeros((2, 2))], {"loop": -1}, ValueError, "loop"),
        ([np.full((2, 2), 2.0)], {}, ValueError, "value_range"),
    ],
)
def test_write_gif_bad_arguments(tmp_path, frames, kwargs, error, match):
    with pytest.raises(error, match=match):
        write_gif(frames, tmp_path / "bad.gif", **kwargs)
