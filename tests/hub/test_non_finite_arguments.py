"""NaN and infinity are refused for the float arguments of `gankit.hub`, with the argument named.

`find_closest_latent(learning_rate=nan)` used to run every step and return a
NaN latent; `interpolation_gif(duration=nan)` generated every image before
`write_gif` refused the duration.
"""

import numpy as np
import pytest

from gankit.hub import export_test_progan
from gankit.hub import load_progan

NON_FINITE = [pytest.param(float("nan"), id="nan"), pytest.param(float("inf"), id="inf")]


@pytest.fixture(scope="module")
def progan(tmp_path_factory):
    return load_progan(handle=export_test_progan(tmp_path_factory.mktemp("progan")))


CASES = [
    pytest.param(
        "learning_rate",
        lambda hub, v, tmp_path: hub.find_closest_latent(np.zeros(hub.image_shape), steps=1, learning_rate=v, seed=0),
        id="find_closest_latent-learning_rate",
    ),
    pytest.param(
        "duration",
        lambda hub, v, tmp_path: hub.interpolation_gif(
            np.zeros(hub.latent_dim), np.ones(hub.latent_dim), tmp_path / "walk.gif", steps=2, duration=v
        ),
        id="interpolation_gif-duration",
    ),
]


@pytest.mark.parametrize("value", NON_FINITE)
@pytest.mark.parametrize("name, call", CASES)
def test_non_finite_float_arguments_are_refused_by_name(progan, name, call, value, tmp_path, assert_refused_by_name):
    assert_refused_by_name(name, call, progan, value, tmp_path)
    assert not (tmp_path / "walk.gif").exists()
