"""`train_supervised_baseline`: the SGAN chapter's fully supervised comparison."""

from __future__ import annotations

import numbers

import keras
import numpy as np
from numpy.typing import ArrayLike

from gankit._checks import check_int
from gankit._checks import check_labels
from gankit._checks import check_number
from gankit.models.sgan import build_sgan_trunk


def train_supervised_baseline(
    labeled_images: ArrayLike,
    labels: ArrayLike,
    num_classes: int = 10,
    *,
    epochs: int = 30,
    batch_size: int = 32,
    learning_rate: float = 1e-3,
    seed: int = 0,
    verbose: int | str = 0,
    callbacks: list[keras.callbacks.Callback] | None = None,
) -> keras.Model:
    """Trains the SGAN trunk architecture fully supervised (the chapter's baseline).

    Same `build_sgan_trunk` network, same labelled subset, no GAN: the
    comparison that shows what the unlabelled images buy.

    Args:
        labeled_images: Labelled images in [-1, 1].
        labels: Integer labels.
        num_classes: Number of classes. Defaults to `10`.
        epochs: Training epochs. Defaults to `30`.
        batch_size: Batch size. Defaults to `32`.
        learning_rate: Adam learning rate (a finite number or a Keras
            learning-rate schedule). Defaults to `1e-3`: the book's `Adam()`
            (Keras' defaults, beta_1 0.9), as chapter 7 compiles its
            classifier.
        seed: Seed of the weight initialisation. Defaults to `0`.
        verbose: Keras `fit` verbosity. Defaults to `0`.
        callbacks: Keras callbacks for the `fit` call (e.g. to record a
            learning curve). Defaults to `None`.

    Returns:
        The trained classifier (compiled with an `accuracy` metric, so
        `classifier.evaluate(x, y)` or `gankit.metrics.classifier_accuracy` report accuracy).

    Raises:
        ValueError: If labels are out of range, lengths disagree, or
            `learning_rate` is NaN or infinite.
    """
    if isinstance(learning_rate, numbers.Real) and not isinstance(learning_rate, bool):
        # A number is checked here; a `LearningRateSchedule` goes to Adam as it is.
        check_number(learning_rate, name="learning_rate")
    labels = check_labels(labels, num_classes=check_int(num_classes, name="num_classes", minimum=2))
    labeled_images = np.asarray(labeled_images, "float32")
    if len(labeled_images) != len(labels):
        raise ValueError(
            f"`labeled_images` and `labels` must have the same length. "
            f"Received: len(labeled_images)={len(labeled_images)}, len(labels)={len(labels)}"
        )
    keras.utils.set_random_seed(seed)
    classifier = build_sgan_trunk(num_classes, labeled_images.shape[1:])
    classifier.compile(
        keras.optimizers.Adam(learning_rate),
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    classifier.fit(labeled_images, labels, batch_size=batch_size, epochs=epochs, verbose=verbose, callbacks=callbacks)
    return classifier
