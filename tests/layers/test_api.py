import keras

import gankit.layers

EXPECTED = [
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
    "WeightedSum",
]


def test_public_names_are_pinned():
    assert sorted(gankit.layers.__all__) == EXPECTED


def test_every_layer_is_registered_and_documented():
    for name in gankit.layers.__all__:
        cls = getattr(gankit.layers, name)
        assert keras.saving.get_registered_name(cls) == f"gankit>{name}"
        assert cls.__doc__ and "Args:" in cls.__doc__ and "Example:" in cls.__doc__
