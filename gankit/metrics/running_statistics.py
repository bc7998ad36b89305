"""`RunningStatistics`: exact streaming mean and covariance of feature vectors."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from gankit._checks import check_int

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
