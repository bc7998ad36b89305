"""Tests for gankit.losses.penalties: WGAN-GP, R1 and weight clipping."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import ops

from gankit import losses


def _linear_critic(kernel):
    """A bias-free Dense(1) critic with a fixed kernel: D(x) = x . w."""
    critic = keras.layers.Dense(1, use_bias=False)
    critic.build((None, len(kernel)))
    critic.kernel.assign(np.asarray(kernel, "float32")[:, None])
    return critic


class _TrainingScaled(keras.layers.Layer):
    """Returns 2 * x in training mode and x otherwise."""

    def call(self, inputs, training=False):
        return inputs * (2.0 if training else 1.0)


# -- gradient_penalty -----------------------------------------------------------


@pytest.mark.parametrize("seed", [None, 0, 7])
def test_gradient_penalty_tfgan_fixture(seed):
    # TF-GAN's fixture: D(x) = 2x on 4-d samples. The gradient of the summed
    # output is 2 in every coordinate wherever alpha falls, so the norm is
    # sqrt(4 * 2^2) = 4 and the penalty (4 - 1)^2 = 9.
    real = tf.constant([[-12.3, 23.2, 16.3, -43.2]])
    fake = tf.constant([[3.1, 2.3, -12.3, 32.1]])
    penalty = losses.gradient_penalty(lambda x: 2.0 * x, real, fake, seed=seed)
    assert penalty.dtype == tf.float32 and penalty.shape == ()
    np.testing.assert_allclose(float(penalty), 9.0, rtol=1e-6)


def test_gradient_penalty_on_image_batches(rng):
    # D(x) = 2 * sum(x) per image of 2x2x1 pixels: again norm 2 * sqrt(4) = 4.
    real = rng.normal(size=(3, 2, 2, 1)).astype("float32")
    fake = rng.normal(size=(3, 2, 2, 1)).astype("float32")

    def critic(x):
        return 2.0 * ops.sum(x, axis=(1, 2, 3))

    np.testing.assert_allclose(float(losses.gradient_penalty(critic, real, fake)), 9.0, rtol=1e-6)


@pytest.mark.parametrize(
    "scale, one_sided, target, expected",
    [
        (2.0, False, 1.0, 9.0),  # norm 4: (4 - 1)^2
        (2.0, True, 1.0, 9.0),  # above the target: same as two-sided
        (0.25, False, 1.0, 0.25),  # norm 0.5: (0.5 - 1)^2
        (0.25, True, 1.0, 0.0),  # below the target: no penalty
        (2.0, False, 2.0, 4.0),  # (4 - 2)^2
    ],
)
def test_gradient_penalty_by_hand(scale, one_sided, target, expected):
    real, fake = tf.zeros((2, 4)), tf.ones((2, 4))
    penalty = losses.gradient_penalty(lambda x: scale * x, real, fake, one_sided=one_sided, target=target)
    np.testing.assert_allclose(float(penalty), expected, rtol=1e-6, atol=1e-7)


def test_gradient_penalty_epsilon_sits_inside_the_square_root():
    # D(x) = x[:, 0] has gradient (1, 0): norm sqrt(1 + epsilon) = 1.1 for
    # epsilon = 0.21, penalty (1.1 - 1)^2 = 0.01.
    penalty = losses.gradient_penalty(lambda x: x[:, 0], tf.zeros((1, 2)), tf.ones((1, 2)), epsilon=0.21)
    np.testing.assert_allclose(float(penalty), 0.01, rtol=1e-4)


def test_alpha_is_uniform_per_sample():
    # With real = 0 and fake = 1 the interpolate is 1 - alpha, so the critic
    # sees alpha directly: one value per sample, spread over [0, 1] like
    # U[0, 1] (mean 1/2, variance 1/12), never outside it.
    seen = []

    def critic(x):
        seen.append(x)
        return ops.sum(x, axis=(1, 2, 3))

    shape = (4000, 2, 2, 1)
    losses.gradient_penalty(critic, tf.zeros(shape), tf.ones(shape), seed=3)
    alpha = 1.0 - seen[0].numpy()
    per_sample = alpha[:, 0, 0, 0]
    np.testing.assert_array_equal(alpha, np.broadcast_to(per_sample[:, None, None, None], shape))
    assert per_sample.min() >= 0.0 and per_sample.max() <= 1.0
    # Standard errors: 0.289 / sqrt(4000) = 0.0046 for the mean, ~0.0013
    # for the variance; five of them as tolerance.
    np.testing.assert_allclose(per_sample.mean(), 0.5, atol=0.023)
    np.testing.assert_allclose(per_sample.var(), 1 / 12, atol=0.007)


def _quadratic_critic(x):
    # D(x) = 0.5 * ||x||^2: gradient x, so the penalty depends on alpha.
    return 0.5 * ops.sum(ops.square(x), axis=1)


def test_gradient_penalty_seeds():
    real, fake = tf.zeros((8, 3)), tf.ones((8, 3))
    first = losses.gradient_penalty(_quadratic_critic, real, fake, seed=5)
    again = losses.gradient_penalty(_quadratic_critic, real, fake, seed=5)
    assert float(first) == float(again)
    generator = keras.random.SeedGenerator(5)
    draws = [float(losses.gradient_penalty(_quadratic_critic, real, fake, seed=generator)) for _ in range(2)]
    assert draws[0] != draws[1]
    replay = keras.random.SeedGenerator(5)
    assert draws[0] == float(losses.gradient_penalty(_quadratic_critic, real, fake, seed=replay))


def test_gradient_penalty_is_differentiable_in_the_critic_weights():
    # D(x) = x . w has input gradient w everywhere: penalty (||w|| - 1)^2 and
    # d/dw = 2 (||w|| - 1) w / ||w||. With w = (1, 2, 2, 0): ||w|| = 3,
    # penalty 4, gradient (4 / 3) w.
    kernel = [1.0, 2.0, 2.0, 0.0]
    critic = _linear_critic(kernel)
    real = tf.constant(np.arange(8, dtype="float32").reshape(2, 4))
    fake = -real

    @tf.function
    def penalty_and_gradient():
        with tf.GradientTape() as tape:
            penalty = losses.gradient_penalty(critic, real, fake, seed=1)
        return penalty, tape.gradient(penalty, critic.kernel)

    penalty, gradient = penalty_and_gradient()
    np.testing.assert_allclose(float(penalty), 4.0, rtol=1e-6)
    np.testing.assert_allclose(gradient.numpy()[:, 0], np.array(kernel) * 4 / 3, rtol=1e-6)


def test_gradient_penalty_with_unknown_batch_in_tf_function():
    spec = tf.TensorSpec([None, 4], tf.float32)

    @tf.function(input_signature=[spec, spec])
    def penalty(real, fake):
        return losses.gradient_penalty(lambda x: 2.0 * x, real, fake)

    np.testing.assert_allclose(float(penalty(tf.zeros((3, 4)), tf.ones((3, 4)))), 9.0)


def test_gradient_penalty_mixed_precision():
    keras.mixed_precision.set_dtype_policy("mixed_float16")
    critic = _linear_critic([1.0, 2.0, 2.0, 0.0])
    assert critic.compute_dtype == "float16"
    real = tf.zeros((2, 4), "float16")
    fake = tf.ones((2, 4), "float16")
    penalty = losses.gradient_penalty(critic, real, fake)
    assert penalty.dtype == tf.float32
    np.testing.assert_allclose(float(penalty), 4.0, rtol=1e-3)


@pytest.mark.parametrize("training, expected", [(True, 9.0), (False, 1.0)])
def test_training_flag_reaches_keras_critics(training, expected):
    # Training mode doubles the output: norm 4 (penalty 9) or 2 (penalty 1).
    penalty = losses.gradient_penalty(_TrainingScaled(), tf.zeros((2, 4)), tf.ones((2, 4)), training=training)
    np.testing.assert_allclose(float(penalty), expected, rtol=1e-6)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"critic": "critic"}, TypeError, "critic"),
        ({"real_images": tf.zeros((2, 4), "int32")}, TypeError, "real_images.dtype"),
        ({"fake_images": tf.zeros((2, 3))}, ValueError, "same shape"),
        ({"real_images": tf.zeros(2), "fake_images": tf.ones(2)}, ValueError, "rank"),
        ({"epsilon": -1.0}, ValueError, "Received: epsilon=-1.0"),
        ({"target": 0.0}, ValueError, "Received: target=0.0"),
        ({"one_sided": 1}, TypeError, "one_sided"),
        ({"seed": 1.5}, TypeError, "seed"),
        ({"critic": lambda x: tf.ones((2, 1))}, ValueError, "do not depend"),
    ],
    ids=[
        "critic_not_callable",
        "int_images",
        "shape_mismatch",
        "rank_1",
        "negative_epsilon",
        "zero_target",
        "one_sided_int",
        "float_seed",
        "critic_ignores_input",
    ],
)
def test_gradient_penalty_bad_arguments(kwargs, error, match):
    arguments = {
        "critic": lambda x: 2.0 * x,
        "real_images": tf.zeros((2, 4)),
        "fake_images": tf.ones((2, 4)),
    }
    arguments.update(kwargs)
    positional = [arguments.pop(name) for name in ("critic", "real_images", "fake_images")]
    with pytest.raises(error, match=match):
        losses.gradient_penalty(*positional, **arguments)


# -- r1_penalty -----------------------------------------------------------------


@pytest.mark.parametrize("gamma, expected", [(10.0, 180.0), (1.0, 18.0), (0.0, 0.0)])
def test_r1_penalty_linear_by_hand(gamma, expected):
    # D(x) = 3x on 4-d samples: squared norm 4 * 3^2 = 36; gamma / 2 * 36.
    penalty = losses.r1_penalty(lambda x: 3.0 * x, tf.ones((2, 4)), gamma=gamma)
    assert penalty.dtype == tf.float32 and penalty.shape == ()
    np.testing.assert_allclose(float(penalty), expected, rtol=1e-6)


def test_r1_penalty_quadratic_by_hand():
    # D(x) = 0.5 ||x||^2 has gradient x: squared norms 1 + 4 = 5 and
    # 9 + 16 = 25, mean 15; gamma = 2 gives 15.
    real = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(float(losses.r1_penalty(_quadratic_critic, real, gamma=2.0)), 15.0, rtol=1e-6)


def test_r1_penalty_is_differentiable_in_the_weights():
    # D(x) = x . w: penalty gamma / 2 * ||w||^2, gradient gamma * w.
    kernel = [1.0, -2.0, 0.5]
    discriminator = _linear_critic(kernel)
    with tf.GradientTape() as tape:
        penalty = losses.r1_penalty(discriminator, tf.ones((3, 3)), gamma=4.0)
    gradient = tape.gradient(penalty, discriminator.kernel)
    np.testing.assert_allclose(float(penalty), 2.0 * 5.25, rtol=1e-6)
    np.testing.assert_allclose(gradient.numpy()[:, 0], 4.0 * np.array(kernel), rtol=1e-6)


@pytest.mark.parametrize(
    "discriminator, images, gamma, error, match",
    [
        (None, tf.ones((2, 2)), 1.0, TypeError, "discriminator"),
        (_quadratic_critic, tf.ones((2, 2)), -1.0, ValueError, "Received: gamma=-1.0"),
        (_quadratic_critic, tf.ones((2, 2)), "10", TypeError, "gamma"),
        (_quadratic_critic, tf.ones(2), 1.0, ValueError, "rank"),
    ],
    ids=["not_callable", "negative_gamma", "string_gamma", "rank_1"],
)
def test_r1_penalty_bad_arguments(discriminator, images, gamma, error, match):
    with pytest.raises(error, match=match):
        losses.r1_penalty(discriminator, images, gamma=gamma)


# -- clip_weights ---------------------------------------------------------------


def _dense_with_known_weights():
    layer = keras.layers.Dense(3)
    layer.build((None, 2))
    layer.kernel.assign([[-1.0, 0.005, 0.5], [0.02, -0.003, -0.02]])
    layer.bias.assign([1.0, -1.0, 0.0])
    return layer


def test_clip_weights_in_place():
    layer = _dense_with_known_weights()
    assert losses.clip_weights(layer.trainable_variables, clip_value=0.01) is None
    np.testing.assert_allclose(layer.kernel.numpy(), [[-0.01, 0.005, 0.01], [0.01, -0.003, -0.01]])
    np.testing.assert_allclose(layer.bias.numpy(), [0.01, -0.01, 0.0])


def test_clip_weights_in_tf_function():
    layer = _dense_with_known_weights()
    tf.function(lambda: losses.clip_weights(layer.trainable_variables, 0.5))()
    np.testing.assert_allclose(layer.kernel.numpy(), [[-0.5, 0.005, 0.5], [0.02, -0.003, -0.02]])
    np.testing.assert_allclose(layer.bias.numpy(), [0.5, -0.5, 0.0])


@pytest.mark.parametrize(
    "variables, clip_value, error, match",
    [
        ("layer", 0.01, TypeError, "trainable_variables"),
        ([np.ones(3)], 0.01, TypeError, "assign"),
        (3, 0.01, TypeError, "iterable"),
        ([], 0.0, ValueError, "Received: clip_value=0.0"),
        ([], -0.1, ValueError, "Received: clip_value=-0.1"),
        ([], "0.01", TypeError, "clip_value"),
    ],
    ids=["layer", "array", "int", "zero", "negative", "string"],
)
def test_clip_weights_bad_arguments(variables, clip_value, error, match):
    if variables == "layer":
        variables = _dense_with_known_weights()
    with pytest.raises(error, match=match):
        losses.clip_weights(variables, clip_value=clip_value)
