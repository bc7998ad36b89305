"""Model builders and the `GAN` training model.

- `build_dcgan(preset=...)`: a ready-to-train DCGAN (`GAN`) reproducing a
  source's networks and training settings, or any DCGAN from sizes.
- `build_dcgan_generator`, `build_dcgan_discriminator`: the plain Keras
  networks, e.g. for source 002's composite-model training.
- `GAN`: a `keras.Model` holding a generator and a discriminator, trained
  with `fit()` (re-exported by `gankit.training`).
- Chapter families: `build_cyclegan` / `CycleGAN` (unpaired translation),
  `build_cgan` / `ConditionalGAN` (label-conditioned),
  `build_sgan` / `SemiSupervisedGAN` (shared classifier trunk),
  `build_progan` / `ProgressiveStage` / `ProgressiveNetworks` (progressive
  growing with fade-in, `fade_real_images` the fade-in's blend of the real
  images; the driver is `gankit.training.ProgressiveGAN`).
"""

from gankit.models.cgan import ConditionalGAN
from gankit.models.cgan import build_cgan
from gankit.models.cgan import build_cgan_discriminator
from gankit.models.cgan import build_cgan_generator
from gankit.models.cyclegan import CycleGAN
from gankit.models.cyclegan import build_cyclegan
from gankit.models.cyclegan import build_patch_discriminator
from gankit.models.cyclegan import build_resnet_generator
from gankit.models.cyclegan import build_unet_generator
from gankit.models.dcgan import DCGAN_PRESETS
from gankit.models.dcgan import DISCRIMINATOR_OUTPUTS
from gankit.models.dcgan import build_dcgan
from gankit.models.dcgan import build_dcgan_discriminator
from gankit.models.dcgan import build_dcgan_generator
from gankit.models.dcgan import dcgan_preset
from gankit.models.dcgan import with_output
from gankit.models.gan import GAN
from gankit.models.gan import LATENT_DISTRIBUTIONS
from gankit.models.gan import UNROLLED_OPTIMIZERS
from gankit.models.progan import ProgressiveNetworks
from gankit.models.progan import ProgressiveStage
from gankit.models.progan import build_progan
from gankit.models.progan import fade_real_images
from gankit.models.progan import progan_adam
from gankit.models.progan import set_fade_alpha
from gankit.models.sgan import SemiSupervisedGAN
from gankit.models.sgan import build_sgan
from gankit.models.sgan import build_sgan_generator
from gankit.models.sgan import build_sgan_trunk
from gankit.models.sgan import sgan_dataset

DCGAN_PRESET_NAMES = tuple(DCGAN_PRESETS)
"""The preset names `build_dcgan(preset=...)` accepts."""

__all__ = [
    "ConditionalGAN",
    "CycleGAN",
    "DCGAN_PRESETS",
    "DISCRIMINATOR_OUTPUTS",
    "DCGAN_PRESET_NAMES",
    "GAN",
    "LATENT_DISTRIBUTIONS",
    "ProgressiveNetworks",
    "ProgressiveStage",
    "SemiSupervisedGAN",
    "UNROLLED_OPTIMIZERS",
    "build_cgan",
    "build_cgan_discriminator",
    "build_cgan_generator",
    "build_cyclegan",
    "build_dcgan",
    "build_dcgan_discriminator",
    "build_dcgan_generator",
    "build_patch_discriminator",
    "build_progan",
    "build_resnet_generator",
    "build_sgan",
    "build_sgan_generator",
    "build_sgan_trunk",
    "build_unet_generator",
    "dcgan_preset",
    "fade_real_images",
    "progan_adam",
    "set_fade_alpha",
    "sgan_dataset",
    "with_output",
]

# Moved to gankit.layers in 0.2; importable from here until 0.3.
_MOVED_TO_LAYERS = ("ClassProjection", "RealFakeFromClassLogits", "ReflectionPadding2D")


def __getattr__(name):
    if name == "LinearDecaySchedule":
        import warnings

        from gankit.engine.schedules import LinearDecaySchedule

        warnings.warn(
            "gankit.models.LinearDecaySchedule moved to gankit.training.LinearDecaySchedule "
            "(gankit.training.schedules); the old name goes away in 0.3.",
            DeprecationWarning,
            stacklevel=2,
        )
        return LinearDecaySchedule
    if name in _MOVED_TO_LAYERS:
        import warnings

        from gankit import layers

        warnings.warn(
            f"gankit.models.{name} moved to gankit.layers.{name}; the old name goes away in 0.3.",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(layers, name)
    raise AttributeError(f"module 'gankit.models' has no attribute {name!r}")
