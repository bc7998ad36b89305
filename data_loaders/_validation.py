"""Argument checks shared by every loader.

Each check raises `TypeError` for a value of the wrong type and `ValueError`
for a value of the right type but outside the allowed set. Messages follow
the house pattern: what is wrong, what was expected, `Received: name=value`,
and how to fix it. Nothing is corrected silently: a check returns the value
(normalised to one canonical form, e.g. an `image_size` int becomes a
`(height, width)` tuple) or raises.
"""

import math
import numbers
import os


def _is_int(value):
    # `bool` is an `int` subclass; `True` as a batch size is a bug, not a 1.
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_bool(name, value):
    """Returns `value` if it is a `bool`, else raises `TypeError`."""
    if not isinstance(value, bool):
        raise TypeError(
            f"`{name}` must be a bool (True or False). Received: {name}={value!r} (of type {type(value).__name__})."
        )
    return value


def check_positive_int(name, value):
    """Returns `value` as an `int` if it is an integer >= 1."""
    if not _is_int(value):
        raise TypeError(
            f"`{name}` must be a positive integer. Received: {name}={value!r} (of type {type(value).__name__})."
        )
    if value < 1:
        raise ValueError(
            f"`{name}` must be a positive integer. Received: {name}={value!r}. Pass a value of at least 1."
        )
    return int(value)


def check_non_negative_int(name, value):
    """Returns `value` as an `int` if it is an integer >= 0."""
    if not _is_int(value):
        raise TypeError(
            f"`{name}` must be a non-negative integer. Received: {name}={value!r} (of type {type(value).__name__})."
        )
    if value < 0:
        raise ValueError(
            f"`{name}` must be a non-negative integer. Received: {name}={value!r}. Pass 0 or a positive value."
        )
    return int(value)


def check_finite(name, value):
    """Returns `value` unchanged unless it is a NaN or infinite real number.

    Other types are left to the caller's own conversion (e.g. `int(value)`),
    so this only adds the finiteness rule to what a check already accepts.
    """
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and not math.isfinite(value):
        raise ValueError(f"`{name}` must be a finite number. Received: {name}={float(value)}")
    return value


def check_seed(seed):
    """Returns `seed` if it is `None` or an integer in [0, 2**63)."""
    if seed is None:
        return None
    if not _is_int(seed):
        raise TypeError(
            f"`seed` must be None or a non-negative integer. Received: seed={seed!r} (of type {type(seed).__name__})."
        )
    if not 0 <= seed < 2**63:
        raise ValueError(
            "`seed` must be None or an integer in [0, 2**63). "
            f"Received: seed={seed!r}. Pass a smaller non-negative integer."
        )
    return int(seed)


def check_choice(name, value, choices):
    """Returns `value` if it is one of `choices` (a tuple of strings)."""
    if not isinstance(value, str) or value not in choices:
        expected = ", ".join(repr(c) for c in choices)
        raise ValueError(f"`{name}` must be one of {expected}. Received: {name}={value!r}.")
    return value


def check_image_size(image_size, allow_none=True):
    """Returns `image_size` as a `(height, width)` tuple of ints, or `None`.

    An int `s` means a square `(s, s)` image.
    """
    if image_size is None and allow_none:
        return None
    if _is_int(image_size):
        size = (image_size, image_size)
    elif isinstance(image_size, (tuple, list)) and len(image_size) == 2 and all(_is_int(s) for s in image_size):
        size = tuple(image_size)
    else:
        allowed = "None, " if allow_none else ""
        raise TypeError(
            f"`image_size` must be {allowed}a positive integer or a (height, width) "
            f"tuple of positive integers. Received: image_size={image_size!r}."
        )
    if min(size) < 1:
        raise ValueError(
            f"`image_size` must be positive. Received: image_size={image_size!r}. Pass e.g. 64 or (64, 64)."
        )
    return (int(size[0]), int(size[1]))


def check_classes(classes, num_classes):
    """Returns `classes` as a sorted tuple of unique ids in [0, num_classes)."""
    if classes is None:
        return None
    if isinstance(classes, (str, bytes)) or not hasattr(classes, "__iter__"):
        raise TypeError(
            "`classes` must be None or a sequence of integer class ids. "
            f"Received: classes={classes!r}. Pass e.g. classes=[7, 9]."
        )
    ids = list(classes)
    if not all(_is_int(c) for c in ids):
        raise TypeError(
            "`classes` must be None or a sequence of integer class ids. "
            f"Received: classes={classes!r}. Pass e.g. classes=[7, 9]."
        )
    if not ids:
        raise ValueError(f"`classes` must not be empty (pass None to keep every class). Received: classes={classes!r}.")
    if len(set(ids)) != len(ids):
        raise ValueError(f"`classes` must not repeat a class id. Received: classes={classes!r}.")
    bad = [c for c in ids if not 0 <= c < num_classes]
    if bad:
        raise ValueError(
            f"`classes` must hold ids in [0, {num_classes}). Received: classes={classes!r} (out of range: {bad})."
        )
    return tuple(sorted(int(c) for c in ids))


def check_path(name, value):
    """Returns `value` as a `str` path if it is a `str` or `os.PathLike`."""
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(
            f"`{name}` must be a path (str or os.PathLike). "
            f"Received: {name}={value!r} (of type {type(value).__name__})."
        )
    return os.fspath(value)


def check_directory(name, value):
    """Returns `value` as a `str` path to an existing directory."""
    path = check_path(name, value)
    if not os.path.isdir(path):
        raise FileNotFoundError(
            f"`{name}` must be an existing directory. Received: {name}={value!r}, "
            "which does not exist or is not a directory."
        )
    return path
