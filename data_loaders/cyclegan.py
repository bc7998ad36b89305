"""Unpaired image-to-image datasets for CycleGAN: the standard archives and an
offline Fashion-MNIST task.

Chapter 9 of source 004 trains a CycleGAN on apple2orange with a loader that
reads `<root>/trainA` and `<root>/trainB`, resizes every image to 128x128,
scales it to [-1, 1] and, each epoch, draws `min(len(A), len(B)) //
batch_size` batches of unrelated A and B images. `unpaired` does the same with
`tf.data` (`length="min"`); `length="max"` follows the CycleGAN authors' code
instead (an epoch covers the larger domain, the smaller one repeats).

Layout of every CycleGAN archive (and of `export_unpaired`'s output):

    <root>/trainA/*.jpg  <root>/trainB/*.jpg  <root>/testA/*.jpg  <root>/testB/*.jpg

Offline, `fashion_mnist_sneakers_boots` gives a real unpaired task from the
Debian Fashion-MNIST files: sneakers (class 7) <-> ankle boots (class 9).

Reference: Zhu et al., 2017, "Unpaired Image-to-Image Translation using
Cycle-Consistent Adversarial Networks", https://arxiv.org/abs/1703.10593.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import cv2
import keras
import numpy as np
import tensorflow as tf
from numpy.typing import ArrayLike

from data_loaders import _files
from data_loaders import _images
from data_loaders import _pipeline
from data_loaders import mnist_family
from gankit._checks import check_bool
from gankit._checks import check_choice
from gankit._checks import check_image_size
from gankit._checks import check_path

CYCLEGAN_URL = "https://efrosgans.eecs.berkeley.edu/cyclegan/datasets/{name}.zip"
# The archives the CycleGAN authors publish at CYCLEGAN_URL.
CYCLEGAN_DATASETS = (
    "apple2orange",
    "cezanne2photo",
    "facades",
    "horse2zebra",
    "iphone2dslr_flower",
    "maps",
    "monet2photo",
    "summer2winter_yosemite",
    "ukiyoe2photo",
    "vangogh2photo",
)
SPLITS = ("train", "test")
SNEAKER_CLASS = 7  # Fashion-MNIST class ids (see FASHION_MNIST_CLASS_NAMES).
ANKLE_BOOT_CLASS = 9


def download_cyclegan_dataset(name: str, data_dir: str | os.PathLike | None = None) -> str:
    """Downloads and extracts one of the CycleGAN authors' unpaired datasets.

    Fetches `https://efrosgans.eecs.berkeley.edu/cyclegan/datasets/{name}.zip`
    with `keras.utils.get_file` into `data_dir` and extracts it to
    `<data_dir>/<name>/{trainA,trainB,testA,testB}`. Nothing is fetched when
    `<data_dir>/<name>/trainA` already exists.

    Offline: download `{name}.zip` on another machine, copy it into
    `data_dir` and call this function; `keras.utils.get_file` finds it and
    only the extraction runs.

    Args:
        name: one of `CYCLEGAN_DATASETS`, e.g. `"apple2orange"` (the book's)
            or `"horse2zebra"`.
        data_dir: `None` for `~/.keras/datasets/cyclegan` (under
            `$KERAS_HOME` when set), or the folder to download into.
            Defaults to `None`.

    Returns:
        The dataset folder `<data_dir>/<name>`, ready for `unpaired(...)`.

    Raises:
        ValueError: if `name` is not a known dataset, or the archive does not
            hold `<name>/trainA`.

    Example:

        >>> root = download_cyclegan_dataset("apple2orange")  # doctest: +SKIP
        >>> dataset = unpaired(root, image_size=128)  # doctest: +SKIP
    """
    if name not in CYCLEGAN_DATASETS:
        raise ValueError(f"`name` must be one of {', '.join(CYCLEGAN_DATASETS)}. Received: name={name!r}.")
    base = _files.default_data_dir("cyclegan") if data_dir is None else data_dir
    base = check_path(base, name="data_dir")
    root = os.path.join(base, name)
    if os.path.isdir(os.path.join(root, "trainA")):
        return root
    os.makedirs(base, exist_ok=True)
    archive = _files.download(
        f"the CycleGAN dataset {name}",
        f"Offline, copy {name}.zip (from {CYCLEGAN_URL.format(name=name)}) into {base!r} and call again, "
        f"or extract it so that {name}/trainA and {name}/trainB exist in the folder given as {{data_dir}}",
        keras.utils.get_file,
        fname=f"{name}.zip",
        origin=CYCLEGAN_URL.format(name=name),
        cache_dir=base,
        cache_subdir="",
    )
    _files.extract_archive(archive, base)
    if not os.path.isdir(os.path.join(root, "trainA")):
        raise ValueError(
            f"The archive {archive!r} did not extract to {root!r} with a trainA "
            f"folder. Expected a zip holding {name}/trainA, {name}/trainB, "
            f"{name}/testA and {name}/testB, as the published archives do."
        )
    return root


def _resolve_root(name_or_dir, data_dir, download):
    path = check_path(name_or_dir, name="name_or_dir")
    if os.path.isdir(path):
        return path
    if path not in CYCLEGAN_DATASETS:
        raise ValueError(
            "`name_or_dir` must be an existing folder or one of "
            f"{', '.join(CYCLEGAN_DATASETS)}. Received: name_or_dir={name_or_dir!r}, "
            "which is neither."
        )
    base = _files.default_data_dir("cyclegan") if data_dir is None else data_dir
    root = os.path.join(check_path(base, name="data_dir"), path)
    if os.path.isdir(root):
        return root
    if download:
        return download_cyclegan_dataset(path, base)
    raise FileNotFoundError(
        f"The {path!r} dataset is not in {root!r}. Call "
        f"`download_cyclegan_dataset({path!r}, data_dir)` or pass `download=True`, or "
        f"place {path}.zip from {CYCLEGAN_URL.format(name=path)} in the data folder "
        "and call `download_cyclegan_dataset` to extract it."
    )


def load_unpaired_arrays(
    name_or_dir: str | os.PathLike,
    image_size: int | Sequence[int] = 128,
    *,
    split: str = "train",
    data_dir: str | os.PathLike | None = None,
    download: bool = False,
    crop: str = "center",
    color_mode: str = "rgb",
    interpolation: str = "auto",
) -> tuple[np.ndarray, np.ndarray]:
    """Decodes the A and B images of one split of an unpaired dataset.

    Unreadable files are skipped and named in one warning per domain.

    Args:
        name_or_dir: a folder with `trainA`, `trainB`, `testA`, `testB`
            sub-folders, or the name of one of `CYCLEGAN_DATASETS` (looked up
            in `data_dir`).
        image_size: an int or `(height, width)` of the output images.
            Defaults to `128` (the book's).
        split: `"train"` (`trainA`/`trainB`) or `"test"` (`testA`/`testB`).
            Defaults to `"train"`.
        data_dir: `None` for `~/.keras/datasets/cyclegan`, or the folder
            holding downloaded datasets; used only with a dataset name.
            Defaults to `None`.
        download: whether to download a named dataset that is missing.
            Defaults to `False`.
        crop: `"center"` (largest centred region with the target's aspect
            ratio, then resize) or `"none"` (resize whole images). The
            published datasets are square, where both agree.
            Defaults to `"center"`.
        color_mode: `"rgb"` or `"grayscale"`. Defaults to `"rgb"`.
        interpolation: `"auto"` (`cv2.INTER_AREA` to shrink,
            `cv2.INTER_CUBIC` to enlarge), `"area"`, `"cubic"`, `"linear"`,
            `"nearest"` or `"lanczos"`. Defaults to `"auto"`.

    Returns:
        `(images_a, images_b)`: uint8 `[N_a, H, W, C]` and `[N_b, H, W, C]`.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument has a bad value or a domain has no image.
        FileNotFoundError: if the dataset or a split folder is missing.

    Example:

        >>> apples, oranges = load_unpaired_arrays(
        ...     "apple2orange", split="test")  # doctest: +SKIP
    """
    image_size = check_image_size(image_size, allow_none=False)
    check_choice(split, name="split", choices=SPLITS)
    check_choice(crop, name="crop", choices=_images.CROP_MODES)
    check_choice(color_mode, name="color_mode", choices=_images.COLOR_MODES)
    check_choice(interpolation, name="interpolation", choices=tuple(_images.INTERPOLATIONS))
    check_bool(download, name="download")
    root = _resolve_root(name_or_dir, data_dir, download)
    folders = [os.path.join(root, f"{split}{domain}") for domain in ("A", "B")]
    missing = [os.path.basename(f) for f in folders if not os.path.isdir(f)]
    if missing:
        raise FileNotFoundError(
            f"Missing folders {missing} in {root!r}. An unpaired dataset needs the "
            "layout <root>/trainA, <root>/trainB, <root>/testA, <root>/testB."
        )
    arrays = []
    for folder in folders:
        images, _, _ = _images.read_images(
            _files.list_files(folder), folder, image_size, crop, color_mode, interpolation
        )
        arrays.append(images)
    return tuple(arrays)


def unpaired(
    name_or_dir: str | os.PathLike,
    image_size: int | Sequence[int] = 128,
    *,
    split: str = "train",
    data_dir: str | os.PathLike | None = None,
    download: bool = False,
    batch_size: int = 64,
    shuffle: bool = True,
    seed: int | None = None,
    flip: bool = False,
    drop_remainder: bool = True,
    length: str = "min",
    crop: str = "center",
    color_mode: str = "rgb",
    interpolation: str = "auto",
) -> tf.data.Dataset:
    """An unpaired A/B image dataset as batches of `(a, b)` in [-1, 1].

    Each domain is shuffled on its own (independent seeds derived from
    `seed`), so `a[i]` and `b[i]` are unrelated, as CycleGAN training needs.
    Images are decoded once and kept in memory.

    Args:
        name_or_dir: a folder with `trainA`/`trainB`/`testA`/`testB`, or the
            name of one of `CYCLEGAN_DATASETS`.
        image_size: an int or `(height, width)` of the output images.
            Defaults to `128` (the book's).
        split: `"train"` or `"test"`. Defaults to `"train"`.
        data_dir: `None` for `~/.keras/datasets/cyclegan`, or the folder
            holding downloaded datasets. Defaults to `None`.
        download: whether to download a named dataset that is missing.
            Defaults to `False`.
        batch_size: pairs per batch (the book calls `train(batch_size=64)`;
            the CycleGAN paper uses 1). Defaults to `64`.
        shuffle: whether to shuffle each domain (anew every epoch).
            Defaults to `True`.
        seed: `None`, or an int making shuffles and flips reproducible.
            Defaults to `None`.
        flip: whether to mirror each image left-right with probability 1/2,
            independently in A and B. Defaults to `False`.
        drop_remainder: whether to drop the last batch when it is smaller
            than `batch_size`. Defaults to `True`.
        length: `"min"` ends an epoch with the smaller domain (the book's
            loader: `min(N_a, N_b) // batch_size` batches); `"max"` repeats
            the smaller domain, reshuffled, until the larger one is used up
            (the CycleGAN authors' loader). Defaults to `"min"`.
        crop: `"center"` or `"none"`. Defaults to `"center"`.
        color_mode: `"rgb"` or `"grayscale"`. Defaults to `"rgb"`.
        interpolation: `"auto"`, `"area"`, `"cubic"`, `"linear"`, `"nearest"`
            or `"lanczos"`. Defaults to `"auto"`.

    Returns:
        A `tf.data.Dataset` of `(a, b)` float32 batches
        `[batch, height, width, channels]` in [-1, 1].

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument has a bad value, a domain has no image,
            or `batch_size` exceeds the number of pairs while
            `drop_remainder=True`.
        FileNotFoundError: if the dataset or a split folder is missing.

    Example:

        >>> dataset = unpaired("apple2orange", download=True)  # doctest: +SKIP
        >>> apples, oranges = next(iter(dataset))  # doctest: +SKIP
        >>> apples.shape  # doctest: +SKIP
        TensorShape([64, 128, 128, 3])
    """
    options = _pipeline.PipelineOptions(batch_size, shuffle, seed, flip, drop_remainder)
    check_choice(length, name="length", choices=_pipeline.LENGTH_MODES)
    images_a, images_b = load_unpaired_arrays(
        name_or_dir,
        image_size,
        split=split,
        data_dir=data_dir,
        download=download,
        crop=crop,
        color_mode=color_mode,
        interpolation=interpolation,
    )
    return _pipeline.make_unpaired_dataset(images_a, images_b, options=options, length=length)


def load_fashion_mnist_sneakers_boots_arrays(
    split: str = "train", data_dir: str | os.PathLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Returns the Fashion-MNIST sneakers (A) and ankle boots (B) of a split.

    Args:
        split: `"train"` (6,000 of each) or `"test"` (1,000 of each).
            Defaults to `"train"`.
        data_dir: `None` or a folder with the Fashion-MNIST IDX files (see
            `load_fashion_mnist_arrays`). Defaults to `None`.

    Returns:
        `(sneakers, boots)`: uint8 `[N_a, 28, 28]` and `[N_b, 28, 28]`.

    Raises:
        ValueError: if `split` is unknown or a file is corrupted.
        FileNotFoundError: if `data_dir` lacks the IDX files.

    Example:

        >>> sneakers, boots = load_fashion_mnist_sneakers_boots_arrays(
        ...     "test")  # doctest: +SKIP
        >>> len(sneakers), len(boots)  # doctest: +SKIP
        (1000, 1000)
    """
    images, labels = mnist_family.load_fashion_mnist_arrays(split, data_dir)
    return images[labels == SNEAKER_CLASS], images[labels == ANKLE_BOOT_CLASS]


def fashion_mnist_sneakers_boots(
    split: str = "train",
    *,
    image_size: int | Sequence[int] | None = None,
    data_dir: str | os.PathLike | None = None,
    batch_size: int = 64,
    shuffle: bool = True,
    seed: int | None = None,
    flip: bool = False,
    drop_remainder: bool = True,
    length: str = "min",
) -> tf.data.Dataset:
    """Sneakers <-> ankle boots: a real unpaired task that runs offline.

    Domain A is Fashion-MNIST class 7 (Sneaker), domain B class 9 (Ankle
    boot); both are shoes seen from the side, so a CycleGAN must change the
    shaft while keeping the sole and orientation. The data comes from
    `data_dir`, the Debian `dataset-fashion-mnist` package or Keras (see
    `load_fashion_mnist_arrays`). Batches have the structure of `unpaired`.

    Args:
        split: `"train"` (6,000 per domain) or `"test"` (1,000 per domain).
            Defaults to `"train"`.
        image_size: `None` to keep 28x28, or an int / `(height, width)` to
            resize to (bilinear, antialiased). Defaults to `None`.
        data_dir: `None`, or a folder with the Fashion-MNIST IDX files.
            Defaults to `None`.
        batch_size: pairs per batch. Defaults to `64`.
        shuffle: whether to shuffle each domain (anew every epoch).
            Defaults to `True`.
        seed: `None`, or an int making shuffles and flips reproducible.
            Defaults to `None`.
        flip: whether to mirror each image left-right with probability 1/2
            (turns the shoes to face the other way). Defaults to `False`.
        drop_remainder: whether to drop the last batch when it is smaller
            than `batch_size`. Defaults to `True`.
        length: `"min"` or `"max"` (see `unpaired`; both domains hold the
            same number of images in the official splits). Defaults to `"min"`.

    Returns:
        A `tf.data.Dataset` of `(sneakers, boots)` float32 batches
        `[batch, H, W, 1]` in [-1, 1].

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument has a bad value, or `batch_size` exceeds
            the number of pairs while `drop_remainder=True`.
        FileNotFoundError: if `data_dir` lacks the IDX files.

    Example:

        >>> dataset = fashion_mnist_sneakers_boots(batch_size=32, image_size=32)  # doctest: +SKIP
        >>> sneakers, boots = next(iter(dataset))  # doctest: +SKIP
        >>> sneakers.shape  # doctest: +SKIP
        TensorShape([32, 32, 32, 1])
    """
    options = _pipeline.PipelineOptions(batch_size, shuffle, seed, flip, drop_remainder)
    check_choice(split, name="split", choices=SPLITS)
    check_choice(length, name="length", choices=_pipeline.LENGTH_MODES)
    image_size = check_image_size(image_size)
    sneakers, boots = load_fashion_mnist_sneakers_boots_arrays(split, data_dir)
    return _pipeline.make_unpaired_dataset(sneakers, boots, options=options, image_size=image_size, length=length)


def export_unpaired(
    directory: str | os.PathLike, images_a: ArrayLike, images_b: ArrayLike, split: str = "train"
) -> str:
    """Writes two image domains as PNG files in the CycleGAN folder layout.

    Creates `<directory>/<split>A/00000.png, ...` and `<directory>/<split>B/
    ...`, so that `unpaired(directory, split=split)` (or any CycleGAN code
    that reads that layout) loads them back. PNG is lossless: the pixels come
    back unchanged.

    Args:
        directory: the dataset root to write into (created if needed).
        images_a: uint8 images of domain A, `[N, H, W]` or `[N, H, W, C]`
            with C = 1 (gray) or 3 (RGB).
        images_b: uint8 images of domain B, same conventions.
        split: `"train"` or `"test"`. Defaults to `"train"`.

    Returns:
        `directory`, as a string.

    Raises:
        TypeError: if the images are not uint8.
        ValueError: if `split` or an image shape is invalid.
        FileExistsError: if a target folder already holds files.

    Example:

        >>> sneakers, boots = load_fashion_mnist_sneakers_boots_arrays()  # doctest: +SKIP
        >>> root = export_unpaired("sneakers2boots", sneakers, boots)  # doctest: +SKIP
    """
    directory = check_path(directory, name="directory")
    check_choice(split, name="split", choices=SPLITS)
    checked = []
    for name, images in (("images_a", images_a), ("images_b", images_b)):
        images = np.asarray(images)
        if images.dtype != np.uint8:
            raise TypeError(
                f"`{name}` must be a uint8 array (pixels in [0, 255]). Received: "
                f"{name} of dtype {images.dtype}. Convert images in [-1, 1] with "
                "`np.round((x + 1) * 127.5).astype(np.uint8)`."
            )
        images = _pipeline.as_nhwc(images, name)
        if images.shape[-1] not in (1, 3):
            raise ValueError(f"`{name}` must have 1 or 3 channels. Received: {name} with shape {images.shape}.")
        checked.append(images)
    folders = [os.path.join(directory, f"{split}{domain}") for domain in ("A", "B")]
    for folder in folders:
        if os.path.isdir(folder) and os.listdir(folder):
            raise FileExistsError(f"{folder!r} already holds files; export into an empty or new folder.")
    for folder, images in zip(folders, checked):
        os.makedirs(folder, exist_ok=True)
        for index, image in enumerate(images):
            if image.shape[-1] == 3:
                image = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
            path = os.path.join(folder, f"{index:05d}.png")
            if not cv2.imwrite(path, image):
                raise OSError(f"OpenCV could not write {path!r}.")
    return directory
