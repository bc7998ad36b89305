"""NaN and infinity are refused for every float argument of `gankit.viz`, with the argument named.

`gankit.viz` refused them before with "must be finite."; the message is now
the one every gankit package gives, "must be a finite number.".
"""

import numpy as np
import pytest

from gankit import viz

NON_FINITE = [pytest.param(float("nan"), id="nan"), pytest.param(float("inf"), id="inf")]

IMAGES = np.zeros((2, 4, 4, 1), "float32")
LATENT = np.zeros(3, "float32")


def _generator(latents):
    return np.zeros((len(latents), 4, 4, 1), "float32")


CASES = [
    pytest.param("duration", lambda v, tmp_path: viz.write_gif(IMAGES, tmp_path / "a.gif", duration=v), id="write_gif"),
    pytest.param(
        "value_range[0]",
        lambda v, tmp_path: viz.write_gif(IMAGES, tmp_path / "a.gif", value_range=(v, 1)),
        id="write_gif-value_range",
    ),
    pytest.param("value_range[0]", lambda v, tmp_path: viz.to_uint8(IMAGES, value_range=(v, 1)), id="to_uint8"),
    pytest.param("pad_value", lambda v, tmp_path: viz.image_grid(IMAGES, pad_value=v), id="image_grid-pad_value"),
    pytest.param(
        "value_range[1]", lambda v, tmp_path: viz.image_grid(IMAGES, value_range=(0, v)), id="image_grid-value_range"
    ),
    pytest.param(
        "pad_value",
        lambda v, tmp_path: viz.save_image_grid(IMAGES, tmp_path / "g.png", pad_value=v),
        id="save_image_grid-pad_value",
    ),
    pytest.param(
        "value_range[1]",
        lambda v, tmp_path: viz.write_images(IMAGES, tmp_path / "out", value_range=(0, v)),
        id="write_images-value_range",
    ),
    pytest.param(
        "pad_value",
        lambda v, tmp_path: viz.interpolation_strip(_generator, LATENT, LATENT, 2, pad_value=v),
        id="interpolation_strip-pad_value",
    ),
    pytest.param(
        "value_range[0]",
        lambda v, tmp_path: viz.interpolation_strip(_generator, LATENT, LATENT, 2, value_range=(v, 1)),
        id="interpolation_strip-value_range",
    ),
    pytest.param(
        "figsize[0]",
        lambda v, tmp_path: viz.plot_losses({"d_loss": [1.0, 0.5]}, tmp_path / "l.png", figsize=(v, 5)),
        id="plot_losses-figsize",
    ),
]


@pytest.mark.parametrize("value", NON_FINITE)
@pytest.mark.parametrize("name, call", CASES)
def test_non_finite_float_arguments_are_refused_by_name(name, call, value, tmp_path, assert_refused_by_name):
    assert_refused_by_name(name, call, value, tmp_path)
