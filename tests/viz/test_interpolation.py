import keras
import numpy as np
import pytest

from gankit.viz import image_grid
from gankit.viz import interpolate_latents
from gankit.viz import interpolation_strip

E1 = np.array([1.0, 0.0, 0.0])
E2 = np.array([0.0, 1.0, 0.0])


# --- interpolate_latents ----------------------------------------------------------


def test_linear_is_evenly_spaced_with_both_ends():
    points = interpolate_latents(np.array([0.0, 4.0]), np.array([4.0, 0.0]), 5)
    assert points.dtype == np.float32
    np.testing.assert_array_equal(points, [[0, 4], [1, 3], [2, 2], [3, 1], [4, 0]])


def test_slerp_midpoint_of_orthogonal_unit_vectors():
    # Hand derivation: omega = pi / 2, sin(omega) = 1, and at t = 0.5 both
    # weights are sin(pi / 4) = 1 / sqrt(2), so the midpoint is (z1 + z2) / sqrt(2).
    points = interpolate_latents(E1, E2, 3, method="slerp")
    np.testing.assert_allclose(points[1], (E1 + E2) / np.sqrt(2), rtol=1e-6)
    np.testing.assert_allclose(points[0], E1, atol=1e-7)
    np.testing.assert_allclose(points[2], E2, atol=1e-7)


def test_slerp_stays_on_the_unit_sphere_and_follows_the_angle():
    points = interpolate_latents(E1, E2, 7, method="slerp")
    np.testing.assert_allclose(np.linalg.norm(points, axis=1), 1.0, rtol=1e-6)
    # The angle to z1 grows linearly from 0 to pi / 2.
    angles = np.arccos(np.clip(points @ E1, -1, 1))
    np.testing.assert_allclose(angles, np.linspace(0, np.pi / 2, 7), atol=1e-3)


def test_slerp_of_scaled_vectors():
    # |z1| = |z2| = 2 at right angles: the midpoint is 2 * (1, 1) / sqrt(2).
    points = interpolate_latents(2 * E1[:2], 2 * E2[:2], 3, method="slerp")
    np.testing.assert_allclose(points[1], [np.sqrt(2), np.sqrt(2)], rtol=1e-6)


def test_slerp_of_parallel_vectors_is_linear():
    z1, z2 = np.array([1.0, 2.0]), np.array([2.0, 4.0])
    np.testing.assert_allclose(
        interpolate_latents(z1, z2, 4, method="slerp"), interpolate_latents(z1, z2, 4), rtol=1e-6
    )


def test_latents_of_any_shape():
    rng = np.random.default_rng(0)
    z1, z2 = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    points = interpolate_latents(z1, z2, 4, method="slerp")
    assert points.shape == (4, 2, 3)
    np.testing.assert_allclose(points[0], z1, rtol=1e-5)
    np.testing.assert_allclose(points[-1], z2, rtol=1e-5)


@pytest.mark.parametrize(
    "z1,z2,steps,method,error,match",
    [
        (E1, E2[:2], 3, "linear", ValueError, "same shape"),
        (E1, E2, 1, "linear", ValueError, "at least 2"),
        (E1, E2, 2.0, "linear", TypeError, "steps"),
        (E1, E2, 3, "cubic", ValueError, "method"),
        (E1, -E1, 3, "slerp", ValueError, "opposite"),
        (E1, 0 * E1, 3, "slerp", ValueError, "non-zero"),
        (E1, np.array([np.nan, 0, 0]), 3, "linear", ValueError, "finite"),
        (np.array(["a"]), np.array(["b"]), 3, "linear", TypeError, "real-valued"),
    ],
)
def test_interpolate_latents_bad_arguments(z1, z2, steps, method, error, match):
    with pytest.raises(error, match=match):
        interpolate_latents(z1, z2, steps, method)


# --- interpolation_strip ---------------------------------------------------------


def _generator(latent_dim=3):
    model = keras.Sequential(
        [
            keras.Input((latent_dim,)),
            keras.layers.Dense(8 * 8 * 3, activation="tanh"),
            keras.layers.Reshape((8, 8, 3)),
        ]
    )
    return model


@pytest.mark.parametrize("method", ["linear", "slerp"])
def test_strip_is_one_row_of_generated_images(method):
    generator = _generator()
    strip = interpolation_strip(generator, E1, E2, steps=4, method=method, padding=1)
    assert strip.shape == (8, 4 * 8 + 3, 3)
    images = generator(interpolate_latents(E1, E2, 4, method), training=False)
    np.testing.assert_array_equal(strip, image_grid(images, rows=1, padding=1, value_range=(-1, 1)))


def test_strip_accepts_a_callable_in_zero_one():
    calls = []

    def generate(latents):
        calls.append(latents.shape)
        return np.full((len(latents), 4, 4, 1), 0.5, np.float32)

    strip = interpolation_strip(generate, E1, E2, steps=3, value_range=(0, 1), padding=0)
    assert calls == [(3, 3)]  # one call for the whole strip
    np.testing.assert_array_equal(strip, np.full((4, 12), 128))


def test_strip_refuses_a_wrong_number_of_images():
    with pytest.raises(ValueError, match="one image per latent"):
        interpolation_strip(lambda z: np.zeros((1, 4, 4, 1)), E1, E2, steps=3)


def test_strip_refuses_a_non_callable():
    with pytest.raises(TypeError, match="callable"):
        interpolation_strip("generator", E1, E2, steps=3)
