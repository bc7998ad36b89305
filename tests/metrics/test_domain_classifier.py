"""DomainClassifier: training on real data, save/load, the dataset cache, input checks.

Training runs on real images, kept small (a few hundred to 1,437 images, 1-2
epochs, about a second each). The accuracy bound 0.5 for 10 classes: chance
is 0.1, and a chance-level classifier reaches 0.5 on 360 held-out images
with probability below 1e-40 (binomial, 25 standard deviations), while
these settings measured 0.72-0.74 (Fashion-MNIST) and 0.85-0.90 (digits)
for seeds 0-2. The full Fashion-MNIST classifier (60,000 images, 5 epochs)
reached 0.899 test accuracy; that run takes minutes and is not a test.
"""

import os
import zipfile

import keras
import numpy as np
import pytest
import tensorflow as tf

import data_loaders
from gankit.metrics.domain_classifier import DOMAIN_FEATURE_DIM
from gankit.metrics.domain_classifier import MODEL_FILE
from gankit.metrics.domain_classifier import DomainClassifier
from gankit.metrics.domain_classifier import build_domain_classifier
from gankit.metrics.domain_classifier import domain_classifier_cache_dir
from gankit.metrics.domain_classifier import domain_classifier_name

CHANCE_BOUND = 0.5  # See the module docstring.


def _as_float_images(images):
    return images[..., None].astype("float32") / 255.0


@pytest.fixture(scope="module")
def digits():
    pytest.importorskip("sklearn", reason="the digits dataset ships with scikit-learn")
    images, labels = data_loaders.load_digits_arrays()
    held_out = np.arange(len(images)) % 5 == 0
    images = _as_float_images(images)
    return (images[~held_out], labels[~held_out]), (images[held_out], labels[held_out])


@pytest.fixture(scope="module")
def digits_classifier(digits):
    (train_images, train_labels), validation = digits
    return DomainClassifier.train(
        train_images,
        train_labels,
        name="test_digits",
        image_size=8,
        epochs=2,
        batch_size=32,
        validation=validation,
        verbose=0,
    )


def test_trained_on_digits_beats_chance(digits_classifier, digits):
    assert digits_classifier.test_accuracy > CHANCE_BOUND
    assert digits_classifier.accuracy(*digits[1]) == digits_classifier.test_accuracy


@pytest.mark.slow
def test_trained_on_fashion_mnist_beats_chance(capsys):
    if not os.path.isdir(data_loaders.DEBIAN_FASHION_MNIST_DIR):
        pytest.skip(
            f"Fashion-MNIST is not installed in {data_loaders.DEBIAN_FASHION_MNIST_DIR} "
            "(apt-get install dataset-fashion-mnist)"
        )
    train_images, train_labels = data_loaders.load_fashion_mnist_arrays("train")
    test_images, test_labels = data_loaders.load_fashion_mnist_arrays("test")
    classifier = DomainClassifier.train(
        _as_float_images(train_images[:1000]),
        train_labels[:1000],
        name="test_fashion_mnist",
        epochs=2,
        batch_size=32,
        validation=(_as_float_images(test_images[:1000]), test_labels[:1000]),
        verbose=2,
    )
    assert classifier.test_accuracy > CHANCE_BOUND
    assert f"test accuracy {classifier.test_accuracy:.4f} on 1000 held-out images" in capsys.readouterr().out
    assert (classifier.image_size, classifier.channels, classifier.num_classes) == (28, 1, 10)


def test_outputs_follow_the_protocol(digits_classifier, digits):
    images = digits[1][0][:5]
    features, logits = digits_classifier.features_and_logits(images)
    assert features.shape == (5, DOMAIN_FEATURE_DIM) and logits.shape == (5, 10)
    assert features.dtype == np.float32 and logits.dtype == np.float32
    assert np.all(features >= 0.0)  # ReLU features.
    # Oracle: the Keras model itself, its "features" layer and its output.
    model = digits_classifier.classifier
    np.testing.assert_allclose(logits, model(images).numpy(), rtol=1e-5, atol=1e-6)
    penultimate = keras.Model(model.input, model.get_layer("features").output)
    np.testing.assert_allclose(features, penultimate(images).numpy(), rtol=1e-5, atol=1e-6)
    assert digits_classifier.name == "test_digits"
    assert (digits_classifier.feature_dim, digits_classifier.num_classes) == (128, 10)


def test_rgb_and_larger_images_are_converted_and_resized(digits_classifier, digits):
    gray = digits[1][0][:3]
    larger_rgb = tf.image.resize(np.repeat(gray, 3, axis=-1), (20, 20), method="nearest").numpy()
    # What the classifier documents: BT.601 gray, then antialiased bilinear resize.
    expected_input = tf.image.resize(tf.image.rgb_to_grayscale(larger_rgb), (8, 8), method="bilinear", antialias=True)
    np.testing.assert_allclose(
        digits_classifier.features(larger_rgb),
        digits_classifier.features(expected_input.numpy()),
        rtol=1e-5,
        atol=1e-6,
    )


@pytest.mark.cpu_invariance
def test_features_do_not_depend_on_batch_size(digits_classifier, digits):
    images = digits[1][0][:50]
    np.testing.assert_allclose(
        digits_classifier.features(images, batch_size=1),
        digits_classifier.features(images, batch_size=64),
        rtol=1e-5,
        atol=1e-6,
    )


def test_save_then_load_gives_identical_outputs(digits_classifier, digits, tmp_path):
    directory = tmp_path / "saved"
    digits_classifier.save(directory)
    assert sorted(os.listdir(directory)) == ["metadata.json", "model.keras"]
    loaded = DomainClassifier.load(directory)
    assert loaded.get_config() == digits_classifier.get_config()
    images = digits[1][0][:20]
    for got, want in zip(loaded.features_and_logits(images), digits_classifier.features_and_logits(images)):
        np.testing.assert_array_equal(got, want)


def test_save_leaves_out_the_optimizer_state(digits_classifier, tmp_path):
    # A trained classifier is compiled (Adam's two moments per weight); the saved file holds the
    # weights alone, so its weight file is about a third of what the compiled model would write.
    assert digits_classifier.classifier.optimizer is not None
    digits_classifier.save(tmp_path / "lean")
    digits_classifier.classifier.save(tmp_path / "compiled.keras")
    with zipfile.ZipFile(tmp_path / "lean" / MODEL_FILE) as lean, zipfile.ZipFile(tmp_path / "compiled.keras") as full:
        lean_names = _h5_groups(lean.read("model.weights.h5"), tmp_path / "lean.h5")
        full_names = _h5_groups(full.read("model.weights.h5"), tmp_path / "full.h5")
    assert "optimizer" in full_names and "optimizer" not in lean_names
    weights = sum(int(np.prod(w.shape)) for w in digits_classifier.classifier.weights)
    assert os.path.getsize(tmp_path / "lean.h5") < 4 * weights * 1.5 < os.path.getsize(tmp_path / "full.h5")
    # Saving does not strip the classifier in memory.
    assert digits_classifier.classifier.optimizer is not None


def _h5_groups(data, path):
    h5py = pytest.importorskip("h5py")
    path.write_bytes(data)
    with h5py.File(path, "r") as file:
        return set(file.keys())


def test_for_dataset_trains_once_then_reuses_the_cache(tmp_path, monkeypatch, digits):
    monkeypatch.setenv("GANKIT_CACHE", str(tmp_path))
    first = DomainClassifier.for_dataset("digits", epochs=1, verbose=0)
    directory = tmp_path / "domain_classifiers" / "domain_digits_v1_epochs1_seed0"
    assert first.name == "domain_digits_v1_epochs1_seed0"
    assert sorted(os.listdir(directory)) == ["metadata.json", "model.keras"]
    assert 0.0 <= first.test_accuracy <= 1.0
    modified = os.path.getmtime(directory / MODEL_FILE)

    def no_training(*args, **kwargs):
        raise AssertionError("for_dataset retrained instead of loading the cache")

    monkeypatch.setattr(DomainClassifier, "train", no_training)
    second = DomainClassifier.for_dataset("digits", epochs=1, verbose=0)
    assert os.path.getmtime(directory / MODEL_FILE) == modified
    assert second.get_config() == first.get_config()
    images = digits[1][0][:10]
    np.testing.assert_array_equal(second.features(images), first.features(images))


def test_same_seed_reproduces_training(digits):
    (images, labels), _ = digits
    runs = [
        DomainClassifier.train(
            images[:256], labels[:256], name="seeded", image_size=8, epochs=1, batch_size=64, seed=3, verbose=0
        ).features(images[:8])
        for _ in range(2)
    ]
    np.testing.assert_allclose(runs[0], runs[1], rtol=1e-6, atol=1e-7)
    first, other = (build_domain_classifier(image_size=8, seed=seed).get_layer("features") for seed in (3, 4))
    assert not np.allclose(first.kernel.numpy(), other.kernel.numpy())


def test_cache_dir_and_names():
    assert domain_classifier_name("fashion_mnist") == "domain_fashion_mnist_v1"
    assert domain_classifier_name("fashion_mnist", epochs=5, seed=0) == "domain_fashion_mnist_v1"
    assert domain_classifier_name("digits", epochs=40, seed=2) == "domain_digits_v1_epochs40_seed2"


@pytest.mark.parametrize(
    "environment, expected",
    [
        ({"GANKIT_CACHE": "/cache", "KERAS_HOME": "/keras"}, "/cache/domain_classifiers"),
        ({"KERAS_HOME": "/keras"}, "/keras/gankit/domain_classifiers"),
        ({}, os.path.join(os.path.expanduser("~"), ".keras", "gankit", "domain_classifiers")),
    ],
)
def test_default_cache_dir(monkeypatch, environment, expected):
    for variable in ("GANKIT_CACHE", "KERAS_HOME"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert domain_classifier_cache_dir() == expected


def test_network_computes_in_float32_under_mixed_precision():
    keras.mixed_precision.set_dtype_policy("mixed_float16")
    model = build_domain_classifier(image_size=8, num_classes=3)
    assert {weight.dtype for weight in model.weights} == {"float32"}
    assert model(np.zeros((1, 8, 8, 1), "float32")).dtype == "float32"
    assert model.get_layer("features").units == DOMAIN_FEATURE_DIM


_IMAGES = np.zeros((6, 8, 8, 1), "float32")
_LABELS = np.array([0, 1, 2, 0, 1, 2])


@pytest.mark.parametrize(
    "images, labels, kwargs, error, match",
    [
        (_IMAGES, _LABELS.astype("float32"), {}, TypeError, "integer class ids"),
        (_IMAGES, _LABELS[:5], {}, ValueError, "one class id per image"),
        (_IMAGES, _LABELS - 1, {}, ValueError, ">= 0"),
        (_IMAGES, _LABELS, {"num_classes": 2}, ValueError, "< num_classes=2"),
        (_IMAGES, np.zeros(6, "int32"), {}, ValueError, "at least 2 classes"),
        ((_IMAGES * 255).astype("uint8"), _LABELS, {}, TypeError, "images / 255"),
        (_IMAGES[..., 0], _LABELS, {}, ValueError, "4-D NHWC"),
        (_IMAGES[:0], _LABELS[:0], {}, ValueError, "must not be empty"),
        (_IMAGES, _LABELS, {"name": "../escape"}, ValueError, "`name`"),
        (_IMAGES, _LABELS, {"name": 7}, TypeError, "`name`"),
        (_IMAGES, _LABELS, {"image_size": 2}, ValueError, "image_size"),
        (_IMAGES, _LABELS, {"channels": 2}, ValueError, "channels"),
        (_IMAGES, _LABELS, {"epochs": 0}, ValueError, "epochs"),
        (_IMAGES, _LABELS, {"validation": _IMAGES}, ValueError, "`validation`"),
        (_IMAGES, _LABELS, {"validation": (_IMAGES, _LABELS + 5)}, ValueError, "validation labels"),
    ],
)
def test_bad_training_arguments_are_rejected(images, labels, kwargs, error, match):
    kwargs = {"name": "bad", "image_size": 8, "verbose": 0, **kwargs}
    with pytest.raises(error, match=match):
        DomainClassifier.train(images, labels, **kwargs)


def test_bad_models_datasets_and_folders_are_rejected(tmp_path):
    with pytest.raises(TypeError, match="keras.Model"):
        DomainClassifier("not a model", name="x")
    no_features = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(), keras.layers.Dense(3)])
    with pytest.raises(ValueError, match="'features'"):
        DomainClassifier(no_features, name="x")
    with pytest.raises(ValueError, match="fashion_mnist"):
        DomainClassifier.for_dataset("cifar10", cache_dir=tmp_path)
    with pytest.raises(FileNotFoundError, match="metadata.json"):
        DomainClassifier.load(tmp_path)


def test_for_dataset_announces_what_it_trains_and_where_it_caches(tmp_path, capsys):
    DomainClassifier.for_dataset("digits", cache_dir=tmp_path, epochs=1, verbose=1)
    out = capsys.readouterr().out
    # 1,797 digits, every 5th held out: 1,437 training images.
    assert "Training the digits domain classifier (once; later runs load it): 1 epoch over 1,437 images" in out
    assert "under a minute on 2 CPU cores" in out
    assert f"cached in {tmp_path / 'domain_digits_v1_epochs1_seed0'}" in out
    DomainClassifier.for_dataset("digits", cache_dir=tmp_path, epochs=1, verbose=1)
    assert "Training" not in capsys.readouterr().out  # Loaded from the cache.
