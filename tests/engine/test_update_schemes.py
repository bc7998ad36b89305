"""The engine's update loop options against hand-unrolled updates.

`update_scheme` ("shared", "fresh", "simultaneous"), `update_order`,
`split_batch` and `reuse_latents` decide which fakes, which real images and
which discriminator weights each update of a train step sees. Every test
runs one train step of a tiny `GAN` (dense networks without dropout or batch
normalisation, plain SGD) and compares the weights after it with the same
updates written out by hand: gradients taken with a `tf.GradientTape` on the
model's own loss methods, applied as `w - learning_rate * g`, with the
latents drawn from the same random state. Both computations run the same
float32 ops in the same order on one machine, so they agree to rounding
(rtol 1e-5); the schemes differ from each other by far more (checked).
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from gankit.engine import UPDATE_ORDERS
from gankit.engine import UPDATE_SCHEMES
from gankit.models import GAN

LATENT_DIM = 3
LEARNING_RATE = 0.5


def _gan(**options):
    keras.utils.set_random_seed(0)
    generator = keras.Sequential(
        [keras.Input((LATENT_DIM,)), keras.layers.Dense(4, activation="tanh"), keras.layers.Reshape((2, 2, 1))]
    )
    discriminator = keras.Sequential(
        [
            keras.Input((2, 2, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(3, activation="tanh"),
            keras.layers.Dense(1),
        ]
    )
    gan = GAN(generator, discriminator)
    gan.compile(keras.optimizers.SGD(LEARNING_RATE), keras.optimizers.SGD(LEARNING_RATE), **options)
    return gan


def _images(n):
    return tf.constant(np.random.default_rng(1).uniform(-1, 1, (n, 2, 2, 1)), tf.float32)


class Hand:
    """The updates of one train step, written out: `d_update`, `g_update`, `fakes`."""

    def __init__(self, gan):
        self.gan = gan

    def fakes(self, n, latents=None):
        latents = self.gan._sample_latents_tensor(n) if latents is None else latents
        return {"images": self.gan.generator(latents, training=True)}, latents

    def _step(self, network, loss):
        variables = network.trainable_variables
        with tf.GradientTape() as tape:
            value = loss()
        gradients = tape.gradient(value, variables)
        return [v - LEARNING_RATE * g for v, g in zip(variables, gradients)]

    def d_update(self, images, fakes):
        fakes = tf.nest.map_structure(tf.stop_gradient, fakes)
        return self._step(self.gan.discriminator, lambda: self.gan.discriminator_loss({"images": images}, fakes)[0])

    def g_update(self, images, latents):
        return self._step(
            self.gan.generator,
            lambda: self.gan.generator_loss({"images": images}, self.fakes(len(latents), latents)[0])[0],
        )

    @staticmethod
    def assign(network, values):
        for variable, value in zip(network.trainable_variables, values):
            variable.assign(value)


def _run(gan, images):
    """The engine's train step from the current state; returns (D, G) weights after it."""
    gan.train_step(images)
    return [v.numpy() for v in gan.discriminator.trainable_variables], [
        v.numpy() for v in gan.generator.trainable_variables
    ]


def _expected(gan, images, scheme, order="discriminator_first"):
    """The same train step by hand (restoring the model's state first is the caller's)."""
    hand = Hand(gan)
    n = len(images)
    if scheme == "simultaneous":
        fakes, latents = hand.fakes(n)
        d_new = hand.d_update(images, fakes)
        g_new = hand.g_update(images, latents)  # through the discriminator before its update
        hand.assign(gan.discriminator, d_new)
        hand.assign(gan.generator, g_new)
    elif order == "generator_first":
        fakes, latents = hand.fakes(n)
        g_new = hand.g_update(images, latents)
        hand.assign(gan.generator, g_new)
        if scheme == "fresh":
            fakes, _ = hand.fakes(n)
        hand.assign(gan.discriminator, hand.d_update(images, fakes))  # `shared`: the G update's own fakes
    else:
        fakes, latents = hand.fakes(n)
        hand.assign(gan.discriminator, hand.d_update(images, fakes))
        if scheme == "fresh":
            latents = gan._sample_latents_tensor(n)
        hand.assign(gan.generator, hand.g_update(images, latents))  # through the updated discriminator
    return [v.numpy() for v in gan.discriminator.trainable_variables], [
        v.numpy() for v in gan.generator.trainable_variables
    ]


def _state(gan):
    return [v.numpy() for v in gan.weights]


def _restore(gan, state):
    for variable, value in zip(gan.weights, state):
        variable.assign(value)


def _assert_close(actual, expected):
    for a, e in zip(actual, expected):
        np.testing.assert_allclose(a, e, rtol=1e-5, atol=1e-6)


def _distance(a, b):
    return max(float(np.max(np.abs(x - y))) for x, y in zip(a, b))


@pytest.mark.parametrize("order", UPDATE_ORDERS)
@pytest.mark.parametrize("scheme", UPDATE_SCHEMES)
def test_each_scheme_and_order_equals_its_hand_written_updates(scheme, order):
    gan = _gan(update_scheme=scheme, update_order=order)
    images = _images(4)
    start = _state(gan)
    g_start = [v.numpy() for v in gan.generator.trainable_variables]
    d_engine, g_engine = _run(gan, images)
    _restore(gan, start)
    d_hand, g_hand = _expected(gan, images, scheme, order)
    _assert_close(d_engine, d_hand)
    _assert_close(g_engine, g_hand)
    assert _distance(g_engine, g_start) > 1e-3  # the step did move G


def test_the_schemes_train_differently():
    images = _images(4)
    results = {}
    for scheme in UPDATE_SCHEMES:
        for order in UPDATE_ORDERS:
            if scheme == "simultaneous" and order == "generator_first":
                continue  # the same update as discriminator_first
            results[scheme, order] = _run(_gan(update_scheme=scheme, update_order=order), images)
    # Generator first with shared fakes is the simultaneous update: the
    # generator's gradient goes through the discriminator before its update,
    # and the discriminator then trains on the fakes of that same pass.
    simultaneous = results.pop(("simultaneous", "discriminator_first"))
    same = results[("shared", "generator_first")]
    _assert_close(simultaneous[0] + simultaneous[1], same[0] + same[1])
    keys = list(results)
    for i, first in enumerate(keys):
        for second in keys[i + 1 :]:
            d_gap = _distance(results[first][0], results[second][0])
            g_gap = _distance(results[first][1], results[second][1])
            assert max(d_gap, g_gap) > 1e-4, (first, second)


def test_simultaneous_does_not_depend_on_the_order():
    images = _images(4)
    d_first = _run(_gan(update_scheme="simultaneous"), images)
    g_first = _run(_gan(update_scheme="simultaneous", update_order="generator_first"), images)
    _assert_close(d_first[0] + d_first[1], g_first[0] + g_first[1])


def test_split_batch_gives_each_critic_update_its_own_real_images():
    gan = _gan(d_steps=2, update_scheme="fresh", split_batch=True)
    images = _images(4)
    start = _state(gan)
    d_engine, g_engine = _run(gan, images)
    _restore(gan, start)
    hand = Hand(gan)
    for part in (images[:2], images[2:]):
        fakes, _ = hand.fakes(2)
        hand.assign(gan.discriminator, hand.d_update(part, fakes))
    # The generator update uses the last slice's size: two latents.
    hand.assign(gan.generator, hand.g_update(images[2:], gan._sample_latents_tensor(2)))
    _assert_close(d_engine, [v.numpy() for v in gan.discriminator.trainable_variables])
    _assert_close(g_engine, [v.numpy() for v in gan.generator.trainable_variables])
    # Without the split both critic updates see all four images.
    unsplit = _run(_gan(d_steps=2, update_scheme="fresh"), images)
    assert _distance(unsplit[0], d_engine) > 1e-4


def test_split_batch_refuses_a_batch_it_cannot_split():
    gan = _gan(d_steps=2, split_batch=True)
    with pytest.raises(ValueError, match=r"split_batch=True` with d_steps=2 .* Received: a batch of 3"):
        gan.train_step(_images(3))


def test_split_batch_checks_batches_of_unknown_size_in_fit():
    gan = _gan(d_steps=2, split_batch=True)
    # Batches of 4 and a last one of 3: the traced step sees an unknown size.
    data = tf.data.Dataset.from_tensor_slices(_images(7)).batch(4)
    with pytest.raises(tf.errors.InvalidArgumentError, match="needs a batch size divisible by 2"):
        gan.fit(data, epochs=1, verbose=0)


def test_reuse_latents_feeds_the_first_latents_to_every_generator_update():
    gan = _gan(g_steps=2, reuse_latents=True)
    images = _images(4)
    start = _state(gan)
    d_engine, g_engine = _run(gan, images)
    after = gan.rng_state.numpy()
    _restore(gan, start)
    hand = Hand(gan)
    fakes, latents = hand.fakes(4)
    hand.assign(gan.discriminator, hand.d_update(images, fakes))
    hand.assign(gan.generator, hand.g_update(images, latents))
    hand.assign(gan.generator, hand.g_update(images, latents))  # the same latents again
    _assert_close(d_engine, [v.numpy() for v in gan.discriminator.trainable_variables])
    _assert_close(g_engine, [v.numpy() for v in gan.generator.trainable_variables])
    # The random state still advanced past the first draw, so the next
    # train step draws new latents.
    np.testing.assert_array_equal(after, gan.rng_state.numpy())
    fresh = _run(_gan(g_steps=2), images)
    assert _distance(fresh[1], g_engine) > 1e-4


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("update_scheme", "joint", "`update_scheme` must be one of 'shared', 'fresh', 'simultaneous'"),
        ("update_order", "g_first", "`update_order` must be one of 'discriminator_first', 'generator_first'"),
    ],
)
def test_unknown_scheme_or_order_is_refused(option, value, message):
    with pytest.raises(ValueError, match=message):
        _gan(**{option: value})


def test_split_batch_and_reuse_latents_must_be_bools():
    with pytest.raises(TypeError, match="split_batch"):
        _gan(split_batch=1)
    with pytest.raises(TypeError, match="reuse_latents"):
        _gan(reuse_latents="yes")


def test_pretrain_d_steps_hold_the_generator_then_train_both():
    gan = _gan(pretrain_d_steps=2)
    images = _images(4)
    g_start = [v.numpy() for v in gan.generator.trainable_variables]
    data = tf.data.Dataset.from_tensors(images).repeat(3)
    gan.fit(data.take(2), epochs=1, verbose=0)
    # Two discriminator-only steps: G and its optimizer untouched, D moved twice.
    assert _distance([v.numpy() for v in gan.generator.trainable_variables], g_start) == 0.0
    assert int(gan.g_optimizer.iterations) == 0 and int(gan.d_optimizer.iterations) == 2
    assert int(gan.step_counter) == 2
    gan.fit(data.take(1), epochs=1, verbose=0)  # the third step trains both
    assert int(gan.g_optimizer.iterations) == 1 and int(gan.d_optimizer.iterations) == 3
    assert _distance([v.numpy() for v in gan.generator.trainable_variables], g_start) > 1e-3


def test_pretrain_steps_are_plain_discriminator_updates():
    # A pretraining step equals the discriminator update of a hand-written
    # step on fresh fakes of the untouched generator.
    gan = _gan(pretrain_d_steps=1)
    images = _images(4)
    start = _state(gan)
    d_engine, _ = _run(gan, images)
    _restore(gan, start)
    hand = Hand(gan)
    fakes, _ = hand.fakes(4)
    _assert_close(d_engine, [v.numpy() for v in hand.d_update(images, fakes)])


# -- d_update="real_then_fake": the book's two discriminator train_on_batch calls --------


def _softplus_mean(x):
    return tf.reduce_mean(tf.nn.softplus(x))


@pytest.mark.parametrize("scheme", ["shared", "fresh"])
def test_real_then_fake_is_a_real_step_then_a_fake_step(scheme):
    # Non-saturating terms by hand: BCE(r, 1) = mean(softplus(-r)) on the
    # real batch alone, then BCE(f, 0) = mean(softplus(f)) on the fakes
    # alone, through the discriminator the first step updated.
    gan = _gan(update_scheme=scheme, d_update="real_then_fake")
    images = _images(4)
    start = _state(gan)
    d_engine, g_engine = _run(gan, images)
    assert int(gan.d_optimizer.iterations) == 2 and int(gan.g_optimizer.iterations) == 1
    _restore(gan, start)
    hand = Hand(gan)
    fakes, latents = hand.fakes(4)
    fake_images = tf.stop_gradient(fakes["images"])
    d = gan.discriminator
    hand.assign(d, hand._step(d, lambda: _softplus_mean(-d(images, training=True))))
    hand.assign(d, hand._step(d, lambda: _softplus_mean(d(fake_images, training=True))))
    if scheme == "fresh":
        latents = gan._sample_latents_tensor(4)
    hand.assign(gan.generator, hand.g_update(images, latents))
    _assert_close(d_engine, [v.numpy() for v in d.trainable_variables])
    _assert_close(g_engine, [v.numpy() for v in gan.generator.trainable_variables])
    # One joint step on the summed loss lands elsewhere.
    joint = _run(_gan(update_scheme=scheme), images)
    assert _distance(joint[0], d_engine) > 1e-4


def test_real_then_fake_logs_the_terms_and_their_sum():
    gan = _gan(update_scheme="fresh", d_update="real_then_fake")
    images = _images(4)
    start = _state(gan)
    logs = {key: float(value) for key, value in gan.train_step(images).items()}
    _restore(gan, start)
    d = gan.discriminator
    real = float(_softplus_mean(-d(images, training=True)))
    hand = Hand(gan)
    fakes, _ = hand.fakes(4)
    hand.assign(d, hand._step(d, lambda: _softplus_mean(-d(images, training=True))))
    fake = float(_softplus_mean(d(fakes["images"], training=True)))
    assert logs["d_real_loss"] == pytest.approx(real, rel=1e-5)
    assert logs["d_fake_loss"] == pytest.approx(fake, rel=1e-5)
    assert logs["d_loss"] == pytest.approx(real + fake, rel=1e-5)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"d_update": "two"}, "`d_update` must be one of 'joint', 'real_then_fake'"),
        ({"update_scheme": "simultaneous"}, "update_scheme='simultaneous'"),
        ({"loss": "rsgan"}, "Received: loss='rsgan'"),
        ({"loss": "ra_lsgan"}, "Received: loss='ra_lsgan'"),
        ({"gradient_penalty_weight": 10.0}, "gradient_penalty_weight=10.0"),
    ],
)
def test_real_then_fake_refuses_what_needs_both_batches(options, message):
    options = {"d_update": "real_then_fake", **options}
    with pytest.raises(ValueError, match=message):
        _gan(**options)
