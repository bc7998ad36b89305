"""Hand-derived losses of the families beyond `GAN` (tests/models/test_gan.py has GAN's).

Linear critics make the numbers exact: the gradient of `D(x) = s * (w . x)`
with respect to `x` is `s * w` everywhere, so the WGAN-GP penalty is
`(|s| * ||w|| - 1)^2` whatever the interpolation draws. Every optimizer is
`SGD(0)` unless a test says otherwise, so one step reads the losses of the
initial networks. Values: 4 features, w = 0.3 each (||w|| = 0.6); real rows
r1 = (0.1, 0.2, 0.3, 0.4) (w . r1 = 0.3) and r2 = (-0.5, ...) (w . r2 = -0.6).
"""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from gankit.models import ConditionalGAN
from gankit.models import SemiSupervisedGAN
from gankit.training import ProgressiveStage

FEATURES = 4
LATENT_DIM = 2
REAL = np.array([[0.1, 0.2, 0.3, 0.4], [-0.5, -0.5, -0.5, -0.5]], "float32")


def frozen():
    return {"d_optimizer": keras.optimizers.SGD(0.0), "g_optimizer": keras.optimizers.SGD(0.0)}


def constant_generator(value, conditional=False, num_classes=3):
    """G(z) = value in every pixel (zero kernel, bias `value`)."""
    z = keras.Input((LATENT_DIM,))
    inputs, x = [z], z
    if conditional:
        label = keras.Input((1,), dtype="int32")
        inputs.append(label)
        x = keras.layers.Concatenate()([z, keras.layers.Flatten()(keras.layers.Embedding(num_classes, 2)(label))])
    dense = keras.layers.Dense(
        FEATURES, kernel_initializer="zeros", bias_initializer=keras.initializers.Constant(value)
    )
    return keras.Model(inputs if conditional else z, dense(x))


def linear_critic(w=0.3):
    return keras.Sequential(
        [
            keras.Input((FEATURES,)),
            keras.layers.Dense(1, use_bias=False, kernel_initializer=keras.initializers.Constant(w)),
        ]
    )


def test_progressive_stage_wgan_gp_with_drift():
    # Fakes are 0.2 everywhere: D(fake) = 0.3 * 4 * 0.2 = 0.24.
    # D loss = mean D(fake) - mean D(real) + 10 * GP + 0.001 * mean D(real)^2
    #        = 0.24 - (0.3 - 0.6) / 2 + 10 * (0.6 - 1)^2 + 0.001 * (0.09 + 0.36) / 2
    #        = 0.24 + 0.15 + 1.6 + 0.000225 = 1.990225;  G loss = -0.24.
    stage = ProgressiveStage(constant_generator(0.2), linear_critic(), LATENT_DIM)
    stage.compile(**frozen())
    logs = stage.train_on_batch(REAL, return_dict=True)
    assert logs["d_loss"] == pytest.approx(1.990225, rel=1e-5)
    assert logs["g_loss"] == pytest.approx(-0.24, rel=1e-5)
    assert stage.training_options["update_scheme"] == "fresh"  # the paper: fresh latents for G
    without_drift = ProgressiveStage(constant_generator(0.2), linear_critic(), LATENT_DIM, drift_weight=0.0)
    without_drift.compile(**frozen())
    assert without_drift.train_on_batch(REAL, return_dict=True)["d_loss"] == pytest.approx(1.99, rel=1e-5)


def label_scaled_critic(scales):
    """D(x, y) = s_y * (w . x) with w = 0.3: its input gradient is s_y * w."""
    image = keras.Input((FEATURES,))
    label = keras.Input((1,), dtype="int32")
    scale = keras.layers.Flatten()(
        keras.layers.Embedding(len(scales), 1, embeddings_initializer=keras.initializers.Constant(0.0))(label)
    )
    product = keras.layers.Multiply()([linear_critic()(image), scale])
    model = keras.Model([image, label], product)
    model.layers[2].embeddings.assign(np.asarray(scales, "float32")[:, None])
    return model


def test_conditional_gradient_penalty_is_taken_at_the_real_labels():
    # Real labels (0, 1), s = (1, 2, 3); fakes are 0, so D(fake) = 0 for any label.
    # D loss = -mean(s_y * w . r) + 10 * mean((s_y * 0.6 - 1)^2)
    #        = -(1 * 0.3 + 2 * (-0.6)) / 2 + 10 * ((0.6 - 1)^2 + (1.2 - 1)^2) / 2
    #        = 0.45 + 10 * 0.1 = 1.45.
    # At other labels the penalty differs (e.g. labels (0, 0): 10 * 0.16).
    critic = label_scaled_critic([1.0, 2.0, 3.0])
    cgan = ConditionalGAN(constant_generator(0.0, conditional=True), critic, num_classes=3)
    cgan.compile(loss="wasserstein", gradient_penalty_weight=10.0, **frozen())
    logs = cgan.train_on_batch(REAL, np.array([0, 1], "int32"), return_dict=True)
    assert logs["d_loss"] == pytest.approx(1.45, rel=1e-5)
    assert logs["g_loss"] == pytest.approx(0.0, abs=1e-7)


def test_semi_supervised_step_is_supervised_then_unsupervised_then_generator():
    # A zero trunk (logits 0). Supervised update first, SGD(0.5), labelled
    # images 0 (so only the bias moves), labels (0, 1):
    #   CE = log 3; d CE / d bias = mean(softmax - onehot) = (-1/6, -1/6, 1/3)
    #   bias -> (1/12, 1/12, -1/6).
    # The unsupervised update then sees the updated trunk: every image
    # (kernel still 0) has the real/fake logit L = logsumexp(bias), so
    #   d_unsupervised = softplus(-L) + softplus(L),  g_loss = softplus(-L).
    trunk = keras.Sequential([keras.Input((FEATURES,)), keras.layers.Dense(3, kernel_initializer="zeros")])
    sgan = SemiSupervisedGAN(constant_generator(0.2), trunk)
    sgan.compile(supervised_optimizer=keras.optimizers.SGD(0.5), **frozen())
    labeled = np.zeros((2, FEATURES), "float32")
    batch = ((tf.constant(labeled), tf.constant([0, 1])), tf.constant(REAL))
    logs = {k: float(v) for k, v in sgan.train_step(batch).items()}
    bias = np.array([1 / 12, 1 / 12, -1 / 6])
    np.testing.assert_allclose(trunk.layers[-1].bias.numpy(), bias, rtol=1e-6)
    logit = math.log(np.exp(bias).sum())
    softplus = lambda v: math.log1p(math.exp(v))  # noqa: E731
    assert logs["d_supervised_loss"] == pytest.approx(math.log(3.0), rel=1e-6)
    assert logs["supervised_accuracy"] == pytest.approx(0.5)  # argmax of equal logits is class 0
    # Logged on the book's scale, 0.5 * (d_loss_real + d_loss_fake) (listing 7.9).
    assert logs["d_unsupervised_loss"] == pytest.approx(0.5 * (softplus(-logit) + softplus(logit)), rel=1e-6)
    assert logs["g_loss"] == pytest.approx(softplus(-logit), rel=1e-6)
