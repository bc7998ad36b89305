"""Label smoothing, label flipping and instance noise for discriminator training.

Tricks that keep the discriminator from becoming over-confident, which would
starve the generator of gradients. All are vectorised (no Python loop over
the batch, unlike the Kaggle dogs post's `noisy_labels`), run inside
`tf.function`, and take an optional `seed`:

- `None`: fresh randomness on every call, from TensorFlow's global generator
  (reproducible after `keras.utils.set_random_seed`);
- an int: a stateless draw, identical on every call and inside or outside
  `tf.function` (for tests and one-off reproducible draws; in a training loop
  it would reuse the same noise every step);
- a `keras.random.SeedGenerator`: a reproducible sequence that advances on
  every call (what a training loop wants).

The label functions return float32 targets, ready for the `real_label` /
`fake_label` arguments of the discriminator losses (reshape them to the
logits' shape first).
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import tensorflow as tf
from keras import ops
from numpy.typing import ArrayLike

from gankit._checks import check_int
from gankit._checks import check_number
from gankit.losses._utils import is_real_number
from gankit.losses._utils import number_or_scalar_tensor
from gankit.losses._utils import random_normal
from gankit.losses._utils import random_uniform
from gankit.losses._utils import to_float32
from gankit.losses._utils import to_float_tensor


def smooth_positive_labels(labels: tf.Tensor | ArrayLike, smoothing: float | tf.Tensor | np.ndarray = 0.1) -> tf.Tensor:
    """One-sided label smoothing: targets 1 become `1 - smoothing`.

    Returns `labels * (1 - smoothing)`, so a positive target 1 becomes
    `1 - smoothing` and a negative target 0 stays 0. Smoothing only the
    positive side is deliberate: smoothing the negatives too would reward the
    generator for samples in regions where the data has no mass. For losses
    with a `real_label` argument, `real_label=1 - smoothing` does the same
    without building a label tensor.

    Reference: [Salimans et al., 2016](https://arxiv.org/abs/1606.03498),
    section 3.4; "GANs in Action", chapter 5; the DCGAN-from-scratch tutorial
    (source 001) passes `label_smoothing=0.25` to TF's
    `sigmoid_cross_entropy`, which smooths towards 1/2: a real target of
    0.875, i.e. `smoothing=0.125` here.

    Args:
        labels: Tensor of 0/1 targets, any shape.
        smoothing: Amount taken off the positive target; a number in
            [0, 1) or a scalar tensor. Defaults to `0.1` (target 0.9).

    Returns:
        A float32 tensor of the shape of `labels`.

    Raises:
        TypeError: If `labels` is not numeric or `smoothing` is neither a
            number nor a tensor.
        ValueError: If `smoothing` is NaN or lies outside [0, 1).

    Example:

        >>> smooth_positive_labels([1.0, 0.0, 1.0], smoothing=0.1).numpy()
        array([0.9, 0. , 0.9], dtype=float32)
    """
    labels = to_float32(labels, "labels")
    smoothing = number_or_scalar_tensor(smoothing, "smoothing", minimum=0.0, maximum=1.0, max_inclusive=False)
    return labels * (1.0 - smoothing)


def _check_range(value, name):
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"`{name}` must be a pair of numbers `(low, high)`. Received: {name}={value!r}")
    low = check_number(value[0], name=f"{name}[0]", minimum=0.0, maximum=1.0)
    high = check_number(value[1], name=f"{name}[1]", minimum=0.0, maximum=1.0)
    if low > high:
        raise ValueError(f"`{name}` must satisfy 0 <= low <= high <= 1. Received: {name}={tuple(value)!r}")
    return low, high


def smooth_labels_to_range(
    labels: tf.Tensor | ArrayLike,
    real_range: tuple[float, float] | list[float] = (0.7, 1.0),
    fake_range: tuple[float, float] | list[float] = (0.0, 0.3),
    seed: int | keras.random.SeedGenerator | tf.Tensor | None = None,
) -> tf.Tensor:
    """Two-sided noisy smoothing: 1 → U(real_range), 0 → U(fake_range).

    Replaces every positive target by an independent uniform draw in
    `real_range` and every negative target by one in `fake_range`, a trick
    from the "GAN hacks" list used by the Kaggle dogs post, whose text states
    the ranges [0.7, 1.0] and [0.0, 0.3]. The post's listing,
    `y - 0.3 + random() * 0.5`, actually draws positives from [0.7, 1.2)
    (GAN hacks' own suggestion); targets above 1 are not probabilities and
    make binary cross-entropy unbounded below (the discriminator would be
    rewarded for infinite logits), so ranges must lie inside [0, 1] and the
    default is the stated [0.7, 1.0]. Draws are uniform, so a range is
    half-open at the top; `low == high` gives a constant.

    Labels other than 0 and 1 are blended linearly between the two draws
    (`labels * real_draw + (1 - labels) * fake_draw`); pass hard labels.

    Reference: Chintala et al., [How to train a GAN](
    https://github.com/soumith/ganhacks), trick 6; Kaggle "Generative Dog
    Images" DCGAN post.

    Args:
        labels: Tensor of 0/1 targets, any shape.
        real_range: `(low, high)` for positive targets, with
            0 <= low <= high <= 1. Defaults to `(0.7, 1.0)`.
        fake_range: `(low, high)` for negative targets, likewise. Defaults
            to `(0.0, 0.3)`.
        seed: `None`, an int, a `keras.random.SeedGenerator` or a stateless
            seed tensor of shape `(2,)` (see the
            module docstring). Defaults to `None`.

    Returns:
        A float32 tensor of the shape of `labels`.

    Raises:
        TypeError: If `labels` is not numeric, a range is not a pair of
            numbers, or `seed` has the wrong type.
        ValueError: If a range holds NaN or does not satisfy
            0 <= low <= high <= 1.

    Example:

        >>> targets = smooth_labels_to_range([1.0, 1.0, 0.0, 0.0], seed=0)
        >>> bool(ops.all(targets[:2] >= 0.7)), bool(ops.all(targets[2:] <= 0.3))
        (True, True)
    """
    labels = to_float32(labels, "labels")
    real_low, real_high = _check_range(real_range, "real_range")
    fake_low, fake_high = _check_range(fake_range, "fake_range")
    # One draw serves both sides: each element uses only one of them.
    unit = random_uniform(ops.shape(labels), seed)
    real_draw = real_low + unit * (real_high - real_low)
    fake_draw = fake_low + unit * (fake_high - fake_low)
    return labels * real_draw + (1.0 - labels) * fake_draw


def flip_labels(
    labels: tf.Tensor | ArrayLike,
    rate: float | tf.Tensor | np.ndarray = 0.05,
    seed: int | keras.random.SeedGenerator | tf.Tensor | None = None,
) -> tf.Tensor:
    """Flips a random fraction of 0/1 labels: `y → 1 - y`.

    Each element is flipped independently with probability `rate` (a
    Bernoulli mask), so the expected flipped fraction is exactly `rate` and
    the count varies from batch to batch (standard deviation
    `sqrt(rate * (1 - rate) / n)` of the fraction over `n` labels). The
    Kaggle dogs post (which calls this "instance noise") instead picks
    `int(rate * batch)` indices with replacement in a Python loop, so it
    flips at most that many, fewer when an index repeats, and none for
    batches under `1 / rate`.

    Reference: Chintala et al., [How to train a GAN](
    https://github.com/soumith/ganhacks), trick 6; Kaggle "Generative Dog
    Images" DCGAN post (5% of labels).

    Args:
        labels: Tensor of 0/1 targets, any shape.
        rate: Probability of flipping each label; a number in [0, 1] or a
            scalar tensor. Defaults to `0.05`.
        seed: `None`, an int, a `keras.random.SeedGenerator` or a stateless
            seed tensor of shape `(2,)` (see the
            module docstring). Defaults to `None`.

    Returns:
        A float32 tensor of the shape of `labels`.

    Raises:
        TypeError: If `labels` is not numeric, `rate` is neither a number nor
            a tensor, or `seed` has the wrong type.
        ValueError: If `rate` is NaN or lies outside [0, 1].

    Example:

        >>> flip_labels([1.0, 1.0, 0.0], rate=1.0).numpy()
        array([0., 0., 1.], dtype=float32)
    """
    labels = to_float32(labels, "labels")
    rate = number_or_scalar_tensor(rate, "rate", minimum=0.0, maximum=1.0)
    flip = random_uniform(ops.shape(labels), seed) < rate
    return ops.where(flip, 1.0 - labels, labels)


def add_instance_noise(
    images: tf.Tensor | ArrayLike,
    stddev: float | tf.Tensor | np.ndarray,
    seed: int | keras.random.SeedGenerator | tf.Tensor | None = None,
) -> tf.Tensor:
    """Adds Gaussian instance noise `N(0, stddev^2)` to a batch of images.

    Instance noise blurs real and generated data alike so that their
    distributions overlap and the discriminator cannot separate them
    perfectly early in training; anneal `stddev` towards 0 with
    `InstanceNoiseSchedule`. Apply it to both the real and the generated
    batch before the discriminator. (The Kaggle dogs post uses the name for
    label flipping, see `flip_labels`.)

    Reference: [Sønderby et al., 2017](https://arxiv.org/abs/1610.04490);
    [Instance noise: a trick for stabilising GAN training](
    https://www.inference.vc/instance-noise-a-trick-for-stabilising-gan-training/).

    Args:
        images: Floating-point tensor, any shape.
        stddev: Standard deviation of the noise; a number >= 0 or a scalar
            tensor (e.g. a schedule's output inside `tf.function`).
        seed: `None`, an int, a `keras.random.SeedGenerator` or a stateless
            seed tensor of shape `(2,)` (see the
            module docstring). Defaults to `None`.

    Returns:
        A tensor of the shape and dtype of `images`. The noise is drawn and
        added in float32, then cast back (float16 images keep their dtype).

    Raises:
        TypeError: If `images` is not floating point, `stddev` is neither a
            number nor a tensor, or `seed` has the wrong type.
        ValueError: If `stddev` is negative, NaN or infinite.

    Example:

        >>> images = tf.zeros((2, 4, 4, 1))
        >>> float(ops.max(ops.abs(add_instance_noise(images, 0.0, seed=0))))
        0.0
    """
    images = to_float_tensor(images, "images")
    stddev = number_or_scalar_tensor(stddev, "stddev", minimum=0.0)
    noise = random_normal(ops.shape(images), seed) * stddev
    return ops.cast(ops.cast(images, "float32") + noise, images.dtype)


def _check_schedule_args(initial_stddev, decay_steps, final_stddev):
    initial_stddev = check_number(initial_stddev, name="initial_stddev", minimum=0.0)
    final_stddev = check_number(final_stddev, name="final_stddev", minimum=0.0)
    decay_steps = check_int(decay_steps, name="decay_steps", minimum=1)
    return initial_stddev, decay_steps, final_stddev


def _linear_anneal(step, initial_stddev, decay_steps, final_stddev):
    if is_real_number(step):  # a tensor step is not read back from the device
        check_number(step, name="step")
    progress = ops.minimum(ops.cast(step, "float32") / float(decay_steps), 1.0)
    progress = ops.maximum(progress, 0.0)
    return initial_stddev + (final_stddev - initial_stddev) * progress


def instance_noise_stddev(
    step: float | tf.Tensor | keras.Variable,
    *,
    initial_stddev: float = 0.1,
    decay_steps: int,
    final_stddev: float = 0.0,
) -> tf.Tensor:
    """Linearly annealed instance-noise standard deviation at `step`.

    `initial_stddev + (final_stddev - initial_stddev) * min(step / decay_steps, 1)`:
    starts at `initial_stddev`, reaches `final_stddev` at `decay_steps` and
    stays there. Sønderby et al. anneal the noise linearly to zero. For a
    serialisable object to store in a model's config, use
    `InstanceNoiseSchedule`.

    Reference: [Sønderby et al., 2017](https://arxiv.org/abs/1610.04490).

    Args:
        step: Current training step, a number or an integer/float tensor
            (e.g. `optimizer.iterations`).
        initial_stddev: Standard deviation at step 0; must be >= 0. No
            source fixes it; 0.1 is small against images scaled to [-1, 1].
            Defaults to `0.1`.
        decay_steps: Number of steps to reach `final_stddev`; a positive int.
            Required, keyword-only: the right value depends on the length of
            the run.
        final_stddev: Standard deviation from `decay_steps` on; must be
            >= 0. Defaults to `0.0`.

    Returns:
        A float32 scalar tensor.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If a standard deviation is negative, NaN or infinite, a
            number `step` is NaN or infinite, or `decay_steps` is not
            positive.

    Example:

        >>> round(float(instance_noise_stddev(50, decay_steps=100)), 4)
        0.05
    """
    initial_stddev, decay_steps, final_stddev = _check_schedule_args(initial_stddev, decay_steps, final_stddev)
    return _linear_anneal(step, initial_stddev, decay_steps, final_stddev)


@keras.saving.register_keras_serializable(package="gankit")
class InstanceNoiseSchedule:
    """Serialisable linear annealing schedule for the instance-noise stddev.

    Calling it with a step returns `instance_noise_stddev(step, ...)`. It
    follows the `keras.optimizers.schedules.LearningRateSchedule` protocol
    (`__call__(step)`, `get_config`, `from_config`), so a training model can
    keep it in its own config and rebuild it on load.

    Reference: [Sønderby et al., 2017](https://arxiv.org/abs/1610.04490).

    Args:
        initial_stddev: Standard deviation at step 0; must be >= 0. No
            source fixes it; 0.1 is small against images scaled to [-1, 1].
            Defaults to `0.1`.
        decay_steps: Number of steps to reach `final_stddev`; a positive int.
            Required, keyword-only: the right value depends on the length of
            the run.
        final_stddev: Standard deviation from `decay_steps` on; must be
            >= 0. Defaults to `0.0`.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If a standard deviation is negative, NaN or infinite, or
            `decay_steps` is not positive.

    Example:

        >>> schedule = InstanceNoiseSchedule(initial_stddev=0.2, decay_steps=10)
        >>> round(float(schedule(5)), 4), round(float(schedule(20)), 4)
        (0.1, 0.0)
    """

    def __init__(self, *, initial_stddev: float = 0.1, decay_steps: int, final_stddev: float = 0.0) -> None:
        (
            self.initial_stddev,
            self.decay_steps,
            self.final_stddev,
        ) = _check_schedule_args(initial_stddev, decay_steps, final_stddev)

    def __call__(self, step: float | tf.Tensor | keras.Variable) -> tf.Tensor:
        return _linear_anneal(step, self.initial_stddev, self.decay_steps, self.final_stddev)

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_stddev": self.initial_stddev,
            "decay_steps": self.decay_steps,
            "final_stddev": self.final_stddev,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> InstanceNoiseSchedule:
        return cls(**config)
