"""Tests of gankit.hub with a tiny SavedModel exported with progan-128's signature."""

import os

import numpy as np
import pytest

import gankit.hub
from gankit.hub import ProGANHub
from gankit.hub import export_test_progan
from gankit.hub import interpolate_hypersphere
from gankit.hub import load_progan

LATENT_DIM = 512


def _export(path, **kwargs):
    return export_test_progan(path, **kwargs)


@pytest.fixture(scope="module")
def progan(tmp_path_factory):
    return load_progan(handle=_export(tmp_path_factory.mktemp("progan")))


def test_loads_signature(progan):
    assert isinstance(progan, ProGANHub)
    assert progan.latent_dim == LATENT_DIM
    assert progan.image_shape == (128, 128, 3)


def test_generate_shape_range_and_seed(progan):
    images = progan.generate(n=2, seed=3)
    assert images.shape == (2, 128, 128, 3) and images.dtype == np.float32
    assert images.min() >= 0.0 and images.max() <= 1.0
    np.testing.assert_array_equal(images, progan.generate(n=2, seed=3))
    assert progan.generate(latents=np.zeros(LATENT_DIM)).shape == (1, 128, 128, 3)
    with pytest.raises(ValueError, match="latent_dim=512"):
        progan.generate(latents=np.zeros((1, 3)))


@pytest.mark.parametrize("method", ["slerp", "hypersphere", "linear"])
def test_interpolation_endpoints(progan, method):
    rng = np.random.default_rng(0)
    z1, z2 = rng.standard_normal((2, LATENT_DIM)).astype("float32")
    path = progan.interpolate(z1, z2, 5, method=method)
    assert path.shape == (5, LATENT_DIM)
    np.testing.assert_allclose(path[0], z1, atol=1e-5)
    end = z2 * np.linalg.norm(z1) / np.linalg.norm(z2) if method == "hypersphere" else z2
    np.testing.assert_allclose(path[-1], end, atol=1e-4)


def test_slerp_and_hypersphere_norms(progan):
    rng = np.random.default_rng(1)
    z1, z2 = rng.standard_normal((2, LATENT_DIM))
    u1, u2 = z1 / np.linalg.norm(z1), z2 / np.linalg.norm(z2)
    slerp = progan.interpolate(u1, u2, 7, method="slerp")
    np.testing.assert_allclose(np.linalg.norm(slerp, axis=1), 1.0, atol=1e-5)
    sphere = interpolate_hypersphere(z1, z2, 7)
    np.testing.assert_allclose(np.linalg.norm(sphere, axis=1), np.linalg.norm(z1), rtol=1e-5)
    with pytest.raises(ValueError, match="opposite"):
        interpolate_hypersphere(z1, -z1, 3)
    with pytest.raises(ValueError, match="method"):
        progan.interpolate(z1, z2, 3, method="cubic")


def test_find_closest_latent_reduces_loss(progan):
    target = progan.generate(n=1, seed=42)[0]
    z, losses = progan.find_closest_latent(target, steps=20, learning_rate=0.05, seed=0)
    assert z.shape == (LATENT_DIM,) and losses.shape == (20,)
    assert losses[-1] < losses[0]
    with pytest.raises(ValueError, match="target"):
        progan.find_closest_latent(np.zeros((8, 8, 3)), steps=1)


def test_interpolation_gif(progan, tmp_path):
    path = tmp_path / "walk.gif"
    rng = np.random.default_rng(2)
    images = progan.interpolation_gif(*rng.standard_normal((2, LATENT_DIM)), path, steps=3)
    assert images.shape == (3, 128, 128, 3)
    assert path.exists() and path.read_bytes()[:3] == b"GIF"


def test_wrong_signature_raises(tmp_path):
    handle = _export(tmp_path / "bad", image_shape=(128, 128, 6))
    with pytest.raises(ValueError, match=r"\(None, height, width, 3\)"):
        load_progan(handle=handle)


def test_offline_error_names_handle_and_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("TFHUB_CACHE_DIR", "unused")  # restored after the test
    handle = (tmp_path / "missing_model").as_uri()  # file:// URL, fails without network
    with pytest.raises(OSError) as info:
        load_progan(handle=handle, cache_dir=tmp_path / "cache")
    message = str(info.value)
    assert handle in message and "TFHUB_CACHE_DIR" in message
    assert "?tf-hub-format=compressed" in message
    assert os.environ["TFHUB_CACHE_DIR"] == str(tmp_path / "cache")


def test_public_api():
    assert sorted(gankit.hub.__all__) == [
        "DEFAULT_PROGAN_HANDLE",
        "INTERPOLATION_METHODS",
        "ProGANHub",
        "export_test_progan",
        "interpolate_hypersphere",
        "load_progan",
    ]


def test_export_test_progan_shapes_and_checks(tmp_path):
    gan = load_progan(export_test_progan(tmp_path / "small", image_shape=(32, 16, 3), latent_dim=8, seed=3))
    assert gan.latent_dim == 8 and gan.image_shape == (32, 16, 3)
    first = gan.generate(n=2, seed=0)
    again = load_progan(export_test_progan(tmp_path / "again", image_shape=(32, 16, 3), latent_dim=8, seed=3))
    np.testing.assert_array_equal(first, again.generate(n=2, seed=0))
    with pytest.raises(ValueError, match="image_shape"):
        export_test_progan(tmp_path / "bad", image_shape=(32, 32))
    with pytest.raises(ValueError, match="latent_dim"):
        export_test_progan(tmp_path / "bad", latent_dim=0)


def test_generate_has_every_models_signature_and_the_old_one_warns(progan):
    latents = progan.sample_latents(2, seed=5)
    expected = progan.generate(latents=latents)
    with pytest.warns(DeprecationWarning, match="latents="):
        np.testing.assert_array_equal(progan.generate(latents), expected)
    with pytest.warns(DeprecationWarning, match="latents="):
        np.testing.assert_array_equal(progan.generate(z=latents), expected)
    with pytest.raises(ValueError, match="labels"):
        progan.generate(1, labels=[0])
    with pytest.raises(ValueError, match="not both"):
        progan.generate(2, latents=latents)
