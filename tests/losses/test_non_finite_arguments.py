"""NaN and infinity are refused for every float argument of `gankit.losses`, with the argument named.

A range check alone lets NaN through (`nan < 0` and `nan > 1` are both False),
so e.g. `smooth_positive_labels(labels, smoothing=nan)` used to return NaN
targets. Tensor values are not checked (that would read them back on every
step); only Python numbers are.
"""

import keras
import pytest
import tensorflow as tf

from gankit import losses

NON_FINITE = [pytest.param(float("nan"), id="nan"), pytest.param(float("inf"), id="inf")]

REAL = tf.constant([[1.0], [2.0]])
FAKE = tf.constant([[-1.0], [0.5]])
LABELS = tf.constant([[1.0], [0.0]])
IMAGES = tf.zeros((2, 4))


def _critic():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])


LABELLED_FAMILIES = ["minimax", "non_saturating", "least_squares", "ra_sgan"]

CASES = [
    *(
        pytest.param(
            label,
            lambda v, f=family, k=label: getattr(losses, f"{f}_discriminator_loss")(REAL, FAKE, **{k: v}),
            id=f"{family}_discriminator_loss-{label}",
        )
        for family in LABELLED_FAMILIES
        for label in ("real_label", "fake_label")
    ),
    pytest.param(
        "smoothing", lambda v: losses.smooth_positive_labels(LABELS, smoothing=v), id="smooth_positive_labels"
    ),
    pytest.param(
        "real_range[0]", lambda v: losses.smooth_labels_to_range(LABELS, real_range=(v, 1.0)), id="real_range"
    ),
    pytest.param(
        "fake_range[1]", lambda v: losses.smooth_labels_to_range(LABELS, fake_range=(0.0, v)), id="fake_range"
    ),
    pytest.param("rate", lambda v: losses.flip_labels(LABELS, rate=v), id="flip_labels"),
    pytest.param("stddev", lambda v: losses.add_instance_noise(IMAGES, v), id="add_instance_noise"),
    pytest.param(
        "initial_stddev",
        lambda v: losses.instance_noise_stddev(0, initial_stddev=v, decay_steps=10),
        id="instance_noise_stddev-initial_stddev",
    ),
    pytest.param(
        "final_stddev",
        lambda v: losses.instance_noise_stddev(0, final_stddev=v, decay_steps=10),
        id="instance_noise_stddev-final_stddev",
    ),
    pytest.param("step", lambda v: losses.instance_noise_stddev(v, decay_steps=10), id="instance_noise_stddev-step"),
    pytest.param(
        "initial_stddev",
        lambda v: losses.InstanceNoiseSchedule(initial_stddev=v, decay_steps=10),
        id="InstanceNoiseSchedule-initial_stddev",
    ),
    pytest.param(
        "final_stddev",
        lambda v: losses.InstanceNoiseSchedule(final_stddev=v, decay_steps=10),
        id="InstanceNoiseSchedule-final_stddev",
    ),
    pytest.param("step", lambda v: losses.InstanceNoiseSchedule(decay_steps=10)(v), id="InstanceNoiseSchedule-step"),
    pytest.param(
        "epsilon",
        lambda v: losses.gradient_penalty(_critic(), IMAGES, IMAGES, epsilon=v),
        id="gradient_penalty-epsilon",
    ),
    pytest.param(
        "target", lambda v: losses.gradient_penalty(_critic(), IMAGES, IMAGES, target=v), id="gradient_penalty-target"
    ),
    pytest.param("gamma", lambda v: losses.r1_penalty(_critic(), IMAGES, gamma=v), id="r1_penalty-gamma"),
    pytest.param(
        "clip_value", lambda v: losses.clip_weights([keras.Variable([0.5, -0.5])], clip_value=v), id="clip_weights"
    ),
]


@pytest.mark.parametrize("value", NON_FINITE)
@pytest.mark.parametrize("name, call", CASES)
def test_non_finite_float_arguments_are_refused_by_name(name, call, value, assert_refused_by_name):
    assert_refused_by_name(name, call, value)
