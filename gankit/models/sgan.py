"""Semi-supervised GAN (Salimans et al. 2016; "GANs in Action" chapter 7).

One discriminator trunk ends in `num_classes` logits `l`. Two heads share it:
a softmax class head trained on a few labelled images, and a real/fake head
`D(x) = Z / (Z + 1)` with `Z = sum_k exp(l_k)` trained adversarially on the
unlabelled rest and on fakes. The trained trunk is the classifier.
"""

from __future__ import annotations

from collections.abc import Callable
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
from gankit._checks import check_number
from gankit.engine import check_real_batch
from gankit.layers.conditioning import RealFakeFromClassLogits
from gankit.models.gan import GAN
from gankit.models.gan import book_compile_options

D_SUPERVISED_LOSS = "d_supervised_loss"
D_UNSUPERVISED_LOSS = "d_unsupervised_loss"
G_LOSS = "g_loss"
SUPERVISED_ACCURACY = "supervised_accuracy"


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


@keras.saving.register_keras_serializable(package="gankit")
class SemiSupervisedGAN(GAN):
    """The chapter 7 SGAN: a GAN whose discriminator is also a classifier.

    `fit()` takes `((labeled_images, labels), unlabeled_images)` batches
    (see `sgan_dataset`). Each step: one supervised update of the trunk with
    sparse cross-entropy on the labelled batch, then the `GAN` step on the
    unlabelled batch: `d_steps` unsupervised updates of the real/fake head
    (real unlabelled images vs fakes, loss family `loss`) and `g_steps`
    generator updates, with every `GAN.compile` option. Tracked metrics:
    `d_supervised_loss`, `d_unsupervised_loss`, `g_loss`,
    `supervised_accuracy` and the head's `d_real_accuracy` /
    `d_fake_accuracy`. `d_unsupervised_loss` is logged on the book's scale,
    `0.5 * (d_loss_real + d_loss_fake)` (listing 7.9), half of the loss the
    unsupervised update minimises (gankit's families sum the real and fake
    terms, as every other family logs `d_loss`).

    Args:
        generator: A Keras model `z -> images in [-1, 1]`.
        trunk: A Keras model `images -> (batch, num_classes)` logits.
        latent_dim: As for `GAN`. Defaults to `None`.
        latent_distribution: As for `GAN`. Defaults to `"normal"`.
        ema_decay: As for `GAN`. Defaults to `None`.
        **kwargs: Base `keras.Model` arguments.

    Raises:
        TypeError: If a network is not a Keras model.
        ValueError: If the trunk does not output `(batch, num_classes)`.

    Example:

        >>> sgan = build_sgan(num_classes=10)
        >>> sgan.fit(sgan_dataset(xl, yl, xu), epochs=5)  # doctest: +SKIP
        >>> sgan.evaluate_classifier(x_test, y_test)  # doctest: +SKIP
    """

    NETWORKS = ("generator", "trunk")
    OPTIMIZERS = {
        "d_optimizer": ("trunk",),
        "g_optimizer": ("generator",),
        "supervised_optimizer": ("trunk",),
    }
    UPDATES = (
        ("supervised", "supervised_optimizer", None),
        ("discriminator", "d_optimizer", "d_steps"),
        ("generator", "g_optimizer", "g_steps"),
    )
    LOGS = (
        D_SUPERVISED_LOSS,
        D_UNSUPERVISED_LOSS,
        G_LOSS,
        SUPERVISED_ACCURACY,
        "d_real_accuracy",
        "d_fake_accuracy",
        "d_real_loss",
        "d_fake_loss",
    )
    D_LOSS_NAME = D_UNSUPERVISED_LOSS

    def __init__(
        self,
        generator: keras.Model,
        trunk: keras.Model,
        latent_dim: int | None = None,
        latent_distribution: str = "normal",
        ema_decay: float | None = None,
        **kwargs: Any,
    ) -> None:
        for name, model in (("generator", generator), ("trunk", trunk)):
            if not isinstance(model, keras.Model):
                raise TypeError(f"`{name}` must be a keras.Model. Received: {name}={model!r}")
        if len(trunk.output_shape) != 2 or trunk.output_shape[-1] is None:
            raise ValueError(
                f"`trunk` must output logits (batch, num_classes). Received: output_shape={trunk.output_shape}"
            )
        image = keras.Input(trunk.input_shape[1:])
        # Both heads call the same trunk object: the weights are shared.
        discriminator = keras.Model(
            image, RealFakeFromClassLogits(name="real_fake_logit")(trunk(image)), name="sgan_discriminator"
        )
        super().__init__(generator, discriminator, latent_dim, latent_distribution, ema_decay, **kwargs)
        self.trunk = trunk
        self.num_classes = int(trunk.output_shape[-1])

    @property
    def classifier(self) -> keras.Model:
        """The trunk, a Keras model `images -> class logits`."""
        return self.trunk

    def evaluate_classifier(self, images: ArrayLike, labels: ArrayLike, batch_size: int = 256) -> float:
        """Accuracy of the classifier on `(images, labels)`: the share of arg-max logits equal to the label.

        `gankit.metrics.classifier_accuracy(sgan.classifier, images, labels)`
        computes the same for any classifier.

        Raises:
            ValueError: If lengths disagree or labels are out of range.
        """
        labels = check_labels(labels, num_classes=self.num_classes)
        images = np.asarray(images, "float32")
        if len(images) != len(labels) or not len(labels):
            raise ValueError(
                "`images` and `labels` must be non-empty and of the same length. "
                f"Received: len(images)={len(images)}, len(labels)={len(labels)}"
            )
        logits = self.trunk.predict(images, batch_size=check_int(batch_size, name="batch_size", minimum=1), verbose=0)
        return float(np.mean(np.argmax(logits, axis=-1) == labels))

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
        feature_matching: bool = False,
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
            feature_matching: Train the generator with the feature-matching
                loss of Salimans et al. 2016 (section 3.1, their
                semi-supervised recipe) instead of the adversarial one:
                `mean_k (E_x f_k(x) - E_z f_k(G(z)))^2`, `f` the trunk's
                features before its last layer, on the unlabelled batch and
                the fakes. The book's SGAN uses the adversarial loss.
                Defaults to `False`.
            **kwargs: Every other `GAN.compile` option (`d_steps`,
                `label_smoothing`, ...) and `keras.Model.compile` arguments.

        Under a `mixed_float16` dtype policy each optimizer is wrapped in its
        own `keras.optimizers.LossScaleOptimizer`; under `tf.distribute`
        every loss is divided by the number of replicas, so a global batch
        gives the update of one device.

        Raises:
            ValueError: For an unknown loss or shared optimizer objects.
            TypeError: If an optimizer is not a `keras.optimizers.Optimizer`.
        """
        feature_matching = check_bool(feature_matching, name="feature_matching")
        super().compile(d_optimizer, g_optimizer, loss, supervised_optimizer=supervised_optimizer, **kwargs)
        self._training_options = {**self._training_options, "feature_matching": feature_matching}
        # A functional view of the trunk up to its last layer's input, sharing
        # its weights; kept out of Keras' tracking (`__dict__`) so the
        # trunk's variables are not saved twice.
        if feature_matching:
            self.__dict__["_trunk_features"] = keras.Model(self.trunk.input, self.trunk.layers[-1].input)

    def generator_loss(
        self, batch: Mapping[str, tf.Tensor], fakes: Mapping[str, tf.Tensor]
    ) -> tuple[tf.Tensor, dict[str, tf.Tensor]]:
        """The adversarial generator loss, or with `feature_matching` Salimans et al.'s; `(loss, logs)`."""
        if not self._training_options.get("feature_matching"):
            return super().generator_loss(batch, fakes)
        features = self.__dict__["_trunk_features"]
        real = tf.reduce_mean(tf.cast(features(batch["images"], training=True), tf.float32), axis=0)
        fake = tf.reduce_mean(tf.cast(features(fakes["images"], training=True), tf.float32), axis=0)
        loss = tf.reduce_mean(tf.square(tf.stop_gradient(real) - fake))
        return loss, {G_LOSS: loss}

    def unpack_batch(self, data: Any) -> dict[str, tf.Tensor]:
        try:
            (labeled_images, labels), unlabeled_images = data
        except (TypeError, ValueError):
            raise ValueError(
                "SemiSupervisedGAN.fit() needs `((labeled_images, labels), unlabeled_images)` "
                "batches, e.g. `sgan_dataset(...)`."
            ) from None
        labeled_images = tf.convert_to_tensor(labeled_images)
        unlabeled_images = tf.convert_to_tensor(unlabeled_images)
        check_real_batch(labeled_images, self.trunk.input_shape[1:], "SemiSupervisedGAN", "labelled images")
        check_real_batch(unlabeled_images, self.trunk.input_shape[1:], "SemiSupervisedGAN", "unlabelled images")
        labels = tf.reshape(tf.cast(labels, tf.int32), [-1])
        return {"images": unlabeled_images, "labeled_images": labeled_images, "labels": labels}

    def supervised_loss(self, batch: Mapping[str, tf.Tensor], fakes: None) -> tuple[tf.Tensor, dict[str, tf.Tensor]]:
        """Sparse cross-entropy of the trunk on the labelled batch; `(loss, logs)`."""
        # In float32: the logits are float16 under mixed precision.
        logits = tf.cast(self.trunk(batch["labeled_images"], training=True), tf.float32)
        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(batch["labels"], logits, from_logits=True))
        accuracy = tf.reduce_mean(
            tf.cast(tf.equal(tf.argmax(logits, -1, output_type=tf.int32), batch["labels"]), tf.float32)
        )
        return loss, {D_SUPERVISED_LOSS: loss, SUPERVISED_ACCURACY: accuracy}

    def discriminator_loss(
        self, batch: Mapping[str, tf.Tensor], fakes: Mapping[str, tf.Tensor], term: str | None = None
    ) -> tuple[tf.Tensor, dict[str, tf.Tensor]]:
        """The unsupervised update's loss (or its `term`, as `GAN`); logs it on the book's scale (half the sum)."""
        loss, logs = super().discriminator_loss(batch, fakes, term=term)
        return loss, {**logs, D_UNSUPERVISED_LOSS: 0.5 * loss}

    def critic_inputs(self, sample: Mapping[str, tf.Tensor]) -> tf.Tensor | list[tf.Tensor]:
        return sample["images"]


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
        compile: Call `compile(**compile_kwargs)`, with the book's
            optimizers unless `compile_kwargs` names others: `Adam()`
            (1e-3, beta_1 0.9) for the supervised, unsupervised and
            generator updates, as listing 7.x compiles its three models
            (`SemiSupervisedGAN.compile` alone defaults to 2e-4 / 0.5), the
            book loop's fresh latents for the generator update
            (`update_scheme="fresh"`), and its two unsupervised
            `train_on_batch` calls, on the unlabelled batch and then on the
            fakes (`d_update="real_then_fake"`, unless the other options need
            both in one loss: `gankit.models.GAN.compile`). Defaults to
            `True`.
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
        model.compile(**book_compile_options(compile_kwargs, ("d_optimizer", "g_optimizer", "supervised_optimizer")))
    return model
