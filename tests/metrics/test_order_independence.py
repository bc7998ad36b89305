"""The metrics do not depend on the order of their samples (issue 17), with one documented exception.

IS cuts contiguous splits and KID draws random subsets by index: each
reorders its input by `canonical_order` first, so a permutation of the same
samples gives the same float (the same operations on the same values). FID,
the memorization distance and MiFID reduce over all samples; a permutation
changes only the summation order, so they agree to float64 rounding (rtol
1e-9 covers sums of 10^2-10^3 terms). SWD samples the same patch positions
for image i of both sets, by design (identical or slightly perturbed sets
compare the same places); shuffling one set moves its estimate within its
sampling noise (tests/metrics/test_sliced_wasserstein.py).
"""

import numpy as np
import pytest

from gankit.metrics import fid_from_features
from gankit.metrics import inception_score_from_logits
from gankit.metrics import kid_from_features
from gankit.metrics import memorization_distance
from gankit.metrics import mifid
from gankit.metrics._inputs import canonical_order


@pytest.fixture
def permutation():
    return np.random.default_rng(7).permutation


def test_canonical_order_depends_only_on_the_values(rng, permutation):
    rows = rng.normal(size=(50, 3, 2))
    shuffled = rows[permutation(50)]
    np.testing.assert_array_equal(rows[canonical_order(rows)], shuffled[canonical_order(shuffled)])


def test_inception_score_is_the_same_for_any_order(rng, permutation):
    logits = 3.0 * rng.normal(size=(120, 6))
    first = inception_score_from_logits(logits, splits=4)
    second = inception_score_from_logits(logits[permutation(120)], splits=4)
    assert (first.value, first.std) == (second.value, second.std)


def test_class_sorted_samples_no_longer_score_one_per_split():
    # 1,000 confident predictions, sorted by class: 10 contiguous splits of 100
    # would each hold one class, p(y) = p(y|x), score exactly 1 (the CGAN
    # benchmark's artefact). Shuffled, each split holds ~10 of each class and
    # the score is exp(H(p_split(y))), just under 10.
    logits = 100.0 * np.eye(10)[np.repeat(np.arange(10), 100)]
    contiguous = inception_score_from_logits(logits, splits=10, shuffle=False)
    assert contiguous.value == pytest.approx(1.0, abs=1e-9)
    shuffled = inception_score_from_logits(logits, splits=10)
    assert 9.0 < shuffled.value < 10.0
    # Another seed permutes differently: a different, equally valid value.
    other = inception_score_from_logits(logits, splits=10, seed=1)
    assert other.value != shuffled.value and 9.0 < other.value < 10.0


def test_inception_score_shuffle_arguments_are_checked():
    logits = np.eye(3)
    with pytest.raises(TypeError, match="`shuffle` must be True or False. Received: shuffle=1"):
        inception_score_from_logits(logits, splits=1, shuffle=1)
    with pytest.raises(ValueError, match="seed"):
        inception_score_from_logits(logits, splits=1, seed=-1)


def test_kid_is_the_same_for_any_order(rng, permutation):
    real, fake = rng.normal(size=(80, 5)), rng.normal(0.3, 1.0, size=(60, 5))
    first = kid_from_features(real, fake, subsets=20, subset_size=30)
    second = kid_from_features(real[permutation(80)], fake[permutation(60)], subsets=20, subset_size=30)
    assert (first.value, first.std) == (second.value, second.std)


def test_full_reductions_agree_to_rounding(rng, permutation):
    real, fake = rng.normal(size=(200, 4)), rng.normal(0.5, 1.2, size=(150, 4))
    shuffled_real, shuffled_fake = real[permutation(200)], fake[permutation(150)]
    assert fid_from_features(real, fake).value == pytest.approx(
        fid_from_features(shuffled_real, shuffled_fake).value, rel=1e-9
    )
    assert memorization_distance(real, fake).value == pytest.approx(
        memorization_distance(shuffled_real, shuffled_fake).value, rel=1e-9
    )
    assert mifid(real, fake).mifid == pytest.approx(mifid(shuffled_real, shuffled_fake).mifid, rel=1e-9)
