import numpy as np
import pytest

from gankit.layers import PixelNormalization


def test_layer_harness(layer_checks, rng):
    data = rng.normal(size=(2, 4, 4, 3)).astype("float32")
    layer_checks(PixelNormalization, {}, data, (2, 4, 4, 3), 0, 0)


def test_matches_numpy_oracle(rng):
    data = rng.normal(scale=3.0, size=(2, 3, 3, 5)).astype("float32")
    expected = data / np.sqrt(np.mean(data**2, axis=-1, keepdims=True) + 1e-8)
    np.testing.assert_allclose(PixelNormalization()(data).numpy(), expected, rtol=1e-5)


def test_hand_case():
    # [3, 4]: mean square (9 + 16) / 2 = 12.5, so the output is [3, 4] / sqrt(12.5).
    out = PixelNormalization(epsilon=0.0)(np.array([[3.0, 4.0]], "float32")).numpy()
    np.testing.assert_allclose(out, [[3.0 / np.sqrt(12.5), 4.0 / np.sqrt(12.5)]], rtol=1e-6)
    np.testing.assert_allclose(np.mean(out**2), 1.0, rtol=1e-6)


def test_epsilon_keeps_zero_vectors_finite():
    out = PixelNormalization()(np.zeros((1, 2, 2, 3), "float32")).numpy()
    np.testing.assert_array_equal(out, 0.0)


def test_negative_epsilon_rejected():
    with pytest.raises(ValueError, match="epsilon"):
        PixelNormalization(epsilon=-1.0)
