"""The extractor protocol's shared input path: batching, checks, resizing, channels."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from gankit.metrics.extractors import RANGE_TOLERANCE
from gankit.metrics.extractors import FeatureExtractor
from gankit.metrics.extractors import convert_channels
from gankit.metrics.extractors import resize


class TinyExtractor(FeatureExtractor):
    """A 3-channel, 6x6-input extractor: mean colour features, a Dense for logits."""

    name = "tiny"
    feature_dim = 3
    num_classes = 2

    def __init__(self):
        inputs = keras.Input((6, 6, 3))
        features = keras.layers.GlobalAveragePooling2D()(inputs)
        logits = keras.layers.Dense(
            2, kernel_initializer=keras.initializers.Constant([[1.0, 0.0], [0.0, 1.0], [1.0, -1.0]])
        )(features)
        super().__init__(keras.Model(inputs, [features, logits]))

    def prepare(self, batch):
        return convert_channels(resize(batch, 6, "bilinear", False), 3)


@pytest.fixture(scope="module")
def extractor():
    return TinyExtractor()


def test_outputs_follow_the_protocol(extractor, rng):
    images = rng.uniform(size=(5, 6, 6, 3)).astype("float32")
    features, logits = extractor.features_and_logits(images)
    assert features.shape == (5, 3) and logits.shape == (5, 2)
    assert features.dtype == np.float32 and logits.dtype == np.float32
    # Hand oracle: features are the mean colour, logits [r + b, g - b].
    mean = images.mean(axis=(1, 2))
    np.testing.assert_allclose(features, mean, rtol=1e-6)
    np.testing.assert_allclose(logits, np.stack([mean[:, 0] + mean[:, 2], mean[:, 1] - mean[:, 2]], 1), rtol=1e-5)
    np.testing.assert_array_equal(extractor.features(images), features)
    np.testing.assert_array_equal(extractor.logits(images), logits)
    assert repr(extractor) == "TinyExtractor(name='tiny', feature_dim=3, num_classes=2)"


@pytest.mark.cpu_invariance
@pytest.mark.parametrize("batch_size", [1, 2, 7, 64])
def test_results_do_not_depend_on_batch_size(extractor, rng, batch_size):
    images = rng.uniform(size=(7, 9, 9, 3))
    expected = extractor.features_and_logits(images, batch_size=3)
    for got, want in zip(extractor.features_and_logits(images, batch_size=batch_size), expected):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)


def test_tensors_float64_and_numpy_float32_agree(extractor, rng):
    images = rng.uniform(size=(3, 6, 6, 3))
    expected = extractor.features(images.astype("float32"))
    np.testing.assert_array_equal(extractor.features(images), expected)
    np.testing.assert_array_equal(extractor.features(tf.constant(images)), expected)


def test_grayscale_equals_the_repeated_rgb_image(extractor, rng):
    gray = rng.uniform(size=(2, 6, 6, 1)).astype("float32")
    np.testing.assert_allclose(extractor.features(gray), extractor.features(np.repeat(gray, 3, axis=-1)), rtol=1e-6)


def test_empty_input_gives_empty_outputs(extractor):
    features, logits = extractor.features_and_logits(np.zeros((0, 6, 6, 3), "float32"))
    assert features.shape == (0, 3) and logits.shape == (0, 2)


def test_values_just_outside_the_range_are_accepted_as_they_are(extractor):
    images = np.full((1, 6, 6, 3), 1.0 + RANGE_TOLERANCE / 2, "float32")
    np.testing.assert_allclose(extractor.features(images), [[1.0 + RANGE_TOLERANCE / 2] * 3], rtol=1e-6)


def _with_nan():
    images = np.zeros((2, 6, 6, 3), "float32")
    images[1, 2, 3, 0] = np.nan
    return images


@pytest.mark.parametrize(
    "images, batch_size, error, match",
    [
        (np.zeros((2, 6, 6), "float32"), 64, ValueError, "4-D NHWC"),
        (np.zeros((2, 6, 6, 2), "float32"), 64, ValueError, "1 \\(grayscale\\) or 3"),
        (np.zeros((2, 0, 6, 3), "float32"), 64, ValueError, "non-empty height"),
        (np.zeros((2, 6, 6, 3), "uint8"), 64, TypeError, "images / 255"),
        (_with_nan(), 64, ValueError, "1 non-finite"),
        (np.full((2, 6, 6, 3), -1.0, "float32"), 64, ValueError, "\\(images \\+ 1\\) / 2"),
        (np.full((2, 6, 6, 3), 255.0, "float32"), 64, ValueError, "values in \\[0, 1\\]"),
        (np.zeros((2, 6, 6, 3), "float32"), 0, ValueError, "batch_size"),
        (np.zeros((2, 6, 6, 3), "float32"), 1.5, TypeError, "batch_size"),
    ],
)
def test_bad_input_is_rejected(extractor, images, batch_size, error, match):
    with pytest.raises(error, match=match):
        extractor.features(images, batch_size=batch_size)


def test_resize_methods_by_hand():
    # A 1x2 row [0, 1] upsampled to 1x4. Half-pixel centres (tf.image.resize,
    # PyTorch align_corners=False) sample at x = (j + 0.5) / 2 - 0.5 =
    # -0.25, 0.25, 0.75, 1.25, clamped: [0, 0.25, 0.75, 1]. TF1 samples at
    # x = j / 2 = 0, 0.5, 1, 1.5, clamped: [0, 0.5, 1, 1]. Square sizes only,
    # so the 2-row input repeats the row.
    row = tf.constant([[[[0.0], [1.0]], [[0.0], [1.0]]]])
    half_pixel = resize(row, 4, "bilinear", False).numpy()[0, 0, :, 0]
    tf1 = resize(row, 4, "bilinear_tf1", False).numpy()[0, 0, :, 0]
    np.testing.assert_allclose(half_pixel, [0.0, 0.25, 0.75, 1.0], atol=1e-7)
    np.testing.assert_allclose(tf1, [0.0, 0.5, 1.0, 1.0], atol=1e-7)
    assert resize(row, 2, "bilinear", False) is row


def test_channel_conversion_by_hand():
    rgb = tf.constant([[[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]]])
    # ITU-R BT.601 luma weights, as tf.image.rgb_to_grayscale.
    np.testing.assert_allclose(convert_channels(rgb, 1).numpy().ravel(), [0.2989, 0.587, 0.114], atol=1e-4)
    gray = tf.constant([[[[0.25]]]])
    np.testing.assert_array_equal(convert_channels(gray, 3).numpy(), [[[[0.25, 0.25, 0.25]]]])
    assert convert_channels(rgb, 3) is rgb
