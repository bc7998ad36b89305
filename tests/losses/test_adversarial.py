"""Tests for gankit.losses.adversarial: the loss families and their registry."""

import math
import re

import keras
import numpy as np
import pytest
import tensorflow as tf

from gankit import losses
from gankit.models import GAN

FAMILIES = (
    "minimax",
    "non_saturating",
    "least_squares",
    "wasserstein",
    "hinge",
    "rsgan",
    "ra_sgan",
    "ra_lsgan",
    "ra_hinge",
)
RELATIVISTIC = ("rsgan", "ra_sgan", "ra_lsgan", "ra_hinge")
# Families that pair real sample i with fake sample i: both batches the same shape.
PAIRED = ("rsgan",)
# Discriminator losses that take `real_label` / `fake_label`.
LABELLED = ("minimax", "non_saturating", "least_squares", "ra_sgan")
BCE_LABELLED = ("minimax", "non_saturating", "ra_sgan")


def _loss(family, role):
    return getattr(losses, f"{family}_{role}_loss")


ALL_LOSSES = [
    pytest.param(_loss(family, role), id=f"{family}_{role}")
    for family in FAMILIES
    for role in ("generator", "discriminator")
]


@pytest.fixture
def tfgan_logits():
    """TF-GAN's loss test fixture (losses_impl_test.py)."""
    real = np.array([-5.0, 1.4, 12.5, 2.7], dtype="float32")
    fake = np.array([10.0, 4.4, -5.5, 3.6], dtype="float32")
    return real, fake


# -- pinned values ------------------------------------------------------------

# family: (generator loss, discriminator loss) on the TF-GAN fixture, with
# r = real logits, f = fake logits, mean(r) = 2.9, mean(f) = 3.125.
EXPECTED = {
    # G: -mean(softplus(f)) = -(10.0000454 + 4.4121951 + 0.0040785
    # + 3.6269662) / 4 = -4.51082.
    # D: mean(softplus(-r)) + mean(softplus(f)) = 1.32282 + 4.51082, real and
    # fake means summed as in TF-GAN (whose published 6.19637 uses its
    # default label_smoothing=0.25; see the next test).
    "minimax": (-4.51082, 5.83387),
    # G: TF-GAN's value, mean(softplus(-f)) = (4.54e-5 + 0.0121951
    # + 5.5040785 + 0.0269662) / 4. D: the minimax D.
    "non_saturating": (1.38582, 5.83387),
    # TF-GAN's values: 0.5 * mean((f - 1)^2) = 0.5 * 141.57 / 4 and
    # 0.5 * mean((r - 1)^2) + 0.5 * mean(f^2) = 0.5 * (171.3 + 162.57) / 4.
    "least_squares": (17.69625, 41.73375),
    # TF-GAN's values: -mean(f) and mean(f) - mean(r) = 3.125 - 2.9.
    "wasserstein": (-3.125, 0.225),
    # G: -mean(f). D: mean(relu(1 - r)) + mean(relu(1 + f))
    # = (6 + 0 + 0 + 0) / 4 + (11 + 5.4 + 0 + 4.6) / 4 = 1.5 + 5.25.
    "hinge": (-3.125, 6.75),
    # r - f = [-15, -3, 18, -0.9]. G: mean(softplus(r - f)) = (3.059e-7
    # + 0.0485874 + 18.0000000 + 0.3411539) / 4. D: mean(softplus(f - r))
    # = (15.0000003 + 3.0485874 + 1.523e-8 + 1.2411539) / 4.
    "rsgan": (4.59744, 4.82244),
}


@pytest.mark.parametrize("family", sorted(EXPECTED))
def test_pinned_values(family, tfgan_logits):
    expected_generator, expected_discriminator = EXPECTED[family]
    generator_loss, discriminator_loss = losses.get(family)
    np.testing.assert_allclose(float(generator_loss(*tfgan_logits)), expected_generator, atol=1e-5)
    np.testing.assert_allclose(float(discriminator_loss(*tfgan_logits)), expected_discriminator, atol=1e-5)


def test_tfgan_label_smoothing_is_real_label(tfgan_logits):
    # TF-GAN's label_smoothing=0.25 smooths real targets towards 0.5:
    # 1 * (1 - 0.25) + 0.5 * 0.25 = 0.875. By hand: 5.83387 + 0.125 * mean(r)
    # = 5.83387 + 0.125 * 2.9 = 6.19637.
    loss = losses.minimax_discriminator_loss(*tfgan_logits, real_label=0.875)
    np.testing.assert_allclose(float(loss), 6.19637, atol=1e-5)


# -- NumPy oracles ------------------------------------------------------------
# Written the naive way, with log(sigmoid), in float64: on moderate logits
# they must agree with the stable softplus forms of the library.


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _bce(x, z):
    return np.mean(-z * np.log(_sigmoid(x)) - (1 - z) * np.log(1 - _sigmoid(x)))


def _relative(r, f):
    return r - f.mean(), f - r.mean()


def _relu(x):
    return np.maximum(x, 0.0)


ORACLES = {
    "minimax": (
        lambda r, f: np.mean(np.log(1 - _sigmoid(f))),
        lambda r, f: _bce(r, 1.0) + _bce(f, 0.0),
    ),
    "non_saturating": (
        lambda r, f: _bce(f, 1.0),
        lambda r, f: _bce(r, 1.0) + _bce(f, 0.0),
    ),
    "least_squares": (
        lambda r, f: 0.5 * np.mean((f - 1) ** 2),
        lambda r, f: 0.5 * np.mean((r - 1) ** 2) + 0.5 * np.mean(f**2),
    ),
    "wasserstein": (
        lambda r, f: -np.mean(f),
        lambda r, f: np.mean(f) - np.mean(r),
    ),
    "hinge": (
        lambda r, f: -np.mean(f),
        lambda r, f: np.mean(_relu(1 - r)) + np.mean(_relu(1 + f)),
    ),
    "rsgan": (
        lambda r, f: _bce(f - r, 1.0),
        lambda r, f: _bce(r - f, 1.0),
    ),
    "ra_sgan": (
        lambda r, f: _bce(_relative(r, f)[1], 1.0) + _bce(_relative(r, f)[0], 0.0),
        lambda r, f: _bce(_relative(r, f)[0], 1.0) + _bce(_relative(r, f)[1], 0.0),
    ),
    "ra_lsgan": (
        lambda r, f: np.mean((_relative(r, f)[1] - 1) ** 2) + np.mean((_relative(r, f)[0] + 1) ** 2),
        lambda r, f: np.mean((_relative(r, f)[0] - 1) ** 2) + np.mean((_relative(r, f)[1] + 1) ** 2),
    ),
    "ra_hinge": (
        lambda r, f: np.mean(_relu(1 - _relative(r, f)[1])) + np.mean(_relu(1 + _relative(r, f)[0])),
        lambda r, f: np.mean(_relu(1 - _relative(r, f)[0])) + np.mean(_relu(1 + _relative(r, f)[1])),
    ),
}


@pytest.mark.parametrize("role", [0, 1], ids=["generator", "discriminator"])
@pytest.mark.parametrize("family", FAMILIES)
def test_matches_numpy_oracle(family, role, rng, tfgan_logits):
    loss_fn = losses.get(family)[role]
    oracle = ORACLES[family][role]
    # Random (batch, 1) logits with different batch sizes for real and fake
    # (the same size for the paired families), and the TF-GAN fixture (whose
    # largest logit, 12.5, is still moderate).
    real = rng.uniform(-4.0, 4.0, size=(6, 1)).astype("float32")
    fake = rng.uniform(-4.0, 4.0, size=(6 if family in PAIRED else 5, 1)).astype("float32")
    for r, f in ((real, fake), tfgan_logits):
        expected = oracle(r.astype("float64"), f.astype("float64"))
        np.testing.assert_allclose(float(loss_fn(r, f)), expected, rtol=1e-5, atol=1e-5)


def test_relativistic_values_on_tfgan_fixture(tfgan_logits):
    # By hand: mean(r) = 2.9, mean(f) = 3.125, so
    # c_r = [-8.125, -1.725, 9.375, -0.425], c_f = [7.1, 1.5, -8.4, 0.7].
    # RaHinge D = mean(relu(1 - c_r)) + mean(relu(1 + c_f))
    #           = (9.125 + 2.725 + 0 + 1.425) / 4 + (8.1 + 2.5 + 0 + 1.7) / 4
    #           = 3.31875 + 3.075 = 6.39375.
    real, fake = tfgan_logits
    np.testing.assert_allclose(float(losses.ra_hinge_discriminator_loss(real, fake)), 6.39375, atol=1e-5)
    # RaLSGAN G = mean((c_f - 1)^2) + mean((c_r + 1)^2)
    #           = (37.21 + 0.25 + 88.36 + 0.09) / 4
    #           + (50.765625 + 0.525625 + 107.640625 + 0.330625) / 4
    #           = 31.4775 + 39.815625 = 71.293125.
    np.testing.assert_allclose(float(losses.ra_lsgan_generator_loss(real, fake)), 71.293125, atol=1e-4)


# -- RSGAN: pairs, not averages -----------------------------------------------


def test_rsgan_values_by_hand():
    # r = [2, 0], f = [0, 1], so r - f = [2, -1] pair by pair.
    # D = mean(softplus(-(r - f))) = (softplus(-2) + softplus(1)) / 2
    #   = (0.1269280 + 1.3132617) / 2 = 0.7200948.
    # G = mean(softplus(-(f - r))) = (softplus(2) + softplus(-1)) / 2
    #   = (2.1269280 + 0.3132617) / 2 = 1.2200948.
    real, fake = [2.0, 0.0], [0.0, 1.0]
    np.testing.assert_allclose(float(losses.rsgan_discriminator_loss(real, fake)), 0.7200948, atol=1e-6)
    np.testing.assert_allclose(float(losses.rsgan_generator_loss(real, fake)), 1.2200948, atol=1e-6)


def test_rsgan_differs_from_the_average_version():
    # Same logits as above. RaSGAN compares with the other batch's mean:
    # c_r = r - mean(f) = [1.5, -0.5], c_f = f - mean(r) = [-1, 0], so
    # D = BCE(c_r, 1) + BCE(c_f, 0) = (softplus(-1.5) + softplus(0.5)) / 2
    #   + (softplus(-1) + softplus(0)) / 2 = 0.5877451 + 0.5032044 = 1.0909496,
    # G = BCE(c_f, 1) + BCE(c_r, 0) = (softplus(1) + softplus(0)) / 2
    #   + (softplus(1.5) + softplus(-0.5)) / 2 = 1.0032044 + 1.0877451 = 2.0909496,
    # against the paired 0.7200948 and 1.2200948.
    real, fake = [2.0, 0.0], [0.0, 1.0]
    for role, paired, average in (("discriminator", 0.7200948, 1.0909496), ("generator", 1.2200948, 2.0909496)):
        rsgan = float(getattr(losses, f"rsgan_{role}_loss")(real, fake))
        ra_sgan = float(getattr(losses, f"ra_sgan_{role}_loss")(real, fake))
        np.testing.assert_allclose([rsgan, ra_sgan], [paired, average], atol=1e-6)


@pytest.mark.parametrize("role", ["generator", "discriminator"])
@pytest.mark.parametrize(
    "real_shape, fake_shape",
    [((3,), (2,)), ((4, 1), (4,)), ((2, 3, 3, 1), (2, 2, 2, 1))],
    ids=["batch", "rank", "patch"],
)
def test_rsgan_mismatched_shapes_raise(role, real_shape, fake_shape):
    # (4, 1) against (4,) would otherwise broadcast to all 16 pairs.
    loss_fn = getattr(losses, f"rsgan_{role}_loss")
    with pytest.raises(ValueError, match=re.escape(f"real_logits.shape={real_shape}, fake_logits.shape={fake_shape}")):
        loss_fn(tf.zeros(real_shape), tf.zeros(fake_shape))


def _tiny_gan():
    generator = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(16, activation="tanh"), keras.layers.Reshape((4, 4, 1))]
    )
    discriminator = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    return GAN(generator, discriminator)


def test_gan_compile_rsgan_trains_one_step(rng):
    gan = _tiny_gan()
    gan.compile(loss="rsgan")
    assert (gan.generator_loss_fn, gan.discriminator_loss_fn) == losses.get("rsgan")
    weights = [w.numpy().copy() for w in gan.generator.trainable_weights]
    images = rng.uniform(-1, 1, size=(8, 4, 4, 1)).astype("float32")
    logs = {k: float(v) for k, v in gan.train_on_batch(images, return_dict=True).items()}
    assert all(math.isfinite(v) for v in logs.values())
    assert any(np.any(w.numpy() != old) for w, old in zip(gan.generator.trainable_weights, weights))


def test_gan_compile_rsgan_refuses_label_smoothing():
    # The RSGAN discriminator loss has a single term and no targets.
    with pytest.raises(ValueError, match="Label smoothing.*Received: loss='rsgan'"):
        _tiny_gan().compile(loss="rsgan", label_smoothing=0.1)


# -- properties shared by every loss ------------------------------------------


@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_float16_inputs_give_float32_scalar(loss_fn, tfgan_logits):
    real, fake = (tf.constant(x, "float16") for x in tfgan_logits)
    loss = loss_fn(real, fake)
    assert loss.shape == ()
    assert loss.dtype == tf.float32
    # Same value as float32 inputs holding the float16-rounded logits: the
    # whole computation runs in float32, nothing in float16.
    expected = float(loss_fn(tf.cast(real, "float32"), tf.cast(fake, "float32")))
    np.testing.assert_allclose(float(loss), expected, rtol=1e-6)


@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_gradients_finite_for_large_logits(loss_fn):
    real = tf.constant([[100.0], [-100.0], [0.0]])
    fake = tf.constant([[-100.0], [100.0], [0.0]])
    with tf.GradientTape() as tape:
        tape.watch([real, fake])
        loss = loss_fn(real, fake)
    gradients = tape.gradient(loss, [real, fake], unconnected_gradients="zero")
    assert np.isfinite(float(loss))
    for gradient in gradients:
        assert np.all(np.isfinite(gradient.numpy()))


@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_tf_function_with_unknown_batch_matches_eager(loss_fn, tfgan_logits):
    spec = tf.TensorSpec([None, 1], tf.float32)
    compiled = tf.function(loss_fn, input_signature=[spec, spec])
    real, fake = (x[:, None] for x in tfgan_logits)
    np.testing.assert_allclose(float(compiled(real, fake)), float(loss_fn(real, fake)), rtol=1e-6)


@pytest.mark.cpu_invariance
@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_value_does_not_depend_on_batch_size(loss_fn, tfgan_logits):
    # Every term is a mean, so repeating the batch leaves the loss unchanged.
    real, fake = tfgan_logits
    np.testing.assert_allclose(
        float(loss_fn(np.tile(real, 3), np.tile(fake, 3))),
        float(loss_fn(real, fake)),
        rtol=1e-6,
    )


@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_patch_logits_reduce_over_all_elements(loss_fn, rng):
    # A PatchGAN map (batch, h, w, 1) gives the loss of its flattened logits.
    real = rng.normal(size=(2, 3, 3, 1)).astype("float32")
    fake = rng.normal(size=(2, 3, 3, 1)).astype("float32")
    np.testing.assert_allclose(
        float(loss_fn(real, fake)),
        float(loss_fn(real.reshape(-1), fake.reshape(-1))),
        rtol=1e-6,
    )


@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_non_numeric_logits_raise_type_error(loss_fn):
    for bad in (["a", "b"], [True, False]):
        with pytest.raises(TypeError, match="real_logits"):
            loss_fn(bad, [0.0, 1.0])
        with pytest.raises(TypeError, match="fake_logits"):
            loss_fn([0.0, 1.0], bad)


@pytest.mark.parametrize("family", FAMILIES)
def test_generator_reads_real_logits_only_if_relativistic(family):
    real = tf.constant([0.5, -1.0, 2.0])
    fake = tf.constant([0.3, 1.5, -0.2])
    generator_loss, _ = losses.get(family)
    with tf.GradientTape() as tape:
        tape.watch(real)
        loss = generator_loss(real, fake)
    gradient = tape.gradient(loss, real)
    if family in RELATIVISTIC:
        assert gradient is not None and np.any(gradient.numpy() != 0)
    else:
        assert gradient is None


def test_minimax_generator_saturates_where_non_saturating_does_not():
    # D rejects the fakes confidently (logit -10). d/df of -softplus(f) is
    # -sigmoid(-10) ~ -4.5e-5, of softplus(-f) it is -sigmoid(10) ~ -1.
    fake = tf.constant([-10.0])
    gradients = {}
    for family in ("minimax", "non_saturating"):
        with tf.GradientTape() as tape:
            tape.watch(fake)
            loss = losses.get(family)[0](fake, fake)
        gradients[family] = float(tape.gradient(loss, fake)[0])
    np.testing.assert_allclose(gradients["minimax"], -4.5398e-5, rtol=1e-3)
    np.testing.assert_allclose(gradients["non_saturating"], -0.9999546, rtol=1e-5)


# -- labels -------------------------------------------------------------------


def test_one_sided_smoothing_by_hand():
    # Logit 0 has BCE log(2) for any target; logit log(9) has
    # BCE(log 9, z) = z * log(10 / 9) + (1 - z) * log(10).
    real = tf.constant([0.0, np.log(9.0)])
    fake = tf.constant([0.0])
    expected = (np.log(2.0) + 0.9 * np.log(10 / 9) + 0.1 * np.log(10.0)) / 2
    expected += np.log(2.0)
    loss = losses.minimax_discriminator_loss(real, fake, real_label=0.9)
    np.testing.assert_allclose(float(loss), expected, rtol=1e-6)


@pytest.mark.parametrize("family", LABELLED)
def test_label_tensors_match_label_numbers(family, tfgan_logits):
    _, discriminator_loss = losses.get(family)
    real, fake = (x[:, None] for x in tfgan_logits)
    as_numbers = discriminator_loss(real, fake, real_label=0.9, fake_label=0.1)
    as_tensors = discriminator_loss(
        real,
        fake,
        real_label=tf.fill([4, 1], 0.9),
        fake_label=np.full((4, 1), 0.1, "float32"),
    )
    np.testing.assert_allclose(float(as_tensors), float(as_numbers), rtol=1e-6)


def test_per_sample_labels_match_oracle(tfgan_logits):
    real, fake = (x.astype("float64") for x in tfgan_logits)
    real_label = np.array([1.0, 0.0, 0.8, 1.0])
    fake_label = [0.0, 1.0, 0.2, 0.0]  # a plain list works too
    loss = losses.minimax_discriminator_loss(real, fake, real_label=real_label, fake_label=fake_label)
    expected = _bce(real, real_label) + _bce(fake, np.array(fake_label))
    np.testing.assert_allclose(float(loss), expected, rtol=1e-5)


@pytest.mark.parametrize("family", LABELLED)
def test_labels_that_would_broadcast_raise(family):
    _, discriminator_loss = losses.get(family)
    logits = tf.zeros([4, 1])
    with pytest.raises(ValueError, match=r"real_label.*Received: real_label.shape"):
        discriminator_loss(logits, logits, real_label=tf.ones([4]))
    with pytest.raises(ValueError, match="fake_label"):
        discriminator_loss(logits, logits, fake_label=tf.zeros([2, 1]))


@pytest.mark.parametrize("family", BCE_LABELLED)
def test_cross_entropy_labels_outside_unit_interval_raise(family):
    _, discriminator_loss = losses.get(family)
    for label in (1.2, -0.1):
        with pytest.raises(ValueError, match=rf"Received: real_label={label}"):
            discriminator_loss([0.0], [0.0], real_label=label)
        with pytest.raises(ValueError, match=rf"Received: fake_label={label}"):
            discriminator_loss([0.0], [0.0], fake_label=label)


def test_least_squares_accepts_minus_one_coding():
    # Mao et al.'s a=-1, b=1 coding: 0.5 * (0 - 1)^2 + 0.5 * (0 + 1)^2 = 1.
    loss = losses.least_squares_discriminator_loss([0.0], [0.0], real_label=1.0, fake_label=-1.0)
    np.testing.assert_allclose(float(loss), 1.0)


@pytest.mark.parametrize("family", LABELLED)
def test_bad_label_types_raise(family):
    _, discriminator_loss = losses.get(family)
    for label in ("0.9", True, None):
        with pytest.raises(TypeError, match="real_label"):
            discriminator_loss([0.0], [0.0], real_label=label)


# -- registry -----------------------------------------------------------------


def test_loss_families_constant():
    assert losses.LOSS_FAMILIES == FAMILIES


@pytest.mark.parametrize("family", FAMILIES)
def test_get_returns_the_family_pair(family):
    pair = losses.get(family)
    assert pair == (_loss(family, "generator"), _loss(family, "discriminator"))


def test_get_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match="Received: identifier='wgan'") as info:
        losses.get("wgan")
    for family in FAMILIES:
        assert family in str(info.value)


def test_get_passes_a_pair_of_callables_through():
    pair = [losses.hinge_generator_loss, losses.wasserstein_discriminator_loss]
    assert losses.get(pair) == tuple(pair)


@pytest.mark.parametrize(
    "identifier, error",
    [
        (3, TypeError),
        (None, TypeError),
        (keras.losses.BinaryCrossentropy(), TypeError),
        ((losses.hinge_generator_loss,), ValueError),
        (("hinge", "hinge"), ValueError),
    ],
    ids=["int", "none", "keras_loss", "one_callable", "names"],
)
def test_get_rejects_bad_identifiers(identifier, error):
    with pytest.raises(error, match="identifier"):
        losses.get(identifier)


# -- discriminator_loss_terms ----------------------------------------------------


@pytest.mark.parametrize(
    "family, real, fake, expected",
    [
        # Logit 0 against target 1 or 0: softplus(0) = log 2 each.
        ("non_saturating", [0.0], [0.0], (math.log(2.0), math.log(2.0))),
        ("minimax", [0.0], [0.0], (math.log(2.0), math.log(2.0))),
        # 0.5 * (1 - 1)^2 and 0.5 * (1 - 0)^2.
        ("least_squares", [1.0], [1.0], (0.0, 0.5)),
        # -mean(r) and mean(f).
        ("wasserstein", [2.0], [3.0], (-2.0, 3.0)),
        # relu(1 - 0.5) and relu(1 - 0.5).
        ("hinge", [0.5], [-0.5], (0.5, 0.5)),
        # Relative logits r - mean(f) = 0 and f - mean(r) = 0.
        ("ra_sgan", [1.0], [1.0], (math.log(2.0), math.log(2.0))),
        ("ra_lsgan", [1.0], [1.0], (1.0, 1.0)),
        ("ra_hinge", [1.0], [1.0], (1.0, 1.0)),
    ],
)
def test_discriminator_loss_terms_hand_values(family, real, fake, expected):
    terms = losses.discriminator_loss_terms(family, real, fake)
    np.testing.assert_allclose([float(t) for t in terms], expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("family", [f for f in FAMILIES if f != "rsgan"])
def test_discriminator_loss_terms_add_up_to_the_family_loss(family):
    rng = np.random.default_rng(3)
    real, fake = rng.normal(size=(6, 1)).astype("float32"), rng.normal(size=(6, 1)).astype("float32")
    labels = {}
    if family in LABELLED:
        labels = {"real_label": rng.uniform(0.7, 1.0, (6, 1)), "fake_label": rng.uniform(0.0, 0.3, (6, 1))}
    real_term, fake_term = losses.discriminator_loss_terms(family, real, fake, **labels)
    whole = losses.get(family)[1](real, fake, **labels)
    assert float(real_term + fake_term) == pytest.approx(float(whole), rel=1e-5)
    assert abs(float(real_term) - float(fake_term)) > 1e-4  # two different numbers, not a halved sum


def test_discriminator_loss_terms_rsgan_has_none_and_unknown_names_are_refused():
    assert losses.discriminator_loss_terms("rsgan", [1.0], [0.0]) is None
    with pytest.raises(ValueError, match="`identifier` must name an adversarial loss family.*'lsgan'"):
        losses.discriminator_loss_terms("lsgan", [1.0], [0.0])
    with pytest.raises(ValueError, match="real_label"):
        losses.discriminator_loss_terms("non_saturating", [1.0], [0.0], real_label=1.5)
