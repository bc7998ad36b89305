"""Label-conditioning layers (conditional and semi-supervised GAN chapters)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
from keras import ops

from gankit._checks import check_int


def _flat_labels(labels):
    # Accept (batch,) or (batch, 1) integer labels, as the book feeds both.
    return ops.reshape(ops.cast(labels, "int32"), (-1,))


@keras.saving.register_keras_serializable(package="gankit")
class LatentLabelEmbedding(keras.layers.Layer):
    """Conditions a latent vector on a class label: `z * embedding(label)`.

    The conditional GAN generator of "GANs in Action" chapter 8 turns the
    label into a dense vector of the latent size with an `Embedding` layer and
    multiplies it element-wise with the noise vector `z`, giving one joint
    representation to the rest of the generator.

    Reference: [Mirza and Osindero, 2014](https://arxiv.org/abs/1411.1784);
    "GANs in Action" listing 8.3.

    Args:
        num_classes: Number of classes (labels are `0 .. num_classes - 1`).
        latent_dim: Size of the latent vector and of the embedding.
        embeddings_initializer: Initializer of the embedding table.
            Defaults to `"uniform"` (Keras' `Embedding` default).
        **kwargs: Base layer keyword arguments.

    Call arguments:
        inputs: A list `[z, labels]`: `z` of shape `(batch, latent_dim)` and
            integer `labels` of shape `(batch,)` or `(batch, 1)`.

    Output shape:
        `(batch, latent_dim)`.

    Raises:
        TypeError: If `num_classes` or `latent_dim` is not an integer.
        ValueError: If either is smaller than 1, or `z` does not end in
            `latent_dim`.

    Example:

        >>> layer = LatentLabelEmbedding(num_classes=10, latent_dim=4)
        >>> layer([np.ones((3, 4), "float32"), np.array([0, 1, 2])]).shape
        TensorShape([3, 4])
    """

    def __init__(
        self,
        num_classes: int,
        latent_dim: int,
        embeddings_initializer: str | dict[str, Any] | keras.initializers.Initializer = "uniform",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.num_classes = check_int(num_classes, name="num_classes", minimum=1)
        self.latent_dim = check_int(latent_dim, name="latent_dim", minimum=1)
        self.embeddings_initializer = keras.initializers.get(embeddings_initializer)
        self.embedding = keras.layers.Embedding(
            num_classes,
            latent_dim,
            embeddings_initializer=self.embeddings_initializer,
            name="label_embedding",
        )

    def build(self, input_shape):
        z_shape = input_shape[0]
        if z_shape[-1] is not None and z_shape[-1] != self.latent_dim:
            raise ValueError(
                f"The latent input must end in latent_dim={self.latent_dim}. Received: z shape={tuple(z_shape)}"
            )
        self.embedding.build((None,))
        super().build(input_shape)

    def call(self, inputs):
        z, labels = inputs
        embedded = ops.cast(self.embedding(_flat_labels(labels)), z.dtype)
        return z * embedded

    def compute_output_shape(self, input_shape):
        return (input_shape[0][0], self.latent_dim)

    def get_config(self):
        return {
            **super().get_config(),
            "num_classes": self.num_classes,
            "latent_dim": self.latent_dim,
            "embeddings_initializer": keras.initializers.serialize(self.embeddings_initializer),
        }


@keras.saving.register_keras_serializable(package="gankit")
class LabelChannelEmbedding(keras.layers.Layer):
    """Appends a learned, label-dependent image channel to an image batch.

    The conditional GAN discriminator of "GANs in Action" chapter 8 embeds the
    label into a vector of `height * width * channels` values, reshapes it to
    an image and concatenates it to the input image on the channel axis, so
    the convolutional trunk sees the image and its label together.

    Reference: [Mirza and Osindero, 2014](https://arxiv.org/abs/1411.1784);
    "GANs in Action" listing 8.5.

    Args:
        num_classes: Number of classes.
        image_shape: `(height, width, channels)` of the images it is applied
            to; the label map gets the same height and width.
        channels: Number of label channels appended. Defaults to `1` (the
            chapter's MNIST setting, where it equals the image channels).
        embeddings_initializer: Initializer of the embedding table.
            Defaults to `"uniform"`.
        **kwargs: Base layer keyword arguments.

    Call arguments:
        inputs: A list `[images, labels]`: images `(batch, height, width,
            image_channels)` and integer labels `(batch,)` or `(batch, 1)`.

    Output shape:
        `(batch, height, width, image_channels + channels)`.

    Raises:
        TypeError: If an integer argument is not an integer.
        ValueError: If `image_shape` is not 3 positive integers, or the images
            do not match it.

    Example:

        >>> layer = LabelChannelEmbedding(10, image_shape=(28, 28, 1))
        >>> layer([np.zeros((2, 28, 28, 1), "float32"), np.array([3, 7])]).shape
        TensorShape([2, 28, 28, 2])
    """

    def __init__(
        self,
        num_classes: int,
        image_shape: Sequence[int],
        channels: int = 1,
        embeddings_initializer: str | dict[str, Any] | keras.initializers.Initializer = "uniform",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.num_classes = check_int(num_classes, name="num_classes", minimum=1)
        image_shape = tuple(image_shape)
        if len(image_shape) != 3 or not all(
            isinstance(d, int) and not isinstance(d, bool) and d >= 1 for d in image_shape
        ):
            raise ValueError(
                "`image_shape` must be 3 positive integers (height, width, "
                f"channels). Received: image_shape={image_shape}"
            )
        self.image_shape = image_shape
        self.channels = check_int(channels, name="channels", minimum=1)
        self.embeddings_initializer = keras.initializers.get(embeddings_initializer)
        height, width, _ = image_shape
        self.embedding = keras.layers.Embedding(
            num_classes,
            height * width * self.channels,
            embeddings_initializer=self.embeddings_initializer,
            name="label_embedding",
        )

    def build(self, input_shape):
        images_shape = tuple(input_shape[0])
        expected = self.image_shape
        if len(images_shape) != 4 or any(
            got is not None and got != want for got, want in zip(images_shape[1:], expected)
        ):
            raise ValueError(
                f"Images must have shape (batch, {expected[0]}, {expected[1]}, "
                f"{expected[2]}) to match image_shape={expected}. "
                f"Received: images shape={images_shape}"
            )
        self.embedding.build((None,))
        super().build(input_shape)

    def call(self, inputs):
        images, labels = inputs
        height, width, _ = self.image_shape
        embedded = self.embedding(_flat_labels(labels))
        label_map = ops.reshape(embedded, (-1, height, width, self.channels))
        return ops.concatenate([images, ops.cast(label_map, images.dtype)], axis=-1)

    def compute_output_shape(self, input_shape):
        images_shape = input_shape[0]
        return tuple(images_shape[:-1]) + (self.image_shape[-1] + self.channels,)

    def get_config(self):
        return {
            **super().get_config(),
            "num_classes": self.num_classes,
            "image_shape": self.image_shape,
            "channels": self.channels,
            "embeddings_initializer": keras.initializers.serialize(self.embeddings_initializer),
        }


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


@keras.saving.register_keras_serializable(package="gankit")
class RealFakeFromClassLogits(keras.layers.Layer):
    """Real/fake logit from class logits: `logsumexp(l)`.

    The chapter's unsupervised head is `D(x) = Z / (Z + 1)`, `Z = sum_k
    exp(l_k)` (Salimans et al. 2016, section 5). Since `sigmoid(log Z) =
    Z / (Z + 1)`, the logit of `D(x)` is exactly `logsumexp(l)`, computed
    stably; outputting the logit lets gankit's logit-based losses apply.

    Reference: [Salimans et al., 2016](https://arxiv.org/abs/1606.03498).

    Args:
        **kwargs: Base layer arguments (`name`, ...).

    Call arguments:
        logits: Class logits `(batch, num_classes)`.

    Output shape:
        `(batch, 1)`.

    Example:

        >>> RealFakeFromClassLogits()(np.zeros((1, 3), "float32"))  # log 3
        <tf.Tensor: shape=(1, 1), dtype=float32, numpy=array([[1.0986123]], dtype=float32)>
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)

    def call(self, logits):
        return ops.logsumexp(logits, axis=-1, keepdims=True)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (1,)
