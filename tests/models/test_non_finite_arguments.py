"""NaN and infinity are refused for every float argument of `gankit.models`, with the argument named.

A range check alone lets NaN through (`nan < 0` and `nan > 1` are both False):
`build_dcgan(ema_decay=nan)` used to train an all-NaN EMA generator and
`compile(gradient_penalty_weight=nan)` to skip the penalty silently.
"""

import keras
import numpy as np
import pytest

from gankit.models import GAN
from gankit.models import ConditionalGAN
from gankit.models import CycleGAN
from gankit.models import ProgressiveNetworks
from gankit.models import build_cgan_discriminator
from gankit.models import build_cgan_generator
from gankit.models import build_cyclegan
from gankit.models import build_dcgan
from gankit.models import build_dcgan_discriminator
from gankit.models import build_dcgan_generator
from gankit.models import build_progan
from gankit.models import build_sgan_trunk
from gankit.models import build_unet_generator
from gankit.models import set_fade_alpha
from gankit.training import LinearDecaySchedule
from gankit.training import train_supervised_baseline

NON_FINITE = [pytest.param(float("nan"), id="nan"), pytest.param(float("inf"), id="inf")]


def _tiny_gan():
    generator = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(16, activation="tanh"), keras.layers.Reshape((4, 4, 1))]
    )
    discriminator = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    return generator, discriminator


def _gan_compile(**kwargs):
    GAN(*_tiny_gan()).compile(**kwargs)


def _cgan(**kwargs):
    generator = build_cgan_generator(num_classes=3, latent_dim=4, image_shape=(8, 8, 1))
    discriminator = build_cgan_discriminator(num_classes=3, image_shape=(8, 8, 1))
    return ConditionalGAN(generator, discriminator, num_classes=3, latent_dim=4, **kwargs)


def _cyclegan(**kwargs):
    networks = build_cyclegan((16, 16, 1), generator_filters=2, discriminator_filters=2, pool_size=0, compile=False)
    return CycleGAN(
        networks.generator_ab, networks.generator_ba, networks.discriminator_a, networks.discriminator_b, **kwargs
    )


CASES = [
    # GAN and build_dcgan
    pytest.param(
        "ema_decay",
        lambda v: build_dcgan(image_shape=(16, 16, 1), latent_dim=4, filters=4, ema_decay=v),
        id="build_dcgan-ema_decay",
    ),
    pytest.param("ema_decay", lambda v: GAN(*_tiny_gan(), ema_decay=v), id="GAN-ema_decay"),
    pytest.param(
        "gradient_penalty_weight",
        lambda v: _gan_compile(gradient_penalty_weight=v),
        id="GAN.compile-gradient_penalty_weight",
    ),
    pytest.param("clip_value", lambda v: _gan_compile(loss="wasserstein", clip_value=v), id="GAN.compile-clip_value"),
    pytest.param("label_smoothing", lambda v: _gan_compile(label_smoothing=v), id="GAN.compile-label_smoothing"),
    pytest.param(
        "label_smoothing",
        lambda v: _gan_compile(label_smoothing=((0.7, v), (0.0, 0.3))),
        id="GAN.compile-label_smoothing_range",
    ),
    pytest.param("label_flip_rate", lambda v: _gan_compile(label_flip_rate=v), id="GAN.compile-label_flip_rate"),
    pytest.param("instance_noise", lambda v: _gan_compile(instance_noise=v), id="GAN.compile-instance_noise"),
    pytest.param(
        "replay_fraction",
        lambda v: _gan_compile(replay_pool_size=4, replay_fraction=v),
        id="GAN.compile-replay_fraction",
    ),
    pytest.param(
        "unrolled_learning_rate",
        lambda v: _gan_compile(unrolled_steps=1, unrolled_learning_rate=v),
        id="GAN.compile-unrolled_learning_rate",
    ),
    # DCGAN networks
    pytest.param(
        "dropout",
        lambda v: build_dcgan_generator(image_shape=(16, 16, 1), latent_dim=4, filters=4, dropout=v),
        id="build_dcgan_generator-dropout",
    ),
    pytest.param(
        "dropout",
        lambda v: build_dcgan_discriminator(image_shape=(16, 16, 1), filters=4, dropout=v),
        id="build_dcgan_discriminator-dropout",
    ),
    pytest.param(
        "negative_slope",
        lambda v: build_dcgan_discriminator(image_shape=(16, 16, 1), filters=4, negative_slope=v),
        id="build_dcgan_discriminator-negative_slope",
    ),
    # ConditionalGAN: its own constructor, GAN's compile
    pytest.param("ema_decay", lambda v: _cgan(ema_decay=v), id="ConditionalGAN-ema_decay"),
    pytest.param(
        "gradient_penalty_weight",
        lambda v: _cgan().compile(gradient_penalty_weight=v),
        id="ConditionalGAN.compile-gradient_penalty_weight",
    ),
    pytest.param(
        "label_smoothing", lambda v: _cgan().compile(label_smoothing=v), id="ConditionalGAN.compile-label_smoothing"
    ),
    # CycleGAN
    pytest.param("lambda_cycle", lambda v: _cyclegan(lambda_cycle=v), id="CycleGAN-lambda_cycle"),
    pytest.param("lambda_identity", lambda v: _cyclegan(lambda_identity=v), id="CycleGAN-lambda_identity"),
    pytest.param(
        "lambda_cycle", lambda v: build_cyclegan((16, 16, 1), lambda_cycle=v), id="build_cyclegan-lambda_cycle"
    ),
    pytest.param(
        "lambda_identity", lambda v: build_cyclegan((16, 16, 1), lambda_identity=v), id="build_cyclegan-lambda_identity"
    ),
    pytest.param(
        "initial_learning_rate",
        lambda v: LinearDecaySchedule(v, decay_start_step=0, decay_steps=10),
        id="LinearDecaySchedule-initial_learning_rate",
    ),
    pytest.param(
        "dropout",
        lambda v: build_unet_generator((16, 16, 1), 2, dropout=v),
        id="build_unet_generator-dropout",
    ),
    # SGAN
    pytest.param("dropout", lambda v: build_sgan_trunk(3, (8, 8, 1), dropout=v), id="build_sgan_trunk-dropout"),
    pytest.param(
        "learning_rate",
        lambda v: train_supervised_baseline(np.zeros((6, 8, 8, 1)), np.arange(6) % 3, 3, epochs=1, learning_rate=v),
        id="train_supervised_baseline-learning_rate",
    ),
    # Progressive GAN
    pytest.param(
        "alpha",
        lambda v: build_progan(target_resolution=8, latent_dim=4, filters=4, resolution=8, alpha=v),
        id="build_progan-alpha",
    ),
    pytest.param(
        "alpha",
        lambda v: ProgressiveNetworks(target_resolution=8, latent_dim=4, filters=4).generator(8, alpha=v),
        id="ProgressiveNetworks.generator-alpha",
    ),
    pytest.param("alpha", lambda v: set_fade_alpha([], v), id="set_fade_alpha-alpha"),
]


@pytest.mark.parametrize("value", NON_FINITE)
@pytest.mark.parametrize("name, call", CASES)
def test_non_finite_float_arguments_are_refused_by_name(name, call, value, assert_refused_by_name):
    assert_refused_by_name(name, call, value)
