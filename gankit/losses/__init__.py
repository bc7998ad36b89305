"""Adversarial loss families, penalties, label tricks and reconstruction losses.

- `adversarial`: `<family>_generator_loss` / `<family>_discriminator_loss`
  pairs sharing one signature `fn(real_logits, fake_logits, *, ...)`, the
  `LOSS_FAMILIES` names, `get(name)`, and `discriminator_loss_terms` (a
  discriminator loss split into its real and fake terms).
- `penalties`: WGAN-GP `gradient_penalty`, `r1_penalty`, `clip_weights`.
- `label_tricks`: label smoothing and flipping, instance noise and its
  annealing schedule.
- `reconstruction`: CycleGAN's cycle-consistency and identity losses.
"""

from gankit.losses.adversarial import LOSS_FAMILIES
from gankit.losses.adversarial import discriminator_loss_terms
from gankit.losses.adversarial import get
from gankit.losses.adversarial import hinge_discriminator_loss
from gankit.losses.adversarial import hinge_generator_loss
from gankit.losses.adversarial import least_squares_discriminator_loss
from gankit.losses.adversarial import least_squares_generator_loss
from gankit.losses.adversarial import minimax_discriminator_loss
from gankit.losses.adversarial import minimax_generator_loss
from gankit.losses.adversarial import non_saturating_discriminator_loss
from gankit.losses.adversarial import non_saturating_generator_loss
from gankit.losses.adversarial import ra_hinge_discriminator_loss
from gankit.losses.adversarial import ra_hinge_generator_loss
from gankit.losses.adversarial import ra_lsgan_discriminator_loss
from gankit.losses.adversarial import ra_lsgan_generator_loss
from gankit.losses.adversarial import ra_sgan_discriminator_loss
from gankit.losses.adversarial import ra_sgan_generator_loss
from gankit.losses.adversarial import rsgan_discriminator_loss
from gankit.losses.adversarial import rsgan_generator_loss
from gankit.losses.adversarial import wasserstein_discriminator_loss
from gankit.losses.adversarial import wasserstein_generator_loss
from gankit.losses.label_tricks import InstanceNoiseSchedule
from gankit.losses.label_tricks import add_instance_noise
from gankit.losses.label_tricks import flip_labels
from gankit.losses.label_tricks import instance_noise_stddev
from gankit.losses.label_tricks import smooth_labels_to_range
from gankit.losses.label_tricks import smooth_positive_labels
from gankit.losses.penalties import clip_weights
from gankit.losses.penalties import gradient_penalty
from gankit.losses.penalties import r1_penalty
from gankit.losses.reconstruction import cycle_consistency_loss
from gankit.losses.reconstruction import identity_loss

__all__ = [
    "InstanceNoiseSchedule",
    "LOSS_FAMILIES",
    "add_instance_noise",
    "clip_weights",
    "cycle_consistency_loss",
    "discriminator_loss_terms",
    "flip_labels",
    "get",
    "gradient_penalty",
    "hinge_discriminator_loss",
    "hinge_generator_loss",
    "identity_loss",
    "instance_noise_stddev",
    "least_squares_discriminator_loss",
    "least_squares_generator_loss",
    "minimax_discriminator_loss",
    "minimax_generator_loss",
    "non_saturating_discriminator_loss",
    "non_saturating_generator_loss",
    "r1_penalty",
    "ra_hinge_discriminator_loss",
    "ra_hinge_generator_loss",
    "ra_lsgan_discriminator_loss",
    "ra_lsgan_generator_loss",
    "ra_sgan_discriminator_loss",
    "ra_sgan_generator_loss",
    "rsgan_discriminator_loss",
    "rsgan_generator_loss",
    "smooth_labels_to_range",
    "smooth_positive_labels",
    "wasserstein_discriminator_loss",
    "wasserstein_generator_loss",
]
