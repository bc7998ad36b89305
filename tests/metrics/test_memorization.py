"""Tests for gankit.metrics.memorization: hand cases and Kaggle's demo-kernel logic."""

import doctest
import math

import numpy as np
import pytest

from gankit.metrics import MetricResult
from gankit.metrics import memorization
from gankit.metrics.frechet import fid_from_features
from gankit.metrics.memorization import MiFIDResult
from gankit.metrics.memorization import memorization_distance
from gankit.metrics.memorization import mifid


def kaggle_mifid(real, fake, cosine_distance_eps=0.1, fid_epsilon=10e-15):
    """Kaggle's demo kernel (cosine_distance, distance_thresholding), restated.

    features1 are the generated images, features2 the real ones; rows summing
    to 0 are dropped; the mean distance is thresholded, not each image's.
    """

    def normalize_rows(x):
        return np.nan_to_num(x / np.linalg.norm(x, ord=2, axis=1, keepdims=True))

    features1 = fake[np.sum(fake, axis=1) != 0]
    features2 = real[np.sum(real, axis=1) != 0]
    d = 1.0 - np.abs(normalize_rows(features1) @ normalize_rows(features2).T)
    distance = np.mean(np.min(d, axis=1))
    thresholded = distance if distance < cosine_distance_eps else 1
    fid = fid_from_features(real, fake)  # checked against sqrtm in test_frechet
    return fid, distance, fid / (thresholded + fid_epsilon)


def test_memorization_distance_hand_case():
    # Fake 0 is parallel to real 0 (distance 0); fake 1 is at 45 degrees to
    # both reals, |cos| = 1/sqrt(2). Mean: (0 + 1 - 1/sqrt(2)) / 2.
    real = np.array([[1.0, 0.0], [0.0, 1.0]])
    fake = np.array([[2.0, 0.0], [1.0, 1.0]])
    expected = (1.0 - 1.0 / math.sqrt(2.0)) / 2.0
    assert memorization_distance(real, fake) == pytest.approx(expected, rel=1e-12)


def test_memorization_distance_uses_the_absolute_cosine():
    # An image whose features point the opposite way counts as a copy.
    real = np.array([[1.0, 2.0], [0.0, 1.0]])
    assert memorization_distance(real, -3.0 * real[:1]) == pytest.approx(0.0, abs=1e-12)


def test_memorization_distance_is_not_symmetric():
    # The minimum is over real images for each generated one, not the reverse.
    real = np.array([[1.0, 0.0], [0.0, 1.0]])
    fake = np.array([[1.0, 0.0], [3.0, 0.0]])
    assert memorization_distance(real, fake) == pytest.approx(0.0, abs=1e-12)
    assert memorization_distance(fake, real) == pytest.approx(0.5, rel=1e-12)


def test_all_zero_rows_are_left_out():
    real = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    fake = np.array([[2.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    assert memorization_distance(real, fake) == pytest.approx(memorization_distance(real[:2], fake[:2]), rel=1e-12)


def test_memorization_distance_does_not_depend_on_order_or_blocks(rng, monkeypatch):
    real, fake = rng.normal(size=(30, 8)), rng.normal(size=(25, 8))
    expected = memorization_distance(real, fake)
    monkeypatch.setattr(memorization, "_BLOCK_ROWS", 3)
    assert memorization_distance(real[::-1], fake[rng.permutation(25)]) == pytest.approx(expected, rel=1e-12)


def test_distance_above_threshold_leaves_fid():
    # d = 0.146 >= 0.1: d_thr = 1 and MiFID = FID / (1 + 1e-14).
    real = np.array([[1.0, 0.0], [0.0, 1.0]])
    fake = np.array([[2.0, 0.0], [1.0, 1.0]])
    result = mifid(real, fake)
    assert result.thresholded_distance == 1.0
    assert result.fid == pytest.approx(fid_from_features(real, fake), rel=1e-12)
    assert result.mifid == result.fid / (1.0 + 1e-14)


def test_distance_below_threshold_divides_fid():
    # Same sets, threshold 0.2 > d: MiFID = FID / (d + 1e-14).
    real = np.array([[1.0, 0.0], [0.0, 1.0]])
    fake = np.array([[2.0, 0.0], [1.0, 1.0]])
    result = mifid(real, fake, distance_threshold=0.2)
    d = (1.0 - 1.0 / math.sqrt(2.0)) / 2.0
    assert result.memorization_distance == pytest.approx(d, rel=1e-12)
    assert result.thresholded_distance == result.memorization_distance
    assert result.mifid == pytest.approx(result.fid / (d + 1e-14), rel=1e-12)


def test_threshold_applies_to_the_mean_not_each_image():
    # Distances 0 (a copy) and 1 - cos(60 deg) = 0.5: the mean 0.25 is above
    # 0.1, so d_thr = 1 as in Kaggle. Per-image thresholding would give
    # mean(0, 1) = 0.5 instead.
    real = np.array([[1.0, 0.0], [1.0, 0.0]])
    fake = np.array([[1.0, 0.0], [0.5, math.sqrt(3.0) / 2.0]])
    result = mifid(real, fake)
    assert result.memorization_distance == pytest.approx(0.25, rel=1e-12)
    assert result.thresholded_distance == 1.0


def test_zero_threshold_turns_the_penalty_off(rng):
    real = rng.normal(size=(20, 4))
    result = mifid(real, real, distance_threshold=0.0)
    assert result.thresholded_distance == 1.0


@pytest.mark.parametrize("shift", [0.0, 2.0], ids=["memorized", "fresh"])
def test_matches_kaggle_demo_kernel(rng, shift):
    real = np.abs(rng.normal(size=(60, 16)))
    if shift:
        fake = np.abs(rng.normal(size=(50, 16))) + shift
        fake[:, :8] = 0.0  # far from every real direction
    else:
        fake = real[:50] * 1.5 + 1e-3 * rng.normal(size=(50, 16))  # near copies
    fid, distance, score = kaggle_mifid(real, fake)
    result = mifid(real, fake)
    assert result.memorization_distance == pytest.approx(distance, rel=1e-9, abs=1e-12)
    assert result.fid == pytest.approx(fid, rel=1e-12)
    assert result.mifid == pytest.approx(score, rel=1e-9)
    # The two regimes: copies are penalised, fresh images are not.
    assert (result.thresholded_distance < 0.1) == (shift == 0.0)


def test_result_is_an_immutable_metric_result_whose_value_is_the_mifid():
    real = np.array([[1.0, 0.0], [0.0, 1.0]])
    result = mifid(real, 2.0 * real + 1.0)
    assert isinstance(result, MiFIDResult) and isinstance(result, MetricResult)
    assert float(result) == result.mifid == result.fid / (result.thresholded_distance + 1e-14)
    assert set(result.as_dict()) == {
        "mifid",
        "num_real",
        "num_fake",
        "fid",
        "memorization_distance",
        "thresholded_distance",
    }
    with pytest.raises(AttributeError, match="immutable"):
        result.fid = 0.0


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        pytest.param({"distance_threshold": -0.1}, ValueError, "distance_threshold=-0.1", id="negative_threshold"),
        pytest.param({"epsilon": 0.0}, ValueError, "epsilon=0.0", id="zero_epsilon"),
        pytest.param({"epsilon": "1e-14"}, TypeError, "epsilon='1e-14'", id="string_epsilon"),
    ],
)
def test_bad_arguments_raise(rng, kwargs, error, match):
    with pytest.raises(error, match=match):
        mifid(rng.normal(size=(5, 3)), rng.normal(size=(5, 3)), **kwargs)


def test_all_zero_features_raise():
    with pytest.raises(ValueError, match="fake_features` has only all-zero rows"):
        memorization_distance(np.eye(3), np.zeros((4, 3)))


def test_feature_dimension_mismatch_raises(rng):
    with pytest.raises(ValueError, match="same feature dimension"):
        mifid(rng.normal(size=(5, 3)), rng.normal(size=(5, 2)))


def test_docstring_examples():
    result = doctest.testmod(
        memorization, globs={"np": np, **vars(memorization)}, optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted > 0
    assert result.failed == 0
