"""Tests for gankit.metrics.kid against plain-loop and scikit-learn oracles."""

import doctest

import numpy as np
import pytest

from gankit.metrics import kid
from gankit.metrics._inputs import canonical_order
from gankit.metrics.kid import kid_from_features


def loop_mmd2(x, y):
    """Unbiased MMD^2 of Bińkowski et al., one kernel evaluation at a time."""
    d = len(x[0])

    def k(a, b):
        return (sum(ai * bi for ai, bi in zip(a, b)) / d + 1.0) ** 3

    m = len(x)
    xx = sum(k(x[i], x[j]) for i in range(m) for j in range(m) if i != j)
    yy = sum(k(y[i], y[j]) for i in range(m) for j in range(m) if i != j)
    xy = sum(k(x[i], y[j]) for i in range(m) for j in range(m))
    return xx / (m * (m - 1)) + yy / (m * (m - 1)) - 2.0 * xy / (m * m)


def sklearn_mmd2(x, y):
    """The same estimator on scikit-learn's polynomial kernel matrices."""
    pairwise = pytest.importorskip("sklearn.metrics.pairwise")

    def kernel(a, b):
        return pairwise.polynomial_kernel(a, b, degree=3, gamma=1.0 / a.shape[1], coef0=1)

    m = len(x)
    k_xx, k_yy, k_xy = kernel(x, x), kernel(y, y), kernel(x, y)
    np.fill_diagonal(k_xx, 0.0)
    np.fill_diagonal(k_yy, 0.0)
    return (k_xx.sum() + k_yy.sum()) / (m * (m - 1)) - 2.0 * k_xy.mean()


def test_full_subsets_match_the_loop_oracle(rng):
    # subset_size equal to both set sizes: every subset holds every sample,
    # so each subset value is the full-set estimate and the std is undefined
    # (reported as nan rather than the rounding noise of the sum order).
    real = rng.normal(size=(6, 3))
    fake = rng.normal(size=(6, 3)) + 0.5
    mean, std = kid_from_features(real, fake, subsets=3, subset_size=6).as_tuple()
    assert mean == pytest.approx(loop_mmd2(real.tolist(), fake.tolist()), rel=1e-12)
    assert np.isnan(std)


def test_std_is_defined_when_one_set_is_larger(rng):
    # 7 generated samples for subsets of 6: the rounds differ, the std is finite and positive.
    real = rng.normal(size=(6, 3))
    fake = rng.normal(size=(7, 3)) + 0.5
    _, std = kid_from_features(real, fake, subsets=5, subset_size=6).as_tuple()
    assert np.isfinite(std) and std > 0


def test_subsets_match_the_sklearn_oracle(rng):
    # Same sampling as the implementation (torch-fidelity's order: real then
    # fake indices per subset, without replacement).
    real = rng.normal(size=(40, 16))
    fake = 1.2 * rng.normal(size=(30, 16)) + 0.2
    mean, std = kid_from_features(real, fake, subsets=7, subset_size=10, seed=5).as_tuple()
    # Subsets are drawn from both sets in their value order (`canonical_order`,
    # tests/metrics/test_order_independence.py), by the seeded generator.
    real, fake = real[canonical_order(real)], fake[canonical_order(fake)]
    sampler = np.random.default_rng(5)
    values = []
    for _ in range(7):
        x = real[sampler.choice(40, 10, replace=False)]
        y = fake[sampler.choice(30, 10, replace=False)]
        values.append(sklearn_mmd2(x, y))
    assert mean == pytest.approx(np.mean(values), rel=1e-10)
    assert std == pytest.approx(np.std(values), rel=1e-8)


def test_same_distribution_is_near_zero_and_shift_is_positive(rng):
    real = rng.normal(size=(200, 8))
    same = rng.normal(size=(200, 8))
    shifted = rng.normal(size=(200, 8)) + 1.0
    kid_same, std_same = kid_from_features(real, same, subsets=20, subset_size=100).as_tuple()
    kid_shifted, _ = kid_from_features(real, shifted, subsets=20, subset_size=100).as_tuple()
    assert abs(kid_same) < 3 * std_same + 1e-3
    assert kid_shifted > 10 * abs(kid_same)


def test_seed_reproduces_and_changes_the_result(rng):
    real, fake = rng.normal(size=(50, 4)), rng.normal(size=(60, 4)) + 0.3
    first = kid_from_features(real, fake, subsets=5, subset_size=20, seed=1).as_tuple()
    assert kid_from_features(real, fake, subsets=5, subset_size=20, seed=1).as_tuple() == first
    assert kid_from_features(real, fake, subsets=5, subset_size=20, seed=2).as_tuple() != first


def test_default_subset_size_uses_all_samples_of_small_sets(rng):
    # min(1000, 12, 15) = 12.
    real, fake = rng.normal(size=(12, 4)), rng.normal(size=(15, 4))
    default = kid_from_features(real, fake, subsets=4)
    assert default.as_tuple() == kid_from_features(real, fake, subsets=4, subset_size=12).as_tuple()
    assert default.subset_size == 12


def test_input_dtype_does_not_matter(rng):
    real, fake = rng.normal(size=(20, 4)), rng.normal(size=(20, 4))
    real32, fake32 = real.astype("float32"), fake.astype("float32")
    a = kid_from_features(real32, fake32, subsets=3, subset_size=10).as_tuple()
    b = kid_from_features(real32.astype("float64"), fake32.astype("float64"), subsets=3, subset_size=10).as_tuple()
    assert a == b


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        pytest.param({"subset_size": 11}, ValueError, r"subset_size=11 with 10 real and 12 generated", id="too_large"),
        pytest.param({"subset_size": 1}, ValueError, "subset_size=1", id="too_small"),
        pytest.param({"subsets": 0}, ValueError, "subsets=0", id="no_subsets"),
        pytest.param({"subsets": 2.5}, TypeError, "subsets=2.5", id="float_subsets"),
        pytest.param({"seed": -1}, ValueError, "seed=-1", id="negative_seed"),
        pytest.param({"seed": "a"}, TypeError, "seed='a'", id="string_seed"),
    ],
)
def test_bad_arguments_raise(rng, kwargs, error, match):
    with pytest.raises(error, match=match):
        kid_from_features(rng.normal(size=(10, 3)), rng.normal(size=(12, 3)), **kwargs)


def test_feature_dimension_mismatch_raises(rng):
    with pytest.raises(ValueError, match="same feature dimension"):
        kid_from_features(rng.normal(size=(10, 3)), rng.normal(size=(10, 4)))


def test_one_sample_raises(rng):
    with pytest.raises(ValueError, match="at least 2 real and 2 generated"):
        kid_from_features(rng.normal(size=(1, 3)), rng.normal(size=(10, 3)))


def test_docstring_examples():
    result = doctest.testmod(kid, globs={"np": np, **vars(kid)}, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
