"""The training engine: one adversarial `keras.Model` below every GAN family.

- `AdversarialModel`: the base the families subclass (`gankit.models.GAN`,
  `ConditionalGAN`, `SemiSupervisedGAN`, `CycleGAN`,
  `gankit.models.ProgressiveStage`); it owns the optimizers, the update
  loop (`d_steps`, `g_steps`, `update_order`, the `update_scheme`s
  `"shared"`, `"fresh"` and `"simultaneous"`, `split_batch`, the `d_update`s
  `"joint"` and `"real_then_fake"`), the checkpointed
  random state, the step counter, the logs, the EMA generator and the data
  checks, so a family declares only its networks, batches, fakes and losses.
- `ImagePool`: the one pool of past fakes (experience replay, CycleGAN's
  history pool).
- `check_real_batch`, `check_dataset_not_empty`: the checks every `fit()`
  runs; `default_optimizer`: `Adam(2e-4, beta_1=0.5)`.

The engine imports `gankit.layers`, `gankit.losses` and `gankit._checks`
only; the networks (`build_*_generator`, `build_*_discriminator`) never
import it.
"""

from gankit.engine.adversarial import D_UPDATES
from gankit.engine.adversarial import UPDATE_ORDERS
from gankit.engine.adversarial import UPDATE_SCHEMES
from gankit.engine.adversarial import AdversarialModel
from gankit.engine.adversarial import check_optimizers
from gankit.engine.adversarial import default_optimizer
from gankit.engine.adversarial import metric_logs
from gankit.engine.data import check_dataset_not_empty
from gankit.engine.data import check_real_batch
from gankit.engine.data import fit_defaults
from gankit.engine.data import generator_output_range
from gankit.engine.data import warn_if_outside_output_range
from gankit.engine.pool import ImagePool

__all__ = [
    "D_UPDATES",
    "UPDATE_ORDERS",
    "UPDATE_SCHEMES",
    "AdversarialModel",
    "ImagePool",
    "check_dataset_not_empty",
    "check_optimizers",
    "check_real_batch",
    "default_optimizer",
    "fit_defaults",
    "generator_output_range",
    "metric_logs",
    "warn_if_outside_output_range",
]
