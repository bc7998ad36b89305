"""Tests for the shared `tf.data` pipeline (`data_loaders._pipeline`)."""

import numpy as np
import pytest

from data_loaders import _pipeline


def options(**kwargs):
    return _pipeline.PipelineOptions(**{"batch_size": 4, **kwargs})


def index_images(count, shape=(3, 4)):
    """uint8 images whose pixels all equal their index."""
    images = np.zeros((count, *shape), np.uint8)
    images += np.arange(count, dtype=np.uint8)[:, None, None]
    return images


def to_numpy(dataset):
    batches = [tuple(np.asarray(p) for p in (b if isinstance(b, tuple) else (b,))) for b in dataset]
    return tuple(np.concatenate(parts) for parts in zip(*batches))


def test_scale_to_unit_range_maps_0_127_5_255_to_minus_one_zero_one():
    values = np.array([0.0, 127.5, 255.0], np.float32)
    np.testing.assert_array_equal(_pipeline.scale_to_unit_range(values), [-1.0, 0.0, 1.0])


def test_make_dataset_scales_uint8_exactly_and_adds_channel_axis():
    images = np.array([[[0, 255], [127, 128]]], np.uint8)  # One 2x2 image, NHW.
    dataset = _pipeline.make_dataset(images, options=options(batch_size=1, shuffle=False))
    (out,) = to_numpy(dataset)
    assert out.shape == (1, 2, 2, 1)
    expected = np.array([[-1.0, 1.0], [127 / 127.5 - 1, 128 / 127.5 - 1]], np.float32)
    np.testing.assert_allclose(out[0, ..., 0], expected, rtol=0, atol=1e-7)


def test_value_range_zero_one_is_pixels_over_255():
    # Source 002's MNIST `load_real_samples`: X / 255.0 for a sigmoid generator.
    images = np.array([[[0, 255], [127, 128]]], np.uint8)
    dataset = _pipeline.make_dataset(images, options=options(batch_size=1, shuffle=False, value_range=(0, 1)))
    (out,) = to_numpy(dataset)
    np.testing.assert_allclose(out[0, ..., 0], [[0.0, 1.0], [127 / 255, 128 / 255]], rtol=0, atol=1e-7)


@pytest.mark.parametrize("value_range", [(0, 2), (-1, 0), "01", None])
def test_value_range_other_than_the_two_generator_ranges_is_named(value_range):
    with pytest.raises(ValueError, match="value_range"):
        options(value_range=value_range)


def test_labels_are_int32_and_stay_with_their_images_when_shuffled():
    images = index_images(12)
    labels = np.arange(12) * 10
    dataset = _pipeline.make_dataset(images, labels, options=options(seed=1, with_labels=True, drop_remainder=False))
    assert dataset.element_spec[1].dtype.name == "int32"
    out, out_labels = to_numpy(dataset)
    index = np.rint((out[:, 0, 0, 0] + 1) * 127.5).astype(int)
    np.testing.assert_array_equal(out_labels, index * 10)
    assert sorted(index) == list(range(12))


def test_same_seed_same_order_and_each_epoch_reshuffles():
    images = index_images(20)

    def epochs(seed):
        dataset = _pipeline.make_dataset(images, options=options(seed=seed))
        return [to_numpy(dataset)[0][:, 0, 0, 0] for _ in range(2)]

    first, second = epochs(5), epochs(5)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    assert not np.array_equal(first[0], first[1])
    assert not np.array_equal(first[0], epochs(6)[0])


def test_flip_mirrors_about_half_the_images_reproducibly():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(400, 2, 3), dtype=np.uint8)
    images[:, :, 0], images[:, :, 2] = 0, 255  # Every image is asymmetric.
    opts = options(batch_size=50, shuffle=False, flip=True, seed=11)
    (out,) = to_numpy(_pipeline.make_dataset(images, options=opts))
    (again,) = to_numpy(_pipeline.make_dataset(images, options=opts))
    reference = _pipeline.scale_to_unit_range(images[..., None]).numpy()
    mirrored = (out == reference[:, :, ::-1]).all(axis=(1, 2, 3))
    same = (out == reference).all(axis=(1, 2, 3))
    assert (mirrored ^ same).all()
    assert 0.4 < mirrored.mean() < 0.6  # Binomial(400, 1/2): sd 0.025.
    np.testing.assert_array_equal(out, again)


@pytest.mark.parametrize("drop_remainder, batch_sizes", [(True, [4, 4]), (False, [4, 4, 2])])
def test_drop_remainder_batch_counts(drop_remainder, batch_sizes):
    dataset = _pipeline.make_dataset(index_images(10), options=options(shuffle=False, drop_remainder=drop_remainder))
    assert [len(batch) for batch in dataset] == batch_sizes
    assert int(dataset.cardinality()) == len(batch_sizes)
    assert dataset.element_spec.shape[0] == (4 if drop_remainder else None)


def test_resize_changes_shape_and_keeps_constant_images_constant():
    images = np.full((4, 5, 5, 3), 200, np.uint8)
    dataset = _pipeline.make_dataset(images, options=options(shuffle=False), image_size=(8, 10))
    (out,) = to_numpy(dataset)
    assert out.shape == (4, 8, 10, 3)
    np.testing.assert_allclose(out, 200 / 127.5 - 1, atol=1e-6)


def test_classes_filter_keeps_original_label_ids():
    images, labels = index_images(6), np.array([0, 7, 9, 7, 1, 9])
    dataset = _pipeline.make_dataset(
        images,
        labels,
        options=options(shuffle=False, with_labels=True),
        classes=(7, 9),
    )
    out, out_labels = to_numpy(dataset)
    np.testing.assert_array_equal(out_labels, [7, 9, 7, 9])
    np.testing.assert_array_equal(np.rint((out[:, 0, 0, 0] + 1) * 127.5), [1, 2, 3, 5])


def test_batch_larger_than_dataset_with_drop_remainder_is_an_error():
    with pytest.raises(ValueError, match="Received: batch_size=4 for 3 images"):
        _pipeline.make_dataset(index_images(3), options=options())
    dataset = _pipeline.make_dataset(index_images(3), options=options(drop_remainder=False))
    assert [len(batch) for batch in dataset] == [3]


def test_empty_selection_is_an_error():
    with pytest.raises(ValueError, match="selection is empty"):
        _pipeline.make_dataset(index_images(3), np.zeros(3), options=options(drop_remainder=False), classes=(5,))


def test_with_labels_without_labels_is_an_error():
    with pytest.raises(ValueError, match="needs labels"):
        _pipeline.make_dataset(index_images(8), options=options(with_labels=True))


def test_bad_image_rank_is_an_error():
    with pytest.raises(ValueError, match=r"Received: images with shape \(8, 2\)"):
        _pipeline.make_dataset(np.zeros((8, 2), np.uint8), options=options())


@pytest.mark.parametrize(
    "length, drop_remainder, expected_batches",
    [("min", True, 1), ("min", False, 2), ("max", True, 2), ("max", False, 3)],
)
def test_unpaired_length_modes(length, drop_remainder, expected_batches):
    domain_a = index_images(5)  # Pixel values 0..4.
    domain_b = index_images(3) + 100  # Pixel values 100..102.
    dataset = _pipeline.make_unpaired_dataset(
        domain_a,
        domain_b,
        options=options(batch_size=2, seed=0, drop_remainder=drop_remainder),
        length=length,
    )
    assert int(dataset.cardinality()) == expected_batches
    a, b = (np.rint((x[:, 0, 0, 0] + 1) * 127.5).astype(int) for x in to_numpy(dataset))
    assert len(a) == len(b)
    assert set(a) <= set(range(5)) and set(b) <= {100, 101, 102}
    if length == "max" and not drop_remainder:
        assert sorted(a) == list(range(5))  # The larger domain is used exactly once.
    if length == "min" and not drop_remainder:
        assert sorted(b) == [100, 101, 102]


def test_unpaired_domains_are_shuffled_independently():
    images = index_images(30)
    dataset = _pipeline.make_unpaired_dataset(images, images, options=options(batch_size=30, seed=2))
    a, b = to_numpy(dataset)
    assert not np.array_equal(a, b)
    np.testing.assert_array_equal(np.sort(a, axis=0), np.sort(b, axis=0))


def test_unpaired_shape_mismatch_is_an_error():
    with pytest.raises(ValueError, match="one shape"):
        _pipeline.make_unpaired_dataset(np.zeros((4, 3, 3), np.uint8), np.zeros((4, 5, 5), np.uint8), options=options())


def test_unpaired_bad_length_is_an_error():
    with pytest.raises(ValueError, match="`length` must be one of 'min', 'max'"):
        _pipeline.make_unpaired_dataset(index_images(4), index_images(4), options=options(), length="all")


def test_sub_seeds_are_reproducible_and_distinct():
    assert _pipeline.sub_seeds(None, 2) == [None, None]
    seeds = _pipeline.sub_seeds(3, 3)
    assert seeds == _pipeline.sub_seeds(3, 3)
    assert len(set(seeds)) == 3 and all(0 <= s < 2**63 for s in seeds)
