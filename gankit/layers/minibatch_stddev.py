"""Minibatch standard deviation (Progressive GAN)."""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf

from gankit._checks import check_int
from gankit._checks import check_number


@keras.saving.register_keras_serializable(package="gankit")
class MinibatchStdDev(keras.layers.Layer):
    """Appends the minibatch standard deviation as one extra feature map.

    The batch is split into groups of `group_size` images. For every group it
    computes the standard deviation of each feature at each pixel over the
    group, `sqrt(var + epsilon)`, averages it over all features and pixels into
    one number, and appends that number as a constant feature map to every
    image of the group. A discriminator that sees it can tell a batch of
    near-identical (mode-collapsed) fakes from a varied real batch.

    When the batch size is smaller than `group_size`, or not divisible by it,
    the layer uses the largest group size `<= group_size` that divides the
    batch (down to 1, where the statistic is `sqrt(epsilon)`), so any batch
    size works, including a final partial batch. Groups are formed with a
    stride, as in the reference implementation: image `i` belongs to group
    `i % (batch_size // group_size)`.

    This fixes the "GANs in Action" listing 6.2, which squares `x + 1e8`
    where the paper takes `sqrt(var + 1e-8)`.

    Reference: [Karras et al., 2018](https://arxiv.org/abs/1710.10196),
    section 3.

    Args:
        group_size: Maximum number of images per group. Defaults to `4`.
        epsilon: Added to the variance before the square root.
            Defaults to `1e-8`.
        **kwargs: Base layer keyword arguments.

    Call arguments:
        inputs: A 4D tensor `(batch, height, width, channels)`.

    Input shape:
        `(batch, height, width, channels)`.

    Output shape:
        `(batch, height, width, channels + 1)`.

    Raises:
        TypeError: If `group_size` is not an integer or `epsilon` not a
            number.
        ValueError: If `group_size < 1`, `epsilon` is negative, NaN or
            infinite, or the input is not 4D.

    Example:

        >>> MinibatchStdDev(group_size=4)(np.zeros((8, 4, 4, 16), "float32")).shape
        TensorShape([8, 4, 4, 17])
    """

    def __init__(self, group_size: int = 4, epsilon: float = 1e-8, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        epsilon = check_number(epsilon, name="epsilon")
        if epsilon < 0:
            raise ValueError(f"`epsilon` must be non-negative. Received: epsilon={epsilon}")
        self.group_size = check_int(group_size, name="group_size", minimum=1)
        self.epsilon = epsilon

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(
                "`MinibatchStdDev` expects a 4D input (batch, height, width, "
                f"channels). Received: input_shape={input_shape}"
            )
        super().build(input_shape)

    def call(self, inputs):
        x = tf.cast(inputs, tf.float32)
        shape = tf.shape(x)
        batch_size = shape[0]
        # Largest divisor of the batch size that is <= group_size.
        candidates = tf.range(1, self.group_size + 1)
        divides = tf.equal(tf.math.floormod(batch_size, candidates), 0)
        group = tf.reduce_max(tf.where(divides, candidates, tf.ones_like(candidates)))
        group = tf.minimum(group, tf.maximum(batch_size, 1))
        # [group, batch // group, H, W, C]: member g of group m is image g * M + m.
        grouped = tf.reshape(x, tf.concat([[group, -1], shape[1:]], axis=0))
        variance = tf.math.reduce_variance(grouped, axis=0)
        stddev = tf.sqrt(variance + self.epsilon)
        statistic = tf.reduce_mean(stddev, axis=[1, 2, 3])  # [batch // group]
        feature = tf.tile(statistic, [group])  # back to image order
        feature_map = tf.ones_like(x[..., :1]) * feature[:, None, None, None]
        return tf.cast(tf.concat([x, feature_map], axis=-1), inputs.dtype)

    def compute_output_shape(self, input_shape):
        channels = input_shape[-1]
        return tuple(input_shape[:-1]) + (None if channels is None else channels + 1,)

    def get_config(self):
        return {
            **super().get_config(),
            "group_size": self.group_size,
            "epsilon": self.epsilon,
        }
