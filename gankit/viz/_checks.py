"""Argument checks and file helpers shared by `gankit.viz` (house-style messages)."""

import math
import os
import uuid

import numpy as np


def check_positive_int(name, value):
    """Returns `value` if it is an integer >= 1, else raises.

    Raises:
        TypeError: If `value` is not an integer (booleans included).
        ValueError: If `value` is smaller than 1.
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"`{name}` must be an integer. Received: {name}={value!r}")
    if value < 1:
        raise ValueError(f"`{name}` must be at least 1. Received: {name}={value}")
    return int(value)


def check_non_negative_int(name, value):
    """Returns `value` if it is an integer >= 0, else raises."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"`{name}` must be an integer. Received: {name}={value!r}")
    if value < 0:
        raise ValueError(f"`{name}` must be at least 0. Received: {name}={value}")
    return int(value)


def check_finite(name, value):
    """Returns a real number as a float if it is neither NaN nor infinite.

    Comes before any range check: `nan < minimum` is False, so a range check
    alone lets NaN through.

    Raises:
        ValueError: If `value` is NaN or infinite.
    """
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"`{name}` must be a finite number. Received: {name}={value}")
    return value


def check_number(name, value, minimum=None, maximum=None, min_inclusive=True):
    """Returns `value` as a float if it is a finite real number in range.

    Raises:
        TypeError: If `value` is not a real number (booleans included).
        ValueError: If `value` is NaN, infinite or out of range.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"`{name}` must be a number. Received: {name}={value!r}")
    value = check_finite(name, value)
    if minimum is not None and (value < minimum or (not min_inclusive and value == minimum)):
        bound = ">=" if min_inclusive else ">"
        raise ValueError(f"`{name}` must be {bound} {minimum}. Received: {name}={value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"`{name}` must be <= {maximum}. Received: {name}={value}")
    return value


def check_value_range(value_range):
    """Returns `(low, high)` as floats if it is a pair of finite numbers with low < high."""
    if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
        raise TypeError(
            "`value_range` must be a pair `(low, high)`, e.g. `(0, 1)` or `(-1, 1)`. "
            f"Received: value_range={value_range!r}"
        )
    low = check_number("value_range[0]", value_range[0])
    high = check_number("value_range[1]", value_range[1])
    if not low < high:
        raise ValueError(f"`value_range` must satisfy low < high. Received: value_range={tuple(value_range)!r}")
    return low, high


def check_path(name, path):
    """Returns `path` as a `str` if it is a string or an `os.PathLike`."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"`{name}` must be a string or a path. Received: {name}={path!r}")
    path = os.fspath(path)
    if isinstance(path, bytes):
        raise TypeError(f"`{name}` must be a text path, not bytes. Received: {name}={path!r}")
    if not path:
        raise ValueError(f"`{name}` must not be empty. Received: {name}={path!r}")
    return path


def to_numpy(value):
    """Converts a NumPy array, a tensor or a nested list to a NumPy array."""
    if hasattr(value, "numpy") and callable(value.numpy):
        value = value.numpy()
    return np.asarray(value)


def atomic_write_bytes(path, data):
    """Writes `data` to `path` through a temporary file and `os.replace`.

    A crash or an interrupt leaves either the old file or the new one, never a
    truncated file; the parent directory is created when missing.
    """
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    temporary = partial_path(path)
    try:
        # Mode "xb" honours the umask (unlike tempfile.mkstemp's 0600), so the
        # final file gets the same permissions as a plain `open(path, "wb")`.
        with open(temporary, "xb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
    return path


def partial_path(path, suffix=".partial"):
    """A unique hidden sibling of `path` to write before `os.replace`."""
    directory, name = os.path.split(os.path.abspath(path))
    return os.path.join(directory, f".{name}.{os.getpid()}-{uuid.uuid4().hex[:8]}{suffix}")
