"""Progressive GAN networks that grow from 4x4 to a target resolution.

A Progressive GAN (Karras et al., 2018) trains a 4x4 generator and
discriminator, then adds one block at a time, doubling the resolution. While
a new block is faded in, its output is blended with the upsampled (generator)
or downsampled (discriminator) output of the previous stage through a
`WeightedSum` whose `alpha` goes from 0 to 1. The real images the
discriminator sees during a fade-in are blended the same way
(`fade_real_images`, the paper code's `process_reals`), so real and fake
inputs share one mix of resolutions.

`ProgressiveNetworks` owns every layer of every resolution, each created once
under a fixed name (`g_8_conv1`, `d_16_from_rgb`, ...). `generator(resolution)`
and `discriminator(resolution)` assemble functional models from those shared
layer objects, so weights trained at one stage are the weights of the next.

Reference: [Karras et al., 2018](https://arxiv.org/abs/1710.10196), section 2
(growing, fade-in), 3 (minibatch stddev), 4 (equalized learning rate, pixel
normalization); "GANs in Action" chapter 6.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

import keras
import numpy as np
from keras import ops
from numpy.typing import ArrayLike

from gankit._checks import check_bool
from gankit._checks import check_int
from gankit._checks import check_number
from gankit.layers import EqualizedConv2D
from gankit.layers import EqualizedDense
from gankit.layers import MinibatchStdDev
from gankit.layers import PixelNormalization
from gankit.layers import WeightedSum
from gankit.models.gan import GAN

BASE_RESOLUTION = 4
"""The first (smallest) resolution of every Progressive GAN."""

LEAKY_RELU_SLOPE = 0.2
"""Negative slope of the LeakyReLU activations (paper, appendix A.1)."""


def default_filters(resolution):
    """Default filter count of a resolution: `min(64, max(8, 512 // resolution))`.

    The paper uses `min(512, 8192 // resolution)`; these defaults are 8x
    smaller so that CPU runs stay fast. Pass `filters=` for paper sizes.

    Args:
        resolution: A power of two >= 4.

    Returns:
        An integer.
    """
    return min(64, max(8, 512 // resolution))


def _is_power_of_two(value):
    return value >= 1 and (value & (value - 1)) == 0


def check_resolution(name, value, minimum=BASE_RESOLUTION, maximum=None):
    """Validates a power-of-two resolution; returns it.

    Raises:
        TypeError: If `value` is not an integer.
        ValueError: If `value` is not a power of two in `[minimum, maximum]`.
    """
    value = check_int(value, name=name)
    if not _is_power_of_two(value) or value < minimum:
        raise ValueError(f"`{name}` must be a power of two >= {minimum} (4, 8, 16, ...). Received: {name}={value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"`{name}` must be at most the target resolution {maximum}. Received: {name}={value}")
    return value


def _check_alpha(alpha):
    return check_number(alpha, name="alpha", minimum=0.0, maximum=1.0)


def fade_layers(model):
    """The `WeightedSum` fade-in layers of a model (empty at 4x4 or when stable).

    Args:
        model: A Keras model, e.g. from `ProgressiveNetworks.generator`.

    Returns:
        A list of `WeightedSum` layers.
    """
    return [layer for layer in model.layers if isinstance(layer, WeightedSum)]


def set_fade_alpha(models: keras.Model | Iterable[keras.Model], alpha: float) -> None:
    """Sets `alpha` on every fade-in layer of one model or a sequence of models.

    Args:
        models: A Keras model or a sequence of them.
        alpha: Blend weight in [0, 1] of the new block.

    Raises:
        ValueError: If `alpha` is not in [0, 1].
    """
    alpha = _check_alpha(alpha)
    if isinstance(models, keras.Model):
        models = [models]
    for model in models:
        for layer in fade_layers(model):
            layer.set_alpha(alpha)


def fade_real_images(images: ArrayLike, alpha: float | ArrayLike) -> Any:
    """Blends real images with their half-resolution copy: the reals of a fade-in stage.

    During a fade-in the generator's output is `(1 - alpha) * upsample(old)
    + alpha * new`, a mix of two resolutions. The paper's code
    (`process_reals` in Karras et al.'s `train.py`) gives the discriminator
    real images mixed the same way: each image average-pooled by 2, upsampled
    back by 2 (nearest neighbour) and blended with the original,
    `alpha * x + (1 - alpha) * upsample(avg_pool(x))`. At `alpha = 0` the
    reals carry only the previous resolution's detail, at `alpha = 1` they
    are unchanged.

    Reference: [Karras et al., 2018](https://arxiv.org/abs/1710.10196),
    section 2 and figure 2; `process_reals` in the official code.

    Args:
        images: Channels-last images `(batch, height, width, channels)`
            with even `height` and `width`.
        alpha: Weight of the full-resolution images, in [0, 1]: a number, or
            a scalar tensor or variable (read when the blend runs, so a
            `WeightedSum`'s `alpha` inside a `tf.function` gives each batch's
            value).

    Returns:
        A tensor of the shape and dtype of `images`.

    Raises:
        TypeError: If `alpha` is neither a number nor a tensor or variable.
        ValueError: If `images` is not 4-D with even height and width, a
            number `alpha` is not in [0, 1], or a tensor `alpha` is not a
            scalar.

    Example:

        >>> x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
        >>> np.asarray(fade_real_images(x, 0.0))[0, :2, :2, 0].tolist()
        [[2.5, 2.5], [2.5, 2.5]]
        >>> bool(np.array_equal(fade_real_images(x, 1.0), x))
        True
    """
    if isinstance(alpha, (int, float, np.generic)):
        alpha = _check_alpha(alpha)
    elif not hasattr(alpha, "dtype") or not hasattr(alpha, "shape"):
        raise TypeError(f"`alpha` must be a number or a scalar tensor or variable. Received: alpha={alpha!r}")
    elif tuple(alpha.shape) != ():
        raise ValueError(f"`alpha` must be a scalar. Received: alpha of shape {tuple(alpha.shape)}")
    images = ops.convert_to_tensor(images)
    shape = tuple(images.shape)
    if len(shape) != 4 or any(d is not None and d % 2 for d in shape[1:3]):
        raise ValueError(
            "`images` must be channels-last (batch, height, width, channels) with even height and width. "
            f"Received: images of shape {shape}"
        )
    # process_reals: mean over each 2x2 block, then tile it back over the block.
    low = ops.average_pool(images, 2, strides=2, padding="valid", data_format="channels_last")
    low = ops.repeat(ops.repeat(low, 2, axis=1), 2, axis=2)
    alpha = ops.cast(alpha, images.dtype)
    return alpha * images + (1.0 - alpha) * low


class ProgressiveNetworks:
    """All layers of a Progressive GAN generator and discriminator, shared by stage.

    Every layer is created (and built, by assembling the target-resolution
    models once) in `__init__`, so `get_weights`/`set_weights`, `save_weights`
    and `load_weights` cover every stage, and `generator(r)` /
    `discriminator(r)` return models whose layers are the *same objects* at
    every resolution.

    Generator: latent -> PixelNorm -> EqualizedDense to 4x4 -> LeakyReLU ->
    PixelNorm -> 3x3 conv; each later block upsamples x2 (nearest) then two
    3x3 convs, each followed by LeakyReLU 0.2 and PixelNorm; a linear 1x1
    `toRGB` per resolution (the paper's generator output is linear).
    Discriminator: 1x1 `fromRGB` + LeakyReLU per resolution; each block two
    3x3 convs then 2x2 average pooling; the 4x4 block appends the minibatch
    stddev map, then a 3x3 conv, a dense layer and a linear dense logit.

    Args:
        target_resolution: Final resolution, a power of two >= 4.
            Defaults to `32`.
        latent_dim: Latent size. Defaults to `128`.
        channels: Image channels. Defaults to `3`.
        filters: Filters per resolution: `None` (`default_filters`), an
            integer for all resolutions, a dict `{resolution: filters}`
            covering every resolution, or a callable `resolution -> filters`.
            Defaults to `None`.
        group_size: `MinibatchStdDev` group size. Defaults to `4`.
        seed: Integer seed of the weight initializers. Defaults to `None`.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If `target_resolution` is not a power of two >= 4 or a
            filter count is not positive.

    Example:

        >>> networks = ProgressiveNetworks(target_resolution=16, latent_dim=32)
        >>> networks.generator(8, alpha=0.5).output_shape
        (None, 8, 8, 3)
        >>> networks.discriminator(8).output_shape
        (None, 1)
    """

    def __init__(
        self,
        target_resolution: int = 32,
        latent_dim: int = 128,
        channels: int = 3,
        filters: int | dict[int, int] | Callable[[int], int] | None = None,
        group_size: int = 4,
        seed: int | None = None,
    ) -> None:
        self.target_resolution = check_resolution("target_resolution", target_resolution)
        for name, value in (("latent_dim", latent_dim), ("channels", channels), ("group_size", group_size)):
            check_int(value, name=name, minimum=1)
        self.latent_dim = latent_dim
        self.channels = channels
        self.group_size = group_size
        self.seed = seed
        self.resolutions = tuple(2**k for k in range(2, int(math.log2(self.target_resolution)) + 1))
        self.filters = self._resolve_filters(filters)
        self._seed_counter = 0
        self._make_layers()
        # Build every layer once, at full size.
        self.generator(self.target_resolution, fade_in=False)
        self.discriminator(self.target_resolution, fade_in=False)

    # -- construction ---------------------------------------------------------

    def _resolve_filters(self, filters):
        if filters is None:
            table = {r: default_filters(r) for r in self.resolutions}
        elif isinstance(filters, int) and not isinstance(filters, bool):
            table = {r: filters for r in self.resolutions}
        elif isinstance(filters, dict):
            missing = [r for r in self.resolutions if r not in filters]
            if missing:
                raise ValueError(
                    f"`filters` must give a count for every resolution "
                    f"{list(self.resolutions)}; missing {missing}. "
                    f"Received: filters={filters!r}"
                )
            table = {r: filters[r] for r in self.resolutions}
        elif callable(filters):
            table = {r: filters(r) for r in self.resolutions}
        else:
            raise TypeError(
                "`filters` must be None, an integer, a dict {resolution: filters} "
                f"or a callable. Received: filters={filters!r}"
            )
        for resolution, count in table.items():
            check_int(count, name=f"filters[{resolution}]", minimum=1)
        return {r: int(c) for r, c in table.items()}

    def _next_seed(self):
        if self.seed is None:
            return None
        self._seed_counter += 1
        return self.seed * 1000 + self._seed_counter

    def _conv(self, name, filters, kernel_size=3, gain=math.sqrt(2.0)):
        return EqualizedConv2D(filters, kernel_size, padding="same", gain=gain, seed=self._next_seed(), name=name)

    def _make_layers(self):
        f = self.filters
        base = BASE_RESOLUTION
        self.g_layers = {
            "g_latent_norm": PixelNormalization(name="g_latent_norm"),
            # gain sqrt(2)/4 as in the reference code: the dense layer feeds
            # 16 pixels, so its per-pixel output matches a conv's scale.
            f"g_{base}_dense": EqualizedDense(
                base * base * f[base],
                gain=math.sqrt(2.0) / 4,
                seed=self._next_seed(),
                name=f"g_{base}_dense",
            ),
            f"g_{base}_conv": self._conv(f"g_{base}_conv", f[base]),
        }
        self.d_layers = {
            f"d_{base}_stddev": MinibatchStdDev(group_size=self.group_size, name=f"d_{base}_stddev"),
            f"d_{base}_conv": self._conv(f"d_{base}_conv", f[base]),
            f"d_{base}_dense": EqualizedDense(f[base], seed=self._next_seed(), name=f"d_{base}_dense"),
            f"d_{base}_logit": EqualizedDense(1, gain=1.0, seed=self._next_seed(), name=f"d_{base}_logit"),
        }
        for r in self.resolutions:
            self.g_layers[f"g_{r}_to_rgb"] = self._conv(f"g_{r}_to_rgb", self.channels, 1, gain=1.0)
            self.d_layers[f"d_{r}_from_rgb"] = self._conv(f"d_{r}_from_rgb", f[r], 1)
            if r > base:
                self.g_layers[f"g_{r}_conv1"] = self._conv(f"g_{r}_conv1", f[r])
                self.g_layers[f"g_{r}_conv2"] = self._conv(f"g_{r}_conv2", f[r])
                self.d_layers[f"d_{r}_conv1"] = self._conv(f"d_{r}_conv1", f[r])
                self.d_layers[f"d_{r}_conv2"] = self._conv(f"d_{r}_conv2", f[r // 2])

    # -- assembly -------------------------------------------------------------

    @staticmethod
    def _act(x):
        return keras.layers.LeakyReLU(negative_slope=LEAKY_RELU_SLOPE)(x)

    @staticmethod
    def _norm(x):
        return PixelNormalization()(x)

    def _g_block(self, x, r):
        g = self.g_layers
        x = keras.layers.UpSampling2D(2, interpolation="nearest")(x)
        x = self._norm(self._act(g[f"g_{r}_conv1"](x)))
        return self._norm(self._act(g[f"g_{r}_conv2"](x)))

    def _d_block(self, x, r):
        d = self.d_layers
        x = self._act(d[f"d_{r}_conv1"](x))
        x = self._act(d[f"d_{r}_conv2"](x))
        return keras.layers.AveragePooling2D(2)(x)

    def _check_stage(self, resolution, alpha):
        resolution = check_resolution("resolution", resolution, maximum=self.target_resolution)
        return resolution, _check_alpha(alpha)

    def generator(self, resolution: int, alpha: float = 0.0, fade_in: bool = True) -> keras.Model:
        """Assembles the generator of one stage from the shared layers.

        Args:
            resolution: Output resolution, a power of two in
                [4, target_resolution].
            alpha: Initial weight of the new block in the fade-in. Defaults
                to `0.0`.
            fade_in: Blend the new block with the upsampled previous output
                through a `WeightedSum` named `g_fade` (only when
                `resolution > 4`). `False` gives the stabilized network.
                Defaults to `True`.

        Returns:
            A `keras.Model` `(batch, latent_dim) -> (batch, r, r, channels)`.

        Raises:
            ValueError: If `resolution` is not a power of two in
                [4, target_resolution] or `alpha` is not in [0, 1].
        """
        resolution, alpha = self._check_stage(resolution, alpha)
        g = self.g_layers
        base = BASE_RESOLUTION
        latents = keras.Input((self.latent_dim,), name="latents")
        x = g["g_latent_norm"](latents)
        x = g[f"g_{base}_dense"](x)
        x = keras.layers.Reshape((base, base, self.filters[base]))(x)
        x = self._norm(self._act(x))
        x = self._norm(self._act(g[f"g_{base}_conv"](x)))
        previous = x
        for r in self.resolutions[1:]:
            if r > resolution:
                break
            previous = x
            x = self._g_block(x, r)
        images = g[f"g_{resolution}_to_rgb"](x)
        if fade_in and resolution > base:
            old = g[f"g_{resolution // 2}_to_rgb"](previous)
            old = keras.layers.UpSampling2D(2, interpolation="nearest")(old)
            images = WeightedSum(alpha=alpha, name="g_fade")([old, images])
        suffix = "_fade" if fade_in and resolution > base else ""
        return keras.Model(latents, images, name=f"progan_generator_{resolution}{suffix}")

    def discriminator(self, resolution: int, alpha: float = 0.0, fade_in: bool = True) -> keras.Model:
        """Assembles the discriminator of one stage from the shared layers.

        Args:
            resolution: Input resolution, a power of two in
                [4, target_resolution].
            alpha: Initial weight of the new block in the fade-in. Defaults
                to `0.0`.
            fade_in: Blend the new block's features with those of the
                average-pooled image through the previous `fromRGB`, in a
                `WeightedSum` named `d_fade` (only when `resolution > 4`).
                Defaults to `True`.

        Returns:
            A `keras.Model` `(batch, r, r, channels) -> (batch, 1)` logits.

        Raises:
            ValueError: As for `generator`.
        """
        resolution, alpha = self._check_stage(resolution, alpha)
        d = self.d_layers
        base = BASE_RESOLUTION
        images = keras.Input((resolution, resolution, self.channels), name="images")
        x = self._act(d[f"d_{resolution}_from_rgb"](images))
        if resolution > base:
            x = self._d_block(x, resolution)
            if fade_in:
                old = keras.layers.AveragePooling2D(2)(images)
                old = self._act(d[f"d_{resolution // 2}_from_rgb"](old))
                x = WeightedSum(alpha=alpha, name="d_fade")([old, x])
            for r in reversed(self.resolutions[1:]):
                if r < resolution:
                    x = self._d_block(x, r)
        x = d[f"d_{base}_stddev"](x)
        x = self._act(d[f"d_{base}_conv"](x))
        x = keras.layers.Flatten()(x)
        x = self._act(d[f"d_{base}_dense"](x))
        logits = d[f"d_{base}_logit"](x)
        suffix = "_fade" if fade_in and resolution > base else ""
        return keras.Model(images, logits, name=f"progan_discriminator_{resolution}{suffix}")

    # -- weights --------------------------------------------------------------

    @property
    def layers(self) -> dict[str, keras.layers.Layer]:
        """Every weighted layer, generator then discriminator, by name."""
        return {**self.g_layers, **self.d_layers}

    def get_weights(self) -> dict[str, list[np.ndarray]]:
        """Returns `{layer_name: [arrays]}` for every layer of every stage."""
        return {name: layer.get_weights() for name, layer in self.layers.items()}

    def set_weights(self, weights: Mapping[str, Sequence[ArrayLike]]) -> None:
        """Sets weights from a `get_weights()`-style dict.

        Raises:
            ValueError: If a layer is missing from `weights`.
        """
        missing = [name for name, layer in self.layers.items() if layer.weights and name not in weights]
        if missing:
            raise ValueError(
                f"The weights do not match these networks: missing layers {missing}. "
                "Were they saved from networks with another target_resolution?"
            )
        for name, layer in self.layers.items():
            if layer.weights:
                layer.set_weights(list(weights[name]))

    def save_weights(self, path: str | os.PathLike) -> None:
        """Writes every layer's weights to an `.npz` file (atomically).

        Args:
            path: File path, conventionally ending in `.npz`.
        """
        arrays = {}
        for name, values in self.get_weights().items():
            for i, value in enumerate(values):
                arrays[f"{name}/{i}"] = value
        tmp = f"{path}.partial"
        with open(tmp, "wb") as handle:
            np.savez(handle, **arrays)
        os.replace(tmp, path)

    def load_weights(self, path: str | os.PathLike) -> None:
        """Reads weights written by `save_weights`.

        Raises:
            ValueError: If the file does not match these networks.
        """
        with np.load(path) as data:
            weights = {}
            for key in data.files:
                name, index = key.rsplit("/", 1)
                weights.setdefault(name, {})[int(index)] = data[key]
        self.set_weights({n: [v[i] for i in sorted(v)] for n, v in weights.items()})


PAPER_LEARNING_RATE = 1e-3
"""Adam learning rate of both networks in Karras et al. 2018."""


@keras.saving.register_keras_serializable(package="gankit")
class ProgressiveStage(GAN):
    """One stage of a Progressive GAN, trained with `fit()`: a `GAN` set to WGAN-GP with drift.

    Discriminator loss: `mean(D(G(z))) - mean(D(x)) + lambda * GP +
    drift_weight * mean(D(x)^2)`; generator loss: `-mean(D(G(z)))`. One
    discriminator step per generator step, the generator's with fresh
    latents, as in the paper's code (`update_scheme="fresh"`). Every other
    `GAN.compile` option applies; the stage saves to `.keras` like a `GAN`.

    In a fade-in stage (a discriminator with a `WeightedSum` fade layer,
    `d_fade`) each real batch is blended by `fade_real_images` with that
    layer's `alpha` before the discriminator, the gradient penalty and the
    drift term see it, as the paper's `process_reals` does. The alpha is read
    from the layer's variable every batch, so `FadeInScheduler` (or
    `set_fade_alpha`) drives the networks and the reals together, and a
    stage loaded from `.keras` blends with the alpha it was saved at. Stages
    without a fade layer (4x4, stabilization) train on the reals unchanged.

    Args:
        generator: Stage generator (latents -> images in about [-1, 1]).
        discriminator: Stage discriminator (images -> logits).
        latent_dim: Latent size. Defaults to `None`: read from the
            generator.
        gradient_penalty_weight: lambda of WGAN-GP. Defaults to `10.0`.
        drift_weight: epsilon_drift. Defaults to `0.001`.
        blend_reals: Blend the real images of a fade-in stage with their
            half-resolution copy by the fade layer's alpha (the paper's
            recipe). `False` feeds the reals as given (gankit 0.1's
            behaviour). Defaults to `True`.
        **kwargs: `GAN` arguments (`ema_decay`, `name`, ...).

    Raises:
        TypeError: If a network is not a Keras model, a weight is not a
            number or `blend_reals` is not a bool.
        ValueError: If a weight is negative, NaN or infinite.
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int | None = None,
        gradient_penalty_weight: float = 10.0,
        drift_weight: float = 0.001,
        blend_reals: bool = True,
        **kwargs: Any,
    ) -> None:
        gradient_penalty_weight = check_number(gradient_penalty_weight, name="gradient_penalty_weight", minimum=0.0)
        drift_weight = check_number(drift_weight, name="drift_weight", minimum=0.0)
        blend_reals = check_bool(blend_reals, name="blend_reals")
        super().__init__(generator, discriminator, latent_dim, **kwargs)
        self.gradient_penalty_weight = gradient_penalty_weight
        self.drift_weight = drift_weight
        self.blend_reals = blend_reals

    @property
    def real_fade_layer(self) -> WeightedSum | None:
        """The discriminator's fade layer whose `alpha` blends the reals, or `None`.

        `None` when `blend_reals` is `False` or the discriminator has no
        `WeightedSum` (a 4x4 or stabilization stage).
        """
        if not self.blend_reals:
            return None
        layers = fade_layers(self.discriminator)
        return layers[0] if layers else None

    def unpack_batch(self, data: Any) -> dict[str, Any]:
        """`GAN.unpack_batch`, then the fade-in blend of the reals (`fade_real_images`).

        The blend reads the fade layer's `alpha` variable inside the train
        step, so each batch uses the alpha set before it, not a value fixed
        when `fit()` traced the step.
        """
        batch = super().unpack_batch(data)
        layer = self.real_fade_layer
        if layer is not None:
            batch = {**batch, "images": fade_real_images(batch["images"], layer.alpha)}
        return batch

    def compile(
        self,
        d_optimizer: keras.optimizers.Optimizer | None = None,
        g_optimizer: keras.optimizers.Optimizer | None = None,
        loss: str = "wasserstein",
        **kwargs: Any,
    ) -> None:
        """`GAN.compile` with the stage's WGAN-GP, drift and fresh generator latents.

        Args:
            d_optimizer: Discriminator optimizer. Defaults to `None`: the
                paper's `Adam(1e-3, beta_1=0, beta_2=0.99, epsilon=1e-8)`.
            g_optimizer: Generator optimizer, a different object. Defaults to
                `None`: as above.
            loss: Loss family. Defaults to `"wasserstein"`.
            **kwargs: Other `GAN.compile` options; `gradient_penalty_weight`,
                `drift_weight` and `update_scheme` default to the stage's.

        Raises:
            TypeError: If an optimizer is not a Keras optimizer.
            ValueError: If one optimizer object is given for both networks.
        """
        kwargs.setdefault("gradient_penalty_weight", self.gradient_penalty_weight)
        kwargs.setdefault("drift_weight", self.drift_weight)
        kwargs.setdefault("update_scheme", "fresh")
        d_optimizer = d_optimizer if d_optimizer is not None else progan_adam()
        g_optimizer = g_optimizer if g_optimizer is not None else progan_adam()
        super().compile(d_optimizer, g_optimizer, loss, **kwargs)

    def get_config(self):
        return {
            **super().get_config(),
            "gradient_penalty_weight": self.gradient_penalty_weight,
            "drift_weight": self.drift_weight,
            "blend_reals": self.blend_reals,
        }


def progan_adam(learning_rate: float = PAPER_LEARNING_RATE) -> keras.optimizers.Optimizer:
    """The Progressive GAN paper's Adam: `Adam(learning_rate, beta_1=0, beta_2=0.99, epsilon=1e-8)`.

    Args:
        learning_rate: Defaults to `1e-3`, the paper's.

    Returns:
        A new `keras.optimizers.Adam`.

    Example:

        >>> progan_adam().beta_2
        0.99
    """
    return keras.optimizers.Adam(learning_rate, beta_1=0.0, beta_2=0.99, epsilon=1e-8)


def build_progan(
    target_resolution: int = 32,
    latent_dim: int = 128,
    channels: int = 3,
    filters: int | dict[int, int] | Callable[[int], int] | None = None,
    resolution: int = 4,
    alpha: float = 0.0,
    seed: int | None = None,
    blend_reals: bool = True,
    *,
    compile: bool = True,
    compile_kwargs: dict[str, Any] | None = None,
) -> ProgressiveStage:
    """Builds a Progressive GAN at one stage: a `ProgressiveStage` ready for `fit()`.

    Like every `build_*` recipe it returns the training model: the stage's
    generator and discriminator (`stage.generator`, `stage.discriminator`)
    with WGAN-GP, the drift term and the paper's Adam. For growing, keep a
    `ProgressiveNetworks` object and call its `generator`/`discriminator`
    methods at each stage (or use `gankit.training.ProgressiveGAN`); the
    networks here share layers with `stage.generator.progressive_networks`.

    Args:
        target_resolution: Final resolution, a power of two >= 4.
            Defaults to `32`.
        latent_dim: Latent size. Defaults to `128`.
        channels: Image channels. Defaults to `3`.
        filters: See `ProgressiveNetworks`. Defaults to `None`.
        resolution: Stage to assemble, a power of two in
            [4, target_resolution]. Defaults to `4`.
        alpha: Initial fade-in weight (used when `resolution > 4`).
            Defaults to `0.0`.
        seed: Initializer seed. Defaults to `None`.
        blend_reals: See `ProgressiveStage`: blend the reals of a fade-in
            stage by the fade alpha. Defaults to `True`.
        compile: Call `compile(**compile_kwargs)` (the paper's Adam for both
            networks). Defaults to `True`.
        compile_kwargs: Arguments of `ProgressiveStage.compile`. Defaults to
            `None`.

    Returns:
        A `ProgressiveStage` (gankit 0.1 returned `(generator,
        discriminator)`; they are `stage.generator` and
        `stage.discriminator`).

    Raises:
        ValueError: If a resolution is not a power of two >= 4, `resolution`
            exceeds `target_resolution`, or `alpha` is not in [0, 1].

    Example:

        >>> stage = build_progan(target_resolution=8, latent_dim=16, resolution=8)
        >>> stage.generator.output_shape, stage.discriminator.output_shape
        ((None, 8, 8, 3), (None, 1))
    """
    check_bool(compile, name="compile")
    check_bool(blend_reals, name="blend_reals")  # before the networks are built
    if compile_kwargs is not None and not isinstance(compile_kwargs, dict):
        raise TypeError(f"`compile_kwargs` must be a dict or None. Received: compile_kwargs={compile_kwargs!r}")
    alpha = _check_alpha(alpha)  # before the networks are built
    networks = ProgressiveNetworks(
        target_resolution=target_resolution,
        latent_dim=latent_dim,
        channels=channels,
        filters=filters,
        seed=seed,
    )
    check_resolution("resolution", resolution, maximum=networks.target_resolution)
    generator = networks.generator(resolution, alpha=alpha)
    discriminator = networks.discriminator(resolution, alpha=alpha)
    generator.progressive_networks = networks
    discriminator.progressive_networks = networks
    stage = ProgressiveStage(generator, discriminator, networks.latent_dim, blend_reals=blend_reals)
    if compile:
        stage.compile(**(compile_kwargs or {}))
    return stage
