"""Fixtures shared by the data-loader tests: tiny datasets written to
`tmp_path`, and one harness checking the contract every loader shares."""

import gzip
import math
import struct

import numpy as np
import pytest

# Fashion-MNIST-like IDX fixture. The first train label is 9, as in the real
# file; train holds 8 sneakers (7) and 8 ankle boots (9).
IDX_TRAIN_LABELS = np.array([9, 7, 0, 7, 9, 3] * 4, dtype=np.uint8)
IDX_TEST_LABELS = np.array([7, 9, 7, 9, 0, 1], dtype=np.uint8)
IDX_IMAGE_SHAPE = (6, 6)


def write_idx(path, array, compress=None):
    """Writes `array` (uint8) in IDX format; gzip when `path` ends in .gz."""
    array = np.asarray(array)
    codes = {np.dtype("u1"): 0x08, np.dtype(">i4"): 0x0C, np.dtype(">f4"): 0x0D}
    data = array.astype(array.dtype.newbyteorder(">")) if array.dtype.itemsize > 1 else array
    header = bytes([0, 0, codes[data.dtype], array.ndim])
    header += b"".join(struct.pack(">I", size) for size in array.shape)
    payload = header + data.tobytes()
    if compress if compress is not None else str(path).endswith(".gz"):
        payload = gzip.compress(payload)
    with open(path, "wb") as file:
        file.write(payload)
    return str(path)


def idx_images(labels, seed):
    """Random asymmetric uint8 images; image 0 holds 0, 255, 127 and 128."""
    images = np.random.default_rng(seed).integers(0, 256, size=(len(labels), *IDX_IMAGE_SHAPE), dtype=np.uint8)
    images[0, 0, :4] = [0, 255, 127, 128]
    return images


@pytest.fixture
def idx_dir(tmp_path):
    """A folder with the four Fashion-MNIST file names (train gzipped, test plain)."""
    folder = tmp_path / "idx"
    folder.mkdir()
    write_idx(folder / "train-images-idx3-ubyte.gz", idx_images(IDX_TRAIN_LABELS, 0))
    write_idx(folder / "train-labels-idx1-ubyte.gz", IDX_TRAIN_LABELS)
    write_idx(folder / "t10k-images-idx3-ubyte", idx_images(IDX_TEST_LABELS, 1))
    write_idx(folder / "t10k-labels-idx1-ubyte", IDX_TEST_LABELS)
    return str(folder)


def random_images(count, shape, seed):
    return np.random.default_rng(seed).integers(0, 256, size=(count, *shape), dtype=np.uint8)


def _collect(dataset):
    """Every batch as a tuple of NumPy arrays (one per component)."""
    batches = []
    for batch in dataset:
        parts = batch if isinstance(batch, tuple) else (batch,)
        batches.append(tuple(np.asarray(part) for part in parts))
    return batches


def _concatenate(batches):
    return tuple(np.concatenate(parts) for parts in zip(*batches))


def _check_contract(make, num_items, batch_size, element_shape):
    """Checks the contract every loader shares.

    `make(**kwargs)` builds the loader's dataset with the shared arguments
    `batch_size`, `shuffle`, `seed`, `flip` and `drop_remainder`; elements
    are images or tuples of images (unpaired loaders), of `element_shape`.
    Needs `num_items >= 8` asymmetric images so that a seeded flip both
    mirrors and keeps some of them.
    """
    # Static batch shape, float32 in [-1, 1], floor(N / batch) full batches.
    dataset = make(batch_size=batch_size, shuffle=False, drop_remainder=True)
    for spec in dataset.element_spec if isinstance(dataset.element_spec, tuple) else (dataset.element_spec,):
        assert spec.dtype.name == "float32"
        assert tuple(spec.shape) == (batch_size, *element_shape)
    batches = _collect(dataset)
    assert len(batches) == num_items // batch_size == int(dataset.cardinality())
    for part in (p for batch in batches for p in batch):
        assert part.dtype == np.float32
        assert -1.0 <= part.min() and part.max() <= 1.0

    # Without drop_remainder: ceil(N / batch) batches holding all N items.
    dataset = make(batch_size=batch_size, shuffle=False, drop_remainder=False)
    batches = _collect(dataset)
    assert len(batches) == math.ceil(num_items / batch_size) == int(dataset.cardinality())
    reference = _concatenate(batches)
    assert all(len(part) == num_items for part in reference)

    # A seed fixes the order; the shuffled items are the same items.
    def shuffled(seed):
        return _concatenate(_collect(make(batch_size=batch_size, shuffle=True, seed=seed, drop_remainder=False)))

    first, again = shuffled(7), shuffled(7)
    for part, part_again, part_reference in zip(first, again, reference):
        np.testing.assert_array_equal(part, part_again)
        assert not np.array_equal(part, part_reference)
        np.testing.assert_array_equal(
            np.sort(part.reshape(num_items, -1), axis=0),
            np.sort(part_reference.reshape(num_items, -1), axis=0),
        )

    # flip=True: each image is itself or its mirror; a seed fixes which.
    def flipped(seed):
        return _concatenate(
            _collect(make(batch_size=batch_size, shuffle=False, flip=True, seed=seed, drop_remainder=False))
        )

    result, result_again = flipped(3), flipped(3)
    for part, part_again, part_reference in zip(result, result_again, reference):
        np.testing.assert_array_equal(part, part_again)
        mirror = part_reference[:, :, ::-1, :]
        same = (part == part_reference).all(axis=(1, 2, 3))
        mirrored = (part == mirror).all(axis=(1, 2, 3))
        asymmetric = ~(part_reference == mirror).all(axis=(1, 2, 3))
        assert (same | mirrored).all()
        assert (mirrored & asymmetric).any(), "flip=True never mirrored an image"
        assert (same & asymmetric).any(), "flip=True mirrored every image"


@pytest.fixture
def check_contract():
    """The shared-contract harness (see `_check_contract`)."""
    return _check_contract


@pytest.fixture
def idx_writer():
    """`write_idx(path, array, compress=None)`: writes an IDX file."""
    return write_idx


@pytest.fixture
def idx_labels():
    """The labels of `idx_dir`, by split."""
    return {"train": IDX_TRAIN_LABELS, "test": IDX_TEST_LABELS}


@pytest.fixture
def idx_arrays():
    """The images of `idx_dir`, by split."""
    return {"train": idx_images(IDX_TRAIN_LABELS, 0), "test": idx_images(IDX_TEST_LABELS, 1)}


@pytest.fixture
def noise_images():
    """`noise_images(count, shape, seed)`: random uint8 images."""
    return random_images
