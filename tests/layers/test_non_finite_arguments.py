"""NaN and infinity are refused for every float argument of `gankit.layers`, with the argument named.

`epsilon < 0` is False for NaN, and `gain > 0` is True for infinity, so range
checks alone let them through (a NaN epsilon makes every output NaN).
"""

import pytest

from gankit import layers

NON_FINITE = [pytest.param(float("nan"), id="nan"), pytest.param(float("inf"), id="inf")]

CASES = [
    pytest.param("gain", lambda v: layers.EqualizedConv2D(4, 3, gain=v), id="EqualizedConv2D-gain"),
    pytest.param("gain", lambda v: layers.EqualizedDense(4, gain=v), id="EqualizedDense-gain"),
    pytest.param("epsilon", lambda v: layers.PixelNormalization(epsilon=v), id="PixelNormalization-epsilon"),
    pytest.param("epsilon", lambda v: layers.MinibatchStdDev(epsilon=v), id="MinibatchStdDev-epsilon"),
    pytest.param("epsilon", lambda v: layers.InstanceNormalization(epsilon=v), id="InstanceNormalization-epsilon"),
    pytest.param("alpha", lambda v: layers.WeightedSum(alpha=v), id="WeightedSum-alpha"),
    pytest.param("alpha", lambda v: layers.WeightedSum().set_alpha(v), id="WeightedSum.set_alpha"),
]


@pytest.mark.parametrize("value", NON_FINITE)
@pytest.mark.parametrize("name, call", CASES)
def test_non_finite_float_arguments_are_refused_by_name(name, call, value, assert_refused_by_name):
    assert_refused_by_name(name, call, value)
