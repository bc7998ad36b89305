"""Private helpers shared by the `gankit.losses` modules.

Argument checks run in Python, so inside `tf.function` they run once, at
trace time, on Python values and static shapes. Tensor values are never
checked: that would need a host round trip on every step.
"""

import numbers

import keras
import tensorflow as tf

from gankit._checks import check_number


def is_real_number(value):
    """True for Python/NumPy real numbers, False for bools and tensors."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def to_float32(value, name):
    """Converts `value` to a float32 tensor.

    Losses reduce in float32 whatever the input dtype, so that float16 logits
    of a mixed-precision model neither overflow nor lose the mean.

    Raises:
        TypeError: If `value` is not numeric (bool, string, complex).
    """
    tensor = tf.convert_to_tensor(value)
    if not (tensor.dtype.is_floating or tensor.dtype.is_integer):
        raise TypeError(f"`{name}` must be a real-valued tensor. Received: {name}.dtype={tensor.dtype.name}")
    return tf.cast(tensor, tf.float32)


def to_float_tensor(value, name):
    """Converts `value` to a tensor, requiring a floating-point dtype.

    Raises:
        TypeError: If `value` does not have a floating-point dtype.
    """
    tensor = tf.convert_to_tensor(value)
    if not tensor.dtype.is_floating:
        raise TypeError(
            f"`{name}` must be a floating-point tensor. "
            f"Received: {name}.dtype={tensor.dtype.name}. "
            f"Cast it first, e.g. `tf.cast({name}, 'float32')`."
        )
    return tensor


def number_or_scalar_tensor(value, name, **bounds):
    """A checked Python number, or a float32 scalar tensor (unchecked value).

    Tensors are accepted so that a schedule can feed a value inside
    `tf.function`; their rank is checked statically, their value is not.

    Raises:
        TypeError: If `value` is neither a number nor a numeric tensor.
        ValueError: If a number is NaN or infinite or lies outside the
            bounds, or a tensor is not a scalar.
    """
    if is_real_number(value):
        return check_number(value, name=name, **bounds)
    if isinstance(value, bool) or not (tf.is_tensor(value) or hasattr(value, "__array__")):
        raise TypeError(
            f"`{name}` must be a real number or a scalar tensor. "
            f"Received: {name}={value!r} of type {type(value).__name__}"
        )
    tensor = to_float32(value, name)
    if tensor.shape.rank not in (None, 0):
        raise ValueError(f"`{name}` must be a scalar. Received: {name}.shape={tensor.shape}")
    return tensor


def check_label(value, name, logits, logits_name, *, unit_interval):
    """Checks a target label: a number or a tensor broadcastable to `logits`.

    A tensor must broadcast to the shape of `logits` without enlarging it:
    labels of shape `(batch,)` against logits of shape `(batch, 1)` would
    otherwise broadcast to `(batch, batch)` and give a wrong loss silently.

    Returns:
        A Python float or a float32 tensor.

    Raises:
        TypeError: If `value` is neither a number nor a numeric tensor.
        ValueError: If a number is NaN or infinite, lies outside [0, 1] while
            `unit_interval`, or a tensor's static shape does not fit `logits`.
    """
    if is_real_number(value):
        if unit_interval:
            return check_number(value, name=name, minimum=0.0, maximum=1.0)
        return check_number(value, name=name)
    if isinstance(value, bool) or not (
        tf.is_tensor(value) or hasattr(value, "__array__") or isinstance(value, (list, tuple))
    ):
        raise TypeError(
            f"`{name}` must be a real number or a tensor of targets. "
            f"Received: {name}={value!r} of type {type(value).__name__}"
        )
    tensor = to_float32(value, name)
    label_shape, logits_shape = tensor.shape, logits.shape
    if label_shape.rank is not None and logits_shape.rank is not None:
        fits = label_shape.rank <= logits_shape.rank and all(
            label_dim in (None, 1) or label_dim == logits_dim or logits_dim is None
            for label_dim, logits_dim in zip(reversed(label_shape.as_list()), reversed(logits_shape.as_list()))
        )
        if not fits:
            raise ValueError(
                f"`{name}` must broadcast to the shape of `{logits_name}` "
                f"without changing it. Received: {name}.shape={label_shape}, "
                f"{logits_name}.shape={logits_shape}. Reshape the labels to "
                "the logits' shape, e.g. `ops.reshape(labels, ops.shape(logits))`."
            )
    return tensor


def check_seed_or_generator(seed):
    """Checks a `seed` argument: `None`, an int, a `keras.random.SeedGenerator`
    or a stateless seed (an integer tensor of shape `(2,)`, as
    `tf.random.stateless_uniform` takes; training models draw theirs from a
    checkpointed state).

    Raises:
        TypeError: For any other type.
    """
    if seed is None or isinstance(seed, keras.random.SeedGenerator):
        return seed
    if tf.is_tensor(seed) and seed.dtype.is_integer and seed.shape.as_list() == [2]:
        return seed
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        return int(seed)
    raise TypeError(
        "`seed` must be None, an int, a `keras.random.SeedGenerator` or a stateless seed tensor of shape (2,). "
        f"Received: seed={seed!r} of type {type(seed).__name__}"
    )


def random_uniform(shape, seed, minval=0.0, maxval=1.0):
    """Float32 uniform draws in [minval, maxval).

    `seed=None` uses TensorFlow's global random generator (a stateful op that
    creates no variable, so it is safe inside `tf.function` and distribution
    strategies); an int gives the same stateless draw on every call; a
    `SeedGenerator` gives a reproducible sequence.
    """
    seed = check_seed_or_generator(seed)
    if seed is None:
        return tf.random.uniform(shape, minval, maxval, dtype=tf.float32)
    if tf.is_tensor(seed):
        return tf.random.stateless_uniform(shape, seed, minval, maxval, dtype=tf.float32)
    return keras.random.uniform(shape, minval=minval, maxval=maxval, dtype="float32", seed=seed)


def random_normal(shape, seed):
    """Float32 standard normal draws; seeds as in `random_uniform`."""
    seed = check_seed_or_generator(seed)
    if seed is None:
        return tf.random.normal(shape, dtype=tf.float32)
    if tf.is_tensor(seed):
        return tf.random.stateless_normal(shape, seed, dtype=tf.float32)
    return keras.random.normal(shape, dtype="float32", seed=seed)
