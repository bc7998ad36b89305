"""The sources' own Keras training loops run on gankit's builders.

Each test ports one source's loop as the source writes it (`compile` with
`"binary_crossentropy"` and `metrics=["accuracy"]`, a composite
`Sequential([g, d])` or `Model` with a frozen `d`, `train_on_batch`), changed
only where Keras 3 changed an API:

- `Adam(lr=...)` is `Adam(learning_rate=...)`;
- Keras 3 reads `trainable` when a model first traces its train step, not at
  `compile` as Keras 2 did, so `d.trainable` is set to `True` before each
  `d.train_on_batch` and to `False` before each composite `train_on_batch`
  (without it the discriminator is frozen for good: 0.0 weight change);
  chapter 7's shared trunk is set directly (`net.trainable = True`) since
  setting an unchanged flag on the supervised model does not reach it;
- chapter 7's `Lambda(predict)` head is gankit's `RealFakeFromClassLogits`
  followed by the sigmoid (the same function, `sigmoid(logsumexp(l)) =
  Z / (Z + 1)`).

The discriminators are built with `output="probability"` (the sources'
final sigmoid). Every loop checks: the loss Keras reports is the binary
cross-entropy of the network's own probabilities (hand formula on
`predict`), `accuracy` is the 0.5-threshold share, the discriminator's
weights move in its own update and stay put in the composite's, and the
generator's move in the composite's. Data are random images in the
source's pixel range: the checks are about the wiring, not quality.
"""

import keras
import numpy as np
import pytest

from gankit.layers import RealFakeFromClassLogits
from gankit.models import build_cgan_discriminator
from gankit.models import build_cgan_generator
from gankit.models import build_dcgan_discriminator
from gankit.models import build_dcgan_generator
from gankit.models import build_sgan_generator
from gankit.models import build_sgan_trunk
from gankit.models import with_output

BATCH = 8


def _weights(model):
    return [np.array(w) for w in model.get_weights()]


def _moved(before, model):
    """Largest absolute weight change of `model` since `before`."""
    return max(float(np.max(np.abs(a - b))) for a, b in zip(before, model.get_weights()))


def _binary_cross_entropy(probabilities, targets):
    # Keras clips probabilities to [eps, 1 - eps] with eps = 1e-7.
    p = np.clip(np.asarray(probabilities, "float64"), 1e-7, 1 - 1e-7)
    return float(np.mean(-(targets * np.log(p) + (1 - targets) * np.log(1 - p))))


def _check_loss_is_cross_entropy(d_model, inputs, targets):
    """`test_on_batch` (inference mode, no update) against the hand formula."""
    loss, accuracy = d_model.test_on_batch(inputs, targets)
    probabilities = d_model.predict(inputs, verbose=0)
    assert probabilities.min() >= 0.0 and probabilities.max() <= 1.0
    # float32 network against a float64 formula: 1e-4 relative.
    np.testing.assert_allclose(loss, _binary_cross_entropy(probabilities, targets), rtol=1e-4)
    np.testing.assert_allclose(accuracy, np.mean((probabilities > 0.5) == (targets > 0.5)), atol=1e-6)


def _step(d_model, gan_model, d_batches, gan_batch):
    """One iteration of a source loop: D on each batch, then the composite."""
    d_before, g_before = _weights(d_model), _weights(gan_model.layers[0])
    for inputs, targets in d_batches:
        d_model.trainable = True
        d_model.train_on_batch(inputs, targets)
    d_moved = _moved(d_before, d_model)
    d_after = _weights(d_model)
    d_model.trainable = False
    gan_model.train_on_batch(*gan_batch)
    return d_moved, _moved(d_after, d_model), _moved(g_before, gan_model.layers[0])


def _mlm_models(preset):
    # define_discriminator / define_generator / define_gan of seed 002.
    d_model = build_dcgan_discriminator(preset=preset, output="probability")
    d_model.compile(
        loss="binary_crossentropy",
        optimizer=keras.optimizers.Adam(learning_rate=0.0002, beta_1=0.5),
        metrics=["accuracy"],
    )
    g_model = build_dcgan_generator(preset=preset)
    d_model.trainable = False
    gan_model = keras.Sequential([g_model, d_model])
    gan_model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(learning_rate=0.0002, beta_1=0.5))
    return d_model, g_model, gan_model


@pytest.mark.parametrize("preset", ["mlm_mnist", "mlm_cifar10"])
def test_seed_002_loop_trains_both_networks(preset):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    d_model, g_model, gan_model = _mlm_models(preset)
    shape = d_model.input_shape[1:]
    low = 0.0 if preset == "mlm_mnist" else -1.0  # load_real_samples: X / 255 (MNIST), (X - 127.5) / 127.5 (CIFAR)
    dataset = rng.uniform(low, 1.0, (64,) + shape).astype("float32")
    latent_dim = g_model.input_shape[-1]
    half = BATCH // 2
    for _ in range(2):
        # generate_real_samples / generate_fake_samples / generate_latent_points.
        x_real, y_real = dataset[rng.integers(0, len(dataset), half)], np.ones((half, 1))
        x_fake = g_model.predict(rng.standard_normal((half, latent_dim)), verbose=0)
        y_fake = np.zeros((half, 1))
        assert x_fake.min() >= low and x_fake.max() <= 1.0  # the generator's range is the data's
        if preset == "mlm_mnist":
            # The MNIST train(): one update on vstack((X_real, X_fake)).
            x, y = np.vstack((x_real, x_fake)), np.vstack((y_real, y_fake))
            _check_loss_is_cross_entropy(d_model, x, y)
            d_batches = [(x, y)]
        else:
            # The CIFAR-10 train(): d_loss1 on the real half, d_loss2 on the fake half.
            _check_loss_is_cross_entropy(d_model, x_real, y_real)
            d_batches = [(x_real, y_real), (x_fake, y_fake)]
        gan_batch = (rng.standard_normal((BATCH, latent_dim)), np.ones((BATCH, 1)))
        d_moved, d_moved_by_gan, g_moved = _step(d_model, gan_model, d_batches, gan_batch)
        assert d_moved > 1e-6
        assert d_moved_by_gan == 0.0
        assert g_moved > 1e-6


def test_chapter_7_loop_trains_both_networks():
    # Listings 7.3-7.8: one trunk shared by a softmax head (supervised) and the
    # Z / (Z + 1) head (unsupervised), three models compiled with Adam().
    keras.utils.set_random_seed(1)
    rng = np.random.default_rng(1)
    num_classes, z_dim = 10, 100
    net = build_sgan_trunk(num_classes, (28, 28, 1))
    supervised = keras.Sequential([net, keras.layers.Activation("softmax")])
    supervised.compile(loss="categorical_crossentropy", metrics=["accuracy"], optimizer=keras.optimizers.Adam())
    unsupervised = keras.Sequential([net, RealFakeFromClassLogits(), keras.layers.Activation("sigmoid")])
    unsupervised.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(), metrics=["accuracy"])
    generator = build_sgan_generator(z_dim, (28, 28, 1))
    unsupervised.trainable = False
    gan = keras.Sequential([generator, unsupervised])
    gan.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam())

    real, fake = np.ones((BATCH, 1)), np.zeros((BATCH, 1))
    for _ in range(2):
        imgs = rng.uniform(-1, 1, (BATCH, 28, 28, 1)).astype("float32")
        labels = keras.utils.to_categorical(rng.integers(0, num_classes, BATCH), num_classes)
        imgs_unlabeled = rng.uniform(-1, 1, (BATCH, 28, 28, 1)).astype("float32")
        gen_imgs = generator.predict(rng.standard_normal((BATCH, z_dim)), verbose=0)
        before = _weights(net)
        # `supervised.trainable = True` would not reach the trunk: Keras 3
        # skips a setter that does not change the model's own flag, and the
        # trunk was frozen through `unsupervised`. Set the shared trunk.
        net.trainable = True
        loss, _ = supervised.train_on_batch(imgs, labels)
        assert np.isfinite(loss) and _moved(before, net) > 1e-6
        _check_loss_is_cross_entropy(unsupervised, imgs_unlabeled, real)
        d_moved, d_moved_by_gan, g_moved = _step(
            unsupervised,
            gan,
            [(imgs_unlabeled, real), (gen_imgs, fake)],
            (rng.standard_normal((BATCH, z_dim)), np.ones((BATCH, 1))),
        )
        assert d_moved > 1e-6
        assert d_moved_by_gan == 0.0
        assert g_moved > 1e-6


def test_chapter_8_loop_trains_both_networks():
    # Listings 8.3-8.6: build_cgan_discriminator compiled with Adam() and
    # accuracy, then frozen inside Model([z, label], D([G([z, label]), label])).
    keras.utils.set_random_seed(2)
    rng = np.random.default_rng(2)
    num_classes, z_dim = 10, 100
    discriminator = with_output(build_cgan_discriminator(num_classes, (28, 28, 1)), "probability")
    assert discriminator.count_params() == 122_657  # listing 8.4's layers, counted in test_cgan.py
    discriminator.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(), metrics=["accuracy"])
    generator = build_cgan_generator(num_classes, z_dim, (28, 28, 1))
    discriminator.trainable = False
    z = keras.Input((z_dim,))
    label = keras.Input((1,), dtype="int32")
    cgan = keras.Model([z, label], discriminator([generator([z, label]), label]))
    cgan.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam())

    x_train = rng.uniform(-1, 1, (64, 28, 28, 1)).astype("float32")
    y_train = rng.integers(0, num_classes, (64, 1))
    real, fake = np.ones((BATCH, 1)), np.zeros((BATCH, 1))
    for _ in range(2):
        idx = rng.integers(0, len(x_train), BATCH)
        imgs, labels = x_train[idx], y_train[idx]
        gen_imgs = generator.predict([rng.standard_normal((BATCH, z_dim)), labels], verbose=0)
        _check_loss_is_cross_entropy(discriminator, [imgs, labels], real)
        g_labels = rng.integers(0, num_classes, BATCH).reshape(-1, 1)
        d_before, g_before = _weights(discriminator), _weights(generator)
        for inputs, targets in (([imgs, labels], real), ([gen_imgs, labels], fake)):
            discriminator.trainable = True
            discriminator.train_on_batch(inputs, targets)
        d_after = _weights(discriminator)
        discriminator.trainable = False
        cgan.train_on_batch([rng.standard_normal((BATCH, z_dim)), g_labels], real)
        assert _moved(d_before, discriminator) > 1e-6
        assert _moved(d_after, discriminator) == 0.0
        assert _moved(g_before, generator) > 1e-6


def test_logit_discriminator_gives_the_source_loop_a_wrong_loss():
    # Why `output="probability"` exists: Keras' "binary_crossentropy" reads
    # the default logit head as probabilities (clipped to [1e-7, 1 - 1e-7]).
    keras.utils.set_random_seed(3)
    images = np.random.default_rng(3).uniform(0, 1, (BATCH, 28, 28, 1)).astype("float32")
    targets = np.ones((BATCH, 1))
    logit_model = build_dcgan_discriminator(preset="mlm_mnist")
    logit_model.compile(loss="binary_crossentropy", optimizer="adam")
    reported = logit_model.test_on_batch(images, targets)
    logits = logit_model.predict(images, verbose=0)
    true_loss = _binary_cross_entropy(1 / (1 + np.exp(-logits)), targets)
    assert abs(reported - true_loss) > 0.05


def test_probability_output_refused_by_gan_and_bad_value_named():
    from gankit.models import GAN

    generator = build_dcgan_generator(preset="mlm_mnist")
    with pytest.raises(ValueError, match="ends in a sigmoid"):
        GAN(generator, build_dcgan_discriminator(preset="mlm_mnist", output="probability"))
    with pytest.raises(ValueError, match="output='sigmoid'"):
        build_dcgan_discriminator(preset="mlm_mnist", output="sigmoid")
