import numpy as np
import pytest

from gankit.layers import InstanceNormalization


def test_layer_harness(layer_checks, rng):
    data = rng.normal(size=(2, 4, 4, 3)).astype("float32")
    layer_checks(InstanceNormalization, {}, data, (2, 4, 4, 3), 2, 0)


def test_matches_numpy_oracle(rng):
    data = rng.normal(loc=2.0, scale=3.0, size=(3, 5, 6, 4)).astype("float32")
    mean = data.mean(axis=(1, 2), keepdims=True)
    var = data.var(axis=(1, 2), keepdims=True)
    expected = (data - mean) / np.sqrt(var + 1e-3)
    np.testing.assert_allclose(InstanceNormalization()(data).numpy(), expected, rtol=1e-4, atol=1e-4)


@pytest.mark.cpu_invariance
def test_each_sample_is_independent(rng):
    data = rng.normal(size=(2, 4, 4, 3)).astype("float32")
    layer = InstanceNormalization()
    alone = layer(data[:1]).numpy()
    np.testing.assert_allclose(layer(data).numpy()[:1], alone, rtol=1e-5, atol=1e-6)


def test_groups_argument_rejected():
    with pytest.raises(TypeError, match="groups"):
        InstanceNormalization(groups=2)
