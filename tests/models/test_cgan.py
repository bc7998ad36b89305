"""Tests of `gankit.models.cgan` with tiny 8x8 networks and 3 classes."""

import keras
import numpy as np
import pytest

from gankit.layers import ClassProjection
from gankit.layers.conditioning import LatentLabelEmbedding
from gankit.models.cgan import ConditionalGAN
from gankit.models.cgan import build_cgan
from gankit.models.cgan import build_cgan_discriminator

NUM_CLASSES = 3
LATENT_DIM = 4
SHAPE = (8, 8, 1)


def tiny_data(n=8, seed=0):
    rng = np.random.default_rng(seed)
    images = rng.uniform(-1, 1, (n,) + SHAPE).astype("float32")
    labels = rng.integers(0, NUM_CLASSES, n).astype("int32")
    return images, labels


def tiny_cgan(projection=False, **compile_kwargs):
    return build_cgan(NUM_CLASSES, LATENT_DIM, SHAPE, projection=projection, compile_kwargs=compile_kwargs)


def label_only_generator():
    """G(z, y) = tanh(e_y): the z path goes through a zero Dense kernel."""
    z = keras.Input((LATENT_DIM,))
    label = keras.Input((1,), dtype="int32")
    embedded = keras.layers.Embedding(NUM_CLASSES, 64, embeddings_initializer=keras.initializers.RandomNormal(seed=1))(
        label
    )
    mixed = LatentLabelEmbedding(NUM_CLASSES, LATENT_DIM)([z, label])
    from_z = keras.layers.Dense(64, kernel_initializer="zeros", bias_initializer="zeros")(mixed)
    x = keras.layers.Add()([keras.layers.Flatten()(embedded), from_z])
    x = keras.layers.Activation("tanh")(x)
    return keras.Model([z, label], keras.layers.Reshape(SHAPE)(x))


@pytest.mark.parametrize("projection", [False, True])
def test_fit_few_steps_finite(projection):
    cgan = tiny_cgan(projection=projection)
    images, labels = tiny_data()
    history = cgan.fit(images, labels, batch_size=4, epochs=1, verbose=0)
    for key in ("d_loss", "g_loss", "d_real_accuracy", "d_fake_accuracy"):
        assert np.isfinite(history.history[key][-1]), key


def test_replay_pool_keeps_each_fake_with_its_label():
    # Generator G(z, y) = tanh(e_y) ignores z, so a stored image identifies
    # its label: every pooled (image, label) pair must match G's image for
    # that label, i.e. the pool never separates an image from its label.
    generator = label_only_generator()
    cgan = ConditionalGAN(generator, tiny_cgan().discriminator, NUM_CLASSES)
    cgan.compile(replay_pool_size=4, replay_fraction=1.0, g_optimizer=keras.optimizers.SGD(0.0))
    images, labels = tiny_data()
    for _ in range(3):
        cgan.train_on_batch(images[:4], labels[:4])
    stored_images = cgan.replay_pool.stored["images"].numpy()
    stored_labels = cgan.replay_pool.stored["labels"].numpy()[:, 0]
    assert int(cgan.replay_pool.count) == 4
    expected = generator([np.zeros((4, LATENT_DIM), "float32"), stored_labels[:, None]]).numpy()
    np.testing.assert_allclose(stored_images, expected, atol=1e-6)


def test_unrolled_steps_train_a_conditional_gan():
    cgan = tiny_cgan(unrolled_steps=2)
    images, labels = tiny_data()
    before = [w.copy() for w in cgan.generator.get_weights()]
    logs = cgan.train_on_batch(images, labels, return_dict=True)
    assert np.isfinite(logs["g_loss"])
    assert any(not np.array_equal(a, b) for a, b in zip(before, cgan.generator.get_weights()))


def test_gan_options_reused_and_column_labels():
    cgan = tiny_cgan(loss="wasserstein", d_steps=2, g_steps=2, gradient_penalty_weight=10.0)
    images, labels = tiny_data()
    logs = cgan.train_on_batch(images, labels[:, None], return_dict=True)
    assert np.isfinite(logs["d_loss"]) and np.isfinite(logs["g_loss"])
    smoothed = tiny_cgan(label_smoothing=0.1, instance_noise=0.1)
    assert np.isfinite(smoothed.train_on_batch(images, labels, return_dict=True)["d_loss"])


def test_shapes():
    cgan = tiny_cgan()
    assert cgan.generator.output_shape == (None,) + SHAPE
    assert cgan.discriminator.output_shape == (None, 1)
    images = cgan.generate(labels=[0, 1, 2, 2], seed=0)
    assert images.shape == (4,) + SHAPE
    assert images.min() >= 0.0 and images.max() <= 1.0
    assert cgan.generate(labels=np.zeros((0,), "int32")).shape == (0,) + SHAPE


def test_generate_respects_labels():
    cgan = ConditionalGAN(label_only_generator(), build_cgan_discriminator(NUM_CLASSES, SHAPE), NUM_CLASSES)
    images = cgan.generate(labels=[0, 0, 1, 2], seed=0)
    np.testing.assert_allclose(images[0], images[1])  # same label, different z
    assert not np.allclose(images[0], images[2])
    assert not np.allclose(images[2], images[3])
    # With a generator that reads z: same seed and labels give the same
    # images (one computation, so exactly), another seed other images.
    cgan = tiny_cgan()
    np.testing.assert_array_equal(cgan.generate(labels=[1, 2], seed=3), cgan.generate(labels=[1, 2], seed=3))
    assert not np.allclose(cgan.generate(labels=[1, 2], seed=3), cgan.generate(labels=[1, 2], seed=4))


def test_seed_reproducible():
    cgan = tiny_cgan()
    np.testing.assert_array_equal(cgan.generate(labels=[0, 1], seed=5), cgan.generate(labels=[0, 1], seed=5))


def test_class_projection_by_hand():
    layer = ClassProjection(2, embeddings_initializer="ones")
    layer.build([(None, 3), (None, 1)])
    layer.embeddings.assign(np.array([[1.0, 0.0, 2.0], [0.0, -1.0, 0.0]], "float32"))
    out = keras.ops.convert_to_numpy(layer([np.array([[1.0, 2.0, 3.0]] * 2, "float32"), np.array([0, 1])]))
    np.testing.assert_allclose(out, [[7.0], [-2.0]])
    assert ClassProjection.from_config(layer.get_config()).num_classes == 2


@pytest.mark.parametrize("projection", [False, True])
def test_save_load_identical(tmp_path, projection):
    cgan = tiny_cgan(projection=projection)
    images, labels = tiny_data()
    cgan.train_on_batch(images, labels)
    path = str(tmp_path / "cgan.keras")
    cgan.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert isinstance(loaded, ConditionalGAN)
    assert loaded.get_config()["num_classes"] == NUM_CLASSES
    np.testing.assert_array_equal(loaded.generate(labels=[0, 1, 2], seed=1), cgan.generate(labels=[0, 1, 2], seed=1))
    probe = [images[:3], labels[:3, None]]
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(loaded.discriminator(probe)),
        keras.ops.convert_to_numpy(cgan.discriminator(probe)),
        rtol=1e-6,
    )


def test_generate_label_errors():
    cgan = tiny_cgan()
    with pytest.raises(ValueError, match="Received: labels with min=0, max=3"):
        cgan.generate(labels=[0, 3])
    with pytest.raises(ValueError, match="min=-1"):
        cgan.generate(labels=[-1])
    with pytest.raises(ValueError, match="integers"):
        cgan.generate(labels=[0.5])
    with pytest.raises(ValueError, match="latents"):
        cgan.generate(labels=[0, 1], latents=np.zeros((3, LATENT_DIM)))


def test_bad_arguments():
    with pytest.raises(ValueError, match="image_shape"):
        build_cgan(3, 4, (10, 10, 1))
    with pytest.raises(TypeError, match="num_classes"):
        build_cgan(3.0, 4, SHAPE)
    with pytest.raises(ValueError, match="latent_dim"):
        build_cgan(3, 0, SHAPE)
    with pytest.raises(TypeError, match="projection"):
        build_cgan_discriminator(3, SHAPE, projection="yes")
    with pytest.raises(TypeError, match="two inputs"):
        ConditionalGAN(keras.Sequential([keras.Input((4,)), keras.layers.Dense(64)]), tiny_cgan().discriminator, 3)
    cgan = build_cgan(NUM_CLASSES, LATENT_DIM, SHAPE, compile=False)
    with pytest.raises(ValueError, match="compile"):
        cgan.train_on_batch(*tiny_data())


def test_discriminator_is_listing_8_4():
    # Listing 8.4 counted by hand at 28x28x1, 10 classes: Embedding 10 * 784
    # = 7,840; Conv2D(64) on 2 channels 3*3*2*64 + 64 = 1,216; Conv2D(64)
    # 3*3*64*64 + 64 = 36,928; BatchNorm(64) 256; Conv2D(128) 3*3*64*128 + 128
    # = 73,856; BatchNorm(128) 512; Dense(1) on 4*4*128 = 2,049.
    discriminator = build_cgan_discriminator(10, (28, 28, 1))
    assert discriminator.count_params() == 7_840 + 1_216 + 36_928 + 256 + 73_856 + 512 + 2_049 == 122_657
    first = [layer for layer in discriminator.layers if isinstance(layer, keras.layers.Conv2D)][0]
    assert first.filters == 64


def test_build_cgan_compiles_with_the_books_adam():
    # Listing 8.5 compiles both models with Adam(): 1e-3, beta_1 0.9.
    model = build_cgan(num_classes=3, latent_dim=8, image_shape=(8, 8, 1))
    for optimizer in (model.d_optimizer, model.g_optimizer):
        assert float(optimizer.learning_rate) == pytest.approx(1e-3)
        assert float(optimizer.beta_1) == pytest.approx(0.9)
    chosen = keras.optimizers.Adam(2e-4, beta_1=0.5)
    model = build_cgan(num_classes=3, latent_dim=8, image_shape=(8, 8, 1), compile_kwargs={"g_optimizer": chosen})
    assert model.g_optimizer is chosen and float(model.d_optimizer.learning_rate) == pytest.approx(1e-3)
