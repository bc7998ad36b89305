"""gankit: a Keras 3 / TensorFlow 2 reference library for GANs.

Subpackages, in import order (each imports only the ones before it):

- `gankit.layers`: building blocks (spectral normalization, pixel norm,
  minibatch stddev, equalized learning rate, fade-in, instance norm,
  label conditioning).
- `gankit.losses`: adversarial loss families, penalties, label tricks and
  reconstruction losses.
"""

__version__ = "0.1.0"

from gankit import layers
from gankit import losses

__all__ = ["layers", "losses", "__version__"]
