"""Shared fixtures of the gankit.metrics tests: a tiny extractor without weights."""

import numpy as np
import pytest


class PooledPixels:
    """A test extractor following the protocol of `gankit.metrics.extractors`.

    Features: the gray image averaged over a `grid x grid` raster of blocks
    (height and width must be multiples of `grid`), one value per block.
    Logits: the features through a fixed random projection. Every image is
    mapped on its own, so outputs never depend on the batch size. It counts
    the images it has seen, to tell whether a cache was used.
    """

    def __init__(self, name="pooled_pixels", grid=4, num_classes=5, seed=0):
        self.name = name
        self.grid = grid
        self.feature_dim = grid * grid
        self.num_classes = num_classes
        self.projection = np.random.default_rng(seed).normal(scale=4.0, size=(self.feature_dim, num_classes))
        self.images_seen = 0
        self.batch_sizes = set()

    def features_and_logits(self, images, batch_size=64):
        images = np.asarray(images, np.float64)
        assert images.ndim == 4 and 0.0 <= images.min() and images.max() <= 1.0
        count, height, width, _ = images.shape
        gray = images.mean(axis=-1)
        blocks = gray.reshape(count, self.grid, height // self.grid, self.grid, width // self.grid)
        features = blocks.mean(axis=(2, 4)).reshape(count, self.feature_dim)
        self.images_seen += count
        self.batch_sizes.add(batch_size)
        return features.astype(np.float32), (features @ self.projection).astype(np.float32)

    def features(self, images, batch_size=64):
        return self.features_and_logits(images, batch_size)[0]

    def logits(self, images, batch_size=64):
        return self.features_and_logits(images, batch_size)[1]


@pytest.fixture
def extractor():
    return PooledPixels()


@pytest.fixture
def extractor_class():
    """`PooledPixels` itself, for tests that need several instances."""
    return PooledPixels
