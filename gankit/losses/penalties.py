"""Regularisers of the discriminator: gradient penalties and weight clipping.

The penalties differentiate the discriminator with respect to its *input*
under a nested `tf.GradientTape`. Called inside the training step's own tape,
the result is differentiable with respect to the discriminator's weights
(second-order gradients), which is what the penalty needs to act.

Both penalties differentiate the sum of the outputs over the batch, which
gives each sample's own input gradient only when samples do not interact
inside the discriminator: do not use batch normalization in a penalised
critic (Gulrajani et al. recommend layer normalization instead).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable

import keras
import tensorflow as tf
from keras import ops
from numpy.typing import ArrayLike

from gankit._checks import check_bool
from gankit._checks import check_number
from gankit.losses._utils import random_uniform
from gankit.losses._utils import to_float_tensor


def _call(model, inputs, training):
    # Keras layers and models take `training`; plain functions need not.
    if isinstance(model, keras.layers.Layer):
        return model(inputs, training=training)
    return model(inputs)


def _check_model(model, name):
    if not callable(model):
        raise TypeError(
            f"`{name}` must be callable (a Keras model, layer or function). "
            f"Received: {name}={model!r} of type {type(model).__name__}"
        )


def _input_gradients(model, inputs, training, name):
    """Per-sample gradients of `model`'s outputs with respect to `inputs`."""
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        # float32 before summing: float16 outputs of a mixed-precision model
        # would overflow in the sum.
        outputs = ops.sum(ops.cast(_call(model, inputs, training), "float32"))
    gradients = tape.gradient(outputs, inputs)
    if gradients is None:
        raise ValueError(
            f"The outputs of `{name}` do not depend on its input, so the "
            "gradient penalty is undefined. Check that the model uses its "
            "input and does not stop its gradient."
        )
    return gradients


def _check_images(images, name):
    images = to_float_tensor(images, name)
    if images.shape.rank is None or images.shape.rank < 2:
        raise ValueError(
            f"`{name}` must be a batch of samples with rank >= 2, e.g. "
            f"`(batch, height, width, channels)`. Received: "
            f"{name}.shape={images.shape}"
        )
    return images


def gradient_penalty(
    critic: keras.layers.Layer | Callable[[tf.Tensor], tf.Tensor],
    real_images: tf.Tensor | ArrayLike,
    fake_images: tf.Tensor | ArrayLike,
    *,
    one_sided: bool = False,
    epsilon: float = 1e-10,
    target: float = 1.0,
    training: bool = True,
    seed: int | keras.random.SeedGenerator | tf.Tensor | None = None,
) -> tf.Tensor:
    """WGAN-GP gradient penalty on random interpolates of real and fake data.

    Draws one `alpha ~ U[0, 1]` per sample (shape `(batch, 1, ..., 1)`,
    broadcast over the sample; keras.io's WGAN-GP example draws it from a
    normal distribution, which is not the paper's), forms
    `x = alpha * real + (1 - alpha) * fake`, and returns
    `mean((||grad critic(x)|| - target) ** 2)` with the L2 norm taken over
    all non-batch axes as `sqrt(sum(grad ** 2) + epsilon)` (epsilon inside
    the square root keeps the gradient of the norm finite at 0). The one-sided
    variant `mean(relu(||grad|| - target) ** 2)` only penalises norms above
    the target.

    The penalty is returned *unweighted*: add `lambda * penalty` to the
    critic loss yourself (lambda = 10 in the paper). Interpolation and the
    norm are computed in float32.

    Reference: [Gulrajani et al., 2017](https://arxiv.org/abs/1704.00028),
    algorithm 1 (lambda = 10); the paper also discusses the one-sided
    variant.

    Args:
        critic: A Keras model or layer, or a function, mapping a batch of
            samples to critic outputs (any shape with the batch first).
        real_images: Floating-point batch of real samples, rank >= 2.
        fake_images: Floating-point batch of generated samples, the same
            shape as `real_images`.
        one_sided: Whether to penalise only gradient norms above `target`.
            Defaults to `False`.
        epsilon: Added under the square root of the norm; must be >= 0.
            Defaults to `1e-10`.
        target: Gradient norm the critic is pushed towards; must be > 0.
            Defaults to `1.0`.
        training: Passed to `critic` when it is a Keras layer or model.
            Defaults to `True`.
        seed: `None` for fresh randomness on every call, an int for the same
            `alpha` on every call, a `keras.random.SeedGenerator` for a
            reproducible sequence, or a stateless seed tensor of shape `(2,)`
            (what gankit's training models pass, drawn from their
            checkpointed `rng_state`). Defaults to `None`.

    Returns:
        A float32 scalar, the unweighted penalty.

    Raises:
        TypeError: If `critic` is not callable, the images are not floating
            point, or an argument has the wrong type.
        ValueError: If the images' shapes differ or have rank < 2, an
            argument is NaN, infinite or out of range, or the critic ignores
            its input.

    Example:

        >>> critic = lambda x: 2.0 * x  # gradient 2 per coordinate: norm 4.
        >>> real = tf.constant([[-12.3, 23.2, 16.3, -43.2]])
        >>> fake = tf.constant([[3.1, 2.3, -12.3, 32.1]])
        >>> float(gradient_penalty(critic, real, fake, seed=0))  # (4 - 1) ** 2
        9.0
    """
    _check_model(critic, "critic")
    check_bool(one_sided, name="one_sided")
    epsilon = check_number(epsilon, name="epsilon", minimum=0.0)
    target = check_number(target, name="target", minimum=0.0, min_inclusive=False)
    real_images = _check_images(real_images, "real_images")
    fake_images = _check_images(fake_images, "fake_images")
    if not real_images.shape.is_compatible_with(fake_images.shape):
        raise ValueError(
            "`real_images` and `fake_images` must have the same shape. "
            f"Received: real_images.shape={real_images.shape}, "
            f"fake_images.shape={fake_images.shape}"
        )
    real_images = ops.cast(real_images, "float32")
    fake_images = ops.cast(fake_images, "float32")

    rank = real_images.shape.rank
    batch_size = ops.shape(real_images)[0]
    alpha = random_uniform((batch_size,) + (1,) * (rank - 1), seed)
    interpolates = alpha * real_images + (1.0 - alpha) * fake_images

    gradients = _input_gradients(critic, interpolates, training, "critic")
    norms = ops.sqrt(ops.sum(ops.square(gradients), axis=tuple(range(1, rank))) + epsilon)
    excess = norms - target
    if one_sided:
        excess = ops.relu(excess)
    return ops.mean(ops.square(excess))


def r1_penalty(
    discriminator: keras.layers.Layer | Callable[[tf.Tensor], tf.Tensor],
    real_images: tf.Tensor | ArrayLike,
    *,
    gamma: float = 10.0,
    training: bool = True,
) -> tf.Tensor:
    """R1 regulariser: `gamma / 2 * mean(||grad D(x)||^2)` on real data.

    Penalises the squared gradient norm of the discriminator's logits at real
    samples only, which makes GAN training locally convergent for
    non-Wasserstein losses (used by StyleGAN with the non-saturating loss).
    Unlike `gradient_penalty` it needs no interpolation and no target norm.
    The weight is applied here: the result is the full term `gamma / 2 * E
    [||grad||^2]` of the paper, to be added to the discriminator loss as is
    (`gamma=1.0` gives half the mean squared norm).

    Reference: [Mescheder et al., 2018](https://arxiv.org/abs/1801.04406),
    equation 9.

    Args:
        discriminator: A Keras model or layer, or a function, mapping a batch
            of samples to logits (any shape with the batch first).
        real_images: Floating-point batch of real samples, rank >= 2.
        gamma: Regularisation weight; must be >= 0. Defaults to `10.0` (the
            paper's value for most of its experiments).
        training: Passed to `discriminator` when it is a Keras layer or
            model. Defaults to `True`.

    Returns:
        A float32 scalar, `gamma / 2` times the mean squared gradient norm.

    Raises:
        TypeError: If `discriminator` is not callable, `real_images` is not
            floating point, or `gamma` is not a number.
        ValueError: If `real_images` has rank < 2, `gamma` is negative, NaN
            or infinite, or the discriminator ignores its input.

    Example:

        >>> discriminator = lambda x: 3.0 * x  # squared gradient norm 9 * 4.
        >>> real = tf.ones((2, 4))
        >>> float(r1_penalty(discriminator, real, gamma=10.0))  # 5 * 36
        180.0
    """
    _check_model(discriminator, "discriminator")
    gamma = check_number(gamma, name="gamma", minimum=0.0)
    real_images = ops.cast(_check_images(real_images, "real_images"), "float32")
    gradients = _input_gradients(discriminator, real_images, training, "discriminator")
    rank = real_images.shape.rank
    squared_norms = ops.sum(ops.square(gradients), axis=tuple(range(1, rank)))
    return 0.5 * gamma * ops.mean(squared_norms)


def clip_weights(variables: Iterable[keras.Variable | tf.Variable], clip_value: float = 0.01) -> None:
    """Clips variables in place to `[-clip_value, clip_value]` (WGAN).

    The original WGAN enforces the critic's Lipschitz constraint by clipping
    every weight after each critic update. Call it after
    `optimizer.apply_gradients`, inside or outside `tf.function`.
    `gradient_penalty` is the better-behaved alternative.

    Reference: [Arjovsky et al., 2017](https://arxiv.org/abs/1701.07875),
    algorithm 1 (c = 0.01).

    Args:
        variables: Iterable of variables to clip, e.g.
            `critic.trainable_variables`.
        clip_value: Bound of the clipping range; must be > 0. Defaults to
            `0.01`.

    Returns:
        None. The variables are updated in place.

    Raises:
        TypeError: If `variables` is a layer or not an iterable of
            variables, or `clip_value` is not a number.
        ValueError: If `clip_value` is not positive or is infinite.

    Example:

        >>> layer = keras.layers.Dense(2, kernel_initializer="ones")
        >>> layer.build((None, 3))
        >>> clip_weights(layer.trainable_variables, clip_value=0.5)
        >>> float(ops.max(layer.kernel))
        0.5
    """
    clip_value = check_number(clip_value, name="clip_value", minimum=0.0, min_inclusive=False)
    if isinstance(variables, keras.layers.Layer):
        raise TypeError(
            "`variables` must be an iterable of variables, not a layer. "
            f"Pass `{variables.name}.trainable_variables` instead. "
            f"Received: variables={variables!r}"
        )
    try:
        variables = list(variables)
    except TypeError:
        raise TypeError(
            "`variables` must be an iterable of variables. "
            f"Received: variables={variables!r} of type "
            f"{type(variables).__name__}"
        ) from None
    for variable in variables:
        if not hasattr(variable, "assign"):
            raise TypeError(
                "Every element of `variables` must be a variable with "
                f"`assign`. Received an element {variable!r} of type "
                f"{type(variable).__name__}"
            )
    for variable in variables:
        variable.assign(ops.clip(variable, -clip_value, clip_value))
