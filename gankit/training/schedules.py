"""Schedules: learning rates, instance noise and the Progressive GAN fade-in, in one place.

- `cosine_decay` and `GANLearningRateScheduler` (per-epoch rates of both
  optimizers: the decay source 000's text describes);
- `LinearDecaySchedule` (constant, then linear to 0: CycleGAN), defined in
  `gankit.engine.schedules` because `CycleGAN.compile` builds it;
- `InstanceNoiseSchedule` (annealed instance noise), defined in
  `gankit.losses` beside `add_instance_noise`;
- `fade_alpha` (the Progressive GAN fade-in weight).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import keras
import numpy as np

from gankit._checks import check_choice
from gankit._checks import check_int
from gankit._checks import check_number
from gankit.engine.schedules import LinearDecaySchedule
from gankit.losses import InstanceNoiseSchedule

D_LEARNING_RATE = "d_learning_rate"


G_LEARNING_RATE = "g_learning_rate"


def cosine_decay(
    initial_learning_rate: float, decay_steps: int, alpha: float = 0.0
) -> Callable[[int, float | None], float]:
    """A per-epoch cosine decay for `GANLearningRateScheduler`.

    Returns `schedule(epoch, learning_rate)` giving
    `initial_learning_rate * ((1 - alpha) * 0.5 * (1 + cos(pi * e / decay_steps)) + alpha)`
    with `e = min(epoch, decay_steps)`: the value of
    `keras.optimizers.schedules.CosineDecay` with the epoch as its step.
    Source 000's text decays with `tf.train.cosine_decay`, but its code never
    applied it: the decayed optimizers were bound to local names inside
    `train()` while `train_step` kept the originals, and `global_step` was
    reset every epoch, so its results came from a constant 2e-4 (the
    `kaggle_dogs` preset trains that way). This is the decay the text
    intended, with the rates assigned in place so Adam keeps its moments. For a decay per step
    rather than per epoch, give each optimizer
    `keras.optimizers.schedules.CosineDecay(initial_learning_rate,
    decay_steps, alpha)` and no scheduler.

    Reference: [Loshchilov and Hutter, 2017](https://arxiv.org/abs/1608.03983).

    Args:
        initial_learning_rate: Learning rate at epoch 0, > 0.
        decay_steps: Epochs over which to decay, >= 1.
        alpha: Final rate as a fraction of `initial_learning_rate`, in
            [0, 1]. Defaults to `0.0`.

    Returns:
        A function `schedule(epoch, learning_rate) -> float` (the current
        rate is ignored).

    Raises:
        TypeError: If an argument is not a number.
        ValueError: If an argument is NaN, infinite or out of range.

    Example:

        >>> schedule = cosine_decay(2e-4, decay_steps=10)
        >>> [round(schedule(epoch, None), 8) for epoch in (0, 5, 10, 20)]
        [0.0002, 0.0001, 0.0, 0.0]
    """
    for name, value in (("initial_learning_rate", initial_learning_rate), ("alpha", alpha)):
        check_number(value, name=name)
    if not initial_learning_rate > 0:
        raise ValueError(
            f"`initial_learning_rate` must be > 0. Received: initial_learning_rate={initial_learning_rate}"
        )
    decay_steps = check_int(decay_steps, name="decay_steps", minimum=1)
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"`alpha` must be in [0, 1]. Received: alpha={alpha}")
    initial_learning_rate, alpha = float(initial_learning_rate), float(alpha)

    def schedule(epoch, learning_rate=None):
        progress = min(epoch, decay_steps) / decay_steps
        cosine = 0.5 * (1.0 + math.cos(math.pi * progress))
        return initial_learning_rate * ((1.0 - alpha) * cosine + alpha)

    return schedule


class GANLearningRateScheduler(keras.callbacks.Callback):
    """Sets the discriminator's and/or generator's learning rate every epoch.

    `keras.callbacks.LearningRateScheduler` only knows `model.optimizer`; a
    GAN has two. At the start of every epoch this callback calls
    `schedule(epoch, current_rate)` (0-based epoch, as in Keras) for each
    chosen optimizer and assigns the result to its learning-rate variable,
    keeping the optimizer's state. The rates in use are added to the epoch
    logs as `d_learning_rate` / `g_learning_rate`. For different schedules
    per network, use two callbacks with `which="d"` and `which="g"`.

    The optimizers must have been created with a float learning rate; one
    built on a `keras.optimizers.schedules.LearningRateSchedule` already
    follows that schedule and is refused.

    Args:
        schedule: A function `(epoch, learning_rate) -> float`, e.g.
            `cosine_decay(2e-4, decay_steps=100)`.
        which: `"both"`, `"d"` (`model.d_optimizer`) or `"g"`
            (`model.g_optimizer`). Defaults to `"both"`.
        verbose: 1 prints every change, 0 is silent. Defaults to `0`.

    Raises:
        TypeError: If `schedule` is not callable, it returns a non-number, or
            an optimizer's learning rate is a schedule.
        ValueError: If `which` or `verbose` is unknown, or the schedule
            returns a negative or non-finite rate.

    Example:

        >>> callback = GANLearningRateScheduler(cosine_decay(2e-4, 100), which="both")
        >>> callback.optimizer_names
        ('d_optimizer', 'g_optimizer')
    """

    _WHICH = {
        "both": ("d_optimizer", "g_optimizer"),
        "d": ("d_optimizer",),
        "g": ("g_optimizer",),
    }
    _LOG_NAMES = {"d_optimizer": D_LEARNING_RATE, "g_optimizer": G_LEARNING_RATE}

    def __init__(self, schedule: Callable[[int, float], float], which: str = "both", verbose: int = 0) -> None:
        super().__init__()
        if not callable(schedule):
            raise TypeError(f"`schedule` must be callable as schedule(epoch, lr). Received: schedule={schedule!r}")
        if which not in self._WHICH:
            raise ValueError(f"`which` must be one of {tuple(self._WHICH)}. Received: which={which!r}")
        self.schedule = schedule
        self.which = which
        self.verbose = check_choice(verbose, name="verbose", choices=(0, 1))
        self.optimizer_names = self._WHICH[which]

    def _variable(self, name):
        optimizer = getattr(self.model, name, None)
        if optimizer is None:
            raise TypeError(
                f"GANLearningRateScheduler needs `model.{name}`; compile the GAN with "
                f"both optimizers. Received: a {type(self.model).__name__} without it."
            )
        learning_rate = optimizer.learning_rate
        # A float learning rate is a variable; a schedule (or a callable) is
        # evaluated into a tensor on every read and cannot be assigned.
        if not isinstance(learning_rate, keras.Variable):
            raise TypeError(
                f"`model.{name}` has a learning-rate schedule, not a settable rate, so "
                "GANLearningRateScheduler cannot change it. Create the optimizer with a float "
                "`learning_rate`, or keep the schedule and drop this callback. Received: "
                f"{name}.learning_rate of type {type(learning_rate).__name__}"
            )
        return learning_rate

    def on_train_begin(self, logs=None):
        for name in self.optimizer_names:
            self._variable(name)

    def on_epoch_begin(self, epoch, logs=None):
        for name in self.optimizer_names:
            variable = self._variable(name)
            current = float(keras.ops.convert_to_numpy(variable))
            new = self.schedule(epoch, current)
            if isinstance(new, bool) or not isinstance(new, (int, float, np.integer, np.floating)):
                raise TypeError(f"`schedule` must return a number. Received: {new!r} for epoch {epoch}")
            new = float(new)
            if not (math.isfinite(new) and new >= 0.0):
                raise ValueError(
                    f"`schedule` must return a finite learning rate >= 0. Received: {new} for epoch {epoch}"
                )
            variable.assign(new)
            if self.verbose:
                print(f"\nEpoch {epoch + 1}: GANLearningRateScheduler setting {name} learning rate to {new}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            return
        for name in self.optimizer_names:
            logs[self._LOG_NAMES[name]] = float(keras.ops.convert_to_numpy(self._variable(name)))


def fade_alpha(images_seen: float, fade_images: float) -> float:
    """Fade-in weight after `images_seen` of `fade_images`: `min(1, seen / total)`.

    Raises:
        TypeError: If an argument is not a number.
        ValueError: If an argument is NaN or infinite.
    """
    images_seen = check_number(images_seen, name="images_seen")
    fade_images = check_number(fade_images, name="fade_images")
    if fade_images <= 0:
        return 1.0
    return float(min(1.0, max(0.0, images_seen / fade_images)))


__all__ = [
    "GANLearningRateScheduler",
    "InstanceNoiseSchedule",
    "LinearDecaySchedule",
    "cosine_decay",
    "fade_alpha",
]
