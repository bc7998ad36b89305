"""CycleGAN: unpaired image-to-image translation with two generators and two critics.

- `build_cyclegan(...)`: a ready-to-train `CycleGAN` with the networks of
  "GANs in Action" chapter 9 (U-Net generator, `gf=32`; PatchGAN
  discriminator, `df=64`) or the paper's ResNet generator.
- `build_unet_generator`, `build_resnet_generator`,
  `build_patch_discriminator`: the plain Keras networks.
- `ReflectionPadding2D`: the reflection padding of the ResNet generator.
- `LinearDecaySchedule`: constant learning rate, then linear decay to 0
  (the paper's schedule: 100 epochs constant, 100 decaying).
- `CycleGAN`: the `keras.Model` trained with `fit()` on `(a, b)` batches.

Normalization. Every builder takes `normalization=`: `"instance"` (the
default) is the paper's instance norm, per sample and per channel over the
spatial axes with per-channel scale and offset; `"keras_contrib"` is the
layer the book's code ran, `keras_contrib.layers.InstanceNormalization()`
with its default `axis=None`: per sample over height, width and channels
together, one scalar scale and offset, epsilon added to the standard
deviation (`gankit.layers.InstanceNormalization(axis=None)`). Pass
`normalization="keras_contrib"` to reproduce the book's networks exactly.

Weighting conventions. The book's combined model (listing 9.3) is compiled
with losses `[mse, mse, mae, mae, mae, mae]` and weights
`[1, 1, lambda_cycle, lambda_cycle, lambda_id, lambda_id]`, so the
generators minimise

    mse(D_A(F(b)), 1) + mse(D_B(G(a)), 1)
    + lambda_cycle * (|F(G(a)) - a| + |G(F(b)) - b|)
    + lambda_id * (|F(a) - a| + |G(b) - b|)

with `|.|` the mean absolute error, which is also the paper's PyTorch
reference. `lambda_identity` is the *absolute* identity weight: the book
uses `0.9 * lambda_cycle` (9 for lambda 10); the paper's `lambda_identity=0.5`
option means `0.5 * lambda_cycle` (5), i.e. `lambda_identity=5.0` here.
Each discriminator's loss is `0.5 * (mse(D(real), 1) + mse(D(fake), 0))`
(the book's `dA_loss = 0.5 * (real + fake)`, the paper's halving).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

import keras
import numpy as np
import tensorflow as tf
from numpy.typing import ArrayLike

from gankit import losses as gan_losses
from gankit._checks import check_bool
from gankit._checks import check_choice
from gankit._checks import check_image_shape
from gankit._checks import check_int
from gankit._checks import check_number
from gankit.engine import AdversarialModel
from gankit.engine import ImagePool
from gankit.engine import check_real_batch
from gankit.engine.schedules import LinearDecaySchedule
from gankit.layers import InstanceNormalization
from gankit.layers.padding import ReflectionPadding2D

# "GANs in Action" chapter 9, listing 9.2 (after Keras-GAN's cyclegan.py).
BOOK_IMAGE_SHAPE = (128, 128, 3)
BOOK_GENERATOR_FILTERS = 32  # gf
BOOK_DISCRIMINATOR_FILTERS = 64  # df
BOOK_LAMBDA_CYCLE = 10.0
BOOK_IDENTITY_FACTOR = 0.9  # lambda_id = 0.9 * lambda_cycle
# Zhu et al. 2017 (https://arxiv.org/abs/1703.10593), appendix 7.2.
PAPER_GENERATOR_FILTERS = 64
PAPER_NUM_RESIDUAL_BLOCKS = 9  # 6 for 128x128 images, 9 for 256x256
PAPER_IDENTITY_FACTOR = 0.5
PAPER_POOL_SIZE = 50

GENERATOR_TYPES = ("unet", "resnet")
"""Accepted values of `build_cyclegan(generator=...)`."""

NORMALIZATIONS = ("instance", "keras_contrib")
"""Accepted values of the builders' `normalization=`: the paper's per-channel
instance norm, or the book's keras_contrib `InstanceNormalization()`
(`axis=None`: whole-sample statistics, scalar scale and offset)."""

DIRECTIONS = ("a2b", "b2a")
"""Accepted values of `CycleGAN.translate(direction=...)`."""

VALUE_RANGES = ((-1.0, 1.0), (0.0, 1.0))
"""Accepted input ranges of `CycleGAN.translate(value_range=...)`."""

# Tracked metric names.
D_A_LOSS = "d_a_loss"
D_B_LOSS = "d_b_loss"
D_REAL_LOSS = "d_real_loss"
D_FAKE_LOSS = "d_fake_loss"
G_LOSS = "g_loss"
CYCLE_LOSS = "cycle_loss"
IDENTITY_LOSS = "identity_loss"

_UNET_DEPTH = 4  # d1..d4 in listing 9.4


def _check_normalization(normalization: str) -> str:
    return check_choice(normalization, name="normalization", choices=NORMALIZATIONS)


def _normalization_layer(normalization: str) -> InstanceNormalization:
    """A fresh normalization layer of a checked `normalization` kind."""
    if normalization == "keras_contrib":
        return InstanceNormalization(axis=None)  # keras_contrib's default axis
    return InstanceNormalization()


def build_unet_generator(
    image_shape: Sequence[int] = BOOK_IMAGE_SHAPE,
    filters: int = BOOK_GENERATOR_FILTERS,
    *,
    dropout: float = 0.0,
    normalization: str = "instance",
    name: str | None = None,
    dropout_rate: float | None = None,
) -> keras.Model:
    """The U-Net generator of "GANs in Action" listing 9.4.

    Four downsampling blocks `conv2d` (4x4 conv stride 2, LeakyReLU 0.2,
    instance norm) with `filters * (1, 2, 4, 8)` channels, three upsampling
    blocks `deconv2d` (nearest-neighbour `UpSampling2D`, 4x4 conv + ReLU,
    optional dropout, instance norm, concatenation with the matching
    downsampling output), a last upsampling and a 4x4 `tanh` conv back to
    the input's channels.

    Args:
        image_shape: `(height, width, channels)`; height and width must be
            divisible by 16. Defaults to `(128, 128, 3)`.
        filters: Channels of the first block (the book's `gf`).
            Defaults to `32`.
        dropout: Dropout rate in the upsampling blocks (the book's
            `dropout_rate`, 0 there). Defaults to `0.0`.
        normalization: `"instance"` (the paper's per-channel instance
            norm) or `"keras_contrib"` (the book's keras_contrib layer:
            whole-sample statistics, scalar scale and offset). Defaults to
            `"instance"`.
        name: Model name. Defaults to `None`.
        dropout_rate: Deprecated name of `dropout` (gankit 0.1); warns
            with a `DeprecationWarning`. Defaults to `None`.

    Returns:
        A `keras.Model` mapping images in [-1, 1] to images in [-1, 1].

    Raises:
        ValueError: If the image size is not divisible by 16,
            `dropout` is not in [0, 1) or `normalization` is unknown.
        TypeError: For arguments of the wrong type.

    Example:

        >>> build_unet_generator((32, 32, 3), filters=4).output_shape
        (None, 32, 32, 3)
    """
    image_shape = check_image_shape(
        image_shape, divisor=2**_UNET_DEPTH, reason="the U-Net generator halves them 4 times"
    )
    filters = check_int(filters, name="filters", minimum=1)
    normalization = _check_normalization(normalization)
    if dropout_rate is not None:
        warnings.warn(
            "build_unet_generator(dropout_rate=...) is deprecated: pass `dropout=`, the name every builder uses.",
            DeprecationWarning,
            stacklevel=2,
        )
        dropout = dropout_rate
    dropout_rate = check_number(dropout, name="dropout", minimum=0.0, maximum=1.0)
    if dropout_rate == 1.0:
        raise ValueError("`dropout` must be in [0, 1). Received: dropout=1.0")

    def conv2d(x, channels):
        x = keras.layers.Conv2D(channels, 4, strides=2, padding="same")(x)
        x = keras.layers.LeakyReLU(negative_slope=0.2)(x)
        return _normalization_layer(normalization)(x)

    def deconv2d(x, skip, channels):
        x = keras.layers.UpSampling2D(size=2)(x)
        x = keras.layers.Conv2D(channels, 4, strides=1, padding="same", activation="relu")(x)
        if dropout_rate:
            x = keras.layers.Dropout(dropout_rate)(x)
        x = _normalization_layer(normalization)(x)
        return keras.layers.Concatenate()([x, skip])

    d0 = keras.Input(shape=image_shape)
    d1 = conv2d(d0, filters)
    d2 = conv2d(d1, filters * 2)
    d3 = conv2d(d2, filters * 4)
    d4 = conv2d(d3, filters * 8)
    u1 = deconv2d(d4, d3, filters * 4)
    u2 = deconv2d(u1, d2, filters * 2)
    u3 = deconv2d(u2, d1, filters)
    u4 = keras.layers.UpSampling2D(size=2)(u3)
    x = keras.layers.Conv2D(image_shape[-1], 4, strides=1, padding="same")(u4)
    # float32 output under mixed precision (losses and pools are float32).
    outputs = keras.layers.Activation("tanh", dtype="float32")(x)
    return keras.Model(d0, outputs, name=name or "unet_generator")


def build_resnet_generator(
    image_shape: Sequence[int] = (256, 256, 3),
    filters: int = PAPER_GENERATOR_FILTERS,
    num_residual_blocks: int = PAPER_NUM_RESIDUAL_BLOCKS,
    *,
    normalization: str = "instance",
    name: str | None = None,
) -> keras.Model:
    """The CycleGAN paper's ResNet generator (after Johnson et al. 2016).

    `c7s1-64, d128, d256, R256 x n, u128, u64, c7s1-3` for `filters=64`:
    7x7 conv after 3-pixel reflection padding, two 3x3 stride-2 convs,
    `n` residual blocks (reflection pad, 3x3 conv, norm, ReLU, reflection
    pad, 3x3 conv, norm, add), two 3x3 stride-2 transposed convs, and a
    7x7 `tanh` conv; every conv but the last is followed by instance norm
    and ReLU.

    Reference: [Zhu et al., 2017](https://arxiv.org/abs/1703.10593),
    appendix 7.2 (9 blocks for 256x256, 6 for 128x128).

    Args:
        image_shape: `(height, width, channels)`; height and width must be
            divisible by 4. Defaults to `(256, 256, 3)`.
        filters: Channels of the first conv. Defaults to `64`.
        num_residual_blocks: Residual blocks. Defaults to `9`.
        normalization: `"instance"` (the paper's per-channel instance
            norm) or `"keras_contrib"` (the book's keras_contrib layer:
            whole-sample statistics, scalar scale and offset). Defaults to
            `"instance"`.
        name: Model name. Defaults to `None`.

    Returns:
        A `keras.Model` mapping images in [-1, 1] to images in [-1, 1].

    Raises:
        ValueError: If the image size is not divisible by 4, a count is
            out of range or `normalization` is unknown.
        TypeError: For arguments of the wrong type.

    Example:

        >>> build_resnet_generator((16, 16, 3), filters=4, num_residual_blocks=1).output_shape
        (None, 16, 16, 3)
    """
    image_shape = check_image_shape(image_shape, divisor=4, reason="the ResNet generator halves them twice")
    filters = check_int(filters, name="filters", minimum=1)
    num_residual_blocks = check_int(num_residual_blocks, name="num_residual_blocks", minimum=0)
    normalization = _check_normalization(normalization)

    def norm_relu(x):
        return keras.layers.ReLU()(_normalization_layer(normalization)(x))

    inputs = keras.Input(shape=image_shape)
    x = ReflectionPadding2D(3)(inputs)
    x = norm_relu(keras.layers.Conv2D(filters, 7, padding="valid")(x))
    for multiple in (2, 4):
        x = norm_relu(keras.layers.Conv2D(filters * multiple, 3, strides=2, padding="same")(x))
    for _ in range(num_residual_blocks):
        y = ReflectionPadding2D(1)(x)
        y = norm_relu(keras.layers.Conv2D(filters * 4, 3, padding="valid")(y))
        y = ReflectionPadding2D(1)(y)
        y = _normalization_layer(normalization)(keras.layers.Conv2D(filters * 4, 3, padding="valid")(y))
        x = keras.layers.Add()([x, y])
    for multiple in (2, 1):
        x = norm_relu(keras.layers.Conv2DTranspose(filters * multiple, 3, strides=2, padding="same")(x))
    x = ReflectionPadding2D(3)(x)
    x = keras.layers.Conv2D(image_shape[-1], 7, padding="valid")(x)
    outputs = keras.layers.Activation("tanh", dtype="float32")(x)
    return keras.Model(inputs, outputs, name=name or "resnet_generator")


def build_patch_discriminator(
    image_shape: Sequence[int] = BOOK_IMAGE_SHAPE,
    filters: int = BOOK_DISCRIMINATOR_FILTERS,
    num_layers: int = 4,
    *,
    normalization: str = "instance",
    name: str | None = None,
) -> keras.Model:
    """The PatchGAN discriminator of "GANs in Action" listing 9.5.

    `num_layers` blocks `d_layer` (4x4 conv stride 2, LeakyReLU 0.2,
    instance norm except on the first block) with `filters * 2**i`
    channels, then a 4x4 stride-1 conv to one channel: a map of raw scores
    (logits), one per patch, of size `image_size / 2**num_layers` (8x8 for
    128x128 images: the book's `patch = img_rows / 2**4`).

    Args:
        image_shape: `(height, width, channels)`; height and width must be
            divisible by `2**num_layers`. Defaults to `(128, 128, 3)`.
        filters: Channels of the first block (the book's `df`).
            Defaults to `64`.
        num_layers: Stride-2 blocks. Defaults to `4`.
        normalization: `"instance"` (the paper's per-channel instance
            norm) or `"keras_contrib"` (the book's keras_contrib layer:
            whole-sample statistics, scalar scale and offset). Defaults to
            `"instance"`.
        name: Model name. Defaults to `None`.

    Returns:
        A `keras.Model` mapping images to `(batch, h / 2**n, w / 2**n, 1)`
        logits.

    Raises:
        ValueError: If the image size is not divisible by `2**num_layers`
            or `normalization` is unknown.
        TypeError: For arguments of the wrong type.

    Example:

        >>> build_patch_discriminator((32, 32, 3), filters=4).output_shape
        (None, 2, 2, 1)
    """
    num_layers = check_int(num_layers, name="num_layers", minimum=1)
    image_shape = check_image_shape(
        image_shape,
        divisor=2**num_layers,
        reason=f"{num_layers} PatchGAN layers halve them",
    )
    filters = check_int(filters, name="filters", minimum=1)
    normalization = _check_normalization(normalization)
    inputs = keras.Input(shape=image_shape)
    x = inputs
    for i in range(num_layers):
        x = keras.layers.Conv2D(filters * 2**i, 4, strides=2, padding="same")(x)
        x = keras.layers.LeakyReLU(negative_slope=0.2)(x)
        if i > 0:
            x = _normalization_layer(normalization)(x)
    outputs = keras.layers.Conv2D(1, 4, strides=1, padding="same", dtype="float32")(x)
    return keras.Model(inputs, outputs, name=name or "patch_discriminator")


@keras.saving.register_keras_serializable(package="gankit")
class CycleGAN(AdversarialModel):
    """Two generators and two PatchGAN discriminators trained with `fit()`.

    `G = generator_ab` translates domain A to B, `F = generator_ba` B to A;
    `discriminator_a` judges A images, `discriminator_b` B images. `fit()`
    takes `(a, b)` batches of unpaired images in [-1, 1] (e.g.
    `gankit.data_loaders.unpaired`). Each train step updates both
    generators (`g_optimizer`) with least-squares adversarial, cycle and
    identity losses (module docstring for the weights), then both
    discriminators (`d_optimizer`) on real images and on the step's fakes
    drawn through an image history pool, as the paper's code does (one
    optimizer over both networks of a side; with Adam that equals one
    optimizer per network). The tracked metrics are `d_a_loss`,
    `d_b_loss`, `g_loss` (the total), `cycle_loss` and `identity_loss`
    (both weighted, as they enter `g_loss`), and `d_real_loss` /
    `d_fake_loss`, the two discriminators' terms on real and on generated
    images summed (they add up to `d_a_loss + d_b_loss`). The update loop is the
    engine's (`gankit.engine`): `d_steps`, `g_steps`, `update_scheme`,
    `update_order` and `split_batch`
    apply.

    The image pool is `gankit.engine.ImagePool` (the paper's `ImagePool`,
    Shrivastava et al. 2017): `pool_size` past fakes per domain; while it
    fills, fakes pass through and are stored; once full, each fake is, with
    probability 1/2, swapped for a distinct stored one (which it replaces),
    else passed through.

    Reference: [Zhu et al., 2017](https://arxiv.org/abs/1703.10593);
    "GANs in Action", chapter 9.

    Args:
        generator_ab: Keras model, A images to B images in [-1, 1].
        generator_ba: Keras model, B images to A images in [-1, 1].
        discriminator_a: Keras model, A images to patch logits.
        discriminator_b: Keras model, B images to patch logits.
        lambda_cycle: Cycle-consistency weight. Defaults to `10.0`.
        lambda_identity: Identity weight (absolute, not relative to
            `lambda_cycle`); 0 skips the identity passes. Defaults to `None`:
            `0.9 * lambda_cycle`, the book's value (the paper uses
            `0.5 * lambda_cycle`).
        pool_size: Images kept per domain in the history pool; 0 disables
            it. Defaults to `50`.
        **kwargs: Base `keras.Model` arguments (`name`, ...).

    Raises:
        TypeError: If a network is not a Keras model or an argument has the
            wrong type.
        ValueError: If the networks' shapes disagree or a number is out of
            range.

    Example:

        >>> cyclegan = build_cyclegan((32, 32, 3), generator_filters=4, discriminator_filters=4)
        >>> history = cyclegan.fit(dataset_of_a_b_pairs, epochs=1)  # doctest: +SKIP
        >>> cyclegan.translate(np.zeros((2, 32, 32, 3)), "a2b").shape
        (2, 32, 32, 3)
    """

    NETWORKS = ("generator_ab", "generator_ba", "discriminator_a", "discriminator_b")
    OPTIMIZERS = {
        "d_optimizer": ("discriminator_a", "discriminator_b"),
        "g_optimizer": ("generator_ab", "generator_ba"),
    }
    UPDATES = (("generator", "g_optimizer", "g_steps"), ("discriminator", "d_optimizer", "d_steps"))
    LOGS = (D_A_LOSS, D_B_LOSS, G_LOSS, CYCLE_LOSS, IDENTITY_LOSS, D_REAL_LOSS, D_FAKE_LOSS)

    def __init__(
        self,
        generator_ab: keras.Model,
        generator_ba: keras.Model,
        discriminator_a: keras.Model,
        discriminator_b: keras.Model,
        lambda_cycle: float = BOOK_LAMBDA_CYCLE,
        lambda_identity: float | None = None,
        pool_size: int = PAPER_POOL_SIZE,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        networks = {
            "generator_ab": generator_ab,
            "generator_ba": generator_ba,
            "discriminator_a": discriminator_a,
            "discriminator_b": discriminator_b,
        }
        for key, model in networks.items():
            if not isinstance(model, keras.Model):
                raise TypeError(f"`{key}` must be a keras.Model. Received: {key}={model!r}")
        shape_a = tuple(generator_ba.output_shape[1:])
        shape_b = tuple(generator_ab.output_shape[1:])
        checks = (
            ("generator_ab input", tuple(generator_ab.input_shape[1:]), shape_a),
            ("generator_ba input", tuple(generator_ba.input_shape[1:]), shape_b),
            ("discriminator_a input", tuple(discriminator_a.input_shape[1:]), shape_a),
            ("discriminator_b input", tuple(discriminator_b.input_shape[1:]), shape_b),
        )
        for what, got, expected in checks:
            if got != expected:
                raise ValueError(f"The {what} shape must match the images of its domain {expected}. Received: {got}")
        self.lambda_cycle = check_number(lambda_cycle, name="lambda_cycle", minimum=0.0)
        if lambda_identity is None:
            lambda_identity = BOOK_IDENTITY_FACTOR * self.lambda_cycle
        self.lambda_identity = check_number(lambda_identity, name="lambda_identity", minimum=0.0)
        if self.lambda_identity > 0 and shape_a != shape_b:
            raise ValueError(
                "The identity loss needs both domains to share one image shape. "
                f"Received: A images {shape_a}, B images {shape_b}; pass lambda_identity=0."
            )
        self.pool_size = check_int(pool_size, name="pool_size", minimum=0)
        self.generator_ab = generator_ab
        self.generator_ba = generator_ba
        self.discriminator_a = discriminator_a
        self.discriminator_b = discriminator_b
        self.image_shape_a = shape_a
        self.image_shape_b = shape_b

        self.pool_a = self.pool_b = None
        if self.pool_size:
            self.pool_a = ImagePool(self.pool_size, {"images": shape_a}, name="pool_a")
            self.pool_b = ImagePool(self.pool_size, {"images": shape_b}, name="pool_b")

    # -- translation -------------------------------------------------------------

    def call(self, images, training=False):
        """Translates A images in [-1, 1] to B images in [-1, 1]."""
        return self.generator_ab(images, training=training)

    def translate(
        self,
        images: ArrayLike,
        direction: str = "a2b",
        *,
        value_range: Sequence[float] = (-1.0, 1.0),
        batch_size: int = 32,
    ) -> np.ndarray:
        """Translates images to the other domain, in batches.

        Args:
            images: Array `(n, height, width, channels)` of the source
                domain, in `value_range`.
            direction: `"a2b"` (`generator_ab`) or `"b2a"`
                (`generator_ba`). Defaults to `"a2b"`.
            value_range: Range of `images`: `(-1, 1)` (what `fit()` and
                gankit's data loaders use) or `(0, 1)` (what `translate`
                returns, so calls compose). Defaults to `(-1.0, 1.0)`.
            batch_size: Images per generator call. Defaults to `32`.

        Returns:
            A float32 NumPy array of translated images in [0, 1].

        Raises:
            ValueError: For an unknown `direction` or `value_range`, images of
                the wrong shape, or values outside `value_range`.
        """
        if direction not in DIRECTIONS:
            raise ValueError(f"`direction` must be one of {DIRECTIONS}. Received: direction={direction!r}")
        try:
            value_range = tuple(float(v) for v in value_range)
        except (TypeError, ValueError):
            value_range = None
        if value_range not in VALUE_RANGES:
            raise ValueError(f"`value_range` must be (-1, 1) or (0, 1). Received: value_range={value_range!r}")
        batch_size = check_int(batch_size, name="batch_size", minimum=1)
        generator = self.generator_ab if direction == "a2b" else self.generator_ba
        source_shape = self.image_shape_a if direction == "a2b" else self.image_shape_b
        images = np.asarray(images, dtype="float32")
        if images.ndim != 4 or images.shape[1:] != source_shape:
            raise ValueError(
                f"`images` must have shape (n,) + {source_shape} for direction={direction!r}. "
                f"Received: images.shape={images.shape}"
            )
        low, high = value_range
        tolerance = 1e-3
        if images.size and (images.min() < low - tolerance or images.max() > high + tolerance):
            raise ValueError(
                f"`images` must lie in value_range={value_range}. Received: values in "
                f"[{images.min():.3f}, {images.max():.3f}]; pass the matching value_range."
            )
        if value_range == (0.0, 1.0):
            images = images * 2.0 - 1.0
        outputs = [
            keras.ops.convert_to_numpy(
                keras.ops.cast(generator(images[start : start + batch_size], training=False), "float32")
            )
            for start in range(0, len(images), batch_size)
        ]
        target_shape = tuple(generator.output_shape[1:])
        result = np.concatenate(outputs) if outputs else np.zeros((0,) + target_shape, "float32")
        return np.clip((result + 1.0) / 2.0, 0.0, 1.0)

    # -- compile -----------------------------------------------------------------

    def compile(
        self,
        d_optimizer: keras.optimizers.Optimizer | None = None,
        g_optimizer: keras.optimizers.Optimizer | None = None,
        *,
        decay_start_epoch: int | None = None,
        total_epochs: int | None = None,
        steps_per_epoch: int | None = None,
        d_steps: int = 1,
        g_steps: int = 1,
        update_scheme: str = "shared",
        update_order: str = "generator_first",
        split_batch: bool = False,
        pretrain_d_steps: int = 0,
        d_update: str = "joint",
        **kwargs: Any,
    ) -> None:
        """Configures the two optimizers (discriminators, generators) and the update loop.

        The order is every gankit model's: `d_optimizer`, then
        `g_optimizer` (gankit 0.1 took `g_optimizer` first).

        Args:
            d_optimizer: Optimizer of both discriminators. Defaults to
                `None`: `Adam(2e-4, beta_1=0.5)` (book and paper).
            g_optimizer: Optimizer of both generators. Defaults to `None`:
                as above.
            decay_start_epoch: With the default optimizers, keep the
                learning rate constant for this many epochs, then decay it
                linearly to 0 at `total_epochs` (the paper: 100 of 200), via
                `LinearDecaySchedule`. Needs `total_epochs` and
                `steps_per_epoch`. Defaults to `None` (no decay).
            total_epochs: Epoch at which the learning rate reaches 0.
                Defaults to `None`.
            steps_per_epoch: Batches per epoch, to turn epochs into
                optimizer steps. Defaults to `None`.
            d_steps: Discriminator updates per train step. Defaults to `1`.
            g_steps: Generator updates per train step. Defaults to `1`.
            update_scheme: `"shared"`: one translation pass serves the
                generator and the discriminator updates (generators first,
                the paper's code: the discriminators see the fakes of the
                generator update; discriminators first, the book's loop: the
                generators' loss is taken on the same fakes through the
                updated discriminators); `"fresh"` translates the batch again
                for the second update; `"simultaneous"` updates both from one
                pass (`gankit.engine.AdversarialModel`). Defaults to
                `"shared"`.
            update_order: `"generator_first"` (the paper's code) or
                `"discriminator_first"` (the book's `train_on_batch` loop).
                Defaults to `"generator_first"`.
            split_batch: One slice of the batch per discriminator update
                (`d_steps > 1`). Defaults to `False`.
            pretrain_d_steps: The first train steps of a run update only the
                discriminators. Defaults to `0`.
            d_update: `"joint"`, one step of each discriminator on its real
                and fake terms together; or `"real_then_fake"`, a step on the
                real images, then one on the pooled fakes, as the book's loop
                calls `d_A.train_on_batch(imgs_A, valid)` and then
                `d_A.train_on_batch(fake_A, fake)` (likewise `d_B`).
                Defaults to `"joint"`.
            **kwargs: Other `keras.Model.compile` arguments.

        Raises:
            ValueError: If the decay arguments are incomplete or
                inconsistent, come with custom optimizers, or one optimizer
                is passed for both roles.
            TypeError: For arguments of the wrong type.
        """
        decay_args = (decay_start_epoch, total_epochs, steps_per_epoch)
        if any(a is not None for a in decay_args):
            if any(a is None for a in decay_args):
                raise ValueError(
                    "Learning-rate decay needs `decay_start_epoch`, `total_epochs` and "
                    f"`steps_per_epoch`. Received: decay_start_epoch={decay_start_epoch!r}, "
                    f"total_epochs={total_epochs!r}, steps_per_epoch={steps_per_epoch!r}"
                )
            if g_optimizer is not None or d_optimizer is not None:
                raise ValueError(
                    "The decay arguments apply to the default optimizers only; give your "
                    "optimizers a `LinearDecaySchedule` learning rate instead."
                )
            start = check_int(decay_start_epoch, name="decay_start_epoch", minimum=0)
            total = check_int(total_epochs, name="total_epochs", minimum=1)
            steps = check_int(steps_per_epoch, name="steps_per_epoch", minimum=1)
            if total <= start:
                raise ValueError(
                    "`total_epochs` must be greater than `decay_start_epoch`. "
                    f"Received: decay_start_epoch={start}, total_epochs={total}"
                )
            d_optimizer, g_optimizer = (
                keras.optimizers.Adam(LinearDecaySchedule(2e-4, start * steps, (total - start) * steps), beta_1=0.5)
                for _ in range(2)
            )
        self._compile_with(
            {"d_optimizer": d_optimizer, "g_optimizer": g_optimizer},
            # No latents to reuse: the generators translate the batch.
            {
                key: value
                for key, value in self.engine_options(
                    d_steps,
                    g_steps,
                    update_scheme,
                    update_order,
                    split_batch,
                    pretrain_d_steps=pretrain_d_steps,
                    d_update=d_update,
                ).items()
                if key != "reuse_latents"
            },
            **kwargs,
        )

    # -- the family: batches, fakes, losses --------------------------------------------

    def unpack_batch(self, data: Any) -> dict[str, tf.Tensor]:
        if not isinstance(data, (tuple, list)) or len(data) != 2:
            raise ValueError(
                "CycleGAN.fit expects batches `(a, b)` of images from the two domains, e.g. data_loaders.unpaired(...)."
            )
        real_a, real_b = (tf.convert_to_tensor(x) for x in data)
        check_real_batch(real_a, self.discriminator_a.input_shape[1:], "CycleGAN", "domain A images")
        check_real_batch(real_b, self.discriminator_b.input_shape[1:], "CycleGAN", "domain B images")
        return {"a": real_a, "b": real_b}

    def sample_fakes(self, batch: Mapping[str, tf.Tensor]) -> dict[str, tf.Tensor]:
        return {"a": self.generator_ba(batch["b"], training=True), "b": self.generator_ab(batch["a"], training=True)}

    def generator_loss(
        self, batch: Mapping[str, tf.Tensor], fakes: Mapping[str, tf.Tensor]
    ) -> tuple[tf.Tensor, dict[str, tf.Tensor]]:
        """Adversarial + cycle + identity loss of both generators; `(loss, logs)`."""
        real_a, real_b = batch["a"], batch["b"]
        fake_a, fake_b = fakes["a"], fakes["b"]
        g_ab, g_ba = self.generator_ab, self.generator_ba
        cycled_a = g_ba(fake_b, training=True)
        cycled_b = g_ab(fake_a, training=True)
        # Book and paper: plain MSE against 1 for the generator, i.e.
        # twice gankit's LSGAN generator loss (which carries the 1/2).
        logits_b = self.discriminator_b(fake_b, training=True)
        logits_a = self.discriminator_a(fake_a, training=True)
        adversarial = 2.0 * (
            gan_losses.least_squares_generator_loss(logits_b, logits_b)
            + gan_losses.least_squares_generator_loss(logits_a, logits_a)
        )
        cycle = self.lambda_cycle * (
            gan_losses.cycle_consistency_loss(real_a, cycled_a) + gan_losses.cycle_consistency_loss(real_b, cycled_b)
        )
        if self.lambda_identity > 0:
            identity = self.lambda_identity * (
                gan_losses.identity_loss(real_b, g_ab(real_b, training=True))
                + gan_losses.identity_loss(real_a, g_ba(real_a, training=True))
            )
        else:
            identity = tf.constant(0.0)
        g_loss = adversarial + cycle + identity
        return g_loss, {G_LOSS: g_loss, CYCLE_LOSS: cycle, IDENTITY_LOSS: identity}

    def discriminator_loss(
        self, batch: Mapping[str, tf.Tensor], fakes: Mapping[str, tf.Tensor], term: str | None = None
    ) -> tuple[tf.Tensor, dict[str, tf.Tensor]]:
        """Least-squares loss of both discriminators on real and pooled fakes; `(loss, logs)`.

        `term="real"` or `"fake"` gives both discriminators' term on that
        batch alone (`compile(d_update="real_then_fake")`). Defaults to
        `None`: the whole loss.
        """
        terms = ("real", "fake") if term is None else (check_choice(term, name="term", choices=("real", "fake")),)
        values = {name: self._discriminator_terms(batch, fakes, name) for name in terms}
        # The two discriminators share no weights: one sum, two updates.
        d_a_loss = sum(value[0] for value in values.values())
        d_b_loss = sum(value[1] for value in values.values())
        logs = {D_A_LOSS: d_a_loss, D_B_LOSS: d_b_loss}
        for name, (term_a, term_b) in values.items():
            logs[D_REAL_LOSS if name == "real" else D_FAKE_LOSS] = term_a + term_b
        return d_a_loss + d_b_loss, logs

    def _discriminator_terms(self, batch, fakes, term):
        """Each discriminator's least-squares `term` (`"real"` or `"fake"`, pooled) on its batch."""
        if term == "real":
            images_a, images_b = batch["a"], batch["b"]
        else:
            images_a, images_b = fakes["a"], fakes["b"]
            if self.pool_size:
                images_a = self.pool_a.query({"images": images_a}, self.next_seed())["images"]
                images_b = self.pool_b.query({"images": images_b}, self.next_seed())["images"]
        logits_a = self.discriminator_a(images_a, training=True)
        logits_b = self.discriminator_b(images_b, training=True)
        index = 0 if term == "real" else 1
        # Least squares reads only the logits of a term's own batch; the
        # other argument is a stand-in.
        return (
            gan_losses.discriminator_loss_terms("least_squares", logits_a, logits_a)[index],
            gan_losses.discriminator_loss_terms("least_squares", logits_b, logits_b)[index],
        )

    # -- serialization ---------------------------------------------------------------

    def get_config(self):
        return {
            **super().get_config(),
            **self._networks_config(),
            "lambda_cycle": self.lambda_cycle,
            "lambda_identity": self.lambda_identity,
            "pool_size": self.pool_size,
        }


def build_cyclegan(
    image_shape: Sequence[int] = BOOK_IMAGE_SHAPE,
    *,
    generator: str = "unet",
    generator_filters: int | None = None,
    discriminator_filters: int = BOOK_DISCRIMINATOR_FILTERS,
    num_residual_blocks: int = PAPER_NUM_RESIDUAL_BLOCKS,
    normalization: str = "instance",
    lambda_cycle: float = BOOK_LAMBDA_CYCLE,
    lambda_identity: float | None = None,
    pool_size: int = PAPER_POOL_SIZE,
    compile: bool = True,
) -> CycleGAN:
    """A ready-to-train `CycleGAN` (both domains share `image_shape`).

    The defaults are "GANs in Action" chapter 9: 128x128x3 images, U-Net
    generators with `gf=32`, PatchGAN discriminators with `df=64` (8x8
    patch logits), lambda_cycle 10, lambda_id `0.9 * 10`, Adam(2e-4, 0.5);
    plus the paper's 50-image history pool. `generator="resnet"` gives the
    paper's ResNet generators (64 filters, 9 blocks; the paper uses 6 for
    128x128 images and lambda_identity `0.5 * lambda_cycle`).

    Normalization is the paper's per-channel instance norm by default; the
    book's code ran keras_contrib's `InstanceNormalization()` (`axis=None`:
    each sample normalized over all its axes, scalar scale and offset), which
    `normalization="keras_contrib"` reproduces in all four networks.

    Args:
        image_shape: `(height, width, channels)` of both domains.
            Defaults to `(128, 128, 3)`.
        generator: `"unet"` (book) or `"resnet"` (paper). Defaults to `"unet"`.
        generator_filters: First-layer generator filters. Defaults to
            `None`: 32 for `"unet"` (book), 64 for `"resnet"` (paper).
        discriminator_filters: First-layer discriminator filters.
            Defaults to `64`.
        num_residual_blocks: Residual blocks of the ResNet generator
            (ignored by the U-Net). Defaults to `9`.
        normalization: `"instance"` (paper, per channel) or
            `"keras_contrib"` (the book's code, whole sample), in both
            generators and both discriminators. Defaults to `"instance"`.
        lambda_cycle: Cycle-consistency weight. Defaults to `10.0`.
        lambda_identity: Absolute identity weight. Defaults to `None`:
            `0.9 * lambda_cycle` (book).
        pool_size: Image history pool per domain; 0 disables it.
            Defaults to `50`.
        compile: Call `compile()` with the default optimizers.
            Defaults to `True`.

    Returns:
        A `CycleGAN`.

    Raises:
        ValueError: For an unknown `generator` or `normalization`, or an
            image size the networks cannot take (U-Net and discriminator:
            divisible by 16).
        TypeError: For arguments of the wrong type.

    Example:

        >>> cyclegan = build_cyclegan((32, 32, 3), generator_filters=4, discriminator_filters=4)
        >>> cyclegan.discriminator_a.output_shape
        (None, 2, 2, 1)
    """
    if generator not in GENERATOR_TYPES:
        raise ValueError(f"`generator` must be one of {GENERATOR_TYPES}. Received: generator={generator!r}")
    _check_normalization(normalization)
    check_bool(compile, name="compile")
    # Checked again by `CycleGAN`; here before the four networks are built.
    check_number(lambda_cycle, name="lambda_cycle", minimum=0.0)
    check_number(lambda_identity, name="lambda_identity", minimum=0.0, allow_none=True)
    if generator_filters is None:
        generator_filters = BOOK_GENERATOR_FILTERS if generator == "unet" else PAPER_GENERATOR_FILTERS

    def make_generator(name):
        if generator == "unet":
            return build_unet_generator(image_shape, generator_filters, normalization=normalization, name=name)
        return build_resnet_generator(
            image_shape, generator_filters, num_residual_blocks, normalization=normalization, name=name
        )

    def make_discriminator(name):
        return build_patch_discriminator(image_shape, discriminator_filters, normalization=normalization, name=name)

    model = CycleGAN(
        make_generator("generator_ab"),
        make_generator("generator_ba"),
        make_discriminator("discriminator_a"),
        make_discriminator("discriminator_b"),
        lambda_cycle=lambda_cycle,
        lambda_identity=lambda_identity,
        pool_size=pool_size,
    )
    if compile:
        model.compile()
    return model
