"""Tests for gankit.metrics.sliced_wasserstein (ProGAN's multi-scale SWD)."""

import doctest

import numpy as np
import pytest
import scipy.ndimage

from gankit.metrics import sliced_wasserstein
from gankit.metrics.sliced_wasserstein import SlicedWassersteinResult
from gankit.metrics.sliced_wasserstein import laplacian_pyramid
from gankit.metrics.sliced_wasserstein import patch_descriptors
from gankit.metrics.sliced_wasserstein import reconstruct_laplacian_pyramid
from gankit.metrics.sliced_wasserstein import sliced_wasserstein_distance
from gankit.metrics.sliced_wasserstein import sliced_wasserstein_from_descriptors

# Small settings so each call takes milliseconds; the protocol is the same.
FAST = {"descriptors_per_image": 32, "dir_repeats": 2, "dirs_per_repeat": 32}
# Comparisons between distributions need more descriptors: with N per set
# the estimate has a sampling floor of roughly 1e3 / sqrt(N) (tens here), so
# these use 32 images x 64 patches per level (about 0.3 s a call).
STATISTICAL = {"descriptors_per_image": 64, "dir_repeats": 2, "dirs_per_repeat": 64}


def smooth_images(rng, num_images=16, size=32, channels=3):
    """Blurred noise in [0, 1]: image-like, strongly correlated neighbours."""
    noise = rng.normal(size=(num_images, size, size, channels))
    blurred = scipy.ndimage.gaussian_filter(noise, sigma=(0, 2, 2, 0))
    return (blurred - blurred.min()) / (blurred.max() - blurred.min())


@pytest.fixture
def real(rng):
    return smooth_images(rng)


def swd(real_images, fake_images, **kwargs):
    return sliced_wasserstein_distance(real_images, fake_images, **{**FAST, **kwargs})


# -- Laplacian pyramid ---------------------------------------------------------


@pytest.mark.parametrize("num_levels", [1, 2, 3])
def test_pyramid_reconstructs_the_images(rng, num_levels):
    images = rng.uniform(size=(2, 32, 24, 3))
    pyramid = laplacian_pyramid(images, num_levels)
    assert [level.shape[1:3] for level in pyramid] == [(32 // 2**i, 24 // 2**i) for i in range(num_levels)]
    np.testing.assert_allclose(reconstruct_laplacian_pyramid(pyramid), images, atol=1e-12)


def test_pyramid_matches_opencv(rng):
    # ProGAN's pyr_down / pyr_up "match cv2.pyrDown() / cv2.pyrUp()".
    cv2 = pytest.importorskip("cv2")
    image = rng.uniform(size=(16, 12, 3))
    details, coarse = laplacian_pyramid(image[None], 2)
    np.testing.assert_allclose(coarse[0], cv2.pyrDown(image), atol=1e-12)
    np.testing.assert_allclose(details[0], image - cv2.pyrUp(cv2.pyrDown(image)), atol=1e-12)


def test_pyramid_of_a_constant_image_has_no_detail():
    # The binomial filter sums to 1 and upsampling by 4x the filter keeps the
    # mean, also at the mirrored borders.
    pyramid = laplacian_pyramid(np.full((1, 16, 16, 2), 0.7), 3)
    for level in pyramid[:-1]:
        np.testing.assert_allclose(level, 0.0, atol=1e-12)
    np.testing.assert_allclose(pyramid[-1], 0.7, atol=1e-12)


def test_pyramid_errors():
    with pytest.raises(ValueError, match=r"multiples of 4.*images.shape=\(1, 18, 16, 1\)"):
        laplacian_pyramid(np.zeros((1, 18, 16, 1)), 3)
    with pytest.raises(ValueError, match=r"images.shape=\(16, 16\)"):
        laplacian_pyramid(np.zeros((16, 16)), 1)
    with pytest.raises(ValueError, match="half the size"):
        reconstruct_laplacian_pyramid([np.zeros((1, 8, 8, 1)), np.zeros((1, 8, 8, 1))])
    with pytest.raises(ValueError, match="at least one level"):
        reconstruct_laplacian_pyramid([])


# -- descriptors ---------------------------------------------------------------


def test_descriptors_are_windows_of_the_pyramid(rng):
    images = rng.uniform(size=(3, 32, 32, 2))
    levels = laplacian_pyramid(images, 2)
    descriptors = patch_descriptors(images, descriptors_per_image=5, patch_size=4, seed=3)
    assert [d.shape for d in descriptors] == [(15, 4, 4, 2), (15, 4, 4, 2)]
    for level, level_descriptors in zip(levels, descriptors):
        windows = np.lib.stride_tricks.sliding_window_view(level, (4, 4), axis=(1, 2))
        for index, descriptor in enumerate(level_descriptors):
            image_windows = windows[index // 5].transpose(0, 1, 3, 4, 2)
            assert np.any(np.all(image_windows == descriptor, axis=(2, 3, 4)))


def test_a_patch_as_large_as_the_image_is_the_image(rng):
    images = rng.uniform(size=(2, 16, 16, 3))
    (descriptors,) = patch_descriptors(images, descriptors_per_image=1, patch_size=16)
    np.testing.assert_array_equal(descriptors, images)


@pytest.mark.parametrize(
    "size, min_resolution, expected",
    [
        ((32, 32), 16, ((32, 32), (16, 16))),
        ((28, 28), 16, ((28, 28),)),
        ((64, 32), 16, ((64, 32), (32, 16))),
        ((32, 32), 8, ((32, 32), (16, 16), (8, 8))),
    ],
)
def test_levels_stop_at_min_resolution(rng, size, min_resolution, expected):
    images = rng.uniform(size=(2, *size, 1))
    result = swd(images, images, min_resolution=min_resolution, patch_size=5)
    assert result.resolutions == expected
    assert len(result.distances) == len(expected)


# -- the distance ----------------------------------------------------------------


def test_identical_sets_give_exactly_zero(real):
    result = swd(real, real.copy())
    assert isinstance(result, SlicedWassersteinResult)
    assert result.distances == (0.0, 0.0)
    assert result.average == 0.0


def test_distance_orders_noise_below_a_different_distribution(rng, real):
    slightly_noisy = real + 0.01 * rng.normal(size=real.shape)
    very_noisy = real + 0.2 * rng.normal(size=real.shape)
    white_noise = rng.uniform(size=real.shape)
    small = swd(real, slightly_noisy).average
    medium = swd(real, very_noisy).average
    large = swd(real, white_noise).average
    # Same patch positions in both sets: small perturbations stay small.
    assert 0.0 < small < medium < large
    assert large > 3 * small


def test_same_distribution_is_closer_than_a_different_one(rng):
    real = smooth_images(rng, num_images=32)
    other_sample = smooth_images(rng, num_images=32)
    white_noise = rng.uniform(size=real.shape)
    same = swd(real, other_sample, **STATISTICAL).average
    different = swd(real, white_noise, **STATISTICAL).average
    assert same < 0.7 * different


def test_positive_affine_pixel_maps_do_not_change_the_distance(rng, real):
    # Each set is standardised per channel (ProGAN), so [0, 1], [-1, 1] and
    # [0, 255] images give the same numbers.
    fake = smooth_images(rng) ** 2
    expected = swd(real, fake)
    rescaled = swd(2.0 * real - 1.0, 255.0 * fake)
    np.testing.assert_allclose(rescaled.distances, expected.distances, rtol=1e-9)


def test_uint8_images_match_their_float_values(rng, real):
    real8 = np.round(255 * real).astype("uint8")
    fake8 = rng.integers(0, 256, size=real.shape, dtype="uint8")
    assert swd(real8, fake8) == swd(real8.astype("float64"), fake8.astype("float32"))


def test_seed_reproduces_and_changes_the_result(rng, real):
    fake = smooth_images(rng)
    assert swd(real, fake, seed=7) == swd(real, fake, seed=7)
    assert swd(real, fake, seed=7) != swd(real, fake, seed=8)


def test_shuffling_a_set_changes_the_estimate_only_within_its_noise(rng):
    # Patch positions follow the image index, so shuffling a set draws other
    # patches: the estimate moves by its sampling noise (about 10% here),
    # its expectation does not.
    real = smooth_images(rng, num_images=32)
    fake = smooth_images(rng, num_images=32) ** 2
    base = swd(real, fake, **STATISTICAL).average
    shuffled = swd(real, fake[rng.permutation(len(fake))], **STATISTICAL).average
    assert shuffled != base
    assert abs(shuffled - base) < 0.25 * base


def test_constant_channel_stays_finite(rng, real):
    real = real.copy()
    fake = smooth_images(rng)
    real[..., 0] = 0.5
    fake[..., 0] = 0.5
    result = swd(real, fake)
    assert np.all(np.isfinite(result.distances))


def test_from_descriptors_compares_levels_one_by_one(rng, real):
    fake = smooth_images(rng) ** 2
    real_descriptors = patch_descriptors(real, descriptors_per_image=16, seed=1)
    fake_descriptors = patch_descriptors(fake, descriptors_per_image=16, seed=1)
    both = sliced_wasserstein_from_descriptors(real_descriptors, fake_descriptors, dir_repeats=2, dirs_per_repeat=16)
    assert len(both) == 2
    assert all(value > 0 for value in both)
    # The same directions for the finest level whether or not more follow.
    (first,) = sliced_wasserstein_from_descriptors(
        real_descriptors[:1], fake_descriptors[:1], dir_repeats=2, dirs_per_repeat=16
    )
    assert first == both[0]


# -- errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "fake_shape, kwargs, error, match",
    [
        pytest.param((4, 32, 32, 3), {}, ValueError, r"fake_images.shape=\(4, 32, 32, 3\)", id="count"),
        pytest.param((8, 32, 32, 1), {}, ValueError, "same shape", id="channels"),
        pytest.param((8, 32, 32, 3), {"patch_size": 17}, ValueError, "patch_size=17", id="patch_size"),
        pytest.param((8, 32, 32, 3), {"min_resolution": 33}, ValueError, "min_resolution", id="too_small"),
        pytest.param((8, 32, 32, 3), {"dirs_per_repeat": 0}, ValueError, "dirs_per_repeat=0", id="dirs"),
        pytest.param(
            (8, 32, 32, 3), {"descriptors_per_image": 1.5}, TypeError, "descriptors_per_image=1.5", id="float"
        ),
    ],
)
def test_bad_arguments_raise(fake_shape, kwargs, error, match):
    with pytest.raises(error, match=match):
        swd(np.zeros((8, 32, 32, 3)), np.zeros(fake_shape), **kwargs)


def test_indivisible_image_size_raises():
    # 33 // 2 = 16 asks for 2 levels at min_resolution 16, but 33 is odd.
    with pytest.raises(ValueError, match=r"multiples of 2.*real_images.shape=\(2, 33, 33, 1\)"):
        swd(np.zeros((2, 33, 33, 1)), np.zeros((2, 33, 33, 1)))


def test_descriptor_count_mismatch_raises(rng):
    descriptors = patch_descriptors(rng.uniform(size=(2, 16, 16, 1)), descriptors_per_image=4)
    with pytest.raises(ValueError, match="equally many descriptors"):
        sliced_wasserstein_from_descriptors(descriptors, [descriptors[0][:5]])
    with pytest.raises(TypeError, match="one descriptor array per pyramid level"):
        sliced_wasserstein_from_descriptors(descriptors[0], descriptors)


def test_docstring_examples():
    result = doctest.testmod(
        sliced_wasserstein,
        globs={"np": np, **vars(sliced_wasserstein)},
        optionflags=doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted > 0
    assert result.failed == 0
