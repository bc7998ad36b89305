"""Conditional GAN (Mirza and Osindero 2014; "GANs in Action" chapter 8).

`build_cgan` returns a `ConditionalGAN`: the generator maps `[z, label]` to an
image and the discriminator maps `[image, label]` to a logit, so `fit()` on
`(images, labels)` batches teaches the generator to draw a requested class.
`projection=True` swaps the label-channel discriminator for a projection
discriminator (Miyato and Koyama 2018).
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

from gankit._checks import check_bool
from gankit._checks import check_image_shape
from gankit._checks import check_int
from gankit._checks import check_labels
from gankit.engine import check_real_batch
from gankit.layers.conditioning import ClassProjection
from gankit.layers.conditioning import LabelChannelEmbedding
from gankit.layers.conditioning import LatentLabelEmbedding
from gankit.models.gan import GAN
from gankit.models.gan import book_compile_options


def build_cgan_generator(
    num_classes: int = 10, latent_dim: int = 100, image_shape: Sequence[int] = (28, 28, 1)
) -> keras.Model:
    """The chapter 8 generator: `[z, label]` -> image in [-1, 1].

    `z * embedding(label)` (listing 8.3), then Dense to a `(h/4, w/4, 256)`
    map and three `Conv2DTranspose` layers (strides 2, 1, 2; BatchNorm and
    LeakyReLU(0.01) between; `tanh` out), the book's 7x7 -> 28x28 MNIST
    generator generalised to `image_shape`.

    Args:
        num_classes: Number of classes. Defaults to `10`.
        latent_dim: Size of `z`. Defaults to `100`.
        image_shape: Output `(height, width, channels)`; height and width
            multiples of 4. Defaults to `(28, 28, 1)`.

    Returns:
        A functional `keras.Model` with inputs `[z, label]`.

    Raises:
        ValueError: For a bad `image_shape` or non-positive sizes.
        TypeError: For non-integer sizes.

    Example:

        >>> build_cgan_generator(3, 8, (8, 8, 1)).output_shape
        (None, 8, 8, 1)
    """
    num_classes = check_int(num_classes, name="num_classes", minimum=1)
    latent_dim = check_int(latent_dim, name="latent_dim", minimum=1)
    height, width, channels = check_image_shape(image_shape, divisor=4, reason="the generator upsamples twice by 2")
    z = keras.Input((latent_dim,), name="z")
    label = keras.Input((1,), dtype="int32", name="label")
    x = LatentLabelEmbedding(num_classes, latent_dim, name="latent_label_embedding")([z, label])
    x = keras.layers.Dense(256 * (height // 4) * (width // 4))(x)
    x = keras.layers.Reshape((height // 4, width // 4, 256))(x)
    for filters, strides in ((128, 2), (64, 1)):
        x = keras.layers.Conv2DTranspose(filters, 3, strides=strides, padding="same")(x)
        x = keras.layers.BatchNormalization()(x)
        x = keras.layers.LeakyReLU(0.01)(x)
    x = keras.layers.Conv2DTranspose(channels, 3, strides=2, padding="same", activation="tanh")(x)
    return keras.Model([z, label], x, name="cgan_generator")


def build_cgan_discriminator(
    num_classes: int = 10, image_shape: Sequence[int] = (28, 28, 1), *, projection: bool = False
) -> keras.Model:
    """The chapter 8 discriminator: `[image, label]` -> logit `(batch, 1)`.

    By default (listing 8.4, `build_cgan_discriminator` over
    `build_discriminator`) the label becomes an extra image channel
    (`LabelChannelEmbedding`) before the conv body (Conv2D 64/64/128, 3x3,
    stride 2, BatchNorm after all but the first, LeakyReLU(0.01)), then
    Flatten and `Dense(1)` logits (the book's sigmoid is left to the loss;
    `gankit.models.with_output(d, "probability")` puts it back for the
    book's own `train_on_batch` loop). 122,657 parameters at 28x28x1 with 10
    classes, as the listing's layers count. With
    `projection=True` the image alone goes through the body and the label
    enters through `ClassProjection` on the features (Miyato and Koyama 2018).

    Args:
        num_classes: Number of classes. Defaults to `10`.
        image_shape: Input `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        projection: Use a projection discriminator. Defaults to `False`.

    Returns:
        A functional `keras.Model` with inputs `[image, label]`.

    Raises:
        ValueError: For a bad `image_shape`.
        TypeError: For a non-integer `num_classes` or non-bool `projection`.

    Example:

        >>> build_cgan_discriminator(3, (8, 8, 1), projection=True).output_shape
        (None, 1)
    """
    num_classes = check_int(num_classes, name="num_classes", minimum=1)
    image_shape = check_image_shape(image_shape, divisor=4, reason="the generator upsamples twice by 2")
    check_bool(projection, name="projection")
    image = keras.Input(image_shape, name="image")
    label = keras.Input((1,), dtype="int32", name="label")
    x = image if projection else LabelChannelEmbedding(num_classes, image_shape, name="label_channel")([image, label])
    # Listing 8.4 raises the first convolution to 64 filters (chapter 7's
    # trunk has 32); gankit before 0.2.0 kept 32.
    for i, filters in enumerate((64, 64, 128)):
        x = keras.layers.Conv2D(filters, 3, strides=2, padding="same")(x)
        if i:
            x = keras.layers.BatchNormalization()(x)
        x = keras.layers.LeakyReLU(0.01)(x)
    features = keras.layers.Flatten()(x)
    logits = keras.layers.Dense(1, name="logit")(features)
    if projection:
        class_term = ClassProjection(num_classes, name="class_projection")([features, label])
        logits = keras.layers.Add(name="projection_logit")([logits, class_term])
    return keras.Model([image, label], logits, name="cgan_discriminator")


@keras.saving.register_keras_serializable(package="gankit")
class ConditionalGAN(GAN):
    """A `GAN` whose networks also take the class label.

    `fit()` takes `(images, labels)` batches (integer labels `(batch,)` or
    `(batch, 1)`, images in [-1, 1]). Each step, fakes are drawn for labels
    sampled uniformly over the classes; real images are judged with their
    own labels. Every `GAN.compile` option applies: loss families,
    `d_steps`, `g_steps`, label smoothing and flipping, instance noise,
    `clip_value`, WGAN-GP (`gankit.losses.gradient_penalty`, taken at the
    real labels), experience replay (the pool keeps each fake's label with
    it), unrolled steps and EMA.

    Args:
        generator: A Keras model `[z, labels] -> images in [-1, 1]`.
        discriminator: A Keras model `[images, labels] -> logits`.
        num_classes: Number of classes.
        latent_dim: Size of `z`. Defaults to `None`: read from the
            generator's first input.
        latent_distribution: `"normal"` or `"uniform"`. Defaults to
            `"normal"`.
        ema_decay: As for `GAN`. Defaults to `None`.
        **kwargs: Base `keras.Model` arguments.

    Raises:
        TypeError: If a network is not a Keras model with two inputs, or an
            argument has the wrong type.
        ValueError: For a bad `num_classes`, `latent_dim`,
            `latent_distribution` or `ema_decay`.

    Example:

        >>> cgan = build_cgan(num_classes=10)
        >>> cgan.fit(dataset_of_images_and_labels, epochs=5)  # doctest: +SKIP
        >>> cgan.generate(labels=[0, 1, 2], seed=0).shape
        (3, 28, 28, 1)
    """

    conditional = True

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        num_classes: int,
        latent_dim: int | None = None,
        latent_distribution: str = "normal",
        ema_decay: float | None = None,
        **kwargs: Any,
    ) -> None:
        num_classes = check_int(num_classes, name="num_classes", minimum=1)
        super().__init__(generator, discriminator, latent_dim, latent_distribution, ema_decay, **kwargs)
        self.num_classes = num_classes

    def _check_networks(self, generator, discriminator):
        for name, model in (("generator", generator), ("discriminator", discriminator)):
            if len(model.inputs or ()) != 2:
                raise TypeError(
                    f"`{name}` must be a keras.Model with two inputs "
                    f"([z or images, labels]). Received: {name}={model!r}"
                )

    @staticmethod
    def _latent_input_size(generator):
        return generator.inputs[0].shape[-1]

    # -- generation ---------------------------------------------------------

    def generate(
        self,
        n: int | None = None,
        *,
        labels: ArrayLike | None = None,
        seed: int | None = None,
        latents: ArrayLike | None = None,
        batch_size: int = 256,
        use_ema: bool = True,
    ) -> np.ndarray:
        """Generates images in [0, 1], one per requested label.

        The signature is `GAN.generate`'s plus `labels`. Passing the labels
        as the first argument (gankit 0.1's `generate(labels)`) still works
        and warns with a `DeprecationWarning`.

        Args:
            n: Number of images. Defaults to `None`: one per label. Without
                `labels`, image `i` shows class `i % num_classes`.
            labels: Integer class labels `(n,)` or `(n, 1)` in
                `[0, num_classes)`. Defaults to `None`.
            seed: Seed of the latent draw (ignored with `latents`).
                Defaults to `None`.
            latents: Explicit latents `(n, latent_dim)`. Defaults to `None`.
            batch_size: Images per generator call. Defaults to `256`.
            use_ema: Use `ema_generator` when kept. Defaults to `True`.

        Returns:
            A float32 NumPy array `(n, height, width, channels)` in [0, 1].

        Raises:
            ValueError: If labels are not integers in range, none of `n`,
                `labels` and `latents` is given, or they disagree in length.

        Example:

            >>> cgan.generate(labels=[3, 3, 7], seed=0).shape  # doctest: +SKIP
            (3, 28, 28, 1)
        """
        if n is not None and (not isinstance(n, (int, np.integer)) or isinstance(n, bool)):
            warnings.warn(
                "ConditionalGAN.generate(labels) is deprecated: pass `generate(labels=...)`. "
                "The first argument is the number of images in every gankit model.",
                DeprecationWarning,
                stacklevel=2,
            )
            if labels is not None:
                raise ValueError("Pass the labels once, as `labels=`. Received: labels positionally and as labels=")
            n, labels = None, n
        if labels is None:
            if n is None and latents is None:
                raise ValueError("Pass `n`, `labels` or `latents`. Received: none of them")
            count = check_int(n, name="n", minimum=1) if n is not None else len(np.asarray(latents))
            labels = np.arange(count) % self.num_classes
        labels = check_labels(labels, num_classes=self.num_classes)
        if n is not None and check_int(n, name="n", minimum=1) != len(labels):
            raise ValueError(f"`n` must equal the number of labels {len(labels)}. Received: n={n}")
        if latents is None:
            latents = self.sample_latents(max(len(labels), 1), seed)[: len(labels)]
        latents = np.asarray(latents, "float32")
        if latents.shape != (len(labels), self.latent_dim):
            raise ValueError(
                f"`latents` must have shape ({len(labels)}, {self.latent_dim}), one per label. "
                f"Received: latents.shape={latents.shape}"
            )
        batch_size = check_int(batch_size, name="batch_size", minimum=1)
        generator = self.ema_generator if (use_ema and self.ema_generator is not None) else self.generator
        outputs = [np.zeros((0,) + self.image_shape, "float32")]
        for start in range(0, len(labels), batch_size):
            stop = start + batch_size
            images = generator([latents[start:stop], labels[start:stop, None]], training=False)
            outputs.append(keras.ops.convert_to_numpy(keras.ops.cast(images, "float32")))
        return self.to_unit_range(np.concatenate(outputs))

    def call(self, inputs, training=False):
        """Maps `[latents, labels]` to images in [-1, 1]."""
        return self.generator(inputs, training=training)

    # -- the family: GAN's hooks with labels threaded through ---------------

    def unpack_batch(self, data: Any) -> dict[str, tf.Tensor]:
        if not isinstance(data, (tuple, list)) or len(data) < 2:
            raise ValueError(
                "ConditionalGAN.fit() needs `(images, labels)` batches, e.g. "
                "`data_loaders.fashion_mnist(with_labels=True)`. Received: a batch of "
                f"{type(data).__name__} {getattr(data, 'shape', '')}"
            )
        real_images = tf.convert_to_tensor(data[0])
        check_real_batch(real_images, self.discriminator.input_shape[0][1:], "ConditionalGAN")
        real_labels = tf.reshape(tf.cast(data[1], tf.int32), [-1, 1])
        # Checked in the graph (labels are data): an embedding lookup outside
        # its table would otherwise fail deep inside TensorFlow.
        real_labels = tf.ensure_shape(real_labels, [None, 1])
        with tf.control_dependencies(
            [
                tf.debugging.assert_non_negative(
                    real_labels,
                    message="ConditionalGAN.fit(): labels must lie in [0, num_classes); received a negative label",
                ),
                tf.debugging.assert_less(
                    real_labels,
                    self.num_classes,
                    message=f"ConditionalGAN.fit(): labels must lie in [0, {self.num_classes - 1}] "
                    f"(num_classes={self.num_classes}); received a label >= {self.num_classes}",
                ),
            ]
        ):
            real_labels = tf.identity(real_labels)
        return {"images": real_images, "labels": real_labels}

    def sample_fakes(self, batch: Mapping[str, tf.Tensor]) -> dict[str, tf.Tensor]:
        batch_size = tf.shape(batch["images"])[0]
        labels = tf.random.stateless_uniform(
            tf.stack([batch_size, 1]), self.next_seed(), 0, self.num_classes, dtype=tf.int32
        )
        latents = self._sample_latents_tensor(batch_size)
        return {"images": self.generator([latents, labels], training=True), "labels": labels}

    def critic_inputs(self, sample: Mapping[str, tf.Tensor]) -> tf.Tensor | list[tf.Tensor]:
        return [sample["images"], sample["labels"]]

    def _pool_specs(self):
        return {"images": self.image_shape, "labels": (1,)}

    def _pool_integer_keys(self):
        return ("labels",)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes}


def build_cgan(
    num_classes: int = 10,
    latent_dim: int = 100,
    image_shape: Sequence[int] = (28, 28, 1),
    *,
    projection: bool = False,
    compile: bool = True,
    compile_kwargs: dict[str, Any] | None = None,
) -> ConditionalGAN:
    """Builds the chapter 8 conditional GAN as a `ConditionalGAN`.

    Args:
        num_classes: Number of classes. Defaults to `10`.
        latent_dim: Size of `z`. Defaults to `100`.
        image_shape: `(height, width, channels)`, height and width multiples
            of 4. Defaults to `(28, 28, 1)` (MNIST).
        projection: Use a projection discriminator instead of the label
            channel. Defaults to `False`.
        compile: Call `compile(**compile_kwargs)`, with the book's
            optimizers unless `compile_kwargs` names others: `Adam()`
            (1e-3, beta_1 0.9) for both networks, as listing 8.5 compiles
            them (gankit's `ConditionalGAN.compile` alone defaults to the
            DCGAN paper's 2e-4 / 0.5), the book loop's fresh latents and
            labels for the generator update (`update_scheme="fresh"`), and
            its two discriminator `train_on_batch` calls, on the real batch
            and then on the fakes (`d_update="real_then_fake"`, unless the
            other options need both in one loss: `gankit.models.GAN.compile`).
            Defaults to `True`.
        compile_kwargs: Arguments of `ConditionalGAN.compile`.
            Defaults to `None`.

    Returns:
        A `ConditionalGAN`.

    Raises:
        TypeError: For arguments of the wrong type.
        ValueError: For bad sizes or shapes.

    Example:

        >>> cgan = build_cgan(num_classes=3, latent_dim=8, image_shape=(8, 8, 1))
        >>> cgan.generate(labels=[0, 2], seed=0).shape
        (2, 8, 8, 1)
    """
    check_bool(compile, name="compile")
    if compile_kwargs is not None and not isinstance(compile_kwargs, dict):
        raise TypeError(f"`compile_kwargs` must be a dict or None. Received: compile_kwargs={compile_kwargs!r}")
    generator = build_cgan_generator(num_classes, latent_dim, image_shape)
    discriminator = build_cgan_discriminator(num_classes, image_shape, projection=projection)
    model = ConditionalGAN(generator, discriminator, num_classes=num_classes, latent_dim=latent_dim)
    if compile:
        model.compile(**book_compile_options(compile_kwargs, ("d_optimizer", "g_optimizer")))
    return model
