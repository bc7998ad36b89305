"""Pixelwise feature vector normalization (Progressive GAN)."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from gankit._checks import check_number


@keras.saving.register_keras_serializable(package="gankit")
class PixelNormalization(keras.layers.Layer):
    """Normalizes the feature vector at every pixel to unit average square.

    Computes `x / sqrt(mean(x ** 2 over channels) + epsilon)` independently at
    each spatial position. Progressive GAN uses it after every convolution of
    the generator to stop feature magnitudes from escalating. It has no
    weights. Channels are the last axis.

    Reference: [Karras et al., 2018](https://arxiv.org/abs/1710.10196),
    section 4.2; "GANs in Action" listing 6.4.

    Args:
        epsilon: Small constant inside the square root. Defaults to `1e-8`.
        **kwargs: Base layer keyword arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: A tensor with channels on the last axis.

    Input shape:
        Any shape `(batch, ..., channels)`.

    Output shape:
        Same as the input.

    Raises:
        TypeError: If `epsilon` is not a number.
        ValueError: If `epsilon` is negative, NaN or infinite.

    Example:

        >>> PixelNormalization()(np.full((1, 2, 2, 4), 3.0, "float32"))[0, 0, 0]
        <tf.Tensor: shape=(4,), dtype=float32, numpy=array([1., 1., 1., 1.], dtype=float32)>
    """

    def __init__(self, epsilon: float = 1e-8, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        epsilon = check_number(epsilon, name="epsilon")
        if epsilon < 0:
            raise ValueError(f"`epsilon` must be non-negative. Received: epsilon={epsilon}")
        self.epsilon = epsilon
        self.supports_masking = True

    def call(self, inputs):
        # Statistics in float32: x ** 2 overflows float16 for |x| > 256.
        x = ops.cast(inputs, "float32")
        mean_square = ops.mean(ops.square(x), axis=-1, keepdims=True)
        return ops.cast(x * ops.rsqrt(mean_square + self.epsilon), inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon}
