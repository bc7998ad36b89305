"""`LinearDecaySchedule`: a constant learning rate, then a linear decay to 0 (CycleGAN).

It lives in the engine, below the families, because `CycleGAN.compile` builds
it from epoch counts; `gankit.training.schedules` gathers it with the other
schedules.
"""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf

from gankit._checks import check_int
from gankit._checks import check_number


@keras.saving.register_keras_serializable(package="gankit")
class LinearDecaySchedule(keras.optimizers.schedules.LearningRateSchedule):
    """Constant learning rate, then a linear decay to 0.

    `lr(step) = initial_learning_rate` for `step < decay_start_step`, then
    falls linearly to 0 at `decay_start_step + decay_steps` and stays 0.
    The CycleGAN paper keeps 2e-4 for 100 epochs and decays linearly over
    the next 100: `LinearDecaySchedule(2e-4, 100 * steps_per_epoch,
    100 * steps_per_epoch)` (per step rather than the paper's per epoch).

    Reference: [Zhu et al., 2017](https://arxiv.org/abs/1703.10593),
    section 4 ("Training details").

    Args:
        initial_learning_rate: Learning rate of the constant phase, > 0.
        decay_start_step: Optimizer step at which the decay starts, >= 0.
        decay_steps: Length of the decay, >= 1.

    Raises:
        TypeError: For non-numeric arguments.
        ValueError: For out-of-range arguments.

    Example:

        >>> schedule = LinearDecaySchedule(1.0, decay_start_step=10, decay_steps=10)
        >>> [round(float(schedule(s)), 2) for s in (0, 10, 15, 20, 30)]
        [1.0, 1.0, 0.5, 0.0, 0.0]
    """

    def __init__(self, initial_learning_rate: float, decay_start_step: int, decay_steps: int) -> None:
        super().__init__()
        self.initial_learning_rate = check_number(initial_learning_rate, name="initial_learning_rate", minimum=0.0)
        if self.initial_learning_rate == 0:
            raise ValueError("`initial_learning_rate` must be positive. Received: initial_learning_rate=0")
        self.decay_start_step = check_int(decay_start_step, name="decay_start_step", minimum=0)
        self.decay_steps = check_int(decay_steps, name="decay_steps", minimum=1)

    def __call__(self, step: int | tf.Tensor | keras.Variable) -> tf.Tensor:
        step = tf.cast(step, tf.float32)
        remaining = 1.0 - (step - float(self.decay_start_step)) / float(self.decay_steps)
        return self.initial_learning_rate * tf.clip_by_value(remaining, 0.0, 1.0)

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_start_step": self.decay_start_step,
            "decay_steps": self.decay_steps,
        }
