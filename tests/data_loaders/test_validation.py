"""Argument validation of every loader (`gankit._checks`, `data_loaders._validation`).

Each loader is pointed at a path that does not exist: a bad argument must be
reported before any file is read, with the house message format.
"""

import numpy as np
import pytest

import data_loaders
from data_loaders import _validation

MISSING = "/nonexistent/gankit-data"

LOADERS = {
    "fashion_mnist": lambda **kw: data_loaders.fashion_mnist(data_dir=MISSING, **kw),
    "mnist": lambda **kw: data_loaders.mnist(data_dir=MISSING, **kw),
    "cifar10": lambda **kw: data_loaders.cifar10(data_dir=MISSING, **kw),
    "digits": lambda **kw: data_loaders.digits(**kw),
    "image_folder": lambda **kw: data_loaders.image_folder(MISSING, **kw),
    "stanford_dogs": lambda **kw: data_loaders.stanford_dogs(MISSING, **kw),
    "unpaired": lambda **kw: data_loaders.unpaired(MISSING, **kw),
    "fashion_mnist_sneakers_boots": lambda **kw: data_loaders.fashion_mnist_sneakers_boots(data_dir=MISSING, **kw),
}
LABELLED = ["fashion_mnist", "mnist", "cifar10", "digits", "image_folder", "stanford_dogs"]
WITH_SPLIT = ["fashion_mnist", "mnist", "cifar10", "unpaired", "fashion_mnist_sneakers_boots"]
WITH_CLASSES = ["fashion_mnist", "mnist", "cifar10", "digits"]
FROM_FILES = ["image_folder", "unpaired"]
RESIZING = ["fashion_mnist", "mnist", "cifar10", "digits", "image_folder", "unpaired"]
UNPAIRED = ["unpaired", "fashion_mnist_sneakers_boots"]

COMMON_BAD_ARGS = [
    (
        {"batch_size": 0},
        ValueError,
        "`batch_size` must be at least 1. Received: batch_size=0",
    ),
    ({"batch_size": 2.5}, TypeError, r"`batch_size` must be an integer\. Received: batch_size=2.5 of type float"),
    ({"batch_size": True}, TypeError, "Received: batch_size=True"),
    ({"shuffle": "yes"}, TypeError, "`shuffle` must be True or False. Received: shuffle='yes'"),
    (
        {"seed": -1},
        ValueError,
        r"`seed` must be None or an integer in \[0, 2\*\*63\). Received: seed=-1",
    ),
    ({"seed": "0"}, TypeError, "Received: seed='0'"),
    ({"flip": 1}, TypeError, "`flip` must be True or False. Received: flip=1"),
    ({"drop_remainder": None}, TypeError, "Received: drop_remainder=None"),
]


def check_each(names, kwargs, error, message):
    # One test per bad argument, looping over the loaders: every test pays the
    # suite's Keras reset, so a loader x argument grid would cost seconds.
    for name in names:
        with pytest.raises(error, match=message):
            LOADERS[name](**kwargs)
            pytest.fail(f"{name}({kwargs}) raised nothing")


def case_id(kwargs):
    return ",".join(f"{key}={value!r}" for key, value in kwargs.items())


@pytest.mark.parametrize("kwargs, error, message", COMMON_BAD_ARGS, ids=[case_id(c[0]) for c in COMMON_BAD_ARGS])
def test_shared_arguments(kwargs, error, message):
    check_each(LOADERS, kwargs, error, message)


SPECIFIC_BAD_ARGS = [
    (LABELLED, {"with_labels": "no"}, TypeError, "`with_labels` must be True or False"),
    (
        WITH_SPLIT,
        {"split": "val"},
        ValueError,
        "`split` must be one of 'train', 'test'. Received: split='val'",
    ),
    (WITH_CLASSES, {"classes": [10]}, ValueError, r"ids in \[0, 10\)"),
    (WITH_CLASSES, {"classes": []}, ValueError, "must not be empty"),
    (WITH_CLASSES, {"classes": [1, 1]}, ValueError, "must not repeat"),
    (WITH_CLASSES, {"classes": "7"}, TypeError, "Received: classes='7'"),
    (WITH_CLASSES, {"classes": [1.5]}, TypeError, r"Received: classes=\[1.5\]"),
    (
        RESIZING,
        {"image_size": 0},
        ValueError,
        r"`image_size` must be positive, e.g. 64 or \(64, 64\). Received: image_size=0",
    ),
    (RESIZING, {"image_size": (32,)}, TypeError, r"Received: image_size=\(32,\)"),
    (RESIZING, {"image_size": "32"}, TypeError, "Received: image_size='32'"),
    (FROM_FILES, {"crop": "square"}, ValueError, "`crop` must be one of 'center', 'none'"),
    (
        FROM_FILES,
        {"color_mode": "rgba"},
        ValueError,
        "`color_mode` must be one of 'rgb', 'grayscale'",
    ),
    (
        FROM_FILES,
        {"interpolation": "bicubic"},
        ValueError,
        "`interpolation` must be one of 'auto'",
    ),
    (
        UNPAIRED,
        {"length": "all"},
        ValueError,
        "`length` must be one of 'min', 'max'. Received: length='all'",
    ),
    (
        ["stanford_dogs"],
        {"margin": -1},
        ValueError,
        "`margin` must be at least 0. Received: margin=-1",
    ),
    (["stanford_dogs"], {"image_size": (64, 64)}, TypeError, r"Received: image_size=\(64, 64\)"),
    (["stanford_dogs", "unpaired"], {"download": "yes"}, TypeError, "`download` must be True or False"),
]


@pytest.mark.parametrize(
    "names, kwargs, error, message",
    SPECIFIC_BAD_ARGS,
    ids=[case_id(c[1]) for c in SPECIFIC_BAD_ARGS],
)
def test_loader_specific_arguments(names, kwargs, error, message):
    check_each(names, kwargs, error, message)


def test_missing_data_dir_is_reported_after_the_arguments():
    with pytest.raises(FileNotFoundError, match="must be an existing directory"):
        data_loaders.fashion_mnist(data_dir=MISSING)
    with pytest.raises(TypeError, match="`data_dir` must be a path"):
        data_loaders.fashion_mnist(data_dir=123)


def test_check_classes_sorts_and_accepts_numpy_ints():
    assert _validation.check_classes(np.array([9, 7]), num_classes=10) == (7, 9)
