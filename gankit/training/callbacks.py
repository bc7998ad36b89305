"""Keras callbacks that watch a GAN train: samples, GIF, losses, checkpoints, D accuracy.

Every callback works with any `keras.Model` that follows gankit's GAN
contract (`gankit.models.gan.GAN` and its relatives):

- `model.generator` maps latents `(n, latent_dim)` to images in [-1, 1] and
  `model.discriminator` maps images to logits;
- `model.sample_latents(n, seed=None)` returns float32 latents and
  `model.generate(n=None, *, seed=None, latents=None, batch_size=256)`
  returns images in [0, 1];
- `model.d_optimizer` / `model.g_optimizer` are the two optimizers;
- the logs hold `d_loss`, `g_loss`, `d_real_accuracy` and `d_fake_accuracy`
  (and `d_real_loss` / `d_fake_loss` for the families whose loss splits)
  at the end of every batch and epoch.

Epochs are counted from 1 in file names and in `every_n_epochs` (the work is
done at the end of epochs N, 2N, ...), as in the sources' `(epoch + 1) % N`.

What each source did, and its callback:

- Source 000 (Kaggle dogs): an 8x8 sample grid every N epochs
  (`SampleGrid(num_samples=64)`), per-epoch and all-time loss plots
  (`LossPlot`), a GIF of the grids (`TrainingGif`), cosine learning-rate
  decay (`GANLearningRateScheduler(cosine_decay(...))`, or a
  `keras.optimizers.schedules.CosineDecay` given to the optimizers for a
  per-step decay), and 10,000 PNGs in a zip
  (`gankit.viz.write_images(gan.generate, "images.zip", 10_000)`).
- Source 002 (Machine Learning Mastery): `summarize_performance` every 10
  epochs is three callbacks: `DiscriminatorAccuracyReport(x_train)`,
  `SampleGrid(every_n_epochs=10, num_samples=49, rows=7)` (100 and 10x10 for
  MNIST) and `GeneratorCheckpoint(every_n_epochs=10)`.
- Source 001 (TF slim DCGAN): TensorBoard scalars for the four losses at
  every step are `TensorBoardScalars(log_dir, update_freq=1)` (tags
  `batch_d_loss`, `epoch_d_loss`, ... under `log_dir/train`). With the
  `tensorboard` package installed, `keras.callbacks.TensorBoard(log_dir,
  update_freq=1)` writes the same tags; TensorFlow 2.21 no longer installs
  that package, and without it Keras' callback fails, hence gankit's.
  Checkpoints every N steps are `keras.callbacks.ModelCheckpoint(path,
  save_freq=N, save_weights_only=True)`, and generated images go to a
  folder with `gankit.viz.write_images`.

The callbacks live by concern and this module gathers them: `images.py`
(`SampleGrid`, `TrainingGif`), `logs.py` (`LossPlot`, `TensorBoardScalars`,
`DiscriminatorAccuracyReport`), `checkpoints.py` (`GeneratorCheckpoint`; the
whole training state is `TrainingBackup`'s, in `resume.py`) and
`schedules.py` (`GANLearningRateScheduler`, `cosine_decay` and the other
schedules).

Callbacks that write files write them atomically (temporary name, then
rename) and create their folders when training begins. Under a multi-worker
strategy every worker runs the callbacks; give each worker its own folder or
attach the file-writing callbacks on the chief only.
"""

from gankit.training.checkpoints import GeneratorCheckpoint
from gankit.training.images import SampleGrid
from gankit.training.images import TrainingGif
from gankit.training.logs import DiscriminatorAccuracyReport
from gankit.training.logs import LossPlot
from gankit.training.logs import TensorBoardScalars
from gankit.training.schedules import GANLearningRateScheduler
from gankit.training.schedules import cosine_decay

__all__ = [
    "DiscriminatorAccuracyReport",
    "GANLearningRateScheduler",
    "GeneratorCheckpoint",
    "LossPlot",
    "SampleGrid",
    "TensorBoardScalars",
    "TrainingGif",
    "cosine_decay",
]
