import math

import numpy as np
import pytest

from gankit.layers import EqualizedConv2D
from gankit.layers import EqualizedDense


def test_conv_harness(layer_checks, rng):
    data = rng.normal(size=(2, 5, 5, 3)).astype("float32")
    layer_checks(EqualizedConv2D, {"filters": 4, "kernel_size": 3, "seed": 1}, data, (2, 5, 5, 4), 2, 0)


def test_dense_harness(layer_checks, rng):
    data = rng.normal(size=(2, 6)).astype("float32")
    layer_checks(EqualizedDense, {"units": 3, "seed": 1}, data, (2, 3), 2, 0)


@pytest.mark.parametrize(
    "gain,expected",
    # fan_in = 3 * 4 * 5 = 60. STYLE.md quotes "sqrt(2 / 60) = 0.1290994"; the
    # number is 1 / sqrt(60) (gain 1), while sqrt(2 / 60) = 0.1825742 (gain
    # sqrt(2), the ProGAN default). Both are pinned here.
    [(1.0, 0.1290994), (math.sqrt(2.0), 0.1825742)],
)
def test_he_constant_for_reference_kernel(gain, expected):
    layer = EqualizedConv2D(6, kernel_size=(3, 4), padding="valid", gain=gain)
    layer.build((None, 8, 8, 5))
    assert layer.kernel.shape == (3, 4, 5, 6)
    assert layer.scale == pytest.approx(expected, abs=1e-7)


def test_weights_are_unit_normal():
    layer = EqualizedDense(256, seed=0)
    layer.build((None, 256))
    kernel = layer.kernel.numpy()
    # 65536 draws: the sample std of N(0, 1) is within 1% with overwhelming odds.
    assert abs(kernel.mean()) < 0.02
    assert abs(kernel.std() - 1.0) < 0.01


def test_dense_applies_runtime_scale(rng):
    layer = EqualizedDense(3, gain=2.0, activation="relu")
    data = rng.normal(size=(4, 9)).astype("float32")
    layer.build(data.shape)
    expected = np.maximum(data @ layer.kernel.numpy() * (2.0 / 3.0), 0.0)
    np.testing.assert_allclose(layer(data).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_conv_applies_runtime_scale(rng):
    import keras

    layer = EqualizedConv2D(2, 3, strides=2, use_bias=False)
    data = rng.normal(size=(1, 6, 6, 4)).astype("float32")
    layer.build(data.shape)
    plain = keras.layers.Conv2D(2, 3, strides=2, padding="same", use_bias=False)
    plain.build(data.shape)
    plain.set_weights([layer.kernel.numpy() * math.sqrt(2.0) / math.sqrt(36)])
    np.testing.assert_allclose(layer(data).numpy(), plain(data).numpy(), rtol=1e-5, atol=1e-6)
    assert layer.compute_output_shape(data.shape) == (1, 3, 3, 2)


@pytest.mark.parametrize(
    "cls,kwargs,error,match",
    [
        (EqualizedDense, {"units": 0}, ValueError, "units"),
        (EqualizedDense, {"units": 2.0}, TypeError, "units"),
        (EqualizedDense, {"units": 2, "gain": 0.0}, ValueError, "gain"),
        (EqualizedDense, {"units": 2, "gain": "2"}, TypeError, "gain"),
        (EqualizedConv2D, {"filters": 2, "padding": "causal"}, ValueError, "padding"),
        (EqualizedConv2D, {"filters": 2, "kernel_size": (3, 3, 3)}, ValueError, "kernel_size"),
        (EqualizedConv2D, {"filters": -1}, ValueError, "filters"),
    ],
)
def test_bad_arguments(cls, kwargs, error, match):
    with pytest.raises(error, match=match):
        cls(**kwargs)
