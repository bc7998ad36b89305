"""Instance normalization (CycleGAN)."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from gankit._checks import check_number


@keras.saving.register_keras_serializable(package="gankit")
class InstanceNormalization(keras.layers.GroupNormalization):
    """Normalizes each channel of each sample over its spatial positions.

    Instance normalization is group normalization with one channel per group:
    for every sample and channel, `(x - mean) / sqrt(var + epsilon)` over the
    spatial axes, followed by a learned per-channel scale and offset. CycleGAN
    uses it in place of batch norm because it works with batch size 1. This
    is the paper's definition and gankit's default.

    `axis=None` is instead the layer "GANs in Action" chapter 9 actually ran:
    `keras_contrib.layers.InstanceNormalization()`, whose default `axis=None`
    normalizes each sample over *all* its non-batch axes together (height,
    width and channels) with one scalar scale `gamma` and one scalar offset
    `beta` (weights of shape `(1,)`), and computes, as keras_contrib's `call`
    does,

        (x - mean) / (std + epsilon) * gamma + beta

    with `std` the population standard deviation: `epsilon` is added to the
    standard deviation there, not to the variance (keras-contrib,
    `keras_contrib/layers/normalization/instancenormalization.py`; its
    docstring says "variance", its code adds to `K.std`). That is closer to
    a layer normalization with scalar weights than to the paper's layer.

    Reference: [Ulyanov et al., 2016](https://arxiv.org/abs/1607.08022).

    Args:
        axis: The channel axis, or `None` for the keras_contrib variant
            (whole-sample statistics, scalar `gamma` and `beta`).
            Defaults to `-1`.
        epsilon: Added to the variance (per channel) or, with `axis=None`,
            to the standard deviation (as keras_contrib). Defaults to `1e-3`
            (the keras_contrib layer the book uses).
        center: Whether to learn an offset. Defaults to `True`.
        scale: Whether to learn a scale. Defaults to `True`.
        **kwargs: Other `keras.layers.GroupNormalization` arguments
            (initializers, regularizers, constraints) and base layer
            keyword arguments. `groups` is not accepted: it is always one
            group per channel.

    Call arguments:
        inputs: A tensor of rank 3 or more (rank 2 or more with
            `axis=None`).

    Input shape:
        `(batch, ..., channels)`.

    Output shape:
        Same as the input.

    Raises:
        TypeError: If `groups` is passed, `axis` is neither an int nor
            `None`, or `epsilon` is not a number.
        ValueError: If `epsilon` is NaN or infinite.

    Example:

        >>> x = np.random.rand(2, 8, 8, 3).astype("float32")
        >>> y = InstanceNormalization(center=False, scale=False)(x)
        >>> np.allclose(np.mean(y, axis=(1, 2)), 0.0, atol=1e-5)
        True
        >>> book = InstanceNormalization(axis=None)  # keras_contrib's default
        >>> np.allclose(np.mean(book(x), axis=(1, 2, 3)), 0.0, atol=1e-5)
        True
        >>> [tuple(w.shape) for w in book.weights]
        [(1,), (1,)]
    """

    def __init__(
        self,
        axis: int | None = -1,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        **kwargs: Any,
    ) -> None:
        if "groups" in kwargs:
            raise TypeError(
                "`InstanceNormalization` always uses one group per channel and "
                f"takes no `groups` argument. Received: groups={kwargs['groups']!r}. "
                "Use keras.layers.GroupNormalization for other group counts."
            )
        if axis is not None and (isinstance(axis, bool) or not isinstance(axis, int)):
            raise TypeError(
                "`axis` must be an int (the channel axis) or None (keras_contrib's whole-sample "
                f"normalization). Received: axis={axis!r} of type {type(axis).__name__}"
            )
        # Checked, then passed on unchanged (as `GroupNormalization` stores it).
        check_number(epsilon, name="epsilon")
        super().__init__(groups=-1, axis=axis, epsilon=epsilon, center=center, scale=scale, **kwargs)

    # -- axis=None: keras_contrib's whole-sample branch --------------------------------
    # `GroupNormalization` needs a channel axis, so this branch builds and
    # calls on its own; the per-channel path is the parent's, unchanged.

    def build(self, input_shape):
        if self.axis is not None:
            super().build(input_shape)
            return
        self.input_spec = keras.layers.InputSpec(ndim=len(input_shape))
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(
                shape=(1,),
                name="gamma",
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                autocast=False,
            )
        if self.center:
            self.beta = self.add_weight(
                shape=(1,),
                name="beta",
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                autocast=False,
            )
        keras.layers.Layer.build(self, input_shape)

    def call(self, inputs):
        if self.axis is not None:
            return super().call(inputs)
        # float32 statistics under mixed precision, as `GroupNormalization`.
        x = ops.cast(inputs, keras.backend.result_type(inputs.dtype, "float32"))
        mean, variance = ops.moments(x, axes=list(range(1, len(x.shape))), keepdims=True)
        # keras_contrib: `K.std(...) + epsilon`, epsilon outside the sqrt. On a
        # constant sample (variance 0) the gradient reaching the sqrt is 0 too
        # (it is proportional to `x - mean`), and TF's sqrt gradient gives 0
        # for it, not NaN (tested).
        outputs = (x - mean) / (ops.sqrt(variance) + self.epsilon)
        if self.scale:
            outputs = outputs * ops.cast(self.gamma, x.dtype)
        if self.center:
            outputs = outputs + ops.cast(self.beta, x.dtype)
        return ops.cast(outputs, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        if self.axis is None:
            return input_shape
        return super().compute_output_shape(input_shape)

    def get_config(self):
        config = super().get_config()
        config.pop("groups", None)
        return config
