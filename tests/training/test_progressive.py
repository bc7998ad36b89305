"""Tests of the Progressive GAN driver: growth, fade-in schedule, resume."""

import json
import os

import keras
import numpy as np
import pytest

from gankit.models.progan import ProgressiveNetworks
from gankit.models.progan import ProgressiveStage
from gankit.models.progan import fade_layers
from gankit.training.progressive import FADE
from gankit.training.progressive import STABILIZE
from gankit.training.progressive import FadeInScheduler
from gankit.training.progressive import ProgressiveGAN
from gankit.training.progressive import fade_alpha

LATENT_DIM = 8
IMAGES = np.random.default_rng(0).uniform(-1, 1, (32, 8, 8, 1)).astype("float32")


def _driver(directory):
    networks = ProgressiveNetworks(target_resolution=8, latent_dim=LATENT_DIM, channels=1, filters=4, seed=0)
    return ProgressiveGAN(networks, directory, num_samples=4)


def test_fade_alpha_schedule():
    assert [fade_alpha(n, 40) for n in (0, 10, 20, 40, 80)] == [0.0, 0.25, 0.5, 1.0, 1.0]
    scheduler = FadeInScheduler([], fade_images=16, batch_size=4)
    assert [scheduler.alpha_at(b) for b in range(4)] == [0.0, 0.25, 0.5, 0.75]


def test_grows_and_resumes(tmp_path):
    driver = _driver(tmp_path)
    assert driver.phases == [(4, STABILIZE), (8, FADE), (8, STABILIZE)]
    state = driver.train(lambda: IMAGES, images_per_phase=16, batch_sizes=4, max_phases=2)
    assert state["phase_index"] == 2 and state["images_seen"] == 32
    assert json.load(open(tmp_path / "progressive_state.json")) == state
    # Fade-in alpha rose linearly per image seen: 4 batches of 4 over 16 images.
    assert driver.history[1]["alphas"] == [0.0, 0.25, 0.5, 0.75]
    assert os.path.exists(tmp_path / "samples_res4_stabilize.png")
    assert os.path.exists(tmp_path / "samples_res8_fade.png")
    assert all(np.isfinite(v) for v in driver.history[1]["logs"].values())
    saved = driver.networks.g_layers["g_8_conv1"].get_weights()[0]

    # A new driver (fresh random weights) resumes after phase 2.
    resumed = _driver(tmp_path)
    conv = resumed.networks.g_layers["g_8_conv1"]
    state = resumed.train(lambda: IMAGES, images_per_phase=16, batch_sizes=4)
    assert state["phase_index"] == 3 and state["images_seen"] == 48
    assert [h["phase"] for h in resumed.history] == [STABILIZE]
    assert resumed.networks.g_layers["g_8_conv1"] is conv
    assert not np.array_equal(conv.get_weights()[0], saved)  # trained further from saved
    assert resumed.generator().output_shape == (None, 8, 8, 1)
    # Nothing left to run.
    assert resumed.train(lambda: IMAGES, images_per_phase=16, batch_sizes=4) == state
    # A third driver starts from the same seeded initial weights; resuming the
    # finished run must load the final ones (differing weights alone would also
    # hold if the resume loaded nothing and trained from scratch).
    initial = _driver(tmp_path / "fresh").networks.g_layers["g_8_conv1"].get_weights()[0]
    final = conv.get_weights()[0]
    assert not np.allclose(initial, final)
    finished = _driver(tmp_path)
    assert finished.train(lambda: IMAGES, images_per_phase=16, batch_sizes=4) == state
    np.testing.assert_array_equal(finished.networks.g_layers["g_8_conv1"].get_weights()[0], final)


def test_rejects_wrong_dataset_shape(tmp_path):
    with pytest.raises(ValueError, match=r"\(8, 8, 1\)"):
        _driver(tmp_path).train(lambda: IMAGES[:, :4, :4], images_per_phase=4, batch_sizes=4)


def test_rejects_bad_networks(tmp_path):
    with pytest.raises(TypeError, match="ProgressiveNetworks"):
        ProgressiveGAN(object(), tmp_path)


def _all_weights(driver):
    return {name: [w.copy() for w in values] for name, values in driver.networks.get_weights().items()}


def test_a_kill_between_weights_and_state_resumes_with_matching_weights(tmp_path, monkeypatch):
    from gankit.training import progressive

    driver = _driver(tmp_path)
    driver.train(lambda: IMAGES, images_per_phase=16, batch_sizes=4, max_phases=1)
    after_phase_1 = _all_weights(driver)

    def killed(*args, **kwargs):  # The process dies after the phase-2 weights are written.
        raise KeyboardInterrupt

    monkeypatch.setattr(progressive.json, "dump", killed)
    with pytest.raises(KeyboardInterrupt):
        driver.train(lambda: IMAGES, images_per_phase=16, batch_sizes=4, max_phases=1)
    monkeypatch.undo()
    assert not [name for name in os.listdir(tmp_path) if ".partial" in name]

    resumed = _driver(tmp_path)
    assert resumed.load_state()["phase_index"] == 1
    state = resumed.train(lambda: IMAGES, images_per_phase=16, batch_sizes=4, max_phases=0)
    assert state["phase_index"] == 1
    restored = _all_weights(resumed)
    # The weights of the phase the state names, not the newer ones of the unfinished save.
    for name, values in after_phase_1.items():
        for saved, loaded in zip(values, restored[name]):
            np.testing.assert_array_equal(loaded, saved)
    resumed.train(lambda: IMAGES, images_per_phase=16, batch_sizes=4, max_phases=1)
    assert sorted(n for n in os.listdir(tmp_path) if n.endswith(".npz")) == ["progressive_weights_phase_002.npz"]


def test_a_state_file_naming_a_file_elsewhere_is_refused(tmp_path):
    (tmp_path / "progressive_state.json").write_text(json.dumps({"phase_index": 1, "weights": "../w.npz"}))
    with pytest.raises(ValueError, match="plain file name"):
        _driver(tmp_path).load_state()


def blend_oracle(images, alpha):
    """NumPy `process_reals`: alpha * x + (1 - alpha) * upsample_nearest(avg_pool_2x2(x))."""
    n, h, w, c = images.shape
    low = images.reshape(n, h // 2, 2, w // 2, 2, c).mean(axis=(2, 4))
    low = np.repeat(np.repeat(low, 2, axis=1), 2, axis=2)
    return alpha * images + (1.0 - alpha) * low


BATCH = 4


class RecordingStage(ProgressiveStage):
    """Keeps the real images the discriminator's loss received in the last train step."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        shape = (BATCH, *self.discriminator.input_shape[1:])
        self.received = keras.Variable(np.zeros(shape, "float32"), trainable=False, name="received")

    def discriminator_loss(self, batch, fakes):
        self.received.assign(batch["images"])
        return super().discriminator_loss(batch, fakes)


class RealsRecorder(keras.callbacks.Callback):
    """After each batch: the reals the stage's discriminator got and the fade alpha (None when stable)."""

    def __init__(self):
        super().__init__()
        self.batches = []

    def on_train_batch_end(self, batch, logs=None):
        layers = fade_layers(self.model.discriminator)
        alpha = float(layers[0].alpha.numpy()) if layers else None
        self.batches.append((self.model.discriminator.input_shape[1], alpha, self.model.received.numpy().copy()))


@pytest.mark.parametrize("blend_reals", [True, False])
def test_driver_fade_in_blends_reals_by_the_scheduler_alpha(tmp_path, monkeypatch, blend_reals):
    from gankit.training import progressive

    monkeypatch.setattr(progressive, "ProgressiveStage", RecordingStage)
    networks = ProgressiveNetworks(target_resolution=8, latent_dim=LATENT_DIM, channels=1, filters=4, seed=0)
    kwargs = {} if blend_reals else {"blend_reals": False}  # the default is the paper's blend
    driver = ProgressiveGAN(networks, tmp_path, num_samples=0, **kwargs)
    assert driver.blend_reals is blend_reals
    recorder = RealsRecorder()
    driver.train(lambda: IMAGES, images_per_phase=16, batch_sizes=BATCH, max_phases=2, callbacks=[recorder])
    assert driver.stage.blend_reals is blend_reals
    # 4x4 stabilization: the 8x8 reals average-pooled by 2 only, with or without the blend.
    stable = [b for b in recorder.batches if b[0] == 4]
    fade = [b for b in recorder.batches if b[0] == 8]
    assert [alpha for _, alpha, _ in stable] == [None] * 4
    for index, (_, _, received) in enumerate(stable):
        batch = IMAGES[BATCH * index : BATCH * (index + 1)]
        pooled = batch.reshape(BATCH, 4, 2, 4, 2, 1).mean(axis=(2, 4))
        np.testing.assert_allclose(received, pooled, rtol=0, atol=1e-6)  # a mean of 4 values in [-1, 1]
    # 8x8 fade-in: each batch blended by the alpha FadeInScheduler set before it.
    assert [alpha for _, alpha, _ in fade] == driver.history[1]["alphas"] == [0.0, 0.25, 0.5, 0.75]
    for index, (_, alpha, received) in enumerate(fade):
        batch = IMAGES[BATCH * index : BATCH * (index + 1)]
        expected = blend_oracle(batch, alpha) if blend_reals else batch
        np.testing.assert_allclose(received, expected, rtol=0, atol=1e-6)  # a few float32 ulp
    assert np.abs(fade[0][2] - IMAGES[:BATCH]).max() > (0.1 if blend_reals else -1.0)


def test_a_fade_in_resumed_mid_phase_blends_at_the_alpha_it_resumes_at():
    networks = ProgressiveNetworks(target_resolution=8, latent_dim=LATENT_DIM, channels=1, filters=4, seed=0)
    generator, discriminator = networks.generator(8), networks.discriminator(8)
    stage = RecordingStage(generator, discriminator)
    stage.compile()
    # Half of a 16-image fade already seen: the two remaining batches run at alpha 0.5 and 0.75.
    scheduler = FadeInScheduler([generator, discriminator], fade_images=16, batch_size=BATCH, initial_images=8)
    recorder = RealsRecorder()
    stage.fit(IMAGES[: 2 * BATCH], batch_size=BATCH, epochs=1, callbacks=[scheduler, recorder], shuffle=False)
    assert scheduler.history == [0.5, 0.75]
    for index, (alpha, (_, seen, received)) in enumerate(zip(scheduler.history, recorder.batches)):
        assert seen == alpha
        batch = IMAGES[BATCH * index : BATCH * (index + 1)]
        np.testing.assert_allclose(received, blend_oracle(batch, alpha), rtol=0, atol=1e-6)


def test_blend_reals_must_be_a_bool(tmp_path):
    networks = ProgressiveNetworks(target_resolution=8, latent_dim=LATENT_DIM, channels=1, filters=4, seed=0)
    with pytest.raises(TypeError, match="blend_reals"):
        ProgressiveGAN(networks, tmp_path, blend_reals="yes")
