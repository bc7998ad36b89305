"""Tests of the Progressive GAN networks (tiny configurations)."""

import numpy as np
import pytest

from gankit.layers import WeightedSum
from gankit.models.progan import ProgressiveNetworks
from gankit.models.progan import ProgressiveStage
from gankit.models.progan import build_progan
from gankit.models.progan import fade_layers
from gankit.models.progan import set_fade_alpha

LATENT_DIM = 8


@pytest.fixture(scope="module")
def networks():
    return ProgressiveNetworks(target_resolution=16, latent_dim=LATENT_DIM, channels=1, filters=4, seed=0)


@pytest.mark.parametrize("resolution", [4, 8, 16])
@pytest.mark.parametrize("fade_in", [True, False])
def test_shapes_per_stage(networks, resolution, fade_in):
    g = networks.generator(resolution, alpha=0.5, fade_in=fade_in)
    d = networks.discriminator(resolution, alpha=0.5, fade_in=fade_in)
    images = g(np.random.default_rng(0).standard_normal((4, LATENT_DIM)).astype("float32"))
    assert images.shape == (4, resolution, resolution, 1)
    assert d(images).shape == (4, 1)
    expected = 1 if fade_in and resolution > 4 else 0
    assert len(fade_layers(g)) == expected and len(fade_layers(d)) == expected


def test_layers_shared_across_stages(networks):
    g8, g16 = networks.generator(8), networks.generator(16)
    conv8 = networks.g_layers["g_8_conv1"]
    assert g8.get_layer("g_8_conv1") is conv8 and g16.get_layer("g_8_conv1") is conv8
    assert g8.get_layer("g_8_conv1").kernel is g16.get_layer("g_8_conv1").kernel
    d8, d16 = networks.discriminator(8), networks.discriminator(16)
    assert d8.get_layer("d_4_logit") is d16.get_layer("d_4_logit")


def test_fade_alpha_endpoints(networks):
    """alpha=0 gives the upsampled old toRGB output; alpha=1 the stable network."""
    z = np.random.default_rng(1).standard_normal((2, LATENT_DIM)).astype("float32")
    fade = networks.generator(8)
    old = np.repeat(np.repeat(np.asarray(networks.generator(4)(z)), 2, axis=1), 2, axis=2)
    set_fade_alpha(fade, 0.0)
    np.testing.assert_allclose(fade(z), old, atol=1e-5)
    set_fade_alpha(fade, 1.0)
    np.testing.assert_allclose(fade(z), networks.generator(8, fade_in=False)(z), atol=1e-5)
    assert isinstance(fade.get_layer("g_fade"), WeightedSum)


def test_weights_round_trip(networks, tmp_path):
    path = str(tmp_path / "w.npz")
    networks.save_weights(path)
    other = ProgressiveNetworks(16, LATENT_DIM, channels=1, filters=4, seed=5)
    other.load_weights(path)
    z = np.ones((1, LATENT_DIM), "float32")
    np.testing.assert_array_equal(other.generator(16, fade_in=False)(z), networks.generator(16, fade_in=False)(z))


def test_build_progan():
    stage = build_progan(target_resolution=8, latent_dim=LATENT_DIM, filters=4, resolution=8, alpha=0.25)
    assert isinstance(stage, ProgressiveStage)
    assert stage.training_options["loss"] == "wasserstein" and stage.training_options["drift_weight"] == 0.001
    assert stage.d_optimizer.beta_2 == 0.99 and float(stage.g_optimizer.learning_rate) == pytest.approx(1e-3)
    g, d = stage.generator, stage.discriminator
    assert g.output_shape == (None, 8, 8, 3) and d.output_shape == (None, 1)
    assert float(g.get_layer("g_fade").alpha.numpy()) == 0.25
    assert g.progressive_networks is d.progressive_networks


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"target_resolution": 12}, "power of two"),
        ({"target_resolution": 2}, "power of two"),
        ({"target_resolution": 8, "resolution": 16}, "at most the target"),
        ({"target_resolution": 8, "resolution": 6}, "power of two"),
        ({"target_resolution": 8, "alpha": 1.5}, "alpha"),
        ({"target_resolution": 8, "filters": {4: 8}}, "missing"),
    ],
)
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        build_progan(latent_dim=LATENT_DIM, **kwargs)


def test_type_errors():
    with pytest.raises(TypeError, match="target_resolution"):
        ProgressiveNetworks(target_resolution=8.0)


@pytest.mark.parametrize("alpha", [0.0, 0.5])
def test_stage_models_round_trip_through_keras_files(tmp_path, alpha):
    import keras
    import numpy as np

    from gankit.models import progan

    stage = progan.build_progan(target_resolution=8, latent_dim=8, resolution=8, alpha=alpha, compile=False)
    generator, discriminator = stage.generator, stage.discriminator
    latents = np.random.default_rng(0).normal(size=(2, 8)).astype("float32")
    images = generator(latents).numpy()
    for model, inputs, expected in (
        (generator, latents, images),
        (discriminator, images, discriminator(images).numpy()),
    ):
        path = tmp_path / f"{model.name}.keras"
        model.save(path)
        loaded = keras.saving.load_model(path, safe_mode=True)
        np.testing.assert_array_equal(loaded(inputs).numpy(), expected)
