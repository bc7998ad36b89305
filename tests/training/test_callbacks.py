"""Callbacks of gankit.training.callbacks, each run inside a real `fit()` on a stub GAN."""

import doctest
import glob
import importlib
import inspect
import os
import re

import imageio.v3 as iio
import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import ops

from gankit import viz
from gankit.training import callbacks
from gankit.training.callbacks import DiscriminatorAccuracyReport
from gankit.training.callbacks import GANLearningRateScheduler
from gankit.training.callbacks import GeneratorCheckpoint
from gankit.training.callbacks import LossPlot
from gankit.training.callbacks import SampleGrid
from gankit.training.callbacks import TensorBoardScalars
from gankit.training.callbacks import TrainingGif
from gankit.training.callbacks import cosine_decay

IMAGE_SHAPE = (8, 8, 1)
LATENT_DIM = 4
LOG_NAMES = ("d_loss", "g_loss", "d_real_accuracy", "d_fake_accuracy")


class StubGAN(keras.Model):
    """The GAN contract in miniature: generator, discriminator, two optimizers,
    `sample_latents`, `generate`, and a non-saturating `train_step` whose
    losses are tracked with `keras.metrics.Mean` (so batch logs are running
    means, the keras.io convention)."""

    def __init__(self, generator=None, discriminator=None):
        super().__init__()
        self.latent_dim = LATENT_DIM
        self.generator = generator or keras.Sequential(
            [
                keras.Input((LATENT_DIM,)),
                keras.layers.Dense(int(np.prod(IMAGE_SHAPE)), activation="tanh"),
                keras.layers.Reshape(IMAGE_SHAPE),
            ],
            name="generator",
        )
        self.discriminator = discriminator or keras.Sequential(
            [keras.Input(IMAGE_SHAPE), keras.layers.Flatten(), keras.layers.Dense(1)],
            name="discriminator",
        )
        self.trackers = {name: keras.metrics.Mean(name=name) for name in LOG_NAMES}

    @property
    def metrics(self):
        return list(self.trackers.values())

    def compile(self, d_optimizer=None, g_optimizer=None):
        # Eager steps: no tracing, which keeps these tiny fits fast.
        super().compile(run_eagerly=True)
        self.d_optimizer = d_optimizer or keras.optimizers.Adam(0.05)
        self.g_optimizer = g_optimizer or keras.optimizers.Adam(0.05)

    def sample_latents(self, n, seed=None):
        return np.random.default_rng(seed).standard_normal((n, LATENT_DIM)).astype("float32")

    def generate(self, n=None, *, seed=None, latents=None, batch_size=256):
        if latents is None:
            latents = self.sample_latents(n, seed)
        batches = [
            ops.convert_to_numpy(self.generator(latents[i : i + batch_size], training=False))
            for i in range(0, len(latents), batch_size)
        ]
        return (np.concatenate(batches) + 1.0) / 2.0

    def train_step(self, real):
        latents = keras.random.normal((ops.shape(real)[0], LATENT_DIM))
        with tf.GradientTape() as tape:
            real_logits = self.discriminator(real, training=True)
            fake_logits = self.discriminator(self.generator(latents, training=True), training=True)
            d_loss = ops.mean(ops.softplus(-real_logits)) + ops.mean(ops.softplus(fake_logits))
        weights = self.discriminator.trainable_weights
        self.d_optimizer.apply_gradients(zip(tape.gradient(d_loss, weights), weights))
        with tf.GradientTape() as tape:
            fake_logits = self.discriminator(self.generator(latents, training=True), training=True)
            g_loss = ops.mean(ops.softplus(-fake_logits))
        weights = self.generator.trainable_weights
        self.g_optimizer.apply_gradients(zip(tape.gradient(g_loss, weights), weights))
        self._track(
            d_loss,
            g_loss,
            ops.mean(ops.cast(real_logits > 0, "float32")),
            ops.mean(ops.cast(fake_logits < 0, "float32")),
        )
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def _track(self, *values):
        for name, value in zip(LOG_NAMES, values):
            self.trackers[name].update_state(value)


class CountingGAN(StubGAN):
    """No training; batch k (counted over the whole run from 1) has
    d_loss = k and g_loss = 10 k, so the per-batch values are known."""

    def __init__(self, raw_logs=False, **kwargs):
        super().__init__(**kwargs)
        self.raw_logs = raw_logs
        self.step = keras.Variable(0.0, trainable=False)

    def train_step(self, real):
        self.step.assign_add(1.0)
        step = ops.convert_to_tensor(self.step)
        values = (step, 10.0 * step, 0.5, 0.5)
        if self.raw_logs:
            return dict(zip(LOG_NAMES, values))
        self._track(*values)
        return {name: tracker.result() for name, tracker in self.trackers.items()}


def _documented_arguments(doc):
    """Names in the docstring's `Args:` section, in order."""
    section = doc.split("Args:\n", 1)[1]
    section = re.split(r"\n\s*\n\s{0,4}\w[\w ]*:\n", section)[0]
    return re.findall(r"^ {8}(\w+):", section, re.M)


def _data(num_images=8, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (num_images,) + IMAGE_SHAPE).astype("float32")


def _fit(model, callback_list, epochs=2, num_images=8, batch_size=4, **kwargs):
    if not model.compiled:
        model.compile()
    return model.fit(
        _data(num_images),
        batch_size=batch_size,
        epochs=epochs,
        verbose=0,
        shuffle=False,
        callbacks=callback_list,
        **kwargs,
    )


def test_public_names_are_pinned():
    assert sorted(callbacks.__all__) == [
        "DiscriminatorAccuracyReport",
        "GANLearningRateScheduler",
        "GeneratorCheckpoint",
        "LossPlot",
        "SampleGrid",
        "TensorBoardScalars",
        "TrainingGif",
        "cosine_decay",
    ]
    for name in callbacks.__all__:
        doc = getattr(callbacks, name).__doc__
        assert "Args:" in doc and "Raises:" in doc and "Example:" in doc, name


@pytest.mark.parametrize("name", callbacks.__all__)
def test_documented_arguments_match_the_signature(name):
    documented = _documented_arguments(getattr(callbacks, name).__doc__)
    assert documented == list(inspect.signature(getattr(callbacks, name)).parameters)


@pytest.mark.parametrize("module", ["images", "logs", "checkpoints", "schedules"])
def test_docstring_examples_run(module):
    # The examples only construct callbacks; nothing is written. The
    # callbacks live by concern; `callbacks` gathers them.
    module = importlib.import_module(f"gankit.training.{module}")
    result = doctest.testmod(module, globs={**vars(callbacks), "np": np}, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_the_callbacks_module_gathers_every_callback():
    for name in callbacks.__all__:
        assert getattr(callbacks, name).__module__.startswith("gankit.training."), name


# --- SampleGrid -------------------------------------------------------------------


def test_sample_grid_every_n_epochs_and_after_the_last(tmp_path):
    model = StubGAN()
    callback = SampleGrid(tmp_path / "samples", every_n_epochs=2, num_samples=4, seed=3)
    _fit(model, [callback], epochs=3)
    names = ["samples_epoch_0002.png", "samples_epoch_0003.png"]
    assert sorted(os.listdir(tmp_path / "samples")) == names
    assert callback.paths == [str(tmp_path / "samples" / name) for name in names]
    np.testing.assert_array_equal(callback.latents, model.sample_latents(4, seed=3))
    # The last grid shows the final generator on the fixed latents, 2x2 with 2-pixel gaps.
    grid = iio.imread(callback.paths[-1])
    assert grid.shape == (18, 18)
    np.testing.assert_array_equal(grid, viz.image_grid(model.generate(latents=callback.latents)))


def test_sample_grid_keeps_its_latents_across_fits(tmp_path):
    model = StubGAN()
    callback = SampleGrid(tmp_path, num_samples=6, seed=None, rows=3)
    _fit(model, [callback], epochs=1)
    latents = callback.latents.copy()
    _fit(model, [callback], epochs=2, initial_epoch=1)
    np.testing.assert_array_equal(callback.latents, latents)
    assert [os.path.basename(path) for path in callback.paths] == [
        "samples_epoch_0001.png",
        "samples_epoch_0002.png",
    ]
    assert iio.imread(callback.paths[-1]).shape == (3 * 8 + 4, 2 * 8 + 2)  # rows=3 -> 3x2


def test_sample_grid_needs_the_gan_contract(tmp_path):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    with pytest.raises(TypeError, match="sample_latents"):
        model.fit(np.zeros((2, 2)), np.zeros((2, 1)), verbose=0, callbacks=[SampleGrid(tmp_path)])


@pytest.mark.parametrize(
    "kwargs,error,match",
    [
        ({"every_n_epochs": 0}, ValueError, "every_n_epochs"),
        ({"num_samples": 2.0}, TypeError, "num_samples"),
        ({"seed": -1}, ValueError, "seed"),
        ({"rows": 0}, ValueError, "rows"),
        ({"filename": "samples.png"}, ValueError, "epoch"),
        ({"filename": "samples_{step}.png"}, ValueError, "format string"),
        ({"filename": "samples_{epoch.real.x}.png"}, ValueError, "format string"),
        ({"filename": "samples_{epoch}.gif"}, ValueError, "end in"),
        ({"padding": -1}, ValueError, "padding"),
    ],
)
def test_sample_grid_bad_arguments(tmp_path, kwargs, error, match):
    with pytest.raises(error, match=match):
        SampleGrid(tmp_path, **kwargs)


def test_sample_grid_bad_output_dir():
    with pytest.raises(TypeError, match="output_dir"):
        SampleGrid(None)


# --- TrainingGif ------------------------------------------------------------------


def test_training_gif_holds_one_frame_per_epoch(tmp_path):
    callback = TrainingGif(tmp_path / "training.gif", num_samples=4, duration=0.3)
    _fit(StubGAN(), [callback], epochs=3)
    assert len(callback.frames) == 3
    frames = iio.imread(tmp_path / "training.gif", index=None)
    frames = frames if frames.ndim == 3 else frames[..., 0]
    # Grayscale GIF frames are exact; Pillow would merge identical ones, and
    # these differ because the generator trains.
    np.testing.assert_array_equal(frames, np.stack(callback.frames))
    assert iio.immeta(tmp_path / "training.gif", index=0)["duration"] == 300


def test_training_gif_can_be_written_after_an_interruption(tmp_path):
    class Interrupt(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                raise KeyboardInterrupt

    callback = TrainingGif(tmp_path / "run.gif", num_samples=4)
    with pytest.raises(ValueError, match="no frames"):
        callback.write()
    with pytest.raises(KeyboardInterrupt):
        _fit(StubGAN(), [callback, Interrupt()], epochs=4)
    assert not (tmp_path / "run.gif").exists()  # Keras skipped on_train_end
    assert callback.write() == str(tmp_path / "run.gif")
    assert iio.imread(tmp_path / "run.gif", index=None).shape[0] == len(callback.frames) == 2


@pytest.mark.parametrize(
    "kwargs,error",
    [
        ({"duration": 0}, ValueError),
        ({"duration": "1"}, TypeError),
        ({"every_n_epochs": 1.5}, TypeError),
    ],
)
def test_training_gif_bad_arguments(tmp_path, kwargs, error):
    with pytest.raises(error):
        TrainingGif(tmp_path / "a.gif", **kwargs)


# --- LossPlot ---------------------------------------------------------------------


@pytest.mark.parametrize("raw_logs", [False, True], ids=["running_means", "per_batch_logs"])
def test_loss_plot_records_every_batch_value(tmp_path, raw_logs):
    callback = LossPlot(tmp_path / "plots", running_means=not raw_logs)
    _fit(CountingGAN(raw_logs=raw_logs), [callback], epochs=2, batch_size=2)  # 4 batches per epoch
    np.testing.assert_allclose(callback.history["d_loss"], [1, 2, 3, 4, 5, 6, 7, 8], rtol=1e-6)
    np.testing.assert_allclose(callback.history["g_loss"], [10, 20, 30, 40, 50, 60, 70, 80], rtol=1e-6)
    np.testing.assert_allclose(callback.epoch_history["d_loss"], [5, 6, 7, 8], rtol=1e-6)
    assert sorted(os.listdir(tmp_path / "plots")) == [
        "losses_all_time.png",
        "losses_epoch_0001.png",
        "losses_epoch_0002.png",
    ]
    assert iio.imread(tmp_path / "plots" / "losses_all_time.png").shape[:2] == (500, 1000)


def test_loss_plot_every_n_epochs_still_records_every_batch(tmp_path):
    callback = LossPlot(tmp_path, every_n_epochs=2, keys=("g_loss",))
    _fit(CountingGAN(), [callback], epochs=3, batch_size=4)
    np.testing.assert_allclose(callback.history["g_loss"], [10, 20, 30, 40, 50, 60], rtol=1e-6)
    assert sorted(os.listdir(tmp_path)) == ["losses_all_time.png", "losses_epoch_0002.png"]


def test_loss_plot_on_a_training_gan(tmp_path):
    callback = LossPlot(tmp_path, keys=LOG_NAMES)
    _fit(StubGAN(), [callback], epochs=1)
    assert all(len(values) == 2 and np.all(np.isfinite(values)) for values in callback.history.values())


def test_loss_plot_missing_key_is_reported(tmp_path):
    with pytest.raises(ValueError, match="gp_loss"):
        _fit(StubGAN(), [LossPlot(tmp_path, keys=("d_loss", "gp_loss"))], epochs=1)


@pytest.mark.parametrize(
    "kwargs,error",
    [
        ({"keys": "d_loss"}, TypeError),
        ({"keys": ()}, ValueError),
        ({"keys": ("d_loss", "d_loss")}, ValueError),
        ({"running_means": 1}, TypeError),
    ],
)
def test_loss_plot_bad_arguments(tmp_path, kwargs, error):
    with pytest.raises(error):
        LossPlot(tmp_path, **kwargs)


# --- GeneratorCheckpoint -------------------------------------------------------------


def test_generator_checkpoint_saves_reloadable_generators(tmp_path):
    model = StubGAN()
    callback = GeneratorCheckpoint(tmp_path / "checkpoints", every_n_epochs=2)
    _fit(model, [callback], epochs=4)
    assert sorted(os.listdir(tmp_path / "checkpoints")) == [
        "generator_epoch_0002.keras",
        "generator_epoch_0004.keras",
    ]
    reloaded = keras.saving.load_model(callback.paths[-1], safe_mode=True)
    latents = model.sample_latents(3, seed=0)
    np.testing.assert_array_equal(
        ops.convert_to_numpy(reloaded(latents)), ops.convert_to_numpy(model.generator(latents))
    )


def test_generator_checkpoint_never_leaves_a_partial_file(tmp_path, monkeypatch):
    model = StubGAN()
    model.compile()
    callback = GeneratorCheckpoint(tmp_path, every_n_epochs=1)

    def crash(path, *args, **kwargs):
        with open(path, "wb") as file:
            file.write(b"half a model")
        raise OSError("disk full")

    monkeypatch.setattr(model.generator, "save", crash)
    with pytest.raises(OSError, match="disk full"):
        _fit(model, [callback], epochs=1)
    assert os.listdir(tmp_path) == []


def test_generator_checkpoint_h5_name_like_source_002(tmp_path):
    callback = GeneratorCheckpoint(tmp_path, every_n_epochs=1, filename="generator_model_{epoch:03d}.h5")
    _fit(StubGAN(), [callback], epochs=1)
    assert os.listdir(tmp_path) == ["generator_model_001.h5"]


@pytest.mark.parametrize(
    "filename,error",
    [("generator.keras", ValueError), ("generator_{epoch}.txt", ValueError), (3, TypeError)],
)
def test_generator_checkpoint_bad_filename(tmp_path, filename, error):
    with pytest.raises(error, match="filename"):
        GeneratorCheckpoint(tmp_path, filename=filename)


# --- DiscriminatorAccuracyReport ------------------------------------------------------


def _fixed_gan():
    """A GAN whose networks make hand-checkable decisions: the generator
    fills the image with the first latent coordinate, and the discriminator's
    logit is the mean pixel. The counting train_step leaves both untouched."""
    generator = keras.Sequential(
        [keras.Input((LATENT_DIM,)), keras.layers.Dense(64), keras.layers.Reshape(IMAGE_SHAPE)]
    )
    kernel = np.zeros((LATENT_DIM, 64), "float32")
    kernel[0] = 1.0
    generator.layers[0].set_weights([kernel, np.zeros(64, "float32")])
    discriminator = keras.Sequential(
        [
            keras.Input(IMAGE_SHAPE),
            keras.layers.Flatten(),
            keras.layers.Dense(1, kernel_initializer=keras.initializers.Constant(1 / 64), bias_initializer="zeros"),
        ]
    )
    return CountingGAN(generator=generator, discriminator=discriminator)


def _real_images():
    # Ten real images with mean pixels 7 positive, 2 negative and one exactly
    # 0 (probability 0.5, counted wrong): accuracy 70%.
    means = np.array([0.5, 0.2, 0.9, 0.1, 0.3, 0.4, 0.6, -0.5, -0.1, 0.0], "float32")
    return means[:, None, None, None] * np.ones((1,) + IMAGE_SHAPE, "float32")


def _expected_fake_accuracy(model, seed, evaluations):
    """Oracle: replays the callback's random draws; a fake is correct when z[0] < 0."""
    rng = np.random.default_rng(seed)
    accuracies = []
    for _ in range(evaluations):
        rng.choice(10, 10, replace=False)
        latents = model.sample_latents(10, seed=int(rng.integers(2**31 - 1)))
        accuracies.append(float(np.mean(latents[:, 0] < 0)))
    return accuracies


def test_generator_and_discriminator_of_the_fixed_gan():
    model = _fixed_gan()
    latents = model.sample_latents(3, seed=0)
    images = ops.convert_to_numpy(model.generator(latents))
    np.testing.assert_allclose(images, latents[:, :1, None, None] * np.ones((1,) + IMAGE_SHAPE), rtol=1e-6)
    np.testing.assert_allclose(ops.convert_to_numpy(model.discriminator(images))[:, 0], latents[:, 0], rtol=1e-5)


def test_accuracy_report_like_source_002(capsys):
    model = _fixed_gan()
    callback = DiscriminatorAccuracyReport(_real_images(), every_n_epochs=2, num_samples=10, seed=5)
    history = _fit(model, [callback], epochs=4)
    expected = _expected_fake_accuracy(model, 5, 2)
    assert callback.history == [
        {"epoch": 2, "real_accuracy": 0.7, "fake_accuracy": expected[0]},
        {"epoch": 4, "real_accuracy": 0.7, "fake_accuracy": expected[1]},
    ]
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f">Accuracy real: 70%, fake: {100 * value:.0f}%" for value in expected]
    # The History that fit() returns holds the entries of the reporting epochs only.
    assert history.history["d_eval_real_accuracy"] == [0.7, 0.7]


def test_accuracy_report_values_reach_the_epoch_logs():
    model = _fixed_gan()
    callback = DiscriminatorAccuracyReport(_real_images(), every_n_epochs=1, num_samples=10, verbose=0)
    history = _fit(model, [callback], epochs=2)
    assert history.history["d_eval_real_accuracy"] == [0.7, 0.7]
    assert history.history["d_eval_fake_accuracy"] == [entry["fake_accuracy"] for entry in callback.history]


@pytest.mark.cpu_invariance
@pytest.mark.parametrize("batch_size", [1, 3, 256])
def test_accuracy_does_not_depend_on_batch_size(batch_size):
    model = _fixed_gan()
    model.compile()
    callback = DiscriminatorAccuracyReport(_real_images(), num_samples=10, batch_size=batch_size, seed=1, verbose=0)
    callback.set_model(model)
    real_accuracy, fake_accuracy = callback.evaluate()
    assert real_accuracy == 0.7
    assert fake_accuracy == _expected_fake_accuracy(model, 1, 1)[0]


def test_accuracy_report_reads_a_tf_data_pipeline():
    model = _fixed_gan()
    labels = np.arange(10)
    dataset = tf.data.Dataset.from_tensor_slices((_real_images(), labels)).batch(3)
    callback = DiscriminatorAccuracyReport(dataset, every_n_epochs=1, num_samples=10, verbose=0)
    _fit(model, [callback], epochs=1)
    assert callback.history[0]["real_accuracy"] == 0.7
    # The first 8 images: 7 positive means and one negative.
    short = DiscriminatorAccuracyReport(dataset.unbatch().batch(4), num_samples=8, verbose=0)
    short.set_model(model)
    assert short.evaluate()[0] == 7 / 8


def test_accuracy_report_dataset_too_short():
    model = _fixed_gan()
    dataset = tf.data.Dataset.from_tensor_slices(_real_images()).batch(4)
    callback = DiscriminatorAccuracyReport(dataset, every_n_epochs=1, num_samples=20, verbose=0)
    with pytest.raises(ValueError, match="yielded 10 images"):
        _fit(model, [callback], epochs=1)


@pytest.mark.parametrize(
    "real_images,kwargs,error,match",
    [
        (np.zeros((5, 8, 8, 1)), {"num_samples": 10}, ValueError, "fewer than"),
        ("images", {}, TypeError, "real_images"),
        (np.zeros((20, 8, 8, 1)), {"num_samples": 10, "verbose": 2}, ValueError, "verbose"),
        (np.zeros((20, 8, 8, 1)), {"num_samples": 10, "batch_size": 0}, ValueError, "batch_size"),
    ],
)
def test_accuracy_report_bad_arguments(real_images, kwargs, error, match):
    with pytest.raises(error, match=match):
        DiscriminatorAccuracyReport(real_images, **kwargs)


# --- GANLearningRateScheduler and cosine_decay -------------------------------------------


def test_scheduler_sets_both_rates_every_epoch():
    seen = []

    class Record(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            if batch == 0:
                seen.append(
                    (
                        float(self.model.d_optimizer.learning_rate),
                        float(self.model.g_optimizer.learning_rate),
                    )
                )

    model = StubGAN()
    model.compile(keras.optimizers.Adam(1.0), keras.optimizers.Adam(2.0))
    scheduler = GANLearningRateScheduler(lambda epoch, lr: lr / 2)
    history = _fit(model, [scheduler, Record()], epochs=3)
    np.testing.assert_allclose(seen, [(0.5, 1.0), (0.25, 0.5), (0.125, 0.25)])
    np.testing.assert_allclose(history.history["d_learning_rate"], [0.5, 0.25, 0.125])
    np.testing.assert_allclose(history.history["g_learning_rate"], [1.0, 0.5, 0.25])


@pytest.mark.parametrize("which,changed", [("d", "d_optimizer"), ("g", "g_optimizer")])
def test_scheduler_for_one_network(which, changed):
    model = StubGAN()
    model.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    _fit(model, [GANLearningRateScheduler(cosine_decay(0.1, decay_steps=4), which=which)], epochs=3)
    other = {"d_optimizer": "g_optimizer", "g_optimizer": "d_optimizer"}[changed]
    # Epoch 2 (0-based) of 4: 0.1 * 0.5 * (1 + cos(pi / 2)) = 0.05.
    np.testing.assert_allclose(float(getattr(model, changed).learning_rate), 0.05, rtol=1e-6)
    np.testing.assert_allclose(float(getattr(model, other).learning_rate), 1e-3, rtol=1e-6)


def test_scheduler_works_through_a_loss_scale_optimizer():
    model = StubGAN()
    model.compile(keras.optimizers.LossScaleOptimizer(keras.optimizers.Adam(1.0)), keras.optimizers.Adam(1.0))
    scheduler = GANLearningRateScheduler(lambda epoch, lr: 0.25, which="d")
    scheduler.set_model(model)
    scheduler.on_train_begin()
    scheduler.on_epoch_begin(0)
    assert float(model.d_optimizer.inner_optimizer.learning_rate) == 0.25


def test_scheduler_refuses_an_optimizer_with_a_schedule():
    model = StubGAN()
    model.compile(
        keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(1e-3, 100)),
        keras.optimizers.Adam(1e-3),
    )
    with pytest.raises(TypeError, match="d_optimizer.*schedule"):
        _fit(model, [GANLearningRateScheduler(lambda epoch, lr: lr)], epochs=1)


@pytest.mark.parametrize(
    "schedule,error,match",
    [(lambda epoch, lr: "fast", TypeError, "number"), (lambda epoch, lr: -1.0, ValueError, ">= 0")],
)
def test_scheduler_checks_what_the_schedule_returns(schedule, error, match):
    with pytest.raises(error, match=match):
        _fit(StubGAN(), [GANLearningRateScheduler(schedule)], epochs=1)


def test_scheduler_verbose_prints(capsys):
    _fit(
        StubGAN(),
        [GANLearningRateScheduler(lambda epoch, lr: 0.01, which="g", verbose=1)],
        epochs=1,
    )
    assert "Epoch 1: GANLearningRateScheduler setting g_optimizer learning rate to 0.01." in capsys.readouterr().out


@pytest.mark.parametrize(
    "kwargs,error",
    [
        ({"schedule": 0.1}, TypeError),
        ({"which": "generator"}, ValueError),
        ({"verbose": 2}, ValueError),
    ],
)
def test_scheduler_bad_arguments(kwargs, error):
    arguments = {"schedule": lambda epoch, lr: lr, **kwargs}
    with pytest.raises(error):
        GANLearningRateScheduler(**arguments)


@pytest.mark.parametrize("alpha", [0.0, 0.1])
def test_cosine_decay_matches_keras_cosine_decay(alpha):
    schedule = cosine_decay(2e-4, decay_steps=10, alpha=alpha)
    reference = keras.optimizers.schedules.CosineDecay(2e-4, decay_steps=10, alpha=alpha)
    for epoch in range(13):
        np.testing.assert_allclose(schedule(epoch, None), float(reference(epoch)), rtol=1e-5, atol=1e-12)
    # Hand check: half way, 2e-4 * ((1 - alpha) * 0.5 + alpha).
    assert schedule(5, None) == pytest.approx(2e-4 * ((1 - alpha) * 0.5 + alpha))


@pytest.mark.parametrize(
    "kwargs,error",
    [
        ({"initial_learning_rate": 0.0}, ValueError),
        ({"initial_learning_rate": "1"}, TypeError),
        ({"decay_steps": 0}, ValueError),
        ({"alpha": 1.5}, ValueError),
    ],
)
def test_cosine_decay_bad_arguments(kwargs, error):
    arguments = {"initial_learning_rate": 1e-3, "decay_steps": 10, **kwargs}
    with pytest.raises(error):
        cosine_decay(**arguments)


# --- TensorBoard (source 001) -------------------------------------------------------------


def _scalars(directory):
    """{tag: [(step, value), ...]} of the scalar records in an event folder."""
    scalars = {}
    for path in sorted(glob.glob(os.path.join(directory, "events.out.tfevents.*"))):
        for record in tf.data.TFRecordDataset(path):
            event = tf.compat.v1.Event.FromString(record.numpy())
            for value in event.summary.value:
                assert value.metadata.plugin_data.plugin_name == "scalars"
                number = tf.make_ndarray(value.tensor)
                scalars.setdefault(value.tag, []).append((event.step, float(number)))
    return scalars


def test_tensorboard_scalars_logs_the_four_gan_losses_per_step(tmp_path):
    model = _fixed_gan()
    report = DiscriminatorAccuracyReport(_real_images(), every_n_epochs=1, num_samples=10, verbose=0)
    board = TensorBoardScalars(tmp_path, update_freq=1)
    _fit(model, [report, board], epochs=2, batch_size=4)  # 2 steps per epoch
    scalars = _scalars(tmp_path / "train")
    for name in LOG_NAMES:
        assert len(scalars[f"epoch_{name}"]) == 2
        assert len(scalars[f"batch_{name}"]) == 4
    # Per-step values (CountingGAN: d_loss of step k is k) and epoch means.
    np.testing.assert_allclose(scalars["batch_d_loss"], [(1, 1), (2, 2), (3, 3), (4, 4)], rtol=1e-6)
    np.testing.assert_allclose(scalars["epoch_d_loss"], [(0, 1.5), (1, 3.5)], rtol=1e-6)
    assert [value for _, value in scalars["epoch_d_eval_real_accuracy"]] == pytest.approx([0.7, 0.7])


def test_tensorboard_scalars_every_n_steps_and_chosen_keys(tmp_path):
    board = TensorBoardScalars(tmp_path, keys=("g_loss",), update_freq=3)
    _fit(CountingGAN(), [board], epochs=2, batch_size=2)  # 8 steps
    scalars = _scalars(tmp_path / "train")
    assert sorted(scalars) == ["batch_g_loss", "epoch_g_loss"]
    np.testing.assert_allclose(scalars["batch_g_loss"], [(3, 30), (6, 60)], rtol=1e-6)


def test_tensorboard_scalars_missing_key(tmp_path):
    with pytest.raises(ValueError, match="gp_loss"):
        _fit(CountingGAN(), [TensorBoardScalars(tmp_path, keys=("gp_loss",))], epochs=1)


@pytest.mark.parametrize(
    "kwargs,error",
    [
        ({"update_freq": "batch"}, TypeError),
        ({"update_freq": 0}, ValueError),
        ({"keys": "d_loss"}, TypeError),
        ({"keys": ()}, ValueError),
        ({"running_means": None}, TypeError),
    ],
)
def test_tensorboard_scalars_bad_arguments(tmp_path, kwargs, error):
    with pytest.raises(error):
        TensorBoardScalars(tmp_path, **kwargs)


def test_keras_tensorboard_writes_the_same_tags(tmp_path):
    pytest.importorskip("tensorboard", reason="keras.callbacks.TensorBoard needs the tensorboard package")
    _fit(CountingGAN(), [keras.callbacks.TensorBoard(tmp_path, update_freq=1)], epochs=1)
    tags = set(_scalars(tmp_path / "train"))
    assert {f"epoch_{name}" for name in LOG_NAMES} <= tags
