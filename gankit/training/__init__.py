"""Training: the `GAN` model and the callbacks that watch and save it.

- `GAN` (defined in `gankit.models`, where the `build_*` functions return
  it): `compile(d_optimizer, g_optimizer, loss, ...)` + `fit()`.
- Callbacks: `SampleGrid`, `TrainingGif`, `LossPlot`, `GeneratorCheckpoint`,
  `DiscriminatorAccuracyReport`, `GANLearningRateScheduler`,
  `TensorBoardScalars`, and the `cosine_decay` schedule helper.
"""

from gankit.models.gan import GAN
from gankit.training import callbacks
from gankit.training.callbacks import DiscriminatorAccuracyReport
from gankit.training.callbacks import GANLearningRateScheduler
from gankit.training.callbacks import GeneratorCheckpoint
from gankit.training.callbacks import LossPlot
from gankit.training.callbacks import SampleGrid
from gankit.training.callbacks import TensorBoardScalars
from gankit.training.callbacks import TrainingGif
from gankit.training.callbacks import cosine_decay

__all__ = [
    "DiscriminatorAccuracyReport",
    "GAN",
    "GANLearningRateScheduler",
    "GeneratorCheckpoint",
    "LossPlot",
    "SampleGrid",
    "TensorBoardScalars",
    "TrainingGif",
    "callbacks",
    "cosine_decay",
]
