"""Any folder of images (jpg, jpeg, png, bmp) as a GAN dataset.

The image-folder pipeline of source 001 (TF-slim DCGAN: every `*.jpg` of a
folder, read with OpenCV, resized to 64x64, RGB, scaled to [-1, 1]), made
recursive, robust to unreadable files and reproducible. Images are decoded
once into memory (uint8, at their final size: N x H x W x C bytes); pass
`cache_file` to keep the decoded arrays on disk between runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Sequence

import numpy as np
import tensorflow as tf

from data_loaders import _files
from data_loaders import _images
from data_loaders import _pipeline
from gankit._checks import check_choice
from gankit._checks import check_directory
from gankit._checks import check_image_size
from gankit._checks import check_path

_CACHE_FORMAT_VERSION = 1


def _labels_from_paths(paths, root):
    """Class = first sub-folder under `root`; `None` if any file is at the top."""
    top_folders = []
    for path in paths:
        parts = os.path.relpath(path, root).split(os.sep)
        if len(parts) < 2:
            return None, ()
        top_folders.append(parts[0])
    class_names = tuple(sorted(set(top_folders)))
    index = {name: i for i, name in enumerate(class_names)}
    return np.array([index[name] for name in top_folders], np.int32), class_names


def _fingerprint(paths, root, settings):
    entries = []
    for path in paths:
        stat = os.stat(path)
        entries.append([os.path.relpath(path, root), stat.st_size, stat.st_mtime_ns])
    payload = json.dumps({"version": _CACHE_FORMAT_VERSION, **settings, "files": entries})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _read_cache(cache_file, fingerprint, root):
    """Returns the cached arrays, or `None` when the cache is stale or unreadable."""
    try:
        return _read_valid_cache(cache_file, fingerprint, root)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return None  # Not a cache this module wrote: it is rebuilt and replaced.


def _read_valid_cache(cache_file, fingerprint, root):
    with np.load(cache_file, allow_pickle=False) as cached:
        if str(cached["fingerprint"]) != fingerprint:
            return None
        labels = cached["labels"] if bool(cached["has_labels"]) else None
        skipped, total = cached["skipped"].tolist(), int(cached["num_files"])
        images, class_names = cached["images"], tuple(cached["class_names"].tolist())
    _images.warn_skipped(skipped, total, _images.skipped_files_message(root))
    return images, labels, class_names


def _write_cache(cache_file, fingerprint, root, images, labels, class_names, skipped, total):
    if os.path.isdir(cache_file):
        raise IsADirectoryError(f"`cache_file` must be a file path, not a folder. Received: cache_file={cache_file!r}")
    temporary = f"{cache_file}.tmp-{os.getpid()}"
    try:
        _write_cache_file(temporary, fingerprint, root, images, labels, class_names, skipped, total)
        os.replace(temporary, cache_file)  # Atomic: a killed run leaves no half file.
    finally:
        if os.path.exists(temporary):  # A failed write leaves nothing behind.
            os.remove(temporary)


def _write_cache_file(temporary, fingerprint, root, images, labels, class_names, skipped, total):
    with open(temporary, "wb") as file:  # A file object: numpy adds no suffix.
        np.savez(
            file,
            fingerprint=np.array(fingerprint),
            images=images,
            has_labels=np.array(labels is not None),
            labels=labels if labels is not None else np.zeros((0,), np.int32),
            class_names=np.array(class_names, dtype=str),
            skipped=np.array([os.path.relpath(p, root) for p in skipped], dtype=str),
            num_files=np.array(total),
        )


IMAGE_EXTENSIONS = _images.IMAGE_EXTENSIONS
"""File extensions the folder loaders read as images (compared case-insensitively)."""


def list_image_files(directory: str | os.PathLike) -> list[str]:
    """The image files under `directory`, recursively, in sorted order.

    The listing every folder loader uses: regular files (a symbolic link
    counts as what it points to) whose extension is in `IMAGE_EXTENSIONS`;
    hidden files and folders (names starting with ".") are skipped.

    Args:
        directory: An existing folder.

    Returns:
        A sorted list of paths (possibly empty).

    Raises:
        FileNotFoundError: If `directory` is not an existing folder.
        TypeError: If `directory` is not a path.

    Example:

        >>> list_image_files("photos")  # doctest: +SKIP
        ['photos/a.png', 'photos/cats/b.jpg']
    """
    directory = check_directory(directory, name="directory")
    return [path for path in _files.list_files(directory) if _images.has_image_extension(path)]


def load_image_folder_arrays(
    directory: str | os.PathLike,
    image_size: int | Sequence[int] = 64,
    *,
    crop: str = "center",
    color_mode: str = "rgb",
    interpolation: str = "auto",
    cache_file: str | os.PathLike | None = None,
) -> tuple[np.ndarray, np.ndarray | None, tuple[str, ...]]:
    """Decodes every image under `directory` into uint8 arrays.

    Files are searched recursively; hidden files and folders are ignored.
    Files that are not jpg/jpeg/png/bmp or cannot be decoded are skipped and
    named in one `UserWarning`. When every image sits in a sub-folder, the
    first sub-folder level gives the class labels (sorted names, as
    `keras.utils.image_dataset_from_directory` does).

    Args:
        directory: the folder to read.
        image_size: an int or `(height, width)` of the output images.
            Defaults to `64`.
        crop: `"center"` to cut the largest centred region with the aspect
            ratio of `image_size` (a square for square sizes) before
            resizing, keeping proportions; `"none"` to resize whole images.
            Defaults to `"center"`.
        color_mode: `"rgb"` (3 channels) or `"grayscale"` (1 channel).
            Defaults to `"rgb"`.
        interpolation: `"auto"` (`cv2.INTER_AREA` to shrink,
            `cv2.INTER_CUBIC` to enlarge), `"area"`, `"cubic"`, `"linear"`,
            `"nearest"` or `"lanczos"`. Defaults to `"auto"`.
        cache_file: `None`, or the path of a file keeping the decoded arrays
            between runs (NumPy `.npz` format, written atomically). It is
            reused only when the folder's file names, sizes and modification
            times and the decoding arguments are unchanged, and rewritten
            otherwise. Defaults to `None`.

    Returns:
        `(images, labels, class_names)`: uint8 `[N, height, width, channels]`;
        int32 `[N]` class ids or `None` when some image is not inside a
        sub-folder; the tuple of sub-folder names (empty when `labels` is
        `None`).

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument has a bad value or no image can be read.
        FileNotFoundError: if `directory` does not exist.

    Example:

        >>> images, labels, names = load_image_folder_arrays(
        ...     "celeba/", image_size=64)  # doctest: +SKIP
    """
    image_size = check_image_size(image_size, allow_none=False)
    check_choice(crop, name="crop", choices=_images.CROP_MODES)
    check_choice(color_mode, name="color_mode", choices=_images.COLOR_MODES)
    check_choice(interpolation, name="interpolation", choices=tuple(_images.INTERPOLATIONS))
    if cache_file is not None:
        cache_file = check_path(cache_file, name="cache_file")
        if os.path.isdir(cache_file):
            raise ValueError(f"`cache_file` must be a file path, not a folder. Received: cache_file={cache_file!r}")
    directory = check_directory(directory, name="directory")
    paths = _files.list_files(directory)
    settings = {
        "image_size": image_size,
        "crop": crop,
        "color_mode": color_mode,
        "interpolation": interpolation,
    }
    fingerprint = None
    if cache_file is not None:
        fingerprint = _fingerprint(paths, directory, settings)
        if os.path.isfile(cache_file):
            cached = _read_cache(cache_file, fingerprint, directory)
            if cached is not None:
                return cached
    images, kept, skipped = _images.read_images(paths, directory, image_size, crop, color_mode, interpolation)
    labels, class_names = _labels_from_paths(kept, directory)
    if cache_file is not None:
        _write_cache(cache_file, fingerprint, directory, images, labels, class_names, skipped, len(paths))
    return images, labels, class_names


def image_folder(
    directory: str | os.PathLike,
    image_size: int | Sequence[int] = 64,
    *,
    batch_size: int = 64,
    shuffle: bool = True,
    seed: int | None = None,
    flip: bool = False,
    drop_remainder: bool = True,
    with_labels: bool = False,
    value_range: Sequence[float] = (-1.0, 1.0),
    crop: str = "center",
    color_mode: str = "rgb",
    interpolation: str = "auto",
    cache_file: str | os.PathLike | None = None,
) -> tf.data.Dataset:
    """A folder of images as a batched `tf.data.Dataset` in [-1, 1].

    See `load_image_folder_arrays` for how files are found, decoded, cropped
    and labelled. The defaults (64x64 RGB, batches of 64) are source 001's.

    Args:
        directory: the folder to read (recursively).
        image_size: an int or `(height, width)` of the output images.
            Defaults to `64`.
        batch_size: images per batch. Defaults to `64`.
        shuffle: whether to shuffle (uniformly, anew every epoch).
            Defaults to `True`.
        seed: `None`, or an int making shuffles and flips reproducible.
            Defaults to `None`.
        flip: whether to mirror each image left-right with probability 1/2.
            Defaults to `False`.
        drop_remainder: whether to drop the last batch when it is smaller
            than `batch_size`. Defaults to `True`.
        with_labels: whether to yield `(images, labels)`, the label being the
            index of the image's sub-folder (needs every image in a
            sub-folder). Defaults to `False`.
        value_range: pixel range of the images, `(-1, 1)` (gankit's `tanh`
            generators) or `(0, 1)` (`sigmoid` generators, e.g. source 002's
            MNIST network, `build_dcgan(preset="mlm_mnist")`).
            Defaults to `(-1, 1)`.
        crop: `"center"` or `"none"` (see `load_image_folder_arrays`).
            Defaults to `"center"`.
        color_mode: `"rgb"` or `"grayscale"`. Defaults to `"rgb"`.
        interpolation: `"auto"`, `"area"`, `"cubic"`, `"linear"`, `"nearest"`
            or `"lanczos"`. Defaults to `"auto"`.
        cache_file: `None`, or an `.npz` path keeping the decoded images
            between runs. Defaults to `None`.

    Returns:
        A `tf.data.Dataset` of float32 `[batch, height, width, channels]`
        images in [-1, 1], or `(images, labels)` when `with_labels=True`.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument has a bad value, no image can be read,
            `with_labels=True` while some image is not in a sub-folder, or
            `batch_size` exceeds the number of images while
            `drop_remainder=True`.
        FileNotFoundError: if `directory` does not exist.

    Example:

        >>> dataset = image_folder("celeba/", image_size=64, seed=0)  # doctest: +SKIP
        >>> next(iter(dataset)).shape  # doctest: +SKIP
        TensorShape([64, 64, 64, 3])
    """
    options = _pipeline.PipelineOptions(batch_size, shuffle, seed, flip, drop_remainder, with_labels, value_range)
    images, labels, _ = load_image_folder_arrays(
        directory,
        image_size,
        crop=crop,
        color_mode=color_mode,
        interpolation=interpolation,
        cache_file=cache_file,
    )
    if with_labels and labels is None:
        raise ValueError(
            "`with_labels=True` needs every image inside a class sub-folder "
            f"(`{directory}/<class>/...`), but some images lie directly in "
            f"{directory!r}. Received: with_labels=True. Move them into "
            "sub-folders or pass `with_labels=False`."
        )
    return _pipeline.make_dataset(images, labels, options=options)
