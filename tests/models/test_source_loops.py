"""The sources' own Keras training loops run on gankit's builders.

Each test ports one source's loop as the source writes it (`compile` with
`"binary_crossentropy"` and `metrics=["accuracy"]`, or chapter 9's `"mse"`,
a composite `Sequential([g, d])` or `Model` with a frozen `d`,
`train_on_batch`), changed only where Keras 3 changed an API:

- `Adam(lr=...)` is `Adam(learning_rate=...)`;
- Keras 3 reads `trainable` when a model first traces its train step, not at
  `compile` as Keras 2 did, so `d.trainable` is set to `True` before each
  `d.train_on_batch` and to `False` before each composite `train_on_batch`
  (without it the discriminator is frozen for good: 0.0 weight change);
  chapter 7's shared trunk is set directly (`net.trainable = True`) since
  setting an unchanged flag on the supervised model does not reach it;
- chapter 7's `Lambda(predict)` head is gankit's `RealFakeFromClassLogits`
  followed by the sigmoid (the same function, `sigmoid(logsumexp(l)) =
  Z / (Z + 1)`);
- chapter 9's one shared `Adam` is one per model and its networks get
  unique names (Keras 3 refuses both as written; its test says why).

The discriminators of chapters 2-8 are built with `output="probability"`
(the sources' final sigmoid). Every loop checks: the loss Keras reports is
the binary cross-entropy (chapter 9: mean squared error) of the network's
own outputs (hand formula on `predict`), `accuracy` is the 0.5-threshold
share, the discriminator's weights move in its own update and stay put in
the composite's, and the generator's move in the composite's. Data are
random images in the source's pixel range: the checks are about the
wiring, not quality.
"""

from typing import NamedTuple

import keras
import numpy as np
import pytest

from gankit.layers import RealFakeFromClassLogits
from gankit.models import build_cgan_discriminator
from gankit.models import build_cgan_generator
from gankit.models import build_dcgan_discriminator
from gankit.models import build_dcgan_generator
from gankit.models import build_patch_discriminator
from gankit.models import build_sgan_generator
from gankit.models import build_sgan_trunk
from gankit.models import build_unet_generator
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


def _check_loss_is_mean_squared_error(d_model, inputs, targets):
    """Chapter 9's `"mse"` critic: `test_on_batch` against the hand formula."""
    loss, accuracy = d_model.test_on_batch(inputs, targets)
    scores = np.asarray(d_model.predict(inputs, verbose=0), "float64")
    np.testing.assert_allclose(loss, np.mean((scores - targets) ** 2), rtol=1e-4)
    # Keras resolves "accuracy" on a one-channel output to binary accuracy:
    # the share of raw scores on the target's side of 0.5.
    np.testing.assert_allclose(accuracy, np.mean((scores > 0.5) == (targets > 0.5)), atol=1e-6)


class Step(NamedTuple):
    """What one source-loop iteration did (one entry per network, in order)."""

    d_moved: list  # each discriminator's largest weight change in its own updates
    d_moved_by_gan: list  # ... in the composite's update
    g_moved: list  # each generator's largest weight change in the composite's update
    gan_logs: dict  # the composite's `train_on_batch(..., return_dict=True)`
    gan_outputs: list  # the composite's training-mode outputs on its batch, just before its update


def _step(d_batches, gan_model, gan_batch, generators):
    """One iteration of a source loop: the discriminator updates, then the composite.

    `d_batches` lists `(discriminator, inputs, targets)` in the source's
    order; `generators` are the networks the composite trains. Each
    discriminator's `trainable` is set to `True` before its own
    `train_on_batch` and every discriminator's to `False` before the
    composite's (Keras 3 reads the flag when a train step is traced).
    """
    discriminators = list({id(d): d for d, _, _ in d_batches}.values())
    d_before = [_weights(d) for d in discriminators]
    g_before = [_weights(g) for g in generators]
    for d_model, inputs, targets in d_batches:
        d_model.trainable = True
        d_model.train_on_batch(inputs, targets)
    d_moved = [_moved(before, d) for before, d in zip(d_before, discriminators)]
    d_after = [_weights(d) for d in discriminators]
    for d_model in discriminators:
        d_model.trainable = False
    gan_inputs, gan_targets = gan_batch
    # The forward pass the composite's update is about to make (same weights,
    # training mode), without touching any state (`stateless_call`).
    gan_outputs, _ = gan_model.stateless_call(
        [v.value for v in gan_model.trainable_variables],
        [v.value for v in gan_model.non_trainable_variables],
        gan_inputs,
        training=True,
    )
    gan_logs = gan_model.train_on_batch(gan_inputs, gan_targets, return_dict=True)
    return Step(
        d_moved,
        [_moved(after, d) for after, d in zip(d_after, discriminators)],
        [_moved(before, g) for before, g in zip(g_before, generators)],
        gan_logs,
        [np.asarray(o) for o in keras.tree.flatten(gan_outputs)],
    )


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
            d_batches = [(d_model, x, y)]
        else:
            # The CIFAR-10 train(): d_loss1 on the real half, d_loss2 on the fake half.
            _check_loss_is_cross_entropy(d_model, x_real, y_real)
            d_batches = [(d_model, x_real, y_real), (d_model, x_fake, y_fake)]
        gan_batch = (rng.standard_normal((BATCH, latent_dim)), np.ones((BATCH, 1)))
        step = _step(d_batches, gan_model, gan_batch, [g_model])
        assert min(step.d_moved) > 1e-6
        assert max(step.d_moved_by_gan) == 0.0
        assert min(step.g_moved) > 1e-6


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
        step = _step(
            [(unsupervised, imgs_unlabeled, real), (unsupervised, gen_imgs, fake)],
            gan,
            (rng.standard_normal((BATCH, z_dim)), np.ones((BATCH, 1))),
            [generator],
        )
        assert min(step.d_moved) > 1e-6
        assert max(step.d_moved_by_gan) == 0.0
        assert min(step.g_moved) > 1e-6


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
        step = _step(
            [(discriminator, [imgs, labels], real), (discriminator, [gen_imgs, labels], fake)],
            cgan,
            ([rng.standard_normal((BATCH, z_dim)), g_labels], real),
            [generator],
        )
        assert min(step.d_moved) > 1e-6
        assert max(step.d_moved_by_gan) == 0.0
        assert min(step.g_moved) > 1e-6


# Tracing `combined` (six U-Net passes and their gradients) takes ~11 s on two cores.
@pytest.mark.slow
def test_chapter_9_loop_trains_all_four_networks():
    """Listings 9.3-9.6: the book's CycleGAN, `combined.train_on_batch` and all.

    The book's networks ran keras_contrib's `InstanceNormalization()`
    (`axis=None`), so every builder gets `normalization="keras_contrib"`.
    `build_patch_discriminator` has no `output=` argument: its last layer is
    a linear 4x4 conv, one raw score per patch, which is listing 9.5's
    `validity` (no sigmoid) and what the book's `"mse"` against 1/0 patch
    targets needs (the least-squares GAN); no `with_output` here.

    Ported beyond the module's list: the book shares one
    `optimizer = Adam(0.0002, 0.5)` among `d_A`, `d_B` and `combined`, and a
    Keras 3 optimizer refuses variables it was not built with, so each model
    gets its own (Keras 2's shared instance also shared Adam's step count,
    which changes only the bias correction); and Keras 3 refuses two nested
    models of one name, so the four networks are named after the book's
    attributes (Keras 2 numbered them).

    The hand loss is the book's weighted sum of the six per-output losses,
    computed from each network's own `predict` (inference mode) chained as
    the composite chains them. Keras' reported loss comes from the
    training-mode pass instead; the two agree here because neither network
    has batch norm or dropout (`dropout=0.0`, the book's `dropout_rate=0`)
    and instance norm uses each sample's own statistics in both modes, which
    the test checks against the composite's training-mode outputs.
    """
    keras.utils.set_random_seed(4)
    rng = np.random.default_rng(4)
    img_shape = (32, 32, 3)  # the book's 128x128x3, shrunk: both networks halve it 4 times
    gf, df = 4, 4  # the book's 32 and 64, shrunk
    lambda_cycle = 10.0  # Cycle-consistency loss weight
    lambda_id = 0.9 * lambda_cycle  # Identity loss weight

    d_A = build_patch_discriminator(img_shape, df, normalization="keras_contrib", name="d_A")
    d_B = build_patch_discriminator(img_shape, df, normalization="keras_contrib", name="d_B")
    assert d_A.layers[-1].get_config()["activation"] == "linear"
    d_A.compile(loss="mse", optimizer=keras.optimizers.Adam(0.0002, 0.5), metrics=["accuracy"])
    d_B.compile(loss="mse", optimizer=keras.optimizers.Adam(0.0002, 0.5), metrics=["accuracy"])
    g_AB = build_unet_generator(img_shape, gf, normalization="keras_contrib", name="g_AB")
    g_BA = build_unet_generator(img_shape, gf, normalization="keras_contrib", name="g_BA")
    img_A = keras.Input(shape=img_shape)
    img_B = keras.Input(shape=img_shape)
    fake_B = g_AB(img_A)
    fake_A = g_BA(img_B)
    reconstr_A = g_BA(fake_B)
    reconstr_B = g_AB(fake_A)
    img_A_id = g_BA(img_A)
    img_B_id = g_AB(img_B)
    d_A.trainable = False
    d_B.trainable = False
    valid_A = d_A(fake_A)
    valid_B = d_B(fake_B)
    combined = keras.Model(
        inputs=[img_A, img_B], outputs=[valid_A, valid_B, reconstr_A, reconstr_B, img_A_id, img_B_id]
    )
    losses = ["mse", "mse", "mae", "mae", "mae", "mae"]
    loss_weights = [1, 1, lambda_cycle, lambda_cycle, lambda_id, lambda_id]
    combined.compile(loss=losses, loss_weights=loss_weights, optimizer=keras.optimizers.Adam(0.0002, 0.5))

    disc_patch = d_A.output_shape[1:]  # the book's (patch, patch, 1), img_rows / 2**4 = 2 here
    assert disc_patch == (2, 2, 1)
    valid = np.ones((BATCH,) + disc_patch)
    fake = np.zeros((BATCH,) + disc_patch)
    formulas = {"mse": lambda y, t: np.mean((y - t) ** 2), "mae": lambda y, t: np.mean(np.abs(y - t))}
    for _ in range(2):
        # The book's DataLoader scales images to [-1, 1] (imgs / 127.5 - 1).
        imgs_A = rng.uniform(-1, 1, (BATCH,) + img_shape).astype("float32")
        imgs_B = rng.uniform(-1, 1, (BATCH,) + img_shape).astype("float32")
        fake_B = g_AB.predict(imgs_A, verbose=0)
        fake_A = g_BA.predict(imgs_B, verbose=0)
        _check_loss_is_mean_squared_error(d_A, fake_A, fake)
        _check_loss_is_mean_squared_error(d_B, imgs_B, valid)
        targets = [valid, valid, imgs_A, imgs_B, imgs_A, imgs_B]
        # The composite's six outputs from the networks' own `predict`
        # (inference mode). The generators' are taken now: the combined
        # update below changes them, the discriminator updates do not.
        reconstr_A, reconstr_B = g_BA.predict(fake_B, verbose=0), g_AB.predict(fake_A, verbose=0)
        img_A_id, img_B_id = g_BA.predict(imgs_A, verbose=0), g_AB.predict(imgs_B, verbose=0)
        step = _step(
            [(d_A, imgs_A, valid), (d_A, fake_A, fake), (d_B, imgs_B, valid), (d_B, fake_B, fake)],
            combined,
            ([imgs_A, imgs_B], targets),
            [g_AB, g_BA],
        )
        # The critics' after their own updates, which the combined one
        # leaves untouched (0.0, asserted below).
        valid_A, valid_B = d_A.predict(fake_A, verbose=0), d_B.predict(fake_B, verbose=0)
        outputs = [valid_A, valid_B, reconstr_A, reconstr_B, img_A_id, img_B_id]
        # Inference `predict` and the composite's training-mode pass (the one
        # Keras' loss comes from) agree up to float32 rounding of two graphs
        # (outputs of size ~1): no batch norm, no dropout here.
        for inference, training in zip(outputs, step.gan_outputs):
            np.testing.assert_allclose(inference, training, atol=1e-5)
        per_output = [
            formulas[loss](np.asarray(output, "float64"), target)
            for loss, output, target in zip(losses, outputs, targets)
        ]
        # Keras sums six float32 means in float32; the hand sum is float64 on
        # float32 outputs that differ from the training pass by ~1e-6 each:
        # relative error ~1e-7 measured, 1e-4 leaves room for other CPU kernels.
        np.testing.assert_allclose(step.gan_logs["loss"], np.dot(loss_weights, per_output), rtol=1e-4)
        # Keras 3 names per-output losses after the output's layer: d_A and d_B
        # are unique; g_BA's two outputs (reconstr_A, img_A_id) share one
        # `g_BA_loss` entry, which holds the later one's loss (likewise g_AB),
        # so only the two adversarial terms are compared one by one.
        np.testing.assert_allclose(step.gan_logs["d_A_loss"], per_output[0], rtol=1e-4)
        np.testing.assert_allclose(step.gan_logs["d_B_loss"], per_output[1], rtol=1e-4)
        assert min(step.d_moved) > 1e-6  # d_A and d_B, each in its own two updates
        assert max(step.d_moved_by_gan) == 0.0
        assert min(step.g_moved) > 1e-6  # g_AB and g_BA


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
