"""Tests for gankit.losses.label_tricks: smoothing, flipping, instance noise."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from gankit import losses


def _half_ones(n):
    return np.concatenate([np.ones(n // 2), np.zeros(n - n // 2)]).astype("float32")


# -- smooth_positive_labels ---------------------------------------------------


def test_smooth_positive_labels_is_one_sided():
    smoothed = losses.smooth_positive_labels(tf.constant([[1.0], [0.0], [1.0]]))
    assert smoothed.dtype == tf.float32 and smoothed.shape == (3, 1)
    np.testing.assert_allclose(smoothed.numpy()[:, 0], [0.9, 0.0, 0.9], rtol=1e-6)
    np.testing.assert_array_equal(losses.smooth_positive_labels([1.0, 0.0], smoothing=0.0), [1.0, 0.0])


def test_smooth_positive_labels_with_tensor_smoothing_in_tf_function():
    smooth = tf.function(lambda s: losses.smooth_positive_labels(tf.ones(2), s))
    np.testing.assert_allclose(smooth(tf.constant(0.25)), [0.75, 0.75])


@pytest.mark.parametrize(
    "smoothing, error",
    [(1.0, ValueError), (-0.1, ValueError), ("0.1", TypeError), (None, TypeError)],
)
def test_smooth_positive_labels_bad_smoothing(smoothing, error):
    with pytest.raises(error, match="smoothing"):
        losses.smooth_positive_labels([1.0], smoothing=smoothing)


# -- smooth_labels_to_range ---------------------------------------------------


def test_smooth_labels_to_range_bounds_and_means():
    n = 4000
    smoothed = losses.smooth_labels_to_range(_half_ones(n), seed=0).numpy()
    positive, negative = smoothed[: n // 2], smoothed[n // 2 :]
    assert positive.min() >= 0.7 and positive.max() <= 1.0
    assert negative.min() >= 0.0 and negative.max() <= 0.3
    # Uniform on a width-0.3 range: std 0.3 / sqrt(12) = 0.087, standard
    # error of a mean of 2000 draws 0.0019; five of them as tolerance.
    np.testing.assert_allclose(positive.mean(), 0.85, atol=0.01)
    np.testing.assert_allclose(negative.mean(), 0.15, atol=0.01)
    np.testing.assert_allclose(positive.std(), 0.3 / np.sqrt(12), atol=0.005)


def test_smooth_labels_to_range_custom_and_degenerate_ranges():
    smoothed = losses.smooth_labels_to_range([1.0, 0.0, 1.0], real_range=(0.9, 0.9), fake_range=(0.1, 0.1), seed=1)
    np.testing.assert_allclose(smoothed, [0.9, 0.1, 0.9], rtol=1e-6)


def test_smooth_labels_to_range_seeds():
    labels = _half_ones(16)
    first = losses.smooth_labels_to_range(labels, seed=4)
    np.testing.assert_array_equal(first, losses.smooth_labels_to_range(labels, seed=4))
    assert not np.array_equal(first, losses.smooth_labels_to_range(labels, seed=5))
    compiled = tf.function(lambda y: losses.smooth_labels_to_range(y, seed=4))
    np.testing.assert_array_equal(compiled(labels), first)
    np.testing.assert_array_equal(compiled(labels), first)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        # The dogs post's listing draws positives from [0.7, 1.2).
        ({"real_range": (0.7, 1.2)}, ValueError, r"real_range\[1\]"),
        ({"real_range": (0.8, 0.7)}, ValueError, "low <= high"),
        ({"fake_range": (-0.1, 0.3)}, ValueError, r"fake_range\[0\]"),
        ({"fake_range": (0.3,)}, TypeError, "pair"),
        ({"real_range": "0.7-1.0"}, TypeError, "pair"),
        ({"real_range": ("0.7", 1.0)}, TypeError, "real_range"),
        ({"seed": "0"}, TypeError, "seed"),
    ],
    ids=["dogs_post_range", "reversed", "negative", "single", "string", "string_low", "seed"],
)
def test_smooth_labels_to_range_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        losses.smooth_labels_to_range([1.0, 0.0], **kwargs)


# -- flip_labels ----------------------------------------------------------------


def test_flip_labels_fraction_matches_rate():
    n, rate = 20000, 0.05
    labels = _half_ones(n)
    flipped = losses.flip_labels(labels, rate=rate, seed=2).numpy()
    changed = flipped != labels
    # Flips are exact: 1 - y, still 0/1 labels.
    np.testing.assert_array_equal(flipped[changed], 1.0 - labels[changed])
    # Binomial: std of the fraction sqrt(rate (1 - rate) / n) = 0.0015;
    # five of them as tolerance.
    tolerance = 5 * np.sqrt(rate * (1 - rate) / n)
    np.testing.assert_allclose(changed.mean(), rate, atol=tolerance)
    # Both classes are flipped alike.
    np.testing.assert_allclose(changed[: n // 2].mean(), rate, atol=tolerance * np.sqrt(2))


@pytest.mark.parametrize("rate, expected", [(0.0, [1.0, 0.0, 1.0]), (1.0, [0.0, 1.0, 0.0])])
def test_flip_labels_extreme_rates(rate, expected):
    np.testing.assert_array_equal(losses.flip_labels([1.0, 0.0, 1.0], rate=rate), expected)


def test_flip_labels_seeds_and_tf_function():
    labels = _half_ones(64)
    first = losses.flip_labels(labels, rate=0.3, seed=9)
    np.testing.assert_array_equal(first, losses.flip_labels(labels, rate=0.3, seed=9))
    compiled = tf.function(lambda y: losses.flip_labels(y, rate=0.3, seed=9))
    np.testing.assert_array_equal(compiled(labels), first)
    np.testing.assert_array_equal(compiled(labels), first)
    # A SeedGenerator advances: new flips each call, reproducible sequence.
    generator, replay = keras.random.SeedGenerator(9), keras.random.SeedGenerator(9)
    sequence = [losses.flip_labels(labels, 0.3, generator).numpy() for _ in range(2)]
    assert not np.array_equal(sequence[0], sequence[1])
    np.testing.assert_array_equal(losses.flip_labels(labels, 0.3, replay), sequence[0])


def test_flip_labels_unseeded_in_tf_function_varies():
    compiled = tf.function(lambda y: losses.flip_labels(y, rate=0.5))
    labels = tf.ones(256)
    assert not np.array_equal(compiled(labels), compiled(labels))


@pytest.mark.parametrize(
    "rate, seed, error, match",
    [
        (1.5, None, ValueError, "Received: rate=1.5"),
        (-0.1, None, ValueError, "Received: rate=-0.1"),
        ("5%", None, TypeError, "rate"),
        (0.05, 1.5, TypeError, "seed"),
        (0.05, True, TypeError, "seed"),
    ],
)
def test_flip_labels_bad_arguments(rate, seed, error, match):
    with pytest.raises(error, match=match):
        losses.flip_labels([1.0, 0.0], rate=rate, seed=seed)


# -- add_instance_noise -----------------------------------------------------------


def test_add_instance_noise_statistics():
    images = tf.zeros((16, 16, 16, 1))
    noisy = losses.add_instance_noise(images, 0.5, seed=0).numpy()
    assert noisy.shape == images.shape
    # 4096 draws: standard error 0.5 / 64 = 0.008 for the mean and about
    # 0.5 / sqrt(2 * 4096) = 0.0055 for the std; five of them as tolerance.
    np.testing.assert_allclose(noisy.mean(), 0.0, atol=0.04)
    np.testing.assert_allclose(noisy.std(), 0.5, atol=0.03)


def test_add_instance_noise_zero_stddev_is_identity_and_seeds_reproduce(rng):
    images = rng.normal(size=(2, 4, 4, 3)).astype("float32")
    np.testing.assert_array_equal(losses.add_instance_noise(images, 0.0, seed=1), images)
    first = losses.add_instance_noise(images, 0.1, seed=1)
    np.testing.assert_array_equal(first, losses.add_instance_noise(images, 0.1, seed=1))


def test_add_instance_noise_keeps_float16():
    images = tf.zeros((2, 4, 4, 1), "float16")
    assert losses.add_instance_noise(images, 0.1).dtype == tf.float16


def test_add_instance_noise_with_scheduled_stddev_in_tf_function():
    schedule = losses.InstanceNoiseSchedule(initial_stddev=0.2, decay_steps=10)
    step = tf.Variable(10, dtype="int64")

    @tf.function
    def noisy(images):
        return losses.add_instance_noise(images, schedule(step))

    images = tf.ones((2, 3))
    np.testing.assert_array_equal(noisy(images), images)  # stddev 0 at step 10
    step.assign(0)
    assert not np.array_equal(noisy(images), images)


@pytest.mark.parametrize(
    "images, stddev, error, match",
    [
        (np.zeros((2, 2), "int32"), 0.1, TypeError, "images.dtype"),
        (np.zeros((2, 2), "float32"), -0.1, ValueError, "Received: stddev=-0.1"),
        (np.zeros((2, 2), "float32"), tf.ones(2), ValueError, "scalar"),
        (np.zeros((2, 2), "float32"), "0.1", TypeError, "stddev"),
    ],
    ids=["int_images", "negative", "vector", "string"],
)
def test_add_instance_noise_bad_arguments(images, stddev, error, match):
    with pytest.raises(error, match=match):
        losses.add_instance_noise(images, stddev)


# -- instance noise schedule ------------------------------------------------------


@pytest.mark.parametrize(
    "step, expected",
    # initial 0.3, final 0.1 over 100 steps: 0.3 - 0.2 * step / 100.
    [(0, 0.3), (25, 0.25), (50, 0.2), (100, 0.1), (1000, 0.1)],
)
def test_instance_noise_stddev_linear_by_hand(step, expected):
    kwargs = {"initial_stddev": 0.3, "decay_steps": 100, "final_stddev": 0.1}
    value = losses.instance_noise_stddev(step, **kwargs)
    assert value.dtype == tf.float32 and value.shape == ()
    np.testing.assert_allclose(float(value), expected, rtol=1e-6)
    schedule = losses.InstanceNoiseSchedule(**kwargs)
    np.testing.assert_allclose(float(schedule(tf.constant(step, "int64"))), expected, rtol=1e-6)


def test_instance_noise_schedule_config_round_trip():
    schedule = losses.InstanceNoiseSchedule(initial_stddev=0.3, decay_steps=100, final_stddev=0.1)
    config = schedule.get_config()
    assert config == {"initial_stddev": 0.3, "decay_steps": 100, "final_stddev": 0.1}
    rebuilt = losses.InstanceNoiseSchedule.from_config(config)
    assert rebuilt.get_config() == config
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(schedule))
    assert isinstance(restored, losses.InstanceNoiseSchedule)
    assert restored.get_config() == config


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"decay_steps": 0}, ValueError, "Received: decay_steps=0"),
        ({"decay_steps": 1.5}, TypeError, "decay_steps"),
        ({"decay_steps": 10, "initial_stddev": -1.0}, ValueError, "initial_stddev"),
        ({"decay_steps": 10, "final_stddev": -1.0}, ValueError, "final_stddev"),
        ({}, TypeError, "decay_steps"),
    ],
    ids=["zero_steps", "float_steps", "negative_initial", "negative_final", "missing"],
)
def test_schedule_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        losses.instance_noise_stddev(0, **kwargs)
    with pytest.raises(error, match=match):
        losses.InstanceNoiseSchedule(**kwargs)
