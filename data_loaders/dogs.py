"""Stanford Dogs, one square crop per annotated dog, as in the dogs DCGAN post.

Source 000 (a Kaggle DCGAN on dog images) does not train on whole photos: it
reads the PASCAL VOC bounding boxes shipped with the dataset and crops every
dog (an image may hold several), with a small margin, into a square that is
then resized (`cv2.INTER_AREA` to shrink, `cv2.INTER_CUBIC` to enlarge). On
the full dataset this gives 22,125 crops of 120 breeds from 20,580 images.

Expected layout (the two archives of the dataset, extracted side by side):

    <data_dir>/Images/n02085620-Chihuahua/n02085620_10074.jpg
    <data_dir>/Annotation/n02085620-Chihuahua/n02085620_10074    (XML, no extension)

Reference: Khosla et al., 2011, "Novel Dataset for Fine-Grained Image
Categorization", http://vision.stanford.edu/aditya86/ImageNetDogs/
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf

from data_loaders import _files
from data_loaders import _images
from data_loaders import _pipeline
from gankit._checks import check_bool
from gankit._checks import check_choice
from gankit._checks import check_int
from gankit._checks import check_number
from gankit._checks import check_path

STANFORD_DOGS_IMAGES_URL = "http://vision.stanford.edu/aditya86/ImageNetDogs/images.tar"
STANFORD_DOGS_ANNOTATION_URL = "http://vision.stanford.edu/aditya86/ImageNetDogs/annotation.tar"
_IMAGES_FOLDER = "Images"
_ANNOTATION_FOLDER = "Annotation"
_LAYOUT = (
    "<data_dir>/Images/<wnid>-<breed>/<wnid>_<n>.jpg and "
    "<data_dir>/Annotation/<wnid>-<breed>/<wnid>_<n> (VOC XML files without extension)"
)


def dog_crop_box(box: Sequence[float], image_shape: Sequence[int], margin: int = 4) -> tuple[int, int, int]:
    """Computes the square crop of one dog, as the dogs post does.

    Steps: widen the box by `margin` pixels on every side, clipped to the
    image; take a square of side `w = min(box width, box height)` (and at most
    the image's smaller side) from the box's top-left corner; shift it back
    inside the image if it would cross the right or bottom border. After the
    clipping the shift never moves a box with valid coordinates; it guards
    against annotations larger than their image.

    Args:
        box: `(xmin, ymin, xmax, ymax)` in pixels, VOC order.
        image_shape: `(height, width)` (or the full `image.shape`).
        margin: pixels added on every side before cropping. Defaults to `4`.

    Returns:
        `(top, left, side)`: crop with `image[top:top + side, left:left + side]`.

    Raises:
        ValueError: if a box coordinate is NaN or infinite, or the box does
            not overlap the image.

    Example:

        >>> dog_crop_box((10, 50, 60, 79), image_shape=(80, 100))
        (46, 6, 34)
    """
    height, width = image_shape[:2]
    box = tuple(box)
    for i, value in enumerate(box):
        check_number(value, name=f"box[{i}]")
    xmin, ymin, xmax, ymax = (int(v) for v in box)
    xmin, ymin = max(0, xmin - margin), max(0, ymin - margin)
    xmax, ymax = min(width, xmax + margin), min(height, ymax + margin)
    side = min(xmax - xmin, ymax - ymin, width, height)
    if side < 1:
        raise ValueError(f"The box {tuple(box)} does not overlap the {height}x{width} image.")
    left = min(xmin, width - side)
    top = min(ymin, height - side)
    return top, left, side


def read_dog_boxes(path: str | os.PathLike) -> list[tuple[int, int, int, int]]:
    """Reads the `(xmin, ymin, xmax, ymax)` of every `<object>` of a VOC file.

    Args:
        path: the annotation file (Stanford Dogs' have no extension).

    Returns:
        A list of `(xmin, ymin, xmax, ymax)` int tuples, in file order.

    Raises:
        ValueError: if the file cannot be read or is not VOC XML with numeric
            box coordinates.
    """
    try:
        root = ElementTree.parse(path).getroot()
        boxes = []
        for item in root.iter("object"):
            bndbox = item.find("bndbox")
            boxes.append(tuple(int(float(bndbox.find(k).text)) for k in ("xmin", "ymin", "xmax", "ymax")))
    except (OSError, ElementTree.ParseError, AttributeError, TypeError, ValueError) as error:
        raise ValueError(f"{path!r} is not a VOC annotation with boxes ({error}).") from error
    return boxes


def breed_name(folder_name: str) -> str:
    """`"n02085620-Chihuahua"` -> `"Chihuahua"` (the name after the WordNet id)."""
    return folder_name.split("-", 1)[1] if "-" in folder_name else folder_name


def download_stanford_dogs(data_dir: str | os.PathLike | None = None) -> str:
    """Downloads and extracts Stanford Dogs (images and annotations).

    Fetches `images.tar` (757 MB) and `annotation.tar` (21 MB) from
    http://vision.stanford.edu/aditya86/ImageNetDogs/ with
    `keras.utils.get_file` into `data_dir` and extracts them there. Parts
    already extracted are not fetched again.

    Offline: download both archives on another machine, copy them into
    `data_dir` and call this function; `keras.utils.get_file` finds them and
    only the extraction runs. Or extract them yourself so that
    `<data_dir>/Images/n02085620-Chihuahua/n02085620_10074.jpg` and
    `<data_dir>/Annotation/n02085620-Chihuahua/n02085620_10074` exist.

    Args:
        data_dir: `None` for `~/.keras/datasets/stanford_dogs` (under
            `$KERAS_HOME` when set), or the folder to fill. Defaults to `None`.

    Returns:
        The data folder, ready for `stanford_dogs(data_dir=...)`.

    Example:

        >>> root = download_stanford_dogs()  # doctest: +SKIP
        >>> dataset = stanford_dogs(root, image_size=64)  # doctest: +SKIP
    """
    root = _files.default_data_dir("stanford_dogs") if data_dir is None else data_dir
    root = check_path(root, name="data_dir")
    os.makedirs(root, exist_ok=True)
    for url, folder in (
        (STANFORD_DOGS_IMAGES_URL, _IMAGES_FOLDER),
        (STANFORD_DOGS_ANNOTATION_URL, _ANNOTATION_FOLDER),
    ):
        if os.path.isdir(os.path.join(root, folder)):
            continue
        archive = _files.download(
            f"Stanford Dogs ({os.path.basename(url)})",
            f"Offline, copy {os.path.basename(url)} (from {url}) into {root!r} and call again, or extract "
            "both archives so that Images/ and Annotation/ are in the folder given as {data_dir}",
            keras.utils.get_file,
            fname=os.path.basename(url),
            origin=url,
            cache_dir=root,
            cache_subdir="",
        )
        _files.extract_archive(archive, root)
    return root


def _crop_dogs(task, image_size, margin, interpolation):
    """Crops every dog of one annotation; returns `(crops, bad_box_count)`."""
    annotation_path, image_path = task
    boxes = read_dog_boxes(annotation_path)
    image = _images.decode_image(image_path, "rgb")
    if image is None:
        raise ValueError(f"cannot read {image_path!r}")
    crops, bad_boxes = [], 0
    for box in boxes:
        try:
            top, left, side = dog_crop_box(box, image.shape, margin)
        except ValueError:
            bad_boxes += 1
            continue
        crop = image[top : top + side, left : left + side]
        crops.append(_images.resize(crop, (image_size, image_size), interpolation))
    return crops, bad_boxes


def load_stanford_dogs_arrays(
    data_dir: str | os.PathLike | None = None,
    image_size: int = 64,
    *,
    margin: int = 4,
    interpolation: str = "auto",
    download: bool = False,
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Crops every annotated dog of Stanford Dogs into uint8 arrays.

    Annotations whose XML or image cannot be read, and boxes outside their
    image, are skipped and named in one `UserWarning`.

    Args:
        data_dir: `None` for `~/.keras/datasets/stanford_dogs`, or the folder
            holding `Images/` and `Annotation/`. Defaults to `None`.
        image_size: side of the square crops, in pixels. Defaults to `64`.
        margin: pixels added around each box before the square crop.
            Defaults to `4`.
        interpolation: `"auto"` (`cv2.INTER_AREA` to shrink, `cv2.INTER_CUBIC`
            to enlarge, as the post does), `"area"`, `"cubic"`, `"linear"`,
            `"nearest"` or `"lanczos"`. Defaults to `"auto"`.
        download: whether to call `download_stanford_dogs(data_dir)` when the
            files are missing. Defaults to `False`.

    Returns:
        `(images, labels, class_names)`: uint8 `[N, image_size, image_size,
        3]` RGB crops, int32 `[N]` breed ids, and the tuple of breed names
        (from the folder names, sorted by WordNet id).

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument has a bad value or no dog can be cropped.
        FileNotFoundError: if `data_dir` lacks the expected layout.

    Example:

        >>> images, labels, breeds = load_stanford_dogs_arrays(
        ...     "stanford_dogs/", image_size=64)  # doctest: +SKIP
        >>> images.shape, len(breeds)  # doctest: +SKIP
        ((22125, 64, 64, 3), 120)
    """
    image_size = check_int(image_size, name="image_size", minimum=1)  # Square crops.
    margin = check_int(margin, name="margin", minimum=0)
    check_choice(interpolation, name="interpolation", choices=tuple(_images.INTERPOLATIONS))
    check_bool(download, name="download")
    root = _files.default_data_dir("stanford_dogs") if data_dir is None else data_dir
    root = check_path(root, name="data_dir")
    images_dir = os.path.join(root, _IMAGES_FOLDER)
    annotation_dir = os.path.join(root, _ANNOTATION_FOLDER)
    if download and not (os.path.isdir(images_dir) and os.path.isdir(annotation_dir)):
        download_stanford_dogs(root)
    breeds = []
    if os.path.isdir(images_dir) and os.path.isdir(annotation_dir):
        breeds = sorted(
            entry.name for entry in os.scandir(annotation_dir) if entry.is_dir() and not entry.name.startswith(".")
        )
    if not breeds:
        raise FileNotFoundError(
            f"No Stanford Dogs data in {root!r}. Expected the layout {_LAYOUT}. "
            "Call `download_stanford_dogs(data_dir)` (or pass `download=True`), or "
            "place the extracted images.tar and annotation.tar there by hand."
        )
    tasks, labels_of_tasks = [], []
    for label, breed in enumerate(breeds):
        for path in _files.list_files(os.path.join(annotation_dir, breed)):
            name = os.path.relpath(path, annotation_dir)
            tasks.append((path, os.path.join(images_dir, name + ".jpg")))
            labels_of_tasks.append(label)

    def crop(task):
        try:
            return _crop_dogs(task, image_size, margin, interpolation)
        except ValueError:
            return None

    results = _images.map_in_threads(crop, tasks)
    crops, labels, skipped = [], [], []
    for task, label, result in zip(tasks, labels_of_tasks, results):
        name = os.path.relpath(task[0], annotation_dir)
        if result is None:
            skipped.append(name)
            continue
        task_crops, bad_boxes = result
        crops.extend(task_crops)
        labels.extend([label] * len(task_crops))
        skipped.extend([f"{name} (a box outside the image)"] * bad_boxes)
    _images.warn_skipped(
        skipped,
        len(tasks),
        f"annotations in {annotation_dir!r} whose XML or image could not be read, or whose box lies outside its image",
    )
    if not crops:
        raise ValueError(
            f"No dog could be cropped from {root!r}: every annotation was skipped. Expected the layout {_LAYOUT}."
        )
    class_names = tuple(breed_name(breed) for breed in breeds)
    return np.stack(crops), np.array(labels, np.int32), class_names


def stanford_dogs(
    data_dir: str | os.PathLike | None = None,
    image_size: int = 64,
    download: bool = False,
    *,
    batch_size: int = 64,
    shuffle: bool = True,
    seed: int | None = None,
    flip: bool = False,
    drop_remainder: bool = True,
    with_labels: bool = False,
    value_range: Sequence[float] = (-1.0, 1.0),
    margin: int = 4,
    interpolation: str = "auto",
) -> tf.data.Dataset:
    """Stanford Dogs crops (one per annotated dog) as a dataset in [-1, 1].

    See `load_stanford_dogs_arrays` for the cropping. The post trains on
    64x64 crops, flipped at random, in batches of 64 or 32 with the last
    partial batch dropped; crops are decoded once and kept in memory
    (22,125 x 64 x 64 x 3 bytes = 272 MB at 64x64).

    Args:
        data_dir: `None` for `~/.keras/datasets/stanford_dogs`, or the folder
            holding `Images/` and `Annotation/`. Defaults to `None`.
        image_size: side of the square crops, in pixels. Defaults to `64`.
        download: whether to download the dataset when it is missing.
            Defaults to `False`.
        batch_size: images per batch. Defaults to `64`.
        shuffle: whether to shuffle (uniformly, anew every epoch).
            Defaults to `True`.
        seed: `None`, or an int making shuffles and flips reproducible.
            Defaults to `None`.
        flip: whether to mirror each crop left-right with probability 1/2
            (the post's only augmentation). Defaults to `False`.
        drop_remainder: whether to drop the last batch when it is smaller
            than `batch_size`. Defaults to `True`.
        with_labels: whether to yield `(images, labels)` with int32 breed ids.
            Defaults to `False`.
        value_range: pixel range of the images, `(-1, 1)` (gankit's `tanh`
            generators) or `(0, 1)` (`sigmoid` generators, e.g. source 002's
            MNIST network, `build_dcgan(preset="mlm_mnist")`).
            Defaults to `(-1, 1)`.
        margin: pixels added around each box. Defaults to `4`.
        interpolation: `"auto"`, `"area"`, `"cubic"`, `"linear"`, `"nearest"`
            or `"lanczos"`. Defaults to `"auto"`.

    Returns:
        A `tf.data.Dataset` of float32 `[batch, image_size, image_size, 3]`
        images in [-1, 1], or `(images, labels)` when `with_labels=True`.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument has a bad value, no dog can be cropped,
            or `batch_size` exceeds the number of crops while
            `drop_remainder=True`.
        FileNotFoundError: if `data_dir` lacks the expected layout.

    Example:

        >>> dataset = stanford_dogs("stanford_dogs/", flip=True)  # doctest: +SKIP
        >>> next(iter(dataset)).shape  # doctest: +SKIP
        TensorShape([64, 64, 64, 3])
    """
    options = _pipeline.PipelineOptions(batch_size, shuffle, seed, flip, drop_remainder, with_labels, value_range)
    images, labels, _ = load_stanford_dogs_arrays(
        data_dir, image_size, margin=margin, interpolation=interpolation, download=download
    )
    return _pipeline.make_dataset(images, labels, options=options)
