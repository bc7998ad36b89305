"""The loaders' own argument check: `classes`, a subset of a dataset's class ids.

Every other argument check (integers, numbers, choices, paths, image sizes,
seeds) is `gankit._checks`, shared with the rest of gankit.
"""

import numbers


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
    if not all(isinstance(c, numbers.Integral) and not isinstance(c, bool) for c in ids):
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
