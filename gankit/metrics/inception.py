"""InceptionV3 pool3 features and logits, the standard extractor of FID and IS.

Keras' `keras.applications.InceptionV3` with its ImageNet weights: features
are the 2048-d global average pool (`avg_pool`, "pool3" in the FID
literature) and logits the 1000-d output of the `predictions` layer before
its softmax.

Weights are looked up offline first. `weights="imagenet"` reads the file
Keras itself caches, `inception_v3_weights_tf_dim_ordering_tf_kernels.h5` in
`$KERAS_HOME/models` (else `~/.keras/models`), and downloads it only with
`allow_download=True`; any other string is the path of a weights file.

Comparability: FID and IS published in papers were mostly computed with the
2015 TensorFlow Inception graph (TTUR's `fid.py`, ported to PyTorch as
`pytorch-fid`'s `FID_WEIGHTS_URL` and used by torch-fidelity). Keras'
InceptionV3 weights are a different training of the same architecture, so
its numbers are comparable between runs that use gankit but not with those
papers. The resizing differs too (see `InceptionFeatures`).
"""

from __future__ import annotations

import hashlib
import os

import keras
import tensorflow as tf

from gankit._checks import check_bool
from gankit.metrics.extractors import FeatureExtractor
from gankit.metrics.extractors import convert_channels
from gankit.metrics.extractors import resize

# The file, address and MD5 that `keras.applications.InceptionV3` uses for
# `weights="imagenet", include_top=True` (keras/src/applications/inception_v3.py).
INCEPTION_WEIGHTS_FILE = "inception_v3_weights_tf_dim_ordering_tf_kernels.h5"
INCEPTION_WEIGHTS_URL = (
    "https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/" + INCEPTION_WEIGHTS_FILE
)
INCEPTION_WEIGHTS_MD5 = "9a0d58056eeedaa3f26cb7ebd46da564"

INCEPTION_IMAGE_SIZE = 299
INCEPTION_FEATURE_DIM = 2048
INCEPTION_NUM_CLASSES = 1000

# The `tf.image.ResizeMethod` values, plus TF1's bilinear resize (see
# `extractors.resize`).
RESIZE_METHODS = (
    "bilinear",
    "nearest",
    "bicubic",
    "area",
    "lanczos3",
    "lanczos5",
    "gaussian",
    "mitchellcubic",
    "bilinear_tf1",
)
WEIGHTS_SUFFIXES = (".h5", ".hdf5")


def keras_models_dir() -> str:
    """Returns Keras' model cache: `$KERAS_HOME/models`, else `~/.keras/models`.

    The environment is read at each call (Keras reads it once, at import).

    Example:

        >>> os.path.basename(keras_models_dir())
        'models'
    """
    keras_home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    return os.path.join(keras_home, "models")


def _file_digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _resolve_weights(weights, allow_download):
    """Returns `(path, name_suffix)` of the weights file, or raises."""
    if weights is None:
        raise ValueError(
            "`weights` must be 'imagenet' or the path of a weights file; random "
            "Inception weights give meaningless FID and IS. Received: weights=None"
        )
    if not isinstance(weights, (str, os.PathLike)):
        raise TypeError(
            "`weights` must be 'imagenet' or the path of a weights file (a string "
            f"or a path). Received: weights={weights!r}"
        )
    weights = os.fspath(weights)
    if weights == "imagenet":
        directory = keras_models_dir()
        path = os.path.join(directory, INCEPTION_WEIGHTS_FILE)
        if os.path.isfile(path):
            return path, ""
        if allow_download:
            path = keras.utils.get_file(
                fname=INCEPTION_WEIGHTS_FILE,
                origin=INCEPTION_WEIGHTS_URL,
                cache_dir=os.path.dirname(directory),
                cache_subdir="models",
                file_hash=INCEPTION_WEIGHTS_MD5,
            )
            return path, ""
        raise FileNotFoundError(
            f"InceptionV3 ImageNet weights not found: expected the file "
            f"`{INCEPTION_WEIGHTS_FILE}` in Keras' model cache `{directory}` "
            "(`$KERAS_HOME/models`, else `~/.keras/models`). gankit does not "
            "download by default. To fix: pass `allow_download=True` on a machine "
            f"with network; or download {INCEPTION_WEIGHTS_URL} elsewhere (MD5 "
            f"{INCEPTION_WEIGHTS_MD5}) and copy it into `{directory}`, or pass its "
            "path as `weights=`. Without Inception weights, "
            "`DomainClassifier.for_dataset(...)` gives domain FID/IS offline."
        )
    if not weights.endswith(WEIGHTS_SUFFIXES):
        raise ValueError(
            "`weights` must be 'imagenet' or the path of a Keras weights file "
            f"ending in '.h5', '.hdf5' or '.weights.h5'. Received: weights={weights!r}"
        )
    if not os.path.isfile(weights):
        raise FileNotFoundError(
            f"InceptionV3 weights file not found: {weights!r}. Give the path of an "
            f"existing file, e.g. Keras' `{INCEPTION_WEIGHTS_FILE}` "
            f"({INCEPTION_WEIGHTS_URL}), or use weights='imagenet'."
        )
    return weights, "_" + _file_digest(weights)[:12]


def _build_inception(path):
    """Builds InceptionV3 with logits outputs in float32 and loads `path`."""
    # The extractor computes in float32 whatever the global policy (a GAN may
    # be training under mixed_float16): Keras applications take no `dtype`,
    # so the policy is switched for the build and restored at once.
    policy = keras.config.dtype_policy()
    keras.config.set_dtype_policy("float32")
    try:
        # classifier_activation=None: the `predictions` layer returns logits;
        # its kernel and bias are those of the softmax model, so softmax of
        # these logits is exactly Keras' prediction.
        model = keras.applications.InceptionV3(include_top=True, weights=None, classifier_activation=None)
    finally:
        keras.config.set_dtype_policy(policy)
    try:
        model.load_weights(path)
    except ValueError as error:
        raise ValueError(
            f"Could not load InceptionV3 weights from {path!r}: the file does not "
            "match `keras.applications.InceptionV3(include_top=True)`. It must hold "
            "the weights with the classification top (the '_notop' file has no "
            f"logits; use `{INCEPTION_WEIGHTS_FILE}`). Keras said: {error}"
        ) from error
    return keras.Model(
        model.input,
        [model.get_layer("avg_pool").output, model.get_layer("predictions").output],
        name="inception_v3_pool3_logits",
    )


class InceptionFeatures(FeatureExtractor):
    """InceptionV3 pool3 features (2048-d) and ImageNet logits (1000-d).

    The standard extractor of FID, KID and MiFID (features) and the Inception
    Score (logits). Images go through exactly these steps, batch by batch:

    1. resize to 299x299 with `tf.image.resize(images, (299, 299),
       method=resize_method, antialias=antialias)` (skipped for images
       already 299x299). The default, bilinear without antialiasing, samples
       at half-pixel centres like PyTorch's `F.interpolate(...,
       mode="bilinear", align_corners=False)` that `pytorch-fid` uses. The
       2015 TF graph of TTUR (and torch-fidelity, which emulates it) resizes
       with TF1's `ResizeBilinear` without half-pixel centres, which shifts
       the image by half a pixel: one reason, besides the weights, why
       numbers differ from those papers. `resize_method="bilinear_tf1"`
       reproduces that resize;
    2. grayscale to RGB by repeating the channel;
    3. scale [0, 1] to [-1, 1] (`2 * x - 1`, what
       `keras.applications.inception_v3.preprocess_input` does to [0, 255]);
    4. the Keras InceptionV3 network in inference mode; features are the
       `avg_pool` output and logits `avg_pool @ kernel + bias` of the
       `predictions` layer, before the softmax Keras applies there.

    Keras' ImageNet weights are not the 2015 TF graph that FID/IS papers
    used (pytorch-fid, TTUR), so the values are comparable between gankit
    runs, not with published numbers.

    Args:
        weights: `"imagenet"` for Keras' ImageNet weights from its cache
            (`$KERAS_HOME/models`, else `~/.keras/models`), or the path of a
            `.h5`/`.weights.h5` file with the weights of
            `keras.applications.InceptionV3(include_top=True)`. Defaults to
            `"imagenet"`.
        resize_method: A `tf.image.ResizeMethod` value (`"bilinear"`,
            `"bicubic"`, `"area"`, `"nearest"`, `"lanczos3"`, ...) or
            `"bilinear_tf1"` (TF1's resize of the 2015 graph). Defaults to
            `"bilinear"`.
        antialias: Passed to `tf.image.resize`; only changes downscaling of
            images larger than 299x299. Not available with `"bilinear_tf1"`.
            Defaults to `False`.
        allow_download: Whether `weights="imagenet"` may download the file
            (about 92 MB, MD5-checked, into Keras' cache) when it is not
            cached. Offline first: a metric should never reach for the
            network unasked. Defaults to `False`.

    Attributes:
        name: `"inception_v3_pool3"` for the ImageNet weights with the default
            resizing; a file's weights add the first 12 hex digits of its
            SHA-256 and other resizing adds the method (e.g.
            `"inception_v3_pool3_area"`), so feature caches never mix them.
        feature_dim: 2048.
        num_classes: 1000.
        image_size: 299.

    Raises:
        FileNotFoundError: If the weights file is missing; the message names
            the file, where it was looked for and how to get it.
        TypeError: If `weights` is not a string or path, or `antialias` or
            `allow_download` is not a boolean.
        ValueError: If `weights` is `None` or not a Keras weights file of
            InceptionV3 with its top, `resize_method` is unknown, or
            `antialias=True` comes with `"bilinear_tf1"`.

    Example:

        >>> extractor = InceptionFeatures()  # doctest: +SKIP
        >>> features, logits = extractor.features_and_logits(np.zeros((2, 32, 32, 3)))  # doctest: +SKIP
        >>> features.shape, logits.shape  # doctest: +SKIP
        ((2, 2048), (2, 1000))
    """

    feature_dim = INCEPTION_FEATURE_DIM
    num_classes = INCEPTION_NUM_CLASSES
    image_size = INCEPTION_IMAGE_SIZE

    def __init__(
        self,
        weights: str | os.PathLike = "imagenet",
        resize_method: str = "bilinear",
        antialias: bool = False,
        allow_download: bool = False,
    ) -> None:
        if resize_method not in RESIZE_METHODS:
            raise ValueError(
                f"`resize_method` must be one of {RESIZE_METHODS}. Received: resize_method={resize_method!r}"
            )
        check_bool(antialias, name="antialias")
        check_bool(allow_download, name="allow_download")
        if resize_method == "bilinear_tf1" and antialias:
            raise ValueError(
                "`antialias=True` has no TF1 counterpart; use it with a `tf.image.resize` "
                "method. Received: resize_method='bilinear_tf1', antialias=True"
            )
        path, name_suffix = _resolve_weights(weights, allow_download)
        self.weights = weights if weights == "imagenet" else os.fspath(weights)
        self.weights_path = path
        self.resize_method = resize_method
        self.antialias = antialias
        self.allow_download = allow_download
        if (resize_method, antialias) != ("bilinear", False):
            name_suffix += f"_{resize_method}" + ("_antialias" if antialias else "")
        self.name = "inception_v3_pool3" + name_suffix
        super().__init__(_build_inception(path))

    def prepare(self, batch: tf.Tensor) -> tf.Tensor:
        """Resizes to 299x299, converts to RGB and scales to [-1, 1]."""
        batch = resize(batch, self.image_size, self.resize_method, self.antialias)
        return 2.0 * convert_channels(batch, 3) - 1.0

    def get_config(self) -> dict[str, str | bool]:
        """Returns the constructor arguments; `InceptionFeatures(**config)` rebuilds it."""
        return {
            "weights": self.weights,
            "resize_method": self.resize_method,
            "antialias": self.antialias,
            "allow_download": self.allow_download,
        }
