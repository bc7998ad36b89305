"""Reflection padding (the CycleGAN paper's ResNet generator)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="gankit")
class ReflectionPadding2D(keras.layers.Layer):
    """Pads height and width by mirroring the border (no edge repeated).

    The CycleGAN paper's ResNet generator pads with reflection before its
    7x7 and residual 3x3 convolutions, which avoids the dark borders of
    zero padding. A registered layer (not a `Lambda`), so models using it
    load with `safe_mode=True`.

    Reference: [Zhu et al., 2017](https://arxiv.org/abs/1703.10593),
    appendix 7.2.

    Args:
        padding: Rows/columns added on each side, an int or a pair
            `(height_pad, width_pad)`; must be smaller than the input size.
            Defaults to `1`.
        **kwargs: Base layer arguments.

    Input shape:
        `(batch, height, width, channels)`.

    Output shape:
        `(batch, height + 2 * height_pad, width + 2 * width_pad, channels)`.

    Raises:
        TypeError: If `padding` is not an int or a pair of ints.
        ValueError: If a padding is negative or not smaller than the input.

    Example:

        >>> x = np.arange(3, dtype="float32").reshape(1, 1, 3, 1)
        >>> ReflectionPadding2D((0, 1))(x)[0, 0, :, 0].numpy().tolist()
        [1.0, 0.0, 1.0, 2.0, 1.0]
    """

    def __init__(self, padding: int | Sequence[int] = 1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        pair = (padding, padding) if isinstance(padding, int) and not isinstance(padding, bool) else padding
        try:
            pair = tuple(pair)
        except TypeError:
            raise TypeError(f"`padding` must be an int or a pair of ints. Received: padding={padding!r}") from None
        if len(pair) != 2 or any(isinstance(p, bool) or not isinstance(p, int) for p in pair):
            raise TypeError(f"`padding` must be an int or a pair of ints. Received: padding={padding!r}")
        if min(pair) < 0:
            raise ValueError(f"`padding` must be non-negative. Received: padding={padding!r}")
        self.padding = pair

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(
                f"ReflectionPadding2D expects (batch, height, width, channels) inputs. "
                f"Received: input_shape={input_shape}"
            )
        for size, pad in zip(input_shape[1:3], self.padding):
            if size is not None and pad >= size:
                raise ValueError(
                    f"Reflection padding must be smaller than the input size. "
                    f"Received: padding={self.padding}, input_shape={input_shape}"
                )

    def call(self, inputs):
        h, w = self.padding
        return tf.pad(inputs, [[0, 0], [h, h], [w, w], [0, 0]], mode="REFLECT")

    def compute_output_shape(self, input_shape):
        h, w = self.padding
        batch, height, width, channels = input_shape
        return (
            batch,
            None if height is None else height + 2 * h,
            None if width is None else width + 2 * w,
            channels,
        )

    def get_config(self):
        return {**super().get_config(), "padding": self.padding}
