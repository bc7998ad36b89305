"""Tests for gankit.metrics.inception_score against a NumPy oracle and hand cases."""

import doctest

import numpy as np
import pytest
import scipy.special

from gankit.metrics import inception_score
from gankit.metrics.inception_score import inception_score_from_logits


def numpy_inception_score(logits, splits):
    """The original improved-GAN / TTUR loop, written plainly with SciPy."""
    probabilities = scipy.special.softmax(np.asarray(logits, np.float64), axis=1)
    n = len(probabilities)
    scores = []
    for k in range(splits):
        part = probabilities[k * n // splits : (k + 1) * n // splits]
        marginal = np.mean(part, axis=0)
        kl = [scipy.special.rel_entr(row, marginal).sum() for row in part]
        scores.append(np.exp(np.mean(kl)))
    return np.mean(scores), np.std(scores)


@pytest.mark.parametrize(
    "num_samples, num_classes, splits",
    [(100, 10, 10), (103, 7, 4), (50, 3, 1), (20, 5, 20)],
)
def test_matches_numpy_oracle(rng, num_samples, num_classes, splits):
    logits = 3.0 * rng.normal(size=(num_samples, num_classes))
    # The reference loop splits in the order given: shuffle=False.
    mean, std = inception_score_from_logits(logits, splits=splits, shuffle=False).as_tuple()
    expected_mean, expected_std = numpy_inception_score(logits, splits)
    assert mean == pytest.approx(expected_mean, rel=1e-10)
    assert std == pytest.approx(expected_std, rel=1e-8, abs=1e-12)


def test_identical_predictions_score_one(rng):
    # p(y|x) = p(y) for every x: every KL term is 0, exp(0) = 1.
    logits = np.tile(rng.normal(size=(1, 10)), (60, 1))
    mean, std = inception_score_from_logits(logits, splits=3).as_tuple()
    assert mean == pytest.approx(1.0, abs=1e-12)
    assert std == pytest.approx(0.0, abs=1e-12)


def test_confident_even_predictions_score_the_number_of_classes():
    # One-hot-like predictions, class i % 10 for sample i: every split of 100
    # holds each class 10 times, p(y) is uniform and each KL is log(10).
    logits = 100.0 * np.eye(10)[np.arange(1000) % 10]
    mean, std = inception_score_from_logits(logits, splits=10, shuffle=False).as_tuple()
    assert mean == pytest.approx(10.0, abs=1e-6)
    assert std == pytest.approx(0.0, abs=1e-6)


def test_one_split_has_zero_std(rng):
    _, std = inception_score_from_logits(rng.normal(size=(30, 4)), splits=1).as_tuple()
    assert std == 0.0


def test_huge_logits_stay_finite():
    # exp(1e4) overflows float64; log-softmax does not.
    logits = 1e4 * np.eye(5)[np.arange(50) % 5]
    mean, _ = inception_score_from_logits(logits, splits=5, shuffle=False).as_tuple()
    assert mean == pytest.approx(5.0, rel=1e-12)


def test_a_class_missing_from_a_split_is_finite():
    # Class 2 never wins and its probability underflows to 0 in every row.
    logits = np.full((4, 3), -1e4)
    logits[[0, 2], 0] = 0.0
    logits[[1, 3], 1] = 0.0
    mean, _ = inception_score_from_logits(logits, splits=2).as_tuple()
    assert mean == pytest.approx(2.0, rel=1e-12)


def test_float32_and_float64_logits_agree(rng):
    logits = rng.normal(size=(40, 6))
    a = inception_score_from_logits(logits.astype("float32"), splits=4).as_tuple()
    b = inception_score_from_logits(logits.astype("float32").astype("float64"), splits=4).as_tuple()
    assert a == b


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        pytest.param({"splits": 11}, ValueError, r"splits=11 with logits.shape=\(10, 3\)", id="too_many"),
        pytest.param({"splits": 0}, ValueError, "splits=0", id="zero"),
        pytest.param({"splits": 2.0}, TypeError, "splits=2.0", id="float"),
        pytest.param({"splits": True}, TypeError, "splits=True", id="bool"),
    ],
)
def test_bad_splits_raise(kwargs, error, match):
    with pytest.raises(error, match=match):
        inception_score_from_logits(np.zeros((10, 3)), **kwargs)


@pytest.mark.parametrize(
    "logits, error, match",
    [
        pytest.param(np.zeros(10), ValueError, r"logits.shape=\(10,\)", id="1d"),
        pytest.param(np.array([[0.0, np.inf]]), ValueError, "finite", id="inf"),
        pytest.param(np.array([["a", "b"]]), TypeError, "logits.dtype", id="strings"),
    ],
)
def test_bad_logits_raise(logits, error, match):
    with pytest.raises(error, match=match):
        inception_score_from_logits(logits, splits=1)


def test_docstring_examples():
    result = doctest.testmod(
        inception_score,
        globs={"np": np, **vars(inception_score)},
        optionflags=doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted > 0
    assert result.failed == 0
