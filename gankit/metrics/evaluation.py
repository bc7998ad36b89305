"""Streaming evaluation of a generator: FID, KID, IS and MiFID in one pass.

`evaluate` draws images from a generator (or reads them from an array, a
folder or a `tf.data.Dataset`), runs them through a feature extractor batch
by batch, and hands what it gathered to the pure functions of
`gankit.metrics` (`frechet`, `kid`, `inception_score`, `mifid`) once at the
end. What it keeps in memory depends on the metrics asked for (`n` images,
`d` features, `k` classes):

| metric | real images | generated images | memory |
|---|---|---|---|
| `"fid"` | running mean and covariance | running mean and covariance | O(d²) |
| `"kid"`, `"mifid"` | all features | all features | O(n d) |
| `"is"` | nothing | all logits | O(n k) |

FID alone therefore needs two `d x d` float64 matrices whatever `n` is
(2 x 32 MiB for InceptionV3's 2048 features); KID and MiFID keep `n x d`
float32 features (80 MiB for 10,000 Inception features); IS keeps the
`n x k` logits (40 MiB for 10,000 x 1008) because its splits need them all.

Results do not depend on `batch_size`: generators are sampled in fixed
blocks of `GENERATION_BATCH_SIZE` images with one seed per block, whatever
the extractor's batch size, and the running statistics are exact up to
float64 rounding (see `RunningStatistics`).

The pieces live by concern: `running_statistics` (`RunningStatistics`),
`reference` (`ReferenceStatistics` and its `.npz` cache format), `results`
(the metric names and `EvaluationResult`) and `sources` (the input
adapters: generators, arrays, folders, datasets, named datasets, read
through `data_loaders`' public API only); this module holds
`reference_statistics` and `evaluate` and re-exports the names above.

The real side can be computed once with `reference_statistics` (or cached
in an `.npz` file with `real_cache=`) and passed to `evaluate` again and
again, which is what `gankit.metrics.callbacks.EvaluationCallback` does
during training.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf
from numpy.typing import ArrayLike

from gankit._checks import check_int
from gankit._checks import check_seed
from gankit.metrics import frechet
from gankit.metrics import inception_score
from gankit.metrics import kid
from gankit.metrics import memorization
from gankit.metrics.extractors import FeatureExtractor
from gankit.metrics.reference import ReferenceStatistics
from gankit.metrics.reference import _read_cache
from gankit.metrics.results import _NEEDS_FEATURES
from gankit.metrics.results import _NEEDS_LOGITS
from gankit.metrics.results import _NEEDS_REAL
from gankit.metrics.results import FID
from gankit.metrics.results import INCEPTION_SCORE
from gankit.metrics.results import KID
from gankit.metrics.results import METRIC_NAMES  # noqa: F401
from gankit.metrics.results import MIFID
from gankit.metrics.results import MIFID_MEMORIZATION_DISTANCE
from gankit.metrics.results import EvaluationResult
from gankit.metrics.results import _check_metrics
from gankit.metrics.running_statistics import RunningStatistics
from gankit.metrics.sources import DATASET_SOURCES  # noqa: F401
from gankit.metrics.sources import DATASET_SPLIT  # noqa: F401
from gankit.metrics.sources import GENERATION_BATCH_SIZE  # noqa: F401
from gankit.metrics.sources import _fake_chunks
from gankit.metrics.sources import _real_chunks
from gankit.metrics.sources import _to_numpy


def _check_extractor(extractor, metrics):
    if extractor is None:
        from gankit.metrics.inception import InceptionFeatures

        return InceptionFeatures()
    required = ["name", "feature_dim"]
    if any(m in _NEEDS_LOGITS for m in metrics) and any(m not in _NEEDS_LOGITS for m in metrics):
        required.append("features_and_logits")
    elif any(m in _NEEDS_LOGITS for m in metrics):
        required.append("logits")
    else:
        required.append("features")
    missing = [name for name in required if not hasattr(extractor, name)]
    if missing:
        raise TypeError(
            "`extractor` must follow the extractor protocol of gankit.metrics (attributes "
            "`name`, `feature_dim`, `num_classes`; methods `features`, `logits`, "
            f"`features_and_logits`); it lacks {', '.join(missing)}. Received: extractor={extractor!r}"
        )
    if not isinstance(extractor.name, str) or not extractor.name:
        raise TypeError(f"`extractor.name` must be a non-empty string. Received: {extractor.name!r}")
    return extractor


# -- extraction ---------------------------------------------------------------


def _check_outputs(array, rows, columns, what, extractor):
    array = _to_numpy(array)
    if array.ndim != 2 or array.shape[0] != rows or (columns is not None and array.shape[1] != columns):
        expected = f"({rows}, {columns if columns is not None else 'k'})"
        raise ValueError(
            f"The extractor {extractor.name!r} returned {what} of shape {array.shape} for "
            f"{rows} images; expected {expected}."
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"The extractor {extractor.name!r} returned non-finite {what}.")
    return array


def _extract(chunks, extractor, batch_size, *, moments, keep_features, keep_logits, progress_label, verbose, target):
    """Runs every chunk through the extractor; returns what was asked for.

    Returns:
        `(count, statistics, features, logits)`: images seen, a
        `RunningStatistics` or `None`, concatenated features or `None`,
        concatenated logits or `None`.
    """
    need_features = moments or keep_features
    statistics = (
        RunningStatistics(check_int(extractor.feature_dim, name="extractor.feature_dim", minimum=1))
        if moments
        else None
    )
    features, logits = [], []
    count = 0
    progbar = keras.utils.Progbar(target, unit_name="image") if verbose else None
    if progbar is not None:
        print(progress_label)
    for images in chunks:
        if len(images) == 0:
            continue
        if need_features and keep_logits:
            batch_features, batch_logits = extractor.features_and_logits(images, batch_size=batch_size)
        elif keep_logits:
            batch_features, batch_logits = None, extractor.logits(images, batch_size=batch_size)
        else:
            batch_features, batch_logits = extractor.features(images, batch_size=batch_size), None
        if batch_features is not None:
            batch_features = _check_outputs(batch_features, len(images), extractor.feature_dim, "features", extractor)
            if statistics is not None:
                statistics.update(batch_features)
            if keep_features:
                features.append(batch_features)
        if batch_logits is not None:
            logits.append(_check_outputs(batch_logits, len(images), None, "logits", extractor))
        count += len(images)
        if progbar is not None:
            progbar.update(count)
    if progbar is not None and count != target:  # Unknown length, or a source shorter than asked.
        progbar.update(count, finalize=True)
    return (
        count,
        statistics,
        np.concatenate(features) if keep_features and features else None,
        np.concatenate(logits) if keep_logits and logits else None,
    )


def _check_count(count, what):
    if count < 2:
        raise ValueError(
            f"{what} gave {count} image(s); the metrics need at least 2 (FID's covariance is "
            "unbiased, KID compares pairs). Pass more images."
        )


# -- public functions -----------------------------------------------------------


def reference_statistics(
    real_source: np.ndarray | tf.Tensor | str | os.PathLike | tf.data.Dataset,
    extractor: FeatureExtractor | None = None,
    metrics: str | Sequence[str] = (FID,),
    num_images: int = 10000,
    batch_size: int = 64,
    cache: str | os.PathLike | None = None,
    verbose: int = 0,
) -> ReferenceStatistics:
    """Computes (or reads from `cache`) the real-image statistics of `evaluate`.

    Useful to evaluate many generators, or one generator many times, against
    the same real images: pass the result to `evaluate` as `real_source`.

    Args:
        real_source: The real images: an array `(N, H, W[, C])` of floats in
            [0, 1]; a folder of image files (read recursively in sorted
            order; gray files stay one channel, colour files are RGB, alpha
            is dropped); one of `DATASET_SOURCES` (`"fashion_mnist"`,
            `"mnist"`, `"cifar10"`: their `DATASET_SPLIT` = `"test"` split;
            `"digits"`: scikit-learn's 1,797 digits), loaded with
            `data_loaders`; or a `tf.data.Dataset` of images in [-1, 1] as
            the `data_loaders` pipelines yield them (batched or not, optionally
            `(images, labels)` pairs).
        extractor: A feature extractor (see `gankit.metrics.extractors`: any
            object with `name`, `feature_dim` and `features` / `logits` /
            `features_and_logits` methods). Defaults to `None`:
            `InceptionFeatures()`.
        metrics: The metrics the statistics will serve; with `"kid"` or
            `"mifid"` the features themselves are kept. Defaults to
            `("fid",)`.
        num_images: Use at most this many real images (the first ones of the
            source). Defaults to `10000`.
        batch_size: Images per extractor call. Defaults to `64`.
        cache: `None`, or the path of an `.npz` file. When it exists, holds
            statistics of the same extractor `name`, the same source
            description and the same `num_images`, and has features when
            `metrics` need them, it is read instead of computing; otherwise
            it is (re)written. The source description is the dataset name
            and split, the folder's absolute path, an array's SHA-1, or
            `"tf.data.Dataset"` for datasets, whose content cannot be
            checked: use one cache file per dataset. Defaults to `None`.
        verbose: Show a progress bar. Defaults to `0`.

    Returns:
        A `ReferenceStatistics`.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument has a bad value, or the source has fewer
            than 2 images.

    Example:

        >>> reference = reference_statistics(
        ...     "fashion_mnist", extractor=DomainClassifier.for_dataset("fashion_mnist"),
        ...     metrics=("fid", "kid"))  # doctest: +SKIP
        >>> evaluate(gan, reference, metrics=("fid", "kid"))  # doctest: +SKIP
    """
    metrics = _check_metrics(metrics)
    extractor = _check_extractor(extractor, (FID,))
    num_images = check_int(num_images, name="num_images", minimum=1)
    batch_size = check_int(batch_size, name="batch_size", minimum=1)
    keep_features = any(m in _NEEDS_FEATURES for m in metrics)
    source, open_chunks = _real_chunks(real_source, num_images, batch_size)
    if cache is not None:
        cached = _read_cache(cache, extractor.name, source, num_images, keep_features)
        if cached is not None:
            return cached
    chunks, total = open_chunks()
    count, statistics, features, _ = _extract(
        chunks,
        extractor,
        batch_size,
        moments=True,
        keep_features=keep_features,
        keep_logits=False,
        progress_label=f"Real images ({source}):",
        verbose=verbose,
        target=total,
    )
    _check_count(count, "`real_source`")
    reference = ReferenceStatistics(
        extractor.name,
        count,
        statistics.mean,
        statistics.covariance,
        features=features,
        source=source,
        max_images=num_images,
    )
    if cache is not None:
        reference.save(cache)
    return reference


def evaluate(
    generator_or_images: Callable[..., ArrayLike]
    | keras.Model
    | np.ndarray
    | tf.Tensor
    | str
    | os.PathLike
    | tf.data.Dataset,
    real_source: ReferenceStatistics | np.ndarray | tf.Tensor | str | os.PathLike | tf.data.Dataset | None,
    metrics: str | Sequence[str] = (FID,),
    num_images: int = 10000,
    extractor: FeatureExtractor | None = None,
    batch_size: int = 64,
    real_cache: str | os.PathLike | None = None,
    seed: int | None = 0,
    *,
    num_real: int | None = None,
    is_splits: int = 10,
    kid_subsets: int = 100,
    kid_subset_size: int | None = None,
    verbose: int = 0,
) -> EvaluationResult:
    """Evaluates generated images against real ones: FID, KID, IS, MiFID.

    Streams both sets through `extractor` in batches of `batch_size` and
    computes the metrics at the end with the pure functions of
    `gankit.metrics`, so the values equal those functions applied to all
    features at once, and do not depend on `batch_size`. FID needs only
    running means and covariances (O(d²) memory); KID and MiFID keep all
    `n x d` features, IS the `n x k` fake logits (see the module docstring).

    Metrics (`METRIC_NAMES`):

    - `"fid"`: Fréchet distance of feature Gaussians (Heusel et al., 2017),
      `frechet.frechet_distance`. Lower is better; biased upwards for small
      `N`, so compare only at equal `N` and extractor.
    - `"kid"`: kernel inception distance (Bińkowski et al., 2018), unbiased
      MMD² with a cubic polynomial kernel averaged over `kid_subsets`
      subsets of `kid_subset_size`, `kid.kid_from_features`; with std.
    - `"is"`: inception score (Salimans et al., 2016) of the generated
      images over `is_splits` splits,
      `inception_score.inception_score_from_logits`; with std. Needs no
      real images.
    - `"mifid"`: memorization-informed FID (Kaggle's "Generative Dog
      Images" competition), `memorization.mifid`; its memorization
      distance goes into `details`.

    Args:
        generator_or_images: The generated images: a function `fn(n)`
            returning `n` images in [0, 1] (called as `fn(n, seed=s)` when it
            takes a `seed` argument, e.g. `gan.generate`); an object with a
            `generate(n, seed=...)` method (a `gankit.models.GAN`); a Keras
            generator model (one latent input, N(0, 1) latents, `tanh`
            outputs in [-1, 1] mapped to [0, 1]); an array `(N, H, W[, C])`
            of floats in [0, 1]; a folder of image files; or a
            `tf.data.Dataset` of images in [-1, 1] (as `real_source`).
            Generators are asked for `GENERATION_BATCH_SIZE` images at a
            time, block `i` with the `i`-th seed drawn from `seed`.
        real_source: The real images, as `reference_statistics` accepts them
            (an array, a folder, a dataset name, a `tf.data.Dataset`), or a
            `ReferenceStatistics` computed before with the same extractor.
            May be `None` when only `"is"` is asked for.
        metrics: Metric names, a sequence or one string. Defaults to
            `("fid",)`.
        num_images: Number of generated images; for arrays, folders and
            datasets, at most this many (the first ones). Defaults to
            `10000`, the usual minimum for FID (papers often use 50,000).
        extractor: The feature extractor (see `reference_statistics`).
            Defaults to `None`: `InceptionFeatures()`.
        batch_size: Images per extractor call (and per array/folder read).
            Does not change the results. Defaults to `64`.
        real_cache: `None`, or an `.npz` path caching the real statistics
            (see `reference_statistics`'s `cache`). Defaults to `None`.
        seed: Seed of the generated images, of KID's subsets and of IS's
            shuffle; `None` for a fresh draw each call. Defaults to `0`.
        num_real: Use at most this many real images. Defaults to `None`:
            `num_images`.
        is_splits: Number of splits of the inception score. Defaults to `10`.
        kid_subsets: Number of KID subsets. Defaults to `100`.
        kid_subset_size: Images per KID subset, at most either image count.
            Defaults to `None`: `min(1000, num_real, num_fake)`, the
            reference implementation's 1000 where the sets allow it.
        verbose: Show progress bars. Defaults to `0`.

    Returns:
        An `EvaluationResult`: the values, stds for KID and IS, the number of
        real and generated images, and the extractor's name.

    Raises:
        TypeError: If an argument has the wrong type, e.g. a source of an
            unknown kind or an extractor without the protocol's methods.
        ValueError: If a metric name is unknown (the message lists the valid
            ones), images are outside [0, 1] (or [-1, 1] for tanh outputs and
            datasets), there are fewer than 2 images, or a
            `ReferenceStatistics` does not fit the extractor or the metrics.
        FileNotFoundError: If a folder does not exist.

    Example:

        >>> result = evaluate(gan, "fashion_mnist", metrics=("fid", "kid"),
        ...                   extractor=DomainClassifier.for_dataset("fashion_mnist"),
        ...                   real_cache="fmnist_stats.npz")  # doctest: +SKIP
        >>> print(result)  # doctest: +SKIP
        metric  value    std      N real  N fake
        fid     23.4     -        10000   10000
        kid     0.0151   0.00071  10000   10000
        extractor: domain_fashion_mnist_v1
    """
    metrics = _check_metrics(metrics)
    extractor = _check_extractor(extractor, metrics)
    num_images = check_int(num_images, name="num_images", minimum=1)
    batch_size = check_int(batch_size, name="batch_size", minimum=1)
    num_real = num_images if num_real is None else check_int(num_real, name="num_real", minimum=1)
    seed = check_seed(seed)
    is_splits = check_int(is_splits, name="is_splits", minimum=1)
    kid_subsets = check_int(kid_subsets, name="kid_subsets", minimum=1)
    if kid_subset_size is not None:
        kid_subset_size = check_int(kid_subset_size, name="kid_subset_size", minimum=2)
    needs_real = any(m in _NEEDS_REAL for m in metrics)
    keep_features = any(m in _NEEDS_FEATURES for m in metrics)

    reference = None
    if needs_real:
        if real_source is None:
            raise ValueError(
                f"`real_source` is needed for {', '.join(m for m in metrics if m in _NEEDS_REAL)}; "
                "only 'is' works without real images. Received: real_source=None"
            )
        if isinstance(real_source, ReferenceStatistics):
            if real_cache is not None:
                raise ValueError(
                    "`real_cache` caches statistics computed from images; `real_source` already is "
                    "statistics. Pass one of them."
                )
            reference = _check_reference(real_source, extractor, keep_features)
        else:
            reference = reference_statistics(
                real_source,
                extractor=extractor,
                metrics=metrics,
                num_images=num_real,
                batch_size=batch_size,
                cache=real_cache,
                verbose=verbose,
            )

    chunks = _fake_chunks(generator_or_images, num_images, batch_size, seed)
    count, statistics, features, logits = _extract(
        chunks,
        extractor,
        batch_size,
        moments=FID in metrics,
        keep_features=keep_features,
        keep_logits=INCEPTION_SCORE in metrics,
        progress_label="Generated images:",
        verbose=verbose,
        target=num_images,
    )
    _check_count(count, "`generator_or_images`")

    values, stds, details = {}, {}, {}
    if FID in metrics:
        values[FID] = frechet.frechet_distance(
            reference.mean, reference.covariance, statistics.mean, statistics.covariance
        )
    if KID in metrics:
        values[KID], stds[KID] = kid.kid_from_features(
            reference.features, features, subsets=kid_subsets, subset_size=kid_subset_size, seed=seed
        ).as_tuple()
    if INCEPTION_SCORE in metrics:
        values[INCEPTION_SCORE], stds[INCEPTION_SCORE] = inception_score.inception_score_from_logits(
            logits, splits=is_splits, seed=seed
        ).as_tuple()
    if MIFID in metrics:
        parts = memorization.mifid(reference.features, features)
        values[MIFID] = parts.mifid
        details[MIFID_MEMORIZATION_DISTANCE] = parts.memorization_distance
    return EvaluationResult(
        values={name: float(value) for name, value in values.items()},
        stds={name: float(value) for name, value in stds.items()},
        num_real=reference.num_images if reference is not None else None,
        num_fake=count,
        extractor_name=extractor.name,
        details={name: float(value) for name, value in details.items()},
    )


def _check_reference(reference, extractor, keep_features):
    if reference.extractor_name != extractor.name:
        raise ValueError(
            "`real_source` holds statistics of another extractor; features of different "
            f"extractors cannot be compared. Received: real_source.extractor_name="
            f"{reference.extractor_name!r}, extractor.name={extractor.name!r}"
        )
    if keep_features and reference.features is None:
        raise ValueError(
            "KID and MiFID need the real features, which `real_source` does not keep. Build it "
            "with reference_statistics(..., metrics=('kid',)) (or 'mifid')."
        )
    return reference
