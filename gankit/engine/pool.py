"""`ImagePool`: the one pool of past fakes, for experience replay and CycleGAN.

A discriminator that sees only the newest fakes can chase the generator in
circles; showing it some older fakes steadies it (Shrivastava et al. 2017,
"experience replay"; Zhu et al. 2017 keep 50 per domain and swap each fake
for a stored one with probability 1/2).
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

import keras
import tensorflow as tf

from gankit._checks import check_int
from gankit._checks import check_number


@keras.saving.register_keras_serializable(package="gankit")
class ImagePool(keras.layers.Layer):
    """A fixed-size pool of past fakes that swaps some of each new batch for old ones.

    The rule is the CycleGAN paper's `ImagePool` (Zhu et al. 2017, after
    Shrivastava et al. 2017), vectorised over the batch:

    1. While the pool has free slots, fakes go into them and pass through
       unchanged (so the first batch never returns an unwritten, all-zero
       slot).
    2. Every other fake is, with probability `history_fraction`, swapped for
       a stored fake (which it replaces in the pool); otherwise it passes
       through and the pool keeps what it holds.

    Within a batch the swapped fakes pick distinct slots among those filled
    before the batch, so a batch larger than the pool holds no duplicate
    history image (picking with replacement, 64 picks from 50 slots repeat
    a slot 27% of the time); when more fakes want a swap than the pool
    holds, the rest pass through.

    The pool stores one or several aligned tensors per fake (images, or
    images and their class labels for a conditional GAN): `specs` names
    them. It is a layer of non-trainable weights, so it is saved with the
    model and restored by `gankit.training.TrainingBackup`; its random draws
    come from the `seed` given to `query` (the model's checkpointed
    `rng_state`), so a resumed run picks what an uninterrupted one would.
    Under `tf.distribute` the weights follow the first replica.

    Args:
        capacity: Number of fakes the pool holds, a positive integer (the
            paper: 50).
        specs: `{name: shape}` of what one fake is made of, shapes without
            the batch axis, e.g. `{"images": (28, 28, 1)}`. Integer-valued
            entries (labels) are stored as int32 when their name is in
            `integer_keys`.
        history_fraction: Probability that a fake is swapped for a stored
            one once the pool is full. Defaults to `0.5` (the paper).
        integer_keys: Names in `specs` stored as int32. Defaults to `()`.
        **kwargs: Base layer arguments (`name`, ...).

    Raises:
        ValueError: For a capacity below 1, a fraction outside [0, 1], or
            empty or malformed `specs`.
        TypeError: For arguments of the wrong type.

    Example:

        >>> pool = ImagePool(4, {"images": (2, 2, 1)})
        >>> first = pool.query({"images": tf.ones((3, 2, 2, 1))}, tf.constant([1, 2], tf.int64))
        >>> float(tf.reduce_min(first["images"]))  # the first batch passes through
        1.0
    """

    def __init__(
        self,
        capacity: int,
        specs: Mapping[str, Sequence[int]],
        history_fraction: float = 0.5,
        integer_keys: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.capacity = check_int(capacity, name="capacity", minimum=1)
        self.history_fraction = check_number(history_fraction, name="history_fraction", minimum=0.0, maximum=1.0)
        if not isinstance(specs, Mapping) or not specs:
            raise ValueError(f"`specs` must be a non-empty dict {{name: shape}}. Received: specs={specs!r}")
        integer_keys = tuple(integer_keys)
        unknown = [key for key in integer_keys if key not in specs]
        if unknown:
            raise ValueError(f"`integer_keys` must name entries of `specs`. Received: integer_keys={integer_keys!r}")
        self.specs = {}
        for key, shape in specs.items():
            try:
                shape = tuple(int(d) for d in shape)
            except (TypeError, ValueError):
                raise ValueError(f"`specs[{key!r}]` must be a shape of integers. Received: {shape!r}") from None
            self.specs[str(key)] = shape
        self.integer_keys = integer_keys
        self.stored = {
            key: self.add_weight(
                name=f"stored_{key}",
                shape=(self.capacity,) + shape,
                dtype="int32" if key in integer_keys else "float32",
                initializer="zeros",
                trainable=False,
                aggregation="only_first_replica",
            )
            for key, shape in self.specs.items()
        }
        self.count = self.add_weight(
            name="count",
            shape=(),
            dtype="int64",
            initializer="zeros",
            trainable=False,
            aggregation="only_first_replica",
        )
        self.built = True

    def query(self, fakes: Mapping[str, tf.Tensor], seed: tf.Tensor) -> dict[str, tf.Tensor]:
        """Returns the batch the discriminator should see and updates the pool.

        Args:
            fakes: `{name: batch}` with the names of `specs`, all with the
                same batch size.
            seed: A stateless seed, an int64 tensor of shape `(2,)`.

        Returns:
            A dict like `fakes`: each fake either passed through or swapped
            for a stored one, in the dtypes of `fakes`.

        Raises:
            ValueError: If the names differ from `specs`.
        """
        if set(fakes) != set(self.specs):
            raise ValueError(f"`fakes` must have the entries {sorted(self.specs)}. Received: {sorted(fakes)}")
        first = fakes[next(iter(self.specs))]
        batch = tf.shape(first, out_type=tf.int64)[0]
        capacity = tf.constant(self.capacity, tf.int64)
        filled = tf.minimum(tf.convert_to_tensor(self.count), capacity)  # slots written before this batch
        index = tf.range(batch)
        filling = index < capacity - filled  # these take the free slots
        swap_seed, order_seed = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
        wants = tf.logical_and(~filling, tf.random.stateless_uniform([batch], swap_seed) < self.history_fraction)
        # A random order of the filled slots: unfilled slots sort last.
        keys = (
            tf.random.stateless_uniform([self.capacity], order_seed)
            + tf.cast(tf.range(capacity) >= filled, tf.float32) * 2.0
        )
        order = tf.argsort(keys)
        rank = tf.cumsum(tf.cast(wants, tf.int64)) - 1  # position among this batch's swaps
        swap = tf.logical_and(wants, rank < filled)
        picked = tf.cast(tf.gather(order, tf.clip_by_value(rank, 0, capacity - 1)), tf.int64)
        slots = tf.where(filling, filled + index, picked)
        write = tf.logical_or(filling, swap)
        write_slots = tf.boolean_mask(slots, write)[:, None]
        gather_slots = tf.clip_by_value(slots, 0, capacity - 1)
        outputs = {}
        for key in self.specs:
            stored = self.stored[key]
            new = tf.cast(fakes[key], stored.dtype)
            old = tf.gather(stored, gather_slots)  # read before the write below
            mask = tf.reshape(swap, [-1] + [1] * (new.shape.rank - 1))
            outputs[key] = tf.cast(tf.where(mask, old, new), fakes[key].dtype)
            stored.assign(tf.tensor_scatter_nd_update(stored, write_slots, tf.boolean_mask(new, write)))
        self.count.assign(filled + tf.reduce_sum(tf.cast(filling, tf.int64)))
        return outputs

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "capacity": self.capacity,
            "specs": {key: list(shape) for key, shape in self.specs.items()},
            "history_fraction": self.history_fraction,
            "integer_keys": list(self.integer_keys),
        }
