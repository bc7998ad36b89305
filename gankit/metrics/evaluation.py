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

The real side can be computed once with `reference_statistics` (or cached
in an `.npz` file with `real_cache=`) and passed to `evaluate` again and
again, which is what `gankit.metrics.callbacks.EvaluationCallback` does
during training.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import math
import os
import zipfile
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

# Result keys, also the names `metrics=` accepts.
FID = "fid"
KID = "kid"
INCEPTION_SCORE = "is"
MIFID = "mifid"
METRIC_NAMES = (FID, KID, INCEPTION_SCORE, MIFID)
"""Every metric `evaluate` computes, in the order results list them."""
MIFID_MEMORIZATION_DISTANCE = "mifid_memorization_distance"
"""Key of MiFID's memorization distance (before thresholding) in results."""

_NEEDS_MOMENTS = (FID,)
_NEEDS_FEATURES = (KID, MIFID)
_NEEDS_LOGITS = (INCEPTION_SCORE,)
_NEEDS_REAL = (FID, KID, MIFID)
_WITH_STD = (KID, INCEPTION_SCORE)

DATASET_SOURCES = ("cifar10", "digits", "fashion_mnist", "mnist")
"""Dataset names `real_source` accepts (loaded with `data_loaders`)."""
DATASET_SPLIT = "test"
"""Split of `DATASET_SOURCES` used as real images (digits has only one set).

The test split holds images no generator trained on, and its 10,000 images
(CIFAR-10, MNIST, Fashion-MNIST) match the default `num_images`.
"""

GENERATION_BATCH_SIZE = 100
"""Images asked of a generator per call, each block with its own seed.

Fixed (not `batch_size`) so the images drawn, hence the results, are the same
for every `batch_size`: block `i` uses the `i`-th seed drawn from
`numpy.random.default_rng(seed)`.
"""

# Cache files older or newer than this are rebuilt, never misread.
_CACHE_FORMAT_VERSION = 1
_CACHE_KEYS = ("format_version", "extractor_name", "source", "max_images", "num_images", "mean", "covariance")
# Images may exceed [0, 1] (or tanh outputs [-1, 1]) by float rounding only.
_RANGE_TOLERANCE = 1e-4


# -- running statistics -------------------------------------------------------


class RunningStatistics:
    """Mean and covariance of feature vectors, accumulated batch by batch.

    FID needs only the mean and covariance of each feature set, so features
    can be folded in as they come and forgotten: memory is O(d²) whatever
    the number of images. Each batch is merged with the pairwise update of
    Chan, Golub and LeVeque (1979) in float64: the batch's own mean and
    centred scatter matrix, plus a correction for the distance between the
    two means. Unlike accumulating `sum(x)` and `sum(x xᵀ)` and subtracting
    `n mu muᵀ` at the end, this does not lose digits when the features'
    mean is large against their spread, and any split of the same rows into
    batches gives the same result up to float64 rounding.

    Reference: [Chan, Golub & LeVeque, 1979](
    http://i.stanford.edu/pub/cstr/reports/cs/tr/79/773/CS-TR-79-773.pdf).

    Args:
        feature_dim: Length of each feature vector.

    Example:

        >>> statistics = RunningStatistics(2)
        >>> statistics.update([[1.0, 0.0]])
        >>> statistics.update([[3.0, 0.0]])
        >>> statistics.mean.tolist(), statistics.covariance.tolist()
        ([2.0, 0.0], [[2.0, 0.0], [0.0, 0.0]])
    """

    def __init__(self, feature_dim: int) -> None:
        self.feature_dim = check_int(feature_dim, name="feature_dim", minimum=1)
        self.count = 0
        self._mean = np.zeros(self.feature_dim)
        self._scatter = np.zeros((self.feature_dim, self.feature_dim))

    def update(self, features: ArrayLike) -> None:
        """Folds a batch of feature vectors `(batch, feature_dim)` in."""
        features = np.asarray(features, np.float64)
        if features.ndim != 2 or features.shape[1] != self.feature_dim:
            raise ValueError(
                f"`features` must have shape (batch, {self.feature_dim}). Received: features.shape={features.shape}"
            )
        batch = features.shape[0]
        if batch == 0:
            return
        batch_mean = features.mean(axis=0)
        centred = features - batch_mean
        total = self.count + batch
        delta = batch_mean - self._mean
        self._scatter += centred.T @ centred + np.outer(delta, delta) * (self.count * batch / total)
        self._mean += delta * (batch / total)
        self.count = total

    @property
    def mean(self) -> np.ndarray:
        """Float64 mean `(feature_dim,)` of every row seen."""
        if self.count == 0:
            raise ValueError("No features yet: call `update` before reading `mean`.")
        return self._mean.copy()

    @property
    def covariance(self) -> np.ndarray:
        """Float64 unbiased covariance (`ddof=1`, as `numpy.cov`)."""
        if self.count < 2:
            raise ValueError(f"The unbiased covariance needs at least 2 feature vectors. Received: {self.count}")
        return self._scatter / (self.count - 1)


# -- real statistics ------------------------------------------------------------


class ReferenceStatistics:
    """What `evaluate` needs from the real images, computed once.

    Build it with `reference_statistics`, pass it to `evaluate` as
    `real_source` as often as you like, and keep it between runs with
    `save` / `load` (an `.npz` file, no pickles).

    Args:
        extractor_name: `name` of the extractor that made the features.
        num_images: Number of real images behind the statistics.
        mean: Float64 feature mean `(feature_dim,)`.
        covariance: Float64 unbiased feature covariance
            `(feature_dim, feature_dim)`.
        features: The `(num_images, feature_dim)` features themselves (KID
            and MiFID need them), or `None`. Defaults to `None`.
        source: A description of the real images (a dataset name and split,
            a folder, an array fingerprint), used to validate caches.
            Defaults to `""`.
        max_images: The cap on real images that was asked for (`num_images`
            is smaller when the source had fewer). Defaults to `None`: the
            same as `num_images`.

    Raises:
        ValueError: If the shapes do not agree.
    """

    def __init__(
        self,
        extractor_name: str,
        num_images: int,
        mean: ArrayLike,
        covariance: ArrayLike,
        features: ArrayLike | None = None,
        source: str = "",
        max_images: int | None = None,
    ) -> None:
        self.extractor_name = str(extractor_name)
        self.num_images = check_int(num_images, name="num_images", minimum=1)
        self.mean = np.asarray(mean, np.float64)
        self.covariance = np.asarray(covariance, np.float64)
        dim = self.mean.shape[0] if self.mean.ndim == 1 else None
        if dim is None or self.covariance.shape != (dim, dim):
            raise ValueError(
                "`mean` must be (feature_dim,) and `covariance` (feature_dim, feature_dim). "
                f"Received: mean.shape={self.mean.shape}, covariance.shape={self.covariance.shape}"
            )
        if features is not None:
            features = np.asarray(features)
            if features.shape != (self.num_images, dim):
                raise ValueError(
                    f"`features` must have shape (num_images, feature_dim) = {(self.num_images, dim)}. "
                    f"Received: features.shape={features.shape}"
                )
        self.features = features
        self.source = str(source)
        self.max_images = self.num_images if max_images is None else check_int(max_images, name="max_images", minimum=1)

    @property
    def feature_dim(self) -> int:
        return self.mean.shape[0]

    def save(self, path: str | os.PathLike) -> None:
        """Writes the statistics to an `.npz` file (atomically)."""
        path = os.fspath(path)
        arrays = {
            "format_version": np.int64(_CACHE_FORMAT_VERSION),
            "extractor_name": np.str_(self.extractor_name),
            "source": np.str_(self.source),
            "max_images": np.int64(self.max_images),
            "num_images": np.int64(self.num_images),
            "mean": self.mean,
            "covariance": self.covariance,
        }
        if self.features is not None:
            arrays["features"] = self.features
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
        if os.path.isdir(path):
            raise IsADirectoryError(f"Cannot write reference statistics to {path!r}: it is a folder.")
        partial = f"{path}.partial-{os.getpid()}.npz"
        try:
            np.savez(partial, **arrays)
            os.replace(partial, path)
        finally:
            if os.path.exists(partial):  # A failed write leaves nothing behind.
                os.remove(partial)

    @classmethod
    def load(cls, path: str | os.PathLike) -> ReferenceStatistics:
        """Reads statistics written by `save`.

        Raises:
            FileNotFoundError: If `path` does not exist.
            ValueError: If the file is not a gankit statistics file of this
                format version.
        """
        path = os.fspath(path)
        try:
            data = np.load(path, allow_pickle=False)
        except FileNotFoundError:
            raise
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
            raise ValueError(
                f"{path!r} is not a gankit reference statistics file ({error}). Delete it to rebuild it."
            ) from None
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise ValueError(f"{path!r} is not a gankit reference statistics file (.npz). Delete it to rebuild it.")
        with data:
            missing = sorted(set(_CACHE_KEYS) - set(data.files))
            if missing:
                raise ValueError(
                    f"{path!r} is not a gankit reference statistics file: it lacks {', '.join(missing)}. "
                    "Delete it to rebuild it."
                )
            version = int(data["format_version"])
            if version != _CACHE_FORMAT_VERSION:
                raise ValueError(
                    f"{path!r} holds reference statistics of format {version}; this "
                    f"gankit reads format {_CACHE_FORMAT_VERSION}. Delete it to rebuild it."
                )
            return cls(
                extractor_name=str(data["extractor_name"]),
                num_images=int(data["num_images"]),
                mean=data["mean"],
                covariance=data["covariance"],
                features=data["features"] if "features" in data.files else None,
                source=str(data["source"]),
                max_images=int(data["max_images"]),
            )

    def __repr__(self):
        features = "with features" if self.features is not None else "no features"
        return (
            f"ReferenceStatistics(extractor_name={self.extractor_name!r}, num_images={self.num_images}, "
            f"feature_dim={self.feature_dim}, {features}, source={self.source!r})"
        )


# -- results ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class EvaluationResult:
    """The values `evaluate` computed, each with the number of images behind it.

    FID is biased by the number of images (it grows as `N` shrinks), so a
    value means little without its `N`: `as_dict()` and `str()` always carry
    `num_real` and `num_fake`.

    Attributes:
        values: `{metric: value}` for every metric asked for, in
            `METRIC_NAMES` order.
        stds: `{metric: standard deviation}` for `"kid"` (over subsets) and
            `"is"` (over splits).
        num_real: Real images behind the values (`None` when only `"is"`,
            which needs none, was asked for).
        num_fake: Generated images behind the values.
        extractor_name: `name` of the feature extractor.
        details: Further numbers by key: with `"mifid"`,
            `MIFID_MEMORIZATION_DISTANCE` (Kaggle's mean cosine distance to
            the nearest real image, before its 0.1 threshold).
    """

    values: dict[str, float]
    stds: dict[str, float]
    num_real: int | None
    num_fake: int
    extractor_name: str
    details: dict[str, float] = dataclasses.field(default_factory=dict)

    def as_dict(self) -> dict[str, float | int | str | None]:
        """A flat JSON-ready dict: `fid`, `kid`, `kid_std`, `is`, `is_std`,
        `mifid`, `mifid_memorization_distance` (those computed), `num_real`,
        `num_fake`, `extractor`."""
        flat = {}
        for name, value in self.values.items():
            flat[name] = value
            if name in self.stds:
                std = self.stds[name]
                flat[f"{name}_std"] = None if math.isnan(std) else std  # JSON has no NaN.
        flat.update(self.details)
        flat.update(num_real=self.num_real, num_fake=self.num_fake, extractor=self.extractor_name)
        return flat

    def __str__(self):
        rows = [("metric", "value", "std", "N real", "N fake")]
        undefined = []
        for name, value in self.values.items():
            std = self.stds.get(name)
            num_real = "-" if name not in _NEEDS_REAL else str(self.num_real)
            if std is None:
                std_text = "-"
            elif math.isnan(std):
                std_text = "undefined"
                undefined.append(name)
            else:
                std_text = f"{std:.3g}"
            rows.append((name, f"{value:.6g}", std_text, num_real, str(self.num_fake)))
        widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
        lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
        lines.extend(f"{name}: {value:.6g}" for name, value in self.details.items())
        if KID in undefined:
            lines.append(
                "kid std undefined: every KID subset held all the images; evaluate more images than the subset size"
            )
        lines.append(f"extractor: {self.extractor_name}")
        return "\n".join(lines)


# -- argument checks ----------------------------------------------------------


def _check_metrics(metrics):
    names = (metrics,) if isinstance(metrics, str) else tuple(metrics)
    unknown = [name for name in names if name not in METRIC_NAMES]
    if unknown or not names:
        raise ValueError(f"`metrics` must name one or more of {', '.join(METRIC_NAMES)}. Received: metrics={metrics!r}")
    if len(set(names)) != len(names):
        raise ValueError(f"`metrics` names a metric twice. Received: metrics={metrics!r}")
    return tuple(name for name in METRIC_NAMES if name in names)


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


# -- image sources ------------------------------------------------------------


def _to_numpy(value):
    if tf.is_tensor(value) or hasattr(value, "numpy"):
        value = value.numpy()
    return np.asarray(value)


def _check_unit_images(images, where):
    """`images` as float32 NHWC in [0, 1], or a clear error."""
    images = _to_numpy(images)
    if images.dtype.kind != "f":
        raise TypeError(
            f"{where} must be float images in [0, 1]. Received: dtype={images.dtype}. Divide uint8 images by 255 first."
        )
    if images.ndim == 3:  # (N, H, W): one channel.
        images = images[..., np.newaxis]
    if images.ndim != 4:
        raise ValueError(
            f"{where} must be images (N, height, width, channels) or (N, height, width). Received: shape={images.shape}"
        )
    if images.size and not (np.min(images) >= -_RANGE_TOLERANCE and np.max(images) <= 1.0 + _RANGE_TOLERANCE):
        raise ValueError(
            f"{where} must hold finite values in [0, 1]. Received: values in "
            f"[{np.min(images):.4g}, {np.max(images):.4g}]. Map tanh outputs with (x + 1) / 2."
        )
    return images.astype(np.float32, copy=False)


def _from_tanh(images, where):
    """Maps images in [-1, 1] (tanh generators, data_loaders) to [0, 1]."""
    images = _to_numpy(images).astype(np.float32, copy=False)
    if images.size and not (np.min(images) >= -1.0 - _RANGE_TOLERANCE and np.max(images) <= 1.0 + _RANGE_TOLERANCE):
        raise ValueError(
            f"{where} must hold finite values in [-1, 1] (a tanh output, or a data_loaders "
            f"dataset). Received: values in [{np.min(images):.4g}, {np.max(images):.4g}]"
        )
    return np.clip((images + 1.0) / 2.0, 0.0, 1.0)


def _takes_seed(function):
    try:
        return "seed" in inspect.signature(function).parameters
    except (TypeError, ValueError):  # Builtins and some C callables.
        return False


def _generated(draw, num_images, seed, where):
    """Yields `num_images` images from `draw(n, seed)`, in fixed blocks."""
    num_blocks = math.ceil(num_images / GENERATION_BATCH_SIZE)
    seeds = np.random.default_rng(seed).integers(2**31 - 1, size=num_blocks)
    for block, start in enumerate(range(0, num_images, GENERATION_BATCH_SIZE)):
        count = min(GENERATION_BATCH_SIZE, num_images - start)
        images = _check_unit_images(draw(count, int(seeds[block])), where)
        if len(images) != count:
            raise ValueError(f"{where} returned {len(images)} images when asked for {count}.")
        yield images


def _keras_generator_draw(model):
    input_shape = model.input_shape
    if isinstance(input_shape, list) or not isinstance(input_shape, tuple):
        raise TypeError(
            "A Keras generator passed to `evaluate` must take one latent input; for conditional "
            "generators pass a function `fn(n)` that draws labels and returns images in [0, 1]. "
            f"Received: a model with input_shape={input_shape}"
        )
    latent_shape = tuple(input_shape[1:])

    def draw(count, seed):
        latents = np.random.default_rng(seed).standard_normal((count, *latent_shape)).astype("float32")
        outputs = keras.ops.convert_to_numpy(keras.ops.cast(model(latents, training=False), "float32"))
        return _from_tanh(outputs, f"the generator {model.name!r}")

    return draw


def _array_chunks(images, num_images, batch_size, where):
    images = _to_numpy(images)
    if images.ndim not in (3, 4):
        raise ValueError(
            f"{where} must be images (N, height, width, channels) or (N, height, width). Received: shape={images.shape}"
        )
    stop = min(num_images, len(images))
    for start in range(0, stop, batch_size):
        yield _check_unit_images(images[start : min(start + batch_size, stop)], where)


def _array_fingerprint(images, num_images):
    images = np.ascontiguousarray(_to_numpy(images)[:num_images])
    digest = hashlib.sha1(images.view(np.uint8).reshape(-1)).hexdigest()[:16]
    return f"array{images.shape}:{images.dtype}:{digest}"


def _dataset_chunks(dataset, num_images, batch_size, where):
    spec = dataset.element_spec
    if isinstance(spec, tuple):  # (images, labels) pairs: keep the images.
        dataset = dataset.map(lambda images, *rest: images)
        spec = dataset.element_spec
    if not isinstance(spec, tf.TensorSpec) or spec.shape.rank not in (3, 4):
        raise ValueError(
            f"{where} must yield image batches (batch, height, width, channels), single images, "
            f"or (images, labels) pairs of them. Received: element_spec={spec}"
        )
    if spec.shape.rank == 3:
        dataset = dataset.batch(batch_size)
    seen = 0
    for images in dataset:
        if seen >= num_images:
            break
        images = _from_tanh(images[: num_images - seen], where)
        seen += len(images)
        yield images


def _read_image_file(path):
    """A file as float32 HWC in [0, 1]: gray stays 1 channel, colour is RGB."""
    import cv2

    try:
        data = np.fromfile(path, dtype=np.uint8)
        image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if data.size else None
    except (OSError, cv2.error):
        return None
    if image is None:
        return None
    if image.ndim == 2:
        image = image[..., np.newaxis]
    elif image.shape[-1] == 4:  # Alpha is dropped: the metrics see RGB.
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2RGB)
    elif image.shape[-1] == 3:
        image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    scale = np.iinfo(image.dtype).max if image.dtype.kind in "ui" else 1.0
    return image.astype(np.float32) / np.float32(scale)


def _folder_files(folder):
    # data_loaders' listing rules (recursive, sorted, hidden files skipped).
    from data_loaders import _files
    from data_loaders import _images

    paths = [path for path in _files.list_files(folder) if _images.has_image_extension(path)]
    if not paths:
        raise ValueError(
            f"No image files in {folder!r} (searched recursively for "
            f"{', '.join(_images.IMAGE_EXTENSIONS)}). Check the path."
        )
    return paths


def _folder_chunks(folder, num_images, batch_size):
    """Yields runs of same-shape images read from `folder`, in file order.

    Images of different sizes or channel counts can share a folder: each run
    of equal shapes goes to the extractor as its own batch (the extractor
    resizes every image to its input size anyway).
    """
    from data_loaders import _images

    paths = _folder_files(folder)
    skipped = []
    seen = 0
    for start in range(0, len(paths), batch_size):
        if seen >= num_images:
            break
        group = paths[start : start + batch_size]
        decoded = _images.map_in_threads(_read_image_file, group)
        skipped.extend(os.path.relpath(p, folder) for p, image in zip(group, decoded) if image is None)
        images = [image for image in decoded if image is not None][: num_images - seen]
        seen += len(images)
        run = []
        for image in images:
            if run and image.shape != run[0].shape:
                yield np.stack(run)
                run = []
            run.append(image)
        if run:
            yield np.stack(run)
    _images.warn_skipped(skipped, len(paths), f"files in {folder!r} that could not be read as images")
    if seen == 0:
        raise ValueError(f"None of the image files in {folder!r} could be decoded.")


def _load_dataset_arrays(name):
    import data_loaders

    if name == "digits":
        images, _ = data_loaders.load_digits_arrays()
    else:
        loader = getattr(data_loaders, f"load_{name}_arrays")
        images, _ = loader(DATASET_SPLIT)
    images = images.astype(np.float32) / np.float32(255.0)
    return images if images.ndim == 4 else images[..., np.newaxis]


def _real_chunks(real_source, num_images, batch_size):
    """`(description, open_chunks)` for every kind of real source.

    `open_chunks()` returns `(chunks, total)`: the chunks and the number of
    images they will hold, or `None` where that is unknown (a `tf.data`
    source). Nothing is read before `open_chunks()` is called, so a valid
    cache spares loading the dataset at all (CIFAR-10 offline, for one).
    """
    if isinstance(real_source, (str, os.PathLike)):
        path = os.fspath(real_source)
        if path in DATASET_SOURCES:
            split = "all" if path == "digits" else DATASET_SPLIT

            def open_dataset():
                images = _load_dataset_arrays(path)
                total = min(num_images, len(images))
                return _array_chunks(images, num_images, batch_size, "real images"), total

            return f"{path}:{split}", open_dataset
        if os.path.isdir(path):

            def open_folder():
                # Unreadable files are skipped later; the bar then ends short.
                total = min(num_images, len(_folder_files(path)))
                return _folder_chunks(path, num_images, batch_size), total

            return f"folder:{os.path.abspath(path)}", open_folder
        raise ValueError(
            f"`real_source` must be a folder or one of the datasets {', '.join(DATASET_SOURCES)}. "
            f"Received: real_source={path!r}, which is neither (pass ./{path} for a folder of that name)"
        )
    if isinstance(real_source, tf.data.Dataset):
        return "tf.data.Dataset", lambda: (
            _dataset_chunks(real_source, num_images, batch_size, "the real dataset"),
            None,
        )
    if isinstance(real_source, np.ndarray) or tf.is_tensor(real_source):
        return (
            _array_fingerprint(real_source, num_images),
            lambda: (
                _array_chunks(real_source, num_images, batch_size, "real images"),
                min(num_images, len(real_source)),
            ),
        )
    raise TypeError(
        "`real_source` must be an array of images in [0, 1], a folder, a dataset name "
        f"({', '.join(DATASET_SOURCES)}), a tf.data.Dataset or ReferenceStatistics. "
        f"Received: {type(real_source).__name__}"
    )


def _fake_chunks(source, num_images, batch_size, seed):
    """Chunks of images in [0, 1] for every kind of `generator_or_images`."""
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if not os.path.isdir(path):
            raise FileNotFoundError(f"`generator_or_images` names no folder. Received: {path!r}")
        return _folder_chunks(path, num_images, batch_size)
    if isinstance(source, tf.data.Dataset):
        return _dataset_chunks(source, num_images, batch_size, "the generated dataset")
    if isinstance(source, np.ndarray) or tf.is_tensor(source):
        return _array_chunks(source, num_images, batch_size, "generated images")
    generate = getattr(source, "generate", None)
    if callable(generate):  # A GAN (gankit.models.GAN or alike).
        where = f"{type(source).__name__}.generate"
        if _takes_seed(generate):
            return _generated(lambda n, s: generate(n, seed=s), num_images, seed, where)
        return _generated(lambda n, s: generate(n), num_images, seed, where)
    if isinstance(source, keras.Model):
        return _generated(_keras_generator_draw(source), num_images, seed, f"the generator {source.name!r}")
    if callable(source):
        where = f"generator function {getattr(source, '__name__', source)!r}"
        if _takes_seed(source):
            return _generated(lambda n, s: source(n, seed=s), num_images, seed, where)
        return _generated(lambda n, s: source(n), num_images, seed, where)
    raise TypeError(
        "`generator_or_images` must be a function fn(n) returning images in [0, 1], an object "
        "with a `generate(n, seed=...)` method (a GAN), a Keras generator with tanh outputs, an "
        "array of images in [0, 1], a folder of images or a tf.data.Dataset. "
        f"Received: {type(source).__name__}"
    )


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


def _read_cache(path, extractor_name, source, max_images, need_features):
    if not os.path.isfile(path):
        return None
    try:
        cached = ReferenceStatistics.load(path)
    except ValueError:
        return None  # An older format or a broken file: rebuilt.
    if (
        cached.extractor_name == extractor_name
        and cached.source == source
        and cached.max_images == max_images
        and (cached.features is not None or not need_features)
    ):
        return cached
    return None


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
        seed: Seed of the generated images and of KID's subsets; `None` for
            a fresh draw each call. Defaults to `0`.
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
        )
    if INCEPTION_SCORE in metrics:
        values[INCEPTION_SCORE], stds[INCEPTION_SCORE] = inception_score.inception_score_from_logits(
            logits, splits=is_splits
        )
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
