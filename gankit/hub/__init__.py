"""Pretrained generators from TensorFlow Hub.

- `load_progan(handle=...)`: the TF Hub Progressive GAN (`progan-128`,
  trained on CelebA) wrapped as a `ProGANHub` with `generate`,
  `interpolate`, `find_closest_latent` and `interpolation_gif`.
- `export_test_progan(path)`: a small stand-in SavedModel with the same
  signature, for offline tests and smoke runs.
"""

from gankit.hub.progan import DEFAULT_PROGAN_HANDLE
from gankit.hub.progan import INTERPOLATION_METHODS
from gankit.hub.progan import ProGANHub
from gankit.hub.progan import export_test_progan
from gankit.hub.progan import interpolate_hypersphere
from gankit.hub.progan import load_progan

__all__ = [
    "DEFAULT_PROGAN_HANDLE",
    "INTERPOLATION_METHODS",
    "ProGANHub",
    "export_test_progan",
    "interpolate_hypersphere",
    "load_progan",
]
