"""Building blocks for GANs, each registered for `.keras` serialization.

- Spectral normalization: `ConvSN2D`, `ConvSN2DTranspose`, `DenseSN`.
- Progressive GAN: `PixelNormalization`, `MinibatchStdDev`,
  `EqualizedConv2D`, `EqualizedDense`, `WeightedSum`.
- CycleGAN: `InstanceNormalization`, `ReflectionPadding2D`.
- Label conditioning (CGAN, SGAN): `LatentLabelEmbedding`,
  `LabelChannelEmbedding`, `ClassProjection` (projection discriminator),
  `RealFakeFromClassLogits` (the SGAN's real/fake logit from class logits).
"""

from gankit.layers.conditioning import ClassProjection
from gankit.layers.conditioning import LabelChannelEmbedding
from gankit.layers.conditioning import LatentLabelEmbedding
from gankit.layers.conditioning import RealFakeFromClassLogits
from gankit.layers.equalized import EqualizedConv2D
from gankit.layers.equalized import EqualizedDense
from gankit.layers.instance_normalization import InstanceNormalization
from gankit.layers.minibatch_stddev import MinibatchStdDev
from gankit.layers.padding import ReflectionPadding2D
from gankit.layers.pixel_normalization import PixelNormalization
from gankit.layers.spectral_normalization import ConvSN2D
from gankit.layers.spectral_normalization import ConvSN2DTranspose
from gankit.layers.spectral_normalization import DenseSN
from gankit.layers.weighted_sum import WeightedSum

__all__ = [
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
