import math
import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf

from gankit import losses
from gankit.models import GAN

SHAPE = (4, 4, 1)
PIXELS = 16


def tiny_generator(latent_dim=3):
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            keras.layers.Dense(2 * 2 * 4),
            keras.layers.Reshape((2, 2, 4)),
            keras.layers.Conv2DTranspose(1, 3, strides=2, padding="same", activation="tanh"),
        ],
        name="generator",
    )


def tiny_discriminator():
    return keras.Sequential(
        [
            keras.Input(SHAPE),
            keras.layers.Conv2D(4, 3, strides=2, padding="same"),
            keras.layers.LeakyReLU(0.2),
            keras.layers.Flatten(),
            keras.layers.Dense(1),
        ],
        name="discriminator",
    )


def constant_generator(value, latent_dim=2):
    """G(z) = value everywhere: kernel 0, bias `value` (deterministic fakes)."""
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            keras.layers.Dense(PIXELS, kernel_initializer="zeros", bias_initializer=keras.initializers.Constant(value)),
            keras.layers.Reshape(SHAPE),
        ],
        name="generator",
    )


def linear_critic(weight):
    """D(x) = weight * sum(x): its input gradient is `weight` everywhere."""
    return keras.Sequential(
        [
            keras.Input(SHAPE),
            keras.layers.Flatten(),
            keras.layers.Dense(1, use_bias=False, kernel_initializer=keras.initializers.Constant(weight)),
        ],
        name="discriminator",
    )


def real_batch(value=-0.5, batch=8):
    return np.full((batch,) + SHAPE, value, "float32")


def frozen():
    return {"d_optimizer": keras.optimizers.SGD(0.0), "g_optimizer": keras.optimizers.SGD(0.0)}


def softplus(x):
    return np.logaddexp(0.0, x)


def one_step(gan, images):
    gan.reset_metrics()
    return {k: float(v) for k, v in gan.train_on_batch(images, return_dict=True).items()}


@pytest.fixture
def images(rng):
    return rng.uniform(-1, 1, size=(16,) + SHAPE).astype("float32")


def test_fit_trains_both_networks_and_reports_metrics(images):
    gan = GAN(tiny_generator(), tiny_discriminator())
    gan.compile()
    g_before = [w.copy() for w in gan.generator.get_weights()]
    d_before = [w.copy() for w in gan.discriminator.get_weights()]
    history = gan.fit(images, batch_size=8, epochs=2, verbose=0)
    assert set(history.history) == {
        "d_loss",
        "g_loss",
        "d_real_accuracy",
        "d_fake_accuracy",
        "d_real_loss",
        "d_fake_loss",
    }
    assert all(np.isfinite(v).all() for v in history.history.values())
    assert all(0.0 <= a <= 1.0 for a in history.history["d_real_accuracy"])
    assert any(not np.array_equal(a, b) for a, b in zip(g_before, gan.generator.get_weights()))
    assert any(not np.array_equal(a, b) for a, b in zip(d_before, gan.discriminator.get_weights()))
    assert int(gan.step_counter.numpy()) == 4


def test_default_optimizers_follow_the_sources():
    gan = GAN(tiny_generator(), tiny_discriminator())
    gan.compile()
    for optimizer in (gan.d_optimizer, gan.g_optimizer):
        assert isinstance(optimizer, keras.optimizers.Adam)
        assert float(optimizer.learning_rate) == pytest.approx(2e-4)
        assert optimizer.beta_1 == pytest.approx(0.5)
    assert gan.d_optimizer is not gan.g_optimizer


@pytest.mark.parametrize("family", losses.LOSS_FAMILIES)
def test_every_loss_family_trains(images, family):
    gan = GAN(tiny_generator(), tiny_discriminator())
    gan.compile(loss=family)
    logs = one_step(gan, images[:8])
    assert all(math.isfinite(v) for v in logs.values())


def test_loss_values_are_the_family_formulas():
    # Constant fakes 0.5 and reals -0.5, D(x) = 0.1 * sum(x): logits f = 0.8, r = -0.8.
    gan = GAN(constant_generator(0.5), linear_critic(0.1))
    gan.compile(loss="non_saturating", **frozen())
    logs = one_step(gan, real_batch(-0.5))
    assert logs["d_loss"] == pytest.approx(softplus(0.8) + softplus(0.8), rel=1e-5)
    assert logs["g_loss"] == pytest.approx(softplus(-0.8), rel=1e-5)
    assert logs["d_real_accuracy"] == 0.0 and logs["d_fake_accuracy"] == 0.0
    # The two terms apart: BCE(r=-0.8, 1) = softplus(0.8), BCE(f=0.8, 0) = softplus(0.8).
    assert logs["d_real_loss"] == pytest.approx(softplus(0.8), rel=1e-5)
    assert logs["d_fake_loss"] == pytest.approx(softplus(0.8), rel=1e-5)


def test_real_and_fake_terms_follow_label_smoothing_and_are_left_out_where_they_do_not_exist():
    # One-sided smoothing 0.1: real target 0.9, BCE(-0.8, 0.9) = 0.9 softplus(0.8) + 0.1 softplus(-0.8).
    gan = GAN(constant_generator(0.5), linear_critic(0.1))
    gan.compile(loss="non_saturating", label_smoothing=0.1, **frozen())
    logs = one_step(gan, real_batch(-0.5))
    assert logs["d_real_loss"] == pytest.approx(0.9 * softplus(0.8) + 0.1 * softplus(-0.8), rel=1e-5)
    assert logs["d_real_loss"] + logs["d_fake_loss"] == pytest.approx(logs["d_loss"], rel=1e-5)
    # RSGAN's single paired term does not split: no such logs.
    gan = GAN(constant_generator(0.5), linear_critic(0.1))
    gan.compile(loss="rsgan", **frozen())
    assert "d_real_loss" not in one_step(gan, real_batch(-0.5))


@pytest.mark.parametrize("d_steps,g_steps", [(1, 1), (5, 1), (1, 5), (2, 3)])
def test_step_ratio(images, d_steps, g_steps):
    gan = GAN(tiny_generator(), tiny_discriminator())
    gan.compile(d_steps=d_steps, g_steps=g_steps)
    gan.fit(images, batch_size=8, epochs=1, verbose=0)  # 2 train steps
    assert int(gan.d_optimizer.iterations.numpy()) == 2 * d_steps
    assert int(gan.g_optimizer.iterations.numpy()) == 2 * g_steps


def test_gradient_penalty_weight_adds_the_penalty():
    # D(x) = 0.25 * sum(x) on 16 pixels: ||grad|| = 0.25 * 4 = 1 ... use 0.5:
    # ||grad|| = 0.5 * sqrt(16) = 2, penalty (2 - 1)^2 = 1, weight 10 adds 10.
    base = GAN(constant_generator(0.5), linear_critic(0.5))
    base.compile(loss="wasserstein", **frozen())
    penalised = GAN(constant_generator(0.5), linear_critic(0.5))
    penalised.compile(loss="wasserstein", gradient_penalty_weight=10.0, **frozen())
    plain = one_step(base, real_batch())["d_loss"]
    assert plain == pytest.approx(0.5 * 16 * 0.5 - 0.5 * 16 * -0.5)  # mean(f) - mean(r) = 8
    assert one_step(penalised, real_batch())["d_loss"] == pytest.approx(plain + 10.0, rel=1e-5)


def test_weight_clipping(images):
    gan = GAN(tiny_generator(), tiny_discriminator())
    gan.compile(
        loss="wasserstein",
        clip_value=0.01,
        d_optimizer=keras.optimizers.SGD(1.0),
        g_optimizer=keras.optimizers.SGD(0.0),
    )
    gan.fit(images, batch_size=8, epochs=1, verbose=0)
    for weight in gan.discriminator.trainable_weights:
        assert np.abs(weight.numpy()).max() <= 0.01 + 1e-7


def test_one_sided_label_smoothing():
    gan = GAN(constant_generator(0.5), linear_critic(0.1))
    gan.compile(loss="non_saturating", label_smoothing=0.1, **frozen())
    # BCE(x, z) = z * softplus(-x) + (1 - z) * softplus(x); r = -0.8, target 0.9.
    expected = 0.9 * softplus(0.8) + 0.1 * softplus(-0.8) + softplus(0.8)
    assert one_step(gan, real_batch())["d_loss"] == pytest.approx(expected, rel=1e-5)


def test_label_smoothing_ranges():
    gan = GAN(constant_generator(0.5), linear_critic(0.1))
    gan.compile(loss="non_saturating", label_smoothing=((0.7, 1.0), (0.0, 0.3)), **frozen())

    # BCE is linear in the target, so the loss lies between its values at the range ends.
    def bce(x, z):
        return z * softplus(-x) + (1 - z) * softplus(x)

    ends = [bce(-0.8, 1.0) + bce(0.8, 0.0), bce(-0.8, 0.7) + bce(0.8, 0.3)]
    low, high = min(ends), max(ends)
    values = [one_step(gan, real_batch())["d_loss"] for _ in range(3)]
    assert all(low - 1e-6 <= v <= high + 1e-6 for v in values)
    assert len(set(values)) > 1  # targets are redrawn every step


def test_flipping_every_label():
    gan = GAN(constant_generator(0.5), linear_critic(0.1))
    gan.compile(loss="non_saturating", label_flip_rate=1.0, **frozen())
    # All targets flipped: BCE(r=-0.8, 0) + BCE(f=0.8, 1) = 2 * softplus(-0.8).
    assert one_step(gan, real_batch())["d_loss"] == pytest.approx(2 * softplus(-0.8), rel=1e-5)


def test_label_tricks_need_a_family_with_targets():
    gan = GAN(tiny_generator(), tiny_discriminator())
    with pytest.raises(ValueError, match="targets"):
        gan.compile(loss="wasserstein", label_smoothing=0.1)


def test_instance_noise_is_annealed():
    gan = GAN(constant_generator(0.5), linear_critic(0.1))
    schedule = losses.InstanceNoiseSchedule(initial_stddev=1.0, decay_steps=2)
    gan.compile(loss="wasserstein", instance_noise=schedule, **frozen())
    clean = 0.1 * 16 * 0.5 - 0.1 * 16 * -0.5  # 1.6
    noisy = one_step(gan, real_batch())["d_loss"]  # step 0: stddev 1
    one_step(gan, real_batch())  # step 1: stddev 0.5
    annealed = one_step(gan, real_batch())["d_loss"]  # step 2: stddev 0
    assert noisy != pytest.approx(clean, abs=1e-3)
    assert annealed == pytest.approx(clean, rel=1e-6)


def test_experience_replay_shows_past_fakes():
    # The pool (gankit.engine.ImagePool) holds one batch of 8; fakes fill it
    # first and pass through, then with replay_fraction 1 every fake is
    # swapped for a distinct stored one, which it replaces.
    gan = GAN(constant_generator(0.5), linear_critic(0.1))
    gan.compile(loss="wasserstein", replay_pool_size=8, replay_fraction=1.0, **frozen())
    first = one_step(gan, real_batch())["d_loss"]  # empty pool: fresh fakes of 0.5
    assert first == pytest.approx(1.6, rel=1e-6)
    assert int(gan.replay_pool.count.numpy()) == 8
    np.testing.assert_allclose(gan.replay_pool.stored["images"].numpy(), 0.5)
    # The generator now makes -0.5, but with replay_fraction 1 the
    # discriminator only sees pooled fakes of 0.5.
    gan.generator.layers[0].bias.assign(np.full(PIXELS, -0.5, "float32"))
    assert one_step(gan, real_batch())["d_loss"] == pytest.approx(1.6, rel=1e-6)
    np.testing.assert_allclose(gan.replay_pool.stored["images"].numpy(), -0.5)


def test_unrolled_generator_gradient_includes_the_unrolled_step():
    # G(z) = b (bias only; kernel 0), D(x) = w . x, Wasserstein loss, reals r.
    # One unrolled SGD step: w' = w - eta * (b - r) (per-pixel, the batch mean).
    # L_G = -w' . b = -(w - eta * (b - r)) . b  =>  dL/db = -w + eta * (2b - r).
    # Without the unrolling term the gradient would be -w' = -w + eta * (b - r).
    w, b, r, eta = 0.3, 0.2, -0.4, 0.5
    gan = GAN(constant_generator(b), linear_critic(w))
    gan.compile(
        loss="wasserstein",
        unrolled_steps=1,
        unrolled_learning_rate=eta,
        d_optimizer=keras.optimizers.SGD(0.0),
        g_optimizer=keras.optimizers.SGD(1.0),
    )
    one_step(gan, real_batch(r))
    gradient = -w + eta * (2 * b - r)
    np.testing.assert_allclose(gan.generator.layers[0].bias.numpy(), b - gradient, rtol=1e-5)
    # The real discriminator was not changed by the unrolling.
    np.testing.assert_allclose(gan.discriminator.get_weights()[0], w)


def _unrolled_by_keras_adam(gan, images, steps):
    """The oracle: `steps` real Keras Adam updates of a copy of D, from a copy of d_optimizer's state."""
    source = gan.d_optimizer
    copy = keras.models.clone_model(gan.discriminator)
    copy.set_weights(gan.discriminator.get_weights())
    adam = keras.optimizers.Adam.from_config(source.get_config())
    adam.build(copy.trainable_variables)
    for mine, theirs in zip(adam.variables, source.variables):
        mine.assign(theirs)  # iterations, moments and velocities
    for _ in range(steps):
        with tf.GradientTape() as tape:
            fakes = gan.sample_fakes({"images": images})
            loss = gan._adversarial_d_loss(copy(images, training=True), copy(fakes["images"], training=True))
        adam.apply_gradients(zip(tape.gradient(loss, copy.trainable_variables), copy.trainable_variables))
    return [w.numpy() for w in copy.trainable_variables]


def test_unrolled_look_ahead_is_the_discriminators_own_adam(images):
    # Metz et al. unroll the discriminator's optimizer: Adam from its current
    # moments and step count. Train two steps first so the moments are not zero.
    gan = GAN(tiny_generator(), tiny_discriminator())
    gan.compile(d_optimizer=keras.optimizers.Adam(2e-3, beta_1=0.5), unrolled_steps=3)
    gan.train_on_batch(images[:8])
    gan.train_on_batch(images[8:])
    batch = tf.constant(images[:8])
    state = gan.rng_state.numpy()
    before = [w.numpy() for w in gan.d_optimizer.variables]
    unrolled, _ = gan._unrolled_weights({"images": batch})
    gan.rng_state.assign(state)  # the oracle draws the same latents
    expected = _unrolled_by_keras_adam(gan, batch, 3)
    for mine, theirs in zip(unrolled, expected):
        np.testing.assert_allclose(mine.numpy(), theirs, rtol=1e-4, atol=1e-6)
    # Three Adam steps moved D by about 3 * lr per weight, an SGD step at the
    # same rate by far less (the gradients here are ~1e-2).
    start = gan.discriminator.trainable_variables[0].numpy()
    assert np.max(np.abs(unrolled[0].numpy() - start)) > 2e-3
    # The real optimizer's state is untouched.
    for a, b in zip(before, gan.d_optimizer.variables):
        np.testing.assert_array_equal(a, b.numpy())


def test_unrolled_look_ahead_takes_two_steps_with_real_then_fake(images):
    # With the book's two discriminator steps per update, each unrolled
    # update is two Adam steps: non-saturating real term mean(softplus(-r))
    # on the real batch, then the fake term mean(softplus(f)) on the fakes.
    gan = GAN(tiny_generator(), tiny_discriminator())
    gan.compile(d_optimizer=keras.optimizers.Adam(2e-3, beta_1=0.5), unrolled_steps=2, d_update="real_then_fake")
    gan.train_on_batch(images[:8])
    assert int(gan.d_optimizer.iterations) == 2
    batch = tf.constant(images[:8])
    state = gan.rng_state.numpy()
    unrolled, _ = gan._unrolled_weights({"images": batch})
    gan.rng_state.assign(state)
    copy = keras.models.clone_model(gan.discriminator)
    copy.set_weights(gan.discriminator.get_weights())
    adam = keras.optimizers.Adam.from_config(gan.d_optimizer.get_config())
    adam.build(copy.trainable_variables)
    for mine, theirs in zip(adam.variables, gan.d_optimizer.variables):
        mine.assign(theirs)
    for _ in range(2):
        fakes = gan.sample_fakes({"images": batch})["images"]
        for images, sign in ((batch, -1.0), (fakes, 1.0)):
            with tf.GradientTape() as tape:
                value = tf.reduce_mean(tf.nn.softplus(sign * copy(images, training=True)))
            adam.apply_gradients(zip(tape.gradient(value, copy.trainable_variables), copy.trainable_variables))
    for mine, theirs in zip(unrolled, copy.trainable_variables):
        np.testing.assert_allclose(mine.numpy(), theirs.numpy(), rtol=1e-4, atol=1e-6)
    # Four Adam steps land elsewhere than two joint ones.
    gan.rng_state.assign(state)
    joint = _unrolled_by_keras_adam(gan, batch, 2)
    assert max(float(np.max(np.abs(a - b.numpy()))) for a, b in zip(joint, unrolled)) > 1e-4


def test_unrolled_sgd_option_and_unsupported_optimizers(images):
    gan = GAN(tiny_generator(), tiny_discriminator())
    gan.compile(d_optimizer=keras.optimizers.Adam(2e-3), unrolled_steps=1, unrolled_optimizer="sgd")
    assert gan.training_options["unrolled_learning_rate"] == pytest.approx(2e-3)
    batch = {"images": tf.constant(images[:8])}
    state = gan.rng_state.numpy()
    unrolled, _ = gan._unrolled_weights(batch)
    gan.rng_state.assign(state)
    d = gan.discriminator
    with tf.GradientTape() as tape:
        fakes = gan.sample_fakes(batch)
        loss = gan._adversarial_d_loss(d(batch["images"], training=True), d(fakes["images"], training=True))
    gradients = tape.gradient(loss, d.trainable_variables)
    for mine, w, g in zip(unrolled, d.trainable_variables, gradients):
        np.testing.assert_allclose(mine.numpy(), (w - 2e-3 * g).numpy(), rtol=1e-5, atol=1e-7)
    for optimizer in (keras.optimizers.SGD(0.1, momentum=0.9), keras.optimizers.RMSprop(), keras.optimizers.AdamW()):
        with pytest.raises(ValueError, match='unrolled_optimizer="discriminator"` can unroll an Adam'):
            GAN(tiny_generator(), tiny_discriminator()).compile(d_optimizer=optimizer, unrolled_steps=1)
    with pytest.raises(ValueError, match="`unrolled_optimizer` must be one of"):
        GAN(tiny_generator(), tiny_discriminator()).compile(unrolled_steps=1, unrolled_optimizer="rmsprop")


def test_ema_generator_tracks_the_average():
    gan = GAN(constant_generator(0.2), linear_critic(0.3), ema_decay=0.9)
    gan.compile(loss="wasserstein", d_optimizer=keras.optimizers.SGD(0.0), g_optimizer=keras.optimizers.SGD(1.0))
    one_step(gan, real_batch())
    new_bias = gan.generator.layers[0].bias.numpy()
    assert not np.allclose(new_bias, 0.2)
    expected = 0.9 * 0.2 + 0.1 * new_bias
    np.testing.assert_allclose(gan.ema_generator.layers[0].bias.numpy(), expected, rtol=1e-6)
    # generate() uses the average unless told otherwise.
    latents = gan.sample_latents(2, seed=0)
    averaged = (gan.ema_generator(latents).numpy() + 1) / 2
    trained = (gan.generator(latents).numpy() + 1) / 2
    assert not np.allclose(averaged, trained)
    np.testing.assert_allclose(gan.generate(latents=latents), averaged, rtol=1e-6)
    np.testing.assert_allclose(gan.generate(latents=latents, use_ema=False), trained, rtol=1e-6)


def test_ema_generator_copies_batch_norm_statistics(images):
    # Trainable weights are averaged; the moving statistics of batch norm are copied, not averaged.
    generator = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(PIXELS),
            keras.layers.BatchNormalization(momentum=0.5),
            keras.layers.Reshape(SHAPE),
        ],
        name="generator",
    )
    gan = GAN(generator, tiny_discriminator(), ema_decay=0.9)
    gan.compile(d_optimizer=keras.optimizers.SGD(0.0), g_optimizer=keras.optimizers.SGD(0.5))
    gamma_before = generator.layers[1].gamma.numpy()
    one_step(gan, images)
    live, average = generator.layers[1], gan.ema_generator.layers[1]
    assert not np.allclose(live.moving_mean.numpy(), 0.0)  # the step moved the statistics
    np.testing.assert_array_equal(average.moving_mean.numpy(), live.moving_mean.numpy())
    np.testing.assert_array_equal(average.moving_variance.numpy(), live.moving_variance.numpy())
    gamma = live.gamma.numpy()
    assert not np.allclose(gamma, gamma_before)
    np.testing.assert_allclose(average.gamma.numpy(), 0.9 * gamma_before + 0.1 * gamma, rtol=1e-6)


@pytest.mark.parametrize("distribution", ["normal", "uniform"])
def test_latent_distribution(distribution):
    gan = GAN(tiny_generator(latent_dim=64), tiny_discriminator(), latent_distribution=distribution)
    latents = gan.sample_latents(2000, seed=0)
    graph_latents = gan._sample_latents_tensor(2000).numpy()
    for sample in (latents, graph_latents):
        if distribution == "uniform":
            assert sample.min() >= -1.0 and sample.max() <= 1.0
            assert sample.std() == pytest.approx(1 / math.sqrt(3), rel=0.02)
        else:
            assert sample.std() == pytest.approx(1.0, rel=0.02)
            assert np.abs(sample).max() > 1.0


def test_learning_rate_schedules(images):
    schedule = keras.optimizers.schedules.CosineDecay(1e-3, decay_steps=4)
    gan = GAN(tiny_generator(), tiny_discriminator())
    gan.compile(
        d_optimizer=keras.optimizers.Adam(schedule, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(5e-4, beta_1=0.5),
    )
    gan.fit(images, batch_size=8, epochs=1, verbose=0)  # 2 steps
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(float(schedule(2)), rel=1e-6)
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(5e-4)


def test_mixed_precision(images):
    keras.mixed_precision.set_dtype_policy("mixed_float16")
    gan = GAN(tiny_generator(), tiny_discriminator())
    gan.compile()
    assert isinstance(gan.d_optimizer, keras.optimizers.LossScaleOptimizer)
    assert isinstance(gan.g_optimizer, keras.optimizers.LossScaleOptimizer)
    history = gan.fit(images, batch_size=8, epochs=1, verbose=0)
    assert all(np.isfinite(v).all() for v in history.history.values())
    generated = gan.generate(4, seed=1)
    assert generated.dtype == np.float32
    assert keras.backend.standardize_dtype(gan.generator(gan.sample_latents(2)).dtype) == "float16"


@pytest.mark.cpu_invariance
def test_generate(images):
    gan = GAN(tiny_generator(), tiny_discriminator())
    first = gan.generate(5, seed=3, batch_size=2)
    assert first.shape == (5,) + SHAPE and first.dtype == np.float32
    assert first.min() >= 0.0 and first.max() <= 1.0
    # Batches of 2 vs one batch of 5: on CPUs without AVX-512 oneDNN (and
    # Eigen) sum a conv's/matmul's products in a batch-dependent order, so
    # pixels may differ by a few float32 ulp (1 ulp = 6e-8 in [0.5, 1);
    # measured: 1-2 ulp under ONEDNN_MAX_CPU_ISA=AVX2, 1 ulp with Eigen's
    # kernels, TF_ENABLE_ONEDNN_OPTS=0, on an AVX2 AMD EPYC). The pixels are in
    # [0, 1] and come from pre-activations of magnitude ~1, hence an absolute
    # tolerance: 1e-6 is ~16 ulp, while a wrong batching moves pixels by >1e-2.
    whole = gan.generate(5, seed=3)
    np.testing.assert_allclose(whole, first, rtol=0, atol=1e-6)
    # The seed reproduces the latents exactly, and the same latents in the
    # same single batch are the same computation: bit-identical images.
    latents = gan.sample_latents(5, seed=3)
    np.testing.assert_array_equal(latents, gan.sample_latents(5, seed=3))
    np.testing.assert_array_equal(gan.generate(latents=latents), whole)
    with pytest.raises(ValueError, match="exactly one"):
        gan.generate()
    with pytest.raises(ValueError, match="latents"):
        gan.generate(latents=np.zeros((2, 7)))


def test_saved_generator_gives_identical_images(tmp_path, images):
    gan = GAN(tiny_generator(), tiny_discriminator())
    gan.compile()
    gan.fit(images, batch_size=8, epochs=1, verbose=0)
    latents = gan.sample_latents(6, seed=0)
    gan.generator.save(tmp_path / "generator.keras")
    loaded = keras.saving.load_model(tmp_path / "generator.keras", safe_mode=True)
    np.testing.assert_array_equal(loaded(latents).numpy(), gan.generator(latents).numpy())


def test_whole_gan_round_trip(tmp_path, images):
    gan = GAN(tiny_generator(), tiny_discriminator(), latent_distribution="uniform", ema_decay=0.99)
    gan.compile(loss="hinge", d_steps=2, replay_pool_size=8, instance_noise=0.1)
    gan.fit(images, batch_size=8, epochs=1, verbose=0)
    config = gan.get_config()
    clone = GAN.from_config(config)
    assert clone.get_config() == config

    gan.save(tmp_path / "gan.keras")
    loaded = keras.saving.load_model(tmp_path / "gan.keras", safe_mode=True)
    assert isinstance(loaded, GAN)
    assert loaded.latent_distribution == "uniform" and loaded.ema_decay == 0.99
    assert loaded.training_options == gan.training_options
    latents = gan.sample_latents(4, seed=1)
    np.testing.assert_array_equal(loaded.generate(latents=latents), gan.generate(latents=latents))
    np.testing.assert_array_equal(loaded.replay_pool.stored["images"].numpy(), gan.replay_pool.stored["images"].numpy())
    assert int(loaded.step_counter.numpy()) == 2
    assert int(loaded.d_optimizer.iterations.numpy()) == int(gan.d_optimizer.iterations.numpy())
    loaded.fit(images, batch_size=8, epochs=1, verbose=0)  # training resumes
    assert int(loaded.step_counter.numpy()) == 4


@pytest.mark.cpu_invariance
def test_losses_are_scaled_by_the_global_batch_under_mirrored_strategy(mirrored_strategy):
    # Wasserstein with D(x) = sum_i w_i x_i, constant fakes 0.5 and reals -0.5:
    # dL_D/dw_i = mean(fake_i) - mean(real_i) = 1. One SGD step of 0.01 moves
    # every w_i from 0.1 to 0.09 on one device; without global-batch scaling
    # the two replicas' gradients would add up to a step twice as long.
    def run(strategy):
        with strategy.scope():
            gan = GAN(constant_generator(0.5), linear_critic(0.1))
            gan.compile(
                loss="wasserstein", d_optimizer=keras.optimizers.SGD(0.01), g_optimizer=keras.optimizers.SGD(0.0)
            )
        gan.fit(real_batch(-0.5, batch=8), batch_size=8, epochs=1, verbose=0)
        return gan.discriminator.get_weights()[0]

    single = run(tf.distribute.get_strategy())
    mirrored = run(mirrored_strategy)
    np.testing.assert_allclose(single, 0.09, rtol=1e-5)
    # Two replicas sum their half-batch means in another order than one
    # device: equal up to a few float32 ulp (6e-9 at 0.09), not bit for bit;
    # rtol=1e-5 (9e-7) is far below the 0.01 of a wrongly doubled step.
    np.testing.assert_allclose(mirrored, single, rtol=1e-5)


@pytest.mark.parametrize(
    "kwargs,error,match",
    [
        ({"loss": "nope"}, ValueError, "loss family"),
        ({"d_steps": 0}, ValueError, "d_steps"),
        ({"g_steps": 1.5}, TypeError, "g_steps"),
        ({"gradient_penalty_weight": -1.0}, ValueError, "gradient_penalty_weight"),
        ({"clip_value": 0.0}, ValueError, "clip_value"),
        ({"label_smoothing": (0.7, 1.0)}, ValueError, "label_smoothing"),
        ({"label_flip_rate": 1.5}, ValueError, "label_flip_rate"),
        ({"replay_fraction": -0.1}, ValueError, "replay_fraction"),
        ({"unrolled_steps": -1}, ValueError, "unrolled_steps"),
        ({"instance_noise": -0.1}, ValueError, "instance_noise"),
    ],
)
def test_bad_compile_arguments(kwargs, error, match):
    gan = GAN(tiny_generator(), tiny_discriminator())
    with pytest.raises(error, match=match):
        gan.compile(**kwargs)


def test_shared_optimizer_rejected():
    gan = GAN(tiny_generator(), tiny_discriminator())
    optimizer = keras.optimizers.Adam()
    with pytest.raises(ValueError, match="two optimizer objects"):
        gan.compile(d_optimizer=optimizer, g_optimizer=optimizer)
    with pytest.raises(TypeError, match="`d_optimizer` must be a keras optimizer"):
        gan.compile(d_optimizer="adam")


@pytest.mark.parametrize(
    "kwargs,error,match",
    [
        ({"latent_distribution": "cauchy"}, ValueError, "latent_distribution"),
        ({"ema_decay": 1.0}, ValueError, "ema_decay"),
        ({"latent_dim": 5}, ValueError, "latent_dim"),
        ({"generator": "g"}, TypeError, "generator"),
    ],
)
def test_bad_constructor_arguments(kwargs, error, match):
    arguments = {"generator": tiny_generator(), "discriminator": tiny_discriminator(), **kwargs}
    with pytest.raises(error, match=match):
        GAN(**arguments)


def test_fit_without_compile_is_a_clear_error(images):
    gan = GAN(tiny_generator(), tiny_discriminator())
    with pytest.raises(Exception, match="compile"):
        gan.fit(images, batch_size=8, epochs=1, verbose=0)


@pytest.mark.parametrize("as_dataset", [False, True])
def test_images_on_another_scale_give_one_warning(images, as_dataset):
    # [0, 255] pixels for a tanh generator: the discriminator wins by range alone (d_loss ~50).
    pixels = (images + 1.0) * 127.5
    data = tf.data.Dataset.from_tensor_slices(pixels).batch(8) if as_dataset else pixels
    gan = GAN(tiny_generator(), tiny_discriminator())
    gan.compile()
    with pytest.warns(
        UserWarning, match=r"real images in \[\d.*, 25\d.*\], but the generator outputs \[-1, 1\]"
    ) as caught:
        gan.fit(data, batch_size=None if as_dataset else 8, epochs=1, verbose=0)
    # The warning points at the caller's `fit()` line, not inside gankit.
    assert [w.filename for w in caught if "range alone" in str(w.message)] == [__file__]


def test_images_in_range_give_no_warning(images):
    gan = GAN(tiny_generator(), tiny_discriminator())
    gan.compile()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gan.fit(images, batch_size=8, epochs=1, verbose=0)
