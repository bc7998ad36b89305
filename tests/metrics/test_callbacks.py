"""`EvaluationCallback` inside real `fit()` runs, with the weight-free
`PooledPixels` extractor of `conftest.py`."""

import keras
import numpy as np
import pytest

from gankit.metrics.callbacks import EvaluationCallback
from gankit.metrics.evaluation import ReferenceStatistics
from gankit.metrics.evaluation import evaluate
from gankit.metrics.evaluation import reference_statistics

SHAPE = (8, 8, 1)


class StubGAN(keras.Model):
    """The smallest model `EvaluationCallback` accepts: a `generate` method and
    a `train_step` that moves `brightness` a step per batch."""

    def __init__(self):
        super().__init__()
        self.brightness = self.add_weight(shape=(), initializer="zeros", trainable=False, name="brightness")

    def train_step(self, data):
        self.brightness.assign_add(0.05)
        return {"brightness": self.brightness}

    def generate(self, n, seed=None):
        noise = np.random.default_rng(seed).uniform(0.0, 0.5, size=(n, *SHAPE))
        return np.clip(noise + float(self.brightness.numpy()), 0.0, 1.0).astype("float32")


@pytest.fixture
def real_images():
    return np.random.default_rng(0).uniform(size=(40, *SHAPE)).astype("float32")


def fit(model, callback, epochs):
    model.compile()
    return model.fit(np.zeros((2, 1), "float32"), epochs=epochs, batch_size=2, callbacks=[callback], verbose=0)


def test_values_reach_logs_history_and_the_callback_history(real_images, extractor_class):
    extractor = extractor_class()
    callback = EvaluationCallback(
        real_images, every_n_epochs=2, num_images=30, extractor=extractor, metrics=("fid", "kid")
    )
    model = StubGAN()
    history = fit(model, callback, epochs=4)
    assert [entry["epoch"] for entry in callback.history] == [2, 4]
    assert len(history.history["fid"]) == len(history.history["kid"]) == 2
    assert history.history["fid"] == [entry["fid"] for entry in callback.history]
    assert {"kid_std", "num_real", "num_fake", "extractor"} <= set(callback.history[0])
    assert callback.history[0]["num_fake"] == 30 and callback.history[0]["num_real"] == 30
    # The real statistics are computed once: 30 real + 2 x 30 generated images.
    assert extractor.images_seen == 30 + 2 * 30
    # The last value is what evaluate gives for the final model (same seed).
    final = evaluate(model, real_images, ("fid", "kid"), num_images=30, extractor=extractor_class())
    np.testing.assert_allclose(history.history["fid"][-1], final.values["fid"], rtol=1e-9)


def test_reference_statistics_and_inception_score_alone(real_images, extractor_class):
    reference = reference_statistics(real_images, extractor=extractor_class())
    with_reference = EvaluationCallback(reference, every_n_epochs=1, num_images=20, extractor=extractor_class())
    fit(StubGAN(), with_reference, epochs=1)
    assert with_reference.reference is reference
    inception = EvaluationCallback(None, every_n_epochs=1, num_images=20, extractor=extractor_class(), metrics="is")
    history = fit(StubGAN(), inception, epochs=1)
    assert history.history["is"][0] >= 1.0 and inception.history[0]["num_real"] is None


def test_with_gankit_gan(real_images, extractor_class):
    from gankit.models import GAN

    generator = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(64, activation="tanh"), keras.layers.Reshape(SHAPE)]
    )
    discriminator = keras.Sequential([keras.Input(SHAPE), keras.layers.Flatten(), keras.layers.Dense(1)])
    gan = GAN(generator, discriminator)
    gan.compile()
    callback = EvaluationCallback(real_images, every_n_epochs=1, num_images=20, extractor=extractor_class())
    history = gan.fit(real_images * 2.0 - 1.0, epochs=2, batch_size=8, callbacks=[callback], verbose=0)
    assert len(history.history["fid"]) == 2 and all(np.isfinite(history.history["fid"]))
    assert len(history.history["g_loss"]) == 2


def test_real_cache_is_used(real_images, extractor_class, tmp_path):
    cache = tmp_path / "real.npz"
    fit(StubGAN(), EvaluationCallback(real_images, 1, 20, extractor_class(), real_cache=cache), epochs=1)
    assert ReferenceStatistics.load(cache).num_images == 20
    extractor = extractor_class()
    fit(StubGAN(), EvaluationCallback(real_images, 1, 20, extractor, real_cache=cache), epochs=1)
    assert extractor.images_seen == 20  # Generated images only.


def test_errors(real_images, extractor_class):
    with pytest.raises(ValueError, match="fid, kid, is, mifid"):
        EvaluationCallback(real_images, metrics=("fid", "nope"))
    with pytest.raises(ValueError, match="every_n_epochs"):
        EvaluationCallback(real_images, every_n_epochs=0)
    with pytest.raises(ValueError, match="only 'is'"):
        EvaluationCallback(None)
    plain = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    plain.compile(loss="mse")
    callback = EvaluationCallback(real_images, extractor=extractor_class())
    with pytest.raises(TypeError, match="generate"):
        plain.fit(np.zeros((2, 1)), np.zeros((2, 1)), epochs=1, callbacks=[callback], verbose=0)
