"""NaN and infinity are refused for the float arguments of `data_loaders`, with the argument named.

The only float argument is `dog_crop_box`'s box (VOC coordinates in
pixels): `int(nan)` used to fail with "cannot convert float NaN to integer"
and `int(inf)` with an `OverflowError`, neither naming the box.
"""

import pytest

from data_loaders import dog_crop_box

NON_FINITE = [pytest.param(float("nan"), id="nan"), pytest.param(float("inf"), id="inf")]


@pytest.mark.parametrize("value", NON_FINITE)
@pytest.mark.parametrize("index", range(4))
def test_non_finite_box_coordinates_are_refused_by_name(index, value, assert_refused_by_name):
    box = [10.0, 50.0, 60.0, 79.0]
    box[index] = value
    assert_refused_by_name(f"box[{index}]", lambda: dog_crop_box(box, image_shape=(80, 100)))
