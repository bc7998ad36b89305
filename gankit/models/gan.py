"""`GAN`: the Keras model that trains a generator and a discriminator with `fit()`.

One `train_step` holds every trick of the sources as an option, so a tutorial's
training loop becomes a `compile(...)` call:

| source | option |
|---|---|
| all | `loss=` any family of `gankit.losses`, Adam 2e-4 / beta_1 0.5 defaults |
| 001, 004 ch5 | `d_steps` (n_critic), `g_steps` (001: 5 G steps per D step) |
| 004 ch5 | `gradient_penalty_weight` (WGAN-GP), `clip_value` (WGAN) |
| 000, 001 | `label_smoothing` (one-sided value or ranges), `label_flip_rate` |
| 000, 004 ch5 | `instance_noise` (constant or annealed) |
| 000 | `replay_pool_size` / `replay_fraction` (experience replay) |
| 003 | `unrolled_steps` (unrolled GAN) |
| 001 | `latent_distribution="uniform"` |
| 000 | learning-rate schedules (cosine decay) through the optimizers |

The model lives in `gankit.models` (not `gankit.training`) because the
`build_*` functions return it and imports go one way, `models -> training`;
`gankit.training` re-exports it beside the callbacks.
"""

from __future__ import annotations

import inspect
import math
import random
import warnings
from collections.abc import Callable
from collections.abc import Sequence
from typing import Any

import keras
import numpy as np
import tensorflow as tf
from numpy.typing import ArrayLike

from gankit import losses as gan_losses
from gankit._checks import check_int
from gankit._checks import check_number

LATENT_DISTRIBUTIONS = ("normal", "uniform")
"""Accepted values of `GAN(latent_distribution=...)`."""

# Tracked metric names (seed 002's report: losses and D accuracy on real/fake).
D_LOSS = "d_loss"
G_LOSS = "g_loss"
D_REAL_ACCURACY = "d_real_accuracy"
D_FAKE_ACCURACY = "d_fake_accuracy"


def _check_label_smoothing(value):
    """None, a one-sided amount in [0, 1), or ((real_lo, real_hi), (fake_lo, fake_hi))."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return check_number(value, name="label_smoothing", minimum=0.0, maximum=1.0)
    try:
        real_range, fake_range = value
        ranges = tuple(tuple(float(v) for v in r) for r in (real_range, fake_range))
        if any(len(r) != 2 for r in ranges):
            raise ValueError
    except (TypeError, ValueError):
        raise ValueError(
            "`label_smoothing` must be None, a one-sided amount such as 0.1 "
            "(real targets become 0.9), or two ranges "
            "((real_low, real_high), (fake_low, fake_high)) such as "
            f"((0.7, 1.0), (0.0, 0.3)). Received: label_smoothing={value!r}"
        ) from None
    if not all(math.isfinite(v) for r in ranges for v in r):
        raise ValueError(
            "`label_smoothing` must hold finite numbers: NaN or infinite targets make every loss NaN. "
            f"Received: label_smoothing={value!r}"
        )
    return ranges


def _serialize(obj):
    return None if obj is None else keras.saving.serialize_keras_object(obj)


def check_real_batch(images, expected_shape, owner="GAN", what="images"):
    """Checks a batch of real images against a discriminator's input shape.

    Runs when `train_step` is traced, on the static shape and dtype, so a
    dataset of the wrong rank, size, channel count or dtype gets one clear
    message instead of an error deep inside a convolution.

    Args:
        images: The batch, a tensor.
        expected_shape: The discriminator's input shape without the batch
            axis, e.g. `(28, 28, 1)`; `None` entries accept any size.
        owner: The model's name for the message. Defaults to `"GAN"`.
        what: What the batch holds, for the message. Defaults to `"images"`.

    Raises:
        TypeError: If the images are not floating point.
        ValueError: If the rank or a known dimension differs.
    """
    expected = tuple(expected_shape)
    wanted = "(batch, " + ", ".join("any" if d is None else str(d) for d in expected) + ")"
    if not images.dtype.is_floating:
        raise TypeError(
            f"{owner}.fit() needs floating-point {what} scaled like the generator's output "
            f"(e.g. [-1, 1] for a tanh generator). Received: a batch of dtype {images.dtype.name}. "
            "Convert it, e.g. `tf.cast(x, tf.float32) / 127.5 - 1.0`, or use a data_loaders pipeline."
        )
    if images.shape.rank is None:
        return
    shape = tuple(images.shape)
    mismatch = len(shape) != len(expected) + 1 or any(
        e is not None and s is not None and e != s for e, s in zip(expected, shape[1:])
    )
    if mismatch:
        raise ValueError(
            f"{owner}.fit() needs batches of {what} of shape {wanted}, the discriminator's input "
            f"shape (height, width, channels). Received: a batch of shape {shape}. "
            "Resize or convert the images (e.g. data_loaders' `image_size=`), or build the model "
            "for this shape."
        )


def check_dataset_not_empty(x, owner="GAN"):
    """Raises `ValueError` if `x` is a `tf.data.Dataset` known to yield no batch."""
    if isinstance(x, tf.data.Dataset) and int(x.cardinality()) == 0:
        raise ValueError(
            f"{owner}.fit() received a dataset that yields no batch (cardinality 0). Check that "
            "it holds images and, when batched with `drop_remainder=True`, at least one full "
            f"batch. Received: x={x!r}"
        )


# Position of `shuffle` among `keras.Model.fit`'s arguments after `x`.
_FIT_SHUFFLE_POSITION = 7


def fit_defaults(x, args, kwargs):
    """`fit()` keyword arguments with `shuffle=False` by default for a dataset.

    Keras ignores `shuffle` for a `tf.data.Dataset` but warns on every call
    that leaves its default `True`; the data_loaders shuffle in the pipeline.
    An explicit `shuffle` (keyword or positional) is passed on unchanged.
    """
    if isinstance(x, tf.data.Dataset) and len(args) <= _FIT_SHUFFLE_POSITION:
        kwargs = {"shuffle": False, **kwargs}
    return kwargs


# Output ranges of the generators' last activations; images beyond them by more
# than the margin (half the range) are taken for another scale, e.g. [0, 255].
_OUTPUT_RANGES = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}
_RANGE_MARGIN = 0.5


def _output_range(generator):
    activation = getattr(generator.layers[-1], "activation", None) if generator.layers else None
    return _OUTPUT_RANGES.get(getattr(activation, "__name__", None))


def _first_images(x):
    if isinstance(x, tf.data.Dataset):
        for element in x.take(1):
            return element[0] if isinstance(element, (tuple, list)) else element
        return None
    if isinstance(x, (tuple, list)) and x:
        x = x[0]
    if isinstance(x, np.ndarray) or tf.is_tensor(x):
        return x[:256]
    return None


def warn_if_outside_output_range(x, generator, owner="GAN"):
    """One `UserWarning` when the first real batch lies far outside the generator's range.

    The discriminator can then tell real from fake by the range alone and
    training goes nowhere silently (d_loss ~50 on [0, 255] images). Only
    generators ending in `tanh` or `sigmoid` have a known range.
    """
    expected = _output_range(generator)
    if expected is None:
        return
    images = _first_images(x)
    if images is None:
        return
    images = np.asarray(images)
    if images.size == 0 or not np.issubdtype(images.dtype, np.floating):
        return  # Integer images are refused by the batch check with their own message.
    low, high = float(np.min(images)), float(np.max(images))
    margin = _RANGE_MARGIN * (expected[1] - expected[0])
    if low < expected[0] - margin or high > expected[1] + margin:
        warnings.warn(
            f"{owner}.fit() received real images in [{low:.4g}, {high:.4g}], but the generator outputs "
            f"[{expected[0]:g}, {expected[1]:g}]: the discriminator can tell them apart by range alone. Scale the "
            f"images to [{expected[0]:g}, {expected[1]:g}] (the data_loaders do).",
            UserWarning,
            stacklevel=3,
        )


class DatasetFitDefaults:
    """Mixin for the GAN families' `keras.Model`s: `fit()` with `fit_defaults`."""

    def fit(self, x=None, *args, **kwargs):
        return super().fit(x, *args, **fit_defaults(x, args, kwargs))


def _check_optimizers(**optimizers):
    """Each argument must be a Keras optimizer, and no object may serve two updates.

    One optimizer's slots (Adam's moments) belong to one set of variables, so
    the networks of a GAN need distinct optimizer objects.

    Raises:
        TypeError: If an argument is not a `keras.optimizers.Optimizer`.
        ValueError: If one object is given twice.
    """
    for name, optimizer in optimizers.items():
        if not isinstance(optimizer, keras.optimizers.Optimizer):
            raise TypeError(f"`{name}` must be a keras optimizer. Received: {name}={optimizer!r}")
    if len({id(optimizer) for optimizer in optimizers.values()}) != len(optimizers):
        names = [f"`{name}`" for name in optimizers]
        raise ValueError(
            f"{', '.join(names[:-1])} and {names[-1]} must be {'two' if len(names) == 2 else 'distinct'} "
            "optimizer objects: one optimizer's state cannot serve two updates."
        )


def _loss_scaled(model, optimizers):
    """Wraps each optimizer in its own `LossScaleOptimizer` under mixed_float16.

    One loss-scale optimizer per update keeps the loss scales of the two
    networks independent; optimizers already wrapped are kept as they are.
    """
    if model.dtype_policy.name == "mixed_float16" or keras.config.dtype_policy().name == "mixed_float16":
        return [
            o if isinstance(o, keras.optimizers.LossScaleOptimizer) else keras.optimizers.LossScaleOptimizer(o)
            for o in optimizers
        ]
    return list(optimizers)


def _build_optimizers(pairs):
    """Creates the variables of each `(optimizer, variables)` pair not yet built.

    Called from `compile`, inside the caller's `strategy.scope()`: created
    lazily inside a distributed train step, Adam's slots fail ("You must feed
    a value for placeholder tensor"), and a traced step that was refused (bad
    input) must not be the one that creates them.
    """
    for optimizer, variables in pairs:
        if not optimizer.built:
            optimizer.build(variables)


def _metric_logs(metrics):
    """`{name: result}` of `metrics`, the logs a `train_step` returns.

    Keras 3's `fit` under `tf.distribute.MultiWorkerMirroredStrategy` reduces
    every log with `strategy.reduce("MEAN", value, axis=0)`, which fails on
    the scalar result of a metric ("Invalid reduction dimension 0 for input
    with 0 dimensions", tensorflow/tensorflow#72388). In multi-worker mode
    (Keras' own test for that reduction) each result gets a leading axis of
    size 1, which the reduction removes again; everywhere else the results
    stay scalars.
    """
    strategy = tf.distribute.get_strategy()
    multi_worker = isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy) and bool(
        strategy.extended._in_multi_worker_mode()
    )
    if multi_worker:
        return {m.name: tf.reshape(m.result(), [1]) for m in metrics}
    return {m.name: m.result() for m in metrics}


def _symbolic_build_without_data(model):
    """Does Keras' pre-`fit` symbolic build when it needs no data; True if done.

    Under `tf.distribute` Keras 3 (TensorFlow backend) takes the first batch
    and calls `strategy.reduce` on the whole `(x, y)` structure, which fails
    under `MultiWorkerMirroredStrategy` ("Attempt to convert a value
    (PerReplica...) to a Tensor"). The batch is only needed to build unbuilt
    layers or compiled losses/metrics; the gankit models arrive built and
    track their own losses, so all that is left is `model.optimizer` (the
    unused one `keras.Model.compile` creates), built here in the scope.
    """
    if getattr(model, "_distribute_strategy", None) is None:
        return True  # Keras builds nothing here without a strategy either
    if (
        not model.built
        or getattr(model, "_compile_loss", None) is not None
        or getattr(model, "_compile_metrics", None) is not None
    ):
        return False
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and not optimizer.built:
        with model.distribute_strategy.scope():
            optimizer.build(model.trainable_variables)
    return True


@keras.saving.register_keras_serializable(package="gankit")
class GAN(keras.Model):
    """A generator and a discriminator trained together with `fit()`.

    `fit()` runs `train_step` on batches of real images (or `(images, labels)`
    pairs; labels are ignored): `d_steps` discriminator updates, then
    `g_steps` generator updates, all inside the compiled training function,
    so Keras brings progress bars, callbacks, checkpoints and
    `tf.distribute` for free (for TensorBoard scalars without the
    `tensorboard` package, which TensorFlow 2.21 no longer installs, use
    `gankit.training.TensorBoardScalars`). Images are expected in [-1, 1] (a `tanh`
    generator); the discriminator must return logits.

    The tracked metrics are `d_loss`, `g_loss`, `d_real_accuracy` and
    `d_fake_accuracy` (fraction of real images with a positive logit and of
    fakes with a negative one), reset every epoch.

    The latents and replay picks of `train_step` are drawn from `rng_state`,
    a weight saved with the model, so a run resumed from a checkpoint
    (`gankit.training.TrainingBackup`) draws what an uninterrupted
    run would; `keras.utils.set_random_seed` before building seeds it.

    Args:
        generator: A Keras model mapping latents `(batch, latent_dim)` to
            images in [-1, 1].
        discriminator: A Keras model mapping images to logits `(batch, 1)`
            (any shape with the batch first, e.g. a PatchGAN map).
        latent_dim: Size of the latent vector. Defaults to `None`: read from
            the generator's input shape.
        latent_distribution: `"normal"` (N(0, 1)) or `"uniform"` (U[-1, 1],
            as in the TF-slim DCGAN). Defaults to `"normal"`.
        ema_decay: When set (e.g. `0.999`), keep `ema_generator`, an
            exponential moving average of the generator's weights updated
            after every generator step, and use it in `generate()`
            (Karras et al. 2018; Yazici et al. 2019). Defaults to `None`.
        **kwargs: Base `keras.Model` arguments (`name`, ...).

    Raises:
        TypeError: If `generator` or `discriminator` is not a Keras model, or
            an argument has the wrong type.
        ValueError: If `latent_distribution` is unknown, `ema_decay` is not in
            [0, 1) (NaN included), or `latent_dim` disagrees with the generator.

    Example:

        >>> from gankit.models import build_dcgan_generator, build_dcgan_discriminator
        >>> gan = GAN(build_dcgan_generator(preset="mlm_mnist"),
        ...           build_dcgan_discriminator(preset="mlm_mnist"))
        >>> gan.compile()  # Adam(2e-4, beta_1=0.5) for both, non-saturating loss
        >>> history = gan.fit(dataset, epochs=5)  # doctest: +SKIP
        >>> gan.generate(16, seed=0).shape
        (16, 28, 28, 1)
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int | None = None,
        latent_distribution: str = "normal",
        ema_decay: float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        for name, model in (("generator", generator), ("discriminator", discriminator)):
            if not isinstance(model, keras.Model):
                raise TypeError(f"`{name}` must be a keras.Model. Received: {name}={model!r}")
        input_dim = generator.input_shape[-1] if generator.inputs else None
        if latent_dim is None:
            if input_dim is None:
                raise ValueError(
                    "Cannot read `latent_dim` from a generator without a known "
                    "input shape; pass latent_dim=... or build the generator "
                    "with keras.Input."
                )
            latent_dim = int(input_dim)
        latent_dim = check_int(latent_dim, name="latent_dim", minimum=1)
        if input_dim is not None and input_dim != latent_dim:
            raise ValueError(
                f"`latent_dim` must match the generator's input size {input_dim}. Received: latent_dim={latent_dim}"
            )
        if latent_distribution not in LATENT_DISTRIBUTIONS:
            raise ValueError(
                f"`latent_distribution` must be one of {LATENT_DISTRIBUTIONS}. "
                f"Received: latent_distribution={latent_distribution!r}"
            )
        if ema_decay is not None:
            ema_decay = check_number(ema_decay, name="ema_decay", minimum=0.0, maximum=1.0)
            if ema_decay == 1.0:
                raise ValueError(
                    "`ema_decay` must be in [0, 1): 1 would never update the average. Received: ema_decay=1.0"
                )
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = latent_dim
        self.latent_distribution = latent_distribution
        self.ema_decay = ema_decay
        self.ema_generator = None
        if ema_decay is not None:
            self.ema_generator = keras.models.clone_model(generator)
            self.ema_generator.set_weights(generator.get_weights())
        self.image_shape = tuple(int(d) for d in generator.output_shape[1:])

        self.d_loss_tracker = keras.metrics.Mean(name=D_LOSS)
        self.g_loss_tracker = keras.metrics.Mean(name=G_LOSS)
        self.d_real_accuracy_tracker = keras.metrics.Mean(name=D_REAL_ACCURACY)
        self.d_fake_accuracy_tracker = keras.metrics.Mean(name=D_FAKE_ACCURACY)
        # Counts train steps (for instance-noise annealing); saved with the
        # weights, so a resumed run continues its schedules.
        self.step_counter = self.add_weight(
            name="step_counter",
            shape=(),
            dtype="int64",
            initializer="zeros",
            trainable=False,
            aggregation="only_first_replica",
        )
        self._create_rng_state()
        self._training_options = None
        self.replay_pool = None
        # Both networks arrive built; marking the GAN built keeps Keras from
        # calling it on a batch of images to build it (its input is latents).
        self.built = True

    def _create_rng_state(self):
        """Creates `rng_state`, the checkpointed state of the training draws.

        Latents and replay-pool picks inside `train_step` come from stateless
        random ops seeded by this `(seed, counter)` variable, which advances
        on every draw. Being a weight, it is saved by `save_weights`,
        `.keras` files and `gankit.training.TrainingBackup`, so a resumed run
        draws the same numbers as an uninterrupted one (TensorFlow's stateful
        `tf.random` ops keep their state inside the kernels, out of reach of
        any checkpoint). The seed comes from Python's `random` module, as
        Keras' own default seeds do, so `keras.utils.set_random_seed` before
        building makes training reproducible.
        """
        # Keras' `make_default_seed` range.
        seed = random.randint(1, int(1e9))
        self.rng_state = self.add_weight(
            name="rng_state",
            shape=(2,),
            dtype="int64",
            initializer="zeros",
            trainable=False,
            aggregation="only_first_replica",
        )
        self.rng_state.assign(np.array([seed, 0], "int64"))

    def _next_seed(self):
        """A seed for one stateless random op; advances `rng_state`.

        Under `tf.distribute` every replica folds in its replica id, so the
        replicas draw different latents from the same (mirrored) state.
        """
        seed = tf.convert_to_tensor(self.rng_state)
        self.rng_state.assign_add(tf.constant([0, 1], tf.int64))
        context = tf.distribute.get_replica_context()
        if context is not None and context.num_replicas_in_sync > 1:
            seed = tf.random.experimental.stateless_fold_in(seed, context.replica_id_in_sync_group)
        return seed

    # -- the public generation API -------------------------------------------

    def sample_latents(self, n: int, seed: int | None = None) -> np.ndarray:
        """Draws `n` latent vectors from the model's latent distribution.

        Args:
            n: Number of vectors, a positive integer.
            seed: Integer seed for a reproducible draw, or `None`.
                Defaults to `None`.

        Returns:
            A float32 NumPy array `(n, latent_dim)`.
        """
        n = check_int(n, name="n", minimum=1)
        rng = np.random.default_rng(seed)
        if self.latent_distribution == "uniform":
            latents = rng.uniform(-1.0, 1.0, size=(n, self.latent_dim))
        else:
            latents = rng.standard_normal((n, self.latent_dim))
        return latents.astype("float32")

    def generate(
        self,
        n: int | None = None,
        *,
        seed: int | None = None,
        latents: ArrayLike | None = None,
        batch_size: int = 256,
        use_ema: bool = True,
    ) -> np.ndarray:
        """Generates images in [0, 1], in batches.

        Args:
            n: Number of images; required unless `latents` is given.
                Defaults to `None`.
            seed: Seed of the latent draw (ignored with `latents`).
                Defaults to `None`.
            latents: Explicit latent vectors `(n, latent_dim)`, e.g. a chosen
                point of seed 002. Defaults to `None`.
            batch_size: Images per generator call. Defaults to `256`.
            use_ema: Use `ema_generator` when the model keeps one.
                Defaults to `True`.

        Returns:
            A float32 NumPy array `(n, height, width, channels)` in [0, 1].

        Raises:
            ValueError: If neither or both of `n` and `latents` are given, or
                `latents` has the wrong shape.
        """
        if (n is None) == (latents is None):
            raise ValueError(
                "Pass exactly one of `n` and `latents`. "
                f"Received: n={n!r}, latents={'None' if latents is None else 'array'}"
            )
        if latents is None:
            latents = self.sample_latents(n, seed)
        latents = np.asarray(latents, "float32")
        if latents.ndim != 2 or latents.shape[1] != self.latent_dim:
            raise ValueError(
                f"`latents` must have shape (n, {self.latent_dim}). Received: latents.shape={latents.shape}"
            )
        batch_size = check_int(batch_size, name="batch_size", minimum=1)
        generator = self.ema_generator if (use_ema and self.ema_generator is not None) else self.generator
        outputs = []
        for start in range(0, len(latents), batch_size):
            images = generator(latents[start : start + batch_size], training=False)
            outputs.append(keras.ops.convert_to_numpy(keras.ops.cast(images, "float32")))
        images = np.concatenate(outputs) if outputs else np.zeros((0,) + self.image_shape, "float32")
        return np.clip((images + 1.0) / 2.0, 0.0, 1.0)

    def call(self, latents, training=False):
        """Maps latents to images in [-1, 1] with the generator."""
        return self.generator(latents, training=training)

    # -- compile ---------------------------------------------------------------

    def compile(
        self,
        d_optimizer: keras.optimizers.Optimizer | None = None,
        g_optimizer: keras.optimizers.Optimizer | None = None,
        loss: str
        | tuple[Callable[..., tf.Tensor], Callable[..., tf.Tensor]]
        | list[Callable[..., tf.Tensor]] = "non_saturating",
        *,
        d_steps: int = 1,
        g_steps: int = 1,
        gradient_penalty_weight: float = 0.0,
        clip_value: float | None = None,
        label_smoothing: float | Sequence[Sequence[float]] | None = None,
        label_flip_rate: float = 0.0,
        instance_noise: float | Callable[[keras.Variable], float | tf.Tensor] | None = None,
        replay_pool_size: int = 0,
        replay_fraction: float = 0.5,
        unrolled_steps: int = 0,
        unrolled_learning_rate: float | None = None,
        **kwargs: Any,
    ) -> None:
        """Configures the optimizers, the loss family and the training tricks.

        Args:
            d_optimizer: Discriminator optimizer. Defaults to `None`:
                `Adam(2e-4, beta_1=0.5)`, the DCGAN paper's setting used by
                every source. Pass one with a schedule for learning-rate decay
                (`keras.optimizers.schedules.CosineDecay`, source 000).
            g_optimizer: Generator optimizer. Defaults to `None`: as above.
            loss: A family name from `gankit.losses.LOSS_FAMILIES` or a
                `(generator_loss, discriminator_loss)` pair following the
                `fn(real_logits, fake_logits)` contract.
                Defaults to `"non_saturating"`.
            d_steps: Discriminator updates per train step (n_critic; WGAN uses
                5). Each uses the same real batch and fresh latents.
                Defaults to `1`.
            g_steps: Generator updates per train step (source 001 uses 5).
                Defaults to `1`.
            gradient_penalty_weight: Weight of the WGAN-GP penalty added to
                the discriminator loss (10 in the paper); 0 disables it.
                Defaults to `0.0`.
            clip_value: Clip every discriminator weight to
                `[-clip_value, clip_value]` after each update (WGAN, 0.01).
                Defaults to `None`.
            label_smoothing: `None`; a one-sided amount `s` (real targets
                become `1 - s`, source 001 and Salimans et al.); or two ranges
                `((0.7, 1.0), (0.0, 0.3))` from which real and fake targets
                are drawn (source 000). Needs a family with targets
                (minimax, non_saturating, least_squares, ra_sgan).
                Defaults to `None`.
            label_flip_rate: Fraction of discriminator targets flipped at
                random (source 000 uses 0.05). Defaults to `0.0`.
            instance_noise: Standard deviation of Gaussian noise added to
                real and fake images before the discriminator: a number, or a
                `gankit.losses.InstanceNoiseSchedule` evaluated at the train
                step (annealing). Defaults to `None`.
            replay_pool_size: Capacity of the experience-replay pool of past
                fakes; 0 disables replay. Defaults to `0`.
            replay_fraction: Fraction of each fake batch the discriminator
                sees replaced by images drawn from the pool (once the pool
                holds images). Defaults to `0.5`.
            unrolled_steps: Number of discriminator SGD steps unrolled inside
                the generator update (Metz et al. 2017); the generator's
                gradient flows through the unrolled updates. 0 disables it.
                Defaults to `0`.
            unrolled_learning_rate: SGD step size of the unrolled updates.
                Defaults to `None`: the discriminator optimizer's initial
                learning rate.
            **kwargs: Other `keras.Model.compile` arguments (`jit_compile`,
                `steps_per_execution`, ...).

        Raises:
            ValueError: For out-of-range values (NaN and infinity
                included), an unknown loss family, label tricks with a
                family that has no targets, or one optimizer object given
                for both networks.
            TypeError: For arguments of the wrong type (an optimizer that is
                not a `keras.optimizers.Optimizer` included).
        """
        generator_loss, discriminator_loss = gan_losses.get(loss)
        options = {
            "loss": loss,
            "d_steps": check_int(d_steps, name="d_steps", minimum=1),
            "g_steps": check_int(g_steps, name="g_steps", minimum=1),
            "gradient_penalty_weight": check_number(
                gradient_penalty_weight, name="gradient_penalty_weight", minimum=0.0
            ),
            "clip_value": check_number(clip_value, name="clip_value", minimum=0.0, allow_none=True),
            "label_smoothing": _check_label_smoothing(label_smoothing),
            "label_flip_rate": check_number(label_flip_rate, name="label_flip_rate", minimum=0.0, maximum=1.0),
            "instance_noise": instance_noise,
            "replay_pool_size": check_int(replay_pool_size, name="replay_pool_size", minimum=0),
            "replay_fraction": check_number(replay_fraction, name="replay_fraction", minimum=0.0, maximum=1.0),
            "unrolled_steps": check_int(unrolled_steps, name="unrolled_steps", minimum=0),
            "unrolled_learning_rate": check_number(
                unrolled_learning_rate, name="unrolled_learning_rate", minimum=0.0, allow_none=True
            ),
        }
        if options["clip_value"] == 0.0:
            raise ValueError("`clip_value` must be positive or None. Received: clip_value=0")
        if instance_noise is not None and not callable(instance_noise):
            check_number(instance_noise, name="instance_noise", minimum=0.0)
        uses_labels = options["label_smoothing"] is not None or options["label_flip_rate"] > 0
        if uses_labels and "real_label" not in inspect.signature(discriminator_loss).parameters:
            raise ValueError(
                "Label smoothing and flipping need a loss family with targets "
                "(minimax, non_saturating, least_squares, ra_sgan). "
                f"Received: loss={loss!r}"
            )
        if d_optimizer is None:
            d_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)
        if g_optimizer is None:
            g_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)
        _check_optimizers(d_optimizer=d_optimizer, g_optimizer=g_optimizer)
        if options["unrolled_steps"] and options["unrolled_learning_rate"] is None:
            # The current value (a schedule is evaluated at the current step).
            options["unrolled_learning_rate"] = float(keras.ops.convert_to_numpy(d_optimizer.learning_rate))
        d_optimizer, g_optimizer = _loss_scaled(self, (d_optimizer, g_optimizer))
        kwargs.setdefault("jit_compile", False)
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        _build_optimizers(
            ((d_optimizer, self.discriminator.trainable_variables), (g_optimizer, self.generator.trainable_variables))
        )
        self.generator_loss_fn = generator_loss
        self.discriminator_loss_fn = discriminator_loss
        self._training_options = options
        # Standard generator losses never read `real_logits`; skip the
        # discriminator's pass over the real batch in the generator step.
        self._generator_reads_real = not (isinstance(loss, str) and not loss.startswith("ra_"))
        if self.replay_pool is not None and self.replay_pool.shape[0] != options["replay_pool_size"]:
            raise ValueError(
                "This GAN was compiled before with a replay pool of "
                f"{self.replay_pool.shape[0]} images; recompiling cannot resize it. "
                f"Received: replay_pool_size={options['replay_pool_size']}"
            )
        if options["replay_pool_size"] and self.replay_pool is None:
            self.replay_pool = self.add_weight(
                name="replay_pool",
                shape=(options["replay_pool_size"],) + self.image_shape,
                initializer="zeros",
                trainable=False,
                aggregation="only_first_replica",
            )
            self.replay_count = self.add_weight(
                name="replay_count",
                shape=(),
                dtype="int64",
                initializer="zeros",
                trainable=False,
                aggregation="only_first_replica",
            )

    @property
    def training_options(self) -> dict[str, Any] | None:
        """The options given to `compile` (a copy), or `None` before it."""
        return None if self._training_options is None else dict(self._training_options)

    @property
    def metrics(self):
        return [
            self.d_loss_tracker,
            self.g_loss_tracker,
            self.d_real_accuracy_tracker,
            self.d_fake_accuracy_tracker,
        ]

    # -- the training step ------------------------------------------------------

    def _sample_latents_tensor(self, batch_size):
        shape = tf.stack([batch_size, self.latent_dim])
        if getattr(self, "rng_state", None) is None:
            # A subclass that sets up its state without `GAN.__init__` (and
            # so without `_create_rng_state`): TensorFlow's unsaved stateful
            # draws.
            if self.latent_distribution == "uniform":
                return tf.random.uniform(shape, -1.0, 1.0)
            return tf.random.normal(shape)
        seed = self._next_seed()
        if self.latent_distribution == "uniform":
            return tf.random.stateless_uniform(shape, seed, -1.0, 1.0)
        return tf.random.stateless_normal(shape, seed)

    def _targets(self, logits, positive):
        """Discriminator targets with smoothing/flipping, shaped like the logits."""
        options = self._training_options
        labels = tf.ones_like(logits, tf.float32) if positive else tf.zeros_like(logits, tf.float32)
        if options["label_flip_rate"] > 0:
            labels = gan_losses.flip_labels(labels, rate=options["label_flip_rate"])
        smoothing = options["label_smoothing"]
        if isinstance(smoothing, tuple):
            labels = gan_losses.smooth_labels_to_range(labels, real_range=smoothing[0], fake_range=smoothing[1])
        elif smoothing:
            labels = gan_losses.smooth_positive_labels(labels, smoothing=smoothing)
        return labels

    def _instance_noise(self, images):
        noise = self._training_options["instance_noise"]
        if noise is None:
            return images
        stddev = noise(self.step_counter) if callable(noise) else noise
        return gan_losses.add_instance_noise(images, stddev)

    def _replay(self, fakes):
        """Mixes pool images into the fake batch, then stores the new fakes."""
        options = self._training_options
        batch = tf.shape(fakes)[0]
        capacity = options["replay_pool_size"]
        filled = tf.minimum(self.replay_count, capacity)
        fakes32 = tf.cast(fakes, tf.float32)
        num_replayed = tf.cast(tf.round(options["replay_fraction"] * tf.cast(batch, tf.float32)), tf.int32)
        num_replayed = tf.where(filled > 0, num_replayed, 0)
        indices = tf.random.stateless_uniform(
            [num_replayed], self._next_seed(), 0, tf.maximum(filled, 1), dtype=tf.int64
        )
        mixed = tf.concat([tf.gather(self.replay_pool, indices), fakes32[num_replayed:]], axis=0)
        positions = (self.replay_count + tf.range(tf.cast(batch, tf.int64))) % capacity
        self.replay_pool.assign(tf.tensor_scatter_nd_update(self.replay_pool, positions[:, None], fakes32))
        self.replay_count.assign_add(tf.cast(batch, tf.int64))
        return tf.cast(mixed, fakes.dtype)

    def _discriminator_loss(self, real_logits, fake_logits):
        options = self._training_options
        if options["label_smoothing"] is not None or options["label_flip_rate"] > 0:
            return self.discriminator_loss_fn(
                real_logits,
                fake_logits,
                real_label=self._targets(real_logits, positive=True),
                fake_label=self._targets(fake_logits, positive=False),
            )
        return self.discriminator_loss_fn(real_logits, fake_logits)

    @staticmethod
    def _scaled(optimizer, loss):
        """The loss to differentiate; call it inside the tape.

        Global-batch scaling under tf.distribute: each replica's loss is a
        mean over its share of the batch and gradients are summed across
        replicas, so divide by the replica count. Then loss scaling under
        mixed precision (a no-op for a plain optimizer; the loss-scale
        optimizer unscales the gradients in `apply_gradients`).
        """
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        if replicas > 1:
            loss = loss / replicas
        return optimizer.scale_loss(loss)

    @staticmethod
    def _apply(optimizer, tape, scaled_loss, variables):
        gradients = tape.gradient(scaled_loss, variables)
        optimizer.apply_gradients(zip(gradients, variables))

    def _discriminator_step(self, real_images, batch_size, fakes=None):
        options = self._training_options
        if fakes is None:
            fakes = self.generator(self._sample_latents_tensor(batch_size), training=True)
        if options["replay_pool_size"]:
            fakes = self._replay(fakes)
        real_inputs = self._instance_noise(real_images)
        fake_inputs = self._instance_noise(fakes)
        variables = self.discriminator.trainable_variables
        with tf.GradientTape() as tape:
            real_logits = self.discriminator(real_inputs, training=True)
            fake_logits = self.discriminator(fake_inputs, training=True)
            d_loss = self._discriminator_loss(real_logits, fake_logits)
            if options["gradient_penalty_weight"] > 0:
                d_loss += options["gradient_penalty_weight"] * gan_losses.gradient_penalty(
                    self.discriminator, real_images, fakes
                )
            scaled = self._scaled(self.d_optimizer, d_loss)
        self._apply(self.d_optimizer, tape, scaled, variables)
        if options["clip_value"]:
            gan_losses.clip_weights(variables, options["clip_value"])
        return d_loss, real_logits, fake_logits

    def _unrolled_discriminator(self, real_images, batch_size):
        """The discriminator after `unrolled_steps` SGD steps, as a function.

        The discriminator's weights are updated functionally
        (`stateless_call`), inside the generator's tape, so the generator's
        gradient includes the terms through the unrolled updates (Metz et
        al. 2017, Eq. 12); the real discriminator is not modified.
        """
        options = self._training_options
        d = self.discriminator
        trainable = [tf.convert_to_tensor(v) for v in d.trainable_variables]
        non_trainable = [tf.convert_to_tensor(v) for v in d.non_trainable_variables]
        for _ in range(options["unrolled_steps"]):
            with tf.GradientTape() as inner:
                inner.watch(trainable)
                fakes = self.generator(self._sample_latents_tensor(batch_size), training=True)
                real_logits, non_trainable = d.stateless_call(trainable, non_trainable, real_images, training=True)
                fake_logits, non_trainable = d.stateless_call(trainable, non_trainable, fakes, training=True)
                inner_loss = self._discriminator_loss(real_logits, fake_logits)
            gradients = inner.gradient(inner_loss, trainable)
            trainable = [
                w if g is None else w - options["unrolled_learning_rate"] * tf.cast(g, w.dtype)
                for w, g in zip(trainable, gradients)
            ]
        return lambda images: d.stateless_call(trainable, non_trainable, images, training=True)[0]

    def _generator_loss(self, real_images, batch_size, fakes):
        """The generator loss for `fakes`; runs inside the generator's tape."""
        options = self._training_options
        discriminator = lambda images: self.discriminator(images, training=True)  # noqa: E731
        if options["unrolled_steps"]:
            discriminator = self._unrolled_discriminator(real_images, batch_size)
        fake_logits = discriminator(self._instance_noise(fakes))
        if self._generator_reads_real:
            real_logits = discriminator(self._instance_noise(real_images))
        else:
            real_logits = fake_logits  # ignored by the standard families
        return self.generator_loss_fn(real_logits, fake_logits)

    def _generator_update(self, tape, g_loss_scaled):
        variables = self.generator.trainable_variables
        self._apply(self.g_optimizer, tape, g_loss_scaled, variables)
        if self.ema_generator is not None:
            decay = self.ema_decay
            for average, weight in zip(self.ema_generator.trainable_variables, variables):
                average.assign(decay * average + (1.0 - decay) * tf.cast(weight, average.dtype))
            for average, weight in zip(
                self.ema_generator.non_trainable_variables, self.generator.non_trainable_variables
            ):
                average.assign(weight)

    def _generator_step(self, real_images, batch_size):
        with tf.GradientTape() as tape:
            fakes = self.generator(self._sample_latents_tensor(batch_size), training=True)
            g_loss = self._generator_loss(real_images, batch_size, fakes)
            scaled = self._scaled(self.g_optimizer, g_loss)
        self._generator_update(tape, scaled)
        return g_loss

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        # See `_symbolic_build_without_data` (multi-worker `(images, labels)` batches).
        if not _symbolic_build_without_data(self):
            super()._maybe_symbolic_build(iterator=iterator, data_batch=data_batch)

    def fit(self, x=None, *args, **kwargs):
        """Keras' `fit()`, refusing input that would train nothing.

        A dataset known to be empty is refused before training; one whose
        size is unknown (e.g. after `filter`) is refused after the first epoch
        that ran no step. Real images far outside the generator's output
        range (e.g. pixels in [0, 255] for a `tanh` generator) give one
        `UserWarning` (the first batch is looked at). `shuffle` defaults to
        `False` for a `tf.data.Dataset`
        (Keras ignores it there and warns on its default `True`; shuffle in
        the pipeline, as the `data_loaders` do). See `keras.Model.fit` for the
        arguments.
        """
        check_dataset_not_empty(x, type(self).__name__)
        warn_if_outside_output_range(x, self.generator, type(self).__name__)
        kwargs = fit_defaults(x, args, kwargs)
        history = super().fit(x, *args, **kwargs)
        # Every training step logs the losses; epochs without any logs saw no batch.
        if history.epoch and not history.history:
            raise ValueError(
                f"{type(self).__name__}.fit() ran {len(history.epoch)} epoch(s) without a single "
                "training step: the data yielded no batch. Check that it holds images and, when "
                "batched with `drop_remainder=True`, at least one full batch."
            )
        return history

    def train_step(self, data):
        if self._training_options is None:
            raise RuntimeError("Call `compile()` on the GAN before `fit()`.")
        real_images = data[0] if isinstance(data, (tuple, list)) else data
        real_images = tf.convert_to_tensor(real_images)
        check_real_batch(real_images, self.discriminator.input_shape[1:], type(self).__name__)
        batch_size = tf.shape(real_images)[0]
        options = self._training_options
        for _ in range(options["d_steps"] - 1):
            self._discriminator_step(real_images, batch_size)
        # The last discriminator update and the first generator update share
        # one generator forward pass (as PyTorch's DCGAN reference does): it
        # is recorded on the generator's tape, the discriminator trains on it
        # with that tape paused, and the generator's loss is then taken
        # through the updated discriminator. This saves a generator forward
        # pass, the largest cost of a DCGAN step.
        with tf.GradientTape() as g_tape:
            fakes = self.generator(self._sample_latents_tensor(batch_size), training=True)
            with g_tape.stop_recording():
                d_loss, real_logits, fake_logits = self._discriminator_step(
                    real_images, batch_size, fakes=tf.stop_gradient(fakes)
                )
            g_loss = self._generator_loss(real_images, batch_size, fakes)
            scaled = self._scaled(self.g_optimizer, g_loss)
        self._generator_update(g_tape, scaled)
        for _ in range(options["g_steps"] - 1):
            g_loss = self._generator_step(real_images, batch_size)
        self.step_counter.assign_add(1)

        real_logits = tf.cast(real_logits, tf.float32)
        fake_logits = tf.cast(fake_logits, tf.float32)
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        self.d_real_accuracy_tracker.update_state(tf.reduce_mean(tf.cast(real_logits > 0, tf.float32)))
        self.d_fake_accuracy_tracker.update_state(tf.reduce_mean(tf.cast(fake_logits < 0, tf.float32)))
        return _metric_logs(self.metrics)

    # -- serialization ------------------------------------------------------------

    def get_config(self):
        return {
            **super().get_config(),
            "generator": _serialize(self.generator),
            "discriminator": _serialize(self.discriminator),
            "latent_dim": self.latent_dim,
            "latent_distribution": self.latent_distribution,
            "ema_decay": self.ema_decay,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        for key in ("generator", "discriminator"):
            config[key] = keras.saving.deserialize_keras_object(config[key], custom_objects=custom_objects)
        return cls(**config)

    def get_compile_config(self):
        if self._training_options is None:
            return None
        options = dict(self._training_options)
        if callable(options["instance_noise"]):
            options["instance_noise"] = _serialize(options["instance_noise"])
        if not isinstance(options["loss"], str):
            raise ValueError("A GAN compiled with custom loss functions cannot save its compile config.")
        return {
            **options,
            "d_optimizer": _serialize(self.d_optimizer),
            "g_optimizer": _serialize(self.g_optimizer),
        }

    def compile_from_config(self, config):
        config = dict(config)
        for key in ("d_optimizer", "g_optimizer", "instance_noise"):
            if isinstance(config.get(key), dict):
                config[key] = keras.saving.deserialize_keras_object(config[key])
        self.compile(**config)  # also creates the optimizer variables, so their saved state loads
