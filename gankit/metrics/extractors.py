"""The feature-extractor protocol of `gankit.metrics` and its shared input path.

An extractor maps images to what the metrics consume: `features` (FID, KID,
MiFID) and class `logits` (Inception Score). gankit has two:
`InceptionFeatures` (`gankit.metrics.inception`, the standard one) and
`DomainClassifier` (`gankit.metrics.domain_classifier`, a small CNN trained
on a labelled dataset, for when Inception weights are unavailable or the
images are far from ImageNet). Any object with the same attributes and
methods works with the streaming `evaluate`:

- `name`: a stable string that identifies the extractor and its weights
  (feature caches are keyed by it);
- `feature_dim` and `num_classes`: integers;
- `features(images, batch_size=64)` -> float32 `(n, feature_dim)`;
- `logits(images, batch_size=64)` -> float32 `(n, num_classes)`, before any
  softmax;
- `features_and_logits(images, batch_size=64)` -> both, from one forward pass.

Images are a NumPy array or a tensor, NHWC, floating point, with values in
[0, 1] (`GAN.generate` returns that range; map `tanh` outputs with
`(x + 1) / 2` and uint8 pixels with `x / 255`). Any height and width, 1 or 3
channels: the extractor resizes to its own input size and converts grayscale
to RGB (or RGB to grayscale) itself, one batch at a time, so memory stays
bounded by `batch_size` whatever the number of images. Outputs are float32,
the precision the networks compute in; the metric functions convert to
float64.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from numpy.typing import ArrayLike

from gankit._checks import check_int

# Values may leave [0, 1] by this much before an extractor refuses them:
# room for float round-off in `(x + 1) / 2`, far too little to let a [-1, 1]
# or [0, 255] batch through. Values inside the tolerance are used as they are.
RANGE_TOLERANCE = 0.01


def check_images(images):
    """Checks the layout and dtype of an image batch; returns it ready to slice.

    Only metadata is checked here (values are checked batch by batch in
    `iterate_batches`), so a large array is neither copied nor scanned twice.

    Args:
        images: A NumPy array, a tensor or a nested list, NHWC.

    Returns:
        `images` as a `tf.Tensor` if it was one, else as a NumPy array.

    Raises:
        TypeError: If the values are not floating point.
        ValueError: If `images` is not 4-D, has an empty height or width, or
            has a channel count other than 1 or 3.
    """
    if isinstance(images, (tf.Tensor, tf.Variable)):
        is_float = images.dtype.is_floating
        dtype = images.dtype.name
    else:
        images = np.asarray(images)
        is_float = np.issubdtype(images.dtype, np.floating)
        dtype = images.dtype.name
    shape = tuple(images.shape)
    if len(shape) != 4:
        raise ValueError(
            "`images` must be a 4-D NHWC batch `(num_images, height, width, "
            f"channels)`. Received: images.shape={shape}. Give grayscale "
            "images a channel axis with `images[..., None]`."
        )
    if shape[1] == 0 or shape[2] == 0:
        raise ValueError(f"`images` must have a non-empty height and width. Received: images.shape={shape}")
    if shape[3] not in (1, 3):
        raise ValueError(
            "`images` must have 1 (grayscale) or 3 (RGB) channels on the last "
            f"axis (NHWC). Received: images.shape={shape}"
        )
    if not is_float:
        raise TypeError(
            "`images` must be floating point with values in [0, 1]. Received: "
            f"images.dtype={dtype}. Convert uint8 pixels with `images / 255`."
        )
    return images


def check_value_range(batch):
    """Raises if a float32 batch holds non-finite values or leaves [0, 1].

    Raises:
        ValueError: If a value is NaN or infinite, or lies further than
            `RANGE_TOLERANCE` outside [0, 1].
    """
    if not bool(tf.reduce_all(tf.math.is_finite(batch))):
        raise ValueError(
            "`images` contain NaN or infinite values; a generator that outputs "
            "them has diverged. Received: a batch with "
            f"{int(tf.reduce_sum(tf.cast(~tf.math.is_finite(batch), tf.int32)))} "
            "non-finite values."
        )
    low = float(tf.reduce_min(batch))
    high = float(tf.reduce_max(batch))
    if low < -RANGE_TOLERANCE or high > 1.0 + RANGE_TOLERANCE:
        raise ValueError(
            "`images` must have values in [0, 1]. Received: values in "
            f"[{low:.4g}, {high:.4g}]. Map `tanh` outputs in [-1, 1] with "
            "`(images + 1) / 2` and pixels in [0, 255] with `images / 255`."
        )


def iterate_batches(images, batch_size):
    """Yields float32 tensor batches of `images`, each value-checked.

    Args:
        images: The output of `check_images`.
        batch_size: Images per batch, an integer >= 1.

    Yields:
        `(start, batch)`: the index of the batch's first image and a float32
        `tf.Tensor` `(b, height, width, channels)`.
    """
    num_images = int(images.shape[0])
    for start in range(0, num_images, batch_size):
        batch = images[start : start + batch_size]
        if isinstance(batch, np.ndarray):
            batch = tf.constant(batch.astype(np.float32, copy=False))
        else:
            batch = tf.cast(batch, tf.float32)
        check_value_range(batch)
        yield start, batch


def convert_channels(batch, channels):
    """Converts a float32 NHWC batch to `channels` (1 or 3) channels.

    Grayscale becomes RGB by repeating the channel; RGB becomes grayscale with
    `tf.image.rgb_to_grayscale` (ITU-R BT.601 luma weights 0.2989, 0.5870,
    0.1140). The batch's channel count must be known statically.

    Example:

        >>> convert_channels(np.zeros((2, 5, 5, 1), "float32"), 3).shape
        TensorShape([2, 5, 5, 3])
    """
    batch = tf.convert_to_tensor(batch)
    if batch.shape[-1] == channels:
        return batch
    if channels == 3:
        return tf.image.grayscale_to_rgb(batch)
    return tf.image.rgb_to_grayscale(batch)


def resize(batch, image_size, method, antialias):
    """Resizes a float32 NHWC batch to `image_size` x `image_size`.

    `method` is a `tf.image.ResizeMethod` value, or `"bilinear_tf1"` for
    TF1's bilinear resize without half-pixel centres (`ResizeBilinear` with
    `align_corners=False, half_pixel_centers=False`, what the 2015 Inception
    graph of TTUR's FID does and torch-fidelity emulates). Batches already at
    that size are returned as they are. The batch's height and width must be
    known statically.

    Example:

        >>> resize(np.zeros((2, 28, 28, 1), "float32"), 299, "bilinear", False).shape
        TensorShape([2, 299, 299, 1])
    """
    if batch.shape[1] == image_size and batch.shape[2] == image_size:
        return batch
    if method == "bilinear_tf1":
        return tf.raw_ops.ResizeBilinear(
            images=batch, size=[image_size, image_size], align_corners=False, half_pixel_centers=False
        )
    return tf.image.resize(batch, (image_size, image_size), method=method, antialias=antialias)


class FeatureExtractor:
    """Base class of gankit's extractors: batching, input checks, outputs.

    A subclass sets `name`, `feature_dim`, `num_classes` and a `model`, a
    `keras.Model` that maps the subclass's prepared inputs to
    `[features, logits]`, and implements `prepare(batch)`, the tensor
    operations (channel conversion, resizing, scaling) from a float32 NHWC
    batch in [0, 1] to the model's input. The base class runs both in one
    `tf.function` per input image shape `(height, width, channels)`, so the
    batch size never causes retracing and `prepare` sees static image sizes.

    This is the protocol described in the module docstring; `evaluate` only
    relies on the attributes and the three public methods.
    """

    name = None
    feature_dim = None
    num_classes = None

    def __init__(self, model: keras.Model) -> None:
        self.model = model
        self._forward_functions = {}

    def prepare(self, batch: tf.Tensor) -> tf.Tensor:
        """Maps a float32 NHWC batch in [0, 1] to the model's input."""
        raise NotImplementedError

    def _forward(self, image_shape):
        if image_shape not in self._forward_functions:

            def forward(batch):
                features, logits = self.model(self.prepare(batch), training=False)
                return tf.cast(features, tf.float32), tf.cast(logits, tf.float32)

            signature = [tf.TensorSpec([None, *image_shape], tf.float32)]
            self._forward_functions[image_shape] = tf.function(forward, input_signature=signature)
        return self._forward_functions[image_shape]

    def features_and_logits(self, images: tf.Tensor | ArrayLike, batch_size: int = 64) -> tuple[np.ndarray, np.ndarray]:
        """Returns the features and the logits of `images` from one forward pass.

        Args:
            images: NumPy array or tensor `(n, height, width, channels)`,
                floating point with values in [0, 1], 1 or 3 channels, any
                height and width.
            batch_size: Images per forward pass; bounds the memory used. The
                results do not depend on it (up to float round-off). Defaults
                to `64`.

        Returns:
            `(features, logits)`: float32 NumPy arrays `(n, feature_dim)` and
            `(n, num_classes)`.

        Raises:
            TypeError: If `images` is not floating point or `batch_size` is
                not an integer.
            ValueError: If `images` is not NHWC with 1 or 3 channels, holds
                non-finite values or values outside [0, 1], or `batch_size`
                is smaller than 1.
        """
        batch_size = check_int(batch_size, name="batch_size", minimum=1)
        images = check_images(images)
        num_images = int(images.shape[0])
        features = np.empty((num_images, self.feature_dim), np.float32)
        logits = np.empty((num_images, self.num_classes), np.float32)
        forward = self._forward(tuple(int(size) for size in images.shape[1:]))
        for start, batch in iterate_batches(images, batch_size):
            batch_features, batch_logits = forward(batch)
            stop = start + int(batch.shape[0])
            features[start:stop] = batch_features.numpy()
            logits[start:stop] = batch_logits.numpy()
        return features, logits

    def features(self, images: tf.Tensor | ArrayLike, batch_size: int = 64) -> np.ndarray:
        """Returns the features of `images`, float32 `(n, feature_dim)`.

        Same arguments and errors as `features_and_logits`.
        """
        return self.features_and_logits(images, batch_size=batch_size)[0]

    def logits(self, images: tf.Tensor | ArrayLike, batch_size: int = 64) -> np.ndarray:
        """Returns the logits of `images`, float32 `(n, num_classes)`.

        Same arguments and errors as `features_and_logits`.
        """
        return self.features_and_logits(images, batch_size=batch_size)[1]

    def __repr__(self):
        return (
            f"{type(self).__name__}(name={self.name!r}, feature_dim={self.feature_dim}, num_classes={self.num_classes})"
        )
