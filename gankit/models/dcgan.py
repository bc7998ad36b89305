"""DCGAN generators and discriminators: a generic pair and the sources' networks.

`build_dcgan_generator` and `build_dcgan_discriminator` build any DCGAN in the
manner of Radford et al. (2015): the generator projects the latent vector to a
small feature map and doubles its size with stride-2 blocks (batch norm, ReLU)
up to `image_shape`, ending in `tanh`; the discriminator halves the image with
stride-2 convolutions (LeakyReLU 0.2, batch norm on every block but the first)
and ends in a single logit. With `preset=...` they rebuild instead, layer by
layer, the network of one of the sources gankit mirrors, and `DCGAN_PRESETS`
holds each preset's latent size, image shape and training settings.

Two contracts hold for every network, generic or preset:

- a generator maps `(batch, latent_dim)` to `(batch, *image_shape)` images in
  its source's range: [-1, 1] (`tanh`) for every network but
  `preset="mlm_mnist"`, whose source ends in `sigmoid` with pixels in [0, 1]
  (`GAN.output_range` tells which; `GAN.generate` returns [0, 1] either way;
  the data loaders' `value_range=(0, 1)` feeds the sigmoid network);
- a discriminator maps `(batch, *image_shape)` to `(batch, 1)` raw logits
  (the default `output="logits"`). gankit's losses take logits
  (`keras.losses.BinaryCrossentropy(from_logits=True)` for Keras' own), so the
  sources' final sigmoids are left out; `output="probability"` puts the
  source's sigmoid back, for a source's own `binary_crossentropy` loop. A
  sigmoid has no weights, so no parameter count changes.

The models are plain `keras.Sequential` models of built-in and registered
gankit layers (no `Lambda`), so `.keras` files load with `safe_mode=True`, and
source 002's composite-model recipe (`keras.Sequential([g, d])` with a frozen
`d`, trained with `train_on_batch`) works on them. Keras 3 reads `trainable`
when a model first traces its train step, not at `compile` as Keras 2 did:
set `d.trainable = True` before `d.train_on_batch` and `False` before the
composite's `train_on_batch`.
"""

from __future__ import annotations

import math
import numbers
import types
from typing import Any

import keras

from gankit._checks import check_bool
from gankit._checks import check_choice
from gankit._checks import check_image_shape
from gankit._checks import check_int
from gankit._checks import check_number
from gankit._checks import check_string
from gankit.layers import ConvSN2D
from gankit.layers import DenseSN
from gankit.models.gan import GAN

# -- argument checks ----------------------------------------------------------


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _check_image_divisible(image_shape, factor, reason):
    height, width, _ = image_shape
    if height % factor or width % factor:
        raise ValueError(
            f"The image height and width must be divisible by {factor} ({reason}). Received: image_shape={image_shape}"
        )


MAX_PARAMETERS = 1_000_000_000
"""The most weights a DCGAN builder creates (4 GB as float32, 16 GB with Adam).

Builders count the weights of networks whose size grows with `image_shape`
before creating any, and refuse larger ones up front: Keras would otherwise
allocate for minutes before TensorFlow runs out of memory.
"""


def _check_parameter_count(network, count, image_shape):
    if count > MAX_PARAMETERS:
        raise ValueError(
            f"This {network} would need about {count:.3g} parameters ({4 * count / 1e9:.3g} GB of float32 "
            f"weights), more than gankit's limit of {MAX_PARAMETERS:.0e} (`gankit.models.dcgan.MAX_PARAMETERS`). "
            f"Use a smaller image_shape, fewer filters or fewer blocks. Received: image_shape={image_shape}"
        )


def _check_initializer(value):
    if value is None:
        # The DCGAN paper (Section 4): "All weights were initialized from a
        # zero-centered Normal distribution with standard deviation 0.02."
        return keras.initializers.RandomNormal(mean=0.0, stddev=0.02)
    return keras.initializers.get(value)


# Smallest side of the generator's first feature map (and the discriminator's
# last) when `num_blocks` is chosen automatically: DCGAN's 4x4.
_MIN_BASE_SIZE = 4


def _resolve_num_blocks(image_shape, num_blocks):
    """The number of stride-2 blocks: given, or as many as keep a side >= 4."""
    height, width, _ = image_shape
    if num_blocks is not None:
        num_blocks = check_int(num_blocks, name="num_blocks", minimum=1)
        _check_image_divisible(
            image_shape,
            2**num_blocks,
            f"2**num_blocks with num_blocks={num_blocks}: every block doubles "
            "(generator) or halves (discriminator) them; use fewer blocks or "
            "another image size",
        )
        return num_blocks
    num_blocks = 0
    while True:
        factor = 2 ** (num_blocks + 1)
        if height % factor or width % factor or min(height, width) // factor < _MIN_BASE_SIZE:
            break
        num_blocks += 1
    if num_blocks == 0:
        raise ValueError(
            "`image_shape` leaves no room for a stride-2 block: the height and "
            f"width must both be even and at least {2 * _MIN_BASE_SIZE}. "
            f"Received: image_shape={image_shape}. Pass `num_blocks` to choose "
            "the number of blocks yourself."
        )
    return num_blocks


def _check_final_size(value):
    # Source 001 (`DCGAN.generator`): "'final_size' must be a power of 2" and
    # "must be greater than 8" (8 itself is accepted by its check).
    if not _is_int(value):
        raise TypeError(f"`final_size` must be an integer. Received: final_size={value!r}")
    if value < 8 or value & (value - 1):
        raise ValueError(
            f"`final_size` must be a power of two and at least 8 (8, 16, 32, 64, ...). Received: final_size={value}"
        )
    return int(value)


# -- presets ------------------------------------------------------------------


def _freeze(value):
    if isinstance(value, dict):
        return types.MappingProxyType({k: _freeze(v) for k, v in value.items()})
    return value


def _thaw(value):
    if isinstance(value, types.MappingProxyType):
        return {k: _thaw(v) for k, v in value.items()}
    return value


# Each preset's latent size, image shape and pixel range `value_range` (what
# its builders produce by default; pass the range to a data loader), the
# batch size and length of training, and a `compile` dict with
# the training settings its source states, keyed like `GAN.compile` options
# (`d_learning_rate`/`g_learning_rate`/`beta_1`/`beta_2` for the two Adam
# optimizers). Only what the source states is listed; read-only.
DCGAN_PRESETS = _freeze(
    {
        "radford": {
            "source": (
                "Radford et al. 2015, https://arxiv.org/abs/1511.06434 (Figure 1, "
                "Section 4) and the authors' code, github.com/Newmu/dcgan_code, "
                "faces/train_uncond_dcgan.py"
            ),
            "latent_dim": 100,
            "image_shape": (64, 64, 3),
            "value_range": (-1.0, 1.0),
            "batch_size": 128,
            "compile": {
                "d_learning_rate": 2e-4,
                "g_learning_rate": 2e-4,
                "beta_1": 0.5,
                "loss": "non_saturating",
                # Figure 1: "A 100 dimensional uniform distribution Z".
                "latent_distribution": "uniform",
            },
        },
        "mlm_mnist": {
            "source": (
                "Seed 002, Machine Learning Mastery, GAN for MNIST handwritten "
                "digits (define_discriminator/define_generator/define_gan)"
            ),
            "latent_dim": 100,
            "image_shape": (28, 28, 1),
            # define_generator's Conv2D(1, (7,7), activation='sigmoid') and
            # load_real_samples' X / 255.0: pixels in [0, 1].
            "value_range": (0.0, 1.0),
            "batch_size": 256,
            "epochs": 100,
            "compile": {
                "d_learning_rate": 2e-4,
                "g_learning_rate": 2e-4,
                "beta_1": 0.5,
                # The composite model trains G on "real" labels: non-saturating.
                "loss": "non_saturating",
                # train(): generate_latent_points anew for the composite model.
                "update_scheme": "fresh",
                "latent_distribution": "normal",
            },
        },
        "mlm_cifar10": {
            "source": (
                "Seed 002, Machine Learning Mastery, GAN for CIFAR-10 small object "
                "photographs (define_discriminator/define_generator/define_gan)"
            ),
            "latent_dim": 100,
            "image_shape": (32, 32, 3),
            "value_range": (-1.0, 1.0),
            "batch_size": 128,
            "epochs": 200,
            "compile": {
                "d_learning_rate": 2e-4,
                "g_learning_rate": 2e-4,
                "beta_1": 0.5,
                "loss": "non_saturating",
                # train(): generate_latent_points anew for the composite model.
                "update_scheme": "fresh",
                "latent_distribution": "normal",
            },
        },
        "kaggle_dogs": {
            "source": (
                "Seed 000, 'DCGANs: generating dog images with TensorFlow and Keras' "
                "(Kaggle Generative Dog Images), DogGenerator/DogDiscriminator; sizes "
                "the post leaves to globals are those of the author's Kaggle kernel "
                "(64x64x3 images, noise_dim 128, batch_size 128)"
            ),
            "latent_dim": 128,
            "image_shape": (64, 64, 3),
            "value_range": (-1.0, 1.0),
            "batch_size": 128,
            "epochs": 280,
            "compile": {
                "d_learning_rate": 2e-4,
                "g_learning_rate": 2e-4,
                "beta_1": 0.5,
                "loss": "non_saturating",
                # The post's code: `discriminator_loss` computes smoothed and
                # flipped targets, then passes `tf.ones_like(real_output_smooth)`
                # and `tf.zeros_like(fake_output_smooth)` to the cross-entropy,
                # so its published results trained on hard 1/0 targets. (The
                # text's smoothing ((0.7, 1.0), (0.0, 0.3)) and 5% flips are
                # `label_smoothing=`/`label_flip_rate=` options.)
                # `train_step`: one GradientTape pair over one generator pass,
                # both networks updated from the same discriminator.
                "update_scheme": "simultaneous",
                "latent_distribution": "normal",
            },
        },
        "slim": {
            "source": (
                "Seed 001, DCGAN from scratch with TF-slim (model.py DCGAN, train.py: "
                "final_size=64, depth 64, 64-d uniform latent, batch 64, 20000 steps)"
            ),
            "latent_dim": 64,
            "image_shape": (64, 64, 3),
            "value_range": (-1.0, 1.0),
            "batch_size": 64,
            "num_steps": 20000,
            "compile": {
                "d_learning_rate": 4e-4,
                "g_learning_rate": 1e-4,
                "beta_1": 0.5,
                "loss": "non_saturating",
                "d_steps": 1,
                "g_steps": 5,
                # train.py feeds one `train_dict` (images and latents) to the
                # discriminator step and all 5 generator steps.
                "reuse_latents": True,
                # `discriminator_loss(label_smoothing=0.25)` passes 0.25 to
                # `tf.losses.sigmoid_cross_entropy`, which smooths towards 1/2:
                # real target 1 * (1 - 0.25) + 0.5 * 0.25 = 0.875, i.e. a
                # one-sided smoothing of 0.125 in gankit's `1 - s` convention.
                "label_smoothing": 0.125,
                "latent_distribution": "uniform",
            },
        },
        "upsample": {
            "source": (
                "Seed 003, 'Implementing Deep Convolutional GAN' (PyTorch); its "
                "code, github.com/akash-agni/ReadThePaper DCGAN/dcgan.py at "
                "025b5cb8e1457b1007fecfcaae2fec2d0fff090e (argparse defaults)"
            ),
            "latent_dim": 500,
            "image_shape": (64, 64, 1),
            "value_range": (-1.0, 1.0),
            "batch_size": 128,
            "epochs": 200,
            "compile": {
                "d_learning_rate": 2e-4,
                "g_learning_rate": 2e-4,
                "beta_1": 0.5,
                "beta_2": 0.999,
                # G is trained on BCE(D(G(z)), real). (The source also halves
                # its discriminator loss, a constant factor not listed here.)
                "loss": "non_saturating",
                # dcgan.py's loop: the generator step, then the discriminator
                # on `gen_imgs.detach()`, the generator step's fakes.
                "update_order": "generator_first",
                "latent_distribution": "normal",
            },
        },
    }
)
"""Preset name -> settings of its source (read-only; `dcgan_preset` copies)."""

# The arguments each preset accepts besides `preset` and `name`; every other
# architecture argument is fixed by the source and rejected.
_GENERATOR_PRESET_ARGUMENTS = types.MappingProxyType(
    {
        "radford": ("latent_dim",),
        "mlm_mnist": ("latent_dim",),
        "mlm_cifar10": ("latent_dim",),
        "kaggle_dogs": ("latent_dim", "image_shape"),
        "slim": ("latent_dim", "depth", "final_size", "channels"),
        "upsample": ("latent_dim", "image_shape"),
    }
)
_DISCRIMINATOR_PRESET_ARGUMENTS = types.MappingProxyType(
    {
        "radford": (),
        "mlm_mnist": (),
        "mlm_cifar10": (),
        "kaggle_dogs": ("image_shape",),
        "slim": ("depth", "final_size", "channels"),
        "upsample": ("image_shape",),
    }
)
_SLIM_ONLY_ARGUMENTS = ("depth", "final_size", "channels")


def dcgan_preset(name: str) -> dict[str, Any]:
    """Returns a copy of the settings of a DCGAN preset.

    The copy is a plain nested `dict`, so callers can change it without
    touching `DCGAN_PRESETS`.

    Args:
        name: A preset name, one of `DCGAN_PRESETS`.

    Returns:
        A dict with `source`, `latent_dim`, `image_shape`, `batch_size`, the
        training length (`epochs` or `num_steps`) where the source states it,
        and `compile`: the source's optimizer settings (`d_learning_rate`,
        `g_learning_rate`, `beta_1`, and `beta_2` where stated) and training
        tricks (`loss`, `d_steps`, `g_steps`, `label_smoothing`,
        `label_flip_rate`, `latent_distribution`) where it states them.

    Raises:
        TypeError: If `name` is not a string.
        ValueError: If `name` is not a preset.

    Example:

        >>> settings = dcgan_preset("slim")
        >>> settings["latent_dim"], settings["compile"]["g_steps"]
        (64, 5)
    """
    _check_preset(name, argument="name")
    return _thaw(DCGAN_PRESETS[name])


def _check_preset(value, argument="preset"):
    if not isinstance(value, str):
        raise TypeError(f"`{argument}` must be a string. Received: {argument}={value!r}")
    if value not in DCGAN_PRESETS:
        raise ValueError(
            f"Unknown DCGAN preset. Expected one of {', '.join(DCGAN_PRESETS)}. Received: {argument}={value!r}"
        )
    return value


def _check_preset_arguments(preset, arguments, accepted):
    """Rejects arguments a preset does not take (`None` means not given)."""
    for argument, value in arguments.items():
        if value is None or argument in accepted:
            continue
        if preset is None:
            raise ValueError(
                f"`{argument}` is only accepted with preset='slim' (source 001's "
                f"sizing); without a preset use `image_shape` and `filters`. "
                f"Received: {argument}={value!r}"
            )
        allowed = ", ".join(accepted + ("name",))
        raise ValueError(
            f"`{argument}` cannot be combined with preset={preset!r}, which fixes "
            f"the architecture of its source. Arguments accepted with this preset: "
            f"{allowed}. Received: {argument}={value!r}"
        )


# -- generic networks ---------------------------------------------------------


def _bias(use_bias, followed_by_norm):
    # Automatic (`use_bias=None`): a bias only where no batch norm follows,
    # since batch norm's own offset makes a bias before it redundant.
    return (not followed_by_norm) if use_bias is None else use_bias


def _add_upsampling(model, filters, kernel_size, upsampling, **conv_kwargs):
    """Adds one 2x spatial upsampling with `filters` output channels."""
    if upsampling == "transpose":
        model.add(keras.layers.Conv2DTranspose(filters, kernel_size, strides=2, padding="same", **conv_kwargs))
    else:
        model.add(keras.layers.UpSampling2D(2))
        model.add(keras.layers.Conv2D(filters, kernel_size, padding="same", **conv_kwargs))


def _generic_generator(
    *,
    latent_dim,
    image_shape,
    filters,
    kernel_size,
    num_blocks,
    upsampling,
    batch_norm,
    dropout,
    kernel_initializer,
    name,
    use_bias=None,
    gamma_initializer="ones",
):
    height, width, channels = image_shape
    factor = 2**num_blocks
    base_filters = filters * 2 ** (num_blocks - 1)
    base_shape = (height // factor, width // factor, base_filters)
    widths = [base_filters // 2**block for block in range(num_blocks)] + [channels]
    _check_parameter_count(
        "generator",
        latent_dim * math.prod(base_shape) + sum(kernel_size**2 * a * b for a, b in zip(widths, widths[1:])),
        image_shape,
    )

    model = keras.Sequential(name=name)
    model.add(keras.Input((latent_dim,)))
    # Project and reshape (Radford et al., Figure 1).
    model.add(
        keras.layers.Dense(
            math.prod(base_shape),
            use_bias=_bias(use_bias, batch_norm),
            kernel_initializer=kernel_initializer,
        )
    )
    if batch_norm:
        model.add(keras.layers.BatchNormalization(gamma_initializer=gamma_initializer))
    model.add(keras.layers.ReLU())
    model.add(keras.layers.Reshape(base_shape))
    for block in range(1, num_blocks):
        _add_upsampling(
            model,
            base_filters // 2**block,
            kernel_size,
            upsampling,
            use_bias=_bias(use_bias, batch_norm),
            kernel_initializer=kernel_initializer,
        )
        if batch_norm:
            model.add(keras.layers.BatchNormalization(gamma_initializer=gamma_initializer))
        model.add(keras.layers.ReLU())
        if dropout:
            model.add(keras.layers.Dropout(dropout))
    _add_upsampling(
        model,
        channels,
        kernel_size,
        upsampling,
        use_bias=_bias(use_bias, False),
        kernel_initializer=kernel_initializer,
        activation="tanh",
    )
    return model


def _generic_discriminator(
    *,
    image_shape,
    filters,
    kernel_size,
    num_blocks,
    batch_norm,
    spectral_norm,
    dropout,
    negative_slope,
    kernel_initializer,
    name,
    use_bias=None,
    gamma_initializer="ones",
):
    conv = ConvSN2D if spectral_norm else keras.layers.Conv2D
    dense = DenseSN if spectral_norm else keras.layers.Dense
    height, width, channels = image_shape
    widths = [channels] + [filters * 2**block for block in range(num_blocks)]
    _check_parameter_count(
        "discriminator",
        sum(kernel_size**2 * a * b for a, b in zip(widths, widths[1:]))
        + (height // 2**num_blocks) * (width // 2**num_blocks) * widths[-1],
        image_shape,
    )

    model = keras.Sequential(name=name)
    model.add(keras.Input(image_shape))
    for block in range(num_blocks):
        # Radford et al., Section 3: no batch norm on the discriminator's
        # input layer (applying it to every layer made training unstable).
        normalized = batch_norm and block > 0
        model.add(
            conv(
                filters * 2**block,
                kernel_size,
                strides=2,
                padding="same",
                use_bias=_bias(use_bias, normalized),
                kernel_initializer=kernel_initializer,
            )
        )
        if normalized:
            model.add(keras.layers.BatchNormalization(gamma_initializer=gamma_initializer))
        model.add(keras.layers.LeakyReLU(negative_slope=negative_slope))
        if dropout:
            model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Flatten())
    model.add(dense(1, use_bias=_bias(use_bias, False), kernel_initializer=kernel_initializer))
    return model


# -- preset "radford": Radford et al. 2015 ------------------------------------
# The paper's 64x64 network (Figure 1: project and reshape to 4x4x1024, then
# fractionally-strided convolutions to 8x8x512, 16x16x256, 32x32x128 and
# 64x64x3), with the details the paper leaves out taken from the authors'
# code (Newmu/dcgan_code, faces/train_uncond_dcgan.py): ngf = ndf = 128,
# 5x5 kernels with stride 2, no biases anywhere (not on the discriminator's
# first layer nor on the outputs either), batch norm on the projection's
# 16384 units before the reshape, batch-norm gains drawn from N(1, 0.02), and
# a discriminator mirroring the generator (128, 256, 512, 1024 channels, no
# batch norm on the first layer, LeakyReLU 0.2) ending in a bias-free linear
# unit on the flattened 4x4x1024 map. No pooling, no hidden dense layers.
_RADFORD_FILTERS = 128
_RADFORD_KERNEL_SIZE = 5
_RADFORD_NUM_BLOCKS = 4


def _radford_initializers():
    return {
        "kernel_initializer": keras.initializers.RandomNormal(mean=0.0, stddev=0.02),
        "gamma_initializer": keras.initializers.RandomNormal(mean=1.0, stddev=0.02),
    }


def _radford_generator(latent_dim, name):
    return _generic_generator(
        latent_dim=latent_dim,
        image_shape=DCGAN_PRESETS["radford"]["image_shape"],
        filters=_RADFORD_FILTERS,
        kernel_size=_RADFORD_KERNEL_SIZE,
        num_blocks=_RADFORD_NUM_BLOCKS,
        upsampling="transpose",
        batch_norm=True,
        dropout=0.0,
        name=name,
        use_bias=False,
        **_radford_initializers(),
    )


def _radford_discriminator(name):
    return _generic_discriminator(
        image_shape=DCGAN_PRESETS["radford"]["image_shape"],
        filters=_RADFORD_FILTERS,
        kernel_size=_RADFORD_KERNEL_SIZE,
        num_blocks=_RADFORD_NUM_BLOCKS,
        batch_norm=True,
        spectral_norm=False,
        dropout=0.0,
        negative_slope=0.2,
        name=name,
        use_bias=False,
        **_radford_initializers(),
    )


# -- presets "mlm_mnist" and "mlm_cifar10": source 002 ------------------------
# The tutorials' Sequential models exactly (Keras default initializers, all
# biases), with the discriminators' final sigmoid left to `output=` (logits by
# default). The MNIST generator keeps the tutorial's sigmoid output, pixels in
# [0, 1] (`load_real_samples` divides by 255); the CIFAR-10 one its tanh,
# pixels in [-1, 1]. Parameter counts are those of the tutorials' printed
# summaries. (An earlier gankit swapped the MNIST sigmoid for tanh; with the
# tutorial's updates on Fashion-MNIST that network stayed all black in 4 of 4
# runs while the sigmoid one draws garments: benchmarks/mlm_mnist_range.py.)
_MLM_NEGATIVE_SLOPE = 0.2
_MLM_DROPOUT = 0.4


def _mlm_mnist_generator(latent_dim, name):
    # define_generator(latent_dim), seed 002 lines 1915-1928.
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            keras.layers.Dense(128 * 7 * 7),  # foundation for a 7x7 image
            keras.layers.LeakyReLU(negative_slope=_MLM_NEGATIVE_SLOPE),
            keras.layers.Reshape((7, 7, 128)),
            keras.layers.Conv2DTranspose(128, 4, strides=2, padding="same"),  # 14x14
            keras.layers.LeakyReLU(negative_slope=_MLM_NEGATIVE_SLOPE),
            keras.layers.Conv2DTranspose(128, 4, strides=2, padding="same"),  # 28x28
            keras.layers.LeakyReLU(negative_slope=_MLM_NEGATIVE_SLOPE),
            keras.layers.Conv2D(1, 7, padding="same", activation="sigmoid"),
        ],
        name=name,
    )


def _mlm_mnist_discriminator(name):
    # define_discriminator(in_shape=(28, 28, 1)), seed 002 lines 1573-1582.
    return keras.Sequential(
        [
            keras.Input(DCGAN_PRESETS["mlm_mnist"]["image_shape"]),
            keras.layers.Conv2D(64, 3, strides=2, padding="same"),
            keras.layers.LeakyReLU(negative_slope=_MLM_NEGATIVE_SLOPE),
            keras.layers.Dropout(_MLM_DROPOUT),
            keras.layers.Conv2D(64, 3, strides=2, padding="same"),
            keras.layers.LeakyReLU(negative_slope=_MLM_NEGATIVE_SLOPE),
            keras.layers.Dropout(_MLM_DROPOUT),
            keras.layers.Flatten(),
            keras.layers.Dense(1),
        ],
        name=name,
    )


def _mlm_cifar10_generator(latent_dim, name):
    # define_generator(latent_dim), seed 002 lines 514-531.
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            keras.layers.Dense(256 * 4 * 4),  # foundation for a 4x4 image
            keras.layers.LeakyReLU(negative_slope=_MLM_NEGATIVE_SLOPE),
            keras.layers.Reshape((4, 4, 256)),
            keras.layers.Conv2DTranspose(128, 4, strides=2, padding="same"),  # 8x8
            keras.layers.LeakyReLU(negative_slope=_MLM_NEGATIVE_SLOPE),
            keras.layers.Conv2DTranspose(128, 4, strides=2, padding="same"),  # 16x16
            keras.layers.LeakyReLU(negative_slope=_MLM_NEGATIVE_SLOPE),
            keras.layers.Conv2DTranspose(128, 4, strides=2, padding="same"),  # 32x32
            keras.layers.LeakyReLU(negative_slope=_MLM_NEGATIVE_SLOPE),
            keras.layers.Conv2D(3, 3, padding="same", activation="tanh"),
        ],
        name=name,
    )


def _mlm_cifar10_discriminator(name):
    # define_discriminator(in_shape=(32, 32, 3)), seed 002 lines 138-158.
    return keras.Sequential(
        [
            keras.Input(DCGAN_PRESETS["mlm_cifar10"]["image_shape"]),
            keras.layers.Conv2D(64, 3, padding="same"),  # normal
            keras.layers.LeakyReLU(negative_slope=_MLM_NEGATIVE_SLOPE),
            keras.layers.Conv2D(128, 3, strides=2, padding="same"),  # downsample
            keras.layers.LeakyReLU(negative_slope=_MLM_NEGATIVE_SLOPE),
            keras.layers.Conv2D(128, 3, strides=2, padding="same"),
            keras.layers.LeakyReLU(negative_slope=_MLM_NEGATIVE_SLOPE),
            keras.layers.Conv2D(256, 3, strides=2, padding="same"),
            keras.layers.LeakyReLU(negative_slope=_MLM_NEGATIVE_SLOPE),
            keras.layers.Flatten(),
            keras.layers.Dropout(_MLM_DROPOUT),
            keras.layers.Dense(1),
        ],
        name=name,
    )


# -- preset "kaggle_dogs": source 000 -----------------------------------------
# DogGenerator and DogDiscriminator(spectral_normalization=True) as listed in
# the post. The sizes it keeps in globals come from the author's Kaggle kernel:
# 64x64x3 images, noise_dim = 128, scale_factor = 16 (so the Dense layer's
# 2048 units reshape to 4x4x128, as the post's structure line says),
# leaky_relu_slope = 0.2, and weight_init_std = 0.02 / weight_init_mean = 0 for
# the truncated normal (the kernel's `seed=42` is left out: one seeded
# initializer shared by every layer would give same-shaped kernels identical
# values in Keras 3; use `keras.utils.set_random_seed` instead). Dropout 0.5
# follows the post's structure line. Convolutions have no bias; the dense
# layers keep theirs. The output layer is a Dense(3, tanh) applied per pixel,
# as in the listing; DenseSN(1) keeps Keras' default initializer, as in the
# listing (only the convolutions and the generator's dense layers get the
# truncated normal).
_DOGS_SCALE_FACTOR = 16
_DOGS_BASE_FILTERS = 128
_DOGS_GENERATOR_BLOCKS = ((512, 1), (256, 2), (128, 2), (64, 2), (32, 2))  # (filters, stride)
_DOGS_GENERATOR_DROPOUT_BLOCKS = 2  # Dropout after the first two blocks
_DOGS_DISCRIMINATOR_FILTERS = (64, 128, 256)  # the stride-2 conv_Blocks
_DOGS_KERNEL_SIZE = 5
_DOGS_DROPOUT = 0.5
_DOGS_NEGATIVE_SLOPE = 0.2


def _dogs_initializer():
    return keras.initializers.TruncatedNormal(mean=0.0, stddev=0.02)


def _kaggle_dogs_generator(latent_dim, image_shape, name):
    height, width, channels = image_shape
    base_shape = (height // _DOGS_SCALE_FACTOR, width // _DOGS_SCALE_FACTOR, _DOGS_BASE_FILTERS)
    _check_parameter_count("generator", latent_dim * math.prod(base_shape), image_shape)  # Its projection alone.
    model = keras.Sequential(name=name)
    model.add(keras.Input((latent_dim,)))
    model.add(keras.layers.Dense(math.prod(base_shape), kernel_initializer=_dogs_initializer()))
    model.add(keras.layers.Reshape(base_shape))
    for block, (filters, stride) in enumerate(_DOGS_GENERATOR_BLOCKS):
        # transposed_conv(): Conv2DTranspose -> BatchNormalization -> ReLU.
        model.add(
            keras.layers.Conv2DTranspose(
                filters,
                _DOGS_KERNEL_SIZE,
                strides=stride,
                padding="same",
                use_bias=False,
                kernel_initializer=_dogs_initializer(),
            )
        )
        model.add(keras.layers.BatchNormalization())
        model.add(keras.layers.ReLU())
        if block < _DOGS_GENERATOR_DROPOUT_BLOCKS:
            model.add(keras.layers.Dropout(_DOGS_DROPOUT))
    model.add(keras.layers.Dense(channels, activation="tanh", kernel_initializer=_dogs_initializer()))
    return model


def _kaggle_dogs_discriminator(image_shape, name):
    model = keras.Sequential(name=name)
    model.add(keras.Input(image_shape))
    model.add(
        ConvSN2D(
            64,
            _DOGS_KERNEL_SIZE,
            strides=1,
            padding="same",
            use_bias=False,
            kernel_initializer=_dogs_initializer(),
        )
    )
    model.add(keras.layers.LeakyReLU(negative_slope=_DOGS_NEGATIVE_SLOPE))
    for filters in _DOGS_DISCRIMINATOR_FILTERS:
        # convSN(): ConvSN2D -> BatchNormalization -> LeakyReLU.
        model.add(
            ConvSN2D(
                filters,
                _DOGS_KERNEL_SIZE,
                strides=2,
                padding="same",
                use_bias=False,
                kernel_initializer=_dogs_initializer(),
            )
        )
        model.add(keras.layers.BatchNormalization())
        model.add(keras.layers.LeakyReLU(negative_slope=_DOGS_NEGATIVE_SLOPE))
    model.add(keras.layers.Flatten())
    model.add(DenseSN(1))
    return model


# -- preset "slim": source 001 ------------------------------------------------
# model.py's DCGAN.generator and DCGAN.discriminator (after TF-slim's
# nets/dcgan.py) with slim's defaults made explicit: 4x4 kernels, Glorot
# uniform weights, zero biases, and a bias only on layers without batch norm;
# slim.batch_norm has decay 0.999, epsilon 0.001 and no scale (gamma).
# Generator: the latent vector as a 1x1 map, a 4x4 VALID transposed conv to
# 4x4, stride-2 transposed convs (batch norm, ReLU), a last linear stride-2
# transposed conv with `depth` channels, and a 1x1 tanh conv to the image.
# Its middle widths follow the listing, `depth * 2 * (num_layers - i)`; slim's
# nets/dcgan.py has `depth * 2 ** (num_layers - i)`. The two agree up to
# final_size 32 (the model's default); at 64 (train.py) the listing's second
# layer has 6 * depth channels instead of 8 * depth.
# Discriminator: log2(final_size) stride-2 convs of depth * 2**i channels with
# LeakyReLU 0.2 (batch norm on all but the first) down to 1x1, then the 1x1
# logits conv.
_SLIM_DEPTH = 64
_SLIM_KERNEL_SIZE = 4
_SLIM_NEGATIVE_SLOPE = 0.2  # tf.nn.leaky_relu's default alpha
_SLIM_CHANNELS = 3


def _slim_batch_norm():
    return keras.layers.BatchNormalization(momentum=0.999, epsilon=0.001, scale=False)


def _slim_generator_filters(depth, final_size):
    """The transposed-convolution widths of source 001's generator."""
    num_layers = int(math.log2(final_size)) - 1
    filters = [depth * 2 ** (num_layers - 1)]
    filters += [depth * 2 * (num_layers - i) for i in range(2, num_layers)]
    filters.append(depth)
    return filters


def _slim_generator(latent_dim, depth, final_size, channels, name):
    first, *middle, last = _slim_generator_filters(depth, final_size)
    model = keras.Sequential(name=name)
    model.add(keras.Input((latent_dim,)))
    model.add(keras.layers.Reshape((1, 1, latent_dim)))  # tf.expand_dims twice
    model.add(keras.layers.Conv2DTranspose(first, _SLIM_KERNEL_SIZE, padding="valid", use_bias=False))
    model.add(_slim_batch_norm())
    model.add(keras.layers.ReLU())
    for filters in middle:
        model.add(keras.layers.Conv2DTranspose(filters, _SLIM_KERNEL_SIZE, strides=2, padding="same", use_bias=False))
        model.add(_slim_batch_norm())
        model.add(keras.layers.ReLU())
    # "Last layer has different normalizer and activation": none of either.
    model.add(keras.layers.Conv2DTranspose(last, _SLIM_KERNEL_SIZE, strides=2, padding="same"))
    model.add(keras.layers.Conv2D(channels, 1, padding="valid", activation="tanh"))
    return model


def _slim_discriminator(depth, final_size, channels, name):
    model = keras.Sequential(name=name)
    model.add(keras.Input((final_size, final_size, channels)))
    for i in range(int(math.log2(final_size))):
        normalized = i > 0
        model.add(
            keras.layers.Conv2D(
                depth * 2**i,
                _SLIM_KERNEL_SIZE,
                strides=2,
                padding="same",
                use_bias=not normalized,
            )
        )
        if normalized:
            model.add(_slim_batch_norm())
        model.add(keras.layers.LeakyReLU(negative_slope=_SLIM_NEGATIVE_SLOPE))
    model.add(keras.layers.Conv2D(1, 1, padding="valid"))  # the 1x1 logits conv
    model.add(keras.layers.Flatten())  # tf.reshape(logits, [-1, 1])
    return model


# -- preset "upsample": source 003 --------------------------------------------
# The post's networks are images; they are taken from its code,
# akash-agni/ReadThePaper DCGAN/dcgan.py at 025b5cb (the revision whose
# main() runs), in PyTorch's NCHW translated to NHWC:
# Generator: Linear(latent, 128 * (s/4)^2) -> view -> BatchNorm2d(128) ->
# [Upsample(x2) -> Conv2d(128, 128, 3, padding 1) -> BatchNorm2d(128, 0.8) ->
# LeakyReLU(0.2)] x 2 -> Conv2d(128, channels, 3, padding 1) -> Tanh. (The post
# says ReLU; the code uses LeakyReLU 0.2.) `BatchNorm2d(n, 0.8)` sets
# *epsilon* to 0.8 (PyTorch's second positional argument); kept, as the
# source trains with it.
# Discriminator: blocks Conv2d(3x3, stride 2, padding 1) -> LeakyReLU(0.2) ->
# Dropout2d(0.25) [-> BatchNorm2d(n, 0.8) on all but the first] with 16, 32,
# 64, 128 and 512 channels, then Linear(., 1) on the flattened map.
# PyTorch's batch-norm momentum 0.1 is Keras' 0.9. Initialization as
# weights_init_normal(): conv kernels N(0, 0.02), batch-norm gains N(1, 0.02)
# and offsets 0; the Linear layers keep PyTorch's default U(+-1/sqrt(fan_in)),
# VarianceScaling(1/3, "fan_in", "uniform") in Keras. Biases start at zero
# (PyTorch draws them from U(+-1/sqrt(fan_in))).
_UPSAMPLE_SCALE_FACTOR = 4
_UPSAMPLE_GENERATOR_FILTERS = 128
_UPSAMPLE_DISCRIMINATOR_FILTERS = (16, 32, 64, 128, 512)
_UPSAMPLE_KERNEL_SIZE = 3
_UPSAMPLE_DROPOUT = 0.25
_UPSAMPLE_NEGATIVE_SLOPE = 0.2
_UPSAMPLE_BATCH_NORM_EPSILON = 0.8


def _upsample_batch_norm(epsilon=_UPSAMPLE_BATCH_NORM_EPSILON):
    return keras.layers.BatchNormalization(
        momentum=0.9,
        epsilon=epsilon,
        gamma_initializer=keras.initializers.RandomNormal(mean=1.0, stddev=0.02),
    )


def _upsample_conv(filters, **kwargs):
    return keras.layers.Conv2D(
        filters,
        _UPSAMPLE_KERNEL_SIZE,
        padding="same",
        kernel_initializer=keras.initializers.RandomNormal(mean=0.0, stddev=0.02),
        **kwargs,
    )


def _torch_linear_initializer():
    return keras.initializers.VarianceScaling(scale=1 / 3, mode="fan_in", distribution="uniform")


def _upsample_generator(latent_dim, image_shape, name):
    height, width, channels = image_shape
    base_shape = (
        height // _UPSAMPLE_SCALE_FACTOR,
        width // _UPSAMPLE_SCALE_FACTOR,
        _UPSAMPLE_GENERATOR_FILTERS,
    )
    _check_parameter_count("generator", latent_dim * math.prod(base_shape), image_shape)  # Its projection alone.
    model = keras.Sequential(name=name)
    model.add(keras.Input((latent_dim,)))
    model.add(keras.layers.Dense(math.prod(base_shape), kernel_initializer=_torch_linear_initializer()))
    model.add(keras.layers.Reshape(base_shape))
    model.add(_upsample_batch_norm(epsilon=1e-5))  # BatchNorm2d(128): default eps
    for _ in range(2):
        model.add(keras.layers.UpSampling2D(2))
        model.add(_upsample_conv(_UPSAMPLE_GENERATOR_FILTERS))
        model.add(_upsample_batch_norm())
        model.add(keras.layers.LeakyReLU(negative_slope=_UPSAMPLE_NEGATIVE_SLOPE))
    model.add(_upsample_conv(channels, activation="tanh"))
    return model


def _upsample_discriminator(image_shape, name):
    model = keras.Sequential(name=name)
    model.add(keras.Input(image_shape))
    for block, filters in enumerate(_UPSAMPLE_DISCRIMINATOR_FILTERS):
        model.add(_upsample_conv(filters, strides=2))
        model.add(keras.layers.LeakyReLU(negative_slope=_UPSAMPLE_NEGATIVE_SLOPE))
        model.add(keras.layers.SpatialDropout2D(_UPSAMPLE_DROPOUT))  # nn.Dropout2d
        if block > 0:
            model.add(_upsample_batch_norm())
    model.add(keras.layers.Flatten())
    model.add(keras.layers.Dense(1, kernel_initializer=_torch_linear_initializer()))
    return model


# -- public builders ----------------------------------------------------------

DISCRIMINATOR_OUTPUTS = ("logits", "probability")
"""The values of the discriminator builders' `output=`."""


def with_output(network: keras.Model, output: str) -> keras.Model:
    """`network` as built (`"logits"`), or ending in the sources' sigmoid (`"probability"`).

    The sigmoid is appended as a layer named `"probability"`, so a
    `Sequential` network stays `Sequential` and a functional one gains one
    output layer; the weights are the same objects.
    """
    output = check_choice(output, name="output", choices=DISCRIMINATOR_OUTPUTS)
    if output == "logits":
        return network
    if isinstance(network, keras.Sequential):
        network.add(keras.layers.Activation("sigmoid", name="probability"))
        return network
    probability = keras.layers.Activation("sigmoid", name="probability")(network.output)
    return keras.Model(network.inputs, probability, name=network.name)


def build_dcgan_generator(
    latent_dim: int | None = None,
    image_shape: tuple[int, int, int] | list[int] | None = None,
    filters: int | None = None,
    *,
    preset: str | None = None,
    kernel_size: int | None = None,
    num_blocks: int | None = None,
    upsampling: str | None = None,
    batch_norm: bool | None = None,
    dropout: float | None = None,
    kernel_initializer: str | dict[str, Any] | keras.initializers.Initializer | None = None,
    depth: int | None = None,
    final_size: int | None = None,
    channels: int | None = None,
    name: str = "generator",
) -> keras.Sequential:
    """Builds a DCGAN generator: latent vectors to `tanh` images.

    Without a preset, builds the DCGAN generator of Radford et al.: a dense
    projection of the latent vector, reshaped to a small feature map, then
    `num_blocks` stride-2 upsampling blocks (batch norm, ReLU), each halving
    the channels, the last one producing the image with `tanh`. Upsampling is
    a transposed convolution or, to avoid its checkerboard artifacts, nearest
    upsampling followed by a convolution (source 003). Hidden layers followed
    by batch norm have no bias.

    With `preset`, builds instead the generator of a source, layer by layer:
    `"radford"` (the paper's 64x64 network, 4x4x1024 projection),
    `"mlm_mnist"` and `"mlm_cifar10"` (source 002), `"kaggle_dogs"` (source
    000), `"slim"` (source 001, sized by `depth` and `final_size`) or
    `"upsample"` (source 003). A preset fixes the architecture: it accepts
    `latent_dim` and `name`, plus `image_shape` for `"kaggle_dogs"` and
    `"upsample"` and `depth`, `final_size` and `channels` for `"slim"`; any
    other argument raises. `DCGAN_PRESETS[preset]` lists each source's
    settings.

    Reference: [Radford et al., 2015](https://arxiv.org/abs/1511.06434).

    Args:
        latent_dim: Size of the latent vector. Defaults to `None`: 100, or
            the preset's latent size.
        image_shape: Output image shape `(height, width, channels)`; height
            and width must be divisible by `2**num_blocks`.
            Defaults to `None`: `(64, 64, 3)`, or the preset's shape.
        filters: Channels of the last hidden block; each earlier block has
            twice as many, so the projection has
            `filters * 2**(num_blocks - 1)` channels.
            Defaults to `None`: 64.
        preset: A name from `DCGAN_PRESETS` to build that source's network.
            Defaults to `None` (the generic network).
        kernel_size: Kernel size of the upsampling convolutions.
            Defaults to `None`: 5, as in the DCGAN authors' code.
        num_blocks: Number of stride-2 upsampling blocks, the output block
            included. Defaults to `None`: as many as keep the first feature
            map at least 4 pixels on its shorter side (4 for 64x64 images,
            from a 4x4 map; 2 for 28x28, from 7x7).
        upsampling: `"transpose"` (stride-2 transposed convolutions) or
            `"upsample"` (`UpSampling2D` then a convolution).
            Defaults to `None`: `"transpose"`.
        batch_norm: Whether to add batch normalization after the projection
            and every hidden block. Defaults to `None`: `True`.
        dropout: Dropout rate after every hidden block, in [0, 1); 0 adds no
            dropout layers. Defaults to `None`: 0.
        kernel_initializer: Initializer of every kernel (any value
            `keras.initializers.get` accepts). Defaults to `None`:
            `RandomNormal(0, 0.02)`, the DCGAN paper's initialization.
        depth: With `preset="slim"` only: channels of the generator's last
            transposed convolution, as in source 001. Defaults to `None`: 64.
        final_size: With `preset="slim"` only: the square image side, a
            power of two of at least 8. Defaults to `None`: 64.
        channels: With `preset="slim"` only: image channels.
            Defaults to `None`: 3.
        name: Name of the model. Defaults to `"generator"`.

    Returns:
        A `keras.Sequential` model mapping `(batch, latent_dim)` to
        `(batch, height, width, channels)` images in [-1, 1].

    Raises:
        TypeError: If an argument has the wrong type (for example a
            non-integer `latent_dim` or `final_size`, or a non-string
            `preset`).
        ValueError: If a value is out of range, the image size cannot be
            reached with stride-2 blocks, `final_size` is not a power of two
            of at least 8, the preset is unknown, or an argument is given that
            the preset fixes (or a `"slim"` argument without that preset).

    Example:

        >>> generator = build_dcgan_generator(latent_dim=16, image_shape=(32, 32, 1), filters=8)
        >>> generator.output_shape
        (None, 32, 32, 1)
        >>> build_dcgan_generator(preset="mlm_cifar10").count_params()
        1466115
    """
    name = check_string(name, name="name")
    given = {
        "latent_dim": latent_dim,
        "image_shape": image_shape,
        "filters": filters,
        "kernel_size": kernel_size,
        "num_blocks": num_blocks,
        "upsampling": upsampling,
        "batch_norm": batch_norm,
        "dropout": dropout,
        "kernel_initializer": kernel_initializer,
        "depth": depth,
        "final_size": final_size,
        "channels": channels,
    }
    if preset is not None:
        _check_preset(preset)
        _check_preset_arguments(preset, given, _GENERATOR_PRESET_ARGUMENTS[preset])
        settings = DCGAN_PRESETS[preset]
        latent_dim = check_int(
            settings["latent_dim"] if latent_dim is None else latent_dim, name="latent_dim", minimum=1
        )
        return _build_preset_generator(preset, latent_dim, given, name)

    _check_preset_arguments(None, given, tuple(k for k in given if k not in _SLIM_ONLY_ARGUMENTS))
    image_shape = check_image_shape((64, 64, 3) if image_shape is None else image_shape)
    return _generic_generator(
        latent_dim=check_int(100 if latent_dim is None else latent_dim, name="latent_dim", minimum=1),
        image_shape=image_shape,
        filters=check_int(64 if filters is None else filters, name="filters", minimum=1),
        kernel_size=check_int(5 if kernel_size is None else kernel_size, name="kernel_size", minimum=1),
        num_blocks=_resolve_num_blocks(image_shape, num_blocks),
        upsampling=check_choice(
            "transpose" if upsampling is None else upsampling, name="upsampling", choices=("transpose", "upsample")
        ),
        batch_norm=check_bool(True if batch_norm is None else batch_norm, name="batch_norm"),
        dropout=check_number(
            0.0 if dropout is None else dropout, name="dropout", minimum=0.0, maximum=1.0, max_inclusive=False
        ),
        kernel_initializer=_check_initializer(kernel_initializer),
        name=name,
    )


def _build_preset_generator(preset, latent_dim, given, name):
    if preset == "radford":
        return _radford_generator(latent_dim, name)
    if preset == "mlm_mnist":
        return _mlm_mnist_generator(latent_dim, name)
    if preset == "mlm_cifar10":
        return _mlm_cifar10_generator(latent_dim, name)
    if preset == "slim":
        depth, final_size, channels = _slim_sizes(given)
        return _slim_generator(latent_dim, depth, final_size, channels, name)
    image_shape = _preset_image_shape(preset, given["image_shape"])
    if preset == "kaggle_dogs":
        _check_image_divisible(image_shape, _DOGS_SCALE_FACTOR, "the generator starts from a 1/16-size map")
        return _kaggle_dogs_generator(latent_dim, image_shape, name)
    _check_image_divisible(image_shape, _UPSAMPLE_SCALE_FACTOR, "the generator starts from a 1/4-size map")
    return _upsample_generator(latent_dim, image_shape, name)


def _preset_image_shape(preset, image_shape):
    if image_shape is None:
        return DCGAN_PRESETS[preset]["image_shape"]
    return check_image_shape(image_shape)


def _slim_sizes(given):
    depth = check_int(_SLIM_DEPTH if given["depth"] is None else given["depth"], name="depth", minimum=1)
    final_size = _check_final_size(
        DCGAN_PRESETS["slim"]["image_shape"][0] if given["final_size"] is None else given["final_size"]
    )
    channels = check_int(_SLIM_CHANNELS if given["channels"] is None else given["channels"], name="channels", minimum=1)
    return depth, final_size, channels


def build_dcgan_discriminator(
    image_shape: tuple[int, int, int] | list[int] | None = None,
    filters: int | None = None,
    *,
    preset: str | None = None,
    kernel_size: int | None = None,
    num_blocks: int | None = None,
    batch_norm: bool | None = None,
    spectral_norm: bool | None = None,
    dropout: float | None = None,
    negative_slope: float | None = None,
    kernel_initializer: str | dict[str, Any] | keras.initializers.Initializer | None = None,
    depth: int | None = None,
    final_size: int | None = None,
    channels: int | None = None,
    output: str = "logits",
    name: str = "discriminator",
) -> keras.Sequential:
    """Builds a DCGAN discriminator: images to one raw logit each.

    Without a preset, builds the DCGAN discriminator of Radford et al.:
    `num_blocks` stride-2 convolutions (no pooling), each doubling the
    channels, with LeakyReLU and batch normalization on every block but the
    first, then a flatten and a single linear unit. With `spectral_norm=True`
    the convolutions and the output unit are gankit's `ConvSN2D` and
    `DenseSN` (Miyato et al. 2018); spectral normalization usually replaces
    batch norm, so combine it with `batch_norm=False` for the SNGAN recipe.
    Layers followed by batch norm have no bias.

    The output is a logit by default: gankit's losses take logits, and
    Keras' `BinaryCrossentropy(from_logits=True)` does too. A source's own
    training loop (`compile(loss="binary_crossentropy", metrics=["accuracy"])`,
    `train_on_batch`) expects the probability its model ends in: pass
    `output="probability"` to add that sigmoid. Never give a probability
    discriminator to `GAN`, which refuses it.

    With `preset`, builds instead the discriminator of a source, layer by
    layer (see `build_dcgan_generator` for the list); the sources' final
    sigmoids are dropped. A preset fixes the architecture: it accepts `name`,
    plus `image_shape` for `"kaggle_dogs"` and `"upsample"` and `depth`,
    `final_size` and `channels` for `"slim"`; any other argument raises.

    Reference: [Radford et al., 2015](https://arxiv.org/abs/1511.06434);
    [Miyato et al., 2018](https://arxiv.org/abs/1802.05957).

    Args:
        image_shape: Input image shape `(height, width, channels)`; height
            and width must be divisible by `2**num_blocks`.
            Defaults to `None`: `(64, 64, 3)`, or the preset's shape.
        filters: Channels of the first block; each later block has twice as
            many. Defaults to `None`: 64.
        preset: A name from `DCGAN_PRESETS` to build that source's network.
            Defaults to `None` (the generic network).
        kernel_size: Kernel size of the convolutions.
            Defaults to `None`: 5, as in the DCGAN authors' code.
        num_blocks: Number of stride-2 convolution blocks. Defaults to
            `None`: as many as keep the last feature map at least 4 pixels on
            its shorter side (the generator's rule, so both agree).
        batch_norm: Whether to add batch normalization to every block but
            the first. Defaults to `None`: `True`.
        spectral_norm: Whether to use spectrally normalized layers
            (`ConvSN2D`, `DenseSN`). Defaults to `None`: `False`.
        dropout: Dropout rate after every block's activation, in [0, 1); 0
            adds no dropout layers. Defaults to `None`: 0.
        negative_slope: Slope of the LeakyReLU for negative inputs, at
            least 0. Defaults to `None`: 0.2, as in the DCGAN paper.
        kernel_initializer: Initializer of every kernel (any value
            `keras.initializers.get` accepts). Defaults to `None`:
            `RandomNormal(0, 0.02)`, the DCGAN paper's initialization.
        depth: With `preset="slim"` only: channels of the first convolution,
            as in source 001. Defaults to `None`: 64.
        final_size: With `preset="slim"` only: the square image side, a
            power of two of at least 8. Defaults to `None`: 64.
        channels: With `preset="slim"` only: image channels.
            Defaults to `None`: 3.
        output: `"logits"` (raw scores, what gankit's losses and `GAN` take)
            or `"probability"` (a final sigmoid, as the sources' Keras models
            end, for their `binary_crossentropy` loops).
            Defaults to `"logits"`.
        name: Name of the model. Defaults to `"discriminator"`.

    Returns:
        A `keras.Sequential` model mapping `(batch, height, width, channels)`
        images to `(batch, 1)` logits, or probabilities with
        `output="probability"`.

    Raises:
        TypeError: If an argument has the wrong type (for example a
            non-boolean `spectral_norm`, a non-integer `final_size`, or a
            non-string `preset`).
        ValueError: If a value is out of range, the image size cannot be
            halved `num_blocks` times, `final_size` is not a power of two of
            at least 8, the preset is unknown, or an argument is given that
            the preset fixes (or a `"slim"` argument without that preset).

    Example:

        >>> discriminator = build_dcgan_discriminator((32, 32, 1), filters=8, spectral_norm=True)
        >>> discriminator.output_shape
        (None, 1)
        >>> build_dcgan_discriminator(preset="mlm_mnist").count_params()
        40705
    """
    name = check_string(name, name="name")
    output = check_choice(output, name="output", choices=DISCRIMINATOR_OUTPUTS)
    network = _build_discriminator(
        preset,
        {
            "image_shape": image_shape,
            "filters": filters,
            "kernel_size": kernel_size,
            "num_blocks": num_blocks,
            "batch_norm": batch_norm,
            "spectral_norm": spectral_norm,
            "dropout": dropout,
            "negative_slope": negative_slope,
            "kernel_initializer": kernel_initializer,
            "depth": depth,
            "final_size": final_size,
            "channels": channels,
        },
        name,
    )
    return with_output(network, output)


def _build_discriminator(preset, given, name):
    if preset is not None:
        _check_preset(preset)
        _check_preset_arguments(preset, given, _DISCRIMINATOR_PRESET_ARGUMENTS[preset])
        return _build_preset_discriminator(preset, given, name)

    _check_preset_arguments(None, given, tuple(k for k in given if k not in _SLIM_ONLY_ARGUMENTS))
    image_shape, negative_slope = given["image_shape"], given["negative_slope"]
    image_shape = check_image_shape((64, 64, 3) if image_shape is None else image_shape)
    negative_slope = check_number(0.2 if negative_slope is None else negative_slope, name="negative_slope")
    if negative_slope < 0:
        raise ValueError(f"`negative_slope` must be at least 0. Received: negative_slope={negative_slope}")
    return _generic_discriminator(
        image_shape=image_shape,
        filters=check_int(64 if given["filters"] is None else given["filters"], name="filters", minimum=1),
        kernel_size=check_int(
            5 if given["kernel_size"] is None else given["kernel_size"], name="kernel_size", minimum=1
        ),
        num_blocks=_resolve_num_blocks(image_shape, given["num_blocks"]),
        batch_norm=check_bool(True if given["batch_norm"] is None else given["batch_norm"], name="batch_norm"),
        spectral_norm=check_bool(
            False if given["spectral_norm"] is None else given["spectral_norm"], name="spectral_norm"
        ),
        dropout=check_number(
            0.0 if given["dropout"] is None else given["dropout"],
            name="dropout",
            minimum=0.0,
            maximum=1.0,
            max_inclusive=False,
        ),
        negative_slope=negative_slope,
        kernel_initializer=_check_initializer(given["kernel_initializer"]),
        name=name,
    )


def _build_preset_discriminator(preset, given, name):
    if preset == "radford":
        return _radford_discriminator(name)
    if preset == "mlm_mnist":
        return _mlm_mnist_discriminator(name)
    if preset == "mlm_cifar10":
        return _mlm_cifar10_discriminator(name)
    if preset == "slim":
        depth, final_size, channels = _slim_sizes(given)
        return _slim_discriminator(depth, final_size, channels, name)
    image_shape = _preset_image_shape(preset, given["image_shape"])
    if preset == "kaggle_dogs":
        return _kaggle_dogs_discriminator(image_shape, name)
    return _upsample_discriminator(image_shape, name)


# Arguments `build_dcgan` passes to one network only; the rest go to both.
_GENERATOR_ONLY = ("latent_dim", "upsampling")
_DISCRIMINATOR_ONLY = ("spectral_norm", "negative_slope")
_OPTIMIZER_KEYS = ("d_learning_rate", "g_learning_rate", "beta_1", "beta_2")


def build_dcgan(
    preset: str | None = None,
    *,
    compile: bool = True,
    compile_kwargs: dict[str, Any] | None = None,
    ema_decay: float | None = None,
    **kwargs: Any,
) -> GAN:
    """Builds a ready-to-train DCGAN: a `GAN` holding both networks.

    With `preset=`, reproduces a source's networks and compiles the model with
    the source's optimizers and training settings (`dcgan_preset(name)`
    lists them: learning rates, Adam betas, loss, step ratio, label
    smoothing, latent distribution). Without a preset, keyword arguments
    build any DCGAN through `build_dcgan_generator` and
    `build_dcgan_discriminator`, compiled with `GAN.compile`'s defaults
    (Adam 2e-4 / 0.5, non-saturating loss).

    Args:
        preset: One of `DCGAN_PRESETS` (`"radford"`, `"mlm_mnist"`,
            `"mlm_cifar10"`, `"kaggle_dogs"`, `"slim"`, `"upsample"`), or
            `None`. Defaults to `None`.
        compile: Whether to compile the model, so that `fit()` can be called
            right away. Defaults to `True`.
        compile_kwargs: `GAN.compile` arguments that override the preset's
            (e.g. `{"loss": "ra_lsgan"}`, `{"d_optimizer": ...}`).
            Defaults to `None`.
        ema_decay: Keep an exponential moving average of the generator
            (`GAN(ema_decay=...)`). Defaults to `None`.
        **kwargs: Network arguments. `latent_dim` and `upsampling` go to the
            generator, `spectral_norm` and `negative_slope` to the
            discriminator, the others (`image_shape`, `filters`,
            `kernel_size`, `num_blocks`, `batch_norm`, `dropout`,
            `kernel_initializer`, `depth`, `final_size`, `channels`) to both.
            A preset accepts only the arguments its source leaves open.

    Returns:
        A `GAN` (compiled unless `compile=False`) with `.generator` and
        `.discriminator`.

    Raises:
        ValueError: If the preset is unknown or an argument does not fit it.
        TypeError: If an argument has the wrong type.

    Example:

        >>> gan = build_dcgan(preset="mlm_mnist")
        >>> gan.generator.count_params(), gan.discriminator.count_params()
        (1164289, 40705)
        >>> gan.training_options["loss"]
        'non_saturating'
    """
    if compile_kwargs is not None and not isinstance(compile_kwargs, dict):
        raise TypeError(f"`compile_kwargs` must be a dict or None. Received: compile_kwargs={compile_kwargs!r}")
    if ema_decay is not None:
        # Checked again by `GAN`; here before the networks are built.
        check_number(ema_decay, name="ema_decay", minimum=0.0, maximum=1.0, max_inclusive=False)
    generator_kwargs = {k: v for k, v in kwargs.items() if k not in _DISCRIMINATOR_ONLY}
    discriminator_kwargs = {k: v for k, v in kwargs.items() if k not in _GENERATOR_ONLY}
    generator = build_dcgan_generator(preset=preset, **generator_kwargs)
    if preset is None or "image_shape" in kwargs:
        # The discriminator judges exactly what the generator makes.
        discriminator_kwargs["image_shape"] = tuple(int(d) for d in generator.output_shape[1:])
    discriminator = build_dcgan_discriminator(preset=preset, **discriminator_kwargs)

    settings = dict(dcgan_preset(preset)["compile"]) if preset is not None else {}
    latent_distribution = settings.pop("latent_distribution", "normal")
    gan = GAN(generator, discriminator, latent_distribution=latent_distribution, ema_decay=ema_decay)
    if compile:
        options = {k: v for k, v in settings.items() if k not in _OPTIMIZER_KEYS}
        if settings:
            betas = {"beta_1": settings.get("beta_1", 0.9), "beta_2": settings.get("beta_2", 0.999)}
            options["d_optimizer"] = keras.optimizers.Adam(settings["d_learning_rate"], **betas)
            options["g_optimizer"] = keras.optimizers.Adam(settings["g_learning_rate"], **betas)
        options.update(compile_kwargs or {})
        gan.compile(**options)
    return gan
