"""Memorization-informed FID (MiFID) of Kaggle's "Generative Dog Images".

Kaggle scored the Generative Dog Images competition (source 000) with FID
divided by a memorization term, so that submitting (near) copies of training
images does not pay. For every generated image it finds the most similar
real image by cosine similarity of their Inception features; the mean over
generated images of `1 - |cos|` is the memorization distance. A mean distance
below a threshold (0.1) marks the submission as memorizing and inflates the
score by dividing by that small distance; otherwise the term is 1 and
MiFID equals FID:

    d = mean_g min_r (1 - |cos(f_g, f_r)|)
    d_thr = d if d < 0.1 else 1
    MiFID = FID / (d_thr + 1e-14)

Lower is better. This module reproduces the competition's published demo
kernel ("Demo MiFID metric for Dog image generation comp", Kaggle, 2019) and
its constants.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from gankit._checks import check_number
from gankit.metrics._inputs import as_float64_array
from gankit.metrics._inputs import check_same_feature_dim
from gankit.metrics.frechet import fid_from_features
from gankit.metrics.result import MetricResult

# Kaggle demo kernel: model_params['Inception']['cosine_distance_eps'].
KAGGLE_DISTANCE_THRESHOLD = 0.1
# Kaggle demo kernel: fid_epsilon = 10e-15 (that is, 1e-14).
KAGGLE_EPSILON = 1e-14
# Generated rows per block of the cosine-similarity matrix: bounds memory to
# `block * num_real` float64 values whatever the number of generated images.
_BLOCK_ROWS = 1024


class MiFIDResult(MetricResult):
    """MiFID (the headline value) and its parts, as Kaggle's evaluator reports them.

    A `gankit.metrics.MetricResult` named `"mifid"`: `float(result)` is the
    MiFID; the parts are attributes (and entries of `as_dict()`).

    Attributes:
        fid: FID between the real and generated features.
        memorization_distance: Mean over generated images of
            `1 - |cos|` to the nearest real image, before thresholding.
        thresholded_distance: `memorization_distance` if it is below the
            threshold, else `1.0`.
        mifid: `fid / (thresholded_distance + epsilon)`, the value itself.
    """

    @property
    def mifid(self) -> float:
        """The MiFID, `float(self)`."""
        return float(self)


def _unit_rows(features, name):
    # Kaggle drops all-zero rows (it tests `sum(row) == 0`, the same for the
    # non-negative pool features of Inception) before normalising: a zero
    # vector has no direction. gankit tests the norm, which is what that
    # check means for features of any sign.
    norms = np.linalg.norm(features, axis=1)
    keep = norms > 0.0
    if not np.any(keep):
        raise ValueError(
            f"`{name}` has only all-zero rows, which have no cosine similarity. Received: {name}.shape={features.shape}"
        )
    return features[keep] / norms[keep, None]


def memorization_distance(real_features: ArrayLike, fake_features: ArrayLike) -> MetricResult:
    """Kaggle's memorization distance: mean cosine distance to the nearest real.

    `d = mean_g min_r (1 - |cos(f_g, f_r)|)`: for every generated feature
    vector the cosine distance (with the absolute cosine, as Kaggle) to the
    most similar real one, averaged over generated vectors. 0 when every
    generated image has a real image with parallel features (a copy), up to
    1. All-zero rows of either set are left out, as in Kaggle's code. No
    thresholding; see `mifid`. The result does not depend on
    the order of either set or on how they were batched.

    Reference: Kaggle, [Generative Dog Images: evaluation](
    https://www.kaggle.com/competitions/generative-dog-images/overview/evaluation)
    and its demo kernel `cosine_distance`.

    Args:
        real_features: Features of real (training) images, shape
            `(num_real, feature_dim)`.
        fake_features: Features of generated images, shape
            `(num_fake, feature_dim)`.

    Returns:
        A `gankit.metrics.MetricResult` named `"memorization_distance"`:
        the distance (a float in `[0, 1]`) with `num_real` and `num_fake`.

    Raises:
        TypeError: If an input is not real-valued.
        ValueError: If an input is not 2-D, holds NaN or infinite values or
            only all-zero rows, or the feature dimensions differ.

    Example:

        >>> real = np.array([[1.0, 0.0], [0.0, 1.0]])
        >>> fake = np.array([[2.0, 0.0], [1.0, 1.0]])  # a copy and a diagonal
        >>> round(memorization_distance(real, fake), 6)  # (0 + (1 - 0.707107)) / 2
        0.146447
    """
    real = as_float64_array(real_features, "real_features", 2, "(num_real, feature_dim)")
    fake = as_float64_array(fake_features, "fake_features", 2, "(num_fake, feature_dim)")
    check_same_feature_dim(real, fake, "real_features", "fake_features")
    return MetricResult(
        _memorization_distance(real, fake), name="memorization_distance", num_real=real.shape[0], num_fake=fake.shape[0]
    )


def _memorization_distance(real, fake):
    real = _unit_rows(real, "real_features")
    fake = _unit_rows(fake, "fake_features")
    nearest = np.empty(fake.shape[0])
    for start in range(0, fake.shape[0], _BLOCK_ROWS):
        block = fake[start : start + _BLOCK_ROWS]
        # min_r (1 - |cos|) = 1 - max_r |cos|.
        nearest[start : start + _BLOCK_ROWS] = 1.0 - np.max(np.abs(block @ real.T), axis=1)
    # |cos| of unit vectors can exceed 1 by rounding (1 + 2e-16); distances
    # stay in [0, 1], so an exact copy has distance exactly 0.
    return float(np.mean(np.clip(nearest, 0.0, 1.0)))


def mifid(
    real_features: ArrayLike,
    fake_features: ArrayLike,
    *,
    distance_threshold: float = KAGGLE_DISTANCE_THRESHOLD,
    epsilon: float = KAGGLE_EPSILON,
) -> MiFIDResult:
    """MiFID of Kaggle's Generative Dog Images competition, with its parts.

    `MiFID = FID / (d_thr + epsilon)`, where `FID = fid_from_features(real,
    fake)` and `d_thr` is the `memorization_distance` `d` thresholded as in
    Kaggle's demo kernel: `d_thr = d if d < distance_threshold else 1`.
    The threshold applies to the *mean* distance over all generated images,
    not per image: a submission whose images are on average close copies of
    training images (`d < 0.1`) gets its FID divided by `d`, at least
    multiplied by 10; any other gets `d_thr = 1`, so MiFID equals FID up to
    the `1 / (1 + 1e-14)` factor.

    In the competition the real features were those of the (private)
    training dogs and the generated set was 10,000 images, with Inception
    pool features of 64×64 images; the numbers are comparable only under
    the same protocol.

    Reference: Kaggle, [Generative Dog Images: evaluation](
    https://www.kaggle.com/competitions/generative-dog-images/overview/evaluation);
    [Heusel et al., 2017](https://arxiv.org/abs/1706.08500) for FID.

    Args:
        real_features: Features of real (training) images, shape
            `(num_real, feature_dim)`, at least 2 rows.
        fake_features: Features of generated images, shape
            `(num_fake, feature_dim)`, at least 2 rows.
        distance_threshold: Mean memorization distances below this value
            count as memorization (Kaggle's `cosine_distance_eps`); at least
            0 (0 turns the penalty off). Defaults to `0.1`.
        epsilon: Added to the thresholded distance before dividing, so that
            exact copies (`d = 0`) give a huge but finite score (Kaggle's
            `fid_epsilon`). Defaults to `1e-14`.

    Returns:
        A `MiFIDResult`, a `gankit.metrics.MetricResult` whose value is the
        MiFID, with `fid`, `memorization_distance`, `thresholded_distance`
        and `mifid` (all Python floats), `num_real` and `num_fake`.

    Raises:
        TypeError: If an input is not real-valued or a number argument is
            not a number.
        ValueError: If the feature arrays are not 2-D, have fewer than 2
            rows, hold NaN or infinite values or only all-zero rows, or
            differ in feature dimension; or `distance_threshold` is negative
            or `epsilon` is not positive.

    Example:

        >>> rng = np.random.default_rng(0)
        >>> real = rng.normal(size=(100, 16))
        >>> copied = mifid(real, real[:50])  # memorized images
        >>> round(copied.memorization_distance, 12)  # 0 up to rounding
        0.0
        >>> copied.mifid > 1e6 * copied.fid  # FID divided by a distance near 0
        True
        >>> fresh = mifid(real, rng.normal(size=(100, 16)) + 1.0)
        >>> fresh.thresholded_distance, fresh.mifid == fresh.fid / (1 + 1e-14)
        (1.0, True)
    """
    real = as_float64_array(real_features, "real_features", 2, "(num_real, feature_dim)")
    fake = as_float64_array(fake_features, "fake_features", 2, "(num_fake, feature_dim)")
    check_same_feature_dim(real, fake, "real_features", "fake_features")
    distance_threshold = check_number(distance_threshold, name="distance_threshold", minimum=0.0)
    epsilon = check_number(epsilon, name="epsilon", minimum=0.0, min_inclusive=False)
    fid = fid_from_features(real, fake)
    distance = _memorization_distance(real, fake)
    thresholded = distance if distance < distance_threshold else 1.0
    return MiFIDResult(
        fid / (thresholded + epsilon),
        name="mifid",
        num_real=real.shape[0],
        num_fake=fake.shape[0],
        fid=float(fid),
        memorization_distance=distance,
        thresholded_distance=thresholded,
    )
