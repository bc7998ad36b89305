"""Argument checks for every gankit package (and `data_loaders`).

One module, at the bottom of the import order: it imports nothing from the
project (nor TensorFlow), so `gankit.layers` and `data_loaders` can use it
as well as the CLI. Every check takes the value first and the argument's
`name` as a keyword, returns the value in one canonical form (`int`,
`float`, `str`, a tuple) and raises otherwise:

- `TypeError` for a value of the wrong type (a `bool` is never a number:
  `True` as a batch size is a bug, not a 1);
- `ValueError` for a value of the right type outside the allowed set.

Messages follow the house pattern, one line: what is wrong, what was
expected, then `Received: name=value`. Numbers are always checked finite
before any range check, because `nan < 0` and `nan > 1` are both False and
a range check alone lets NaN through.

Example:
    >>> check_int(64, name="batch_size", minimum=1)
    64
    >>> check_number(float("nan"), name="ema_decay", minimum=0, maximum=1)
    Traceback (most recent call last):
        ...
    ValueError: `ema_decay` must be a finite number. Received: ema_decay=nan
"""

from __future__ import annotations

import math
import numbers
import os
from typing import Any

_MAX_SEED = 2**63


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _interval(minimum, maximum, min_inclusive, max_inclusive):
    if maximum is None:
        return f"{'>=' if min_inclusive else '>'} {minimum}"
    if minimum is None:
        return f"{'<=' if max_inclusive else '<'} {maximum}"
    return ("in [" if min_inclusive else "in (") + f"{minimum}, {maximum}" + ("]" if max_inclusive else ")")


def check_int(
    value: Any,
    *,
    name: str,
    minimum: int | None = None,
    maximum: int | None = None,
    allow_none: bool = False,
) -> int | None:
    """Returns `value` as an `int` if it is an integer in `[minimum, maximum]`.

    Args:
        value: The argument to check (Python or NumPy integer).
        name: The argument's name, for the message.
        minimum: The smallest value allowed, or `None` for no bound.
        maximum: The largest value allowed, or `None` for no bound.
        allow_none: Whether `None` is accepted (and returned).

    Raises:
        TypeError: If `value` is not an integer (booleans and floats
            included, even `2.0`).
        ValueError: If `value` lies outside the bounds.
    """
    if value is None and allow_none:
        return None
    if not _is_int(value):
        allowed = "None or an integer" if allow_none else "an integer"
        raise TypeError(f"`{name}` must be {allowed}. Received: {name}={value!r} of type {type(value).__name__}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"`{name}` must be at least {minimum}. Received: {name}={value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"`{name}` must be at most {maximum}. Received: {name}={value}")
    return value


def check_number(
    value: Any,
    *,
    name: str,
    minimum: float | None = None,
    maximum: float | None = None,
    min_inclusive: bool = True,
    max_inclusive: bool = True,
    allow_none: bool = False,
) -> float | None:
    """Returns `value` as a finite `float` if it lies in the given range.

    NaN and infinity are refused first, whatever the bounds.

    Args:
        value: The argument to check (Python or NumPy real number).
        name: The argument's name, for the message.
        minimum: The lower bound, or `None` for none.
        maximum: The upper bound, or `None` for none.
        min_inclusive: Whether `minimum` itself is allowed.
        max_inclusive: Whether `maximum` itself is allowed.
        allow_none: Whether `None` is accepted (and returned).

    Raises:
        TypeError: If `value` is not a real number (booleans included).
        ValueError: If `value` is NaN or infinite, or lies outside the range.
    """
    if value is None and allow_none:
        return None
    if not _is_real(value):
        allowed = "None or a number" if allow_none else "a number"
        raise TypeError(f"`{name}` must be {allowed}. Received: {name}={value!r} of type {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"`{name}` must be a finite number. Received: {name}={value}")
    too_small = minimum is not None and (value < minimum if min_inclusive else value <= minimum)
    too_large = maximum is not None and (value > maximum if max_inclusive else value >= maximum)
    if too_small or too_large:
        bounds = _interval(minimum, maximum, min_inclusive, max_inclusive)
        raise ValueError(f"`{name}` must be {bounds}. Received: {name}={value}")
    return value


def check_bool(value: Any, *, name: str) -> bool:
    """Returns `value` if it is `True` or `False`.

    Raises:
        TypeError: For any other value (`0`, `1` and `"yes"` included).
    """
    if not isinstance(value, bool):
        raise TypeError(f"`{name}` must be True or False. Received: {name}={value!r} of type {type(value).__name__}")
    return value


def check_choice(value: Any, *, name: str, choices: tuple) -> Any:
    """Returns `value` if it is one of `choices`.

    Raises:
        ValueError: If `value` is not one of `choices`.
    """
    try:
        valid = any(isinstance(value, bool) == isinstance(choice, bool) and bool(value == choice) for choice in choices)
    except (TypeError, ValueError):  # e.g. an array, whose `==` has no single truth value
        valid = False
    if not valid:
        expected = ", ".join(repr(choice) for choice in choices)
        raise ValueError(f"`{name}` must be one of {expected}. Received: {name}={value!r}")
    return value


def check_string(value: Any, *, name: str) -> str:
    """Returns `value` if it is a non-empty `str`.

    Raises:
        TypeError: If `value` is not a string.
        ValueError: If `value` is empty.
    """
    if not isinstance(value, str):
        raise TypeError(f"`{name}` must be a string. Received: {name}={value!r} of type {type(value).__name__}")
    if not value:
        raise ValueError(f"`{name}` must be a non-empty string. Received: {name}=''")
    return value


def check_seed(value: Any, *, name: str = "seed") -> int | None:
    """Returns `value` if it is `None` or an integer in `[0, 2**63)`.

    Raises:
        TypeError: If `value` is neither `None` nor an integer.
        ValueError: If `value` is negative or `2**63` or more.
    """
    if value is None:
        return None
    if not _is_int(value):
        raise TypeError(
            f"`{name}` must be None or a non-negative integer. "
            f"Received: {name}={value!r} of type {type(value).__name__}"
        )
    if not 0 <= value < _MAX_SEED:
        raise ValueError(f"`{name}` must be None or an integer in [0, 2**63). Received: {name}={value}")
    return int(value)


def check_path(value: Any, *, name: str) -> str:
    """Returns `value` as a `str` if it is a non-empty text path.

    Raises:
        TypeError: If `value` is neither a `str` nor an `os.PathLike`, or is
            a bytes path.
        ValueError: If `value` is empty.
    """
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(
            f"`{name}` must be a path (str or os.PathLike). Received: {name}={value!r} of type {type(value).__name__}"
        )
    path = os.fspath(value)
    if isinstance(path, bytes):
        raise TypeError(f"`{name}` must be a text path, not bytes. Received: {name}={path!r}")
    if not path:
        raise ValueError(f"`{name}` must not be empty. Received: {name}=''")
    return path


def check_directory(value: Any, *, name: str) -> str:
    """Returns `value` as a `str` if it names an existing directory.

    Raises:
        TypeError: As `check_path`.
        ValueError: If `value` is empty.
        FileNotFoundError: If `value` does not exist or is not a directory.
    """
    path = check_path(value, name=name)
    if not os.path.isdir(path):
        raise FileNotFoundError(
            f"`{name}` must be an existing directory. "
            f"Received: {name}={path!r}, which does not exist or is not a directory"
        )
    return path


def check_image_shape(
    value: Any,
    *,
    name: str = "image_shape",
    divisor: int = 1,
    reason: str | None = None,
) -> tuple[int, int, int]:
    """Returns `value` as a `(height, width, channels)` tuple of positive ints.

    Args:
        value: A tuple or list of three integers.
        name: The argument's name, for the message.
        divisor: A number the height and width must both be divisible by.
        reason: Why they must be (e.g. "the generator upsamples twice by
            2"), added to the message.

    Raises:
        TypeError: If `value` is not a tuple or list of integers.
        ValueError: If `value` does not hold three positive sizes, or its
            height or width is not divisible by `divisor`.
    """
    if not isinstance(value, (tuple, list)) or not all(_is_int(v) for v in value):
        raise TypeError(f"`{name}` must be a tuple of 3 integers (height, width, channels). Received: {name}={value!r}")
    shape = tuple(int(v) for v in value)
    if len(shape) != 3 or min(shape) < 1:
        raise ValueError(f"`{name}` must be 3 positive integers (height, width, channels). Received: {name}={shape}")
    if shape[0] % divisor or shape[1] % divisor:
        why = f" ({reason})" if reason else ""
        raise ValueError(f"`{name}` must have a height and width divisible by {divisor}{why}. Received: {name}={shape}")
    return shape


def check_image_size(value: Any, *, name: str = "image_size", allow_none: bool = True) -> tuple[int, int] | None:
    """Returns `value` as a `(height, width)` tuple of positive ints, or `None`.

    An integer `s` means a square `(s, s)` image.

    Raises:
        TypeError: If `value` is neither an integer nor a pair of integers
            (nor `None` while `allow_none`).
        ValueError: If a size is smaller than 1.
    """
    if value is None and allow_none:
        return None
    if _is_int(value):
        size = (value, value)
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(_is_int(s) for s in value):
        size = tuple(value)
    else:
        allowed = "None, " if allow_none else ""
        raise TypeError(
            f"`{name}` must be {allowed}a positive integer or a (height, width) pair of positive integers. "
            f"Received: {name}={value!r}"
        )
    if min(size) < 1:
        raise ValueError(f"`{name}` must be positive, e.g. 64 or (64, 64). Received: {name}={value!r}")
    return (int(size[0]), int(size[1]))


def check_value_range(value: Any, *, name: str = "value_range") -> tuple[float, float]:
    """Returns `(low, high)` as finite floats if `value` is a pair with `low < high`.

    Raises:
        TypeError: If `value` is not a pair of numbers.
        ValueError: If a bound is NaN or infinite, or `low >= high`.
    """
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"`{name}` must be a pair (low, high), e.g. (0, 1) or (-1, 1). Received: {name}={value!r}")
    low = check_number(value[0], name=f"{name}[0]")
    high = check_number(value[1], name=f"{name}[1]")
    if not low < high:
        raise ValueError(f"`{name}` must satisfy low < high. Received: {name}={tuple(value)!r}")
    return low, high


def check_labels(value: Any, *, num_classes: int, name: str = "labels") -> Any:
    """Integer class labels `(n,)` or `(n, 1)` in `[0, num_classes)`, as an int32 NumPy array `(n,)`.

    Raises:
        ValueError: If the labels are not integers of that shape, or lie
            outside the range.
    """
    import numpy as np  # NumPy only when labels are checked: this module stays light to import

    labels = np.asarray(value)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.ndim != 1 or not (np.issubdtype(labels.dtype, np.integer) or labels.size == 0):
        raise ValueError(
            f"`{name}` must be integers of shape (n,) or (n, 1). "
            f"Received: {name}.shape={labels.shape}, dtype={labels.dtype}"
        )
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"`{name}` must lie in [0, {num_classes - 1}] (num_classes={num_classes}). "
            f"Received: {name} with min={labels.min()}, max={labels.max()}"
        )
    return labels.astype("int32")
