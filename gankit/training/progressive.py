"""Progressive GAN training: grow 4x4 -> target with fade-in, resumable by phase.

`ProgressiveGAN.train` runs the phases of Karras et al. (2018):
4x4 stabilization, then for every larger resolution a fade-in phase (the new
block's weight `alpha` rises linearly with the images seen, set on the
`WeightedSum` layers by `FadeInScheduler`) followed by a stabilization phase.
Each phase is one `fit()` of a `ProgressiveStage` model (WGAN-GP, lambda = 10,
plus the drift term `epsilon_drift * E[D(x)^2]`, epsilon_drift = 0.001,
paper section A.1). The real images are average-pooled to the phase's
resolution; during a fade-in each batch is also blended with its
half-resolution copy by the same alpha (`fade_real_images`, the paper code's
`process_reals`), unless `blend_reals=False`. After every phase the driver writes a state JSON and the
weights of all layers, so `train` called again continues after the last
finished phase.

Reference: [Karras et al., 2018](https://arxiv.org/abs/1710.10196).
"""

from __future__ import annotations

import glob
import json
import math
import os
from collections.abc import Callable
from collections.abc import Iterable
from typing import Any

import keras
import numpy as np
import tensorflow as tf
from numpy.typing import ArrayLike

from gankit._checks import check_bool
from gankit._checks import check_int
from gankit._checks import check_number
from gankit.models.progan import BASE_RESOLUTION
from gankit.models.progan import ProgressiveNetworks
from gankit.models.progan import ProgressiveStage
from gankit.models.progan import progan_adam
from gankit.models.progan import set_fade_alpha
from gankit.training.schedules import fade_alpha

STATE_FILE = "progressive_state.json"
"""Name of the state file `ProgressiveGAN` writes into its `directory`."""

WEIGHTS_FILE = "progressive_weights.npz"
"""Weights file of state files written before the per-phase names (read only)."""
WEIGHTS_PATTERN = "progressive_weights_phase_{phase:03d}.npz"
"""Name of the weights file `ProgressiveGAN` writes after each phase; the state
file names the current one, so weights and state are replaced together."""

FADE = "fade"
STABILIZE = "stabilize"


class FadeInScheduler(keras.callbacks.Callback):
    """Raises the fade-in `alpha` linearly with the images seen, every batch.

    Before batch `b` (0-based) alpha is `min(1, (initial_images + b *
    batch_size) / fade_images)`; the values set are kept in `history`. A
    `ProgressiveStage` reads the discriminator's fade alpha in its train
    step, so the value set here also blends that batch's real images.

    Args:
        models: The stage models whose `WeightedSum` layers are set.
        fade_images: Images over which alpha goes from 0 to 1.
        batch_size: Images per batch.
        initial_images: Images of this phase already seen (on resume).
            Defaults to `0`.
    """

    def __init__(
        self, models: Iterable[keras.Model], fade_images: int, batch_size: int, initial_images: int = 0
    ) -> None:
        super().__init__()
        self.models = list(models)
        self.fade_images = int(fade_images)
        self.batch_size = int(batch_size)
        self.initial_images = int(initial_images)
        self.history = []

    def alpha_at(self, batch: int) -> float:
        """Alpha before batch `batch`."""
        return fade_alpha(self.initial_images + batch * self.batch_size, self.fade_images)

    def on_train_batch_begin(self, batch, logs=None):
        alpha = self.alpha_at(batch)
        set_fade_alpha(self.models, alpha)
        self.history.append(alpha)


class ProgressiveSampleGrid(keras.callbacks.Callback):
    """Writes `samples_res{R}_{phase}.png` from fixed latents at the end of a phase.

    Args:
        generator: The stage generator.
        latents: Fixed latents `(n, latent_dim)`.
        directory: Output folder.
        resolution: Stage resolution, used in the file name.
        phase: `"fade"` or `"stabilize"`, used in the file name.
    """

    def __init__(
        self, generator: keras.Model, latents: ArrayLike, directory: str | os.PathLike, resolution: int, phase: str
    ) -> None:
        super().__init__()
        self.generator = generator
        self.latents = np.asarray(latents, "float32")
        self.directory = directory
        self.path = os.path.join(directory, f"samples_res{resolution}_{phase}.png")

    def on_train_end(self, logs=None):
        # Imported here: gankit.viz comes after gankit.training in import order.
        from gankit.viz import save_image_grid

        images = np.asarray(self.generator(self.latents, training=False))
        images = np.clip((images + 1.0) / 2.0, 0.0, 1.0)
        save_image_grid(images, self.path)


def downsample(images, factor):
    """Average-pools `(batch, h, w, c)` images by an integer `factor`."""
    if factor == 1:
        return images
    return tf.nn.avg_pool2d(images, factor, factor, "VALID")


def _per_resolution(name, value, resolutions):
    if isinstance(value, dict):
        missing = [r for r in resolutions if r not in value]
        if missing:
            raise ValueError(
                f"`{name}` must have an entry for every resolution {list(resolutions)}; "
                f"missing {missing}. Received: {name}={value!r}"
            )
        table = {r: value[r] for r in resolutions}
    else:
        table = {r: value for r in resolutions}
    for r, v in table.items():
        check_int(v, name=f"{name}[{r}]", minimum=1)
    return {r: int(v) for r, v in table.items()}


class ProgressiveGAN:
    """Grows a Progressive GAN from 4x4 to `networks.target_resolution`.

    Args:
        networks: A `gankit.models.ProgressiveNetworks`.
        directory: Folder for the state JSON, weights and sample grids.
        learning_rate: Adam learning rate of both networks (paper: 1e-3,
            beta_1 = 0, beta_2 = 0.99, epsilon = 1e-8). Defaults to `1e-3`.
        gradient_penalty_weight: WGAN-GP lambda. Defaults to `10.0`.
        drift_weight: epsilon_drift. Defaults to `0.001`.
        num_samples: Images per sample grid (0 disables the grids).
            Defaults to `16`.
        seed: Seed of the fixed sample latents. Defaults to `0`.
        blend_reals: During fade-in phases, blend each real batch with its
            half-resolution copy (average-pooled by 2, upsampled back by 2)
            by the batch's alpha, `alpha * x + (1 - alpha) * up(pool(x))`,
            as the paper's code does (`ProgressiveStage(blend_reals=...)`).
            `False` gives the reals only average-pooled to the phase's
            resolution (gankit 0.1). Defaults to `True`.

    Raises:
        TypeError: If `networks` is not a `ProgressiveNetworks`,
            `learning_rate` or a weight is not a number, or `blend_reals`
            is not a bool.
        ValueError: If `learning_rate` or a weight is NaN or infinite.

    Example:

        >>> from gankit.models import ProgressiveNetworks  # doctest: +SKIP
        >>> driver = ProgressiveGAN(ProgressiveNetworks(16, 32), "runs/pgan")
        >>> driver.train(lambda: images_dataset, images_per_phase=800_000)
    """

    def __init__(
        self,
        networks: ProgressiveNetworks,
        directory: str | os.PathLike,
        learning_rate: float = 1e-3,
        gradient_penalty_weight: float = 10.0,
        drift_weight: float = 0.001,
        num_samples: int = 16,
        seed: int | None = 0,
        blend_reals: bool = True,
    ) -> None:
        if not isinstance(networks, ProgressiveNetworks):
            raise TypeError(f"`networks` must be a gankit.models.ProgressiveNetworks. Received: networks={networks!r}")
        self.networks = networks
        self.directory = os.fspath(directory)
        self.learning_rate = check_number(learning_rate, name="learning_rate")
        self.gradient_penalty_weight = check_number(gradient_penalty_weight, name="gradient_penalty_weight")
        self.drift_weight = check_number(drift_weight, name="drift_weight")
        self.blend_reals = check_bool(blend_reals, name="blend_reals")
        self.num_samples = int(num_samples)
        rng = np.random.default_rng(seed)
        self.sample_latents = rng.standard_normal((max(1, self.num_samples), networks.latent_dim)).astype("float32")
        self.stage = None
        self.history = []

    @property
    def phases(self) -> list[tuple[int, str]]:
        """`[(resolution, "fade" | "stabilize"), ...]` in training order."""
        phases = [(BASE_RESOLUTION, STABILIZE)]
        for r in self.networks.resolutions[1:]:
            phases += [(r, FADE), (r, STABILIZE)]
        return phases

    @property
    def state_path(self) -> str:
        return os.path.join(self.directory, STATE_FILE)

    @property
    def weights_path(self) -> str:
        """The weights file the saved state names (`WEIGHTS_FILE` before any phase)."""
        state = self.load_state()
        return os.path.join(self.directory, state.get("weights", WEIGHTS_FILE) if state else WEIGHTS_FILE)

    def load_state(self) -> dict[str, Any] | None:
        """The saved state dict, or `None` when no phase has finished.

        Raises:
            ValueError: If the state file cannot be read or names a weights
                file outside `directory`.
        """
        if not os.path.exists(self.state_path):
            return None
        try:
            with open(self.state_path) as handle:
                state = json.load(handle)
        except (OSError, ValueError) as error:
            raise ValueError(f"The state file {self.state_path} cannot be read ({error}).") from None
        weights = state.get("weights", WEIGHTS_FILE) if isinstance(state, dict) else None
        if not isinstance(weights, str) or os.path.basename(weights) != weights or weights in ("", ".", ".."):
            raise ValueError(
                f"The state file {self.state_path} must name a weights file inside {self.directory} (a plain "
                f"file name). Received: weights={weights!r}"
            )
        return state

    def _save_state(self, state):
        """Writes the phase's weights under a new name, then the state naming them.

        The state file is replaced last (atomically), so a kill at any point
        leaves a state that names the weights of the same phase: the old pair
        until the rename, the new pair after it.
        """
        os.makedirs(self.directory, exist_ok=True)
        name = WEIGHTS_PATTERN.format(phase=state["phase_index"])
        self.networks.save_weights(os.path.join(self.directory, name))
        state = {**state, "weights": name}
        tmp = f"{self.state_path}.partial-{os.getpid()}"
        try:
            with open(tmp, "w") as handle:
                json.dump(state, handle, indent=2)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.state_path)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
        for old in glob.glob(os.path.join(glob.escape(self.directory), "progressive_weights*.npz")):
            if os.path.basename(old) != name:
                os.remove(old)
        return state

    def _dataset(self, dataset_fn, resolution, batch_size):
        dataset = dataset_fn() if callable(dataset_fn) else dataset_fn
        if isinstance(dataset, np.ndarray):
            dataset = tf.data.Dataset.from_tensor_slices(dataset.astype("float32"))
        if not isinstance(dataset, tf.data.Dataset):
            raise TypeError(
                "`dataset_fn` must return an unbatched tf.data.Dataset (or a NumPy "
                f"array) of images. Received: {type(dataset).__name__}"
            )
        shape = dataset.element_spec.shape
        target = self.networks.target_resolution
        if shape.rank != 3 or shape[0] != target or shape[1] != target or shape[2] != self.networks.channels:
            raise ValueError(
                "`dataset_fn` must yield unbatched images of shape "
                f"({target}, {target}, {self.networks.channels}) in [-1, 1]. "
                f"Received element shape: {shape}"
            )
        factor = target // resolution

        def to_resolution(images):  # a named function: AutoGraph cannot parse an inline lambda here
            return downsample(tf.cast(images, tf.float32), factor)

        return dataset.repeat().batch(batch_size, drop_remainder=True).map(to_resolution).prefetch(tf.data.AUTOTUNE)

    def train(
        self,
        dataset_fn: Callable[[], tf.data.Dataset | np.ndarray] | tf.data.Dataset | np.ndarray,
        images_per_phase: int | dict[int, int],
        batch_sizes: int | dict[int, int] = 16,
        resume: bool = True,
        max_phases: int | None = None,
        callbacks: Iterable[keras.callbacks.Callback] | None = None,
        verbose: int | str = 0,
    ) -> dict[str, Any]:
        """Runs the remaining phases (all, or up to `max_phases` of them).

        Args:
            dataset_fn: Callable returning an unbatched `tf.data.Dataset` of
                full-resolution images in [-1, 1] (a dataset or a NumPy array
                is accepted too). Each stage average-pools them down; a
                fade-in stage then blends them by alpha (`blend_reals`).
            images_per_phase: Images shown per phase (paper: 800k), an
                integer or a dict per resolution.
            batch_sizes: Batch size, an integer or a dict per resolution.
                Defaults to `16`.
            resume: Continue after the phases recorded in `directory`.
                Defaults to `True`.
            max_phases: Stop after this many phases in this call (e.g. to
                split a run). Defaults to `None`: all.
            callbacks: Extra Keras callbacks for every phase. Defaults to
                `None`.
            verbose: `fit` verbosity. Defaults to `0`.

        Returns:
            The state dict after the last phase run.
        """
        resolutions = self.networks.resolutions
        images = _per_resolution("images_per_phase", images_per_phase, resolutions)
        batches = _per_resolution("batch_sizes", batch_sizes, resolutions)
        state = self.load_state() if resume else None
        if state is not None:
            self.networks.load_weights(self.weights_path)
        else:
            state = {"phase_index": 0, "resolution": BASE_RESOLUTION, "alpha": 0.0, "images_seen": 0, "completed": []}
        phases = self.phases
        run = 0
        while state["phase_index"] < len(phases):
            if max_phases is not None and run >= max_phases:
                break
            resolution, kind = phases[state["phase_index"]]
            batch_size = batches[resolution]
            steps = max(1, math.ceil(images[resolution] / batch_size))
            fade = kind == FADE
            generator = self.networks.generator(resolution, alpha=0.0, fade_in=fade)
            discriminator = self.networks.discriminator(resolution, alpha=0.0, fade_in=fade)
            stage = ProgressiveStage(
                generator,
                discriminator,
                self.networks.latent_dim,
                self.gradient_penalty_weight,
                self.drift_weight,
                blend_reals=self.blend_reals,
            )
            # Optimizer state is reset per phase, as in the reference code.
            stage.compile(d_optimizer=progan_adam(self.learning_rate), g_optimizer=progan_adam(self.learning_rate))
            phase_callbacks = list(callbacks or [])
            scheduler = None
            if fade:
                scheduler = FadeInScheduler([generator, discriminator], steps * batch_size, batch_size)
                phase_callbacks.append(scheduler)
            if self.num_samples > 0:
                phase_callbacks.append(
                    ProgressiveSampleGrid(
                        generator, self.sample_latents[: self.num_samples], self.directory, resolution, kind
                    )
                )
            fit = stage.fit(
                self._dataset(dataset_fn, resolution, batch_size),
                epochs=1,
                steps_per_epoch=steps,
                callbacks=phase_callbacks,
                verbose=verbose,
                shuffle=False,
            )
            self.stage = stage
            self.history.append(
                {
                    "resolution": resolution,
                    "phase": kind,
                    "alphas": scheduler.history if scheduler else [],
                    "logs": {k: v[-1] for k, v in fit.history.items()},
                }
            )
            state = {
                "phase_index": state["phase_index"] + 1,
                "resolution": resolution,
                "alpha": 1.0,
                "images_seen": state["images_seen"] + steps * batch_size,
                "completed": state["completed"] + [[resolution, kind]],
            }
            state = self._save_state(state)
            run += 1
        return state

    def generator(self, resolution: int | None = None) -> keras.Model:
        """The stabilized generator at `resolution` (default: the last trained)."""
        state = self.load_state()
        if resolution is None:
            resolution = state["resolution"] if state else BASE_RESOLUTION
        return self.networks.generator(resolution, fade_in=False)
