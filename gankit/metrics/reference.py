"""`ReferenceStatistics`: the real side of an evaluation, and its `.npz` cache format."""

from __future__ import annotations

import os
import zipfile

import numpy as np
from numpy.typing import ArrayLike

from gankit._checks import check_int

# Cache files older or newer than this are rebuilt, never misread.
_CACHE_FORMAT_VERSION = 1


_CACHE_KEYS = ("format_version", "extractor_name", "source", "max_images", "num_images", "mean", "covariance")


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
