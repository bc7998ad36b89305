"""`GAN`: the Keras model that trains a generator and a discriminator with `fit()`.

One `train_step` holds every trick of the sources as an option, so a tutorial's
training loop becomes a `compile(...)` call:

| source | option |
|---|---|
| all | `loss=` any family of `gankit.losses`, Adam 2e-4 / beta_1 0.5 defaults |
| 001, 004 ch5 | `d_steps` (n_critic), `g_steps` (001: 5 G steps per D step) |
| 004 ch5 | `gradient_penalty_weight` (WGAN-GP), `clip_value` (WGAN) |
| 004 ch7-9 | `d_update="real_then_fake"` (a real step, then a fake step) |
| 000, 001 | `label_smoothing` (one-sided value or ranges), `label_flip_rate` |
| 000, 004 ch5 | `instance_noise` (constant or annealed) |
| 000 | `replay_pool_size` / `replay_fraction` (experience replay) |
| 003 | `unrolled_steps` (unrolled GAN) |
| 001 | `latent_distribution="uniform"` |
| 000 | learning-rate schedules (cosine decay) through the optimizers |

`GAN` is a family of the one training engine, `gankit.engine.AdversarialModel`
(update loop, optimizers, random state, logs): it declares how a batch
unpacks (images), how fakes are drawn (latents through the generator), how
the critic is called and its losses. `ConditionalGAN`, `SemiSupervisedGAN`
and `ProgressiveStage` extend it. The model lives in `gankit.models` because
the `build_*` functions return it; `gankit.training` re-exports it beside
the callbacks.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

import keras
import numpy as np
import tensorflow as tf
from numpy.typing import ArrayLike

from gankit import losses as gan_losses
from gankit._checks import check_choice
from gankit._checks import check_int
from gankit._checks import check_number
from gankit.engine import AdversarialModel
from gankit.engine import ImagePool
from gankit.engine import check_real_batch
from gankit.engine import generator_output_range
from gankit.engine import warn_if_outside_output_range

LATENT_DISTRIBUTIONS = ("normal", "uniform")
"""Accepted values of `GAN(latent_distribution=...)`."""

# The loss families whose discriminator loss is a term on the real batch plus
# a term on the fakes, each reading only its own logits: those
# `compile(d_update="real_then_fake")` can update one batch at a time.
TWO_STEP_FAMILIES = ("minimax", "non_saturating", "least_squares", "wasserstein", "hinge")

# Tracked metric names (seed 002's report: losses and D accuracy on real/fake).
D_LOSS = "d_loss"
G_LOSS = "g_loss"
D_REAL_ACCURACY = "d_real_accuracy"
D_FAKE_ACCURACY = "d_fake_accuracy"
D_REAL_LOSS = "d_real_loss"
D_FAKE_LOSS = "d_fake_loss"
# `discriminator_loss(term=...)`: the term on the real batch or on the fakes.
TERMS = ("real", "fake")


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


def book_compile_options(compile_kwargs: Mapping[str, Any] | None, roles: Sequence[str]) -> dict[str, Any]:
    """`compile_kwargs` completed with the book's settings where it leaves them unset.

    GANs in Action compiles each of its models with `Adam()`, Keras'
    defaults (1e-3, beta_1 0.9, beta_2 0.999): a fresh one for every role in
    `roles`. Its chapter 7 and 8 loops draw new latents for the composite
    model's generator update (`update_scheme="fresh"`), and train the
    discriminator with two `train_on_batch` calls, on the real batch and then
    on the fakes (`d_update="real_then_fake"`; `"joint"` where the other
    options need both batches in one loss: a gradient penalty, a relativistic
    family or the simultaneous scheme). `build_sgan` and `build_cgan` start
    from these.
    """
    kwargs = dict(compile_kwargs or {})
    kwargs.setdefault("update_scheme", "fresh")
    if "d_update" not in kwargs:
        two_step = (
            kwargs.get("loss", "non_saturating") in TWO_STEP_FAMILIES
            and not kwargs.get("gradient_penalty_weight")
            and kwargs["update_scheme"] != "simultaneous"
        )
        kwargs["d_update"] = "real_then_fake" if two_step else "joint"
    for role in roles:
        if kwargs.get(role) is None:
            kwargs[role] = keras.optimizers.Adam()
    return kwargs


#: `GAN.compile(unrolled_optimizer=...)`: whose steps the unrolled look-ahead takes.
UNROLLED_OPTIMIZERS = ("discriminator", "sgd")


def _check_unrollable(optimizer):
    """`unrolled_optimizer="discriminator"` unrolls Adam (no AMSGrad) or a plain SGD; refuses the rest."""
    inner = getattr(optimizer, "inner_optimizer", optimizer)
    extras = any(getattr(inner, name, None) for name in ("weight_decay", "clipnorm", "clipvalue", "global_clipnorm"))
    if isinstance(inner, keras.optimizers.Adam) and type(inner) is keras.optimizers.Adam and not inner.amsgrad:
        supported = not extras
    elif type(inner) is keras.optimizers.SGD:
        supported = not extras and not float(inner.momentum) and not inner.nesterov
    else:
        supported = False
    if not supported:
        raise ValueError(
            '`unrolled_optimizer="discriminator"` can unroll an Adam (without AMSGrad) or a plain SGD '
            "discriminator optimizer, without weight decay or clipping; pass "
            f'`unrolled_optimizer="sgd"` for plain SGD look-ahead steps. Received: d_optimizer={inner!r}'
        )


def _check_two_step_discriminator(options):
    """`d_update="real_then_fake"` needs a loss that splits per batch, and nothing that reads both batches."""
    loss = options["loss"]
    if loss not in TWO_STEP_FAMILIES:
        raise ValueError(
            '`d_update="real_then_fake"` needs a loss family whose terms on the real and on the fake batch '
            f"are apart: one of {', '.join(TWO_STEP_FAMILIES)}. Received: loss={loss!r}"
        )
    if options["gradient_penalty_weight"]:
        raise ValueError(
            '`d_update="real_then_fake"` cannot be combined with a gradient penalty, which needs the real and '
            f"the fake batch in one discriminator loss. Received: gradient_penalty_weight="
            f"{options['gradient_penalty_weight']!r}"
        )


def _safe_sqrt(x):
    """`sqrt(x)` whose gradient at 0 is 0, not infinite (Adam's second moment may be exactly 0)."""
    positive = x > 0
    return tf.where(positive, tf.sqrt(tf.where(positive, x, tf.ones_like(x))), tf.zeros_like(x))


@keras.saving.register_keras_serializable(package="gankit")
class GAN(AdversarialModel):
    """A generator and a discriminator trained together with `fit()`.

    `fit()` runs `train_step` on batches of real images (or `(images, labels)`
    pairs; labels are ignored): `d_steps` discriminator updates, then
    `g_steps` generator updates, all inside the compiled training function,
    so Keras brings progress bars, callbacks, checkpoints and
    `tf.distribute` for free (for TensorBoard scalars without the
    `tensorboard` package, which TensorFlow 2.21 no longer installs, use
    `gankit.training.TensorBoardScalars`). Images are expected in [-1, 1] (a `tanh`
    generator); the discriminator must return logits.

    The tracked metrics are `d_loss`, `g_loss`, `d_real_loss` and
    `d_fake_loss` (the discriminator loss's terms on real and on generated
    images, `gankit.losses.discriminator_loss_terms`; not for RSGAN or a
    custom pair), `d_real_accuracy` and
    `d_fake_accuracy` (fraction of real images with a positive logit and of
    fakes with a negative one), reset every epoch.

    Every draw of `train_step` (latents, replay picks, label smoothing and
    flipping, instance noise, gradient-penalty mixes) comes from
    `rng_state`, a weight saved with the model, so a run resumed from a
    checkpoint (`gankit.training.TrainingBackup`) draws what an
    uninterrupted run would; `keras.utils.set_random_seed` before building
    seeds it. The update loop is the engine's (`gankit.engine`).

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
            (Karras et al. 2018; Yazici et al. 2019). Trainable weights are
            averaged; non-trainable ones (batch-norm moving statistics) are
            copied from the generator at each update, as StyleGAN2-ADA's
            reference code copies buffers. Defaults to `None`.
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

    NETWORKS = ("generator", "discriminator")
    OPTIMIZERS = {"d_optimizer": ("discriminator",), "g_optimizer": ("generator",)}
    UPDATES = (("discriminator", "d_optimizer", "d_steps"), ("generator", "g_optimizer", "g_steps"))
    LOGS = (D_LOSS, G_LOSS, D_REAL_ACCURACY, D_FAKE_ACCURACY, D_REAL_LOSS, D_FAKE_LOSS)
    SERIALIZED_OPTIONS = ("instance_noise",)
    # The log name of the adversarial discriminator loss.
    D_LOSS_NAME = D_LOSS
    conditional = False
    """Whether `generate` takes class labels (`ConditionalGAN`)."""

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
        if generator_output_range(discriminator) == (0.0, 1.0):
            raise ValueError(
                "`discriminator` ends in a sigmoid, but gankit's losses take logits: build it with "
                "output='logits' (the default) or drop the sigmoid. Received: discriminator whose last layer "
                f"{discriminator.layers[-1].name!r} has a sigmoid activation"
            )
        self._check_networks(generator, discriminator)
        input_dim = self._latent_input_size(generator)
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
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = latent_dim
        self.latent_distribution = latent_distribution
        self._create_ema(ema_decay)
        self.image_shape = tuple(int(d) for d in generator.output_shape[1:])
        self.replay_pool = None

    def _check_networks(self, generator, discriminator):
        """Family hook: raises if the networks do not fit the family."""

    @staticmethod
    def _latent_input_size(generator):
        return generator.input_shape[-1] if generator.inputs else None

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
        labels: ArrayLike | None = None,
        batch_size: int = 256,
        use_ema: bool = True,
    ) -> np.ndarray:
        """Generates images in [0, 1], in batches.

        Every gankit model shares this signature; `labels` is for the
        conditional ones (`ConditionalGAN`) and must stay `None` here.

        Args:
            n: Number of images; required unless `latents` is given.
                Defaults to `None`.
            seed: Seed of the latent draw (ignored with `latents`).
                Defaults to `None`.
            latents: Explicit latent vectors `(n, latent_dim)`, e.g. a chosen
                point of seed 002. Defaults to `None`.
            labels: Class labels, for conditional models only; must be
                `None`. Defaults to `None`.
            batch_size: Images per generator call. Defaults to `256`.
            use_ema: Use `ema_generator` when the model keeps one.
                Defaults to `True`.

        Returns:
            A float32 NumPy array `(n, height, width, channels)` in [0, 1].

        Raises:
            ValueError: If neither or both of `n` and `latents` are given,
                `latents` has the wrong shape, or `labels` is given.
        """
        if labels is not None:
            raise ValueError(
                f"{type(self).__name__} is unconditional: `labels` must be None (a ConditionalGAN takes them). "
                f"Received: labels of type {type(labels).__name__}"
            )
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
        return self.to_unit_range(images)

    @property
    def output_range(self) -> tuple[float, float]:
        """The generator's pixel range: `(0, 1)` for a `sigmoid` output, else `(-1, 1)`.

        The real images `fit()` receives should lie in this range (the data
        loaders' `value_range=` argument produces either).
        """
        return generator_output_range(self.generator) or (-1.0, 1.0)

    def to_unit_range(self, images: ArrayLike) -> np.ndarray:
        """Maps generator outputs from `output_range` to [0, 1] (float32 NumPy, clipped)."""
        low, high = self.output_range
        images = np.asarray(images, "float32")
        return np.clip((images - low) / (high - low), 0.0, 1.0)

    def call(self, latents, training=False):
        """Maps latents to images in `output_range` with the generator."""
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
        update_scheme: str = "shared",
        update_order: str = "discriminator_first",
        split_batch: bool = False,
        reuse_latents: bool = False,
        pretrain_d_steps: int = 0,
        d_update: str = "joint",
        gradient_penalty_weight: float = 0.0,
        drift_weight: float = 0.0,
        clip_value: float | None = None,
        label_smoothing: float | Sequence[Sequence[float]] | None = None,
        label_flip_rate: float = 0.0,
        instance_noise: float | Callable[[keras.Variable], float | tf.Tensor] | None = None,
        replay_pool_size: int = 0,
        replay_fraction: float = 0.5,
        unrolled_steps: int = 0,
        unrolled_optimizer: str = "discriminator",
        unrolled_learning_rate: float | None = None,
        **kwargs: Any,
    ) -> None:
        """Configures the optimizers, the loss family and the training tricks.

        Args:
            d_optimizer: Discriminator optimizer. Defaults to `None`:
                `Adam(2e-4, beta_1=0.5)`, the DCGAN paper's setting used by
                every source. Pass one with a schedule for learning-rate decay
                (`keras.optimizers.schedules.CosineDecay`, the decay source
                000's text describes and its code never applied).
            g_optimizer: Generator optimizer. Defaults to `None`: as above.
            loss: A family name from `gankit.losses.LOSS_FAMILIES` or a
                `(generator_loss, discriminator_loss)` pair following the
                `fn(real_logits, fake_logits)` contract.
                Defaults to `"non_saturating"`.
            d_steps: Discriminator updates per train step (n_critic; WGAN uses
                5). Each uses fresh latents, and the same real batch unless
                `split_batch`. Defaults to `1`.
            g_steps: Generator updates per train step (source 001 uses 5).
                Defaults to `1`.
            update_scheme: How the last discriminator update and the first
                generator update get their fakes (`gankit.engine.UPDATE_SCHEMES`):
                `"shared"`, one generator pass, the generator's loss taken on
                the same fakes through the updated discriminator (PyTorch's
                DCGAN reference); `"fresh"`, fresh latents for the generator
                update (source 002, chapters 7-8); `"simultaneous"`, both
                losses on one pass through the not yet updated discriminator
                and both networks updated from them (source 000's one
                `GradientTape`). Defaults to `"shared"`.
            update_order: `"discriminator_first"` or `"generator_first"`
                (source 003: the generator update, then the discriminator on
                its fakes). Defaults to `"discriminator_first"`.
            split_batch: Each of the `d_steps` discriminator updates takes
                its own slice of the batch, a fresh real batch per critic
                step as in Algorithm 1 of WGAN and WGAN-GP; feed batches of
                `d_steps` times the critic batch (the generator updates use
                the last slice). Defaults to `False`.
            reuse_latents: Every generator pass of a train step draws the
                latents (and labels) of the first, as source 001 feeds one
                latent batch to its discriminator step and its 5 generator
                steps. Defaults to `False`: fresh latents per pass.
            pretrain_d_steps: The first train steps of a run update only the
                discriminator, against the untrained generator ("pretrain
                the discriminator", GANs in Action 5.4.4); counted by
                `step_counter`, so a resumed run goes on counting.
                Defaults to `0`.
            d_update: `"joint"`, one discriminator step on the loss's real
                and fake terms together; or `"real_then_fake"`, a step on the
                real term, then one on the fake term through the updated
                discriminator, as GANs in Action's loops call
                `train_on_batch` on the real batch and then on the fakes
                (`gankit.engine.AdversarialModel`). Needs a family that
                splits into a real and a fake term and is not relativistic
                (minimax, non_saturating, least_squares, wasserstein, hinge)
                and no gradient penalty (it needs both batches at once); an
                unrolled look-ahead then unrolls two steps per update.
                Defaults to `"joint"`.
            gradient_penalty_weight: Weight of the WGAN-GP penalty added to
                the discriminator loss (10 in the paper); 0 disables it.
                Defaults to `0.0`.
            drift_weight: Weight of the drift term `mean(D(x)^2)` on the real
                logits added to the discriminator loss (Progressive GAN:
                0.001); 0 disables it. Defaults to `0.0`.
            clip_value: Clip every discriminator weight to
                `[-clip_value, clip_value]` after each update (WGAN, 0.01).
                Defaults to `None`.
            label_smoothing: `None`; a one-sided amount `s` (real targets
                become `1 - s`, source 001 and Salimans et al.); or two ranges
                `((0.7, 1.0), (0.0, 0.3))` from which real and fake targets
                are drawn (source 000's text; its code passed hard targets).
                Needs a family with targets
                (minimax, non_saturating, least_squares, ra_sgan).
                Defaults to `None`.
            label_flip_rate: Fraction of discriminator targets flipped at
                random (source 000's text: 0.05; its code flipped none).
                Defaults to `0.0`.
            instance_noise: Standard deviation of Gaussian noise added to
                real and fake images before the discriminator: a number, or a
                `gankit.losses.InstanceNoiseSchedule` evaluated at the train
                step (annealing). Defaults to `None`.
            replay_pool_size: Capacity of the pool of past fakes
                (`gankit.engine.ImagePool`); 0 disables replay.
                Defaults to `0`.
            replay_fraction: Probability that a fake the discriminator sees
                is swapped for a past one from the pool (once the pool is
                full; the CycleGAN paper's rule with 0.5). Defaults to `0.5`.
            unrolled_steps: Number of discriminator steps unrolled inside
                the generator update (Metz et al. 2017); the generator's
                gradient flows through the unrolled updates. 0 disables it.
                Defaults to `0`.
            unrolled_optimizer: `"discriminator"`: the unrolled steps are
                those of `d_optimizer` from its current state (Adam's moments
                and step count copied, as Metz et al. unroll the
                discriminator's own Adam; a plain `SGD` is unrolled as SGD);
                `"sgd"`: plain SGD steps (gankit 0.1). Defaults to
                `"discriminator"`.
            unrolled_learning_rate: Step size of the unrolled updates.
                Defaults to `None`: the discriminator optimizer's learning
                rate (with `"sgd"`, its value at compile time).
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
            **self.engine_options(
                d_steps, g_steps, update_scheme, update_order, split_batch, reuse_latents, pretrain_d_steps, d_update
            ),
            "gradient_penalty_weight": check_number(
                gradient_penalty_weight, name="gradient_penalty_weight", minimum=0.0
            ),
            "drift_weight": check_number(drift_weight, name="drift_weight", minimum=0.0),
            "clip_value": check_number(clip_value, name="clip_value", minimum=0.0, allow_none=True),
            "label_smoothing": _check_label_smoothing(label_smoothing),
            "label_flip_rate": check_number(label_flip_rate, name="label_flip_rate", minimum=0.0, maximum=1.0),
            "instance_noise": instance_noise,
            "replay_pool_size": check_int(replay_pool_size, name="replay_pool_size", minimum=0),
            "replay_fraction": check_number(replay_fraction, name="replay_fraction", minimum=0.0, maximum=1.0),
            "unrolled_steps": check_int(unrolled_steps, name="unrolled_steps", minimum=0),
            "unrolled_optimizer": check_choice(
                unrolled_optimizer, name="unrolled_optimizer", choices=UNROLLED_OPTIMIZERS
            ),
            "unrolled_learning_rate": check_number(
                unrolled_learning_rate, name="unrolled_learning_rate", minimum=0.0, allow_none=True
            ),
        }
        if options["d_update"] == "real_then_fake":
            _check_two_step_discriminator(options)
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
        if self.replay_pool is not None and self.replay_pool.capacity != options["replay_pool_size"]:
            raise ValueError(
                "This GAN was compiled before with a replay pool of "
                f"{self.replay_pool.capacity} images; recompiling cannot resize it. "
                f"Received: replay_pool_size={options['replay_pool_size']}"
            )
        self._compile_with({"d_optimizer": d_optimizer, "g_optimizer": g_optimizer}, options, **kwargs)
        if options["unrolled_steps"] and options["unrolled_optimizer"] == "discriminator":
            _check_unrollable(self.d_optimizer)
        if options["unrolled_steps"] and options["unrolled_optimizer"] == "sgd":
            if options["unrolled_learning_rate"] is None:
                # The current value (a schedule is evaluated at the current step).
                options["unrolled_learning_rate"] = float(keras.ops.convert_to_numpy(self.d_optimizer.learning_rate))
                self._training_options = options
        self.generator_loss_fn = generator_loss
        self.discriminator_loss_fn = discriminator_loss
        # `d_real_loss` / `d_fake_loss` exist for the families whose
        # discriminator loss splits into a real and a fake term.
        splits = isinstance(loss, str) and gan_losses.discriminator_loss_terms(loss, [0.0], [0.0]) is not None
        self.unlogged_metrics = () if splits else (D_REAL_LOSS, D_FAKE_LOSS)
        # Standard generator losses never read `real_logits`; skip the
        # discriminator's pass over the real batch in the generator step.
        # The relativistic ones (`rsgan`, `ra_*`) must get the real logits.
        relativistic = isinstance(loss, str) and (loss == "rsgan" or loss.startswith("ra_"))
        self._generator_reads_real = relativistic or not isinstance(loss, str)
        if options["replay_pool_size"] and self.replay_pool is None:
            self.replay_pool = ImagePool(
                options["replay_pool_size"],
                self._pool_specs(),
                options["replay_fraction"],
                integer_keys=self._pool_integer_keys(),
                name="replay_pool",
            )
        elif self.replay_pool is not None:
            self.replay_pool.history_fraction = options["replay_fraction"]

    def _pool_specs(self):
        return {"images": self.image_shape}

    def _pool_integer_keys(self):
        return ()

    def serialize_options(self, options: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(options["loss"], str):
            raise ValueError(
                f"A {type(self).__name__} compiled with custom loss functions cannot save its compile config."
            )
        return super().serialize_options(options)

    # -- the family: batches, fakes, the critic, losses --------------------------

    def unpack_batch(self, data: Any) -> dict[str, tf.Tensor]:
        real_images = data[0] if isinstance(data, (tuple, list)) else data
        real_images = tf.convert_to_tensor(real_images)
        check_real_batch(real_images, self.discriminator.input_shape[1:], type(self).__name__)
        return {"images": real_images}

    def sample_fakes(self, batch: Mapping[str, tf.Tensor]) -> dict[str, tf.Tensor]:
        latents = self._sample_latents_tensor(tf.shape(batch["images"])[0])
        return {"images": self.generator(latents, training=True)}

    def critic_inputs(self, sample: Mapping[str, tf.Tensor]) -> tf.Tensor | list[tf.Tensor]:
        """What the discriminator is called on for `sample` (images; CGAN adds labels)."""
        return sample["images"]

    def check_fit_data(self, x: Any) -> None:
        warn_if_outside_output_range(x, self.generator, type(self).__name__, stacklevel=4)

    def _sample_latents_tensor(self, batch_size):
        shape = tf.stack([batch_size, self.latent_dim])
        seed = self.next_seed()
        if self.latent_distribution == "uniform":
            return tf.random.stateless_uniform(shape, seed, -1.0, 1.0)
        return tf.random.stateless_normal(shape, seed)

    def _targets(self, logits, positive):
        """Discriminator targets with smoothing/flipping, shaped like the logits."""
        options = self._training_options
        labels = tf.ones_like(logits, tf.float32) if positive else tf.zeros_like(logits, tf.float32)
        if options["label_flip_rate"] > 0:
            labels = gan_losses.flip_labels(labels, rate=options["label_flip_rate"], seed=self.next_seed())
        smoothing = options["label_smoothing"]
        if isinstance(smoothing, tuple):
            labels = gan_losses.smooth_labels_to_range(
                labels, real_range=smoothing[0], fake_range=smoothing[1], seed=self.next_seed()
            )
        elif smoothing:
            labels = gan_losses.smooth_positive_labels(labels, smoothing=smoothing)
        return labels

    def _noisy(self, sample):
        noise = self._training_options["instance_noise"]
        if noise is None:
            return sample
        stddev = noise(self.step_counter) if callable(noise) else noise
        return {**sample, "images": gan_losses.add_instance_noise(sample["images"], stddev, seed=self.next_seed())}

    def _adversarial_d_loss(self, real_logits, fake_logits, with_terms=False):
        """The family's discriminator loss; with `with_terms`, `(loss, terms)`.

        `terms` is `gankit.losses.discriminator_loss_terms` on the same logits
        and targets, or `None` for a family without the split (RSGAN, a
        custom pair).
        """
        options = self._training_options
        labels = {}
        if options["label_smoothing"] is not None or options["label_flip_rate"] > 0:
            labels = {
                "real_label": self._targets(real_logits, positive=True),
                "fake_label": self._targets(fake_logits, positive=False),
            }
        loss = self.discriminator_loss_fn(real_logits, fake_logits, **labels)
        if not with_terms:
            return loss
        family = options["loss"]
        terms = None
        if isinstance(family, str):
            terms = gan_losses.discriminator_loss_terms(family, real_logits, fake_logits, **labels)
        return loss, terms

    def discriminator_loss(
        self, batch: Mapping[str, tf.Tensor], fakes: Mapping[str, tf.Tensor], term: str | None = None
    ) -> tuple[tf.Tensor, dict[str, tf.Tensor]]:
        """The discriminator's loss on a real batch and (stopped) fakes; `(loss, logs)`.

        `term="real"` or `"fake"` gives that term alone, computed on that
        batch only (`compile(d_update="real_then_fake")`); the drift term
        goes with the real one. Defaults to `None`: the whole loss.
        """
        options = self._training_options
        if term is not None:
            return self._discriminator_term_loss(batch, fakes, check_choice(term, name="term", choices=TERMS))
        if self.replay_pool is not None:
            fakes = self.replay_pool.query(fakes, self.next_seed())
        real_logits = self.discriminator(self.critic_inputs(self._noisy(batch)), training=True)
        fake_logits = self.discriminator(self.critic_inputs(self._noisy(fakes)), training=True)
        loss, terms = self._adversarial_d_loss(real_logits, fake_logits, with_terms=True)
        if options["gradient_penalty_weight"] > 0:

            def critic(images):
                return self.discriminator(self.critic_inputs({**batch, "images": images}), training=True)

            loss += options["gradient_penalty_weight"] * gan_losses.gradient_penalty(
                critic, batch["images"], fakes["images"], seed=self.next_seed()
            )
        real_logits = tf.cast(real_logits, tf.float32)
        fake_logits = tf.cast(fake_logits, tf.float32)
        if options["drift_weight"] > 0:
            loss += options["drift_weight"] * tf.reduce_mean(tf.square(real_logits))
        logs = {
            self.D_LOSS_NAME: loss,
            D_REAL_ACCURACY: tf.reduce_mean(tf.cast(real_logits > 0, tf.float32)),
            D_FAKE_ACCURACY: tf.reduce_mean(tf.cast(fake_logits < 0, tf.float32)),
        }
        if terms is not None:
            logs[D_REAL_LOSS], logs[D_FAKE_LOSS] = terms
        return loss, logs

    def _term_value(self, logits, term):
        """The family's `term` (`"real"` or `"fake"`) of the discriminator loss on that batch's `logits`."""
        options = self._training_options
        labels = {}
        if options["label_smoothing"] is not None or options["label_flip_rate"] > 0:
            labels = {f"{term}_label": self._targets(logits, positive=term == "real")}
        # Each family of `TWO_STEP_FAMILIES` reads only the logits of a term's
        # own batch; the other argument is a stand-in.
        terms = gan_losses.discriminator_loss_terms(options["loss"], logits, logits, **labels)
        return terms[0] if term == "real" else terms[1]

    def _discriminator_term_loss(self, batch, fakes, term):
        """`discriminator_loss(batch, fakes, term=term)`: one batch through the discriminator, one term."""
        options = self._training_options
        real = term == "real"
        if not real and self.replay_pool is not None:
            fakes = self.replay_pool.query(fakes, self.next_seed())
        logits = self.discriminator(self.critic_inputs(self._noisy(batch if real else fakes)), training=True)
        value = self._term_value(logits, term)
        logits = tf.cast(logits, tf.float32)
        loss = value
        if real and options["drift_weight"] > 0:
            loss += options["drift_weight"] * tf.reduce_mean(tf.square(logits))
        if real:
            return loss, {
                self.D_LOSS_NAME: loss,
                D_REAL_ACCURACY: tf.reduce_mean(tf.cast(logits > 0, tf.float32)),
                D_REAL_LOSS: value,
            }
        return loss, {
            self.D_LOSS_NAME: loss,
            D_FAKE_ACCURACY: tf.reduce_mean(tf.cast(logits < 0, tf.float32)),
            D_FAKE_LOSS: value,
        }

    def _unrolled_weights(self, batch):
        """The discriminator's `(trainable, non_trainable)` values after `unrolled_steps` steps.

        The steps are taken functionally (`stateless_call`), inside the
        generator's tape, so the generator's gradient includes the terms
        through the unrolled updates (Metz et al. 2017, Eq. 12); the real
        discriminator and its optimizer are not modified. With
        `unrolled_optimizer="discriminator"` and an Adam `d_optimizer`, each
        step is Keras' Adam update from a copy of its moments and step count.
        """
        options = self._training_options
        d = self.discriminator
        trainable = [tf.convert_to_tensor(v) for v in d.trainable_variables]
        non_trainable = [tf.convert_to_tensor(v) for v in d.non_trainable_variables]
        optimizer = getattr(self.d_optimizer, "inner_optimizer", self.d_optimizer)
        adam = options["unrolled_optimizer"] == "discriminator" and isinstance(optimizer, keras.optimizers.Adam)
        learning_rate = options["unrolled_learning_rate"]
        if learning_rate is None:
            learning_rate = optimizer.learning_rate
        learning_rate = tf.cast(learning_rate, tf.float32)
        if adam:
            index = optimizer._get_variable_index
            moments = [tf.convert_to_tensor(optimizer._momentums[index(v)]) for v in d.trainable_variables]
            velocities = [tf.convert_to_tensor(optimizer._velocities[index(v)]) for v in d.trainable_variables]
            beta_1, beta_2 = float(optimizer.beta_1), float(optimizer.beta_2)
            step = tf.cast(optimizer.iterations, tf.float32)
        # One unrolled step is one discriminator update: one optimizer step on
        # the whole loss, or with `d_update="real_then_fake"` two, each on the
        # term of one batch.
        terms = TERMS if options["d_update"] == "real_then_fake" else (None,)
        for k in range(options["unrolled_steps"] * len(terms)):
            term = terms[k % len(terms)]
            with tf.GradientTape() as inner:
                inner.watch(trainable)
                if term != "fake":
                    fakes = self.sample_fakes(batch)
                if term is None:
                    real_logits, non_trainable = d.stateless_call(
                        trainable, non_trainable, self.critic_inputs(batch), training=True
                    )
                    fake_logits, non_trainable = d.stateless_call(
                        trainable, non_trainable, self.critic_inputs(fakes), training=True
                    )
                    inner_loss = self._adversarial_d_loss(real_logits, fake_logits)
                else:
                    logits, non_trainable = d.stateless_call(
                        trainable, non_trainable, self.critic_inputs(batch if term == "real" else fakes), training=True
                    )
                    inner_loss = self._term_value(logits, term)
            # `convert_to_tensor`: an embedding's gradient is `IndexedSlices`.
            gradients = [
                None if g is None else tf.cast(tf.convert_to_tensor(g), w.dtype)
                for w, g in zip(trainable, inner.gradient(inner_loss, trainable))
            ]
            if not adam:
                trainable = [
                    w if g is None else w - tf.cast(learning_rate, w.dtype) * g for w, g in zip(trainable, gradients)
                ]
                continue
            # Keras' Adam.update_step, written functionally.
            local_step = step + float(k + 1)
            alpha = learning_rate * tf.sqrt(1.0 - beta_2**local_step) / (1.0 - beta_1**local_step)
            updated = []
            for i, (w, g) in enumerate(zip(trainable, gradients)):
                if g is None:
                    updated.append(w)
                    continue
                moments[i] = moments[i] + (g - moments[i]) * (1.0 - beta_1)
                velocities[i] = velocities[i] + (tf.square(g) - velocities[i]) * (1.0 - beta_2)
                updated.append(
                    w - tf.cast(alpha, w.dtype) * moments[i] / (_safe_sqrt(velocities[i]) + optimizer.epsilon)
                )
            trainable = updated
        return trainable, non_trainable

    def _unrolled_discriminator(self, batch):
        """The discriminator after `unrolled_steps` steps, as a function (`_unrolled_weights`)."""
        trainable, non_trainable = self._unrolled_weights(batch)
        d = self.discriminator
        return lambda inputs: d.stateless_call(trainable, non_trainable, inputs, training=True)[0]

    def generator_loss(
        self, batch: Mapping[str, tf.Tensor], fakes: Mapping[str, tf.Tensor]
    ) -> tuple[tf.Tensor, dict[str, tf.Tensor]]:
        """The generator's loss on `fakes`, inside its tape; `(loss, logs)`."""
        options = self._training_options
        discriminator = lambda inputs: self.discriminator(inputs, training=True)  # noqa: E731
        if options["unrolled_steps"]:
            discriminator = self._unrolled_discriminator(batch)
        fake_logits = discriminator(self.critic_inputs(self._noisy(fakes)))
        if self._generator_reads_real:
            real_logits = discriminator(self.critic_inputs(self._noisy(batch)))
        else:
            real_logits = fake_logits  # ignored by the standard families
        loss = self.generator_loss_fn(real_logits, fake_logits)
        return loss, {G_LOSS: loss}

    def after_update(self, name: str) -> None:
        if name == "discriminator" and self._training_options["clip_value"]:
            gan_losses.clip_weights(self.discriminator.trainable_variables, self._training_options["clip_value"])

    # -- serialization ------------------------------------------------------------

    def get_config(self):
        return {
            **super().get_config(),
            **self._networks_config(),
            "latent_dim": self.latent_dim,
            "latent_distribution": self.latent_distribution,
            "ema_decay": self.ema_decay,
        }
