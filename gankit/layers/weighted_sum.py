"""Fade-in blending of two paths (Progressive GAN)."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from gankit._checks import check_number


def _check_alpha(alpha):
    return check_number(alpha, name="alpha", minimum=0.0, maximum=1.0)


@keras.saving.register_keras_serializable(package="gankit")
class WeightedSum(keras.layers.Layer):
    """Blends an old and a new path: `(1 - alpha) * old + alpha * new`.

    Progressive GAN fades every new resolution block in smoothly: while
    `alpha` grows from 0 to 1 the output moves from the upsampled output of
    the previous, fully trained block (`old`) to the output of the new block
    (`new`). `alpha` is a non-trainable variable, so a callback can change it
    during `fit()` without retracing, and it is saved with the weights.

    This replaces the book's listing 6.1, which blends an undefined name.

    Reference: [Karras et al., 2018](https://arxiv.org/abs/1710.10196),
    section 3 and figure 2.

    Args:
        alpha: Initial blending weight in [0, 1]. Defaults to `0.0`.
        **kwargs: Base layer keyword arguments.

    Call arguments:
        inputs: A list `[old, new]` of two tensors of the same shape.

    Input shape:
        Two tensors of identical shape.

    Output shape:
        The shape of the inputs.

    Raises:
        TypeError: If `alpha` is not a number.
        ValueError: If `alpha` is outside [0, 1] (NaN included) or the inputs are not two
            tensors of the same shape.

    Example:

        >>> layer = WeightedSum(alpha=0.25)
        >>> layer([np.zeros((1, 2), "float32"), np.ones((1, 2), "float32")])
        <tf.Tensor: shape=(1, 2), dtype=float32, numpy=array([[0.25, 0.25]], dtype=float32)>
        >>> layer.set_alpha(1.0)
    """

    def __init__(self, alpha: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._initial_alpha = _check_alpha(alpha)
        self.alpha = self.add_weight(
            name="alpha",
            shape=(),
            initializer=keras.initializers.Constant(self._initial_alpha),
            trainable=False,
            autocast=False,
            aggregation="only_first_replica",
        )

    def set_alpha(self, alpha: float) -> None:
        """Sets the blending weight, for example from a callback.

        Args:
            alpha: New value in [0, 1].

        Raises:
            TypeError: If `alpha` is not a number.
            ValueError: If `alpha` is outside [0, 1].
        """
        self.alpha.assign(_check_alpha(alpha))

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2:
            raise ValueError(
                f"`WeightedSum` expects a list of two inputs [old, new]. Received: input_shape={input_shape}"
            )
        old, new = (tuple(shape) for shape in input_shape)
        if len(old) != len(new) or any(a is not None and b is not None and a != b for a, b in zip(old[1:], new[1:])):
            raise ValueError(
                f"`WeightedSum` inputs must have the same shape. Received: old shape={old}, new shape={new}"
            )
        super().build(input_shape)

    def call(self, inputs):
        old, new = inputs
        alpha = ops.cast(self.alpha, old.dtype)
        return (1.0 - alpha) * old + alpha * ops.cast(new, old.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "alpha": self._initial_alpha}
