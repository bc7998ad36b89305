"""Tests of the Progressive GAN networks (tiny configurations)."""

import keras
import numpy as np
import pytest

from gankit.layers import WeightedSum
from gankit.models.progan import ProgressiveNetworks
from gankit.models.progan import ProgressiveStage
from gankit.models.progan import build_progan
from gankit.models.progan import fade_layers
from gankit.models.progan import fade_real_images
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


# A 4x4 image whose 2x2 block means are easy to write down: the blocks
# [[0, 1], [4, 5]], [[2, 3], [6, 7]], [[8, 9], [12, 13]], [[10, 11], [14, 15]]
# average to 2.5, 4.5, 10.5 and 12.5.
HAND_IMAGE = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
HAND_LOW = np.array(
    [[2.5, 2.5, 4.5, 4.5], [2.5, 2.5, 4.5, 4.5], [10.5, 10.5, 12.5, 12.5], [10.5, 10.5, 12.5, 12.5]], "float32"
).reshape(1, 4, 4, 1)


def blend_oracle(images, alpha):
    """NumPy `process_reals`: alpha * x + (1 - alpha) * upsample_nearest(avg_pool_2x2(x))."""
    n, h, w, c = images.shape
    low = images.reshape(n, h // 2, 2, w // 2, 2, c).mean(axis=(2, 4))
    low = np.repeat(np.repeat(low, 2, axis=1), 2, axis=2)
    return alpha * images + (1.0 - alpha) * low


@pytest.mark.parametrize(
    "alpha, expected",
    [(0.0, HAND_LOW), (1.0, HAND_IMAGE), (0.25, 0.25 * HAND_IMAGE + 0.75 * HAND_LOW)],
)
def test_fade_real_images_hand_values(alpha, expected):
    result = np.asarray(fade_real_images(HAND_IMAGE, alpha))
    np.testing.assert_allclose(result, expected, rtol=0, atol=1e-6)  # float32 sums of a few integers
    np.testing.assert_allclose(blend_oracle(HAND_IMAGE, alpha), expected, rtol=0, atol=1e-6)


def test_fade_real_images_matches_the_oracle_on_several_channels():
    images = np.random.default_rng(0).uniform(-1, 1, (3, 8, 8, 2)).astype("float32")
    # Tolerance: a few float32 ulp of values in [-1, 1] (one mean of four, one blend).
    np.testing.assert_allclose(fade_real_images(images, 0.6), blend_oracle(images, 0.6), rtol=0, atol=1e-6)


@pytest.mark.parametrize(
    "images, alpha, error, match",
    [
        (np.zeros((1, 3, 4, 1), "float32"), 0.5, ValueError, "even height and width"),
        (np.zeros((4, 4, 1), "float32"), 0.5, ValueError, "channels-last"),
        (HAND_IMAGE, 1.5, ValueError, "alpha"),
        (HAND_IMAGE, "0.5", TypeError, "alpha"),
        (HAND_IMAGE, np.array([0.5, 0.5], "float32"), ValueError, "scalar"),
    ],
)
def test_fade_real_images_rejects_bad_input(images, alpha, error, match):
    with pytest.raises(error, match=match):
        fade_real_images(images, alpha)


FIT_IMAGES = np.random.default_rng(3).uniform(-1, 1, (6, 8, 8, 1)).astype("float32")
FIT_ALPHAS = (0.0, 0.4, 0.9)  # one per batch of 2: a value frozen when fit() traces would repeat 0.0


class RecordingStage(ProgressiveStage):
    """Keeps the real images the discriminator's loss received in the last train step."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.received = keras.Variable(np.zeros((2, 8, 8, 1), "float32"), trainable=False, name="received")

    def discriminator_loss(self, batch, fakes):
        self.received.assign(batch["images"])
        return super().discriminator_loss(batch, fakes)


class AlphaPerBatch(keras.callbacks.Callback):
    """Sets a given alpha before each batch and records the reals after it."""

    def __init__(self, alphas):
        super().__init__()
        self.alphas = alphas
        self.received = []

    def on_train_batch_begin(self, batch, logs=None):
        set_fade_alpha([self.model.generator, self.model.discriminator], self.alphas[batch])

    def on_train_batch_end(self, batch, logs=None):
        self.received.append(self.model.received.numpy().copy())


def _recording_stage(blend_reals, resolution=8, fade_in=True):
    networks = ProgressiveNetworks(target_resolution=8, latent_dim=LATENT_DIM, channels=1, filters=4, seed=0)
    stage = RecordingStage(
        networks.generator(resolution, fade_in=fade_in),
        networks.discriminator(resolution, fade_in=fade_in),
        blend_reals=blend_reals,
    )
    stage.compile()
    return stage


@pytest.mark.parametrize("blend_reals", [True, False])
def test_fit_gives_the_discriminator_reals_blended_by_each_batch_alpha(blend_reals):
    stage = _recording_stage(blend_reals)
    recorder = AlphaPerBatch(FIT_ALPHAS)
    stage.fit(FIT_IMAGES, batch_size=2, epochs=1, callbacks=[recorder], verbose=0, shuffle=False)
    assert len(recorder.received) == len(FIT_ALPHAS)
    for index, (alpha, received) in enumerate(zip(FIT_ALPHAS, recorder.received)):
        batch = FIT_IMAGES[2 * index : 2 * index + 2]
        expected = blend_oracle(batch, alpha) if blend_reals else batch
        # A few float32 ulp of values in [-1, 1]; the unblended batch differs by up to ~1.
        np.testing.assert_allclose(received, expected, rtol=0, atol=1e-6)
    if blend_reals:  # the blend really changed the images
        assert np.abs(recorder.received[0] - FIT_IMAGES[:2]).max() > 0.1


def test_stabilization_stage_reals_are_not_blended():
    stage = _recording_stage(True, fade_in=False)
    assert stage.real_fade_layer is None
    recorder = AlphaPerBatch(FIT_ALPHAS)
    stage.fit(FIT_IMAGES[:2], batch_size=2, epochs=1, callbacks=[recorder], verbose=0, shuffle=False)
    np.testing.assert_array_equal(recorder.received[0], FIT_IMAGES[:2])


@pytest.mark.parametrize("blend_reals", [True, False])
def test_stage_keras_file_keeps_blend_reals_and_its_alpha(tmp_path, blend_reals):
    stage = build_progan(
        target_resolution=8,
        latent_dim=LATENT_DIM,
        channels=1,
        filters=4,
        resolution=8,
        alpha=0.0,
        seed=0,
        blend_reals=blend_reals,
    )
    # Set after building, as FadeInScheduler does: only the variable, not the layer's config, holds 0.5.
    set_fade_alpha([stage.generator, stage.discriminator], 0.5)
    assert stage.get_config()["blend_reals"] is blend_reals
    path = tmp_path / "stage.keras"
    stage.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.blend_reals is blend_reals
    images = np.asarray(loaded.unpack_batch(FIT_IMAGES[:2])["images"])
    # The loaded stage blends with the alpha it was saved at (0.5), read from the fade layer's variable.
    expected = blend_oracle(FIT_IMAGES[:2], 0.5) if blend_reals else FIT_IMAGES[:2]
    np.testing.assert_allclose(images, expected, rtol=0, atol=1e-6)


def test_blend_reals_must_be_a_bool():
    with pytest.raises(TypeError, match="blend_reals"):
        build_progan(target_resolution=8, latent_dim=LATENT_DIM, blend_reals=1)
