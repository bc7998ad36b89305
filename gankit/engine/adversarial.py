"""`AdversarialModel`: the one training engine every GAN family runs on.

A family (`gankit.models.GAN`, `ConditionalGAN`, `SemiSupervisedGAN`,
`CycleGAN`, `gankit.models.ProgressiveStage`) declares only what differs:

- `NETWORKS`: the constructor's network arguments (saved in `get_config`);
- `OPTIMIZERS`: `{role: network attributes}` in `compile` order
  (`d_optimizer` first, `g_optimizer` second, every family);
- `UPDATES`: the updates of one train step, in order, as
  `(name, optimizer role, repeat option)`; the loss of update `name` is the
  method `<name>_loss(batch, fakes)` returning `(loss, logs)`; with
  `compile(d_update="real_then_fake")`, `discriminator_loss(batch, fakes,
  term=...)` also returns the loss of its `"real"` or `"fake"` term alone;
- `LOGS`: the metric names the losses report;
- `unpack_batch(data)`: checks a batch and names its parts;
- `sample_fakes(batch)`: the generator's output for a batch.

The engine owns, once: the optimizer checks, defaults and loss scaling
under `mixed_float16`, building the optimizers inside the caller's
`strategy.scope()`, the compile-config round trip, the checkpointed
`rng_state` behind every random draw of a train step, `step_counter`, loss
trackers and logs (with the multi-worker reduction workaround), the
empty-dataset guard, the update loop (`d_steps`/`g_steps`, the update
order, the three update schemes, the split batch and the two-step
discriminator update), and the EMA generator.
"""

from __future__ import annotations

import inspect
import random
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any
from typing import ClassVar

import keras
import numpy as np
import tensorflow as tf

from gankit._checks import check_bool
from gankit._checks import check_choice
from gankit._checks import check_int
from gankit._checks import check_number
from gankit.engine.data import check_dataset_not_empty
from gankit.engine.data import fit_defaults

DISCRIMINATOR = "discriminator"
GENERATOR = "generator"

#: `compile(update_scheme=...)`: how the generator and discriminator updates of
#: one train step get their fakes (see `AdversarialModel`).
UPDATE_SCHEMES = ("shared", "fresh", "simultaneous")
#: `compile(update_order=...)`: which of the two adversarial updates runs first.
UPDATE_ORDERS = ("discriminator_first", "generator_first")
#: `compile(d_update=...)`: one discriminator update on the real and the fake
#: batch (`"joint"`), or two in a row, real then fake (`"real_then_fake"`).
D_UPDATES = ("joint", "real_then_fake")


def default_optimizer() -> keras.optimizers.Optimizer:
    """`Adam(2e-4, beta_1=0.5)`, the DCGAN paper's setting, a fresh object."""
    return keras.optimizers.Adam(2e-4, beta_1=0.5)


def check_optimizers(optimizers: Mapping[str, Any]) -> None:
    """Each value must be a Keras optimizer, and no object may serve two roles.

    One optimizer's slots (Adam's moments) belong to one set of variables,
    so the networks of a GAN need distinct optimizer objects.

    Raises:
        TypeError: If a value is not a `keras.optimizers.Optimizer`.
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


def metric_logs(metrics: Sequence[keras.metrics.Metric]) -> dict[str, tf.Tensor]:
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


def _stopped(structure):
    return tf.nest.map_structure(tf.stop_gradient, structure)


def _split(tensor, parts):
    """`parts` equal slices of `tensor` along axis 0 (its size may be unknown at trace time)."""
    size = tf.shape(tensor)[0] // parts
    return [tensor[i * size : (i + 1) * size] for i in range(parts)]


def _serialize(obj):
    return None if obj is None else keras.saving.serialize_keras_object(obj)


class AdversarialModel(keras.Model):
    """Base `keras.Model` of every gankit training model (see the module docstring).

    Not used directly: subclass it, declare `NETWORKS`, `OPTIMIZERS`,
    `UPDATES` and `LOGS`, and implement `unpack_batch`, `sample_fakes` and
    one `<update>_loss(batch, fakes)` per update. `compile` takes the
    optimizers in `OPTIMIZERS` order and the engine options:

    - `d_steps`, `g_steps`: how often the `discriminator` and `generator`
      updates run per train step (WGAN's n_critic: `d_steps=5`);
    - `update_order`: `"discriminator_first"` (DCGAN, the book's loops) or
      `"generator_first"` (source 003's loop, the CycleGAN paper's code);
    - `update_scheme`, for the discriminator and generator updates that
      meet in the sequence (the last of one kind and the first of the
      other):
      - `"shared"`: one generator pass serves both. Discriminator first:
        the pass is recorded on the generator's tape, the discriminator
        trains on it with the tape paused, and the generator's loss is then
        taken on the same fakes through the updated discriminator (PyTorch's
        DCGAN reference). Generator first: the discriminator trains on the
        fakes of the generator update (source 003, CycleGAN);
      - `"fresh"`: every update samples its own fakes (fresh latents; the
        sources written with Keras' `train_on_batch`: 002, chapters 7-8);
      - `"simultaneous"`: both losses are taken on one generator pass
        through the same, not yet updated, discriminator, and both
        networks are updated from those gradients (source 000's single
        `GradientTape` step). The discriminator is called once per loss,
        so dropout draws two masks and batch normalisation updates its
        moving statistics twice. For networks without such layers this is
        the update of `"shared"` with the generator first;
    - `split_batch`: each discriminator update takes its own equal slice
      of the batch (`SPLIT_KEYS`), so `d_steps` critic updates see
      `d_steps` fresh real batches (Algorithm 1 of WGAN and WGAN-GP); feed
      batches of `d_steps` times the critic's batch size. The generator
      updates use the last slice;
    - `reuse_latents`: every generator pass of a train step draws what the
      first one drew (latents, and a conditional family's labels), as
      source 001 feeds one latent batch to its discriminator step and its
      5 generator steps; the other random draws go on as usual;
    - `pretrain_d_steps`: the first train steps of a run (counted by
      `step_counter`, so a resumed run continues the count) skip the
      generator updates: the discriminator (and any other non-generator
      update, e.g. SGAN's classifier) trains against the untrained
      generator first, "pretrain the discriminator before the generator has
      a chance to produce anything" (GANs in Action, 5.4.4);
    - `d_update`: `"joint"`, one optimizer step on the discriminator's whole
      loss, its term on the real batch plus its term on the fakes; or
      `"real_then_fake"`, two steps in a row, the first on the real term
      alone and the second on the fake term through the discriminator the
      first step updated, as the loops of GANs in Action (chapters 4 and
      7-9) call `train_on_batch` on a real batch and then on a fake batch.
      With Adam each step moves the weights about as far as the joint one,
      so the discriminator moves about twice as far per train step. The
      family's `discriminator_loss` takes `term="real"` or `term="fake"`;
      logs that both terms report are summed (the family's loss), the rest
      are kept. Not with `update_scheme="simultaneous"`, whose single pass
      has no second discriminator.

    Every random draw of a train step (latents, labels, pools, label tricks,
    gradient-penalty mixes) comes from stateless ops seeded by `rng_state`,
    a weight saved with the model, so a run resumed from a checkpoint
    (`gankit.training.TrainingBackup`) draws what an uninterrupted run
    would; `keras.utils.set_random_seed` before building seeds it.
    """

    NETWORKS: ClassVar[tuple[str, ...]] = ()
    OPTIMIZERS: ClassVar[dict[str, tuple[str, ...]]] = {}
    UPDATES: ClassVar[tuple[tuple[str, str, str | None], ...]] = ()
    LOGS: ClassVar[tuple[str, ...]] = ()
    # The batch entries `split_batch` slices (`None`: all of them).
    SPLIT_KEYS: ClassVar[tuple[str, ...] | None] = None
    # Options of `compile` whose values are Keras objects (schedules) saved
    # with `serialize_keras_object` in the compile config.
    SERIALIZED_OPTIONS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.trackers = {name: keras.metrics.Mean(name=name) for name in self.LOGS}
        # Counts train steps (schedules such as instance-noise annealing);
        # saved with the weights, so a resumed run continues them.
        self.step_counter = self.add_weight(
            name="step_counter",
            shape=(),
            dtype="int64",
            initializer="zeros",
            trainable=False,
            aggregation="only_first_replica",
        )
        # Keras' `make_default_seed` range, from Python's `random` as Keras'
        # own default seeds, so `keras.utils.set_random_seed` makes it
        # reproducible.
        self.rng_state = self.add_weight(
            name="rng_state",
            shape=(2,),
            dtype="int64",
            initializer="zeros",
            trainable=False,
            aggregation="only_first_replica",
        )
        self.rng_state.assign(np.array([random.randint(1, int(1e9)), 0], "int64"))
        self.ema_decay = None
        self.ema_generator = None
        self._training_options = None
        # The networks arrive built; marking the model built keeps Keras
        # from calling it on a batch to build it.
        self.built = True

    # -- what a family provides ----------------------------------------------

    def unpack_batch(self, data: Any) -> dict[str, tf.Tensor]:
        """Checks one batch of `fit()` and returns its parts by name."""
        raise NotImplementedError(f"{type(self).__name__} must implement `unpack_batch`.")

    def sample_fakes(self, batch: Mapping[str, tf.Tensor]) -> dict[str, tf.Tensor]:
        """The generator's output for `batch`, as a dict (images, labels, ...)."""
        raise NotImplementedError(f"{type(self).__name__} must implement `sample_fakes`.")

    def after_update(self, name: str) -> None:
        """Runs after update `name` applied its gradients (e.g. weight clipping)."""

    # -- randomness ------------------------------------------------------------

    def next_seed(self) -> tf.Tensor:
        """A seed for one stateless random op; advances `rng_state`.

        Under `tf.distribute` every replica folds in its replica id, so the
        replicas draw different numbers from the same (mirrored) state.
        """
        seed = tf.convert_to_tensor(self.rng_state)
        self.rng_state.assign_add(tf.constant([0, 1], tf.int64))
        context = tf.distribute.get_replica_context()
        if context is not None and context.num_replicas_in_sync > 1:
            seed = tf.random.experimental.stateless_fold_in(seed, context.replica_id_in_sync_group)
        return seed

    # -- EMA generator -----------------------------------------------------------

    def _create_ema(self, ema_decay: float | None) -> None:
        """Keeps `ema_generator`, an average of `generator`, when `ema_decay` is set."""
        if ema_decay is not None:
            ema_decay = check_number(ema_decay, name="ema_decay", minimum=0.0, maximum=1.0)
            if ema_decay == 1.0:
                raise ValueError(
                    "`ema_decay` must be in [0, 1): 1 would never update the average. Received: ema_decay=1.0"
                )
            self.ema_generator = keras.models.clone_model(self.generator)
            self.ema_generator.set_weights(self.generator.get_weights())
        self.ema_decay = ema_decay

    def _update_ema(self) -> None:
        decay = self.ema_decay
        for average, weight in zip(self.ema_generator.trainable_variables, self.generator.trainable_variables):
            average.assign(decay * average + (1.0 - decay) * tf.cast(weight, average.dtype))
        for average, weight in zip(self.ema_generator.non_trainable_variables, self.generator.non_trainable_variables):
            average.assign(weight)

    # -- compile -------------------------------------------------------------------

    @staticmethod
    def engine_options(
        d_steps: int = 1,
        g_steps: int = 1,
        update_scheme: str = "shared",
        update_order: str = "discriminator_first",
        split_batch: bool = False,
        reuse_latents: bool = False,
        pretrain_d_steps: int = 0,
        d_update: str = "joint",
    ) -> dict[str, Any]:
        """The checked options every family's `compile` accepts."""
        d_update = check_choice(d_update, name="d_update", choices=D_UPDATES)
        if d_update == "real_then_fake" and update_scheme == "simultaneous":
            raise ValueError(
                '`d_update="real_then_fake"` takes two discriminator steps, which `update_scheme="simultaneous"` '
                "(one pass, both updates from it) cannot. Received: update_scheme='simultaneous'"
            )
        return {
            "d_steps": check_int(d_steps, name="d_steps", minimum=1),
            "g_steps": check_int(g_steps, name="g_steps", minimum=1),
            "update_scheme": check_choice(update_scheme, name="update_scheme", choices=UPDATE_SCHEMES),
            "update_order": check_choice(update_order, name="update_order", choices=UPDATE_ORDERS),
            "split_batch": check_bool(split_batch, name="split_batch"),
            "reuse_latents": check_bool(reuse_latents, name="reuse_latents"),
            "pretrain_d_steps": check_int(pretrain_d_steps, name="pretrain_d_steps", minimum=0),
            "d_update": d_update,
        }

    def compile(
        self,
        d_optimizer: keras.optimizers.Optimizer | None = None,
        g_optimizer: keras.optimizers.Optimizer | None = None,
        *,
        d_steps: int = 1,
        g_steps: int = 1,
        update_scheme: str = "shared",
        update_order: str = "discriminator_first",
        split_batch: bool = False,
        reuse_latents: bool = False,
        pretrain_d_steps: int = 0,
        d_update: str = "joint",
        **kwargs: Any,
    ) -> None:
        """Configures the optimizers and the update loop.

        Args:
            d_optimizer: Discriminator optimizer. Defaults to `None`:
                `Adam(2e-4, beta_1=0.5)`.
            g_optimizer: Generator optimizer. Defaults to `None`: as above.
            d_steps: Discriminator updates per train step. Defaults to `1`.
            g_steps: Generator updates per train step. Defaults to `1`.
            update_scheme: `"shared"`, `"fresh"` or `"simultaneous"` (class
                docstring). Defaults to `"shared"`.
            update_order: `"discriminator_first"` or `"generator_first"`.
                Defaults to `"discriminator_first"`.
            split_batch: One slice of the batch per discriminator update
                (class docstring). Defaults to `False`.
            reuse_latents: Every generator pass of a train step draws the
                first one's latents (class docstring). Defaults to `False`.
            pretrain_d_steps: Train steps at the start that update only the
                discriminator (class docstring). Defaults to `0`.
            d_update: `"joint"` or `"real_then_fake"` (class docstring).
                Defaults to `"joint"`.
            **kwargs: Optimizers of further roles (`OPTIMIZERS`) and other
                `keras.Model.compile` arguments.
        """
        self._compile_with(
            {"d_optimizer": d_optimizer, "g_optimizer": g_optimizer},
            self.engine_options(
                d_steps, g_steps, update_scheme, update_order, split_batch, reuse_latents, pretrain_d_steps, d_update
            ),
            **kwargs,
        )

    def _compile_with(self, optimizers: dict[str, Any], options: dict[str, Any], **kwargs: Any) -> None:
        """The shared part of every `compile`: optimizers, options, Keras' compile.

        Roles of `OPTIMIZERS` missing from `optimizers` are taken from
        `kwargs`; `None` becomes `default_optimizer()`.
        """
        if options.get("d_update", "joint") != "joint" and (
            "term" not in inspect.signature(self.discriminator_loss).parameters
        ):
            raise ValueError(
                f"{type(self).__name__}.discriminator_loss has no `term` argument, so its discriminator cannot "
                f"take a real step and a fake step. Received: d_update={options['d_update']!r}"
            )
        optimizers = dict(optimizers)
        for role in self.OPTIMIZERS:
            if role not in optimizers:
                optimizers[role] = kwargs.pop(role, None)
        unknown = set(optimizers) - set(self.OPTIMIZERS)
        if unknown:
            raise TypeError(f"{type(self).__name__}.compile() got unexpected optimizers {sorted(unknown)}")
        optimizers = {
            role: default_optimizer() if optimizers[role] is None else optimizers[role] for role in self.OPTIMIZERS
        }
        check_optimizers(optimizers)
        if self.dtype_policy.name == "mixed_float16" or keras.config.dtype_policy().name == "mixed_float16":
            # One loss-scale optimizer per update keeps the loss scales of
            # the networks independent.
            optimizers = {
                role: o
                if isinstance(o, keras.optimizers.LossScaleOptimizer)
                else keras.optimizers.LossScaleOptimizer(o)
                for role, o in optimizers.items()
            }
        kwargs.setdefault("jit_compile", False)
        super().compile(**kwargs)
        for role, optimizer in optimizers.items():
            setattr(self, role, optimizer)
            # Built here, inside the caller's `strategy.scope()`: created
            # lazily inside a distributed train step, Adam's slots fail
            # ("You must feed a value for placeholder tensor"), and a traced
            # step that was refused (bad input) must not be the one that
            # creates them.
            if not optimizer.built:
                optimizer.build(self._variables_of(role))
        self._training_options = dict(options)

    def _variables_of(self, role: str) -> list:
        variables = []
        for network in self.OPTIMIZERS[role]:
            variables.extend(getattr(self, network).trainable_variables)
        return variables

    @property
    def training_options(self) -> dict[str, Any] | None:
        """The options given to `compile` (a copy), or `None` before it."""
        return None if self._training_options is None else dict(self._training_options)

    @property
    def metrics(self):
        """The loss trackers, less those `unlogged_metrics` names (logs the losses cannot give)."""
        unlogged = getattr(self, "unlogged_metrics", ())
        return [tracker for name, tracker in self.trackers.items() if name not in unlogged]

    # -- the training step -----------------------------------------------------------

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

    def _gradients(self, role, tape, scaled_loss):
        return tape.gradient(scaled_loss, self._variables_of(role))

    def _apply_gradients(self, name, role, gradients):
        getattr(self, role).apply_gradients(zip(gradients, self._variables_of(role)))
        if name == GENERATOR and self.ema_generator is not None:
            self._update_ema()
        self.after_update(name)

    def _apply(self, name, role, tape, scaled_loss):
        self._apply_gradients(name, role, self._gradients(role, tape, scaled_loss))

    def _update_sequence(self) -> list[tuple[str, str]]:
        """`[(update name, optimizer role), ...]` of one train step, in order."""
        options = self._training_options
        updates = list(self.UPDATES)
        names = [update[0] for update in updates]
        if DISCRIMINATOR in names and GENERATOR in names:
            d_index, g_index = names.index(DISCRIMINATOR), names.index(GENERATOR)
            if (d_index < g_index) != (options["update_order"] == "discriminator_first"):
                updates[d_index], updates[g_index] = updates[g_index], updates[d_index]
        sequence = []
        for name, role, repeat in updates:
            sequence.extend([(name, role)] * (options[repeat] if repeat else 1))
        return sequence

    def _loss(self, name, batch, fakes, optimizer, **kwargs):
        loss, logs = getattr(self, f"{name}_loss")(batch, fakes, **kwargs)
        return self._scaled(optimizer, loss), logs

    def _discriminator_update(self, name, role, batch, fakes):
        """The discriminator update on `batch` and the (stopped) `fakes`; its logs.

        With `d_update="real_then_fake"`, two optimizer steps: the real term,
        then the fake term; logs both report are summed.
        """
        optimizer = getattr(self, role)
        if self._training_options.get("d_update", "joint") == "joint":
            with tf.GradientTape() as tape:
                scaled, logs = self._loss(name, batch, fakes, optimizer)
            self._apply(name, role, tape, scaled)
            return logs
        parts = []
        for term in ("real", "fake"):
            with tf.GradientTape() as tape:
                scaled, logs = self._loss(name, batch, fakes, optimizer, term=term)
            self._apply(name, role, tape, scaled)
            parts.append(logs)
        real, fake = parts
        return {**real, **fake, **{key: real[key] + fake[key] for key in real.keys() & fake.keys()}}

    def _split_batch(self, batch, parts):
        """`parts` batches, slicing the `SPLIT_KEYS` entries of `batch` along axis 0."""
        keys = [key for key in batch if self.SPLIT_KEYS is None or key in self.SPLIT_KEYS]
        for key in keys:
            size = batch[key].shape[0]
            if size is not None and size % parts:
                raise ValueError(
                    f"`split_batch=True` with d_steps={parts} needs batches whose size is a multiple of "
                    f"{parts}. Received: a batch of {size} ({key!r})"
                )
        slices = {}
        for key in keys:
            tensor = batch[key]
            if tensor.shape[0] is None:
                tf.debugging.assert_equal(
                    tf.shape(tensor)[0] % parts,
                    0,
                    message=f"`split_batch=True` with d_steps={parts} needs a batch size divisible by {parts}",
                )
            slices[key] = _split(tensor, parts)
        return [{**batch, **{key: slices[key][i] for key in keys}} for i in range(parts)]

    def _sample(self, batch, memo):
        """`sample_fakes(batch)`; with `reuse_latents`, from the step's first random state.

        `memo` is the train step's own dict; it keeps that first state.
        """
        if not self._training_options.get("reuse_latents", False):
            return self.sample_fakes(batch)
        if "state" not in memo:
            memo["state"] = tf.identity(self.rng_state)
            return self.sample_fakes(batch)
        state = tf.identity(self.rng_state)
        self.rng_state.assign(memo["state"])
        fakes = self.sample_fakes(batch)
        self.rng_state.assign(state)
        return fakes

    def train_step(self, data):
        if self._training_options is None:
            raise RuntimeError(f"Call `compile()` on the {type(self).__name__} before `fit()`.")
        batch = self.unpack_batch(data)
        pretrain = self._training_options.get("pretrain_d_steps", 0)
        if not pretrain:
            return self._run_updates(batch)
        return tf.cond(
            self.step_counter < pretrain,
            lambda: self._run_updates(batch, with_generator=False),
            lambda: self._run_updates(batch),
        )

    def _run_updates(self, batch, with_generator=True):
        """One train step's updates (without the generator's when `with_generator` is False); the logs."""
        options = self._training_options
        scheme = options["update_scheme"]
        sequence = self._update_sequence()
        if not with_generator:
            sequence = [update for update in sequence if update[0] != GENERATOR]
        # The batch each update sees: with `split_batch`, discriminator
        # update k takes slice k, the generator updates the last slice.
        batches = [batch] * len(sequence)
        if options["split_batch"] and options["d_steps"] > 1:
            parts = self._split_batch(batch, options["d_steps"])
            d_positions = [i for i, (name, _) in enumerate(sequence) if name == DISCRIMINATOR]
            for i, (name, _) in enumerate(sequence):
                if name == GENERATOR:
                    batches[i] = parts[-1]
            for k, i in enumerate(d_positions):
                batches[i] = parts[k % len(parts)]
        memo = {}  # the step's first random state (`reuse_latents`)
        logs = {}
        carried = None  # the fakes of a generator update, for the discriminator update after it
        position = 0
        while position < len(sequence):
            name, role = sequence[position]
            batch = batches[position]
            optimizer = getattr(self, role)
            following = sequence[position + 1] if position + 1 < len(sequence) else None
            pair = following is not None and {name, following[0]} == {DISCRIMINATOR, GENERATOR}
            if pair and scheme == "simultaneous":
                # Both losses on one generator pass through the discriminator
                # as it is now; both updates from those gradients.
                d_role, g_role = (role, following[1]) if name == DISCRIMINATOR else (following[1], role)
                with tf.GradientTape() as g_tape:
                    fakes = self._sample(batch, memo)
                    with g_tape.stop_recording():
                        with tf.GradientTape() as d_tape:
                            d_scaled, d_logs = self._loss(DISCRIMINATOR, batch, _stopped(fakes), getattr(self, d_role))
                    g_scaled, g_logs = self._loss(GENERATOR, batch, fakes, getattr(self, g_role))
                d_gradients = self._gradients(d_role, d_tape, d_scaled)
                g_gradients = self._gradients(g_role, g_tape, g_scaled)
                self._apply_gradients(DISCRIMINATOR, d_role, d_gradients)
                self._apply_gradients(GENERATOR, g_role, g_gradients)
                logs.update(d_logs)
                logs.update(g_logs)
                carried = None
                position += 2
                continue
            if pair and scheme == "shared" and name == DISCRIMINATOR:
                # One generator pass for this discriminator update and the
                # generator update after it (class docstring).
                g_role = following[1]
                with tf.GradientTape() as g_tape:
                    fakes = self._sample(batch, memo)
                    with g_tape.stop_recording():
                        logs.update(self._discriminator_update(name, role, batch, _stopped(fakes)))
                    scaled, step_logs = self._loss(GENERATOR, batch, fakes, getattr(self, g_role))
                self._apply(GENERATOR, g_role, g_tape, scaled)
                logs.update(step_logs)
                carried = None
                position += 2
                continue
            if name == DISCRIMINATOR:
                fakes = carried if (scheme == "shared" and carried is not None) else _stopped(self._sample(batch, memo))
                logs.update(self._discriminator_update(name, role, batch, fakes))
                carried = None
                position += 1
                continue
            if name == GENERATOR:
                with tf.GradientTape() as tape:
                    fakes = self._sample(batch, memo)
                    scaled, step_logs = self._loss(name, batch, fakes, optimizer)
                carried = _stopped(fakes)
            else:
                with tf.GradientTape() as tape:
                    scaled, step_logs = self._loss(name, batch, None, optimizer)
            self._apply(name, role, tape, scaled)
            logs.update(step_logs)
            position += 1
        self.step_counter.assign_add(1)
        for key, value in logs.items():
            self.trackers[key].update_state(tf.cast(value, tf.float32))
        return metric_logs(self.metrics)

    # -- fit ---------------------------------------------------------------------------

    def check_fit_data(self, x: Any) -> None:
        """Looks at `fit()`'s data before training; warns or raises (default: nothing)."""

    def fit(self, x=None, *args, **kwargs):
        """Keras' `fit()`, refusing input that would train nothing.

        A dataset known to be empty is refused before training; one whose
        size is unknown (e.g. after `filter`) is refused after the first epoch
        that ran no step. `shuffle` defaults to `False` for a
        `tf.data.Dataset` (Keras ignores it there and warns on its default
        `True`; shuffle in the pipeline, as the `data_loaders` do). See
        `keras.Model.fit` for the arguments.
        """
        check_dataset_not_empty(x, type(self).__name__)
        self.check_fit_data(x)
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

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        """Does Keras' pre-`fit` symbolic build only when it needs data.

        Under `tf.distribute` Keras 3 (TensorFlow backend) takes the first
        batch and calls `strategy.reduce` on the whole `(x, y)` structure,
        which fails under `MultiWorkerMirroredStrategy` ("Attempt to convert
        a value (PerReplica...) to a Tensor"). The batch is only needed to
        build unbuilt layers or compiled losses/metrics; gankit's models
        arrive built and track their own losses, so all that is left is
        `self.optimizer` (the unused one `keras.Model.compile` creates),
        built here in the scope.
        """
        if getattr(self, "_distribute_strategy", None) is None:
            return  # Keras builds nothing here without a strategy either
        if (
            not self.built
            or getattr(self, "_compile_loss", None) is not None
            or getattr(self, "_compile_metrics", None) is not None
        ):
            super()._maybe_symbolic_build(iterator=iterator, data_batch=data_batch)
            return
        optimizer = getattr(self, "optimizer", None)
        if optimizer is not None and not optimizer.built:
            with self.distribute_strategy.scope():
                optimizer.build(self.trainable_variables)

    # -- serialization ----------------------------------------------------------------

    def _networks_config(self) -> dict[str, Any]:
        return {name: _serialize(getattr(self, name)) for name in self.NETWORKS}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        for key in cls.NETWORKS:
            config[key] = keras.saving.deserialize_keras_object(config[key], custom_objects=custom_objects)
        return cls(**config)

    def serialize_options(self, options: dict[str, Any]) -> dict[str, Any]:
        """The compile options as they go into the compile config (JSON-able)."""
        options = dict(options)
        for key in self.SERIALIZED_OPTIONS:
            if options.get(key) is not None and not isinstance(options[key], (int, float, str, bool)):
                options[key] = _serialize(options[key])
        return options

    def get_compile_config(self):
        if self._training_options is None:
            return None
        return {
            **self.serialize_options(self._training_options),
            **{role: _serialize(getattr(self, role)) for role in self.OPTIMIZERS},
        }

    def compile_from_config(self, config):
        config = dict(config)
        for key in (*self.OPTIMIZERS, *self.SERIALIZED_OPTIONS):
            if isinstance(config.get(key), dict):
                config[key] = keras.saving.deserialize_keras_object(config[key])
        self.compile(**config)  # also creates the optimizer variables, so their saved state loads
