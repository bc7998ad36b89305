"""Semi-supervised GAN (Salimans et al. 2016; "GANs in Action" chapter 7).

One discriminator trunk ends in `num_classes` logits `l`. Two heads share it:
a softmax class head trained on a few labelled images, and a real/fake head
`D(x) = Z / (Z + 1)` with `Z = sum_k exp(l_k)` trained adversarially on the
unlabelled rest and on fakes. The trained trunk is the classifier.
"""

from __future__ import annotations

import numbers
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
from gankit.models.cgan import _check_labels
from gankit.models.gan import GAN
from gankit.models.gan import DatasetFitDefaults
from gankit.models.gan import _build_optimizers
from gankit.models.gan import _check_optimizers
from gankit.models.gan import _loss_scaled
from gankit.models.gan import _metric_logs
from gankit.models.gan import _symbolic_build_without_data
from gankit.models.gan import check_real_batch

D_SUPERVISED_LOSS = "d_supervised_loss"
D_UNSUPERVISED_LOSS = "d_unsupervised_loss"
G_LOSS = "g_loss"
SUPERVISED_ACCURACY = "supervised_accuracy"


@keras.saving.register_keras_serializable(package="gankit")
class RealFakeFromClassLogits(keras.layers.Layer):
    """Real/fake logit from class logits: `logsumexp(l)`.

    The chapter's unsupervised head is `D(x) = Z / (Z + 1)`, `Z = sum_k
    exp(l_k)` (Salimans et al. 2016, section 5). Since `sigmoid(log Z) =
    Z / (Z + 1)`, the logit of `D(x)` is exactly `logsumexp(l)`, computed
    stably; outputting the logit lets gankit's logit-based losses apply.

    Reference: [Salimans et al., 2016](https://arxiv.org/abs/1606.03498).

    Call arguments:
        logits: Class logits `(batch, num_classes)`.

    Output shape:
        `(batch, 1)`.

    Example:

        >>> RealFakeFromClassLogits()(np.zeros((1, 3), "float32"))  # log 3
        <tf.Tensor: shape=(1, 1), dtype=float32, numpy=array([[1.0986123]], dtype=float32)>
    """

    def call(self, logits):
        return ops.logsumexp(logits, axis=-1, keepdims=True)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (1,)


def build_sgan_generator(latent_dim: int = 100, image_shape: Sequence[int] = (28, 28, 1)) -> keras.Model:
    """The chapter 7 generator (listing 7.3): `z` -> image in [-1, 1].

    Args:
        latent_dim: Size of `z`. Defaults to `100`.
        image_shape: Output shape; height and width multiples of 4.
            Defaults to `(28, 28, 1)`.

    Returns:
        A functional `keras.Model`.

    Raises:
        ValueError: For a bad `image_shape` or `latent_dim`.

    Example:

        >>> build_sgan_generator(8, (8, 8, 1)).output_shape
        (None, 8, 8, 1)
    """
    latent_dim = check_int(latent_dim, name="latent_dim", minimum=1)
    height, width, channels = check_image_shape(image_shape, divisor=4, reason="the generator upsamples twice by 2")
    z = keras.Input((latent_dim,), name="z")
    x = keras.layers.Dense(256 * (height // 4) * (width // 4))(z)
    x = keras.layers.Reshape((height // 4, width // 4, 256))(x)
    for filters, strides in ((128, 2), (64, 1)):
        x = keras.layers.Conv2DTranspose(filters, 3, strides=strides, padding="same")(x)
        x = keras.layers.BatchNormalization()(x)
        x = keras.layers.LeakyReLU(0.01)(x)
    x = keras.layers.Conv2DTranspose(channels, 3, strides=2, padding="same", activation="tanh")(x)
    return keras.Model(z, x, name="sgan_generator")


def build_sgan_trunk(
    num_classes: int = 10, image_shape: Sequence[int] = (28, 28, 1), dropout: float = 0.5
) -> keras.Model:
    """The chapter's `build_discriminator_net`: image -> `num_classes` logits.

    Conv2D 32/64/128 (3x3, stride 2; BatchNorm after the last two;
    LeakyReLU(0.01)), Dropout, Flatten, `Dense(num_classes)`.

    Args:
        num_classes: Number of classes. Defaults to `10`.
        image_shape: Input shape. Defaults to `(28, 28, 1)`.
        dropout: Dropout rate. Defaults to `0.5`.

    Returns:
        A functional `keras.Model` returning class logits.

    Raises:
        ValueError: For a bad shape, class count or dropout rate (NaN and
            infinity included).

    Example:

        >>> build_sgan_trunk(3, (8, 8, 1)).output_shape
        (None, 3)
    """
    num_classes = check_int(num_classes, name="num_classes", minimum=2)
    image_shape = check_image_shape(image_shape, divisor=4, reason="the generator upsamples twice by 2")
    dropout = check_number(dropout, name="dropout", minimum=0.0, maximum=1.0, max_inclusive=False)
    image = keras.Input(image_shape, name="image")
    x = image
    for i, filters in enumerate((32, 64, 128)):
        x = keras.layers.Conv2D(filters, 3, strides=2, padding="same")(x)
        if i:
            x = keras.layers.BatchNormalization()(x)
        x = keras.layers.LeakyReLU(0.01)(x)
    x = keras.layers.Dropout(dropout)(x)
    x = keras.layers.Flatten()(x)
    logits = keras.layers.Dense(num_classes, name="class_logits")(x)
    return keras.Model(image, logits, name="sgan_trunk")


def classifier_accuracy(classifier: keras.Model, images: ArrayLike, labels: ArrayLike, batch_size: int = 256) -> float:
    """Fraction of `images` whose arg-max logit equals the label.

    Args:
        classifier: A model `images -> class logits`.
        images: Images `(n, h, w, c)` in [-1, 1].
        labels: Integer labels `(n,)` or `(n, 1)`.
        batch_size: Images per call. Defaults to `256`.

    Returns:
        A Python float in [0, 1].

    Raises:
        ValueError: If lengths disagree or labels are out of range.
    """
    labels = _check_labels(labels, int(classifier.output_shape[-1]))
    images = np.asarray(images, "float32")
    if len(images) != len(labels) or not len(labels):
        raise ValueError(
            "`images` and `labels` must be non-empty and of the same length. "
            f"Received: len(images)={len(images)}, len(labels)={len(labels)}"
        )
    logits = classifier.predict(images, batch_size=batch_size, verbose=0)
    return float(np.mean(np.argmax(logits, axis=-1) == labels))


@keras.saving.register_keras_serializable(package="gankit")
class SemiSupervisedGAN(DatasetFitDefaults, keras.Model):
    """The chapter 7 SGAN: a GAN whose discriminator is also a classifier.

    `fit()` takes `((labeled_images, labels), unlabeled_images)` batches
    (see `sgan_dataset`). Each step: one supervised update of the trunk with
    sparse cross-entropy on the labelled batch, one unsupervised update of
    the real/fake head (real unlabelled images vs fakes, loss family
    `loss`), one generator update. Tracked metrics: `d_supervised_loss`,
    `d_unsupervised_loss`, `g_loss`, `supervised_accuracy`.

    Args:
        generator: A Keras model `z -> images in [-1, 1]`.
        trunk: A Keras model `images -> (batch, num_classes)` logits.
        **kwargs: Base `keras.Model` arguments.

    Raises:
        TypeError: If a network is not a Keras model.
        ValueError: If the trunk does not output `(batch, num_classes)`.

    Example:

        >>> sgan = build_sgan(num_classes=10)
        >>> sgan.fit(sgan_dataset(xl, yl, xu), epochs=5)  # doctest: +SKIP
        >>> sgan.evaluate_classifier(x_test, y_test)  # doctest: +SKIP
    """

    def __init__(self, generator: keras.Model, trunk: keras.Model, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for name, model in (("generator", generator), ("trunk", trunk)):
            if not isinstance(model, keras.Model):
                raise TypeError(f"`{name}` must be a keras.Model. Received: {name}={model!r}")
        if len(trunk.output_shape) != 2 or trunk.output_shape[-1] is None:
            raise ValueError(
                f"`trunk` must output logits (batch, num_classes). Received: output_shape={trunk.output_shape}"
            )
        self.generator = generator
        self.trunk = trunk
        self.num_classes = int(trunk.output_shape[-1])
        self.latent_dim = int(generator.input_shape[-1])
        image = keras.Input(trunk.input_shape[1:])
        # Both heads call the same trunk object: the weights are shared.
        self.discriminator = keras.Model(
            image, RealFakeFromClassLogits(name="real_fake_logit")(trunk(image)), name="sgan_discriminator"
        )
        self.d_supervised_tracker = keras.metrics.Mean(name=D_SUPERVISED_LOSS)
        self.d_unsupervised_tracker = keras.metrics.Mean(name=D_UNSUPERVISED_LOSS)
        self.g_loss_tracker = keras.metrics.Mean(name=G_LOSS)
        self.accuracy_tracker = keras.metrics.Mean(name=SUPERVISED_ACCURACY)
        self._compiled_options = None
        self.built = True

    @property
    def classifier(self) -> keras.Model:
        """The trunk, a Keras model `images -> class logits`."""
        return self.trunk

    def evaluate_classifier(self, images: ArrayLike, labels: ArrayLike, batch_size: int = 256) -> float:
        """Accuracy of the classifier on `(images, labels)`; see `classifier_accuracy`."""
        return classifier_accuracy(self.trunk, images, labels, batch_size)

    def call(self, images, training=False):
        """Class logits of `images`."""
        return self.trunk(images, training=training)

    def compile(
        self,
        d_optimizer: keras.optimizers.Optimizer | None = None,
        g_optimizer: keras.optimizers.Optimizer | None = None,
        loss: str
        | tuple[Callable[..., tf.Tensor], Callable[..., tf.Tensor]]
        | list[Callable[..., tf.Tensor]] = "non_saturating",
        *,
        supervised_optimizer: keras.optimizers.Optimizer | None = None,
        **kwargs: Any,
    ) -> None:
        """Configures the optimizers and the adversarial loss family.

        Args:
            d_optimizer: Optimizer of the unsupervised discriminator update.
                Defaults to `None`: `Adam(2e-4, beta_1=0.5)`.
            g_optimizer: Generator optimizer. Defaults to `None`: as above.
            loss: Adversarial family name from `gankit.losses.LOSS_FAMILIES`.
                Defaults to `"non_saturating"` (the chapter's binary CE).
            supervised_optimizer: Optimizer of the supervised update.
                Defaults to `None`: `Adam(2e-4, beta_1=0.5)`.
            **kwargs: Other `keras.Model.compile` arguments.

        Under a `mixed_float16` dtype policy each optimizer is wrapped in its
        own `keras.optimizers.LossScaleOptimizer`; under `tf.distribute`
        every loss is divided by the number of replicas, so a global batch
        gives the update of one device (`GAN._scaled`).

        Raises:
            ValueError: For an unknown loss or shared optimizer objects.
            TypeError: If an optimizer is not a `keras.optimizers.Optimizer`.
        """
        generator_loss, discriminator_loss = gan_losses.get(loss)
        optimizers = [
            opt if opt is not None else keras.optimizers.Adam(2e-4, beta_1=0.5)
            for opt in (d_optimizer, g_optimizer, supervised_optimizer)
        ]
        _check_optimizers(**dict(zip(("d_optimizer", "g_optimizer", "supervised_optimizer"), optimizers)))
        optimizers = _loss_scaled(self, optimizers)  # one loss-scale optimizer per update, as `GAN`
        kwargs.setdefault("jit_compile", False)
        super().compile(**kwargs)
        self.d_optimizer, self.g_optimizer, self.supervised_optimizer = optimizers
        _build_optimizers(
            (
                (self.d_optimizer, self.trunk.trainable_variables),
                (self.supervised_optimizer, self.trunk.trainable_variables),
                (self.g_optimizer, self.generator.trainable_variables),
            )
        )
        self.generator_loss_fn, self.discriminator_loss_fn = generator_loss, discriminator_loss
        self._compiled_options = {"loss": loss}
        # The relativistic generator losses compare with the real logits.
        self._generator_reads_real = not (isinstance(loss, str) and not loss.startswith("ra_"))

    def get_compile_config(self):
        if self._compiled_options is None:
            return None
        if not isinstance(self._compiled_options["loss"], str):
            raise ValueError("A SemiSupervisedGAN compiled with custom loss functions cannot save its compile config.")
        return {
            "loss": self._compiled_options["loss"],
            **{
                name: keras.saving.serialize_keras_object(getattr(self, name))
                for name in ("d_optimizer", "g_optimizer", "supervised_optimizer")
            },
        }

    def compile_from_config(self, config):
        config = dict(config)
        for name in ("d_optimizer", "g_optimizer", "supervised_optimizer"):
            config[name] = keras.saving.deserialize_keras_object(config[name])
        # `compile` creates the optimizer variables, so their saved state can load.
        self.compile(**config)

    @property
    def metrics(self):
        return [self.d_supervised_tracker, self.d_unsupervised_tracker, self.g_loss_tracker, self.accuracy_tracker]

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        # See `gankit.models.gan._symbolic_build_without_data` (multi-worker tuple batches).
        if not _symbolic_build_without_data(self):
            super()._maybe_symbolic_build(iterator=iterator, data_batch=data_batch)

    def train_step(self, data):
        if self._compiled_options is None:
            raise RuntimeError("Call `compile()` on the SemiSupervisedGAN before `fit()`.")
        try:
            (labeled_images, labels), unlabeled_images = data
        except (TypeError, ValueError):
            raise ValueError(
                "SemiSupervisedGAN.fit() needs `((labeled_images, labels), unlabeled_images)` "
                "batches, e.g. `sgan_dataset(...)`."
            ) from None
        check_real_batch(labeled_images, self.trunk.input_shape[1:], "SemiSupervisedGAN", "labelled images")
        check_real_batch(unlabeled_images, self.trunk.input_shape[1:], "SemiSupervisedGAN", "unlabelled images")
        labels = tf.reshape(tf.cast(labels, tf.int32), [-1])
        trunk_vars = self.trunk.trainable_variables
        # Losses in float32 (the logits are float16 under mixed precision);
        # each is scaled for replicas and loss scaling by `GAN._scaled`.
        with tf.GradientTape() as tape:
            logits = tf.cast(self.trunk(labeled_images, training=True), tf.float32)
            supervised_loss = tf.reduce_mean(
                keras.losses.sparse_categorical_crossentropy(labels, logits, from_logits=True)
            )
            scaled = GAN._scaled(self.supervised_optimizer, supervised_loss)
        GAN._apply(self.supervised_optimizer, tape, scaled, trunk_vars)
        batch = tf.shape(unlabeled_images)[0]
        latents = tf.random.normal(tf.stack([batch, self.latent_dim]))
        fakes = self.generator(latents, training=True)
        with tf.GradientTape() as tape:
            real_logits = tf.cast(self.discriminator(unlabeled_images, training=True), tf.float32)
            fake_logits = tf.cast(self.discriminator(tf.stop_gradient(fakes), training=True), tf.float32)
            unsupervised_loss = self.discriminator_loss_fn(real_logits, fake_logits)
            scaled = GAN._scaled(self.d_optimizer, unsupervised_loss)
        GAN._apply(self.d_optimizer, tape, scaled, trunk_vars)
        g_vars = self.generator.trainable_variables
        with tf.GradientTape() as tape:
            fake_logits = tf.cast(self.discriminator(self.generator(latents, training=True), training=True), tf.float32)
            if self._generator_reads_real:
                real_logits = tf.cast(self.discriminator(unlabeled_images, training=True), tf.float32)
            else:
                real_logits = fake_logits  # ignored by the standard families
            g_loss = self.generator_loss_fn(real_logits, fake_logits)
            scaled = GAN._scaled(self.g_optimizer, g_loss)
        GAN._apply(self.g_optimizer, tape, scaled, g_vars)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, -1, output_type=tf.int32), labels), tf.float32))
        self.d_supervised_tracker.update_state(supervised_loss)
        self.d_unsupervised_tracker.update_state(unsupervised_loss)
        self.g_loss_tracker.update_state(g_loss)
        self.accuracy_tracker.update_state(accuracy)
        return _metric_logs(self.metrics)

    def get_config(self):
        return {
            **super().get_config(),
            "generator": keras.saving.serialize_keras_object(self.generator),
            "trunk": keras.saving.serialize_keras_object(self.trunk),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        for key in ("generator", "trunk"):
            config[key] = keras.saving.deserialize_keras_object(config[key], custom_objects=custom_objects)
        return cls(**config)


def sgan_dataset(
    labeled_images: ArrayLike,
    labels: ArrayLike,
    unlabeled_images: ArrayLike,
    batch_size: int = 32,
    seed: int | None = 0,
) -> tf.data.Dataset:
    """A `tf.data.Dataset` of `((labeled_images, labels), unlabeled_images)`.

    The small labelled set is repeated and reshuffled; one epoch is one pass
    over the unlabelled images (as the chapter's `batch_labeled` /
    `batch_unlabeled` draws).

    Args:
        labeled_images: Labelled images in [-1, 1].
        labels: Their integer labels.
        unlabeled_images: Unlabelled images in [-1, 1].
        batch_size: Batch size of both parts. Defaults to `32`.
        seed: Shuffle seed. Defaults to `0`.

    Returns:
        A batched `tf.data.Dataset` for `SemiSupervisedGAN.fit`.

    Raises:
        ValueError: If `batch_size` < 1 or the labelled parts disagree.
    """
    batch_size = check_int(batch_size, name="batch_size", minimum=1)
    labeled_images = np.asarray(labeled_images, "float32")
    labels = np.asarray(labels).reshape(-1).astype("int32")
    if len(labeled_images) != len(labels) or not len(labels):
        raise ValueError(
            "`labeled_images` and `labels` must be non-empty and of the same length. "
            f"Received: len(labeled_images)={len(labeled_images)}, len(labels)={len(labels)}"
        )
    labeled = (
        tf.data.Dataset.from_tensor_slices((labeled_images, labels))
        .shuffle(len(labels), seed=seed)
        .repeat()
        .batch(batch_size)
    )
    unlabeled = (
        tf.data.Dataset.from_tensor_slices(np.asarray(unlabeled_images, "float32"))
        .shuffle(len(unlabeled_images), seed=seed)
        .batch(batch_size, drop_remainder=len(unlabeled_images) >= batch_size)
    )
    return tf.data.Dataset.zip((labeled, unlabeled)).prefetch(tf.data.AUTOTUNE)


def train_supervised_baseline(
    labeled_images: ArrayLike,
    labels: ArrayLike,
    num_classes: int = 10,
    *,
    epochs: int = 30,
    batch_size: int = 32,
    learning_rate: float = 2e-4,
    seed: int = 0,
    verbose: int | str = 0,
) -> keras.Model:
    """Trains the SGAN trunk architecture fully supervised (the chapter's baseline).

    Same `build_sgan_trunk` network, same labelled subset, no GAN: the
    comparison that shows what the unlabelled images buy.

    Args:
        labeled_images: Labelled images in [-1, 1].
        labels: Integer labels.
        num_classes: Number of classes. Defaults to `10`.
        epochs: Training epochs. Defaults to `30`.
        batch_size: Batch size. Defaults to `32`.
        learning_rate: Adam learning rate (a finite number or a Keras
            learning-rate schedule). Defaults to `2e-4`.
        seed: Seed of the weight initialisation. Defaults to `0`.
        verbose: Keras `fit` verbosity. Defaults to `0`.

    Returns:
        The trained classifier (compiled with an `accuracy` metric, so
        `classifier.evaluate(x, y)` or `classifier_accuracy` report accuracy).

    Raises:
        ValueError: If labels are out of range, lengths disagree, or
            `learning_rate` is NaN or infinite.
    """
    if isinstance(learning_rate, numbers.Real) and not isinstance(learning_rate, bool):
        # A number is checked here; a `LearningRateSchedule` goes to Adam as it is.
        check_number(learning_rate, name="learning_rate")
    labels = _check_labels(labels, check_int(num_classes, name="num_classes", minimum=2))
    labeled_images = np.asarray(labeled_images, "float32")
    if len(labeled_images) != len(labels):
        raise ValueError(
            f"`labeled_images` and `labels` must have the same length. "
            f"Received: len(labeled_images)={len(labeled_images)}, len(labels)={len(labels)}"
        )
    keras.utils.set_random_seed(seed)
    classifier = build_sgan_trunk(num_classes, labeled_images.shape[1:])
    classifier.compile(
        keras.optimizers.Adam(learning_rate),
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    classifier.fit(labeled_images, labels, batch_size=batch_size, epochs=epochs, verbose=verbose)
    return classifier


def build_sgan(
    num_classes: int = 10,
    latent_dim: int = 100,
    image_shape: Sequence[int] = (28, 28, 1),
    *,
    compile: bool = True,
    compile_kwargs: dict[str, Any] | None = None,
) -> SemiSupervisedGAN:
    """Builds the chapter 7 semi-supervised GAN.

    Args:
        num_classes: Number of classes. Defaults to `10`.
        latent_dim: Size of `z`. Defaults to `100`.
        image_shape: `(height, width, channels)`, multiples of 4.
            Defaults to `(28, 28, 1)`.
        compile: Call `compile(**compile_kwargs)`. Defaults to `True`.
        compile_kwargs: Arguments of `SemiSupervisedGAN.compile`.
            Defaults to `None`.

    Returns:
        A `SemiSupervisedGAN`.

    Raises:
        TypeError: For arguments of the wrong type.
        ValueError: For bad sizes or shapes.

    Example:

        >>> sgan = build_sgan(num_classes=3, latent_dim=8, image_shape=(8, 8, 1))
        >>> sgan.classifier.output_shape
        (None, 3)
    """
    check_bool(compile, name="compile")
    model = SemiSupervisedGAN(build_sgan_generator(latent_dim, image_shape), build_sgan_trunk(num_classes, image_shape))
    if compile:
        model.compile(**(compile_kwargs or {}))
    return model
