"""Model builders and the `GAN` training model.

- `GAN`: a `keras.Model` holding a generator and a discriminator, trained
  with `fit()`.
"""

from gankit.models.gan import GAN
from gankit.models.gan import LATENT_DISTRIBUTIONS

__all__ = ["GAN", "LATENT_DISTRIBUTIONS"]
