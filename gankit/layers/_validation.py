"""Argument checks shared by the layers (messages in the house style)."""


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
