"""gankit.metrics.MetricResult: the one return convention of the metric functions."""

import json
import pickle

import numpy as np
import pytest

from gankit.metrics import MetricResult
from gankit.metrics import classifier_accuracy
from gankit.metrics import fid_from_features
from gankit.metrics import inception_score_from_logits
from gankit.metrics import kid_from_features
from gankit.metrics import memorization_distance
from gankit.metrics import mifid
from gankit.metrics import sliced_wasserstein_distance


def test_a_result_is_its_value_with_spread_and_sizes():
    result = MetricResult(2.5, name="kid", std=0.25, num_real=10, num_fake=12, subset_size=10)
    assert float(result) == 2.5 and result + 1 == 3.5 and result == pytest.approx(2.5) and f"{result:.1f}" == "2.5"
    assert (result.std, result.num_real, result.num_fake, result.subset_size) == (0.25, 10, 12, 10)
    assert result.as_tuple() == (2.5, 0.25)
    assert result.as_dict() == {"kid": 2.5, "kid_std": 0.25, "num_real": 10, "num_fake": 12, "subset_size": 10}
    assert json.loads(json.dumps({"kid": result})) == {"kid": 2.5}
    again = pickle.loads(pickle.dumps(result))
    assert type(again) is MetricResult and again.as_dict() == result.as_dict()
    with pytest.raises(AttributeError, match="immutable"):
        result.std = 1.0
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        result.nope  # noqa: B018
    assert MetricResult(1.0, name="is", std=float("nan")).as_dict() == {"is": 1.0, "is_std": None}


def test_unpacking_as_in_gankit_0_1_still_works_and_warns():
    with pytest.warns(DeprecationWarning, match="as_tuple"):
        mean, std = MetricResult(3.0, name="is", std=0.5)
    assert (mean, std) == (3.0, 0.5)


def test_every_metric_function_returns_a_named_metric_result(rng):
    real, fake = rng.normal(size=(30, 4)), rng.normal(size=(40, 4)) + 1.0
    images = rng.uniform(size=(4, 16, 16, 1))
    import keras

    classifier = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    results = {
        "fid": fid_from_features(real, fake),
        "kid": kid_from_features(real, fake, subsets=3, subset_size=10),
        "is": inception_score_from_logits(fake, splits=2),
        "memorization_distance": memorization_distance(real, fake),
        "mifid": mifid(real, fake),
        "swd": sliced_wasserstein_distance(images, images[::-1], min_resolution=8, descriptors_per_image=8),
        "accuracy": classifier_accuracy(classifier, real, np.arange(30) % 3),
    }
    for name, result in results.items():
        assert isinstance(result, MetricResult) and result.name == name, name
        assert next(iter(result.as_dict())) == name
    assert results["fid"].num_real == 30 and results["fid"].num_fake == 40
    assert results["is"].std is not None and results["kid"].std is not None and results["fid"].std is None
    assert float(results["swd"]) == pytest.approx(np.mean(results["swd"].distances))
