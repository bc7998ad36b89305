"""A small labelled subset for semi-supervised training ("GANs in Action" ch. 7).

The chapter's `Dataset` class keeps `num_labeled=100` MNIST training images
with their labels and treats the rest as unlabelled. `labeled_subset` does
the same with a class-balanced, seeded draw.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from gankit._checks import check_int


def labeled_subset(
    images: ArrayLike, labels: ArrayLike, num_labeled: int = 100, seed: int = 0, num_classes: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Splits a labelled set into a small balanced labelled part and the rest.

    `num_labeled / num_classes` examples of every class are drawn without
    replacement (seeded); every other image becomes unlabelled, so the two
    parts are disjoint and together hold the whole set.

    Args:
        images: Array `(n, ...)` of images.
        labels: Integer labels `(n,)` or `(n, 1)` in `[0, num_classes)`.
        num_labeled: Size of the labelled part, a multiple of `num_classes`.
            Defaults to `100` (the chapter's setting).
        seed: Seed of the draw. Defaults to `0`.
        num_classes: Number of classes. Defaults to `None`: `max(labels) + 1`.

    Returns:
        A tuple `(labeled_images, labeled_labels, unlabeled_images)`;
        labels are int32 `(num_labeled,)`, in a shuffled order.

    Raises:
        TypeError: If an integer argument is not an integer.
        ValueError: If shapes disagree, labels are out of range,
            `num_labeled` is not divisible by `num_classes`, or a class has
            too few examples.

    Example:

        >>> x = np.zeros((40, 2, 2, 1)); y = np.arange(40) % 4
        >>> xl, yl, xu = labeled_subset(x, y, num_labeled=8)
        >>> xl.shape, np.bincount(yl).tolist(), xu.shape
        ((8, 2, 2, 1), [2, 2, 2, 2], (32, 2, 2, 1))
    """
    images = np.asarray(images)
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"`labels` must be integers of shape (n,). Received: labels.shape={labels.shape}, dtype={labels.dtype}"
        )
    if images.ndim < 1 or len(images) != len(labels):
        raise ValueError(
            "`images` and `labels` must have the same length. "
            f"Received: images.shape={images.shape}, labels.shape={labels.shape}"
        )
    num_labeled = check_int(num_labeled, name="num_labeled", minimum=1)
    seed = check_int(seed, name="seed", minimum=0)
    if num_classes is None:
        num_classes = int(labels.max()) + 1 if labels.size else 1
    num_classes = check_int(num_classes, name="num_classes", minimum=1)
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"`labels` must lie in [0, {num_classes - 1}]. Received: labels with min={labels.min()}, max={labels.max()}"
        )
    if num_labeled % num_classes:
        raise ValueError(
            f"`num_labeled` must be divisible by num_classes={num_classes} for a balanced "
            f"subset. Received: num_labeled={num_labeled}"
        )
    per_class = num_labeled // num_classes
    rng = np.random.default_rng(seed)
    chosen = []
    for c in range(num_classes):
        members = np.flatnonzero(labels == c)
        if len(members) < per_class:
            raise ValueError(
                f"Class {c} has {len(members)} examples, fewer than the {per_class} needed. "
                f"Received: num_labeled={num_labeled}"
            )
        chosen.append(rng.choice(members, per_class, replace=False))
    chosen = rng.permutation(np.concatenate(chosen))
    mask = np.ones(len(labels), bool)
    mask[chosen] = False
    return images[chosen], labels[chosen].astype("int32"), images[mask]
