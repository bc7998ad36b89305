"""InceptionFeatures: offline weight lookup, and outputs checked against Keras' own model.

No test touches the network: the ImageNet file is replaced by the weights of
a randomly initialised `keras.applications.InceptionV3`, saved by the tests.
InceptionV3 costs ~0.1 s per 299x299 image on a CPU, so tests use <= 3
images and share one extractor.
"""

import os

import h5py
import keras
import numpy as np
import pytest
import tensorflow as tf

from gankit.metrics import inception
from gankit.metrics.inception import INCEPTION_WEIGHTS_FILE
from gankit.metrics.inception import INCEPTION_WEIGHTS_MD5
from gankit.metrics.inception import INCEPTION_WEIGHTS_URL
from gankit.metrics.inception import InceptionFeatures


def _save_legacy_h5(model, path):
    # The format of Keras' downloadable ImageNet file (Keras 3 writes only
    # `.weights.h5` publicly, so the legacy writer is reached directly).
    from keras.src.legacy.saving import legacy_h5_format

    with h5py.File(path, "w") as file:
        legacy_h5_format.save_weights_to_hdf5_group(file, model)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """Keras' softmax InceptionV3, random weights, saved twice: `.weights.h5` and a Keras cache."""
    model = keras.applications.InceptionV3(weights=None)
    directory = tmp_path_factory.mktemp("inception")
    weights_path = str(directory / "random_inception.weights.h5")
    model.save_weights(weights_path)
    keras_home = directory / "keras_home"
    (keras_home / "models").mkdir(parents=True)
    _save_legacy_h5(model, keras_home / "models" / INCEPTION_WEIGHTS_FILE)
    # One eager call gives Keras' pool3 features and softmax probabilities.
    outputs = keras.Model(model.input, [model.get_layer("avg_pool").output, model.output])
    return {"outputs": outputs, "weights_path": weights_path, "keras_home": str(keras_home)}


@pytest.fixture(scope="module")
def extractor(reference):
    return InceptionFeatures(weights=reference["weights_path"])


def test_missing_imagenet_weights_name_the_file_the_place_and_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(FileNotFoundError) as info:
        InceptionFeatures()
    message = str(info.value)
    assert INCEPTION_WEIGHTS_FILE in message
    assert str(tmp_path / "models") in message
    assert INCEPTION_WEIGHTS_URL in message
    assert "allow_download=True" in message and "DomainClassifier" in message


def test_missing_weights_path_raises(tmp_path):
    with pytest.raises(FileNotFoundError, match="weights file not found"):
        InceptionFeatures(weights=str(tmp_path / "absent.h5"))


def test_allow_download_uses_keras_get_file(tmp_path, monkeypatch):
    calls = []

    def fake_get_file(**kwargs):
        calls.append(kwargs)
        raise ConnectionError("no network in tests")

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(keras.utils, "get_file", fake_get_file)
    with pytest.raises(ConnectionError):
        InceptionFeatures(allow_download=True)
    assert calls == [
        {
            "fname": INCEPTION_WEIGHTS_FILE,
            "origin": INCEPTION_WEIGHTS_URL,
            "cache_dir": str(tmp_path),
            "cache_subdir": "models",
            "file_hash": INCEPTION_WEIGHTS_MD5,
        }
    ]


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"weights": None}, ValueError, "meaningless"),
        ({"weights": 3}, TypeError, "weights"),
        ({"weights": "inception.keras"}, ValueError, "weights.h5"),
        ({"resize_method": "cubic"}, ValueError, "resize_method"),
        ({"antialias": "yes"}, TypeError, "antialias"),
        ({"allow_download": 1}, TypeError, "allow_download"),
        ({"resize_method": "bilinear_tf1", "antialias": True}, ValueError, "no TF1 counterpart"),
    ],
)
def test_bad_arguments_are_rejected(kwargs, error, match):
    with pytest.raises(error, match=match):
        InceptionFeatures(**kwargs)


@pytest.mark.slow
def test_features_and_logits_match_the_keras_model(extractor, reference, rng):
    images = rng.uniform(size=(2, 299, 299, 3)).astype("float32")
    features, logits = extractor.features_and_logits(images)
    assert features.shape == (2, 2048) and logits.shape == (2, 1000)
    assert features.dtype == np.float32 and logits.dtype == np.float32
    # Keras' own preprocessing of [0, 255] pixels and its softmax model.
    pool3, probabilities = reference["outputs"](keras.applications.inception_v3.preprocess_input(images * 255.0))
    np.testing.assert_allclose(features, pool3.numpy(), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(tf.nn.softmax(logits).numpy(), probabilities.numpy(), rtol=1e-4, atol=1e-7)


@pytest.mark.slow
def test_small_grayscale_images_are_resized_bilinear_and_repeated(extractor, reference, rng):
    gray = rng.uniform(size=(2, 32, 32, 1)).astype("float32")
    resized = tf.image.resize(gray, (299, 299), method="bilinear", antialias=False).numpy()
    expected = reference["outputs"](2.0 * np.repeat(resized, 3, axis=-1) - 1.0)[0].numpy()
    features = extractor.features(gray)
    np.testing.assert_allclose(features, expected, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(features, extractor.features(np.repeat(gray, 3, axis=-1)), rtol=1e-5, atol=1e-7)


def test_features_do_not_depend_on_batch_size(extractor, rng):
    images = rng.uniform(size=(3, 32, 32, 3)).astype("float32")
    one, one_logits = extractor.features_and_logits(images, batch_size=1)
    three, three_logits = extractor.features_and_logits(images, batch_size=3)
    np.testing.assert_allclose(one, three, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(one_logits, three_logits, rtol=1e-5, atol=1e-6)


def test_name_and_config_of_a_weights_file(extractor, reference):
    assert extractor.name.startswith("inception_v3_pool3_")
    assert len(extractor.name) == len("inception_v3_pool3_") + 12
    assert (extractor.feature_dim, extractor.num_classes, extractor.image_size) == (2048, 1000, 299)
    assert extractor.get_config() == {
        "weights": reference["weights_path"],
        "resize_method": "bilinear",
        "antialias": False,
        "allow_download": False,
    }


@pytest.mark.slow
def test_imagenet_weights_come_from_the_keras_cache_in_float32(extractor, reference, rng, monkeypatch):
    # The legacy `.h5` layout of Keras' real file, under its real name, in
    # `$KERAS_HOME/models`; built under mixed precision to check the
    # extractor still computes in float32 and restores the policy.
    monkeypatch.setenv("KERAS_HOME", reference["keras_home"])
    keras.mixed_precision.set_dtype_policy("mixed_float16")
    cached = InceptionFeatures(resize_method="area")
    assert keras.mixed_precision.dtype_policy().name == "mixed_float16"
    assert cached.weights_path == os.path.join(reference["keras_home"], "models", INCEPTION_WEIGHTS_FILE)
    assert cached.name == "inception_v3_pool3_area"
    images = rng.uniform(size=(1, 299, 299, 3)).astype("float32")  # 299x299: no resizing.
    np.testing.assert_allclose(cached.features(images), extractor.features(images), rtol=1e-5, atol=1e-7)


def test_weights_of_another_model_are_rejected(tmp_path):
    other = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    path = str(tmp_path / "other.h5")
    _save_legacy_h5(other, path)
    with pytest.raises(ValueError, match="_notop"):
        InceptionFeatures(weights=path)


def test_keras_models_dir_follows_keras_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert inception.keras_models_dir() == str(tmp_path / "models")
    monkeypatch.delenv("KERAS_HOME")
    assert inception.keras_models_dir() == os.path.join(os.path.expanduser("~"), ".keras", "models")
