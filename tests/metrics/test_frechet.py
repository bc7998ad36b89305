"""Tests for gankit.metrics.frechet: FID against the scipy.linalg.sqrtm oracle."""

import doctest
import warnings

import numpy as np
import pytest
import scipy.linalg

from gankit.metrics import frechet
from gankit.metrics.frechet import feature_statistics
from gankit.metrics.frechet import fid_from_features
from gankit.metrics.frechet import frechet_distance


def sqrtm_frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
    """TTUR's `calculate_frechet_distance` (Heusel et al.), the classic oracle.

    Matrix square root of the non-symmetric product with scipy, an `eps`
    offset on the diagonals if it is not finite, and the real part.
    """
    difference = mu1 - mu2
    with warnings.catch_warnings():
        # sqrtm warns that a singular product "may not have a square root".
        warnings.simplefilter("ignore")
        covmean = scipy.linalg.sqrtm(sigma1 @ sigma2)
        if not np.isfinite(covmean).all():
            offset = np.eye(sigma1.shape[0]) * eps
            covmean = scipy.linalg.sqrtm((sigma1 + offset) @ (sigma2 + offset))
    covmean = np.real(covmean)
    return difference @ difference + np.trace(sigma1) + np.trace(sigma2) - 2.0 * np.trace(covmean)


def _feature_sets(rng, num_real, num_fake, dim):
    # Correlated, shifted features so that every FID term matters.
    real = rng.normal(size=(num_real, dim))
    mixing = rng.normal(size=(dim, dim)) / np.sqrt(dim)
    fake = rng.normal(size=(num_fake, dim)) @ mixing * 1.5 + 0.3
    return real, fake


@pytest.mark.parametrize(
    "num_real, num_fake, dim",
    [
        pytest.param(500, 400, 16, id="full_rank"),
        pytest.param(300, 300, 64, id="full_rank_64d"),
        pytest.param(40, 30, 64, id="fewer_samples_than_dims"),
        pytest.param(10, 200, 32, id="one_set_rank_deficient"),
    ],
)
def test_fid_agrees_with_sqrtm_oracle(rng, num_real, num_fake, dim):
    real, fake = _feature_sets(rng, num_real, num_fake, dim)
    expected = sqrtm_frechet_distance(*feature_statistics(real), *feature_statistics(fake))
    assert fid_from_features(real, fake) == pytest.approx(expected, rel=1e-6)


@pytest.mark.slow
def test_fid_agrees_with_sqrtm_oracle_at_inception_size(rng):
    # InceptionV3 pool features are 2048-d; 3000 samples per set. sqrtm takes
    # about 10 s here, the reason for gankit's eigh-based trace.
    real, fake = _feature_sets(rng, 3000, 3000, 2048)
    real = np.abs(real)  # pool features are non-negative averages of ReLUs
    fake = np.abs(fake)
    mu1, sigma1 = feature_statistics(real)
    mu2, sigma2 = feature_statistics(fake)
    expected = sqrtm_frechet_distance(mu1, sigma1, mu2, sigma2)
    assert frechet_distance(mu1, sigma1, mu2, sigma2) == pytest.approx(expected, rel=1e-6)


def test_fid_hand_case():
    # real: column 0 is 2 for 50 rows and 1 for 50, column 1 is 1;
    # fake: column 0 is 9 for 50 rows and 2 for 50, column 1 is 9.
    # mu_r = (1.5, 1), mu_g = (5.5, 9): ||mu_r - mu_g||^2 = 16 + 64 = 80.
    # Column 0 deviates by +-0.5 (real) and +-3.5 (fake) from its mean,
    # column 1 is constant, so with ddof=1: sigma_r = diag(25/99, 0),
    # sigma_g = diag(1225/99, 0) and tr(sqrt(sigma_r sigma_g)) = 175/99.
    # Trace term: (25 + 1225 - 2 * 175) / 99 = 900/99. FID = 80 + 900/99.
    real = np.ones((100, 2))
    real[:50, 0] = 2.0
    fake = 9.0 * np.ones((100, 2))
    fake[50:, 0] = 2.0
    assert fid_from_features(real, fake) == pytest.approx(80.0 + 900.0 / 99.0, rel=1e-12)
    assert fid_from_features(real, fake) == pytest.approx(89.091, abs=1e-3)


@pytest.mark.parametrize(
    "num_samples, dim",
    [pytest.param(200, 16, id="full_rank"), pytest.param(20, 64, id="rank_deficient")],
)
def test_fid_of_a_set_with_itself_is_zero(rng, num_samples, dim):
    features = rng.normal(size=(num_samples, dim))
    assert fid_from_features(features, features) == pytest.approx(0.0, abs=1e-9)


def test_fid_is_symmetric(rng):
    real, fake = _feature_sets(rng, 120, 80, 12)
    assert fid_from_features(real, fake) == pytest.approx(fid_from_features(fake, real), rel=1e-10)


def test_fid_does_not_depend_on_sample_order(rng):
    real, fake = _feature_sets(rng, 120, 80, 12)
    shuffled = fake[rng.permutation(len(fake))]
    assert fid_from_features(real, shuffled) == pytest.approx(fid_from_features(real, fake), rel=1e-10)


def test_feature_statistics_matches_numpy(rng):
    features = rng.normal(size=(50, 6)).astype("float32")
    mu, sigma = feature_statistics(features)
    assert mu.dtype == sigma.dtype == np.float64
    np.testing.assert_allclose(mu, features.astype("float64").mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(sigma, np.cov(features.astype("float64"), rowvar=False, ddof=1), rtol=1e-12)


def test_feature_statistics_of_one_feature_is_a_matrix():
    mu, sigma = feature_statistics([[1.0], [3.0]])
    assert mu.shape == (1,)
    assert sigma.shape == (1, 1)
    assert sigma[0, 0] == pytest.approx(2.0)


def test_frechet_distance_of_diagonal_gaussians():
    # ||(3, 4)||^2 + tr(I) + tr(4 I) - 2 tr(2 I) = 25 + 2 + 8 - 8.
    assert frechet_distance([0.0, 0.0], np.eye(2), [3.0, 4.0], 4.0 * np.eye(2)) == pytest.approx(27.0)


def test_frechet_distance_accepts_float32_statistics(rng):
    real, fake = _feature_sets(rng, 100, 100, 8)
    mu1, sigma1 = feature_statistics(real)
    mu2, sigma2 = feature_statistics(fake)
    expected = frechet_distance(mu1, sigma1, mu2, sigma2)
    as32 = [np.float32(a) for a in (mu1, sigma1, mu2, sigma2)]
    assert frechet_distance(*as32) == pytest.approx(expected, rel=1e-5)


# -- errors ---------------------------------------------------------------------


def test_feature_dimension_mismatch_raises(rng):
    with pytest.raises(ValueError, match=r"same feature dimension.*real_features.shape=\(10, 3\)"):
        fid_from_features(rng.normal(size=(10, 3)), rng.normal(size=(10, 4)))


@pytest.mark.parametrize(
    "mu2, sigma2, match",
    [
        pytest.param(np.zeros(3), np.eye(2), r"mu1.shape=\(2,\), mu2.shape=\(3,\)", id="mean"),
        pytest.param(np.zeros(2), np.eye(3), r"sigma2.shape=\(3, 3\)", id="covariance"),
        pytest.param(np.zeros(2), np.ones(2), r"sigma2.shape=\(2,\)", id="covariance_ndim"),
    ],
)
def test_frechet_distance_shape_mismatch_raises(mu2, sigma2, match):
    with pytest.raises(ValueError, match=match):
        frechet_distance(np.zeros(2), np.eye(2), mu2, sigma2)


def test_non_symmetric_covariance_raises():
    with pytest.raises(ValueError, match="symmetric covariance"):
        frechet_distance(np.zeros(2), [[1.0, 0.5], [0.0, 1.0]], np.zeros(2), np.eye(2))


@pytest.mark.parametrize("which", ["sigma1", "sigma2"])
def test_indefinite_covariance_raises(which):
    indefinite = np.diag([1.0, -0.5])
    sigmas = {"sigma1": np.eye(2), "sigma2": np.eye(2), which: indefinite}
    with pytest.raises(ValueError, match="positive semi-definite"):
        frechet_distance(np.zeros(2), sigmas["sigma1"], np.zeros(2), sigmas["sigma2"])


@pytest.mark.parametrize(
    "features, error, match",
    [
        pytest.param(np.ones((1, 3)), ValueError, r"at least 2 samples.*\(1, 3\)", id="one_sample"),
        pytest.param(np.ones(3), ValueError, r"features.shape=\(3,\)", id="1d"),
        pytest.param(np.full((4, 2), np.nan), ValueError, "must be finite", id="nan"),
        pytest.param(np.ones((4, 2), bool), TypeError, "features.dtype=bool", id="bool"),
        pytest.param(np.ones((4, 2), complex), TypeError, "complex", id="complex"),
    ],
)
def test_bad_features_raise(features, error, match):
    with pytest.raises(error, match=match):
        feature_statistics(features)


def test_docstring_examples():
    result = doctest.testmod(frechet, globs={"np": np, **vars(frechet)}, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
