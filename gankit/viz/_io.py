"""File and array helpers shared by `gankit.viz` (argument checks live in `gankit._checks`)."""

import os
import uuid

import numpy as np


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
