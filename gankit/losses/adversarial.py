"""Adversarial loss families, each a generator/discriminator pair.

One contract for every function: `fn(real_logits, fake_logits, *, ...)`, the
discriminator's logits on real data first and on generated data second, both
positional, even where a loss ignores one of them (the standard generator
losses never read `real_logits`; the relativistic ones do). A training step
can therefore swap families without changing its call, and `get` returns any
family's pair by name.

Logits are raw, pre-sigmoid discriminator outputs (critic values for the
Wasserstein and hinge families), of any shape: `(batch,)`, `(batch, 1)` or a
PatchGAN map `(batch, h, w, 1)`. Every loss casts its inputs to float32 before
reducing, so float16 logits of a mixed-precision model work, and returns a
float32 scalar: means over all elements, so the value does not depend on the
batch size. Binary cross-entropy is always evaluated from logits in softplus
form, never as `log(sigmoid(x))`, and stays finite with finite gradients for
logits of any size. Under `tf.distribute` each replica gets the mean over its
own batch (the relativistic means too); scale by
`1 / num_replicas_in_sync` before the gradients are summed across replicas.

All formulas below use `r = real_logits`, `f = fake_logits`,
`softplus(x) = log(1 + exp(x))` and the binary cross-entropy of logits `x`
with targets `z`, `BCE(x, z) = mean(z * softplus(-x) + (1 - z) * softplus(x))`.
"""

from __future__ import annotations

import types
from collections.abc import Callable

import tensorflow as tf
from keras import ops
from numpy.typing import ArrayLike

from gankit.losses._utils import check_label
from gankit.losses._utils import to_float32


def _as_logits(real_logits, fake_logits):
    return (
        to_float32(real_logits, "real_logits"),
        to_float32(fake_logits, "fake_logits"),
    )


def _binary_cross_entropy(logits, targets):
    # -z log(sigmoid(x)) - (1 - z) log(1 - sigmoid(x)), with
    # -log(sigmoid(x)) = softplus(-x) and -log(1 - sigmoid(x)) = softplus(x).
    # Unlike `softplus(x) - x * z` this has no cancellation for large |x|,
    # and its gradient is exactly sigmoid(x) - z.
    return ops.mean(targets * ops.softplus(-logits) + (1.0 - targets) * ops.softplus(logits))


def _relativistic_average(real, fake):
    # C(x_r) - E[C(x_f)] and C(x_f) - E[C(x_r)]. The means are taken over all
    # elements and are *not* behind stop_gradient: in the paper the generator
    # also learns through E[C(x_f)] inside the real term.
    return real - ops.mean(fake), fake - ops.mean(real)


def _paired(real, fake):
    # RSGAN compares real sample i with fake sample i, so the two batches
    # must match element for element. Without this check a `(batch,)` real
    # batch against a `(batch, 1)` fake one would broadcast to every pair.
    # Static shapes only: inside `tf.function` an unknown dimension passes.
    if not real.shape.is_compatible_with(fake.shape):
        raise ValueError(
            "`real_logits` and `fake_logits` must have the same shape to be paired. "
            f"Received: real_logits.shape={tuple(real.shape)}, fake_logits.shape={tuple(fake.shape)}"
        )
    return real - fake


def _labels(real, fake, real_label, fake_label, *, unit_interval):
    return (
        check_label(
            real_label,
            "real_label",
            real,
            "real_logits",
            unit_interval=unit_interval,
        ),
        check_label(
            fake_label,
            "fake_label",
            fake,
            "fake_logits",
            unit_interval=unit_interval,
        ),
    )


# -- minimax -----------------------------------------------------------------


def minimax_generator_loss(real_logits: tf.Tensor | ArrayLike, fake_logits: tf.Tensor | ArrayLike) -> tf.Tensor:
    """Minimax generator loss: `mean(log(1 - sigmoid(f)))`.

    The generator of the original GAN minimises the log-probability that the
    discriminator rejects its samples, `E[log(1 - D(G(z)))]`. This saturates:
    when the discriminator rejects fakes confidently (early in training) the
    gradient vanishes, which is why `non_saturating_generator_loss` is used in
    practice. It is here for the comparison of "GANs in Action", chapter 5.
    Computed stably as `-mean(softplus(f))`; `real_logits` is unused.

    Reference: [Goodfellow et al., 2014](https://arxiv.org/abs/1406.2661),
    equation 1.

    Args:
        real_logits: Discriminator logits on real data. Unused; accepted so
            that every loss shares one signature.
        fake_logits: Discriminator logits on generated data, any shape.

    Returns:
        A float32 scalar, at most 0.

    Raises:
        TypeError: If an input is not real-valued.

    Example:

        >>> real, fake = [-5.0, 1.4, 12.5, 2.7], [10.0, 4.4, -5.5, 3.6]
        >>> round(float(minimax_generator_loss(real, fake)), 5)
        -4.51082
    """
    _, fake = _as_logits(real_logits, fake_logits)
    return -ops.mean(ops.softplus(fake))


def minimax_discriminator_loss(
    real_logits: tf.Tensor | ArrayLike,
    fake_logits: tf.Tensor | ArrayLike,
    *,
    real_label: float | tf.Tensor | ArrayLike = 1.0,
    fake_label: float | tf.Tensor | ArrayLike = 0.0,
) -> tf.Tensor:
    """Minimax discriminator loss: `BCE(r, real_label) + BCE(f, fake_label)`.

    The discriminator of the original GAN maximises
    `E[log D(x)] + E[log(1 - D(G(z)))]`; this is minus that value: the binary
    cross-entropy on real data plus the one on generated data, each the mean
    over its own batch, summed (TF-GAN's convention; on TF-GAN's test logits
    it gives 5.83387). The discriminator loss is the same for the minimax and
    non-saturating games; only the generator loss differs.

    Targets default to 1 and 0: no smoothing. One-sided label smoothing
    (Salimans et al., 2016) lowers only `real_label`, e.g. to 0.9. Keras' and
    TF-GAN's `label_smoothing=s` moves targets towards 0.5, so TF-GAN's
    `minimax_discriminator_loss(..., label_smoothing=s)` equals this function
    with `real_label=1 - s / 2`. Per-sample targets (`smooth_labels_to_range`,
    `flip_labels`) may be passed as tensors.

    Reference: [Goodfellow et al., 2014](https://arxiv.org/abs/1406.2661),
    equation 1; [Salimans et al., 2016](https://arxiv.org/abs/1606.03498),
    section 3.4.

    Args:
        real_logits: Discriminator logits on real data, any shape.
        fake_logits: Discriminator logits on generated data, any shape.
        real_label: Target for the real logits: a number in [0, 1], or a
            tensor that broadcasts to the shape of `real_logits` (its values
            are not checked). Defaults to `1.0`.
        fake_label: Target for the fake logits, as `real_label`. Defaults
            to `0.0`.

    Returns:
        A float32 scalar, at least 0.

    Raises:
        TypeError: If an input is not real-valued or a label is neither a
            number nor a tensor.
        ValueError: If a number label lies outside [0, 1] or a label tensor's
            shape does not fit its logits.

    Example:

        >>> real, fake = [-5.0, 1.4, 12.5, 2.7], [10.0, 4.4, -5.5, 3.6]
        >>> round(float(minimax_discriminator_loss(real, fake)), 5)
        5.83387
    """
    real, fake = _as_logits(real_logits, fake_logits)
    real_label, fake_label = _labels(real, fake, real_label, fake_label, unit_interval=True)
    return _binary_cross_entropy(real, real_label) + _binary_cross_entropy(fake, fake_label)


# -- non-saturating ----------------------------------------------------------


def non_saturating_generator_loss(real_logits: tf.Tensor | ArrayLike, fake_logits: tf.Tensor | ArrayLike) -> tf.Tensor:
    """Non-saturating generator loss: `BCE(f, 1) = mean(softplus(-f))`.

    Instead of minimising `log(1 - D(G(z)))` the generator maximises
    `log D(G(z))`: the same fixed point, but strong gradients exactly when
    the discriminator rejects the fakes. This is the "standard GAN" loss of
    most tutorials (binary cross-entropy of the fakes against label 1);
    `real_logits` is unused.

    Reference: [Goodfellow et al., 2014](https://arxiv.org/abs/1406.2661),
    section 3.

    Args:
        real_logits: Discriminator logits on real data. Unused; accepted so
            that every loss shares one signature.
        fake_logits: Discriminator logits on generated data, any shape.

    Returns:
        A float32 scalar, at least 0.

    Raises:
        TypeError: If an input is not real-valued.

    Example:

        >>> real, fake = [-5.0, 1.4, 12.5, 2.7], [10.0, 4.4, -5.5, 3.6]
        >>> round(float(non_saturating_generator_loss(real, fake)), 5)
        1.38582
    """
    _, fake = _as_logits(real_logits, fake_logits)
    return ops.mean(ops.softplus(-fake))


def non_saturating_discriminator_loss(
    real_logits: tf.Tensor | ArrayLike,
    fake_logits: tf.Tensor | ArrayLike,
    *,
    real_label: float | tf.Tensor | ArrayLike = 1.0,
    fake_label: float | tf.Tensor | ArrayLike = 0.0,
) -> tf.Tensor:
    """Non-saturating discriminator loss: `BCE(r, real_label) + BCE(f, fake_label)`.

    The non-saturating game changes only the generator's objective; the
    discriminator is trained exactly as in `minimax_discriminator_loss`
    (same formula, labels and value), provided under this name so that a
    family is always a pair.

    Reference: [Goodfellow et al., 2014](https://arxiv.org/abs/1406.2661),
    section 3.

    Args:
        real_logits: Discriminator logits on real data, any shape.
        fake_logits: Discriminator logits on generated data, any shape.
        real_label: Target for the real logits: a number in [0, 1], or a
            tensor that broadcasts to the shape of `real_logits` (its values
            are not checked). Defaults to `1.0`.
        fake_label: Target for the fake logits, as `real_label`. Defaults
            to `0.0`.

    Returns:
        A float32 scalar, at least 0.

    Raises:
        TypeError: If an input is not real-valued or a label is neither a
            number nor a tensor.
        ValueError: If a number label lies outside [0, 1] or a label tensor's
            shape does not fit its logits.

    Example:

        >>> real, fake = [-5.0, 1.4, 12.5, 2.7], [10.0, 4.4, -5.5, 3.6]
        >>> round(float(non_saturating_discriminator_loss(real, fake)), 5)
        5.83387
    """
    return minimax_discriminator_loss(real_logits, fake_logits, real_label=real_label, fake_label=fake_label)


# -- least squares -----------------------------------------------------------


def least_squares_generator_loss(real_logits: tf.Tensor | ArrayLike, fake_logits: tf.Tensor | ArrayLike) -> tf.Tensor:
    """Least-squares (LSGAN) generator loss: `0.5 * mean((f - 1) ** 2)`.

    LSGAN replaces the sigmoid cross-entropy by a squared error on the raw
    discriminator outputs, which keeps penalising fakes that are classified
    correctly but lie far from the decision boundary, and so avoids vanishing
    gradients. This uses the paper's 0-1 coding (a=0, b=1, c=1) with its 1/2
    factor, TF-GAN's convention; CycleGAN uses this family.
    `real_logits` is unused.

    Reference: [Mao et al., 2017](https://arxiv.org/abs/1611.04076),
    equation 2 and its 0-1 coding.

    Args:
        real_logits: Discriminator outputs on real data. Unused; accepted so
            that every loss shares one signature.
        fake_logits: Discriminator outputs on generated data (no sigmoid),
            any shape.

    Returns:
        A float32 scalar, at least 0.

    Raises:
        TypeError: If an input is not real-valued.

    Example:

        >>> real, fake = [-5.0, 1.4, 12.5, 2.7], [10.0, 4.4, -5.5, 3.6]
        >>> round(float(least_squares_generator_loss(real, fake)), 5)
        17.69625
    """
    _, fake = _as_logits(real_logits, fake_logits)
    return 0.5 * ops.mean(ops.square(fake - 1.0))


def least_squares_discriminator_loss(
    real_logits: tf.Tensor | ArrayLike,
    fake_logits: tf.Tensor | ArrayLike,
    *,
    real_label: float | tf.Tensor | ArrayLike = 1.0,
    fake_label: float | tf.Tensor | ArrayLike = 0.0,
) -> tf.Tensor:
    """Least-squares (LSGAN) discriminator loss.

    `0.5 * mean((r - real_label) ** 2) + 0.5 * mean((f - fake_label) ** 2)` on
    the raw discriminator outputs, with the paper's 1/2 factors and 0-1 coding
    by default (TF-GAN's convention). The paper's other coding, a=-1, b=1, is
    `real_label=1.0, fake_label=-1.0` (use a generator target of 0 with it).

    Reference: [Mao et al., 2017](https://arxiv.org/abs/1611.04076),
    equation 2 and its 0-1 coding.

    Args:
        real_logits: Discriminator outputs on real data, any shape.
        fake_logits: Discriminator outputs on generated data, any shape.
        real_label: Target `b` for the real outputs: any number, or a tensor
            that broadcasts to the shape of `real_logits`. Defaults to `1.0`.
        fake_label: Target `a` for the fake outputs, as `real_label`.
            Defaults to `0.0`.

    Returns:
        A float32 scalar, at least 0.

    Raises:
        TypeError: If an input is not real-valued or a label is neither a
            number nor a tensor.
        ValueError: If a label tensor's shape does not fit its logits.

    Example:

        >>> real, fake = [-5.0, 1.4, 12.5, 2.7], [10.0, 4.4, -5.5, 3.6]
        >>> round(float(least_squares_discriminator_loss(real, fake)), 5)
        41.73375
    """
    real, fake = _as_logits(real_logits, fake_logits)
    real_label, fake_label = _labels(real, fake, real_label, fake_label, unit_interval=False)
    return 0.5 * ops.mean(ops.square(real - real_label)) + 0.5 * ops.mean(ops.square(fake - fake_label))


# -- Wasserstein -------------------------------------------------------------


def wasserstein_generator_loss(real_logits: tf.Tensor | ArrayLike, fake_logits: tf.Tensor | ArrayLike) -> tf.Tensor:
    """Wasserstein (WGAN) generator loss: `-mean(f)`.

    The generator raises the critic's score of its samples. The critic must
    be kept (roughly) 1-Lipschitz, with `clip_weights` (WGAN) or
    `gradient_penalty` (WGAN-GP); its outputs are unbounded scores, not
    logits of a probability. `real_logits` is unused.

    Reference: [Arjovsky et al., 2017](https://arxiv.org/abs/1701.07875),
    algorithm 1.

    Args:
        real_logits: Critic outputs on real data. Unused; accepted so that
            every loss shares one signature.
        fake_logits: Critic outputs on generated data, any shape.

    Returns:
        A float32 scalar.

    Raises:
        TypeError: If an input is not real-valued.

    Example:

        >>> real, fake = [-5.0, 1.4, 12.5, 2.7], [10.0, 4.4, -5.5, 3.6]
        >>> round(float(wasserstein_generator_loss(real, fake)), 5)
        -3.125
    """
    _, fake = _as_logits(real_logits, fake_logits)
    return -ops.mean(fake)


def wasserstein_discriminator_loss(real_logits: tf.Tensor | ArrayLike, fake_logits: tf.Tensor | ArrayLike) -> tf.Tensor:
    """Wasserstein (WGAN) critic loss: `mean(f) - mean(r)`.

    Minus the critic's estimate of the Wasserstein-1 distance between the
    real and generated distributions; only meaningful with a Lipschitz
    constraint (`clip_weights` or `gradient_penalty`).

    Reference: [Arjovsky et al., 2017](https://arxiv.org/abs/1701.07875),
    algorithm 1.

    Args:
        real_logits: Critic outputs on real data, any shape.
        fake_logits: Critic outputs on generated data, any shape.

    Returns:
        A float32 scalar.

    Raises:
        TypeError: If an input is not real-valued.

    Example:

        >>> real, fake = [-5.0, 1.4, 12.5, 2.7], [10.0, 4.4, -5.5, 3.6]
        >>> round(float(wasserstein_discriminator_loss(real, fake)), 5)
        0.225
    """
    real, fake = _as_logits(real_logits, fake_logits)
    return ops.mean(fake) - ops.mean(real)


# -- hinge -------------------------------------------------------------------


def hinge_generator_loss(real_logits: tf.Tensor | ArrayLike, fake_logits: tf.Tensor | ArrayLike) -> tf.Tensor:
    """Hinge generator loss: `-mean(f)`.

    The generator side of the hinge game (as in SAGAN and BigGAN) is the
    Wasserstein generator loss. `real_logits` is unused.

    Reference: [Lim & Ye, 2017](https://arxiv.org/abs/1705.02894);
    [Miyato et al., 2018](https://arxiv.org/abs/1802.05957).

    Args:
        real_logits: Discriminator outputs on real data. Unused; accepted so
            that every loss shares one signature.
        fake_logits: Discriminator outputs on generated data, any shape.

    Returns:
        A float32 scalar.

    Raises:
        TypeError: If an input is not real-valued.

    Example:

        >>> real, fake = [-5.0, 1.4, 12.5, 2.7], [10.0, 4.4, -5.5, 3.6]
        >>> round(float(hinge_generator_loss(real, fake)), 5)
        -3.125
    """
    _, fake = _as_logits(real_logits, fake_logits)
    return -ops.mean(fake)


def hinge_discriminator_loss(real_logits: tf.Tensor | ArrayLike, fake_logits: tf.Tensor | ArrayLike) -> tf.Tensor:
    """Hinge discriminator loss: `mean(relu(1 - r)) + mean(relu(1 + f))`.

    A margin loss: real outputs above 1 and fake outputs below -1 cost
    nothing, so the discriminator stops pushing samples it already separates
    well. Popular with spectral normalization.

    Reference: [Lim & Ye, 2017](https://arxiv.org/abs/1705.02894);
    [Miyato et al., 2018](https://arxiv.org/abs/1802.05957).

    Args:
        real_logits: Discriminator outputs on real data, any shape.
        fake_logits: Discriminator outputs on generated data, any shape.

    Returns:
        A float32 scalar, at least 0.

    Raises:
        TypeError: If an input is not real-valued.

    Example:

        >>> real, fake = [-5.0, 1.4, 12.5, 2.7], [10.0, 4.4, -5.5, 3.6]
        >>> round(float(hinge_discriminator_loss(real, fake)), 5)
        6.75
    """
    real, fake = _as_logits(real_logits, fake_logits)
    return ops.mean(ops.relu(1.0 - real)) + ops.mean(ops.relu(1.0 + fake))


# -- relativistic standard GAN (non-average) ----------------------------------


def rsgan_generator_loss(real_logits: tf.Tensor | ArrayLike, fake_logits: tf.Tensor | ArrayLike) -> tf.Tensor:
    """Relativistic standard GAN (RSGAN) generator loss: `BCE(f - r, 1)`.

    The non-average relativistic discriminator compares *pairs*: real sample
    `i` with fake sample `i`, `sigmoid(f_i - r_i)` being the probability that
    the fake is more realistic than the real one. The generator minimises
    `-mean(log(sigmoid(f - r))) = mean(softplus(r - f))` and, like the
    relativistic average losses, also learns through `real_logits`. Where
    `ra_sgan_generator_loss` compares each sample with the other batch's
    mean, this compares it with one partner, so both batches must have the
    same shape.

    Reference: [Jolicoeur-Martineau, 2018](https://arxiv.org/abs/1807.00734),
    relativistic standard GAN (RSGAN).

    Args:
        real_logits: Discriminator logits on real data, any shape.
        fake_logits: Discriminator logits on generated data, the shape of
            `real_logits`.

    Returns:
        A float32 scalar, at least 0.

    Raises:
        TypeError: If an input is not real-valued.
        ValueError: If the static shapes of the two inputs differ.

    Example:

        >>> real, fake = [-5.0, 1.4, 12.5, 2.7], [10.0, 4.4, -5.5, 3.6]
        >>> round(float(rsgan_generator_loss(real, fake)), 5)
        4.59744
    """
    real, fake = _as_logits(real_logits, fake_logits)
    return _binary_cross_entropy(-_paired(real, fake), 1.0)


def rsgan_discriminator_loss(real_logits: tf.Tensor | ArrayLike, fake_logits: tf.Tensor | ArrayLike) -> tf.Tensor:
    """Relativistic standard GAN (RSGAN) discriminator loss: `BCE(r - f, 1)`.

    `-mean(log(sigmoid(r - f))) = mean(softplus(f - r))`, elementwise over
    the pairs (real sample `i`, fake sample `i`): the discriminator learns
    that each real sample is more realistic than its fake partner. A single
    cross-entropy term, so there are no `real_label` / `fake_label` targets
    (`GAN.compile` refuses label smoothing and flipping with this family).

    Reference: [Jolicoeur-Martineau, 2018](https://arxiv.org/abs/1807.00734),
    relativistic standard GAN (RSGAN).

    Args:
        real_logits: Discriminator logits on real data, any shape.
        fake_logits: Discriminator logits on generated data, the shape of
            `real_logits`.

    Returns:
        A float32 scalar, at least 0.

    Raises:
        TypeError: If an input is not real-valued.
        ValueError: If the static shapes of the two inputs differ.

    Example:

        >>> real, fake = [-5.0, 1.4, 12.5, 2.7], [10.0, 4.4, -5.5, 3.6]
        >>> round(float(rsgan_discriminator_loss(real, fake)), 5)
        4.82244
    """
    real, fake = _as_logits(real_logits, fake_logits)
    return _binary_cross_entropy(_paired(real, fake), 1.0)


# -- relativistic average standard GAN ----------------------------------------


def ra_sgan_generator_loss(real_logits: tf.Tensor | ArrayLike, fake_logits: tf.Tensor | ArrayLike) -> tf.Tensor:
    """Relativistic average standard GAN (RaSGAN) generator loss.

    With `c_r = r - mean(f)` and `c_f = f - mean(r)`:
    `BCE(c_f, 1) + BCE(c_r, 0)`. The relativistic discriminator estimates the
    probability that real data is more realistic than the average fake; the
    generator, unlike in the standard game, also learns through the real
    term, pushing real data to look *less* real than its fakes. The paper's
    sum of two means is used (its reference code halves it, which only
    scales the loss and its gradients by 1/2).

    Reference: [Jolicoeur-Martineau, 2018](https://arxiv.org/abs/1807.00734),
    relativistic average GANs (RaSGAN), checked against the author's code
    (github.com/AlexiaJM/RelativisticGAN); compared with RaLSGAN and RaHinge
    in the Kaggle "Generative Dog Images" DCGAN post.

    Args:
        real_logits: Discriminator logits on real data, any shape.
        fake_logits: Discriminator logits on generated data, any shape.

    Returns:
        A float32 scalar, at least 0.

    Raises:
        TypeError: If an input is not real-valued.

    Example:

        >>> real, fake = [-5.0, 1.4, 12.5, 2.7], [10.0, 4.4, -5.5, 3.6]
        >>> round(float(ra_sgan_generator_loss(real, fake)), 5)
        4.76201
    """
    real, fake = _as_logits(real_logits, fake_logits)
    relative_real, relative_fake = _relativistic_average(real, fake)
    return _binary_cross_entropy(relative_fake, 1.0) + _binary_cross_entropy(relative_real, 0.0)


def ra_sgan_discriminator_loss(
    real_logits: tf.Tensor | ArrayLike,
    fake_logits: tf.Tensor | ArrayLike,
    *,
    real_label: float | tf.Tensor | ArrayLike = 1.0,
    fake_label: float | tf.Tensor | ArrayLike = 0.0,
) -> tf.Tensor:
    """Relativistic average standard GAN (RaSGAN) discriminator loss.

    With `c_r = r - mean(f)` and `c_f = f - mean(r)`:
    `BCE(c_r, real_label) + BCE(c_f, fake_label)`, the paper's sum of two
    means (its reference code halves it). `mean` runs over all elements of
    the other batch. Labels default to 1 and 0, no smoothing; see
    `minimax_discriminator_loss` for smoothing and per-sample targets.

    Reference: [Jolicoeur-Martineau, 2018](https://arxiv.org/abs/1807.00734),
    relativistic average GANs (RaSGAN).

    Args:
        real_logits: Discriminator logits on real data, any shape.
        fake_logits: Discriminator logits on generated data, any shape.
        real_label: Target for the relativistic real logits `c_r`: a number
            in [0, 1], or a tensor that broadcasts to the shape of
            `real_logits` (its values are not checked). Defaults to `1.0`.
        fake_label: Target for `c_f`, as `real_label`. Defaults to `0.0`.

    Returns:
        A float32 scalar, at least 0.

    Raises:
        TypeError: If an input is not real-valued or a label is neither a
            number nor a tensor.
        ValueError: If a number label lies outside [0, 1] or a label tensor's
            shape does not fit its logits.

    Example:

        >>> real, fake = [-5.0, 1.4, 12.5, 2.7], [10.0, 4.4, -5.5, 3.6]
        >>> round(float(ra_sgan_discriminator_loss(real, fake)), 5)
        5.21201
    """
    real, fake = _as_logits(real_logits, fake_logits)
    real_label, fake_label = _labels(real, fake, real_label, fake_label, unit_interval=True)
    relative_real, relative_fake = _relativistic_average(real, fake)
    return _binary_cross_entropy(relative_real, real_label) + _binary_cross_entropy(relative_fake, fake_label)


# -- relativistic average least squares ---------------------------------------


def ra_lsgan_generator_loss(real_logits: tf.Tensor | ArrayLike, fake_logits: tf.Tensor | ArrayLike) -> tf.Tensor:
    """Relativistic average least-squares (RaLSGAN) generator loss.

    With `c_r = r - mean(f)` and `c_f = f - mean(r)`:
    `mean((c_f - 1) ** 2) + mean((c_r + 1) ** 2)`. The relativistic form of
    LSGAN uses the symmetric targets +1 and -1 and no 1/2 factors, as the
    paper writes it; the author's reference code divides the sum by 2, which
    only scales the loss and its gradients.

    Reference: [Jolicoeur-Martineau, 2018](https://arxiv.org/abs/1807.00734),
    relativistic average GANs (RaLSGAN).

    Args:
        real_logits: Discriminator outputs on real data, any shape.
        fake_logits: Discriminator outputs on generated data, any shape.

    Returns:
        A float32 scalar, at least 0.

    Raises:
        TypeError: If an input is not real-valued.

    Example:

        >>> real, fake = [-5.0, 1.4, 12.5, 2.7], [10.0, 4.4, -5.5, 3.6]
        >>> round(float(ra_lsgan_generator_loss(real, fake)), 5)
        71.29312
    """
    real, fake = _as_logits(real_logits, fake_logits)
    relative_real, relative_fake = _relativistic_average(real, fake)
    return ops.mean(ops.square(relative_fake - 1.0)) + ops.mean(ops.square(relative_real + 1.0))


def ra_lsgan_discriminator_loss(real_logits: tf.Tensor | ArrayLike, fake_logits: tf.Tensor | ArrayLike) -> tf.Tensor:
    """Relativistic average least-squares (RaLSGAN) discriminator loss.

    With `c_r = r - mean(f)` and `c_f = f - mean(r)`:
    `mean((c_r - 1) ** 2) + mean((c_f + 1) ** 2)`: the paper's targets +1
    and -1, no 1/2 factors (the reference code halves the sum).

    Reference: [Jolicoeur-Martineau, 2018](https://arxiv.org/abs/1807.00734),
    relativistic average GANs (RaLSGAN).

    Args:
        real_logits: Discriminator outputs on real data, any shape.
        fake_logits: Discriminator outputs on generated data, any shape.

    Returns:
        A float32 scalar, at least 0.

    Raises:
        TypeError: If an input is not real-valued.

    Example:

        >>> real, fake = [-5.0, 1.4, 12.5, 2.7], [10.0, 4.4, -5.5, 3.6]
        >>> round(float(ra_lsgan_discriminator_loss(real, fake)), 5)
        73.09312
    """
    real, fake = _as_logits(real_logits, fake_logits)
    relative_real, relative_fake = _relativistic_average(real, fake)
    return ops.mean(ops.square(relative_real - 1.0)) + ops.mean(ops.square(relative_fake + 1.0))


# -- relativistic average hinge -----------------------------------------------


def ra_hinge_generator_loss(real_logits: tf.Tensor | ArrayLike, fake_logits: tf.Tensor | ArrayLike) -> tf.Tensor:
    """Relativistic average hinge (RaHinge) generator loss.

    With `c_r = r - mean(f)` and `c_f = f - mean(r)`:
    `mean(relu(1 - c_f)) + mean(relu(1 + c_r))`, the paper's sum of two
    means (the reference code halves it).

    Reference: [Jolicoeur-Martineau, 2018](https://arxiv.org/abs/1807.00734),
    relativistic average GANs (RaHingeGAN).

    Args:
        real_logits: Discriminator outputs on real data, any shape.
        fake_logits: Discriminator outputs on generated data, any shape.

    Returns:
        A float32 scalar, at least 0.

    Raises:
        TypeError: If an input is not real-valued.

    Example:

        >>> real, fake = [-5.0, 1.4, 12.5, 2.7], [10.0, 4.4, -5.5, 3.6]
        >>> round(float(ra_hinge_generator_loss(real, fake)), 5)
        5.1625
    """
    real, fake = _as_logits(real_logits, fake_logits)
    relative_real, relative_fake = _relativistic_average(real, fake)
    return ops.mean(ops.relu(1.0 - relative_fake)) + ops.mean(ops.relu(1.0 + relative_real))


def ra_hinge_discriminator_loss(real_logits: tf.Tensor | ArrayLike, fake_logits: tf.Tensor | ArrayLike) -> tf.Tensor:
    """Relativistic average hinge (RaHinge) discriminator loss.

    With `c_r = r - mean(f)` and `c_f = f - mean(r)`:
    `mean(relu(1 - c_r)) + mean(relu(1 + c_f))`, the paper's sum of two
    means (the reference code halves it).

    Reference: [Jolicoeur-Martineau, 2018](https://arxiv.org/abs/1807.00734),
    relativistic average GANs (RaHingeGAN).

    Args:
        real_logits: Discriminator outputs on real data, any shape.
        fake_logits: Discriminator outputs on generated data, any shape.

    Returns:
        A float32 scalar, at least 0.

    Raises:
        TypeError: If an input is not real-valued.

    Example:

        >>> real, fake = [-5.0, 1.4, 12.5, 2.7], [10.0, 4.4, -5.5, 3.6]
        >>> round(float(ra_hinge_discriminator_loss(real, fake)), 5)
        6.39375
    """
    real, fake = _as_logits(real_logits, fake_logits)
    relative_real, relative_fake = _relativistic_average(real, fake)
    return ops.mean(ops.relu(1.0 - relative_real)) + ops.mean(ops.relu(1.0 + relative_fake))


# -- registry ----------------------------------------------------------------

# Family name -> (generator loss, discriminator loss). Read-only: a constant,
# not a registry that callers could mutate.
_PAIRS = types.MappingProxyType(
    {
        "minimax": (minimax_generator_loss, minimax_discriminator_loss),
        "non_saturating": (
            non_saturating_generator_loss,
            non_saturating_discriminator_loss,
        ),
        "least_squares": (
            least_squares_generator_loss,
            least_squares_discriminator_loss,
        ),
        "wasserstein": (wasserstein_generator_loss, wasserstein_discriminator_loss),
        "hinge": (hinge_generator_loss, hinge_discriminator_loss),
        "rsgan": (rsgan_generator_loss, rsgan_discriminator_loss),
        "ra_sgan": (ra_sgan_generator_loss, ra_sgan_discriminator_loss),
        "ra_lsgan": (ra_lsgan_generator_loss, ra_lsgan_discriminator_loss),
        "ra_hinge": (ra_hinge_generator_loss, ra_hinge_discriminator_loss),
    }
)

LOSS_FAMILIES = tuple(_PAIRS)
"""Names accepted by `get`, one per adversarial loss family."""


# -- the discriminator loss as a real term and a fake term ---------------------


def _bce_terms(real, fake, real_label, fake_label):
    return _binary_cross_entropy(real, real_label), _binary_cross_entropy(fake, fake_label)


def _least_squares_terms(real, fake, real_label, fake_label):
    return 0.5 * ops.mean(ops.square(real - real_label)), 0.5 * ops.mean(ops.square(fake - fake_label))


def _wasserstein_terms(real, fake, real_label, fake_label):
    return -ops.mean(real), ops.mean(fake)


def _hinge_terms(real, fake, real_label, fake_label):
    return ops.mean(ops.relu(1.0 - real)), ops.mean(ops.relu(1.0 + fake))


def _ra_sgan_terms(real, fake, real_label, fake_label):
    return _bce_terms(*_relativistic_average(real, fake), real_label, fake_label)


def _ra_lsgan_terms(real, fake, real_label, fake_label):
    relative_real, relative_fake = _relativistic_average(real, fake)
    return ops.mean(ops.square(relative_real - 1.0)), ops.mean(ops.square(relative_fake + 1.0))


def _ra_hinge_terms(real, fake, real_label, fake_label):
    return _hinge_terms(*_relativistic_average(real, fake), real_label, fake_label)


# Family name -> its discriminator loss as `(real term, fake term)`; `rsgan`
# has one paired term, `BCE(r - f, 1)`, and no such split.
_TERMS = types.MappingProxyType(
    {
        "minimax": (_bce_terms, True),
        "non_saturating": (_bce_terms, True),
        "least_squares": (_least_squares_terms, False),
        "wasserstein": (_wasserstein_terms, None),
        "hinge": (_hinge_terms, None),
        "ra_sgan": (_ra_sgan_terms, True),
        "ra_lsgan": (_ra_lsgan_terms, None),
        "ra_hinge": (_ra_hinge_terms, None),
    }
)


def discriminator_loss_terms(
    identifier: str,
    real_logits: tf.Tensor | ArrayLike,
    fake_logits: tf.Tensor | ArrayLike,
    *,
    real_label: float | tf.Tensor | ArrayLike = 1.0,
    fake_label: float | tf.Tensor | ArrayLike = 0.0,
) -> tuple[tf.Tensor, tf.Tensor] | None:
    """A family's discriminator loss split into its term on real and on generated data.

    Every family's discriminator loss but RSGAN's is a sum of two means, one
    over the real logits and one over the fake logits; sources log them
    apart (source 001's `dis_loss_on_real` / `dis_loss_on_generated`, the
    book's `d_loss_real` / `d_loss_fake`), and the generated one is the one
    to watch when tuning. The two terms add up to the family's
    discriminator loss on the same inputs. In the relativistic-average
    families the real term is the one on `r - mean(f)`, the fake term the one
    on `f - mean(r)`.

    Args:
        identifier: A family name from `LOSS_FAMILIES`.
        real_logits: Discriminator logits on real data, any shape.
        fake_logits: Discriminator logits on generated data, any shape.
        real_label: Target of the real term, for the families with
            targets (minimax, non_saturating, least_squares, ra_sgan).
            Defaults to `1.0`.
        fake_label: Target of the fake term, as `real_label`.
            Defaults to `0.0`.

    Returns:
        `(real_term, fake_term)`, float32 scalars, or `None` for `"rsgan"`,
        whose single term pairs real sample i with fake sample i.

    Raises:
        ValueError: If `identifier` is not a family name, or a target is
            out of range.

    Example:

        >>> real, fake = discriminator_loss_terms("non_saturating", [0.0], [0.0])
        >>> round(float(real), 4), round(float(fake), 4)  # log 2 each
        (0.6931, 0.6931)
    """
    if not isinstance(identifier, str) or identifier not in _PAIRS:
        raise ValueError(
            "`identifier` must name an adversarial loss family, one of "
            f"{', '.join(LOSS_FAMILIES)}. Received: identifier={identifier!r}"
        )
    if identifier not in _TERMS:
        return None
    terms, unit_interval = _TERMS[identifier]
    real, fake = _as_logits(real_logits, fake_logits)
    if unit_interval is not None:
        real_label, fake_label = _labels(real, fake, real_label, fake_label, unit_interval=unit_interval)
    return terms(real, fake, real_label, fake_label)


def get(
    identifier: str | tuple[Callable[..., tf.Tensor], Callable[..., tf.Tensor]] | list[Callable[..., tf.Tensor]],
) -> tuple[Callable[..., tf.Tensor], Callable[..., tf.Tensor]]:
    """Returns the `(generator_loss, discriminator_loss)` pair of a family.

    Lets a model take `loss="hinge"` in its configuration and resolve it to
    functions at training time. A pair of callables is returned unchanged
    (as a tuple), so custom losses that follow the
    `fn(real_logits, fake_logits)` contract can be passed wherever a family
    name is accepted.

    Args:
        identifier: A family name from `LOSS_FAMILIES` (exact spelling), or a
            `(generator_loss, discriminator_loss)` pair of callables.

    Returns:
        A tuple `(generator_loss, discriminator_loss)`.

    Raises:
        ValueError: If `identifier` is an unknown name or a sequence that is
            not a pair of callables.
        TypeError: If `identifier` is neither a string nor a sequence.

    Example:

        >>> generator_loss, discriminator_loss = get("hinge")
        >>> generator_loss.__name__
        'hinge_generator_loss'
    """
    if isinstance(identifier, str):
        if identifier not in _PAIRS:
            raise ValueError(
                "`identifier` must name an adversarial loss family, one of "
                f"{', '.join(LOSS_FAMILIES)}. Received: identifier={identifier!r}"
            )
        return _PAIRS[identifier]
    if isinstance(identifier, (tuple, list)):
        if len(identifier) != 2 or not all(callable(fn) for fn in identifier):
            raise ValueError(
                "A sequence `identifier` must be a pair of callables "
                "`(generator_loss, discriminator_loss)`. "
                f"Received: identifier={identifier!r}"
            )
        return tuple(identifier)
    raise TypeError(
        "`identifier` must be a loss family name (str) or a "
        "`(generator_loss, discriminator_loss)` pair. "
        f"Received: identifier={identifier!r} of type {type(identifier).__name__}"
    )
