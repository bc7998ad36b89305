"""Kernel Inception Distance: unbiased MMD² with a cubic polynomial kernel.

KID (Bińkowski et al., 2018) is the squared maximum mean discrepancy between
the feature distributions of real and generated images under the kernel
`k(x, y) = (x · y / d + 1)^3`, `d` the feature dimension. Unlike FID it
assumes no Gaussian shape and its estimator is unbiased, so values from
small sample sets are comparable with values from large ones (its variance
grows as the sets shrink, which the reported standard deviation shows).
Lower is better; the expected value is 0 for identical distributions, and an
estimate can be slightly negative.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from gankit._checks import check_int
from gankit._checks import check_seed
from gankit.metrics._inputs import as_float64_array
from gankit.metrics._inputs import canonical_order
from gankit.metrics._inputs import check_same_feature_dim
from gankit.metrics.result import MetricResult

# Subset size of the reference implementations (Bińkowski et al.'s code,
# torch-fidelity), used when the sets are at least this large.
DEFAULT_SUBSET_SIZE = 1000


def _polynomial_kernel(x, y):
    # k(x, y) = (x . y / d + 1)^3: scikit-learn's `polynomial_kernel` with
    # degree=3, gamma=1/d, coef0=1.
    return (x @ y.T / x.shape[1] + 1.0) ** 3


def _unbiased_mmd2(x, y):
    # Within-set sums leave out the diagonal k(x_i, x_i), which has no
    # independent partner; the cross term keeps all m^2 pairs.
    m = x.shape[0]
    k_xx = _polynomial_kernel(x, x)
    k_yy = _polynomial_kernel(y, y)
    k_xy = _polynomial_kernel(x, y)
    within = (np.sum(k_xx) - np.trace(k_xx) + np.sum(k_yy) - np.trace(k_yy)) / (m * (m - 1))
    return within - 2.0 * np.mean(k_xy)


def kid_from_features(
    real_features: ArrayLike,
    fake_features: ArrayLike,
    *,
    subsets: int = 100,
    subset_size: int | None = None,
    seed: int | None = 0,
) -> MetricResult:
    """Kernel Inception Distance (mean and std over random subsets).

    For each of `subsets` rounds, draws `subset_size` real and
    `subset_size` generated feature vectors without replacement and computes
    the unbiased estimate of `MMD^2` with `k(x, y) = (x · y / d + 1)^3`:

        sum_{i != j} k(x_i, x_j) / (m (m - 1))
        + sum_{i != j} k(y_i, y_j) / (m (m - 1))
        - 2 sum_{i, j} k(x_i, y_j) / m^2.

    Returns the mean and the population standard deviation (`ddof=0`) of
    the per-subset values, as Bińkowski et al.'s code and torch-fidelity
    (100 subsets of 1000). Computed in float64, one vectorised kernel matrix
    per subset and set pair. The result depends only on the feature arrays,
    `subsets`, `subset_size` and `seed`, not on any batch size, and not on
    the order of the samples: both sets are put in an order that depends
    only on their values before the subsets are drawn.

    When the subsets hold every sample of both sets (`subset_size` equal to
    `num_real` and to `num_fake`), every round computes the same value and
    the spread says nothing: the std is then `nan` (undefined), not the
    rounding noise of the sum order. Use more samples than `subset_size`
    for a meaningful std.

    Subset size rule: `subset_size=None` uses
    `min(1000, num_real, num_fake)`, the reference size where the sets
    allow it and all samples otherwise; an explicit `subset_size` larger
    than either set is an error, never shrunk silently.

    Reference: [Bińkowski et al., 2018](https://arxiv.org/abs/1801.01401),
    section 3.

    Args:
        real_features: Features of real images, shape
            `(num_real, feature_dim)`, at least 2 rows.
        fake_features: Features of generated images, shape
            `(num_fake, feature_dim)`, at least 2 rows.
        subsets: Number of random subsets to average over. Defaults to
            `100`.
        subset_size: Number of samples per set in each subset, at least 2
            and at most `min(num_real, num_fake)`; `None` for
            `min(1000, num_real, num_fake)`. Defaults to `None`.
        seed: Seed of the subset sampling (`numpy.random.default_rng`), or
            `None` for fresh entropy (results then vary between calls).
            Defaults to `0`.

    Returns:
        A `gankit.metrics.MetricResult` named `"kid"`: the mean over the
        subsets (a float), with `std` (`nan` when every subset is the whole
        of both sets), `num_real`, `num_fake` and the `subset_size` used.
        `mean, std = result.as_tuple()` gives gankit 0.1's tuple.

    Raises:
        TypeError: If an input is not real-valued or an integer argument is
            not an integer.
        ValueError: If the feature arrays are not 2-D, hold NaN or infinite
            values or differ in feature dimension, or `subset_size` is
            smaller than 2 or larger than a set.

    Example:

        >>> rng = np.random.default_rng(0)
        >>> real = rng.normal(size=(200, 8))
        >>> mean, std = kid_from_features(real, real + 3.0, subsets=10, subset_size=50).as_tuple()
        >>> mean > 0.1
        True
    """
    real = as_float64_array(real_features, "real_features", 2, "(num_real, feature_dim)")
    fake = as_float64_array(fake_features, "fake_features", 2, "(num_fake, feature_dim)")
    check_same_feature_dim(real, fake, "real_features", "fake_features")
    subsets = check_int(subsets, name="subsets", minimum=1)
    seed = check_seed(seed)
    num_real, num_fake = real.shape[0], fake.shape[0]
    if subset_size is None:
        subset_size = min(DEFAULT_SUBSET_SIZE, num_real, num_fake)
        if subset_size < 2:
            raise ValueError(
                "KID needs at least 2 real and 2 generated samples. Received: "
                f"real_features.shape={real.shape}, "
                f"fake_features.shape={fake.shape}"
            )
    else:
        subset_size = check_int(subset_size, name="subset_size", minimum=2)
        if subset_size > min(num_real, num_fake):
            raise ValueError(
                "`subset_size` must not exceed the number of real or "
                f"generated samples. Received: subset_size={subset_size} with "
                f"{num_real} real and {num_fake} generated samples. Pass "
                f"subset_size={min(num_real, num_fake)} or less, or "
                "subset_size=None."
            )
    # Subsets are drawn by position: put both sets in an order that depends
    # only on their values first, so any permutation of them gives this KID.
    real, fake = real[canonical_order(real)], fake[canonical_order(fake)]
    rng = np.random.default_rng(seed)
    values = np.empty(subsets)
    for index in range(subsets):
        x = real[rng.choice(num_real, subset_size, replace=False)]
        y = fake[rng.choice(num_fake, subset_size, replace=False)]
        values[index] = _unbiased_mmd2(x, y)
    std = float("nan") if subset_size == num_real == num_fake else float(np.std(values))
    return MetricResult(
        float(np.mean(values)), name="kid", std=std, num_real=num_real, num_fake=num_fake, subset_size=subset_size
    )
