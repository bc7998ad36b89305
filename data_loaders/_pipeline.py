"""The one `tf.data` pipeline behind every loader.

Every loader reads its source into NumPy arrays (uint8 pixels in [0, 255],
NHWC or NHW) and hands them here. This module turns them into a batched
`tf.data.Dataset` of float32 images in [-1, 1], in this order:

1. `from_tensor_slices` on the in-memory arrays;
2. optional shuffle with a buffer of the whole dataset (an exact uniform
   shuffle), reshuffled every epoch; a `seed` makes the sequence of epoch
   orders reproducible;
3. `batch(batch_size, drop_remainder)`;
4. one vectorised `map` per batch: cast to float32, optional bilinear resize,
   scale `x / 127.5 - 1` (0 -> -1, 127.5 -> 0, 255 -> 1), optional random
   horizontal flip of each image with probability 1/2 (seeded);
5. `prefetch(AUTOTUNE)`.

Why there is no `cache()`: the source arrays already sit in memory (decoding
happens once, in the loaders), so caching the source would only copy them,
and caching after the resize would multiply memory by the resize factor
while the per-batch resize and scale cost far less than a training step.

Flips are drawn from `tf.data.Dataset.random(seed, rerandomize_each_iteration=
True)` rather than from a stateful op, so that a seeded dataset gives the same
flips on every run, new flips every epoch, and no global state is touched.
"""

import dataclasses

import numpy as np
import tensorflow as tf

from data_loaders._validation import check_classes
from gankit._checks import check_bool
from gankit._checks import check_choice
from gankit._checks import check_image_size
from gankit._checks import check_int
from gankit._checks import check_seed

LENGTH_MODES = ("min", "max")


@dataclasses.dataclass(frozen=True)
class PipelineOptions:
    """The pipeline arguments every loader shares, checked on construction.

    Loaders build this first, so bad arguments fail before any file is read.
    """

    batch_size: int
    shuffle: bool = True
    seed: int | None = None
    flip: bool = False
    drop_remainder: bool = True
    with_labels: bool = False
    value_range: tuple[float, float] = (-1.0, 1.0)

    def __post_init__(self):
        check_int(self.batch_size, name="batch_size", minimum=1)
        check_bool(self.shuffle, name="shuffle")
        check_seed(self.seed)
        check_bool(self.flip, name="flip")
        check_bool(self.drop_remainder, name="drop_remainder")
        check_bool(self.with_labels, name="with_labels")
        check_loader_value_range(self.value_range)


VALUE_RANGES = ((-1.0, 1.0), (0.0, 1.0))
"""The pixel ranges a loader produces: gankit's `tanh` range or a `sigmoid` one."""


def check_loader_value_range(value):
    """Refuses a `value_range` other than `(-1, 1)` and `(0, 1)`, naming it."""
    try:
        key = None if isinstance(value, str) else tuple(float(v) for v in value)
    except (TypeError, ValueError):
        key = None
    if key not in VALUE_RANGES:
        raise ValueError(
            "`value_range` must be (-1, 1) (tanh generators) or (0, 1) (sigmoid generators, e.g. source 002's "
            f"MNIST). Received: value_range={value!r}"
        )


def scale_to_unit_range(images):
    """Maps pixels in [0, 255] to float32 in [-1, 1] with `x / 127.5 - 1`."""
    return tf.cast(images, tf.float32) / 127.5 - 1.0


def sub_seeds(seed, count):
    """Derives `count` independent seeds from one user seed (or `None`s)."""
    if seed is None:
        return [None] * count
    # SeedSequence decorrelates the streams (shuffle A, shuffle B, flips), so
    # two streams built from one seed never share a permutation.
    state = np.random.SeedSequence(seed).generate_state(count, dtype=np.uint64)
    return [int(s >> np.uint64(1)) for s in state]  # tf.data wants int64.


def as_nhwc(images, name="images"):
    """Returns `images` as a 4-D array, adding a channel axis to NHW input."""
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., np.newaxis]
    if images.ndim != 4:
        raise ValueError(
            f"`{name}` must be a 3-D (N, H, W) or 4-D (N, H, W, C) array. Received: {name} with shape {images.shape}."
        )
    return images


def check_enough_images(num_images, options, what="images"):
    """Raises `ValueError` when the dataset would yield no batch at all."""
    if num_images == 0:
        raise ValueError(f"No {what} to load: the selection is empty.")
    if options.drop_remainder and num_images < options.batch_size:
        raise ValueError(
            f"`batch_size` is larger than the number of {what}, so with "
            "`drop_remainder=True` the dataset would yield no batch. "
            f"Received: batch_size={options.batch_size} for {num_images} {what}. "
            "Lower `batch_size` or pass `drop_remainder=False`."
        )


def filter_classes(images, labels, classes):
    """Keeps the rows of `images`/`labels` whose label is in `classes`.

    Labels keep their original ids (no remapping). `classes=None` keeps all.
    """
    if classes is None:
        return images, labels
    keep = np.isin(labels, classes)
    return images[keep], labels[keep]


def _prepare_images(images, image_size, value_range=(-1.0, 1.0)):
    images = tf.cast(images, tf.float32)
    if image_size is not None and tuple(images.shape[1:3]) != tuple(image_size):
        images = tf.image.resize(images, image_size, method="bilinear", antialias=True)
        # Guards the output range against float round-off in the filter.
        images = tf.clip_by_value(images, 0.0, 255.0)
    low, high = (float(v) for v in value_range)
    if (low, high) == (0.0, 1.0):
        return images / 255.0
    return images / 127.5 - 1.0


def _random_flip(images, coins):
    mirrored = tf.reshape(coins < 0.5, [-1, 1, 1, 1])
    return tf.where(mirrored, tf.reverse(images, axis=[2]), images)


def _batch_and_convert(dataset, kinds, options, image_size, flip_seed):
    """Batches a dataset of tuples and converts its "image" components."""
    dataset = dataset.batch(options.batch_size, drop_remainder=options.drop_remainder)
    num_images = kinds.count("image")

    def convert(parts, seed_pair):
        if seed_pair is not None:
            batch = tf.shape(parts[0])[0]
            coins = tf.random.stateless_uniform([num_images, batch], seed=seed_pair)
        out, image_index = [], 0
        for part, kind in zip(parts, kinds):
            if kind == "image":
                part = _prepare_images(part, image_size, options.value_range)
                if seed_pair is not None:
                    part = _random_flip(part, coins[image_index])
                image_index += 1
            out.append(part)
        return out[0] if len(out) == 1 else tuple(out)

    if options.flip:
        seeds = tf.data.Dataset.random(seed=flip_seed, rerandomize_each_iteration=True)
        dataset = tf.data.Dataset.zip(dataset, seeds.batch(2))
        dataset = dataset.map(convert, num_parallel_calls=tf.data.AUTOTUNE)
    else:
        dataset = dataset.map(lambda *parts: convert(parts, None), num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.prefetch(tf.data.AUTOTUNE)


def make_dataset(images, labels=None, *, options, image_size=None, classes=None):
    """Builds the batched dataset of one image stream.

    Args:
        images: uint8 (or float in [0, 255]) array, NHW or NHWC.
        labels: `None`, or integer labels, one per image.
        options: a `PipelineOptions`; labels are yielded (as int32) when its
            `with_labels` is true.
        image_size: `None` or a `(height, width)` tuple to resize to.
        classes: `None`, or the label ids to keep (see `filter_classes`).

    Returns:
        A `tf.data.Dataset` of float32 `images` in [-1, 1], or of
        `(images, labels)` when `options.with_labels` is true.
    """
    images = as_nhwc(images)
    if labels is not None:
        labels = np.asarray(labels, dtype=np.int32)
        if labels.shape != (len(images),):
            raise ValueError(
                "`labels` must hold one label per image. Received: labels with "
                f"shape {labels.shape} for {len(images)} images."
            )
        images, labels = filter_classes(images, labels, classes)
    check_enough_images(len(images), options)
    shuffle_seed, flip_seed = sub_seeds(options.seed, 2)
    if not options.with_labels:
        tensors, kinds = (images,), ("image",)
    elif labels is None:
        raise ValueError("`with_labels=True` needs labels, but this source has none.")
    else:
        tensors, kinds = (images, labels), ("image", "label")
    dataset = tf.data.Dataset.from_tensor_slices(tensors)
    if options.shuffle:
        dataset = dataset.shuffle(len(images), seed=shuffle_seed, reshuffle_each_iteration=True)
    return _batch_and_convert(dataset, kinds, options, image_size, flip_seed)


def make_unpaired_dataset(images_a, images_b, *, options, image_size=None, length="min"):
    """Builds a dataset of `(a, b)` batches from two unpaired image streams.

    Each stream is shuffled on its own (independent seeds), so `a[i]` and
    `b[i]` are unrelated images, as unpaired training requires.

    Args:
        images_a: uint8 array of domain A, NHW or NHWC.
        images_b: uint8 array of domain B, NHW or NHWC.
        options: a `PipelineOptions`.
        image_size: `None` or a `(height, width)` tuple to resize both to.
        length: `"min"` stops at the end of the shorter domain; `"max"`
            repeats (and reshuffles) the shorter domain until the longer one
            is used up.

    Returns:
        A `tf.data.Dataset` of `(a, b)` float32 batches in [-1, 1].
    """
    check_choice(length, name="length", choices=LENGTH_MODES)
    images_a = as_nhwc(images_a, "images_a")
    images_b = as_nhwc(images_b, "images_b")
    shape_a, shape_b = images_a.shape[1:], images_b.shape[1:]
    if shape_a[-1] != shape_b[-1] or (image_size is None and shape_a != shape_b):
        raise ValueError(
            "Both domains must have images of one shape (after resizing). "
            f"Received: domain A images of shape {shape_a} and domain B images "
            f"of shape {shape_b}. Pass `image_size` to resize both, and use the "
            "same number of channels."
        )
    n_a, n_b = len(images_a), len(images_b)
    check_enough_images(min(n_a, n_b) if length == "min" else max(n_a, n_b), options, "pairs")
    seed_a, seed_b, flip_seed = sub_seeds(options.seed, 3)

    def stream(images, seed, repeat):
        dataset = tf.data.Dataset.from_tensor_slices(images)
        if options.shuffle:
            dataset = dataset.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
        return dataset.repeat() if repeat else dataset

    repeat_a = length == "max" and n_a < n_b
    repeat_b = length == "max" and n_b < n_a
    dataset = tf.data.Dataset.zip(stream(images_a, seed_a, repeat_a), stream(images_b, seed_b, repeat_b))
    return _batch_and_convert(dataset, ("image", "image"), options, image_size, flip_seed)


def split_dataset(load_arrays, split, data_dir, *, splits, num_classes, options, image_size, classes):
    """The body shared by the labelled split loaders (MNIST, Fashion-MNIST, CIFAR-10).

    Checks the arguments before reading any file, then reads the split's
    arrays with `load_arrays(split, data_dir)` and builds the dataset.
    """
    check_choice(split, name="split", choices=splits)
    image_size = check_image_size(image_size)
    classes = check_classes(classes, num_classes=num_classes)
    images, labels = load_arrays(split, data_dir)
    return make_dataset(images, labels, options=options, image_size=image_size, classes=classes)
