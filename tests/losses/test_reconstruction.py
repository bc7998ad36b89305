"""Tests for gankit.losses.reconstruction: CycleGAN's L1 losses."""

import numpy as np
import pytest
import tensorflow as tf

from gankit import losses

RECONSTRUCTION_LOSSES = [losses.cycle_consistency_loss, losses.identity_loss]


@pytest.mark.parametrize("loss_fn", RECONSTRUCTION_LOSSES)
def test_mean_absolute_error_by_hand(loss_fn):
    # |1 - 0| + |-1 - 1| + |0.5 - 0.5| + |2 - (-2)| = 1 + 2 + 0 + 4 = 7
    # over 4 elements: 1.75.
    real = tf.constant([[[[1.0], [-1.0]], [[0.5], [2.0]]]])
    other = tf.constant([[[[0.0], [1.0]], [[0.5], [-2.0]]]])
    loss = loss_fn(real, other)
    assert loss.dtype == tf.float32 and loss.shape == ()
    np.testing.assert_allclose(float(loss), 1.75, rtol=1e-6)
    np.testing.assert_allclose(float(loss_fn(real, real)), 0.0)


@pytest.mark.parametrize("loss_fn", RECONSTRUCTION_LOSSES)
def test_float16_images_reduce_in_float32(loss_fn):
    real = tf.zeros((2, 8, 8, 3), "float16")
    other = tf.fill((2, 8, 8, 3), tf.constant(0.5, "float16"))
    loss = loss_fn(real, other)
    assert loss.dtype == tf.float32
    np.testing.assert_allclose(float(loss), 0.5)


@pytest.mark.parametrize("loss_fn", RECONSTRUCTION_LOSSES)
def test_gradient_is_sign_over_count(loss_fn):
    real = tf.constant([0.0, 0.0, 0.0, 0.0])
    other = tf.constant([1.0, -2.0, 3.0, -0.5])
    with tf.GradientTape() as tape:
        tape.watch(other)
        loss = loss_fn(real, other)
    np.testing.assert_allclose(tape.gradient(loss, other), [0.25, -0.25, 0.25, -0.25])


@pytest.mark.parametrize("loss_fn", RECONSTRUCTION_LOSSES)
def test_bad_inputs(loss_fn):
    with pytest.raises(ValueError, match="same shape"):
        loss_fn(tf.zeros((2, 4)), tf.zeros((4,)))
    with pytest.raises(TypeError, match="real_images"):
        loss_fn(["a"], [1.0])
