"""Conditional GAN (Mirza and Osindero 2014; "GANs in Action" chapter 8).

`build_cgan` returns a `ConditionalGAN`: the generator maps `[z, label]` to an
image and the discriminator maps `[image, label]` to a logit, so `fit()` on
`(images, labels)` batches teaches the generator to draw a requested class.
`projection=True` swaps the label-channel discriminator for a projection
discriminator (Miyato and Koyama 2018).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from typing import Any

import keras
import numpy as np
import tensorflow as tf
from keras import ops
from numpy.typing import ArrayLike

from gankit import losses as gan_losses
from gankit._checks import check_bool
from gankit._checks import check_image_shape
from gankit._checks import check_int
from gankit._checks import check_number
from gankit.layers.conditioning import LabelChannelEmbedding
from gankit.layers.conditioning import LatentLabelEmbedding
from gankit.models.gan import GAN
from gankit.models.gan import LATENT_DISTRIBUTIONS
from gankit.models.gan import _metric_logs
from gankit.models.gan import check_real_batch


def _check_labels(labels, num_classes):
    """Integer labels `(n,)` (or `(n, 1)`) in `[0, num_classes)`, as int32 NumPy."""
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            "`labels` must be integers of shape (n,) or (n, 1). "
            f"Received: labels.shape={labels.shape}, dtype={labels.dtype}"
        )
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"`labels` must lie in [0, {num_classes - 1}] (num_classes={num_classes}). "
            f"Received: labels with min={labels.min()}, max={labels.max()}"
        )
    return labels.astype("int32")


@keras.saving.register_keras_serializable(package="gankit")
class ClassProjection(keras.layers.Layer):
    """The class term of a projection discriminator: `<embed(y), phi(x)>`.

    A projection discriminator (Miyato and Koyama 2018) writes its logit as
    `psi(phi(x)) + <embed(y), phi(x)>`: an unconditional head `psi` on the
    features `phi(x)` plus the inner product of the features with a learned
    class embedding. This layer computes the second term; add it to a
    `Dense(1)` head on the same features.

    Reference: [Miyato and Koyama, 2018](https://arxiv.org/abs/1802.05637).

    Args:
        num_classes: Number of classes.
        embeddings_initializer: Initializer of the class embedding.
            Defaults to `"glorot_uniform"`.
        **kwargs: Base layer keyword arguments.

    Call arguments:
        inputs: A list `[features, labels]`: features `(batch, dim)` and
            integer labels `(batch,)` or `(batch, 1)`.

    Output shape:
        `(batch, 1)`.

    Raises:
        TypeError: If `num_classes` is not an integer.
        ValueError: If `num_classes` < 1 or features are not 2-D.

    Example:

        >>> layer = ClassProjection(num_classes=3)
        >>> layer([np.ones((2, 4), "float32"), np.array([0, 2])]).shape
        TensorShape([2, 1])
    """

    def __init__(
        self,
        num_classes: int,
        embeddings_initializer: str | dict[str, Any] | keras.initializers.Initializer = "glorot_uniform",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.num_classes = check_int(num_classes, name="num_classes", minimum=1)
        self.embeddings_initializer = keras.initializers.get(embeddings_initializer)

    def build(self, input_shape):
        features_shape = tuple(input_shape[0])
        if len(features_shape) != 2 or features_shape[-1] is None:
            raise ValueError(
                f"Features must have shape (batch, dim) with a known dim. Received: features shape={features_shape}"
            )
        self.embeddings = self.add_weight(
            name="embeddings",
            shape=(self.num_classes, features_shape[-1]),
            initializer=self.embeddings_initializer,
        )
        super().build(input_shape)

    def call(self, inputs):
        features, labels = inputs
        labels = ops.reshape(ops.cast(labels, "int32"), (-1,))
        embedded = ops.cast(ops.take(self.embeddings, labels, axis=0), features.dtype)
        return ops.sum(embedded * features, axis=-1, keepdims=True)

    def compute_output_shape(self, input_shape):
        return (input_shape[0][0], 1)

    def get_config(self):
        return {
            **super().get_config(),
            "num_classes": self.num_classes,
            "embeddings_initializer": keras.initializers.serialize(self.embeddings_initializer),
        }


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

    By default (listing 8.5) the label becomes an extra image channel
    (`LabelChannelEmbedding`) before the conv body (Conv2D 32/64/128, 3x3,
    stride 2, BatchNorm after the first, LeakyReLU(0.01)), then Flatten and
    `Dense(1)` logits (the book's sigmoid is left to the loss). With
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
    for i, filters in enumerate((32, 64, 128)):
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
    own labels. Every `GAN.compile` option applies (loss families, `d_steps`,
    `g_steps`, label smoothing and flipping, instance noise, `clip_value`,
    WGAN-GP with the penalty taken at the real labels, EMA) except
    experience replay and unrolled steps, which are rejected in `compile`.

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
        >>> cgan.generate([0, 1, 2], seed=0).shape
        (3, 28, 28, 1)
    """

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
        # `GAN.__init__` reads `latent_dim` from a single-input generator, so
        # it cannot take `[z, label]` networks; the state it sets up is
        # mirrored here (same names, so every GAN helper works unchanged).
        keras.Model.__init__(self, **kwargs)
        for name, model in (("generator", generator), ("discriminator", discriminator)):
            if not isinstance(model, keras.Model) or len(model.inputs or ()) != 2:
                raise TypeError(
                    f"`{name}` must be a keras.Model with two inputs "
                    f"([z or images, labels]). Received: {name}={model!r}"
                )
        self.num_classes = check_int(num_classes, name="num_classes", minimum=1)
        input_dim = generator.inputs[0].shape[-1]
        if latent_dim is None:
            latent_dim = int(input_dim)
        latent_dim = check_int(latent_dim, name="latent_dim", minimum=1)
        if input_dim is not None and input_dim != latent_dim:
            raise ValueError(
                f"`latent_dim` must match the generator's first input size {input_dim}. "
                f"Received: latent_dim={latent_dim}"
            )
        if latent_distribution not in LATENT_DISTRIBUTIONS:
            raise ValueError(
                f"`latent_distribution` must be one of {LATENT_DISTRIBUTIONS}. "
                f"Received: latent_distribution={latent_distribution!r}"
            )
        if ema_decay is not None:
            ema_decay = check_number(ema_decay, name="ema_decay", minimum=0.0, maximum=1.0)
            if ema_decay == 1.0:
                raise ValueError("`ema_decay` must be in [0, 1). Received: ema_decay=1.0")
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
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_real_accuracy_tracker = keras.metrics.Mean(name="d_real_accuracy")
        self.d_fake_accuracy_tracker = keras.metrics.Mean(name="d_fake_accuracy")
        self.step_counter = self.add_weight(
            name="step_counter",
            shape=(),
            dtype="int64",
            initializer="zeros",
            trainable=False,
            aggregation="only_first_replica",
        )
        self._create_rng_state()  # checkpointed latent and label draws (see GAN)
        self._training_options = None
        self.replay_pool = None
        self.built = True

    # -- generation ---------------------------------------------------------

    def generate(
        self,
        labels: ArrayLike,
        *,
        seed: int | None = None,
        latents: ArrayLike | None = None,
        batch_size: int = 256,
        use_ema: bool = True,
    ) -> np.ndarray:
        """Generates one image in [0, 1] per requested label.

        Args:
            labels: Integer class labels `(n,)` or `(n, 1)` in
                `[0, num_classes)`.
            seed: Seed of the latent draw (ignored with `latents`).
                Defaults to `None`.
            latents: Explicit latents `(n, latent_dim)`. Defaults to `None`.
            batch_size: Images per generator call. Defaults to `256`.
            use_ema: Use `ema_generator` when kept. Defaults to `True`.

        Returns:
            A float32 NumPy array `(n, height, width, channels)` in [0, 1].

        Raises:
            ValueError: If labels are not integers in range, or `latents`
                does not match them.

        Example:

            >>> cgan.generate([3, 3, 7], seed=0).shape  # doctest: +SKIP
            (3, 28, 28, 1)
        """
        labels = _check_labels(labels, self.num_classes)
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
        return np.clip((np.concatenate(outputs) + 1.0) / 2.0, 0.0, 1.0)

    def call(self, inputs, training=False):
        """Maps `[latents, labels]` to images in [-1, 1]."""
        return self.generator(inputs, training=training)

    # -- compile: GAN's options minus the two that need unconditional nets --

    def compile(
        self,
        d_optimizer: keras.optimizers.Optimizer | None = None,
        g_optimizer: keras.optimizers.Optimizer | None = None,
        loss: str
        | tuple[Callable[..., tf.Tensor], Callable[..., tf.Tensor]]
        | list[Callable[..., tf.Tensor]] = "non_saturating",
        **kwargs: Any,
    ) -> None:
        """Configures training as `GAN.compile` does.

        Args:
            d_optimizer: As for `GAN.compile`.
            g_optimizer: As for `GAN.compile`.
            loss: As for `GAN.compile`.
            **kwargs: Every other `GAN.compile` option.

        Raises:
            ValueError: If `replay_pool_size` or `unrolled_steps` is set (not
                supported for conditional networks), or as `GAN.compile`.
        """
        for name in ("replay_pool_size", "unrolled_steps"):
            if kwargs.get(name):
                raise ValueError(f"ConditionalGAN does not support `{name}`. Received: {name}={kwargs[name]!r}")
        super().compile(d_optimizer, g_optimizer, loss, **kwargs)

    # -- the training step: GAN's step with labels threaded through ---------

    def _sample_labels_tensor(self, batch_size):
        shape = tf.stack([batch_size, 1])
        return tf.random.stateless_uniform(shape, self._next_seed(), 0, self.num_classes, dtype=tf.int32)

    def _fakes(self, batch_size, training=True):
        labels = self._sample_labels_tensor(batch_size)
        return self.generator([self._sample_latents_tensor(batch_size), labels], training=training), labels

    def _conditional_penalty(self, real_images, fakes, labels):
        # WGAN-GP (Gulrajani et al. 2017) at the real labels.
        alpha = tf.random.uniform(tf.stack([tf.shape(real_images)[0], 1, 1, 1]))
        real32 = tf.cast(real_images, tf.float32)
        mixed = real32 + alpha * (tf.cast(fakes, tf.float32) - real32)
        with tf.GradientTape() as tape:
            tape.watch(mixed)
            logits = self.discriminator([mixed, labels], training=True)
        gradients = tape.gradient(logits, mixed)
        norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3]) + 1e-12)
        return tf.reduce_mean(tf.square(norms - 1.0))

    def _conditional_discriminator_step(self, real_images, real_labels, batch_size, fakes=None, fake_labels=None):
        options = self._training_options
        if fakes is None:
            fakes, fake_labels = self._fakes(batch_size)
        variables = self.discriminator.trainable_variables
        with tf.GradientTape() as tape:
            real_logits = self.discriminator([self._instance_noise(real_images), real_labels], training=True)
            fake_logits = self.discriminator([self._instance_noise(fakes), fake_labels], training=True)
            d_loss = self._discriminator_loss(real_logits, fake_logits)
            if options["gradient_penalty_weight"] > 0:
                d_loss += options["gradient_penalty_weight"] * self._conditional_penalty(
                    real_images, fakes, real_labels
                )
            scaled = self._scaled(self.d_optimizer, d_loss)
        self._apply(self.d_optimizer, tape, scaled, variables)
        if options["clip_value"]:
            gan_losses.clip_weights(variables, options["clip_value"])
        return d_loss, real_logits, fake_logits

    def _conditional_generator_loss(self, real_images, real_labels, fakes, fake_labels):
        fake_logits = self.discriminator([self._instance_noise(fakes), fake_labels], training=True)
        if self._generator_reads_real:
            real_logits = self.discriminator([self._instance_noise(real_images), real_labels], training=True)
        else:
            real_logits = fake_logits  # ignored by the standard families
        return self.generator_loss_fn(real_logits, fake_logits)

    def train_step(self, data):
        if self._training_options is None:
            raise RuntimeError("Call `compile()` on the ConditionalGAN before `fit()`.")
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
        batch_size = tf.shape(real_images)[0]
        options = self._training_options
        for _ in range(options["d_steps"] - 1):
            self._conditional_discriminator_step(real_images, real_labels, batch_size)
        # As in GAN.train_step: one generator pass feeds the last D update
        # (tape paused, fakes stopped) and the first G update.
        with tf.GradientTape() as g_tape:
            fakes, fake_labels = self._fakes(batch_size)
            with g_tape.stop_recording():
                d_loss, real_logits, fake_logits = self._conditional_discriminator_step(
                    real_images, real_labels, batch_size, tf.stop_gradient(fakes), fake_labels
                )
            g_loss = self._conditional_generator_loss(real_images, real_labels, fakes, fake_labels)
            scaled = self._scaled(self.g_optimizer, g_loss)
        self._generator_update(g_tape, scaled)
        for _ in range(options["g_steps"] - 1):
            with tf.GradientTape() as tape:
                fakes, fake_labels = self._fakes(batch_size)
                g_loss = self._conditional_generator_loss(real_images, real_labels, fakes, fake_labels)
                scaled = self._scaled(self.g_optimizer, g_loss)
            self._generator_update(tape, scaled)
        self.step_counter.assign_add(1)
        real_logits = tf.cast(real_logits, tf.float32)
        fake_logits = tf.cast(fake_logits, tf.float32)
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        self.d_real_accuracy_tracker.update_state(tf.reduce_mean(tf.cast(real_logits > 0, tf.float32)))
        self.d_fake_accuracy_tracker.update_state(tf.reduce_mean(tf.cast(fake_logits < 0, tf.float32)))
        return _metric_logs(self.metrics)

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
        compile: Call `compile(**compile_kwargs)` (the book's Adam; gankit's
            default 2e-4 / 0.5). Defaults to `True`.
        compile_kwargs: Arguments of `ConditionalGAN.compile`.
            Defaults to `None`.

    Returns:
        A `ConditionalGAN`.

    Raises:
        TypeError: For arguments of the wrong type.
        ValueError: For bad sizes or shapes.

    Example:

        >>> cgan = build_cgan(num_classes=3, latent_dim=8, image_shape=(8, 8, 1))
        >>> cgan.generate([0, 2], seed=0).shape
        (2, 8, 8, 1)
    """
    check_bool(compile, name="compile")
    if compile_kwargs is not None and not isinstance(compile_kwargs, dict):
        raise TypeError(f"`compile_kwargs` must be a dict or None. Received: compile_kwargs={compile_kwargs!r}")
    generator = build_cgan_generator(num_classes, latent_dim, image_shape)
    discriminator = build_cgan_discriminator(num_classes, image_shape, projection=projection)
    model = ConditionalGAN(generator, discriminator, num_classes=num_classes, latent_dim=latent_dim)
    if compile:
        model.compile(**(compile_kwargs or {}))
    return model
