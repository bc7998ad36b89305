"""Bad input to the models gets one clear message, never a crash inside TensorFlow."""

import numpy as np
import pytest
import tensorflow as tf

from gankit.models import build_cgan
from gankit.models import build_dcgan


@pytest.fixture
def gan():
    return build_dcgan(image_shape=(16, 16, 1), latent_dim=8, filters=8)


def _dataset(array, batch_size=4, drop_remainder=True):
    return tf.data.Dataset.from_tensor_slices(array).batch(batch_size, drop_remainder=drop_remainder)


@pytest.mark.parametrize(
    "images, error, match",
    [
        (
            np.zeros((8, 16, 16), "float32"),
            ValueError,
            r"shape \(batch, 16, 16, 1\).*Received: a batch of shape \(4, 16, 16\)",
        ),
        (np.zeros((8, 16, 16, 3), "float32"), ValueError, r"Received: a batch of shape \(4, 16, 16, 3\)"),
        (np.zeros((8, 32, 32, 1), "float32"), ValueError, r"Received: a batch of shape \(4, 32, 32, 1\)"),
        (np.zeros((8, 16, 16, 1), "uint8"), TypeError, r"floating-point images.*Received: a batch of dtype uint8"),
    ],
    ids=["rank", "channels", "size", "dtype"],
)
def test_wrong_batches_are_refused_with_the_expected_and_received_shape(gan, images, error, match):
    with pytest.raises(error, match=match):
        gan.fit(_dataset(images), epochs=1, verbose=0)
    with pytest.raises(error, match=match):  # NumPy input goes through the same check
        gan.fit(images, batch_size=4, epochs=1, verbose=0)


def test_empty_dataset_is_refused_before_training(gan):
    steps = int(gan.step_counter.numpy())
    with pytest.raises(ValueError, match="yields no batch"):
        gan.fit(_dataset(np.zeros((0, 16, 16, 1), "float32")), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="yields no batch"):  # 3 images, batch 4, drop_remainder
        gan.fit(_dataset(np.zeros((3, 16, 16, 1), "float32")), epochs=1, verbose=0)
    assert int(gan.step_counter.numpy()) == steps


def test_dataset_of_unknown_size_that_yields_nothing_is_refused(gan):
    empty = tf.data.Dataset.from_tensor_slices(np.zeros((8, 16, 16, 1), "float32"))
    empty = empty.filter(lambda x: tf.reduce_max(x) > 1.0).batch(4)  # cardinality unknown
    with pytest.raises(ValueError, match="without a single training step"):
        gan.fit(empty, epochs=1, verbose=0)


def test_a_refused_fit_leaves_the_model_ready_for_good_data(gan):
    with pytest.raises(ValueError, match="Received: a batch of shape"):
        gan.fit(_dataset(np.zeros((8, 16, 16, 3), "float32")), epochs=1, verbose=0)
    history = gan.fit(_dataset(np.zeros((8, 16, 16, 1), "float32")), epochs=1, verbose=0)
    assert int(gan.step_counter.numpy()) == 2 and np.isfinite(history.history["d_loss"][0])


@pytest.mark.parametrize("labels", [[10, 3], [-1]])
def test_cgan_labels_outside_num_classes_are_refused(labels):
    cgan = build_cgan(num_classes=10, latent_dim=8, image_shape=(28, 28, 1), compile=False)
    with pytest.raises(ValueError, match=r"must lie in \[0, 9\].*Received"):
        cgan.generate(labels=labels, seed=0)


def _labelled(images, labels):
    return tf.data.Dataset.from_tensor_slices((images, labels)).batch(4, drop_remainder=True)


@pytest.mark.parametrize("bad_label", [12, -1])
def test_cgan_fit_refuses_labels_outside_num_classes(bad_label):
    cgan = build_cgan(num_classes=10, latent_dim=8, image_shape=(28, 28, 1))
    labels = np.array([1, 2, 3, bad_label] * 2, "int32")
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"labels must lie in \[0, "):
        cgan.fit(_labelled(np.zeros((8, 28, 28, 1), "float32"), labels), epochs=1, verbose=0)


def test_cgan_fit_refuses_wrong_images_and_missing_labels():
    cgan = build_cgan(num_classes=10, latent_dim=8, image_shape=(28, 28, 1))
    with pytest.raises(
        ValueError, match=r"ConditionalGAN.fit\(\) needs batches of images of shape \(batch, 28, 28, 1\)"
    ):
        cgan.fit(_labelled(np.zeros((8, 32, 32, 1), "float32"), np.zeros(8, "int32")), epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"needs `\(images, labels\)` batches"):
        cgan.fit(_dataset(np.zeros((8, 28, 28, 1), "float32")), epochs=1, verbose=0)


def test_sgan_and_cyclegan_fit_refuse_wrong_images():
    from gankit.models import build_cyclegan
    from gankit.models import build_sgan

    sgan = build_sgan(num_classes=10, latent_dim=8)
    x = np.zeros((8, 32, 32, 1), "float32")
    data = tf.data.Dataset.zip(
        (tf.data.Dataset.from_tensor_slices((x, np.zeros(8, "int32"))), tf.data.Dataset.from_tensor_slices(x))
    ).batch(4)
    with pytest.raises(
        ValueError, match=r"SemiSupervisedGAN.fit\(\) needs batches of labelled images of shape \(batch, 28, 28, 1\)"
    ):
        sgan.fit(data, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"needs `\(\(labeled_images, labels\), unlabeled_images\)` batches"):
        sgan.fit(_dataset(np.zeros((8, 28, 28, 1), "float32")), epochs=1, verbose=0)
    cycle = build_cyclegan(image_shape=(32, 32, 1), generator_filters=4, discriminator_filters=4)
    pairs = tf.data.Dataset.from_tensor_slices(
        (np.zeros((4, 32, 32, 1), "float32"), np.zeros((4, 32, 32, 3), "float32"))
    ).batch(2)
    with pytest.raises(
        ValueError,
        match=r"CycleGAN.fit\(\) needs batches of domain B images .*Received: a batch of shape \(None, 32, 32, 3\)",
    ):
        cycle.fit(pairs, epochs=1, verbose=0)
