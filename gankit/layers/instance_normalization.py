"""Instance normalization (CycleGAN)."""

from __future__ import annotations

from typing import Any

import keras

from gankit._checks import check_number


@keras.saving.register_keras_serializable(package="gankit")
class InstanceNormalization(keras.layers.GroupNormalization):
    """Normalizes each channel of each sample over its spatial positions.

    Instance normalization is group normalization with one channel per group:
    for every sample and channel, `(x - mean) / sqrt(var + epsilon)` over the
    spatial axes, followed by a learned per-channel scale and offset. CycleGAN
    uses it in place of batch norm because it works with batch size 1. This
    replaces `keras_contrib.layers.InstanceNormalization` used by the book.

    Reference: [Ulyanov et al., 2016](https://arxiv.org/abs/1607.08022).

    Args:
        axis: The channel axis. Defaults to `-1`.
        epsilon: Added to the variance. Defaults to `1e-3` (the
            keras_contrib layer the book uses).
        center: Whether to learn a per-channel offset. Defaults to `True`.
        scale: Whether to learn a per-channel scale. Defaults to `True`.
        **kwargs: Other `keras.layers.GroupNormalization` arguments
            (initializers, regularizers, constraints) and base layer
            keyword arguments. `groups` is not accepted: it is always one
            group per channel.

    Call arguments:
        inputs: A tensor of rank 3 or more.

    Input shape:
        `(batch, ..., channels)`.

    Output shape:
        Same as the input.

    Raises:
        TypeError: If `groups` is passed or `epsilon` is not a number.
        ValueError: If `epsilon` is NaN or infinite.

    Example:

        >>> x = np.random.rand(2, 8, 8, 3).astype("float32")
        >>> y = InstanceNormalization(center=False, scale=False)(x)
        >>> np.allclose(np.mean(y, axis=(1, 2)), 0.0, atol=1e-5)
        True
    """

    def __init__(
        self, axis: int = -1, epsilon: float = 1e-3, center: bool = True, scale: bool = True, **kwargs: Any
    ) -> None:
        if "groups" in kwargs:
            raise TypeError(
                "`InstanceNormalization` always uses one group per channel and "
                f"takes no `groups` argument. Received: groups={kwargs['groups']!r}. "
                "Use keras.layers.GroupNormalization for other group counts."
            )
        # Checked, then passed on unchanged (as `GroupNormalization` stores it).
        check_number(epsilon, name="epsilon")
        super().__init__(groups=-1, axis=axis, epsilon=epsilon, center=center, scale=scale, **kwargs)

    def get_config(self):
        config = super().get_config()
        config.pop("groups", None)
        return config
