"""Argument checks shared by the layers (messages in the house style)."""

import math
import numbers


def check_positive_int(name, value):
    """Returns `value` if it is an integer >= 1, else raises.

    Raises:
        TypeError: If `value` is not an integer (booleans included).
        ValueError: If `value` is smaller than 1.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"`{name}` must be an integer. Received: {name}={value!r}")
    if value < 1:
        raise ValueError(f"`{name}` must be at least 1. Received: {name}={value}")
    return value


def check_finite_number(name, value):
    """Returns `value` as a `float` if it is a finite real number, else raises.

    NaN and infinity are refused here, before any range check: `nan < 0` is
    False, so a range check alone lets NaN through.

    Raises:
        TypeError: If `value` is not a real number (booleans included).
        ValueError: If `value` is NaN or infinite.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a number. Received: {name}={value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"`{name}` must be a finite number. Received: {name}={value}")
    return value
