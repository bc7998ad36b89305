"""Input checks shared by the pure metric functions (house-style messages).

Metrics compute in float64 whatever the input dtype, so every array argument
goes through `as_float64_array`, which also rejects non-numeric dtypes and
non-finite values instead of letting them turn into a NaN score. Scalar
arguments are checked by `gankit._checks`.
"""

import numpy as np


def _to_numpy(value):
    # EagerTensors and Keras tensors convert through `.numpy()`; everything
    # else (lists, NumPy arrays, scalars) through `np.asarray`.
    if hasattr(value, "numpy") and callable(value.numpy):
        value = value.numpy()
    return np.asarray(value)


def as_float64_array(value, name, ndim, shape_hint):
    """Returns `value` as a finite float64 array with `ndim` dimensions.

    Args:
        value: An array-like or a tensor.
        name: The argument name, for messages.
        ndim: The required number of dimensions.
        shape_hint: How the expected shape reads in a message, e.g.
            `"(num_samples, feature_dim)"`.

    Raises:
        TypeError: If `value` is not real-valued (bool, complex, strings,
            objects).
        ValueError: If `value` has another number of dimensions, is empty, or
            holds NaN or infinite values.
    """
    array = _to_numpy(value)
    if array.dtype.kind not in "fiu":
        raise TypeError(
            f"`{name}` must hold real numbers (a float or integer dtype). Received: {name}.dtype={array.dtype}"
        )
    if array.ndim != ndim:
        raise ValueError(f"`{name}` must have shape {shape_hint}. Received: {name}.shape={array.shape}")
    if array.size == 0:
        raise ValueError(f"`{name}` must not be empty. Received: {name}.shape={array.shape}")
    array = array.astype(np.float64, copy=False)
    if not np.all(np.isfinite(array)):
        raise ValueError(
            f"`{name}` must be finite. Received: {name} with {int(np.sum(~np.isfinite(array)))} NaN or infinite values"
        )
    return array


def check_same_feature_dim(real, fake, real_name, fake_name):
    """Raises if two `(n, d)` feature arrays have different `d`.

    Raises:
        ValueError: If the feature dimensions differ.
    """
    if real.shape[1] != fake.shape[1]:
        raise ValueError(
            f"`{real_name}` and `{fake_name}` must have the same feature "
            f"dimension (both from the same extractor). Received: "
            f"{real_name}.shape={real.shape}, {fake_name}.shape={fake.shape}"
        )


# The fixed direction `canonical_order` projects on: a constant, so that the
# order is the same in every call and process.
_ORDER_SEED = 20180105
_ORDER_CHUNK = 1024


def canonical_order(array):
    """An order of the rows of `array` that depends only on their values, not their positions.

    The rows (flattened) are sorted by their projection on one fixed random
    direction, each projection summed in the same way whatever the row's
    position. Metrics that draw random subsets or cut contiguous splits
    (IS, KID, SWD) reorder their input by it first, so a permutation of the
    input gives the same score. Two rows with equal projections are, almost
    surely, equal rows, whose order does not matter.

    Returns:
        An int64 index array of length `len(array)`.
    """
    flat = array.reshape(len(array), -1)
    direction = np.random.default_rng(_ORDER_SEED).standard_normal(flat.shape[1])
    keys = np.concatenate(
        [np.sum(flat[i : i + _ORDER_CHUNK] * direction, axis=1) for i in range(0, len(flat), _ORDER_CHUNK)]
    )
    return np.argsort(keys, kind="stable")
