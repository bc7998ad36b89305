"""NaN and infinity are refused for every float argument of `gankit.metrics`, with the argument named.

The metric options (MiFID's threshold and epsilon) were refused before with
"must be finite."; they now share the package-wide message. A NaN
`DomainClassifier(test_accuracy=...)` used to be stored as it was. The other
metric options are integers (KID subsets, IS splits, SWD sizes) or choices.
"""

import numpy as np
import pytest

from gankit.metrics import DomainClassifier
from gankit.metrics import mifid
from gankit.metrics.domain_classifier import build_domain_classifier

NON_FINITE = [pytest.param(float("nan"), id="nan"), pytest.param(float("inf"), id="inf")]

FEATURES = np.random.default_rng(0).normal(size=(8, 3))

CASES = [
    pytest.param(
        "distance_threshold", lambda v: mifid(FEATURES, FEATURES + 1.0, distance_threshold=v), id="mifid-threshold"
    ),
    pytest.param("epsilon", lambda v: mifid(FEATURES, FEATURES + 1.0, epsilon=v), id="mifid-epsilon"),
    pytest.param(
        "test_accuracy",
        lambda v: DomainClassifier(build_domain_classifier(image_size=8), name="tiny", test_accuracy=v),
        id="DomainClassifier-test_accuracy",
    ),
]


@pytest.mark.parametrize("value", NON_FINITE)
@pytest.mark.parametrize("name, call", CASES)
def test_non_finite_float_arguments_are_refused_by_name(name, call, value, assert_refused_by_name):
    assert_refused_by_name(name, call, value)
