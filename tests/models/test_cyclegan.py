"""Tests for gankit.models.cyclegan: networks, pool, losses, fit, translate, saving."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from gankit.layers import InstanceNormalization
from gankit.layers import ReflectionPadding2D
from gankit.models.cyclegan import CycleGAN
from gankit.models.cyclegan import build_cyclegan
from gankit.models.cyclegan import build_patch_discriminator
from gankit.models.cyclegan import build_resnet_generator
from gankit.models.cyclegan import build_unet_generator
from gankit.training import LinearDecaySchedule

SHAPE = (16, 16, 3)
METRICS = {"d_a_loss", "d_b_loss", "g_loss", "cycle_loss", "identity_loss", "d_real_loss", "d_fake_loss"}


def tiny(**kwargs):
    options = dict(generator_filters=2, discriminator_filters=2, num_residual_blocks=1, pool_size=4)
    options.update(kwargs)
    return build_cyclegan(SHAPE, **options)


def pairs(rng, n=4, batch=2):
    a = rng.uniform(-1, 1, (n,) + SHAPE).astype("float32")
    b = rng.uniform(-1, 1, (n,) + SHAPE).astype("float32")
    return a, b, tf.data.Dataset.from_tensor_slices((a, b)).batch(batch)


def identity_generator(name):
    inputs = keras.Input(SHAPE)
    dense = keras.layers.Dense(SHAPE[-1], kernel_initializer="identity")  # trainable, y = x
    return keras.Model(inputs, dense(inputs), name=name)


def constant_discriminator(value, name):
    inputs = keras.Input(SHAPE)
    conv = keras.layers.Conv2D(1, 1, kernel_initializer="zeros", bias_initializer=keras.initializers.Constant(value))
    return keras.Model(inputs, conv(inputs), name=name)


# -- networks ------------------------------------------------------------------


@pytest.mark.parametrize("size", [16, 32])
def test_unet_generator_keeps_the_image_shape(size):
    generator = build_unet_generator((size, size, 3), filters=2)
    assert generator.output_shape == (None, size, size, 3)
    out = generator(np.zeros((2, size, size, 3), "float32"))
    assert np.all(np.abs(out) <= 1.0)


def test_resnet_generator_keeps_the_image_shape():
    generator = build_resnet_generator((16, 16, 1), filters=2, num_residual_blocks=2)
    assert generator.output_shape == (None, 16, 16, 1)
    assert not any(isinstance(layer, keras.layers.Lambda) for layer in generator.layers)


@pytest.mark.parametrize("size, num_layers, patch", [(16, 4, 1), (32, 4, 2), (32, 3, 4)])
def test_patch_discriminator_output_is_size_over_2_to_the_layers(size, num_layers, patch):
    discriminator = build_patch_discriminator((size, size, 3), filters=2, num_layers=num_layers)
    assert discriminator.output_shape == (None, patch, patch, 1)
    # No instance norm on the first block (book's d_layer(normalization=False)).
    names = [type(layer).__name__ for layer in discriminator.layers]
    assert names[1:4] == ["Conv2D", "LeakyReLU", "Conv2D"]


def test_reflection_padding_by_hand_and_config():
    x = np.arange(3, dtype="float32").reshape(1, 1, 3, 1)
    layer = ReflectionPadding2D((0, 1))
    np.testing.assert_array_equal(layer(x)[0, 0, :, 0], [1.0, 0.0, 1.0, 2.0, 1.0])
    assert ReflectionPadding2D.from_config(layer.get_config()).padding == (0, 1)
    with pytest.raises(ValueError, match="smaller than the input"):
        ReflectionPadding2D(3)(np.zeros((1, 3, 3, 1), "float32"))


def test_linear_decay_schedule_by_hand_and_config():
    schedule = LinearDecaySchedule(1.0, decay_start_step=10, decay_steps=10)
    values = [float(schedule(step)) for step in (0, 9, 10, 15, 20, 40)]
    np.testing.assert_allclose(values, [1.0, 1.0, 1.0, 0.5, 0.0, 0.0])
    restored = keras.optimizers.schedules.deserialize(keras.optimizers.schedules.serialize(schedule))
    assert restored.get_config() == schedule.get_config()


def test_build_cyclegan_defaults_follow_the_book():
    model = tiny(compile=False)
    assert model.lambda_cycle == 10.0
    assert model.lambda_identity == pytest.approx(9.0)  # 0.9 * lambda_cycle
    assert model.training_options is None


def instance_norms(model):
    return [layer for layer in model.layers if isinstance(layer, InstanceNormalization)]


@pytest.mark.parametrize(
    "normalization, axis, weight_shapes",
    # Paper: per channel, (channels,) weights; the book's keras_contrib layer: axis None, scalars.
    [("instance", -1, lambda layer: {(layer.input.shape[-1],)}), ("keras_contrib", None, lambda layer: {(1,)})],
)
@pytest.mark.parametrize("generator", ["unet", "resnet"])
def test_normalization_option_reaches_all_four_networks(normalization, axis, weight_shapes, generator):
    model = tiny(generator=generator, normalization=normalization, compile=False)
    for network in (model.generator_ab, model.generator_ba, model.discriminator_a, model.discriminator_b):
        layers = instance_norms(network)
        assert layers, network.name
        for layer in layers:
            assert layer.axis == axis
            assert {tuple(w.shape) for w in layer.weights} == weight_shapes(layer)


def test_default_normalization_is_the_papers_per_channel_one():
    default = build_unet_generator(SHAPE, filters=2)
    assert all(layer.axis == -1 for layer in instance_norms(default))


def test_keras_contrib_generator_saves_and_reloads(rng, tmp_path):
    generator = build_unet_generator(SHAPE, filters=2, normalization="keras_contrib")
    images = rng.uniform(-1, 1, (2,) + SHAPE).astype("float32")
    path = str(tmp_path / "generator.keras")
    generator.save(path)
    restored = keras.saving.load_model(path, safe_mode=True)
    assert all(layer.axis is None for layer in instance_norms(restored))
    np.testing.assert_array_equal(restored(images).numpy(), generator(images).numpy())


@pytest.mark.parametrize(
    "builder", [build_unet_generator, build_resnet_generator, build_patch_discriminator, build_cyclegan]
)
def test_builders_reject_an_unknown_normalization(builder):
    with pytest.raises(ValueError, match=r"`normalization` must be one of .*Received: normalization='batch'"):
        builder(SHAPE, normalization="batch")


# -- losses and pool ------------------------------------------------------------


def test_identity_generators_have_zero_cycle_and_identity_loss(rng):
    """G = F = identity: cycle and identity terms vanish; D outputs 0.5 everywhere.

    Generator adversarial: mse(0.5, 1) per domain = 0.25, two domains -> 0.5.
    Discriminator (per domain): 0.5 * (0.5 - 1)**2 + 0.5 * (0.5 - 0)**2 = 0.25.
    """
    model = CycleGAN(
        identity_generator("g_ab"),
        identity_generator("g_ba"),
        constant_discriminator(0.5, "d_a"),
        constant_discriminator(0.5, "d_b"),
        pool_size=0,
    )
    model.compile(g_optimizer=keras.optimizers.SGD(0.0), d_optimizer=keras.optimizers.SGD(0.0))
    _, _, dataset = pairs(rng)
    logs = model.fit(dataset, epochs=1, verbose=0).history
    assert logs["cycle_loss"][0] == 0.0 and logs["identity_loss"][0] == 0.0
    assert logs["g_loss"][0] == pytest.approx(0.5)
    assert logs["d_a_loss"][0] == pytest.approx(0.25) and logs["d_b_loss"][0] == pytest.approx(0.25)


def test_cycle_and_identity_weights_by_hand():
    """G(x) = F(x) = x + 0.5 on zero images: |G(F(x)) - x| = 1, |G(x) - x| = 0.5.

    cycle = lambda_c * (1 + 1) = 2 * 3; identity = lambda_id * (0.5 + 0.5) = 1 * 2.
    """

    def shift(name):
        inputs = keras.Input(SHAPE)
        conv = keras.layers.Conv2D(3, 1, kernel_initializer="zeros", bias_initializer=keras.initializers.Constant(0.5))
        return keras.Model(inputs, keras.layers.Add()([inputs, conv(inputs)]), name=name)

    model = CycleGAN(
        shift("g_ab"),
        shift("g_ba"),
        constant_discriminator(1.0, "d_a"),
        constant_discriminator(1.0, "d_b"),
        lambda_cycle=3.0,
        lambda_identity=2.0,
        pool_size=0,
    )
    model.compile(g_optimizer=keras.optimizers.SGD(0.0), d_optimizer=keras.optimizers.SGD(0.0))
    zeros = np.zeros((2,) + SHAPE, "float32")
    logs = model.train_step((tf.constant(zeros), tf.constant(zeros)))
    assert float(logs["cycle_loss"]) == pytest.approx(6.0)
    assert float(logs["identity_loss"]) == pytest.approx(2.0)
    assert float(logs["g_loss"]) == pytest.approx(8.0)  # adversarial 0: D says 1


# -- training, translation, saving ------------------------------------------------


@pytest.mark.parametrize("generator", ["unet", "resnet"])
def test_fit_gives_finite_losses_and_fills_the_pools(generator, rng):
    model = tiny(generator=generator)
    _, _, dataset = pairs(rng)
    history = model.fit(dataset, epochs=1, verbose=0).history
    assert set(history) == METRICS
    assert all(np.isfinite(values[-1]) for values in history.values())
    # The real and fake terms of both discriminators add up to their losses
    # (epoch means of per-step sums; float32 rounding only).
    terms = history["d_real_loss"][-1] + history["d_fake_loss"][-1]
    assert terms == pytest.approx(history["d_a_loss"][-1] + history["d_b_loss"][-1], rel=1e-5)
    assert int(model.pool_a.count) == int(model.pool_b.count) == 4


@pytest.mark.cpu_invariance
def test_translate_directions_ranges_and_errors(rng):
    model = tiny(compile=False)
    a, b, _ = pairs(rng)
    expected = (model.generator_ab(a).numpy() + 1) / 2
    # Batches of 3 + 1 vs one batch of 4: conv sums are ordered by batch size,
    # more so without AVX-512. Measured up to 1.5e-6 (25 ulp at [0.5, 1),
    # through 8 convs and 7 instance norms) under ONEDNN_MAX_CPU_ISA=AVX2, and
    # 1.0e-6 with Eigen's kernels (TF_ENABLE_ONEDNN_OPTS=0); atol=1e-4 is ~70x
    # that, while a wrong direction or value range is off by >1e-2. (Below,
    # the [0, 1] input mapped back to [-1, 1] need not be bit-equal to `b`
    # either.)
    np.testing.assert_allclose(model.translate(a, "a2b", batch_size=3), expected, atol=1e-4)
    np.testing.assert_allclose(
        model.translate((b + 1) / 2, "b2a", value_range=(0, 1)), (model.generator_ba(b).numpy() + 1) / 2, atol=1e-4
    )
    with pytest.raises(ValueError, match="direction"):
        model.translate(a, "a2c")
    with pytest.raises(ValueError, match="value_range"):
        model.translate(a, value_range=(0, 1))  # values below 0
    with pytest.raises(ValueError, match="shape"):
        model.translate(a[..., :1])


def test_save_and_load_give_identical_translations(rng, tmp_path):
    model = tiny()
    a, b, dataset = pairs(rng)
    model.fit(dataset, epochs=1, verbose=0)
    path = str(tmp_path / "cyclegan.keras")
    model.save(path)
    restored = keras.saving.load_model(path, safe_mode=True)
    assert isinstance(restored, CycleGAN)
    for direction, images in (("a2b", a), ("b2a", b)):
        np.testing.assert_array_equal(restored.translate(images, direction), model.translate(images, direction))
    np.testing.assert_array_equal(restored.pool_a.stored["images"].numpy(), model.pool_a.stored["images"].numpy())
    assert restored.get_config()["lambda_identity"] == model.lambda_identity
    restored.fit(dataset, epochs=1, verbose=0)  # restored optimizers train on


def test_compile_with_linear_decay_builds_schedules(rng):
    model = tiny(compile=False)
    model.compile(decay_start_epoch=1, total_epochs=3, steps_per_epoch=2)
    schedule = model.g_optimizer._learning_rate
    assert isinstance(schedule, LinearDecaySchedule)
    assert (schedule.decay_start_step, schedule.decay_steps) == (2, 4)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"generator": "vgg"}, ValueError, "generator"),
        ({"normalization": "keras-contrib"}, ValueError, "normalization"),
        ({"pool_size": -1}, ValueError, "pool_size"),
        ({"lambda_cycle": "10"}, TypeError, "lambda_cycle"),
        ({"image_shape": (24, 24, 3)}, ValueError, "divisible by 16"),
    ],
)
def test_build_cyclegan_rejects_bad_arguments(kwargs, error, match):
    kwargs = dict(kwargs)
    image_shape = kwargs.pop("image_shape", SHAPE)
    with pytest.raises(error, match=match):
        build_cyclegan(image_shape, generator_filters=2, discriminator_filters=2, compile=False, **kwargs)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"decay_start_epoch": 1}, "needs"),
        ({"decay_start_epoch": 3, "total_epochs": 3, "steps_per_epoch": 1}, "greater"),
    ],
)
def test_compile_rejects_bad_decay(kwargs, match):
    model = tiny(compile=False)
    with pytest.raises(ValueError, match=match):
        model.compile(**kwargs)
    optimizer = keras.optimizers.Adam()
    with pytest.raises(ValueError, match="two optimizer objects"):
        model.compile(g_optimizer=optimizer, d_optimizer=optimizer)


def test_fit_before_compile_raises(rng):
    model = tiny(compile=False)
    a, b, _ = pairs(rng)
    with pytest.raises(RuntimeError, match="compile"):
        model.train_step((a, b))
