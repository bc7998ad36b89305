"""NaN and infinity are refused for every float argument of `gankit.training`, with the argument named.

`ProgressiveStage` and `ProgressiveGAN` used to take any value `float()`
accepts, so a NaN penalty weight trained a NaN critic; `fade_alpha` turned a
NaN into alpha 0. `GAN.compile`'s floats are tested with `gankit.models`.
"""

import keras
import pytest

from gankit.models import ProgressiveNetworks
from gankit.training import ProgressiveGAN
from gankit.training import ProgressiveStage
from gankit.training import TrainingGif
from gankit.training import cosine_decay
from gankit.training import fade_alpha

NON_FINITE = [pytest.param(float("nan"), id="nan"), pytest.param(float("inf"), id="inf")]


def _stage(**kwargs):
    generator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4), keras.layers.Reshape((2, 2, 1))])
    discriminator = keras.Sequential([keras.Input((2, 2, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    return ProgressiveStage(generator, discriminator, latent_dim=2, **kwargs)


def _driver(tmp_path, **kwargs):
    networks = ProgressiveNetworks(target_resolution=4, latent_dim=4, filters=4)
    return ProgressiveGAN(networks, tmp_path, num_samples=0, **kwargs)


CASES = [
    pytest.param(
        "gradient_penalty_weight",
        lambda v, tmp_path: _stage(gradient_penalty_weight=v),
        id="ProgressiveStage-gradient_penalty_weight",
    ),
    pytest.param("drift_weight", lambda v, tmp_path: _stage(drift_weight=v), id="ProgressiveStage-drift_weight"),
    pytest.param(
        "learning_rate", lambda v, tmp_path: _driver(tmp_path, learning_rate=v), id="ProgressiveGAN-learning_rate"
    ),
    pytest.param(
        "gradient_penalty_weight",
        lambda v, tmp_path: _driver(tmp_path, gradient_penalty_weight=v),
        id="ProgressiveGAN-gradient_penalty_weight",
    ),
    pytest.param(
        "drift_weight", lambda v, tmp_path: _driver(tmp_path, drift_weight=v), id="ProgressiveGAN-drift_weight"
    ),
    pytest.param("images_seen", lambda v, tmp_path: fade_alpha(v, 40), id="fade_alpha-images_seen"),
    pytest.param("fade_images", lambda v, tmp_path: fade_alpha(10, v), id="fade_alpha-fade_images"),
    pytest.param("duration", lambda v, tmp_path: TrainingGif(tmp_path / "t.gif", duration=v), id="TrainingGif"),
    pytest.param(
        "initial_learning_rate",
        lambda v, tmp_path: cosine_decay(v, decay_steps=10),
        id="cosine_decay-initial_learning_rate",
    ),
    pytest.param("alpha", lambda v, tmp_path: cosine_decay(2e-4, decay_steps=10, alpha=v), id="cosine_decay-alpha"),
]


@pytest.mark.parametrize("value", NON_FINITE)
@pytest.mark.parametrize("name, call", CASES)
def test_non_finite_float_arguments_are_refused_by_name(name, call, value, tmp_path, assert_refused_by_name):
    assert_refused_by_name(name, call, value, tmp_path)
