"""gankit: a Keras 3 / TensorFlow 2 reference library for GANs.

Subpackages, in import order (each imports only the ones before it):

- `gankit.layers`: building blocks (spectral normalization, pixel norm,
  minibatch stddev, equalized learning rate, fade-in, instance norm,
  label conditioning).
- `gankit.losses`: adversarial loss families, penalties, label tricks and
  reconstruction losses.
- `gankit.models`: DCGAN builders with source presets and the `GAN` model.
- `gankit.training`: `GAN` and the callbacks that watch and save training.
- `gankit.metrics`: IS, FID, KID, MiFID, sliced Wasserstein, feature
  extractors and streaming evaluation.
- `gankit.hub`: the pretrained ProGAN of TF Hub (generate, interpolate,
  find the latent closest to an image).
- `gankit.viz`: image grids, interpolation strips, GIFs, loss plots, image
  export.

The `gankit` command (`gankit.cli`) trains and samples from the shell.
"""

__version__ = "0.1.0"

from gankit import hub
from gankit import layers
from gankit import losses
from gankit import metrics
from gankit import models
from gankit import training
from gankit import viz

__all__ = ["__version__", "hub", "layers", "losses", "metrics", "models", "training", "viz"]
