"""Tests of the Progressive GAN driver: growth, fade-in schedule, resume."""

import json
import os

import numpy as np
import pytest

from gankit.models.progan import ProgressiveNetworks
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
