"""Spectrally normalized convolution, transposed convolution and dense layers.

Reference: Miyato et al., "Spectral Normalization for Generative Adversarial
Networks", ICLR 2018, https://arxiv.org/abs/1802.05957.

Each layer divides its kernel by an estimate of the kernel's largest singular
value `sigma`, obtained by power iteration, every time it is called. Unlike
`keras.layers.SpectralNormalization`, which writes the normalized kernel back
into the wrapped layer (and so cuts the gradient through `sigma`), these layers
keep the raw kernel as the trainable variable and compute `W / sigma` inside
`call`, so the gradient flows through `sigma` as in the paper (its Eq. 12).
The only extra state is the power-iteration vector `u`, updated only when the
layer runs in training mode.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import tensorflow as tf
from keras import ops

from gankit._checks import check_int

# Layout note: a Keras kernel is stored with the output features last for
# `Dense` (in, out) and `Conv2D` (kh, kw, in, out), and with the *input*
# features last for `Conv2DTranspose` (kh, kw, out, in). Reshaping every kernel
# to (-1, kernel.shape[-1]) therefore groups one side of the linear map on the
# last axis in all three cases; the matrix is the transpose of the paper's W
# (or W itself for the transposed convolution), which has the same singular
# values, so one power-iteration routine serves all three layers.


def _l2_normalize(x, epsilon=1e-12):
    return x * ops.rsqrt(ops.maximum(ops.sum(ops.square(x)), epsilon))


class _SpectralNormMixin:
    """Power iteration and the normalized kernel, shared by the SN layers."""

    def _build_power_iteration_vector(self):
        num_columns = self.kernel.shape[-1]
        # Under tf.distribute the update runs in replica context. Every
        # replica computes the same `u` from the same mirrored kernel, so the
        # first replica's value is written to all (`only_first_replica`):
        # no cross-replica reduction, and replicas can never drift apart.
        self.sn_u = self.add_weight(
            name="sn_u",
            shape=(1, num_columns),
            initializer=keras.initializers.RandomNormal(0.0, 1.0, seed=self.sn_seed),
            trainable=False,
            autocast=False,
            aggregation="only_first_replica",
        )

    def spectral_norm(self, training: bool = False) -> tf.Tensor:
        """Estimates the largest singular value of the kernel.

        Runs `power_iterations` steps of power iteration starting from the
        stored vector `u`. The stored vector is updated only when
        `training=True`.

        Args:
            training: Whether to store the refined vector `u`.
                Defaults to `False`.

        Returns:
            A float32 scalar tensor, the estimate of `sigma(W)`.
        """
        sigma, _ = self._sigma_and_kernel(training)
        return sigma

    def normalized_kernel(self, training: bool = False) -> tf.Tensor:
        """Returns the kernel divided by its spectral norm estimate.

        Args:
            training: Whether to store the refined power-iteration vector.
                Defaults to `False`.

        Returns:
            A tensor with the kernel's shape, in the layer's compute dtype.
        """
        _, kernel = self._sigma_and_kernel(training)
        return kernel

    def _sigma_and_kernel(self, training):
        kernel = self.kernel
        # Power iteration in float32 even under a mixed-precision policy.
        kernel_32 = ops.cast(kernel, "float32")
        matrix = ops.reshape(kernel_32, (-1, kernel_32.shape[-1]))
        u = ops.convert_to_tensor(self.sn_u)
        for _ in range(self.power_iterations):
            v = _l2_normalize(ops.matmul(u, ops.transpose(matrix)))
            u = _l2_normalize(ops.matmul(v, matrix))
        # u and v are treated as constants (Miyato et al., Appendix A): the
        # gradient reaches W through sigma = v^T W u only.
        u = ops.stop_gradient(u)
        v = ops.stop_gradient(v)
        sigma = ops.sum(ops.matmul(v, matrix) * u)
        if training:
            self.sn_u.assign(u)
        return sigma, ops.cast(kernel_32 / sigma, kernel.dtype)

    def _add_bias_and_activate(self, outputs):
        if self.use_bias:
            bias = self.bias
            if getattr(self, "data_format", "channels_last") == "channels_first":
                bias = ops.reshape(bias, (1, self.filters) + (1,) * self.rank)
            outputs = ops.add(outputs, bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    # Keras' Conv and Dense layers save only kernel and bias (their quantized
    # variants have other layouts); the generic Layer methods save every
    # variable, the power-iteration vector included.
    def save_own_variables(self, store):
        keras.layers.Layer.save_own_variables(self, store)

    def load_own_variables(self, store):
        keras.layers.Layer.load_own_variables(self, store)

    def _spectral_config(self):
        return {"power_iterations": self.power_iterations, "sn_seed": self.sn_seed}


@keras.saving.register_keras_serializable(package="gankit")
class ConvSN2D(_SpectralNormMixin, keras.layers.Conv2D):
    """2D convolution with a spectrally normalized kernel.

    A `keras.layers.Conv2D` whose kernel is divided by its largest singular
    value (estimated by power iteration) on every call, which makes the layer
    1-Lipschitz and stabilises discriminator training. This is the `ConvSN2D`
    layer of the Kaggle dogs DCGAN post, written for Keras 3.

    Reference: [Miyato et al., 2018](https://arxiv.org/abs/1802.05957).

    Args:
        filters: Number of output channels.
        kernel_size: Integer or tuple of 2 integers.
        power_iterations: Power-iteration steps per call (the paper uses 1,
            relying on the vector carried over between training steps).
            Defaults to `1`.
        sn_seed: Seed for the initial power-iteration vector.
            Defaults to `None`.
        **kwargs: Any other `keras.layers.Conv2D` argument (`strides`,
            `padding`, `use_bias`, `kernel_initializer`, ...).

    Call arguments:
        inputs: A 4D tensor.
        training: Whether to update the stored power-iteration vector.
            Defaults to `None` (inference: no update).

    Input shape:
        `(batch, height, width, channels)` (or channels first).

    Output shape:
        As `keras.layers.Conv2D`.

    Raises:
        TypeError: If `power_iterations` is not an integer.
        ValueError: If `power_iterations` is smaller than 1.

    Example:

        >>> layer = ConvSN2D(8, 3, padding="same")
        >>> layer(np.zeros((2, 16, 16, 3), "float32")).shape
        TensorShape([2, 16, 16, 8])
    """

    def __init__(
        self,
        filters: int,
        kernel_size: int | Sequence[int],
        power_iterations: int = 1,
        sn_seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(filters, kernel_size, **kwargs)
        self.power_iterations = check_int(power_iterations, name="power_iterations", minimum=1)
        self.sn_seed = sn_seed

    def build(self, input_shape):
        super().build(input_shape)
        self._build_power_iteration_vector()

    def call(self, inputs, training=None):
        _, kernel = self._sigma_and_kernel(bool(training))
        return self._add_bias_and_activate(self.convolution_op(inputs, kernel))

    def get_config(self):
        return {**super().get_config(), **self._spectral_config()}


@keras.saving.register_keras_serializable(package="gankit")
class ConvSN2DTranspose(_SpectralNormMixin, keras.layers.Conv2DTranspose):
    """Transposed 2D convolution with a spectrally normalized kernel.

    Reference: [Miyato et al., 2018](https://arxiv.org/abs/1802.05957).

    Args:
        filters: Number of output channels.
        kernel_size: Integer or tuple of 2 integers.
        power_iterations: Power-iteration steps per call. Defaults to `1`.
        sn_seed: Seed for the initial power-iteration vector.
            Defaults to `None`.
        **kwargs: Any other `keras.layers.Conv2DTranspose` argument.

    Call arguments:
        inputs: A 4D tensor.
        training: Whether to update the stored power-iteration vector.
            Defaults to `None` (inference: no update).

    Input shape:
        `(batch, height, width, channels)` (or channels first).

    Output shape:
        As `keras.layers.Conv2DTranspose`.

    Raises:
        TypeError: If `power_iterations` is not an integer.
        ValueError: If `power_iterations` is smaller than 1.

    Example:

        >>> layer = ConvSN2DTranspose(4, 4, strides=2, padding="same")
        >>> layer(np.zeros((2, 8, 8, 3), "float32")).shape
        TensorShape([2, 16, 16, 4])
    """

    def __init__(
        self,
        filters: int,
        kernel_size: int | Sequence[int],
        power_iterations: int = 1,
        sn_seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(filters, kernel_size, **kwargs)
        self.power_iterations = check_int(power_iterations, name="power_iterations", minimum=1)
        self.sn_seed = sn_seed

    def build(self, input_shape):
        super().build(input_shape)
        self._build_power_iteration_vector()

    def call(self, inputs, training=None):
        _, kernel = self._sigma_and_kernel(bool(training))
        outputs = ops.conv_transpose(
            inputs,
            kernel,
            strides=list(self.strides),
            padding=self.padding,
            output_padding=self.output_padding,
            dilation_rate=self.dilation_rate,
            data_format=self.data_format,
        )
        return self._add_bias_and_activate(outputs)

    def get_config(self):
        return {**super().get_config(), **self._spectral_config()}


@keras.saving.register_keras_serializable(package="gankit")
class DenseSN(_SpectralNormMixin, keras.layers.Dense):
    """Densely connected layer with a spectrally normalized kernel.

    Reference: [Miyato et al., 2018](https://arxiv.org/abs/1802.05957).

    Args:
        units: Dimensionality of the output space.
        power_iterations: Power-iteration steps per call. Defaults to `1`.
        sn_seed: Seed for the initial power-iteration vector.
            Defaults to `None`.
        **kwargs: Any other `keras.layers.Dense` argument.

    Call arguments:
        inputs: A tensor of rank 2 or more.
        training: Whether to update the stored power-iteration vector.
            Defaults to `None` (inference: no update).

    Input shape:
        `(batch, ..., input_dim)`.

    Output shape:
        `(batch, ..., units)`.

    Raises:
        TypeError: If `power_iterations` is not an integer.
        ValueError: If `power_iterations` is smaller than 1.

    Example:

        >>> layer = DenseSN(1)
        >>> layer(np.zeros((2, 10), "float32")).shape
        TensorShape([2, 1])
    """

    def __init__(self, units: int, power_iterations: int = 1, sn_seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(units, **kwargs)
        self.power_iterations = check_int(power_iterations, name="power_iterations", minimum=1)
        self.sn_seed = sn_seed

    def build(self, input_shape):
        super().build(input_shape)
        self._build_power_iteration_vector()

    def call(self, inputs, training=None):
        _, kernel = self._sigma_and_kernel(bool(training))
        return self._add_bias_and_activate(ops.matmul(inputs, kernel))

    def get_config(self):
        return {**super().get_config(), **self._spectral_config()}
