"""`classifier_accuracy`: the share of images a classifier labels correctly."""

from __future__ import annotations

import keras
import numpy as np
from numpy.typing import ArrayLike

from gankit._checks import check_int
from gankit._checks import check_labels
from gankit.metrics.result import MetricResult


def classifier_accuracy(
    classifier: keras.Model, images: ArrayLike, labels: ArrayLike, batch_size: int = 256
) -> MetricResult:
    """Fraction of `images` whose arg-max logit equals the label.

    Args:
        classifier: A model `images -> class logits`.
        images: Images `(n, h, w, c)` in [-1, 1].
        labels: Integer labels `(n,)` or `(n, 1)`.
        batch_size: Images per call. Defaults to `256`.

    Returns:
        A `gankit.metrics.MetricResult` named `"accuracy"`: the share (a
        float in [0, 1]) with `num_real`, the number of images.

    Raises:
        ValueError: If lengths disagree or labels are out of range.

    Example:

        >>> classifier = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, use_bias=False)])
        >>> classifier.layers[0].kernel.assign(np.eye(2, dtype="float32"))  # logits = images
        <...>
        >>> classifier_accuracy(classifier, [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]], [0, 1, 1])
        0.6666666666666666
    """
    labels = check_labels(labels, num_classes=int(classifier.output_shape[-1]))
    batch_size = check_int(batch_size, name="batch_size", minimum=1)
    images = np.asarray(images, "float32")
    if len(images) != len(labels) or not len(labels):
        raise ValueError(
            "`images` and `labels` must be non-empty and of the same length. "
            f"Received: len(images)={len(images)}, len(labels)={len(labels)}"
        )
    logits = classifier.predict(images, batch_size=batch_size, verbose=0)
    return MetricResult(float(np.mean(np.argmax(logits, axis=-1) == labels)), name="accuracy", num_real=len(labels))
