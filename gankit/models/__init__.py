"""Model builders and the `GAN` training model.

- `build_dcgan(preset=...)`: a ready-to-train DCGAN (`GAN`) reproducing a
  source's networks and training settings, or any DCGAN from sizes.
- `build_dcgan_generator`, `build_dcgan_discriminator`: the plain Keras
  networks, e.g. for source 002's composite-model training.
- `GAN`: a `keras.Model` holding a generator and a discriminator, trained
  with `fit()` (re-exported by `gankit.training`).
"""

from gankit.models.dcgan import DCGAN_PRESETS
from gankit.models.dcgan import build_dcgan
from gankit.models.dcgan import build_dcgan_discriminator
from gankit.models.dcgan import build_dcgan_generator
from gankit.models.dcgan import dcgan_preset
from gankit.models.gan import GAN
from gankit.models.gan import LATENT_DISTRIBUTIONS

DCGAN_PRESET_NAMES = tuple(DCGAN_PRESETS)
"""The preset names `build_dcgan(preset=...)` accepts."""

__all__ = [
    "DCGAN_PRESETS",
    "DCGAN_PRESET_NAMES",
    "GAN",
    "LATENT_DISTRIBUTIONS",
    "build_dcgan",
    "build_dcgan_discriminator",
    "build_dcgan_generator",
    "dcgan_preset",
]
