"""DCGAN builders: shapes, logits, parameter counts, presets, errors, serialization."""

import keras
import numpy as np
import pytest

from gankit.layers import ConvSN2D
from gankit.layers import DenseSN
from gankit.losses import LOSS_FAMILIES
from gankit.models.dcgan import DCGAN_PRESETS
from gankit.models.dcgan import build_dcgan
from gankit.models.dcgan import build_dcgan_discriminator
from gankit.models.dcgan import build_dcgan_generator
from gankit.models.dcgan import dcgan_preset

PRESETS = tuple(DCGAN_PRESETS)

# Small generic networks: (generator kwargs, discriminator kwargs).
GENERIC = {
    "default": ({}, {}),
    "grayscale_upsample_dropout": (
        dict(latent_dim=8, image_shape=(28, 28, 1), filters=8, upsampling="upsample", dropout=0.3),
        dict(image_shape=(28, 28, 1), filters=8, dropout=0.3),
    ),
    "rectangular_spectral_norm": (
        dict(latent_dim=8, image_shape=(24, 32, 3), filters=4, num_blocks=3, batch_norm=False),
        dict(image_shape=(24, 32, 3), filters=4, num_blocks=3, batch_norm=False, spectral_norm=True),
    ),
    "one_block": (
        dict(latent_dim=4, image_shape=(8, 8, 2), filters=4, kernel_size=3),
        dict(
            image_shape=(8, 8, 2),
            filters=4,
            kernel_size=3,
            negative_slope=0.1,
            kernel_initializer="glorot_uniform",
        ),
    ),
}


def _build_pair(case):
    """(generator, discriminator, latent_dim, image_shape) of a preset or generic case."""
    if case in DCGAN_PRESETS:
        settings = DCGAN_PRESETS[case]
        return (
            build_dcgan_generator(preset=case),
            build_dcgan_discriminator(preset=case),
            settings["latent_dim"],
            settings["image_shape"],
        )
    g_kwargs, d_kwargs = GENERIC[case]
    return (
        build_dcgan_generator(**g_kwargs),
        build_dcgan_discriminator(**d_kwargs),
        g_kwargs.get("latent_dim", 100),
        g_kwargs.get("image_shape", (64, 64, 3)),
    )


def _activation_name(layer):
    activation = getattr(layer, "activation", None)
    return None if activation is None else activation.__name__


def _last_weighted_layer(model):
    return [layer for layer in model.layers if layer.weights][-1]


@pytest.mark.parametrize("case", PRESETS + tuple(GENERIC))
def test_shapes_source_output_range_and_logits(case, rng):
    generator, discriminator, latent_dim, image_shape = _build_pair(case)
    assert (generator.name, discriminator.name) == ("generator", "discriminator")
    assert generator.input_shape == (None, latent_dim)

    # Source 002's MNIST generator ends in sigmoid, pixels in [0, 1]
    # (`Conv2D(1, (7,7), activation='sigmoid')`, `X / 255.0`); every other
    # network in tanh, [-1, 1]. The preset table says the same.
    sigmoid = case == "mlm_mnist"
    if case in PRESETS:
        assert DCGAN_PRESETS[case]["value_range"] == ((0.0, 1.0) if sigmoid else (-1.0, 1.0))
    # Large latents push every unit towards saturation: still in range.
    latents = 10.0 * rng.standard_normal((3, latent_dim)).astype("float32")
    images = keras.ops.convert_to_numpy(generator(latents, training=False))
    assert images.shape == (3, *image_shape)
    assert images.dtype == np.float32
    assert np.all(images >= (0.0 if sigmoid else -1.0)) and np.all(images <= 1.0)
    assert _activation_name(_last_weighted_layer(generator)) == ("sigmoid" if sigmoid else "tanh")

    logits = keras.ops.convert_to_numpy(discriminator(images, training=False))
    assert logits.shape == (3, 1)
    assert logits.dtype == np.float32
    assert np.all(np.isfinite(logits))
    # Logits, not probabilities: no sigmoid (or softmax) anywhere, and a
    # linear output layer.
    names = {_activation_name(layer) for layer in discriminator.layers}
    assert not names & {"sigmoid", "softmax"}
    assert not any(isinstance(layer, keras.layers.Activation) for layer in discriminator.layers)
    assert _activation_name(_last_weighted_layer(discriminator)) == "linear"


# Totals count every weight (batch-norm moving statistics and the spectral-norm
# vectors `u` included), as Keras' summary "Total params" does.
PARAMETER_COUNTS = [
    # Seed 002, MNIST: generator summary lines 1977-1993 (Total params:
    # 1,164,289), discriminator summary lines 1634-1650 (Total 40,705).
    ("mlm_mnist", "generator", 1_164_289, 1_164_289, [633_472, 262_272, 262_272, 6_273]),
    ("mlm_mnist", "discriminator", 40_705, 40_705, [640, 36_928, 3_137]),
    # Seed 002, CIFAR-10: generator lines 584-604 (Total 1,466,115),
    # discriminator lines 215-237 (Total 522,497).
    (
        "mlm_cifar10",
        "generator",
        1_466_115,
        1_466_115,
        [413_696, 524_416, 262_272, 262_272, 3_459],
    ),
    ("mlm_cifar10", "discriminator", 522_497, 522_497, [1_792, 73_856, 147_584, 295_168, 4_097]),
    # Radford, by hand (no biases; batch norm = 2 trainable + 2 moving per unit):
    # G: dense 100*16384 = 1,638,400; BN(16384) 65,536 (32,768 moving);
    # transposed convs 5*5*1024*512 = 13,107,200, 5*5*512*256 = 3,276,800,
    # 5*5*256*128 = 819,200, 5*5*128*3 = 9,600; BNs 2,048 + 1,024 + 512
    # (1,792 moving). Total 18,920,320; trainable 18,920,320 - 34,560.
    ("radford", "generator", 18_920_320, 18_885_760, None),
    # D: convs 5*5*3*128 = 9,600, 5*5*128*256 = 819,200,
    # 5*5*256*512 = 3,276,800, 5*5*512*1024 = 13,107,200; BNs 1,024 + 2,048
    # + 4,096 (3,584 moving); dense 4*4*1024 = 16,384. Total 17,236,352.
    ("radford", "discriminator", 17_236_352, 17_232_768, None),
    # Kaggle dogs, by hand: G dense 128*2048 + 2048 = 264,192; transposed
    # convs (5x5, no bias) 128*512*25 = 1,638,400, 512*256*25 = 3,276,800,
    # 256*128*25 = 819,200, 128*64*25 = 204,800, 64*32*25 = 51,200; BNs
    # 4*(512+256+128+64+32) = 3,968 (1,984 moving); Dense(3) 32*3 + 3 = 99.
    ("kaggle_dogs", "generator", 6_258_659, 6_256_675, None),
    # D: SN convs 3*64*25 = 4,800, 64*64*25 = 102,400, 64*128*25 = 204,800,
    # 128*256*25 = 819,200 and DenseSN 8*8*256 + 1 = 16,385 (trainable), their
    # vectors u 64 + 64 + 128 + 256 + 1 = 513 and BNs 4*(64+128+256) = 1,792
    # (896 moving). Total 1,149,890; trainable 1,148,481.
    ("kaggle_dogs", "discriminator", 1_149_890, 1_148_481, None),
    # Slim (final_size 64, depth 64, latent 64; BN has no gamma: 1 trainable +
    # 2 moving per unit): transposed convs 4*4*64*1024 = 1,048,576,
    # 4*4*1024*384 = 6,291,456, 4*4*384*256 = 1,572,864, 4*4*256*128 = 524,288,
    # 4*4*128*64 + 64 = 131,136; BNs 3*(1024+384+256+128) = 5,376 (3,584
    # moving); 1x1 logits conv 64*3 + 3 = 195.
    ("slim", "generator", 9_573_891, 9_570_307, None),
    # D: convs 4*4*3*64 + 64 = 3,136, then 4*4*c*2c for c = 64..1024:
    # 131,072 + 524,288 + 2,097,152 + 8,388,608 + 33,554,432; BNs
    # 3*(128+256+512+1024+2048) = 11,904 (7,936 moving); 1x1 conv 2,049.
    ("slim", "discriminator", 44_712_641, 44_704_705, None),
    # Upsample (64x64x1, latent 500): G dense 500*32768 + 32768 =
    # 16,416,768; convs 3*3*128*128 + 128 = 147,584 (twice), 3*3*128 + 1 =
    # 1,153; BNs 3*512 = 1,536 (768 moving).
    ("upsample", "generator", 16_714_625, 16_713_857, None),
    # D: convs 9*1*16 + 16 = 160, 9*16*32 + 32 = 4,640, 9*32*64 + 64 = 18,496,
    # 9*64*128 + 128 = 73,856, 9*128*512 + 512 = 590,336; BNs
    # 4*(32+64+128+512) = 2,944 (1,472 moving); dense 2*2*512 + 1 = 2,049.
    ("upsample", "discriminator", 692_481, 691_009, None),
]


@pytest.mark.parametrize("preset, role, total, trainable, per_layer", PARAMETER_COUNTS)
def test_parameter_counts(preset, role, total, trainable, per_layer):
    builder = build_dcgan_generator if role == "generator" else build_dcgan_discriminator
    model = builder(preset=preset)
    assert model.count_params() == total
    assert sum(int(np.prod(w.shape)) for w in model.trainable_weights) == trainable
    if per_layer is not None:
        # Layer by layer, as the tutorial's summary lists them.
        assert [layer.count_params() for layer in model.layers if layer.count_params()] == per_layer


# Composite totals: seed 002 lines 2258-2260 (MNIST) and 887-889 (CIFAR-10).
@pytest.mark.parametrize(
    "preset, total, trainable",
    [("mlm_mnist", 1_204_994, 1_164_289), ("mlm_cifar10", 1_988_612, 1_466_115)],
)
def test_seed_002_composite_model_trains_only_what_it_should(preset, total, trainable, rng):
    # The tutorial's recipe on gankit's builders: a compiled discriminator,
    # frozen inside a Sequential composite trained with train_on_batch. The
    # losses take logits (the builders drop the sigmoid), and accuracy on
    # logits thresholds at 0, not 0.5.
    generator = build_dcgan_generator(preset=preset)
    discriminator = build_dcgan_discriminator(preset=preset)
    discriminator.compile(
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)],
    )
    discriminator.trainable = False
    gan = keras.Sequential([generator, discriminator])
    gan.compile(
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    assert gan.count_params() == total
    assert sum(int(np.prod(w.shape)) for w in gan.trainable_weights) == trainable
    assert {id(w) for w in gan.trainable_weights} == {id(w) for w in generator.trainable_weights}

    def snapshot(model):
        return [keras.ops.convert_to_numpy(w).copy() for w in model.weights]

    def changed(before, after):
        return any(not np.array_equal(a, b) for a, b in zip(before, after))

    latent_dim = DCGAN_PRESETS[preset]["latent_dim"]
    images = rng.uniform(-1, 1, (2, *DCGAN_PRESETS[preset]["image_shape"])).astype("float32")
    labels = np.ones((2, 1), "float32")
    # Keras 3 reads `trainable` when it first traces a model's train step (the
    # Keras 2 tutorial relied on compile time instead), so the discriminator
    # is unfrozen for its own update and frozen for the composite's.
    discriminator.trainable = True
    before = snapshot(discriminator)
    d_loss, _ = discriminator.train_on_batch(images, labels)
    assert np.isfinite(d_loss)
    assert changed(before, snapshot(discriminator))

    discriminator.trainable = False
    d_before, g_before = snapshot(discriminator), snapshot(generator)
    latents = rng.standard_normal((2, latent_dim)).astype("float32")
    g_loss = gan.train_on_batch(latents, labels)
    assert np.isfinite(g_loss)
    assert not changed(d_before, snapshot(discriminator))
    assert changed(g_before, snapshot(generator))


@pytest.mark.parametrize("builder", [build_dcgan_generator, build_dcgan_discriminator])
@pytest.mark.parametrize(
    "final_size, error",
    [
        (12, ValueError),
        (4, ValueError),
        (0, ValueError),
        ("32", TypeError),
        (32.0, TypeError),
        (True, TypeError),
    ],
)
def test_slim_final_size_must_be_a_power_of_two_of_at_least_8(builder, final_size, error):
    with pytest.raises(error, match="final_size"):
        builder(preset="slim", final_size=final_size)


@pytest.mark.parametrize(
    "final_size, generator_filters",
    [
        (8, [8, 4]),
        (16, [16, 8, 4]),
        (32, [32, 16, 8, 4]),
        # Source 001's listing: depth * 2 * (num_layers - i) in the middle,
        # so 6 * depth (24) where TF-slim's doubling rule would give 8 * depth.
        (64, [64, 24, 16, 8, 4]),
    ],
)
def test_slim_networks_follow_the_listing(final_size, generator_filters, rng):
    depth, channels = 4, 1
    generator = build_dcgan_generator(
        preset="slim", depth=depth, final_size=final_size, channels=channels, latent_dim=6
    )
    discriminator = build_dcgan_discriminator(preset="slim", depth=depth, final_size=final_size, channels=channels)
    transposed = [layer for layer in generator.layers if isinstance(layer, keras.layers.Conv2DTranspose)]
    assert [layer.filters for layer in transposed] == generator_filters
    convs = [layer for layer in discriminator.layers if isinstance(layer, keras.layers.Conv2D)]
    num_convs = int(np.log2(final_size))
    assert [layer.filters for layer in convs] == [depth * 2**i for i in range(num_convs)] + [1]
    assert convs[-1].kernel_size == (1, 1)  # the 1x1 logits conv

    images = generator(rng.uniform(-1, 1, (2, 6)).astype("float32"), training=False)
    assert tuple(images.shape) == (2, final_size, final_size, channels)
    assert tuple(discriminator(images, training=False).shape) == (2, 1)


@pytest.mark.parametrize(
    "preset, kwargs, latent_dim, image_shape",
    [
        ("radford", dict(latent_dim=32), 32, (64, 64, 3)),
        ("mlm_mnist", dict(latent_dim=10, name="g"), 10, (28, 28, 1)),
        ("kaggle_dogs", dict(latent_dim=16, image_shape=(32, 32, 3)), 16, (32, 32, 3)),
        ("upsample", dict(latent_dim=16, image_shape=(28, 28, 1)), 16, (28, 28, 1)),
    ],
)
def test_presets_accept_the_arguments_their_sources_take(preset, kwargs, latent_dim, image_shape):
    generator = build_dcgan_generator(preset=preset, **kwargs)
    assert generator.input_shape == (None, latent_dim)
    assert generator.output_shape == (None, *image_shape)
    assert generator.name == kwargs.get("name", "generator")
    d_kwargs = {k: v for k, v in kwargs.items() if k == "image_shape"}
    discriminator = build_dcgan_discriminator(preset=preset, **d_kwargs)
    assert discriminator.input_shape == (None, *image_shape)
    assert discriminator.output_shape == (None, 1)


G, D = build_dcgan_generator, build_dcgan_discriminator


@pytest.mark.parametrize(
    "builder, kwargs, error, match",
    [
        (G, dict(latent_dim=0), ValueError, "latent_dim"),
        (G, dict(latent_dim=1.5), TypeError, "latent_dim"),
        (G, dict(latent_dim=True), TypeError, "latent_dim"),
        (G, dict(image_shape=(64, 64)), ValueError, "image_shape"),
        (D, dict(image_shape="64x64"), TypeError, "image_shape"),
        (D, dict(image_shape=(64, 64.0, 3)), TypeError, "image_shape"),
        (G, dict(image_shape=(6, 6, 3)), ValueError, "no room for a stride-2 block"),
        (D, dict(image_shape=(27, 28, 1)), ValueError, "no room for a stride-2 block"),
        (G, dict(image_shape=(60, 64, 3), num_blocks=4), ValueError, "divisible by 16"),
        (D, dict(image_shape=(64, 64, 3), num_blocks=0), ValueError, "num_blocks"),
        (G, dict(filters=0), ValueError, "filters"),
        (D, dict(kernel_size="5"), TypeError, "kernel_size"),
        (G, dict(upsampling="bilinear"), ValueError, "upsampling"),
        (G, dict(batch_norm="yes"), TypeError, "batch_norm"),
        (D, dict(spectral_norm=1), TypeError, "spectral_norm"),
        (G, dict(dropout=1.0), ValueError, "dropout"),
        (D, dict(dropout="0.5"), TypeError, "dropout"),
        (D, dict(negative_slope=-0.1), ValueError, "negative_slope"),
        (G, dict(kernel_initializer="no_such_initializer"), ValueError, "no_such_initializer"),
        (D, dict(name=""), ValueError, "name"),
        (G, dict(name=3), TypeError, "name"),
        (G, dict(preset="no_such_preset"), ValueError, "radford, mlm_mnist, mlm_cifar10"),
        (D, dict(preset=1), TypeError, "preset"),
        (G, dict(depth=8), ValueError, "only accepted with preset='slim'"),
        (D, dict(final_size=32), ValueError, "only accepted with preset='slim'"),
        (G, dict(preset="mlm_mnist", filters=32), ValueError, "cannot be combined"),
        (D, dict(preset="radford", image_shape=(32, 32, 3)), ValueError, "cannot be combined"),
        # Passing a value equal to the generic default is still rejected: the
        # preset would otherwise ignore it (kaggle_dogs uses spectral norm).
        (D, dict(preset="kaggle_dogs", spectral_norm=False), ValueError, "cannot be combined"),
        (G, dict(preset="slim", depth=0), ValueError, "depth"),
        (D, dict(preset="slim", channels="3"), TypeError, "channels"),
        (G, dict(preset="kaggle_dogs", image_shape=(40, 40, 3)), ValueError, "divisible by 16"),
        (G, dict(preset="upsample", image_shape=(30, 30, 1)), ValueError, "divisible by 4"),
    ],
)
def test_invalid_arguments_raise(builder, kwargs, error, match):
    with pytest.raises(error, match=match):
        builder(**kwargs)


def test_generic_options_pick_the_layers():
    generator = build_dcgan_generator(
        latent_dim=4, image_shape=(16, 16, 1), filters=4, upsampling="upsample", dropout=0.2
    )
    types = [type(layer) for layer in generator.layers]
    assert keras.layers.Conv2DTranspose not in types
    assert types.count(keras.layers.UpSampling2D) == 2
    assert types.count(keras.layers.Dropout) == 1  # after the one hidden block

    discriminator = build_dcgan_discriminator((16, 16, 1), filters=4, spectral_norm=True)
    types = [type(layer) for layer in discriminator.layers]
    assert types.count(ConvSN2D) == 2 and types[-1] is DenseSN
    assert keras.layers.Conv2D not in types
    # Batch norm on every block but the first (Radford et al., Section 3).
    assert types.count(keras.layers.BatchNormalization) == 1
    assert types[:3] == [ConvSN2D, keras.layers.LeakyReLU, ConvSN2D]


@pytest.mark.parametrize(
    "builder, kwargs, input_shape",
    [
        (G, dict(latent_dim=8, image_shape=(16, 16, 1), filters=4, upsampling="upsample"), (8,)),
        (D, dict(image_shape=(16, 16, 1), filters=4, spectral_norm=True, dropout=0.2), (16, 16, 1)),
        (G, dict(preset="slim", latent_dim=8, depth=4, final_size=8), (8,)),
        (D, dict(preset="kaggle_dogs", image_shape=(16, 16, 3)), (16, 16, 3)),
        (D, dict(preset="upsample", image_shape=(16, 16, 1)), (16, 16, 1)),
    ],
)
def test_keras_file_round_trip_gives_identical_outputs(builder, kwargs, input_shape, tmp_path, rng):
    model = builder(**kwargs)
    inputs = rng.uniform(-1, 1, (2, *input_shape)).astype("float32")
    # One training-mode call first, so batch-norm statistics and the
    # spectral-norm vectors hold non-initial values that must be saved.
    model(inputs, training=True)
    expected = keras.ops.convert_to_numpy(model(inputs, training=False))
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert loaded.name == model.name
    actual = keras.ops.convert_to_numpy(loaded(inputs, training=False))
    np.testing.assert_array_equal(actual, expected)


@pytest.mark.parametrize(
    "builder, kwargs",
    [
        (G, dict(latent_dim=4, image_shape=(8, 8, 1), filters=4)),
        # Source 000 seeds its initializer (seed=42); gankit leaves layers
        # unseeded and relies on the global seed instead.
        (D, dict(preset="kaggle_dogs", image_shape=(16, 16, 3))),
    ],
)
def test_global_seed_reproduces_the_initial_weights(builder, kwargs):
    weights = []
    for _ in range(2):
        keras.utils.set_random_seed(7)
        weights.append([keras.ops.convert_to_numpy(w) for w in builder(**kwargs).weights])
    for first, second in zip(*weights):
        np.testing.assert_array_equal(first, second)


def test_mixed_precision(rng):
    keras.mixed_precision.set_dtype_policy("mixed_float16")
    generator = build_dcgan_generator(latent_dim=8, image_shape=(16, 16, 3), filters=4)
    discriminator = build_dcgan_discriminator((16, 16, 3), filters=4, spectral_norm=True)
    images = generator(rng.standard_normal((2, 8)).astype("float32"), training=True)
    logits = discriminator(images, training=True)
    assert keras.backend.standardize_dtype(images.dtype) == "float16"
    assert all(keras.backend.standardize_dtype(w.dtype) == "float32" for w in discriminator.weights)
    assert np.all(np.isfinite(keras.ops.convert_to_numpy(logits)))


# -- presets table --------------------------------------------------------------

COMPILE_KEYS = {
    "d_learning_rate",
    "g_learning_rate",
    "beta_1",
    "beta_2",
    "loss",
    "g_steps",
    "d_steps",
    "update_scheme",
    "update_order",
    "reuse_latents",
    "label_smoothing",
    "label_flip_rate",
    "latent_distribution",
}


@pytest.mark.parametrize("preset", PRESETS)
def test_preset_settings_are_complete(preset):
    settings = DCGAN_PRESETS[preset]
    assert {"source", "latent_dim", "image_shape", "batch_size", "compile"} <= set(settings)
    assert set(settings["compile"]) <= COMPILE_KEYS
    assert settings["compile"]["loss"] in LOSS_FAMILIES
    assert settings["compile"]["latent_distribution"] in ("normal", "uniform")


@pytest.mark.parametrize(
    "preset, key, value",
    [
        # Seed 001 train.py: AdamOptimizer(0.0004) for D, (0.0001) for G, both
        # beta1 0.5; five generator updates per discriminator update; TF's
        # label_smoothing=0.25 moves the real target to 0.875; uniform latent.
        ("slim", "d_learning_rate", 4e-4),
        ("slim", "g_learning_rate", 1e-4),
        ("slim", "g_steps", 5),
        ("slim", "label_smoothing", 0.125),
        ("slim", "latent_distribution", "uniform"),
        # Seed 001 train.py: one train_dict feeds the D step and all 5 G steps.
        ("slim", "reuse_latents", True),
        # Seed 000 train_step: one GradientTape pair over one generator pass.
        ("kaggle_dogs", "update_scheme", "simultaneous"),
        # Seed 003: Adam 2e-4 with (0.5, 0.999); G step, then D on its fakes.
        ("upsample", "beta_2", 0.999),
        ("upsample", "update_order", "generator_first"),
        # Seed 002 train(): generate_latent_points anew for gan_model.train_on_batch.
        ("mlm_mnist", "update_scheme", "fresh"),
        ("mlm_cifar10", "update_scheme", "fresh"),
        # Radford et al., Figure 1: a uniform latent distribution.
        ("radford", "latent_distribution", "uniform"),
        ("mlm_mnist", "beta_1", 0.5),
    ],
)
def test_preset_training_settings_follow_their_sources(preset, key, value):
    assert DCGAN_PRESETS[preset]["compile"][key] == value


def test_kaggle_dogs_preset_trains_on_hard_targets_as_the_posts_code():
    # Seed 000's discriminator_loss passes tf.ones_like(real_output_smooth) and
    # tf.zeros_like(fake_output_smooth): the smoothed, flipped targets it
    # computes never reach the loss.
    settings = DCGAN_PRESETS["kaggle_dogs"]["compile"]
    assert "label_smoothing" not in settings and "label_flip_rate" not in settings


def test_dcgan_preset_returns_an_independent_copy():
    settings = dcgan_preset("mlm_mnist")
    assert settings["latent_dim"] == 100 and settings["image_shape"] == (28, 28, 1)
    settings["latent_dim"] = 7
    settings["compile"]["beta_1"] = 0.9
    assert DCGAN_PRESETS["mlm_mnist"]["latent_dim"] == 100
    assert DCGAN_PRESETS["mlm_mnist"]["compile"]["beta_1"] == 0.5
    assert dcgan_preset("mlm_mnist")["compile"]["beta_1"] == 0.5
    with pytest.raises(TypeError):
        DCGAN_PRESETS["mlm_mnist"]["latent_dim"] = 7
    with pytest.raises(TypeError):
        DCGAN_PRESETS["new"] = {}


@pytest.mark.parametrize("name, error", [("no_such_preset", ValueError), (None, TypeError)])
def test_dcgan_preset_rejects_unknown_names(name, error):
    with pytest.raises(error, match="name"):
        dcgan_preset(name)


# -- build_dcgan: networks + the source's training settings -------------------------


@pytest.mark.parametrize(
    "preset,kwargs",
    [("mlm_mnist", {}), ("mlm_cifar10", {}), ("kaggle_dogs", {}), ("slim", {"depth": 8, "final_size": 16})],
)
def test_build_dcgan_compiles_with_the_source_settings(preset, kwargs):
    from gankit.models import GAN
    from gankit.models import build_dcgan

    gan = build_dcgan(preset=preset, **kwargs)
    settings = dcgan_preset(preset)
    assert isinstance(gan, GAN)
    assert gan.latent_dim == settings["latent_dim"]
    assert gan.latent_distribution == settings["compile"]["latent_distribution"]
    assert gan.discriminator.input_shape[1:] == gan.generator.output_shape[1:]
    options = gan.training_options
    for key in ("loss", "g_steps", "d_steps", "label_flip_rate"):
        if key in settings["compile"]:
            assert options[key] == settings["compile"][key]
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(settings["compile"]["d_learning_rate"])
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(settings["compile"]["g_learning_rate"])
    assert gan.d_optimizer.beta_1 == pytest.approx(settings["compile"]["beta_1"])


def test_build_dcgan_trains_right_away():
    from gankit.models import build_dcgan

    gan = build_dcgan(preset="mlm_mnist")
    assert gan.output_range == (0.0, 1.0)
    images = np.random.default_rng(0).uniform(0, 1, (8, 28, 28, 1)).astype("float32")
    history = gan.fit(images, batch_size=4, epochs=1, verbose=0)
    assert np.isfinite(history.history["g_loss"][0])
    # generate() returns [0, 1] as the generator made it (no (x + 1) / 2 on a sigmoid).
    latents = np.random.default_rng(1).standard_normal((4, 100)).astype("float32")
    np.testing.assert_allclose(gan.generate(latents=latents), np.asarray(gan.generator(latents)), atol=1e-6)


def test_build_dcgan_overrides_and_generic_networks():
    from gankit.models import build_dcgan

    gan = build_dcgan(preset="mlm_mnist", compile_kwargs={"loss": "ra_lsgan", "d_steps": 2})
    assert gan.training_options["loss"] == "ra_lsgan" and gan.training_options["d_steps"] == 2
    generic = build_dcgan(image_shape=(16, 16, 3), filters=8, latent_dim=12, spectral_norm=True, ema_decay=0.9)
    assert generic.latent_dim == 12 and generic.image_shape == (16, 16, 3)
    assert generic.ema_generator is not None
    assert any(type(layer).__name__ == "ConvSN2D" for layer in generic.discriminator.layers)
    assert build_dcgan(image_shape=(16, 16, 1), filters=8, compile=False).training_options is None


@pytest.mark.parametrize(
    "kwargs,error,match",
    [
        ({"preset": "dogs"}, ValueError, "preset"),
        ({"preset": "mlm_mnist", "filters": 32}, ValueError, "filters"),
        ({"preset": "mlm_mnist", "compile_kwargs": [("loss", "hinge")]}, TypeError, "compile_kwargs"),
    ],
)
def test_build_dcgan_errors(kwargs, error, match):
    from gankit.models import build_dcgan

    with pytest.raises(error, match=match):
        build_dcgan(**kwargs)


def test_absurd_image_sizes_are_refused_before_allocating():
    # 65536 x 65536 would take minutes of allocation before TensorFlow runs out of memory.
    with pytest.raises(ValueError, match=r"generator would need about 4\.58e\+12 parameters.*image_shape=\(65536"):
        build_dcgan(image_shape=(65536, 65536, 3))
    with pytest.raises(ValueError, match="discriminator would need about"):
        build_dcgan_discriminator(image_shape=(65536, 65536, 3))


@pytest.mark.parametrize(
    "preset,image_shape",
    [(None, (32, 32, 3)), (None, (16, 16, 1)), ("kaggle_dogs", (64, 64, 3)), ("upsample", (28, 28, 1))],
)
def test_the_parameter_limit_counts_the_weights_of_the_network(monkeypatch, preset, image_shape):
    from gankit.models import dcgan

    generator = build_dcgan_generator(preset=preset, image_shape=image_shape)
    # The count leaves out biases and batch-norm parameters, so a limit at the real
    # count passes; it includes the projection layer's kernel, so a limit below it fails.
    monkeypatch.setattr(dcgan, "MAX_PARAMETERS", generator.count_params())
    build_dcgan_generator(preset=preset, image_shape=image_shape)
    projection = int(np.prod(generator.layers[0].kernel.shape))
    monkeypatch.setattr(dcgan, "MAX_PARAMETERS", projection - 1)
    with pytest.raises(ValueError, match="generator would need"):
        build_dcgan_generator(preset=preset, image_shape=image_shape)
