import doctest
import importlib

import keras
import numpy as np
import pytest

import gankit.layers

EXPECTED = [
    "ClassProjection",
    "ConvSN2D",
    "ConvSN2DTranspose",
    "DenseSN",
    "EqualizedConv2D",
    "EqualizedDense",
    "InstanceNormalization",
    "LabelChannelEmbedding",
    "LatentLabelEmbedding",
    "MinibatchStdDev",
    "PixelNormalization",
    "RealFakeFromClassLogits",
    "ReflectionPadding2D",
    "WeightedSum",
]


def test_public_names_are_pinned():
    assert sorted(gankit.layers.__all__) == EXPECTED


def test_every_layer_is_registered_and_documented():
    for name in gankit.layers.__all__:
        cls = getattr(gankit.layers, name)
        assert keras.saving.get_registered_name(cls) == f"gankit>{name}"
        assert cls.__doc__ and "Args:" in cls.__doc__ and "Example:" in cls.__doc__


@pytest.mark.parametrize(
    "module",
    [
        "conditioning",
        "equalized",
        "instance_normalization",
        "minibatch_stddev",
        "padding",
        "pixel_normalization",
        "spectral_normalization",
        "weighted_sum",
    ],
)
def test_docstring_examples_run(module):
    module = importlib.import_module(f"gankit.layers.{module}")
    namespace = {"np": np, **{name: getattr(gankit.layers, name) for name in gankit.layers.__all__}}
    result = doctest.testmod(module, globs=namespace, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
