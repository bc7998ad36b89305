"""A small CNN trained on a labelled dataset, the extractor of "domain" FID/IS.

FID and IS need a network that knows the images' domain. InceptionV3 knows
ImageNet, and its weights need a download; on 28x28 grayscale datasets such
as Fashion-MNIST a classifier trained on the dataset itself is the usual
offline alternative (the "domain-specific" FID/IS of many GAN papers on
MNIST-like data). `DomainClassifier` trains one with gankit, caches it on
disk and serves it through the extractor protocol of
`gankit.metrics.extractors`: features are its 128-d penultimate layer,
logits its last layer.

Values from different classifiers are not comparable with each other nor
with Inception-based values; compare runs that use the same `name`.
"""

from __future__ import annotations

import json
import os
import re
import uuid

import keras
import numpy as np
import tensorflow as tf
from numpy.typing import ArrayLike

from gankit._checks import check_choice
from gankit._checks import check_int
from gankit._checks import check_number
from gankit._checks import check_path
from gankit.metrics.extractors import FeatureExtractor
from gankit.metrics.extractors import check_images
from gankit.metrics.extractors import convert_channels
from gankit.metrics.extractors import iterate_batches
from gankit.metrics.extractors import resize

# Bump when the architecture or the training recipe changes: it is part of the
# cached classifiers' names, so new code never reuses an old classifier.
DOMAIN_CLASSIFIER_VERSION = 1
DOMAIN_FEATURE_DIM = 128
LEARNING_RATE = 1e-3  # Adam's default, enough for these small CNNs.

# Resizing of images whose size differs from the classifier's: bilinear with
# antialiasing, so downscaled generator outputs (e.g. 64x64 -> 28x28) do not
# alias. No reference implementation to match here, unlike Inception.
RESIZE_METHOD = "bilinear"
RESIZE_ANTIALIAS = True

MODEL_FILE = "model.keras"
METADATA_FILE = "metadata.json"
METADATA_FORMAT_VERSION = 1

# The datasets `DomainClassifier.for_dataset` trains on by name, with the
# epochs that reach their plateau (89.9% test accuracy on Fashion-MNIST
# after 5 epochs; digits is 1,437 images, so it needs more epochs).
# `minutes_per_epoch`: the time of one training epoch on 2 CPU cores, fastest and
# slowest measured (Fashion-MNIST: 20 s on an AMD EPYC with AVX-512, 90 s on one
# without; digits: under a second), announced before a classifier is trained.
DOMAIN_DATASETS = {
    "fashion_mnist": {
        "image_size": 28,
        "channels": 1,
        "num_classes": 10,
        "epochs": 5,
        "minutes_per_epoch": (0.35, 1.5),
    },
    "digits": {"image_size": 8, "channels": 1, "num_classes": 10, "epochs": 40, "minutes_per_epoch": (0.01, 0.02)},
}
DEFAULT_SEED = 0
DIGITS_TEST_EVERY = 5  # digits: every 5th image (360 of 1,797) is held out.

_NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def domain_classifier_cache_dir() -> str:
    """Returns where `DomainClassifier.for_dataset` caches classifiers.

    `$GANKIT_CACHE/domain_classifiers` when `GANKIT_CACHE` is set, else
    `<keras home>/gankit/domain_classifiers` with Keras home `$KERAS_HOME`,
    else `~/.keras`. The environment is read at each call.
    """
    root = os.environ.get("GANKIT_CACHE")
    if not root:
        keras_home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
        root = os.path.join(keras_home, "gankit")
    return os.path.join(root, "domain_classifiers")


def domain_classifier_name(dataset: str, epochs: int | None = None, seed: int = DEFAULT_SEED) -> str:
    """Returns the name `for_dataset` gives a classifier of `dataset`.

    `domain_<dataset>_v<version>` for the default recipe, with
    `_epochs<E>_seed<S>` appended otherwise, so every recipe has its own
    cache folder and feature-cache key.

    Example:

        >>> domain_classifier_name("fashion_mnist")
        'domain_fashion_mnist_v1'
        >>> domain_classifier_name("digits", epochs=3)
        'domain_digits_v1_epochs3_seed0'
    """
    spec = _dataset_spec(dataset)
    epochs = spec["epochs"] if epochs is None else check_int(epochs, name="epochs", minimum=1)
    seed = check_int(seed, name="seed", minimum=0)
    name = f"domain_{dataset}_v{DOMAIN_CLASSIFIER_VERSION}"
    if (epochs, seed) != (spec["epochs"], DEFAULT_SEED):
        name += f"_epochs{epochs}_seed{seed}"
    return name


def build_domain_classifier(
    image_size: int = 28, channels: int = 1, num_classes: int = 10, seed: int = DEFAULT_SEED
) -> keras.Model:
    """Builds the (untrained) CNN of `DomainClassifier`.

    Two conv blocks (3x3 conv with 32 then 64 filters, ReLU, 2x2 max pool),
    dropout, a 128-unit ReLU layer named `"features"` (the FID features) and
    a linear layer named `"logits"`. All layers compute in float32 whatever
    the global dtype policy, and every initializer and dropout is seeded.

    Args:
        image_size: Height and width of the input, at least 4 (two 2x2
            poolings). Defaults to `28`.
        channels: 1 or 3. Defaults to `1`.
        num_classes: Number of classes, at least 2. Defaults to `10`.
        seed: Seed of the initializers and dropout layers. Defaults to `0`.

    Returns:
        A `keras.Model` from images `(batch, image_size, image_size,
        channels)` in [0, 1] to logits `(batch, num_classes)`.

    Raises:
        TypeError: If an argument is not an integer.
        ValueError: If an argument is out of range.

    Example:

        >>> build_domain_classifier(image_size=8).output_shape
        (None, 10)
    """
    image_size = check_int(image_size, name="image_size", minimum=4)
    channels = int(check_choice(channels, name="channels", choices=(1, 3)))
    num_classes = check_int(num_classes, name="num_classes", minimum=2)
    seed = check_int(seed, name="seed", minimum=0)
    seeds = iter(range(seed * 100, seed * 100 + 100))  # One distinct seed per layer.

    def glorot():
        return keras.initializers.GlorotUniform(seed=next(seeds))

    inputs = keras.Input((image_size, image_size, channels), name="images")
    x = inputs
    for filters in (32, 64):
        x = keras.layers.Conv2D(
            filters, 3, padding="same", activation="relu", kernel_initializer=glorot(), dtype="float32"
        )(x)
        x = keras.layers.MaxPooling2D(2, dtype="float32")(x)
    x = keras.layers.Flatten(dtype="float32")(x)
    x = keras.layers.Dropout(0.25, seed=next(seeds), dtype="float32")(x)
    x = keras.layers.Dense(
        DOMAIN_FEATURE_DIM, activation="relu", kernel_initializer=glorot(), dtype="float32", name="features"
    )(x)
    x = keras.layers.Dropout(0.5, seed=next(seeds), dtype="float32")(x)
    logits = keras.layers.Dense(num_classes, kernel_initializer=glorot(), dtype="float32", name="logits")(x)
    return keras.Model(inputs, logits, name="domain_classifier")


def _dataset_spec(dataset):
    if dataset not in DOMAIN_DATASETS:
        raise ValueError(
            f"`dataset` must be one of {sorted(DOMAIN_DATASETS)}. Received: dataset={dataset!r}. "
            "For another dataset, use `DomainClassifier.train(images, labels, name=...)`."
        )
    return DOMAIN_DATASETS[dataset]


def _check_labels(labels, num_images, num_classes=None, name="labels"):
    """Returns `labels` as int64 `(num_images,)` ids in [0, num_classes)."""
    if hasattr(labels, "numpy") and callable(labels.numpy):
        labels = labels.numpy()
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(
            f"`{name}` must hold integer class ids. Received: {name}.dtype={labels.dtype}. "
            "One-hot labels convert with `labels.argmax(axis=-1)`."
        )
    if labels.shape != (num_images,):
        raise ValueError(
            f"`{name}` must have shape (num_images,) = ({num_images},), one class id per "
            f"image. Received: {name}.shape={labels.shape}"
        )
    if labels.size and labels.min() < 0:
        raise ValueError(f"`{name}` must be class ids >= 0. Received: a label {int(labels.min())}")
    if num_classes is not None and labels.size and labels.max() >= num_classes:
        raise ValueError(
            f"`{name}` must be class ids < num_classes={num_classes}. Received: a label {int(labels.max())}"
        )
    return labels.astype(np.int64)


def _prepare(batch, image_size, channels):
    # Both steps are linear, so their order does not change the result;
    # channels first resizes a third of the values for RGB input.
    return resize(convert_channels(batch, channels), image_size, RESIZE_METHOD, RESIZE_ANTIALIAS)


def _prepare_all(images, image_size, channels, batch_size=1024):
    """Checks and prepares a whole image set, batch by batch, into one array."""
    images = check_images(images)
    prepared = np.empty((int(images.shape[0]), image_size, image_size, channels), np.float32)
    for start, batch in iterate_batches(images, batch_size):
        prepared[start : start + int(batch.shape[0])] = _prepare(batch, image_size, channels).numpy()
    return prepared


def _atomic_write(path, write):
    # Write beside the target, then rename: an interrupted save never leaves
    # a half-written file that a later `load` would take for a classifier.
    # The temporary name keeps the target's suffix (Keras checks it).
    temporary = os.path.join(os.path.dirname(path), f".tmp-{uuid.uuid4().hex}-{os.path.basename(path)}")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _inference_copy(model):
    """An uncompiled copy of `model` with its weights when it holds an optimizer's state, else `model`.

    Rebuilt from its config (`keras.models.clone_model` would compile the copy
    with the same optimizer); a model that cannot be rebuilt is kept as it is.
    """
    if getattr(model, "optimizer", None) is None:
        return model
    try:
        copy = type(model).from_config(model.get_config())
    except (NotImplementedError, TypeError, ValueError):
        return model
    copy.set_weights(model.get_weights())
    return copy


def _load_dataset(dataset):
    """Returns `((x_train, y_train), (x_test, y_test))`, images float32 NHWC in [0, 1]."""
    # A peer package, imported only when a classifier is trained by dataset name.
    import data_loaders

    if dataset == "fashion_mnist":
        train = data_loaders.load_fashion_mnist_arrays("train")
        test = data_loaders.load_fashion_mnist_arrays("test")
    else:
        images, labels = data_loaders.load_digits_arrays()
        held_out = np.arange(len(images)) % DIGITS_TEST_EVERY == 0
        train = images[~held_out], labels[~held_out]
        test = images[held_out], labels[held_out]
    return tuple(
        ((images[..., None] / np.float32(255.0)).astype(np.float32), labels) for images, labels in (train, test)
    )


class DomainClassifier(FeatureExtractor):
    """A CNN classifier of one dataset, used as a FID/IS feature extractor.

    Train one with `DomainClassifier.train(images, labels, name=...)`, or get
    the cached classifier of a dataset gankit knows with
    `DomainClassifier.for_dataset("fashion_mnist")` (trained and saved on
    first use). Features are the 128-d ReLU outputs of the `"features"`
    layer; logits are the outputs of the last layer.

    Input images are NHWC floats in [0, 1] of any size with 1 or 3
    channels: they are converted to the classifier's channels (RGB to gray
    with `tf.image.rgb_to_grayscale`'s BT.601 weights, gray to RGB by
    repetition) and resized to its `image_size` with
    `tf.image.resize(method="bilinear", antialias=True)`. Training images go
    through the same steps.

    Args:
        model: A trained `keras.Model` from `(batch, size, size, channels)`
            to logits `(batch, num_classes)`, with a layer named `"features"`
            (what `build_domain_classifier` builds).
        name: Stable identifier of this classifier and its weights; it keys
            feature caches, so retrain under a new name. Letters, digits,
            `_`, `.` and `-`, starting with a letter or digit.
        test_accuracy: Accuracy on held-out images, or `None`. Defaults to
            `None`.

    Attributes:
        name: The identifier given to the constructor.
        feature_dim: Length of the feature vectors (128 for the default
            network).
        num_classes: Number of classes of the logits.
        image_size: Side of the square images the classifier reads.
        channels: Channels of those images.
        test_accuracy: Accuracy on held-out images, or `None`.
        classifier: The single-output Keras model (images to logits).

    Raises:
        TypeError: If `model` is not a `keras.Model`, `name` not a string
            or `test_accuracy` neither `None` nor a number.
        ValueError: If `model` lacks a `"features"` layer, does not take
            square NHWC images with 1 or 3 channels, `name` is malformed, or
            `test_accuracy` is NaN or infinite.

    Example:

        >>> classifier = DomainClassifier.for_dataset("fashion_mnist")  # doctest: +SKIP
        >>> classifier.features(np.zeros((5, 28, 28, 1))).shape  # doctest: +SKIP
        (5, 128)
    """

    def __init__(self, model: keras.Model, name: str, test_accuracy: float | None = None) -> None:
        if not isinstance(model, keras.Model):
            raise TypeError(f"`model` must be a `keras.Model`. Received: model={model!r}")
        if not isinstance(name, str):
            raise TypeError(f"`name` must be a string. Received: name={name!r}")
        if not _NAME_PATTERN.fullmatch(name):
            raise ValueError(
                "`name` must be letters, digits, '_', '.' or '-', starting with a letter "
                f"or digit (it names a folder and a cache key). Received: name={name!r}"
            )
        input_shape = tuple(model.input_shape)
        if len(input_shape) != 4 or input_shape[1] != input_shape[2] or input_shape[3] not in (1, 3):
            raise ValueError(
                f"`model` must take square NHWC images with 1 or 3 channels. Received: model.input_shape={input_shape}"
            )
        try:
            features_layer = model.get_layer("features")
        except ValueError as error:
            raise ValueError(
                "`model` must have a layer named 'features' (the penultimate layer); "
                "build it with `build_domain_classifier`."
            ) from error
        self.classifier = model
        self.name = name
        self.image_size = int(input_shape[1])
        self.channels = int(input_shape[3])
        self.num_classes = int(model.output_shape[-1])
        self.feature_dim = int(features_layer.output.shape[-1])
        self.test_accuracy = None if test_accuracy is None else check_number(test_accuracy, name="test_accuracy")
        super().__init__(keras.Model(model.input, [features_layer.output, model.output]))

    def prepare(self, batch: tf.Tensor) -> tf.Tensor:
        """Converts channels and resizes to the classifier's input."""
        return _prepare(batch, self.image_size, self.channels)

    def accuracy(self, images: tf.Tensor | ArrayLike, labels: tf.Tensor | ArrayLike, batch_size: int = 64) -> float:
        """Returns the fraction of `images` whose argmax logit is the label.

        Args:
            images: NHWC floats in [0, 1], as for `features`.
            labels: Integer class ids `(n,)`.
            batch_size: Images per forward pass. Defaults to `64`.

        Returns:
            A float in [0, 1].

        Raises:
            TypeError: If `labels` are not integers.
            ValueError: If `labels` do not match `images` or the classes.
        """
        images = check_images(images)
        labels = _check_labels(labels, int(images.shape[0]), self.num_classes)
        if not labels.size:
            raise ValueError("`images` must not be empty to measure an accuracy.")
        predictions = np.argmax(self.logits(images, batch_size=batch_size), axis=-1)
        return float(np.mean(predictions == labels))

    @classmethod
    def train(
        cls,
        images: tf.Tensor | ArrayLike,
        labels: tf.Tensor | ArrayLike,
        *,
        name: str,
        image_size: int = 28,
        channels: int = 1,
        num_classes: int | None = None,
        epochs: int = 5,
        batch_size: int = 128,
        validation: tuple[tf.Tensor | ArrayLike, tf.Tensor | ArrayLike] | None = None,
        seed: int = DEFAULT_SEED,
        cache_dir: str | os.PathLike | None = None,
        verbose: int = 1,
    ) -> DomainClassifier:
        """Trains a classifier on labelled images with `fit()`.

        Adam (learning rate 1e-3) on the softmax cross-entropy, the training
        set shuffled each epoch with `seed`. Images are prepared as in
        `features` (channels, resize) first.

        Args:
            images: NHWC floats in [0, 1], any size, 1 or 3 channels.
            labels: Integer class ids `(n,)` in [0, num_classes).
            name: The classifier's name (see the class docstring).
            image_size: Input height and width of the classifier, at least 4.
                Defaults to `28`.
            channels: Input channels of the classifier, 1 or 3. Defaults to
                `1`.
            num_classes: Number of classes, or `None` for `max(labels) + 1`.
                Defaults to `None`.
            epochs: Passes over the training images. Defaults to `5`.
            batch_size: Images per training step. Defaults to `128`.
            validation: `(images, labels)` held out from training, or `None`.
                When given, the accuracy on them is stored in
                `test_accuracy` (and printed when `verbose`). Defaults to
                `None`.
            seed: Seed of the initializers, dropout and shuffling. Defaults
                to `0`.
            cache_dir: `None`, or a folder to save the trained classifier
                into, as `<cache_dir>/<name>` (see `save`). Training always
                happens; `for_dataset` is the function that reuses a cache.
                Defaults to `None`.
            verbose: Keras `fit` verbosity (0, 1 or 2); 0 also silences the
                accuracy line. Defaults to `1`.

        Returns:
            The trained `DomainClassifier`.

        Raises:
            TypeError: If an argument has the wrong type (e.g. float labels,
                uint8 images).
            ValueError: If an argument is out of range, labels do not match
                the images, or `validation` is not an `(images, labels)`
                pair.

        Example:

            >>> import data_loaders
            >>> digits, labels = data_loaders.load_digits_arrays()
            >>> classifier = DomainClassifier.train(
            ...     digits[:200, ..., None] / 255, labels[:200], name="digits_demo",
            ...     image_size=8, epochs=1, verbose=0)
            >>> classifier.num_classes, classifier.feature_dim
            (10, 128)
        """
        if not isinstance(name, str):
            raise TypeError(f"`name` must be a string. Received: name={name!r}")
        if not _NAME_PATTERN.fullmatch(name):
            raise ValueError(
                "`name` must be letters, digits, '_', '.' or '-', starting with a letter "
                f"or digit (it names a folder and a cache key). Received: name={name!r}"
            )
        image_size = check_int(image_size, name="image_size", minimum=4)
        channels = int(check_choice(channels, name="channels", choices=(1, 3)))
        epochs = check_int(epochs, name="epochs", minimum=1)
        batch_size = check_int(batch_size, name="batch_size", minimum=1)
        seed = check_int(seed, name="seed", minimum=0)
        verbose = check_int(verbose, name="verbose", minimum=0)
        if cache_dir is not None:
            cache_dir = check_path(cache_dir, name="cache_dir")
        if num_classes is not None:
            num_classes = check_int(num_classes, name="num_classes", minimum=2)
        images = check_images(images)
        if int(images.shape[0]) == 0:
            raise ValueError(f"`images` must not be empty. Received: images.shape={tuple(images.shape)}")
        labels = _check_labels(labels, int(images.shape[0]), num_classes)
        if num_classes is None:
            num_classes = int(labels.max()) + 1
            if num_classes < 2:
                raise ValueError(
                    "`labels` must name at least 2 classes to train a classifier. "
                    f"Received: labels with max {int(labels.max())}"
                )
        if validation is not None:
            if not isinstance(validation, (tuple, list)) or len(validation) != 2:
                raise ValueError(
                    "`validation` must be an `(images, labels)` pair or `None`. "
                    f"Received: validation of type {type(validation).__name__}"
                )
            validation_images = check_images(validation[0])
            validation_labels = _check_labels(
                validation[1], int(validation_images.shape[0]), num_classes, name="validation labels"
            )
            if not validation_labels.size:
                raise ValueError("`validation` images must not be empty.")

        prepared = _prepare_all(images, image_size, channels)
        dataset = (
            tf.data.Dataset.from_tensor_slices((prepared, labels))
            .shuffle(len(prepared), seed=seed, reshuffle_each_iteration=True)
            .batch(batch_size)
        )
        model = build_domain_classifier(image_size, channels, num_classes, seed)
        model.compile(
            optimizer=keras.optimizers.Adam(LEARNING_RATE),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
        )
        model.fit(dataset, epochs=epochs, verbose=verbose, shuffle=False)  # `dataset` shuffles.
        classifier = cls(model, name=name)
        if validation is not None:
            classifier.test_accuracy = classifier.accuracy(validation_images, validation_labels)
            if verbose:
                print(
                    f"DomainClassifier {name!r}: test accuracy {classifier.test_accuracy:.4f} "
                    f"on {len(validation_labels)} held-out images"
                )
        if cache_dir is not None:
            classifier.save(os.path.join(cache_dir, name))
        return classifier

    @classmethod
    def for_dataset(
        cls,
        dataset: str,
        *,
        cache_dir: str | os.PathLike | None = None,
        epochs: int | None = None,
        seed: int = DEFAULT_SEED,
        verbose: int = 1,
    ) -> DomainClassifier:
        """Returns the classifier of a known dataset, trained once and cached.

        Looks for `<cache_dir>/<name>` (name from `domain_classifier_name`)
        and loads it; otherwise trains on the dataset's training split,
        measures `test_accuracy` on its test split and saves it there. The
        data come from `data_loaders`: Fashion-MNIST from the Debian
        `dataset-fashion-mnist` files when installed (else Keras' download),
        digits from scikit-learn (every 5th image held out). With `verbose`,
        says before training what it trains, for how long (measured on 2 CPU
        cores) and where the classifier will be cached.

        Args:
            dataset: `"fashion_mnist"` (28x28, 60,000 training images) or
                `"digits"` (8x8, 1,437 training images).
            cache_dir: Folder of cached classifiers, or `None` for
                `domain_classifier_cache_dir()` (`$GANKIT_CACHE/domain_classifiers`,
                else `~/.keras/gankit/domain_classifiers`). Defaults to `None`.
            epochs: Training epochs, or `None` for the dataset's default (5
                for Fashion-MNIST, 40 for digits). Defaults to `None`.
            seed: Training seed. Defaults to `0`.
            verbose: Training verbosity (see `train`). Defaults to `1`.

        Returns:
            A `DomainClassifier`.

        Raises:
            ValueError: If `dataset` is unknown, or the cached classifier
                under that name is another one.
            FileNotFoundError: If the dataset's files are missing offline.

        Example:

            >>> classifier = DomainClassifier.for_dataset("digits", verbose=0)  # doctest: +SKIP
            >>> classifier.name, classifier.image_size  # doctest: +SKIP
            ('domain_digits_v1', 8)
        """
        spec = _dataset_spec(dataset)
        name = domain_classifier_name(dataset, epochs, seed)
        epochs = spec["epochs"] if epochs is None else epochs
        root = domain_classifier_cache_dir() if cache_dir is None else check_path(cache_dir, name="cache_dir")
        directory = os.path.join(root, name)
        if os.path.isfile(os.path.join(directory, METADATA_FILE)):
            classifier = cls.load(directory)
            if classifier.name != name:
                raise ValueError(
                    f"The classifier cached in {directory!r} is named {classifier.name!r}, "
                    f"not {name!r}. Remove that folder to retrain."
                )
            return classifier
        (train_images, train_labels), validation = _load_dataset(dataset)
        if verbose:
            fastest, slowest = (minutes * epochs for minutes in spec["minutes_per_epoch"])
            duration = "under a minute" if slowest < 1 else f"about {max(fastest, 1):.0f}-{slowest:.0f} min"
            print(
                f"Training the {dataset} domain classifier (once; later runs load it): {epochs} "
                f"epoch{'s' if epochs != 1 else ''} over {len(train_images):,} images, {duration} on 2 CPU cores. "
                f"It will be cached in {directory}."
            )
        return cls.train(
            train_images,
            train_labels,
            name=name,
            image_size=spec["image_size"],
            channels=spec["channels"],
            num_classes=spec["num_classes"],
            epochs=epochs,
            validation=validation,
            seed=seed,
            cache_dir=root,
            verbose=verbose,
        )

    def get_config(self) -> dict[str, str | int | float | None]:
        """Returns the metadata saved beside the model (not the weights)."""
        return {
            "name": self.name,
            "image_size": self.image_size,
            "channels": self.channels,
            "num_classes": self.num_classes,
            "feature_dim": self.feature_dim,
            "test_accuracy": self.test_accuracy,
        }

    def save(self, directory: str | os.PathLike) -> None:
        """Saves the classifier as `<directory>/model.keras` and `metadata.json`.

        The model is saved without its training state (the optimizer's
        moments), a third of the size of a compiled model's file, when it
        can be rebuilt from its config (a functional model, as
        `build_domain_classifier` builds); features, logits and `load` need
        only the weights.

        The metadata (name, image_size, channels, num_classes, feature_dim,
        test_accuracy) is written last, so a folder with `metadata.json`
        always holds a complete classifier. Both files are replaced
        atomically.

        Args:
            directory: The folder, created when missing.

        Raises:
            TypeError: If `directory` is not a string or path.
        """
        directory = check_path(directory, name="directory")
        os.makedirs(directory, exist_ok=True)
        _atomic_write(os.path.join(directory, MODEL_FILE), _inference_copy(self.classifier).save)
        metadata = {"format_version": METADATA_FORMAT_VERSION, **self.get_config()}

        def write_metadata(path):
            with open(path, "w", encoding="utf-8") as file:
                json.dump(metadata, file, indent=2)

        _atomic_write(os.path.join(directory, METADATA_FILE), write_metadata)

    @classmethod
    def load(cls, directory: str | os.PathLike) -> DomainClassifier:
        """Loads a classifier written by `save` (Keras `safe_mode=True`).

        Args:
            directory: The folder given to `save`.

        Returns:
            A `DomainClassifier` whose outputs equal the saved one's.

        Raises:
            FileNotFoundError: If the folder lacks `metadata.json` or
                `model.keras`.
            ValueError: If the metadata is of an unknown format or does not
                match the model.
        """
        directory = check_path(directory, name="directory")
        metadata_path = os.path.join(directory, METADATA_FILE)
        model_path = os.path.join(directory, MODEL_FILE)
        for path in (metadata_path, model_path):
            if not os.path.isfile(path):
                raise FileNotFoundError(
                    f"No saved DomainClassifier in {directory!r}: {os.path.basename(path)!r} "
                    "is missing. Save one with `classifier.save(directory)`, or train and "
                    "cache one with `DomainClassifier.for_dataset(...)`."
                )
        with open(metadata_path, encoding="utf-8") as file:
            metadata = json.load(file)
        if metadata.get("format_version") != METADATA_FORMAT_VERSION:
            raise ValueError(
                f"{metadata_path!r} has format_version {metadata.get('format_version')!r}; "
                f"this gankit reads version {METADATA_FORMAT_VERSION}. Retrain the classifier."
            )
        model = keras.saving.load_model(model_path, compile=False, safe_mode=True)
        classifier = cls(model, name=metadata["name"], test_accuracy=metadata.get("test_accuracy"))
        saved = {key: metadata.get(key) for key in classifier.get_config()}
        if saved != classifier.get_config():
            raise ValueError(
                f"{metadata_path!r} does not match {model_path!r}. Received: metadata "
                f"{saved}, model {classifier.get_config()}"
            )
        return classifier
