import sys

import imageio.v3 as iio
import keras
import numpy as np
import pytest

from gankit.viz import plot_losses


def test_writes_a_png_of_the_requested_size(tmp_path):
    path = plot_losses({"d_loss": [1.4, 1.2, 1.3], "g_loss": [0.7, 0.9]}, tmp_path / "losses.png")
    assert path == str(tmp_path / "losses.png")
    image = iio.imread(path)
    assert image.shape[:2] == (500, 1000)  # figsize (10, 5) at 100 dpi
    assert image.std() > 0  # something was drawn


def test_figure_size_and_subset_of_a_keras_history(tmp_path):
    history = keras.callbacks.History()
    history.history = {"d_loss": [1.0, 0.5], "g_loss": [2.0, 1.0], "d_real_accuracy": [0.5, 0.9]}
    path = plot_losses(history, tmp_path / "h.png", keys=["g_loss", "d_loss"], figsize=(4, 3), dpi=50)
    assert iio.imread(path).shape[:2] == (150, 200)


def test_non_finite_values_are_drawn_as_gaps(tmp_path):
    plot_losses({"d_loss": [1.0, np.nan, 0.5, np.inf]}, tmp_path / "nan.png")
    assert (tmp_path / "nan.png").exists()


def test_leaves_no_pyplot_figures(tmp_path):
    before = sys.modules["matplotlib.pyplot"].get_fignums() if "matplotlib.pyplot" in sys.modules else []
    plot_losses({"a": [1, 2]}, tmp_path / "a.png")
    after = sys.modules["matplotlib.pyplot"].get_fignums() if "matplotlib.pyplot" in sys.modules else []
    assert after == before


@pytest.mark.parametrize(
    "history,kwargs,error,match",
    [
        ([1, 2], {}, TypeError, "map curve names"),
        ({}, {}, ValueError, "no curves"),
        ({"a": [1]}, {"keys": ["b"]}, ValueError, "no curve 'b'"),
        ({"a": [1]}, {"keys": "a"}, TypeError, "keys"),
        ({"a": [[1, 2]]}, {}, ValueError, "1-D"),
        ({"a": [1]}, {"figsize": (0, 3)}, ValueError, "figsize"),
        ({"a": [1]}, {"dpi": 0}, ValueError, "dpi"),
    ],
)
def test_plot_losses_bad_arguments(tmp_path, history, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_losses(history, tmp_path / "bad.png", **kwargs)


def test_plot_losses_needs_a_png_path(tmp_path):
    with pytest.raises(ValueError, match=".png"):
        plot_losses({"a": [1]}, tmp_path / "bad.jpg")
