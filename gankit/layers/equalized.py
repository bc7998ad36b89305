"""Equalized learning-rate convolution and dense layers (Progressive GAN)."""

from __future__ import annotations

import math
from collections.abc import Callable
from collections.abc import Sequence
from typing import Any

import keras
from keras import ops

from gankit._checks import check_int
from gankit._checks import check_number


def _validate_gain(gain):
    return check_number(gain, name="gain", minimum=0.0, min_inclusive=False)


class _EqualizedMixin:
    """Weights drawn from N(0, 1), scaled by `gain / sqrt(fan_in)` at run time."""

    def _add_scaled_kernel(self, kernel_shape, fan_in):
        # He's constant: std = gain / sqrt(fan_in) (He et al. 2015), applied on
        # every call instead of at initialization, so that Adam's per-weight
        # step sizes act on weights of the same dynamic range (Karras et al.,
        # section 4.1). This replaces the book's listing 6.3, which misuses
        # `K.get_value`.
        self.scale = self.gain / math.sqrt(fan_in)
        self.kernel = self.add_weight(
            name="kernel",
            shape=kernel_shape,
            initializer=keras.initializers.RandomNormal(0.0, 1.0, seed=self.seed),
        )
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(kernel_shape[-1],), initializer="zeros")
        else:
            self.bias = None

    def _finish(self, outputs):
        if self.bias is not None:
            outputs = ops.add(outputs, self.bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    def _equalized_config(self):
        return {
            "gain": self.gain,
            "use_bias": self.use_bias,
            "activation": keras.activations.serialize(self.activation) if self.activation else None,
            "seed": self.seed,
        }


@keras.saving.register_keras_serializable(package="gankit")
class EqualizedConv2D(_EqualizedMixin, keras.layers.Layer):
    """2D convolution with the equalized learning rate of Progressive GAN.

    The kernel is stored with unit-variance N(0, 1) entries and multiplied by
    the He constant `gain / sqrt(fan_in)` (`fan_in = kernel_height *
    kernel_width * input_channels`) on every call. Channels are the last axis.

    Reference: [Karras et al., 2018](https://arxiv.org/abs/1710.10196),
    section 4.1.

    Args:
        filters: Number of output channels.
        kernel_size: Integer or tuple of 2 integers. Defaults to `3`.
        strides: Integer or tuple of 2 integers. Defaults to `1`.
        padding: `"same"` or `"valid"`. Defaults to `"same"`.
        gain: Numerator of the run-time scale. Defaults to `sqrt(2)`.
        use_bias: Whether to add a bias (initialized to zero).
            Defaults to `True`.
        activation: Activation applied after the bias. Defaults to `None`.
        seed: Seed of the N(0, 1) kernel initializer. Defaults to `None`.
        **kwargs: Base layer keyword arguments.

    Call arguments:
        inputs: A 4D tensor.

    Input shape:
        `(batch, height, width, channels)`.

    Output shape:
        `(batch, new_height, new_width, filters)`.

    Raises:
        TypeError: If `filters` is not an integer or `gain` not a number.
        ValueError: If `filters < 1`, `gain <= 0` or is infinite, or
            `padding` is unknown.

    Example:

        >>> layer = EqualizedConv2D(8, 3)
        >>> layer(np.zeros((1, 4, 4, 16), "float32")).shape
        TensorShape([1, 4, 4, 8])
        >>> round(layer.scale, 6)  # sqrt(2) / sqrt(3 * 3 * 16)
        0.117851
    """

    def __init__(
        self,
        filters: int,
        kernel_size: int | Sequence[int] = 3,
        strides: int | Sequence[int] = 1,
        padding: str = "same",
        gain: float = math.sqrt(2.0),
        use_bias: bool = True,
        activation: str | dict[str, Any] | Callable[..., Any] | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.filters = check_int(filters, name="filters", minimum=1)
        self.kernel_size = _pair("kernel_size", kernel_size)
        self.strides = _pair("strides", strides)
        padding = str(padding).lower()
        if padding not in ("same", "valid"):
            raise ValueError(f"`padding` must be 'same' or 'valid'. Received: padding={padding!r}")
        self.padding = padding
        self.gain = _validate_gain(gain)
        self.use_bias = bool(use_bias)
        self.activation = keras.activations.get(activation) if activation else None
        self.seed = seed

    def build(self, input_shape):
        if len(input_shape) != 4 or input_shape[-1] is None:
            raise ValueError(
                "`EqualizedConv2D` expects a 4D input with a known number of "
                f"channels. Received: input_shape={input_shape}"
            )
        in_channels = int(input_shape[-1])
        fan_in = self.kernel_size[0] * self.kernel_size[1] * in_channels
        self._add_scaled_kernel(self.kernel_size + (in_channels, self.filters), fan_in)

    def call(self, inputs):
        outputs = ops.conv(
            inputs,
            self.kernel * self.scale,
            strides=self.strides,
            padding=self.padding,
            data_format="channels_last",
        )
        return self._finish(outputs)

    def compute_output_shape(self, input_shape):
        spatial = []
        for size, kernel, stride in zip(input_shape[1:3], self.kernel_size, self.strides):
            if size is None:
                spatial.append(None)
            elif self.padding == "same":
                spatial.append(-(-size // stride))
            else:
                spatial.append((size - kernel) // stride + 1)
        return (input_shape[0], *spatial, self.filters)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            **self._equalized_config(),
        }


@keras.saving.register_keras_serializable(package="gankit")
class EqualizedDense(_EqualizedMixin, keras.layers.Layer):
    """Dense layer with the equalized learning rate of Progressive GAN.

    The kernel is stored with N(0, 1) entries and multiplied by
    `gain / sqrt(input_dim)` on every call.

    Reference: [Karras et al., 2018](https://arxiv.org/abs/1710.10196),
    section 4.1.

    Args:
        units: Dimensionality of the output space.
        gain: Numerator of the run-time scale. Defaults to `sqrt(2)`.
        use_bias: Whether to add a bias (initialized to zero).
            Defaults to `True`.
        activation: Activation applied after the bias. Defaults to `None`.
        seed: Seed of the N(0, 1) kernel initializer. Defaults to `None`.
        **kwargs: Base layer keyword arguments.

    Call arguments:
        inputs: A tensor `(batch, ..., input_dim)`.

    Input shape:
        `(batch, ..., input_dim)`.

    Output shape:
        `(batch, ..., units)`.

    Raises:
        TypeError: If `units` is not an integer or `gain` not a number.
        ValueError: If `units < 1`, or `gain <= 0` or is infinite.

    Example:

        >>> layer = EqualizedDense(4, gain=1.0)
        >>> layer(np.zeros((2, 16), "float32")).shape
        TensorShape([2, 4])
        >>> layer.scale  # 1 / sqrt(16)
        0.25
    """

    def __init__(
        self,
        units: int,
        gain: float = math.sqrt(2.0),
        use_bias: bool = True,
        activation: str | dict[str, Any] | Callable[..., Any] | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.units = check_int(units, name="units", minimum=1)
        self.gain = _validate_gain(gain)
        self.use_bias = bool(use_bias)
        self.activation = keras.activations.get(activation) if activation else None
        self.seed = seed

    def build(self, input_shape):
        if input_shape[-1] is None:
            raise ValueError(
                f"`EqualizedDense` needs a known last input dimension. Received: input_shape={input_shape}"
            )
        input_dim = int(input_shape[-1])
        self._add_scaled_kernel((input_dim, self.units), input_dim)

    def call(self, inputs):
        return self._finish(ops.matmul(inputs, self.kernel * self.scale))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {**super().get_config(), "units": self.units, **self._equalized_config()}


def _pair(name, value):
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value, value)
    value = tuple(value)
    if len(value) != 2 or not all(isinstance(v, int) and v >= 1 for v in value):
        raise ValueError(
            f"`{name}` must be a positive integer or a tuple of 2 positive integers. Received: {name}={value}"
        )
    return value
