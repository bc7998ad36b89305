"""Where `evaluate` reads images: generators, arrays, folders, datasets and named datasets.

Each adapter yields batches of float32 images in [0, 1]; generators are
sampled in fixed blocks of `GENERATION_BATCH_SIZE` with one seed per block.
Named datasets and folders are read through `data_loaders`' public API.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import inspect
import math
import os
import warnings

import keras
import numpy as np
import tensorflow as tf

DATASET_SOURCES = ("cifar10", "digits", "fashion_mnist", "mnist")
"""Dataset names `real_source` accepts (loaded with `data_loaders`)."""


DATASET_SPLIT = "test"
"""Split of `DATASET_SOURCES` used as real images (digits has only one set).

The test split holds images no generator trained on, and its 10,000 images
(CIFAR-10, MNIST, Fashion-MNIST) match the default `num_images`.
"""


GENERATION_BATCH_SIZE = 100
"""Images asked of a generator per call, each block with its own seed.

Fixed (not `batch_size`) so the images drawn, hence the results, are the same
for every `batch_size`: block `i` uses the `i`-th seed drawn from
`numpy.random.default_rng(seed)`.
"""


# Images may exceed [0, 1] (or tanh outputs [-1, 1]) by float rounding only.
_RANGE_TOLERANCE = 1e-4
_MAX_NAMES_IN_WARNING = 10


# -- image sources ------------------------------------------------------------


def _to_numpy(value):
    if tf.is_tensor(value) or hasattr(value, "numpy"):
        value = value.numpy()
    return np.asarray(value)


def _check_unit_images(images, where):
    """`images` as float32 NHWC in [0, 1], or a clear error."""
    images = _to_numpy(images)
    if images.dtype.kind != "f":
        raise TypeError(
            f"{where} must be float images in [0, 1]. Received: dtype={images.dtype}. Divide uint8 images by 255 first."
        )
    if images.ndim == 3:  # (N, H, W): one channel.
        images = images[..., np.newaxis]
    if images.ndim != 4:
        raise ValueError(
            f"{where} must be images (N, height, width, channels) or (N, height, width). Received: shape={images.shape}"
        )
    if images.size and not (np.min(images) >= -_RANGE_TOLERANCE and np.max(images) <= 1.0 + _RANGE_TOLERANCE):
        raise ValueError(
            f"{where} must hold finite values in [0, 1]. Received: values in "
            f"[{np.min(images):.4g}, {np.max(images):.4g}]. Map tanh outputs with (x + 1) / 2."
        )
    return images.astype(np.float32, copy=False)


def _from_tanh(images, where):
    """Maps images in [-1, 1] (tanh generators, data_loaders) to [0, 1]."""
    images = _to_numpy(images).astype(np.float32, copy=False)
    if images.size and not (np.min(images) >= -1.0 - _RANGE_TOLERANCE and np.max(images) <= 1.0 + _RANGE_TOLERANCE):
        raise ValueError(
            f"{where} must hold finite values in [-1, 1] (a tanh output, or a data_loaders "
            f"dataset). Received: values in [{np.min(images):.4g}, {np.max(images):.4g}]"
        )
    return np.clip((images + 1.0) / 2.0, 0.0, 1.0)


def _takes_seed(function):
    try:
        return "seed" in inspect.signature(function).parameters
    except (TypeError, ValueError):  # Builtins and some C callables.
        return False


def _generated(draw, num_images, seed, where):
    """Yields `num_images` images from `draw(n, seed)`, in fixed blocks."""
    num_blocks = math.ceil(num_images / GENERATION_BATCH_SIZE)
    seeds = np.random.default_rng(seed).integers(2**31 - 1, size=num_blocks)
    for block, start in enumerate(range(0, num_images, GENERATION_BATCH_SIZE)):
        count = min(GENERATION_BATCH_SIZE, num_images - start)
        images = _check_unit_images(draw(count, int(seeds[block])), where)
        if len(images) != count:
            raise ValueError(f"{where} returned {len(images)} images when asked for {count}.")
        yield images


def _keras_generator_draw(model):
    input_shape = model.input_shape
    if isinstance(input_shape, list) or not isinstance(input_shape, tuple):
        raise TypeError(
            "A Keras generator passed to `evaluate` must take one latent input; for conditional "
            "generators pass a function `fn(n)` that draws labels and returns images in [0, 1]. "
            f"Received: a model with input_shape={input_shape}"
        )
    latent_shape = tuple(input_shape[1:])

    def draw(count, seed):
        latents = np.random.default_rng(seed).standard_normal((count, *latent_shape)).astype("float32")
        outputs = keras.ops.convert_to_numpy(keras.ops.cast(model(latents, training=False), "float32"))
        return _from_tanh(outputs, f"the generator {model.name!r}")

    return draw


def _array_chunks(images, num_images, batch_size, where):
    images = _to_numpy(images)
    if images.ndim not in (3, 4):
        raise ValueError(
            f"{where} must be images (N, height, width, channels) or (N, height, width). Received: shape={images.shape}"
        )
    stop = min(num_images, len(images))
    for start in range(0, stop, batch_size):
        yield _check_unit_images(images[start : min(start + batch_size, stop)], where)


def _array_fingerprint(images, num_images):
    images = np.ascontiguousarray(_to_numpy(images)[:num_images])
    digest = hashlib.sha1(images.view(np.uint8).reshape(-1)).hexdigest()[:16]
    return f"array{images.shape}:{images.dtype}:{digest}"


def _dataset_chunks(dataset, num_images, batch_size, where):
    spec = dataset.element_spec
    if isinstance(spec, tuple):  # (images, labels) pairs: keep the images.
        dataset = dataset.map(lambda images, *rest: images)
        spec = dataset.element_spec
    if not isinstance(spec, tf.TensorSpec) or spec.shape.rank not in (3, 4):
        raise ValueError(
            f"{where} must yield image batches (batch, height, width, channels), single images, "
            f"or (images, labels) pairs of them. Received: element_spec={spec}"
        )
    if spec.shape.rank == 3:
        dataset = dataset.batch(batch_size)
    seen = 0
    for images in dataset:
        if seen >= num_images:
            break
        images = _from_tanh(images[: num_images - seen], where)
        seen += len(images)
        yield images


def _read_image_file(path):
    """A file as float32 HWC in [0, 1]: gray stays 1 channel, colour is RGB."""
    import cv2

    try:
        data = np.fromfile(path, dtype=np.uint8)
        image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if data.size else None
    except (OSError, cv2.error):
        return None
    if image is None:
        return None
    if image.ndim == 2:
        image = image[..., np.newaxis]
    elif image.shape[-1] == 4:  # Alpha is dropped: the metrics see RGB.
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2RGB)
    elif image.shape[-1] == 3:
        image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    scale = np.iinfo(image.dtype).max if image.dtype.kind in "ui" else 1.0
    return image.astype(np.float32) / np.float32(scale)


def _folder_files(folder):
    # data_loaders' listing rules (recursive, sorted, hidden files skipped).
    import data_loaders

    paths = data_loaders.list_image_files(folder)
    if not paths:
        raise ValueError(
            f"No image files in {folder!r} (searched recursively for "
            f"{', '.join(data_loaders.IMAGE_EXTENSIONS)}). Check the path."
        )
    return paths


def _warn_skipped(names, total, what):
    """One `UserWarning` counting and naming (at most ten of) the skipped files."""
    if not names:
        return
    shown = ", ".join(names[:_MAX_NAMES_IN_WARNING])
    if len(names) > _MAX_NAMES_IN_WARNING:
        shown += f", ... ({len(names) - _MAX_NAMES_IN_WARNING} more)"
    warnings.warn(f"Skipped {len(names)} of {total} {what}: {shown}", UserWarning, stacklevel=4)


def _folder_chunks(folder, num_images, batch_size):
    """Yields runs of same-shape images read from `folder`, in file order.

    Images of different sizes or channel counts can share a folder: each run
    of equal shapes goes to the extractor as its own batch (the extractor
    resizes every image to its input size anyway). Files are decoded on a
    few threads (OpenCV releases the GIL while decoding).
    """
    paths = _folder_files(folder)
    skipped = []
    seen = 0
    workers = min(8, os.cpu_count() or 1)
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as executor:
        for start in range(0, len(paths), batch_size):
            if seen >= num_images:
                break
            group = paths[start : start + batch_size]
            decoded = list(executor.map(_read_image_file, group))
            skipped.extend(os.path.relpath(p, folder) for p, image in zip(group, decoded) if image is None)
            images = [image for image in decoded if image is not None][: num_images - seen]
            seen += len(images)
            run = []
            for image in images:
                if run and image.shape != run[0].shape:
                    yield np.stack(run)
                    run = []
                run.append(image)
            if run:
                yield np.stack(run)
    _warn_skipped(skipped, len(paths), f"files in {folder!r} that could not be read as images")
    if seen == 0:
        raise ValueError(f"None of the image files in {folder!r} could be decoded.")


def _load_dataset_arrays(name):
    import data_loaders

    if name == "digits":
        images, _ = data_loaders.load_digits_arrays()
    else:
        loader = getattr(data_loaders, f"load_{name}_arrays")
        images, _ = loader(DATASET_SPLIT)
    images = images.astype(np.float32) / np.float32(255.0)
    return images if images.ndim == 4 else images[..., np.newaxis]


def _real_chunks(real_source, num_images, batch_size):
    """`(description, open_chunks)` for every kind of real source.

    `open_chunks()` returns `(chunks, total)`: the chunks and the number of
    images they will hold, or `None` where that is unknown (a `tf.data`
    source). Nothing is read before `open_chunks()` is called, so a valid
    cache spares loading the dataset at all (CIFAR-10 offline, for one).
    """
    if isinstance(real_source, (str, os.PathLike)):
        path = os.fspath(real_source)
        if path in DATASET_SOURCES:
            split = "all" if path == "digits" else DATASET_SPLIT

            def open_dataset():
                images = _load_dataset_arrays(path)
                total = min(num_images, len(images))
                return _array_chunks(images, num_images, batch_size, "real images"), total

            return f"{path}:{split}", open_dataset
        if os.path.isdir(path):

            def open_folder():
                # Unreadable files are skipped later; the bar then ends short.
                total = min(num_images, len(_folder_files(path)))
                return _folder_chunks(path, num_images, batch_size), total

            return f"folder:{os.path.abspath(path)}", open_folder
        raise ValueError(
            f"`real_source` must be a folder or one of the datasets {', '.join(DATASET_SOURCES)}. "
            f"Received: real_source={path!r}, which is neither (pass ./{path} for a folder of that name)"
        )
    if isinstance(real_source, tf.data.Dataset):
        return "tf.data.Dataset", lambda: (
            _dataset_chunks(real_source, num_images, batch_size, "the real dataset"),
            None,
        )
    if isinstance(real_source, np.ndarray) or tf.is_tensor(real_source):
        return (
            _array_fingerprint(real_source, num_images),
            lambda: (
                _array_chunks(real_source, num_images, batch_size, "real images"),
                min(num_images, len(real_source)),
            ),
        )
    raise TypeError(
        "`real_source` must be an array of images in [0, 1], a folder, a dataset name "
        f"({', '.join(DATASET_SOURCES)}), a tf.data.Dataset or ReferenceStatistics. "
        f"Received: {type(real_source).__name__}"
    )


def _fake_chunks(source, num_images, batch_size, seed):
    """Chunks of images in [0, 1] for every kind of `generator_or_images`."""
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if not os.path.isdir(path):
            raise FileNotFoundError(f"`generator_or_images` names no folder. Received: {path!r}")
        return _folder_chunks(path, num_images, batch_size)
    if isinstance(source, tf.data.Dataset):
        return _dataset_chunks(source, num_images, batch_size, "the generated dataset")
    if isinstance(source, np.ndarray) or tf.is_tensor(source):
        return _array_chunks(source, num_images, batch_size, "generated images")
    generate = getattr(source, "generate", None)
    if callable(generate):  # A GAN (gankit.models.GAN or alike).
        where = f"{type(source).__name__}.generate"
        if _takes_seed(generate):
            return _generated(lambda n, s: generate(n, seed=s), num_images, seed, where)
        return _generated(lambda n, s: generate(n), num_images, seed, where)
    if isinstance(source, keras.Model):
        return _generated(_keras_generator_draw(source), num_images, seed, f"the generator {source.name!r}")
    if callable(source):
        where = f"generator function {getattr(source, '__name__', source)!r}"
        if _takes_seed(source):
            return _generated(lambda n, s: source(n, seed=s), num_images, seed, where)
        return _generated(lambda n, s: source(n), num_images, seed, where)
    raise TypeError(
        "`generator_or_images` must be a function fn(n) returning images in [0, 1], an object "
        "with a `generate(n, seed=...)` method (a GAN), a Keras generator with tanh outputs, an "
        "array of images in [0, 1], a folder of images or a tf.data.Dataset. "
        f"Received: {type(source).__name__}"
    )
