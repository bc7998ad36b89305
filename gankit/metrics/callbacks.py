"""`EvaluationCallback`: FID, KID, IS or MiFID every N epochs of `fit()`.

The callback lives in `gankit.metrics`, not `gankit.training`, because it is a
thin wrapper of `gankit.metrics.evaluation.evaluate` and `gankit.metrics`
never imports `gankit.training`; it needs only a model with a
`generate(n, seed=...)` method (`gankit.models.GAN` has one).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf

from gankit._checks import check_int
from gankit._checks import check_seed
from gankit.metrics import evaluation
from gankit.metrics.extractors import FeatureExtractor


class EvaluationCallback(keras.callbacks.Callback):
    """Evaluates `model.generate` every `every_n_epochs` epochs during `fit()`.

    At the end of every `every_n_epochs`-th epoch it runs
    `gankit.metrics.evaluate(self.model, ...)` and writes each value into
    the epoch's `logs` under its metric name (`"fid"`, `"kid"`, `"is"`,
    `"mifid"`), so `History`, `EarlyStopping`, `ModelCheckpoint` and
    TensorBoard see them (placed after this callback, as Keras places its
    own `History`). Epochs without an evaluation carry no such key, as
    Keras does for `validation_freq`; `history` lists every evaluation with
    its epoch, standard deviations and image counts.

    The real statistics are computed once, at the first evaluation (or read
    from `real_cache`), and reused. The generated images use the same
    `seed` at every evaluation, so changes between epochs come from the
    generator, not from new latents.

    Args:
        real_source: The real images, as `evaluate` accepts them (an array
            in [0, 1], a folder, a dataset name such as `"fashion_mnist"`, a
            `tf.data.Dataset` in [-1, 1]), or a `ReferenceStatistics`.
        every_n_epochs: Evaluate after every this many epochs. Defaults to
            `5`.
        num_images: Generated images per evaluation (and the cap on real
            images). FID is biased by the number of images: compare values
            only at equal `num_images`. Defaults to `10000`.
        extractor: The feature extractor. Defaults to `None`:
            `InceptionFeatures()`, built when training begins.
        metrics: Metric names (`evaluation.METRIC_NAMES`). Defaults to
            `("fid",)`.
        batch_size: Images per extractor call. Defaults to `64`.
        real_cache: `None`, or an `.npz` path caching the real statistics
            between runs. Defaults to `None`.
        seed: Seed of the generated images and KID's subsets. Defaults to
            `0`.
        verbose: Print each evaluation's table. Defaults to `0`.

    Attributes:
        history: One dict per evaluation: `{"epoch": 1-based epoch, **result.as_dict()}`.
        reference: The `ReferenceStatistics` in use (`None` before the
            first evaluation).

    Raises:
        TypeError: If an argument has the wrong type, or (when training
            begins) the model has no `generate` method.
        ValueError: If an argument has a bad value.

    Example:

        >>> callback = EvaluationCallback(
        ...     "fashion_mnist", every_n_epochs=5, num_images=2000, metrics=("fid", "kid"),
        ...     extractor=DomainClassifier.for_dataset("fashion_mnist"))  # doctest: +SKIP
        >>> history = gan.fit(dataset, epochs=20, callbacks=[callback])  # doctest: +SKIP
        >>> history.history["fid"]  # four values, epochs 5, 10, 15, 20  # doctest: +SKIP
    """

    def __init__(
        self,
        real_source: evaluation.ReferenceStatistics
        | np.ndarray
        | tf.Tensor
        | str
        | os.PathLike
        | tf.data.Dataset
        | None,
        every_n_epochs: int = 5,
        num_images: int = 10000,
        extractor: FeatureExtractor | None = None,
        metrics: str | Sequence[str] = (evaluation.FID,),
        batch_size: int = 64,
        real_cache: str | os.PathLike | None = None,
        seed: int | None = 0,
        verbose: int = 0,
    ) -> None:
        super().__init__()
        self.real_source = real_source
        self.every_n_epochs = check_int(every_n_epochs, name="every_n_epochs", minimum=1)
        self.num_images = check_int(num_images, name="num_images", minimum=1)
        self.extractor = extractor
        self.metrics = evaluation._check_metrics(metrics)
        self.batch_size = check_int(batch_size, name="batch_size", minimum=1)
        self.real_cache = real_cache
        self.seed = check_seed(seed)
        self.verbose = verbose
        self.history = []
        self.reference = real_source if isinstance(real_source, evaluation.ReferenceStatistics) else None
        needs_real = any(name != evaluation.INCEPTION_SCORE for name in self.metrics)
        if needs_real and real_source is None:
            raise ValueError(
                f"`real_source` is needed for {', '.join(self.metrics)}; only 'is' works without "
                "real images. Received: real_source=None"
            )

    def on_train_begin(self, logs=None):
        if not callable(getattr(self.model, "generate", None)):
            raise TypeError(
                "EvaluationCallback needs a model with a `generate(n, seed=...)` method returning "
                f"images in [0, 1] (gankit's GAN). Received: a {type(self.model).__name__} without one."
            )
        self.extractor = evaluation._check_extractor(self.extractor, self.metrics)

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every_n_epochs:
            return
        needs_real = any(name != evaluation.INCEPTION_SCORE for name in self.metrics)
        if needs_real and self.reference is None:
            self.reference = evaluation.reference_statistics(
                self.real_source,
                extractor=self.extractor,
                metrics=self.metrics,
                num_images=self.num_images,
                batch_size=self.batch_size,
                cache=self.real_cache,
            )
        result = evaluation.evaluate(
            self.model,
            self.reference,
            metrics=self.metrics,
            num_images=self.num_images,
            extractor=self.extractor,
            batch_size=self.batch_size,
            seed=self.seed,
        )
        if logs is not None:
            logs.update(result.values)
        self.history.append({"epoch": epoch + 1, **result.as_dict()})
        if self.verbose:
            print(f"\nEpoch {epoch + 1}: evaluation\n{result}")
