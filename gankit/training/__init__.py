"""Training: the `GAN` model and the callbacks that watch and save it.

- `GAN` (defined in `gankit.models`, where the `build_*` functions return
  it): `compile(d_optimizer, g_optimizer, loss, ...)` + `fit()`.
- Callbacks: `SampleGrid`, `TrainingGif`, `LossPlot`, `GeneratorCheckpoint`,
  `DiscriminatorAccuracyReport`, `GANLearningRateScheduler`,
  `TensorBoardScalars` (`gankit.training.callbacks` gathers them; they
  live in `images`, `logs`, `checkpoints` and `schedules`).
- Schedules (`gankit.training.schedules`): `cosine_decay`,
  `LinearDecaySchedule`, `fade_alpha`, and `InstanceNoiseSchedule` of
  `gankit.losses`.
- `SampleGrid` draws one row per class for a conditional GAN
  (`ClassSampleGrid`, its former separate form, is deprecated).
- Chapter families: `TranslationGrid` (A->B->A and B->A->B grids, CycleGAN);
  `ProgressiveGAN`, the driver that grows a `ProgressiveNetworks` from 4x4
  with fade-in and stabilization phases (resumable), with its
  `ProgressiveStage` model, `FadeInScheduler`, `ProgressiveSampleGrid`.
- `train_supervised_baseline`: the SGAN chapter's fully supervised
  comparison (the SGAN trunk trained on the labelled images alone).
- Reliability: `TrainingBackup` (atomic per-epoch backups of the whole
  training state, restored when `fit()` starts again), `StopOnDivergence`
  and the `DivergenceError` both raise on a NaN/Inf loss.
"""

from gankit.models.gan import GAN
from gankit.training import callbacks
from gankit.training import schedules
from gankit.training.baselines import train_supervised_baseline
from gankit.training.callbacks import DiscriminatorAccuracyReport
from gankit.training.callbacks import GANLearningRateScheduler
from gankit.training.callbacks import GeneratorCheckpoint
from gankit.training.callbacks import LossPlot
from gankit.training.callbacks import SampleGrid
from gankit.training.callbacks import TensorBoardScalars
from gankit.training.callbacks import TrainingGif
from gankit.training.conditional_callbacks import ClassSampleGrid
from gankit.training.cycle_callbacks import TranslationGrid
from gankit.training.progressive import FadeInScheduler
from gankit.training.progressive import ProgressiveGAN
from gankit.training.progressive import ProgressiveSampleGrid
from gankit.training.progressive import ProgressiveStage
from gankit.training.resume import DivergenceError
from gankit.training.resume import StopOnDivergence
from gankit.training.resume import TrainingBackup
from gankit.training.schedules import LinearDecaySchedule
from gankit.training.schedules import cosine_decay
from gankit.training.schedules import fade_alpha

__all__ = [
    "ClassSampleGrid",
    "DiscriminatorAccuracyReport",
    "DivergenceError",
    "FadeInScheduler",
    "GAN",
    "GANLearningRateScheduler",
    "GeneratorCheckpoint",
    "LinearDecaySchedule",
    "LossPlot",
    "ProgressiveGAN",
    "ProgressiveSampleGrid",
    "ProgressiveStage",
    "SampleGrid",
    "StopOnDivergence",
    "TensorBoardScalars",
    "TrainingBackup",
    "TrainingGif",
    "TranslationGrid",
    "callbacks",
    "schedules",
    "train_supervised_baseline",
    "cosine_decay",
    "fade_alpha",
]
