"""Pins the public API of gankit.losses and runs its docstring examples."""

import doctest

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import ops

from gankit import losses
from gankit.losses import adversarial
from gankit.losses import label_tricks
from gankit.losses import penalties
from gankit.losses import reconstruction

EXPECTED_ALL = [
    "InstanceNoiseSchedule",
    "LOSS_FAMILIES",
    "add_instance_noise",
    "clip_weights",
    "cycle_consistency_loss",
    "discriminator_loss_terms",
    "flip_labels",
    "get",
    "gradient_penalty",
    "hinge_discriminator_loss",
    "hinge_generator_loss",
    "identity_loss",
    "instance_noise_stddev",
    "least_squares_discriminator_loss",
    "least_squares_generator_loss",
    "minimax_discriminator_loss",
    "minimax_generator_loss",
    "non_saturating_discriminator_loss",
    "non_saturating_generator_loss",
    "r1_penalty",
    "ra_hinge_discriminator_loss",
    "ra_hinge_generator_loss",
    "ra_lsgan_discriminator_loss",
    "ra_lsgan_generator_loss",
    "ra_sgan_discriminator_loss",
    "ra_sgan_generator_loss",
    "rsgan_discriminator_loss",
    "rsgan_generator_loss",
    "smooth_labels_to_range",
    "smooth_positive_labels",
    "wasserstein_discriminator_loss",
    "wasserstein_generator_loss",
]


def test_all_is_pinned():
    assert sorted(losses.__all__) == EXPECTED_ALL


def test_every_public_name_exists_and_is_documented():
    for name in losses.__all__:
        value = getattr(losses, name)
        if callable(value):
            assert value.__doc__ and "Example:" in value.__doc__, name


@pytest.mark.parametrize(
    "module",
    [adversarial, penalties, label_tricks, reconstruction],
    ids=lambda module: module.__name__.rsplit(".", 1)[-1],
)
def test_docstring_examples_run(module):
    namespace = {**vars(module), "keras": keras, "np": np, "ops": ops, "tf": tf}
    result = doctest.testmod(module, globs=namespace, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
