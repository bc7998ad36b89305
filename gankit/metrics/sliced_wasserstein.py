"""Sliced Wasserstein distance between Laplacian-pyramid patches (ProGAN).

Karras et al. (2018) compare real and generated images through small
patches at several scales: each image is split into a Laplacian pyramid
(finest level first, down to 16×16), 7×7 patches are sampled at random from
every level, and for each level the sliced Wasserstein distance between the
two sets of patch descriptors is estimated with random 1-D projections. A
small distance at a fine level means similar local textures and edges; at
the coarsest level, similar large-scale structure. Reported, as in the
paper's tables, multiplied by 1e3 per level and averaged over levels; lower
is better.

This module follows ProGAN's `metrics/sliced_wasserstein.py` step by step:
the same 5-tap binomial filter `[1, 4, 6, 4, 1] / 16` with mirrored borders
(`cv2.pyrDown` / `cv2.pyrUp`), 128 patches per image and level, each set's
descriptors standardised per colour channel with that set's own mean and
standard deviation, 4 repeats of 128 random unit directions, sorted
projections compared element by element. Differences, each for a reason:

- Images are NHWC (Keras' layout) with any number of channels, and any real
  dtype. ProGAN reads uint8 NCHW RGB in [0, 255]. Because each set's
  descriptors are standardised per channel, the distance does not change
  (up to rounding) under `a * x + b` with `a > 0` per channel: float images
  in [0, 1] or [-1, 1] give the same numbers as uint8 ones. A consequence,
  inherited from ProGAN: a global brightness or contrast shift of the whole
  generated set is invisible to this metric.
- Computed in float64 rather than float32.
- Randomness comes from a `seed`, not NumPy's global state, and the patch
  positions are drawn once and shared by the two sets (image `i` of each set
  gets the same positions). Every patch is still uniformly placed, so the
  estimate's expectation is unchanged; it has less variance, and identical
  sets give exactly 0.

The estimate depends on the seed and on which image sits at which index (the
shared positions), not on any batch size: these functions take whole image
arrays. For sets too large for memory, sample descriptors batch by batch
with `patch_descriptors`, concatenate them per level, and compare them with
`sliced_wasserstein_from_descriptors`.
"""

from __future__ import annotations

import numpy as np
import scipy.ndimage
from numpy.typing import ArrayLike

from gankit._checks import check_int
from gankit._checks import check_seed
from gankit.metrics._inputs import as_float64_array
from gankit.metrics.result import MetricResult

# ProGAN's settings (metrics/sliced_wasserstein.py, class API).
PATCH_SIZE = 7  # nhood_size
DESCRIPTORS_PER_IMAGE = 128  # nhoods_per_image
DIR_REPEATS = 4
DIRS_PER_REPEAT = 128
MIN_RESOLUTION = 16  # levels down to 16x16

# 1-D binomial kernel; its outer product is ProGAN's 5x5 `gaussian_filter`.
_BINOMIAL = np.array([1.0, 4.0, 6.0, 4.0, 1.0]) / 16.0
# Projection directions handled at once when comparing descriptors: bounds
# memory to `num_descriptors * _DIRECTION_BLOCK` values per set.
_DIRECTION_BLOCK = 32


class SlicedWassersteinResult(MetricResult):
    """Sliced Wasserstein distances per pyramid level, ×1e3 as in ProGAN.

    A `gankit.metrics.MetricResult` named `"swd"` whose value is `average`.

    Attributes:
        resolutions: `(height, width)` of each pyramid level, finest first.
        distances: Sliced Wasserstein distance ×1e3 of each level, in the
            order of `resolutions` (ProGAN's `SWDx1e3_<resolution>`).
        average: Mean of `distances` (ProGAN's `SWDx1e3_avg`), the value.
    """

    @property
    def average(self) -> float:
        """The mean over levels, `float(self)`."""
        return float(self)


def _blur(images, scale=1.0):
    # Separable 5x5 binomial blur over height and width of NHWC images.
    # scipy's "mirror" border (d c b | a b c d | c b a) is OpenCV's default
    # BORDER_REFLECT_101, so this matches cv2.pyrDown / cv2.pyrUp.
    kernel = _BINOMIAL * scale
    blurred = scipy.ndimage.convolve1d(images, kernel, axis=1, mode="mirror")
    return scipy.ndimage.convolve1d(blurred, kernel, axis=2, mode="mirror")


def _pyramid_down(images):
    return _blur(images)[:, ::2, ::2, :]


def _pyramid_up(images):
    n, height, width, channels = images.shape
    upsampled = np.zeros((n, 2 * height, 2 * width, channels))
    upsampled[:, ::2, ::2, :] = images
    # Three of four pixels are zeros: the kernel times 2 per axis (4 in all,
    # ProGAN's `gaussian_filter * 4`) keeps the mean brightness.
    return _blur(upsampled, scale=2.0)


def _as_images(images, name):
    return as_float64_array(images, name, 4, "(num_images, height, width, channels)")


def _check_divisible(shape, num_levels, name):
    factor = 2 ** (num_levels - 1)
    height, width = shape[1], shape[2]
    if height % factor or width % factor:
        raise ValueError(
            f"A {num_levels}-level pyramid halves the images {num_levels - 1} "
            f"times, so height and width must be multiples of {factor}. "
            f"Received: {name}.shape={shape}. Crop or pad the images, or use "
            "fewer levels."
        )


def laplacian_pyramid(images: ArrayLike, num_levels: int) -> list[np.ndarray]:
    """Laplacian pyramid of a batch of images, finest level first.

    Level `i < num_levels - 1` is `G_i - up(G_{i+1})`, the detail lost by
    halving, and the last level is the blurred, downsampled image
    `G_{num_levels - 1}`; `G_0` is the input and `G_{i+1} = down(G_i)`.
    `down` blurs with the 5×5 binomial filter (`[1, 4, 6, 4, 1] / 16` on
    each axis, mirrored borders) and keeps every second row and column;
    `up` inserts zeros and blurs with 4 times that filter. This is
    `cv2.pyrDown` / `cv2.pyrUp` and ProGAN's `generate_laplacian_pyramid`,
    for NHWC images in float64. `reconstruct_laplacian_pyramid` inverts it
    exactly (up to rounding).

    Reference: [Burt & Adelson, 1983](https://doi.org/10.1109/TCOM.1983.1095851);
    [Karras et al., 2018](https://arxiv.org/abs/1710.10196), appendix D.

    Args:
        images: Images of shape `(num_images, height, width, channels)`,
            any real dtype and value range; height and width multiples of
            `2 ** (num_levels - 1)`.
        num_levels: Number of levels, at least 1 (1 returns the images).

    Returns:
        A list of `num_levels` float64 arrays; level `i` has shape
        `(num_images, height / 2**i, width / 2**i, channels)`.

    Raises:
        TypeError: If `images` is not real-valued or `num_levels` is not an
            integer.
        ValueError: If `images` is not 4-D or holds NaN or infinite values,
            `num_levels` is smaller than 1, or the image size cannot be
            halved `num_levels - 1` times.

    Example:

        >>> images = np.random.default_rng(0).uniform(size=(2, 32, 32, 3))
        >>> [level.shape for level in laplacian_pyramid(images, 3)]
        [(2, 32, 32, 3), (2, 16, 16, 3), (2, 8, 8, 3)]
    """
    images = _as_images(images, "images")
    num_levels = check_int(num_levels, name="num_levels", minimum=1)
    _check_divisible(images.shape, num_levels, "images")
    return _laplacian_pyramid(images, num_levels)


def _laplacian_pyramid(images, num_levels):
    pyramid = [images]
    for _ in range(1, num_levels):
        pyramid.append(_pyramid_down(pyramid[-1]))
        pyramid[-2] = pyramid[-2] - _pyramid_up(pyramid[-1])
    return pyramid


def reconstruct_laplacian_pyramid(pyramid: list[ArrayLike] | tuple[ArrayLike, ...]) -> np.ndarray:
    """Images from their Laplacian pyramid: the inverse of `laplacian_pyramid`.

    Starting from the coarsest level, repeatedly upsamples (`cv2.pyrUp`) and
    adds the next finer level: `G_i = L_i + up(G_{i+1})`.

    Reference: [Burt & Adelson, 1983](https://doi.org/10.1109/TCOM.1983.1095851).

    Args:
        pyramid: A non-empty list of NHWC arrays, finest first, each level
            half the height and width of the previous one, as returned by
            `laplacian_pyramid`.

    Returns:
        A float64 array with the shape of `pyramid[0]`.

    Raises:
        TypeError: If `pyramid` is not a list or tuple, or a level is not
            real-valued.
        ValueError: If `pyramid` is empty or the level shapes do not halve.

    Example:

        >>> images = np.random.default_rng(0).uniform(size=(2, 32, 32, 3))
        >>> restored = reconstruct_laplacian_pyramid(laplacian_pyramid(images, 3))
        >>> bool(np.allclose(restored, images))
        True
    """
    if not isinstance(pyramid, (list, tuple)):
        raise TypeError(f"`pyramid` must be a list of levels, finest first. Received: pyramid={type(pyramid).__name__}")
    if not pyramid:
        raise ValueError("`pyramid` must hold at least one level. Received: pyramid=[]")
    levels = [_as_images(level, f"pyramid[{i}]") for i, level in enumerate(pyramid)]
    for i in range(1, len(levels)):
        finer, coarser = levels[i - 1].shape, levels[i].shape
        expected = (finer[0], finer[1] // 2, finer[2] // 2, finer[3])
        if finer[1] % 2 or finer[2] % 2 or coarser != expected:
            raise ValueError(
                f"Each pyramid level must be half the size of the previous "
                f"one. Received: pyramid[{i - 1}].shape={finer}, "
                f"pyramid[{i}].shape={coarser}"
            )
    images = levels[-1]
    for level in levels[-2::-1]:
        images = _pyramid_up(images) + level
    return images


def _num_levels(shape, min_resolution, name):
    height, width = shape[1], shape[2]
    if min(height, width) < min_resolution:
        raise ValueError(
            f"Images must be at least `min_resolution`={min_resolution} pixels "
            f"high and wide. Received: {name}.shape={shape}. Pass a smaller "
            "`min_resolution` or larger images."
        )
    num_levels = 1
    while min(height, width) // 2**num_levels >= min_resolution:
        num_levels += 1
    _check_divisible(shape, num_levels, name)
    return num_levels


def _sample_descriptors(pyramid, descriptors_per_image, patch_size, rng):
    # For every level, `descriptors_per_image` patches per image at uniform
    # positions that lie fully inside the level (ProGAN: centres in
    # [H, size - H) for H = patch_size // 2).
    descriptors = []
    offsets = np.arange(patch_size)
    for level in pyramid:
        n, height, width, channels = level.shape
        rows = rng.integers(0, height - patch_size + 1, size=(n, descriptors_per_image))
        cols = rng.integers(0, width - patch_size + 1, size=(n, descriptors_per_image))
        image_index = np.arange(n)[:, None, None, None]
        row_index = (rows[:, :, None] + offsets)[:, :, :, None]
        col_index = (cols[:, :, None] + offsets)[:, :, None, :]
        patches = level[image_index, row_index, col_index]  # (n, k, p, p, c)
        descriptors.append(patches.reshape(n * descriptors_per_image, patch_size, patch_size, channels))
    return descriptors


def _check_patch_size(patch_size, min_resolution):
    patch_size = check_int(patch_size, name="patch_size", minimum=1)
    if patch_size > min_resolution:
        raise ValueError(
            "`patch_size` must not exceed `min_resolution`, the size of the "
            f"coarsest level. Received: patch_size={patch_size}, "
            f"min_resolution={min_resolution}"
        )
    return patch_size


def patch_descriptors(
    images: ArrayLike,
    *,
    descriptors_per_image: int = DESCRIPTORS_PER_IMAGE,
    patch_size: int = PATCH_SIZE,
    min_resolution: int = MIN_RESOLUTION,
    seed: int | None = 0,
) -> list[np.ndarray]:
    """Random patches of every Laplacian-pyramid level (ProGAN's descriptors).

    Builds the Laplacian pyramid of the images (`laplacian_pyramid`) with as
    many levels as halving keeps both sides at least `min_resolution`
    (ProGAN: 16), and takes `descriptors_per_image` patches of
    `patch_size × patch_size` pixels per image from every level, each at a
    uniformly random position fully inside the level. The descriptors are
    returned raw; `sliced_wasserstein_from_descriptors` standardises them.

    To sample large sets batch by batch, call this once per batch and
    concatenate the results level by level; give batch `i` of both sets the
    same seed, one per batch (e.g. `seed=i`), so that real and generated
    images at the same index share positions, as in
    `sliced_wasserstein_distance`.

    Reference: [Karras et al., 2018](https://arxiv.org/abs/1710.10196),
    appendix D.

    Args:
        images: Images of shape `(num_images, height, width, channels)`,
            any real dtype and value range, at least `min_resolution` pixels
            on each side.
        descriptors_per_image: Patches per image and level. Defaults to
            `128`.
        patch_size: Side of each square patch, at most `min_resolution`.
            Defaults to `7`.
        min_resolution: Smallest level size; the pyramid stops before a
            side would drop below it. Defaults to `16`.
        seed: Seed of the patch positions (`numpy.random.default_rng`), or
            `None` for fresh entropy. Defaults to `0`.

    Returns:
        A list with one float64 array per level, finest first, of shape
        `(num_images * descriptors_per_image, patch_size, patch_size,
        channels)`; image `i`'s patches are rows
        `i * descriptors_per_image` to `(i + 1) * descriptors_per_image`.

    Raises:
        TypeError: If `images` is not real-valued or an integer argument is
            not an integer.
        ValueError: If `images` is not 4-D, holds NaN or infinite values or
            is smaller than `min_resolution`, its size cannot be halved
            once per extra level, or `patch_size` exceeds `min_resolution`.

    Example:

        >>> images = np.random.default_rng(0).uniform(size=(2, 32, 32, 3))
        >>> [d.shape for d in patch_descriptors(images, descriptors_per_image=4)]
        [(8, 7, 7, 3), (8, 7, 7, 3)]
    """
    images = _as_images(images, "images")
    descriptors_per_image = check_int(descriptors_per_image, name="descriptors_per_image", minimum=1)
    min_resolution = check_int(min_resolution, name="min_resolution", minimum=1)
    patch_size = _check_patch_size(patch_size, min_resolution)
    seed = check_seed(seed)
    num_levels = _num_levels(images.shape, min_resolution, "images")
    return _sample_descriptors(
        _laplacian_pyramid(images, num_levels),
        descriptors_per_image,
        patch_size,
        np.random.default_rng(seed),
    )


def _standardize(descriptors):
    # ProGAN's finalize_descriptors: per channel, over all descriptors and
    # pixels of the set. A channel that is constant across the whole set
    # (std 0) stays centred at 0 instead of becoming NaN.
    mean = np.mean(descriptors, axis=(0, 1, 2), keepdims=True)
    std = np.std(descriptors, axis=(0, 1, 2), keepdims=True)
    centred = descriptors - mean
    return np.divide(centred, std, out=np.zeros_like(centred), where=std > 0)


def _sliced_wasserstein(real, fake, dir_repeats, dirs_per_repeat, rng):
    # Mean over repeats and directions of the 1-D Wasserstein-1 distance
    # between the projected sets: with equally many points, the mean
    # absolute difference of the sorted projections.
    real = _standardize(real).reshape(real.shape[0], -1)
    fake = _standardize(fake).reshape(fake.shape[0], -1)
    results = []
    for _ in range(dir_repeats):
        directions = rng.standard_normal((real.shape[1], dirs_per_repeat))
        directions /= np.linalg.norm(directions, axis=0, keepdims=True)
        total = 0.0
        for start in range(0, dirs_per_repeat, _DIRECTION_BLOCK):
            block = directions[:, start : start + _DIRECTION_BLOCK]
            projected_real = np.sort(real @ block, axis=0)
            projected_fake = np.sort(fake @ block, axis=0)
            total += np.sum(np.abs(projected_real - projected_fake))
        results.append(total / (real.shape[0] * dirs_per_repeat))
    return float(np.mean(results))


def _check_descriptor_lists(real_descriptors, fake_descriptors):
    for name, value in (
        ("real_descriptors", real_descriptors),
        ("fake_descriptors", fake_descriptors),
    ):
        if not isinstance(value, (list, tuple)):
            raise TypeError(
                f"`{name}` must be a list with one descriptor array per "
                f"pyramid level. Received: {name}={type(value).__name__}"
            )
        if not value:
            raise ValueError(f"`{name}` must hold at least one level. Received: {name}=[]")
    if len(real_descriptors) != len(fake_descriptors):
        raise ValueError(
            "`real_descriptors` and `fake_descriptors` must have the same "
            f"number of levels. Received: {len(real_descriptors)} and "
            f"{len(fake_descriptors)} levels"
        )
    pairs = []
    for i, (real, fake) in enumerate(zip(real_descriptors, fake_descriptors)):
        shape_hint = "(num_descriptors, patch_size, patch_size, channels)"
        real = as_float64_array(real, f"real_descriptors[{i}]", 4, shape_hint)
        fake = as_float64_array(fake, f"fake_descriptors[{i}]", 4, shape_hint)
        if real.shape != fake.shape:
            raise ValueError(
                "Real and generated descriptors of a level must have the same "
                "shape: the sorted projections are compared element by "
                "element, so both sets need equally many descriptors. "
                f"Received: real_descriptors[{i}].shape={real.shape}, "
                f"fake_descriptors[{i}].shape={fake.shape}"
            )
        pairs.append((real, fake))
    return pairs


def sliced_wasserstein_from_descriptors(
    real_descriptors: list[ArrayLike] | tuple[ArrayLike, ...],
    fake_descriptors: list[ArrayLike] | tuple[ArrayLike, ...],
    *,
    dir_repeats: int = DIR_REPEATS,
    dirs_per_repeat: int = DIRS_PER_REPEAT,
    seed: int | None = 0,
) -> tuple[float, ...]:
    """Sliced Wasserstein distance ×1e3 per level between descriptor sets.

    For each level: standardises each set's descriptors per channel with the
    set's own mean and standard deviation over all its descriptors and
    pixels (ProGAN's `finalize_descriptors`), flattens them, and
    `dir_repeats` times draws `dirs_per_repeat` random unit directions,
    projects both sets on them, sorts each set's projections per direction
    and takes the mean absolute difference (the 1-D Wasserstein-1 distance
    between equally sized samples); the level's value is the mean over
    repeats, times 1e3.

    Reference: [Karras et al., 2018](https://arxiv.org/abs/1710.10196),
    appendix D; [Rabin et al., 2011](
    https://doi.org/10.1007/978-3-642-24785-9_37) for the sliced
    Wasserstein distance.

    Args:
        real_descriptors: One array per level, shape
            `(num_descriptors, patch_size, patch_size, channels)`, as
            returned by `patch_descriptors` (concatenated over batches if
            sampled batch by batch).
        fake_descriptors: The same for generated images, with the same
            shapes level by level.
        dir_repeats: Number of independent sets of directions. Defaults to
            `4`.
        dirs_per_repeat: Random directions per repeat. Defaults to `128`.
        seed: Seed of the directions (`numpy.random.default_rng`), or
            `None` for fresh entropy. Defaults to `0`.

    Returns:
        A tuple of Python floats, one per level in the given order.

    Raises:
        TypeError: If a descriptor list is not a list or tuple, a level is
            not real-valued, or an integer argument is not an integer.
        ValueError: If the lists are empty or differ in length, or the real
            and generated descriptors of a level differ in shape.

    Example:

        >>> images = np.random.default_rng(0).uniform(size=(4, 16, 16, 3))
        >>> descriptors = patch_descriptors(images, descriptors_per_image=8)
        >>> sliced_wasserstein_from_descriptors(descriptors, descriptors)
        (0.0,)
    """
    pairs = _check_descriptor_lists(real_descriptors, fake_descriptors)
    dir_repeats = check_int(dir_repeats, name="dir_repeats", minimum=1)
    dirs_per_repeat = check_int(dirs_per_repeat, name="dirs_per_repeat", minimum=1)
    seed = check_seed(seed)
    rng = np.random.default_rng(seed)
    return tuple(1e3 * _sliced_wasserstein(real, fake, dir_repeats, dirs_per_repeat, rng) for real, fake in pairs)


def sliced_wasserstein_distance(
    real_images: ArrayLike,
    fake_images: ArrayLike,
    *,
    descriptors_per_image: int = DESCRIPTORS_PER_IMAGE,
    patch_size: int = PATCH_SIZE,
    dir_repeats: int = DIR_REPEATS,
    dirs_per_repeat: int = DIRS_PER_REPEAT,
    min_resolution: int = MIN_RESOLUTION,
    seed: int | None = 0,
) -> SlicedWassersteinResult:
    """ProGAN's multi-scale sliced Wasserstein distance between image sets.

    Samples `descriptors_per_image` random `patch_size × patch_size`
    patches per image from every level of the images' Laplacian pyramids
    (`patch_descriptors`, finest level first, down to `min_resolution`),
    with the same positions for image `i` of both sets, and compares the
    two sets level by level with `sliced_wasserstein_from_descriptors`.
    Each level is reported ×1e3, as in ProGAN, with their average. The
    paper uses 16,384 images per set; fewer give a noisier, larger value,
    so compare values at equal set sizes and settings.

    Memory grows as `num_images × descriptors_per_image × patch_size² ×
    channels` per level (float64); for large sets, sample descriptors batch
    by batch with `patch_descriptors` instead.

    Reference: [Karras et al., 2018](https://arxiv.org/abs/1710.10196),
    section 5 and appendix D.

    Args:
        real_images: Real images of shape
            `(num_images, height, width, channels)`, any real dtype and
            value range (see the module docstring), at least
            `min_resolution` pixels on each side.
        fake_images: Generated images with the same shape as
            `real_images` (the same number of images: the sorted
            projections are compared element by element).
        descriptors_per_image: Patches per image and level. Defaults to
            `128`.
        patch_size: Side of each square patch. Defaults to `7`.
        dir_repeats: Number of independent sets of projection directions.
            Defaults to `4`.
        dirs_per_repeat: Random directions per repeat. Defaults to `128`.
        min_resolution: Smallest pyramid level size. Defaults to `16`.
        seed: Seed of the patch positions and the directions, or `None`
            for fresh entropy (results then vary between calls). Defaults
            to `0`.

    Returns:
        A `SlicedWassersteinResult` with the `resolutions` of the levels,
        their `distances` (×1e3) and the `average`.

    Raises:
        TypeError: If the images are not real-valued or an integer argument
            is not an integer.
        ValueError: If the image arrays are not 4-D, hold NaN or infinite
            values or differ in shape, are smaller than `min_resolution` or
            cannot be halved once per extra level, or `patch_size` exceeds
            `min_resolution`.

    Example:

        >>> rng = np.random.default_rng(0)
        >>> real = rng.uniform(size=(8, 32, 32, 3))
        >>> result = sliced_wasserstein_distance(
        ...     real, real, descriptors_per_image=16, dirs_per_repeat=16
        ... )
        >>> result.resolutions, result.distances, result.average
        (((32, 32), (16, 16)), (0.0, 0.0), 0.0)
    """
    real = _as_images(real_images, "real_images")
    fake = _as_images(fake_images, "fake_images")
    if real.shape != fake.shape:
        raise ValueError(
            "`real_images` and `fake_images` must have the same shape: equally "
            "many images of the same size, since the sorted projections are "
            f"compared element by element. Received: real_images.shape="
            f"{real.shape}, fake_images.shape={fake.shape}"
        )
    descriptors_per_image = check_int(descriptors_per_image, name="descriptors_per_image", minimum=1)
    dir_repeats = check_int(dir_repeats, name="dir_repeats", minimum=1)
    dirs_per_repeat = check_int(dirs_per_repeat, name="dirs_per_repeat", minimum=1)
    min_resolution = check_int(min_resolution, name="min_resolution", minimum=1)
    patch_size = _check_patch_size(patch_size, min_resolution)
    seed = check_seed(seed)
    num_levels = _num_levels(real.shape, min_resolution, "real_images")

    patch_seed, direction_seed = np.random.SeedSequence(seed).spawn(2)
    # Two generators from one seed sequence draw the same positions, so both
    # sets are sampled at the same places.
    real_descriptors, fake_descriptors = (
        _sample_descriptors(
            _laplacian_pyramid(images, num_levels),
            descriptors_per_image,
            patch_size,
            np.random.default_rng(patch_seed),
        )
        for images in (real, fake)
    )
    rng = np.random.default_rng(direction_seed)
    distances = tuple(
        1e3 * _sliced_wasserstein(r, f, dir_repeats, dirs_per_repeat, rng)
        for r, f in zip(real_descriptors, fake_descriptors)
    )
    height, width = real.shape[1], real.shape[2]
    return SlicedWassersteinResult(
        float(np.mean(distances)),
        name="swd",
        num_real=real.shape[0],
        num_fake=fake.shape[0],
        resolutions=tuple((height // 2**i, width // 2**i) for i in range(num_levels)),
        distances=distances,
    )
