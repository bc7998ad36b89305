"""Tests of `gankit.models.sgan` with tiny 8x8 networks and 3 classes."""

import keras
import numpy as np
import pytest

from gankit.layers import RealFakeFromClassLogits
from gankit.models.sgan import SemiSupervisedGAN
from gankit.models.sgan import build_sgan
from gankit.models.sgan import build_sgan_generator
from gankit.models.sgan import build_sgan_trunk
from gankit.models.sgan import sgan_dataset

SHAPE = (8, 8, 1)


def tiny_data(n, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, (n,) + SHAPE).astype("float32"), (np.arange(n) % 3).astype("int32")


def test_real_fake_logit_matches_chapter_formula():
    logits = np.array([[0.0, 0.0, 0.0], [1.0, -2.0, 3.0], [50.0, 60.0, -5.0]], "float32")
    out = keras.ops.convert_to_numpy(RealFakeFromClassLogits()(logits))[:, 0]
    z = np.exp(logits[:2].astype("float64")).sum(-1)
    np.testing.assert_allclose(1 / (1 + np.exp(-out[:2])), z / (z + 1), rtol=1e-6)  # D(x) = Z/(Z+1)
    np.testing.assert_allclose(out[2], 60.0 + np.log1p(np.exp(-10.0) + np.exp(-65.0)), rtol=1e-6)  # no overflow


def test_trunk_shared_and_training_finite():
    sgan = build_sgan(3, 4, SHAPE)
    assert sgan.classifier is sgan.trunk
    assert any(layer is sgan.trunk for layer in sgan.discriminator.layers)
    xl, yl = tiny_data(6)
    xu, _ = tiny_data(8, seed=1)
    history = sgan.fit(sgan_dataset(xl, yl, xu, batch_size=4), epochs=1, verbose=0)
    for key in ("d_supervised_loss", "d_unsupervised_loss", "g_loss", "supervised_accuracy"):
        assert np.isfinite(history.history[key][-1]), key
    accuracy = sgan.evaluate_classifier(xl, yl)
    # Oracle: the share of argmax predictions of the trunk equal to the labels.
    predicted = np.argmax(keras.ops.convert_to_numpy(sgan.trunk(xl, training=False)), axis=-1)
    assert accuracy == pytest.approx(np.mean(predicted == yl))


def test_sgan_save_load(tmp_path):
    sgan = build_sgan(3, 4, SHAPE)
    path = str(tmp_path / "sgan.keras")
    sgan.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert isinstance(loaded, SemiSupervisedGAN)
    xl, _ = tiny_data(2)
    np.testing.assert_allclose(
        loaded.classifier.predict(xl, verbose=0), sgan.classifier.predict(xl, verbose=0), rtol=1e-6
    )


def test_errors():
    with pytest.raises(ValueError, match="image_shape"):
        build_sgan(3, 4, (9, 9, 1))
    with pytest.raises(TypeError, match="trunk"):
        SemiSupervisedGAN(build_sgan(3, 4, SHAPE).generator, "trunk")
    sgan = build_sgan(3, 4, SHAPE)
    xl, yl = tiny_data(3)
    with pytest.raises(ValueError, match="max=3"):
        sgan.evaluate_classifier(xl, yl + 1)
    with pytest.raises(ValueError, match="same length"):
        sgan_dataset(xl, yl[:2], xl)


def test_compile_needs_three_distinct_keras_optimizers():
    sgan = build_sgan(3, 4, SHAPE, compile=False)
    shared = keras.optimizers.Adam()
    with pytest.raises(ValueError, match="must be distinct optimizer objects"):
        sgan.compile(d_optimizer=shared, supervised_optimizer=shared)
    with pytest.raises(TypeError, match="`g_optimizer` must be a keras optimizer"):
        sgan.compile(g_optimizer="adam")


def test_compile_options_and_optimizer_state_survive_saving(tmp_path):
    sgan = build_sgan(3, 4, SHAPE, compile_kwargs={"loss": "hinge"})
    xl, yl = tiny_data(6)
    xu, _ = tiny_data(8, seed=1)
    sgan.fit(sgan_dataset(xl, yl, xu, batch_size=4), epochs=1, verbose=0)
    path = str(tmp_path / "sgan.keras")
    sgan.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert loaded.generator_loss_fn.__name__ == "hinge_generator_loss"
    for name in ("d_optimizer", "g_optimizer", "supervised_optimizer"):
        assert int(getattr(loaded, name).iterations) == int(getattr(sgan, name).iterations) > 0
    loaded.fit(sgan_dataset(xl, yl, xu, batch_size=4), epochs=1, verbose=0)  # resumes without compile()


@pytest.mark.parametrize("loss,reads_real", [("non_saturating", False), ("ra_sgan", True)])
def test_relativistic_generator_loss_sees_real_logits(loss, reads_real):
    sgan = build_sgan(3, 4, SHAPE, compile_kwargs={"loss": loss})
    original = sgan.generator_loss_fn
    seen = []

    def spy(real_logits, fake_logits):
        seen.append(real_logits is not fake_logits)
        return original(real_logits, fake_logits)

    sgan.generator_loss_fn = spy
    xl, yl = tiny_data(6)
    xu, _ = tiny_data(8, seed=1)
    sgan.fit(sgan_dataset(xl, yl, xu, batch_size=4), epochs=1, verbose=0)
    assert seen and all(distinct == reads_real for distinct in seen)


def test_build_sgan_compiles_with_the_books_adam():
    # Listing 7.8 compiles the supervised, unsupervised and GAN models with Adam().
    model = build_sgan(num_classes=3, latent_dim=8, image_shape=(8, 8, 1))
    for optimizer in (model.supervised_optimizer, model.d_optimizer, model.g_optimizer):
        assert float(optimizer.learning_rate) == pytest.approx(1e-3)
        assert float(optimizer.beta_1) == pytest.approx(0.9)
    assert len({id(model.supervised_optimizer), id(model.d_optimizer), id(model.g_optimizer)}) == 3


def test_feature_matching_loss_is_the_squared_gap_of_the_trunks_mean_features():
    # Salimans et al. 2016, section 3.1: mean_k (E f_k(x) - E f_k(G(z)))^2, f
    # the trunk before its last layer. A trunk without dropout makes the
    # training-mode features deterministic (batch norm uses the batch's
    # statistics); the oracle runs the trunk's layers one by one.
    sgan = SemiSupervisedGAN(build_sgan_generator(4, SHAPE), build_sgan_trunk(3, SHAPE, dropout=0.0))
    sgan.compile(feature_matching=True)
    assert sgan.training_options["feature_matching"] is True
    xu, _ = tiny_data(8, seed=1)
    latents = np.random.default_rng(2).normal(size=(8, 4)).astype("float32")
    fakes = sgan.generator(latents, training=False)

    def features(images):
        x = images
        for layer in sgan.trunk.layers[1:-1]:
            x = layer(x, training=True)
        return keras.ops.convert_to_numpy(x).astype("float64")

    expected = np.mean((features(xu).mean(0) - features(fakes).mean(0)) ** 2)
    loss, logs = sgan.generator_loss({"images": xu}, {"images": fakes})
    assert float(loss) == pytest.approx(expected, rel=1e-4)
    assert float(logs["g_loss"]) == float(loss)
    # The adversarial loss on the same input is another number.
    sgan.compile(feature_matching=False)
    assert float(sgan.generator_loss({"images": xu}, {"images": fakes})[0]) != pytest.approx(expected, rel=1e-2)
    sgan = build_sgan(3, 4, SHAPE, compile_kwargs={"feature_matching": True})
    # In training, G moves, its logged loss is the feature gap (not the
    # adversarial BCE), and the trunk's weights are saved once.
    xl, yl = tiny_data(6)
    before = [w.copy() for w in sgan.generator.get_weights()]
    history = sgan.fit(sgan_dataset(xl, yl, xu, batch_size=4), epochs=1, verbose=0)
    assert any(not np.array_equal(a, b) for a, b in zip(before, sgan.generator.get_weights()))
    assert 0.0 <= history.history["g_loss"][-1] < 10.0
    assert len(sgan.weights) == len({id(w) for w in sgan.weights})


def test_feature_matching_survives_saving_and_is_checked(tmp_path):
    sgan = build_sgan(3, 4, SHAPE, compile_kwargs={"feature_matching": True})
    path = str(tmp_path / "sgan.keras")
    sgan.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.training_options["feature_matching"] is True
    with pytest.raises(TypeError, match="`feature_matching` must be True or False"):
        build_sgan(3, 4, SHAPE, compile_kwargs={"feature_matching": "yes"})
