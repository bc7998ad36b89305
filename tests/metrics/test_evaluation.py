"""Streaming evaluation: sources, equality with the pure functions, batch-size
invariance, the real-statistics cache, results and errors.

Every test uses the `PooledPixels` extractor of `conftest.py` (no weights);
the oracles are the pure functions of `gankit.metrics` applied to all
features at once, and NumPy for the running statistics.
"""

import json
import os

import imageio.v3 as iio
import keras
import numpy as np
import pytest
import tensorflow as tf

from gankit.metrics import evaluation
from gankit.metrics.evaluation import FID
from gankit.metrics.evaluation import INCEPTION_SCORE
from gankit.metrics.evaluation import KID
from gankit.metrics.evaluation import METRIC_NAMES
from gankit.metrics.evaluation import MIFID
from gankit.metrics.evaluation import EvaluationResult
from gankit.metrics.evaluation import ReferenceStatistics
from gankit.metrics.evaluation import RunningStatistics
from gankit.metrics.evaluation import evaluate
from gankit.metrics.evaluation import reference_statistics
from gankit.metrics.frechet import fid_from_features
from gankit.metrics.inception_score import inception_score_from_logits
from gankit.metrics.kid import kid_from_features
from gankit.metrics.memorization import mifid

# Small settings shared by most tests: KID and IS need subset sizes and
# splits that fit a few dozen images.
SMALL = {"kid_subsets": 10, "kid_subset_size": 20, "is_splits": 3}


def unit_images(count, seed, power=1.0, size=8, channels=1):
    """Images in [0, 1] on the 8-bit grid (so PNG files hold them exactly)."""
    images = np.random.default_rng(seed).uniform(size=(count, size, size, channels)) ** power
    return (np.round(images * 255.0) / 255.0).astype(np.float32)


class RecordingGenerator:
    """`fn(n, seed=...)` drawing skewed images, keeping every one it returned."""

    def __init__(self, power=2.0):
        self.power = power
        self.images = []

    def __call__(self, n, seed=None):
        images = unit_images(n, seed, self.power)
        self.images.append(images)
        return images

    def all_images(self):
        return np.concatenate(self.images)


def tiny_generator(activation="tanh", bias=0.0):
    return keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(64, activation=activation, bias_initializer=keras.initializers.Constant(bias)),
            keras.layers.Reshape((8, 8, 1)),
        ],
        name="tiny_generator",
    )


def blocks_of(num_images, seed):
    """The (count, seed) blocks `evaluate` asks a generator for (documented)."""
    size = evaluation.GENERATION_BATCH_SIZE
    seeds = np.random.default_rng(seed).integers(2**31 - 1, size=-(-num_images // size))
    return [(min(size, num_images - start), int(s)) for start, s in zip(range(0, num_images, size), seeds)]


def assert_same_values(first, second, rtol=1e-9):
    assert first.values.keys() == second.values.keys()
    for name in first.values:
        np.testing.assert_allclose(first.values[name], second.values[name], rtol=rtol, atol=1e-12, err_msg=name)
        if name in first.stds:
            np.testing.assert_allclose(first.stds[name], second.stds[name], rtol=rtol, atol=1e-12, err_msg=name)
    assert (first.num_real, first.num_fake) == (second.num_real, second.num_fake)


def write_pngs(folder, images):
    folder.mkdir(parents=True, exist_ok=True)
    for index, image in enumerate(images):
        pixels = np.round(image * 255.0).astype(np.uint8)
        iio.imwrite(folder / f"{index:04d}.png", pixels[..., 0] if pixels.shape[-1] == 1 else pixels)
    return folder


# -- RunningStatistics --------------------------------------------------------


@pytest.mark.parametrize("splits", [[60], [1, 59], [7, 7, 7, 39], [30, 0, 30]])
def test_running_statistics_match_numpy(splits, rng):
    features = rng.normal(size=(60, 5)) * [1.0, 2.0, 0.1, 5.0, 1.0] + 3.0
    statistics = RunningStatistics(5)
    start = 0
    for size in splits:
        statistics.update(features[start : start + size])
        start += size
    assert statistics.count == 60
    np.testing.assert_allclose(statistics.mean, features.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(statistics.covariance, np.cov(features, rowvar=False), rtol=1e-10, atol=1e-12)


def test_running_statistics_keep_digits_of_far_off_features(rng):
    # Mean 1e6, spread 1: sum(x xᵀ) - n mu muᵀ would cancel about 12 of
    # float64's 16 digits; the pairwise update keeps them.
    features = 1e6 + rng.normal(size=(1000, 3))
    statistics = RunningStatistics(3)
    for start in range(0, 1000, 64):
        statistics.update(features[start : start + 64])
    np.testing.assert_allclose(statistics.covariance, np.cov(features, rowvar=False), rtol=1e-8, atol=1e-9)


def test_running_statistics_errors():
    statistics = RunningStatistics(2)
    statistics.update([[1.0, 2.0]])
    with pytest.raises(ValueError, match="at least 2"):
        statistics.covariance
    with pytest.raises(ValueError, match=r"\(batch, 2\)"):
        statistics.update(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="update"):
        RunningStatistics(2).mean


# -- equality with the pure functions and batch-size invariance ---------------


def test_values_equal_the_pure_functions_on_all_features(extractor_class):
    real = unit_images(120, seed=1)
    generator = RecordingGenerator()
    result = evaluate(
        generator, real, metrics=METRIC_NAMES, num_images=150, extractor=extractor_class(), batch_size=16, seed=3,
        **SMALL,
    )  # fmt: skip
    oracle = extractor_class()
    real_features = oracle.features(real)
    fake_features, fake_logits = oracle.features_and_logits(generator.all_images())
    assert (result.num_real, result.num_fake) == (120, 150)
    np.testing.assert_allclose(result.values[FID], fid_from_features(real_features, fake_features), rtol=1e-9)
    kid = kid_from_features(real_features, fake_features, subsets=10, subset_size=20, seed=3).as_tuple()
    np.testing.assert_allclose((result.values[KID], result.stds[KID]), kid, rtol=1e-9)
    np.testing.assert_allclose(result[KID].as_tuple(), kid, rtol=1e-9)  # one metric as a MetricResult
    assert (result[KID].num_real, result[KID].num_fake) == (120, 150)
    inception = inception_score_from_logits(fake_logits, splits=3, seed=3).as_tuple()
    np.testing.assert_allclose((result.values[INCEPTION_SCORE], result.stds[INCEPTION_SCORE]), inception, rtol=1e-9)
    parts = mifid(real_features, fake_features)
    np.testing.assert_allclose(result.values[MIFID], parts.mifid, rtol=1e-9)
    np.testing.assert_allclose(
        result.details[evaluation.MIFID_MEMORIZATION_DISTANCE], parts.memorization_distance, rtol=1e-9
    )
    assert result.values[FID] > 0.01  # Different distributions: the test can fail.


@pytest.mark.parametrize("fake_kind", ["generator", "array", "dataset"])
def test_batch_size_does_not_change_results(fake_kind, extractor_class):
    real = unit_images(90, seed=1)
    fakes = {
        "generator": RecordingGenerator(),
        "array": unit_images(130, seed=2, power=2.0),
        "dataset": tf.data.Dataset.from_tensor_slices(unit_images(130, seed=2, power=2.0) * 2.0 - 1.0).batch(9),
    }
    results = []
    for batch_size in (7, 32):
        extractor = extractor_class()
        results.append(
            evaluate(fakes[fake_kind], real, METRIC_NAMES, num_images=130, extractor=extractor,
                     batch_size=batch_size, **SMALL)
        )  # fmt: skip
        assert batch_size in extractor.batch_sizes
    assert_same_values(*results, rtol=1e-6)


# -- sources --------------------------------------------------------------------


@pytest.fixture
def fake_images():
    return unit_images(40, seed=2, power=2.0)


@pytest.fixture
def real_images():
    return unit_images(50, seed=1)


@pytest.mark.parametrize(
    "kind",
    ["tensor", "folder", "batched_dataset", "unbatched_dataset", "dataset_with_labels", "function_without_seed"],
)
def test_every_source_kind_gives_the_same_values(kind, fake_images, real_images, tmp_path, extractor):
    reference = evaluate(fake_images, real_images, (FID, KID), num_images=40, extractor=extractor, **SMALL)
    in_tanh_range = fake_images * 2.0 - 1.0
    sources = {
        "tensor": lambda: tf.constant(fake_images),
        "folder": lambda: str(write_pngs(tmp_path / "fakes", fake_images)),
        "batched_dataset": lambda: tf.data.Dataset.from_tensor_slices(in_tanh_range).batch(16),
        "unbatched_dataset": lambda: tf.data.Dataset.from_tensor_slices(in_tanh_range),
        "dataset_with_labels": lambda: tf.data.Dataset.from_tensor_slices((in_tanh_range, np.arange(40))).batch(8),
        # 40 < GENERATION_BATCH_SIZE: the function is called once, with n = 40.
        "function_without_seed": lambda: lambda n: fake_images[:n],
    }
    result = evaluate(sources[kind](), real_images, (FID, KID), num_images=40, extractor=extractor, **SMALL)
    assert_same_values(result, reference, rtol=1e-6)


def test_real_sources_folder_and_dataset(fake_images, real_images, tmp_path, extractor):
    reference = evaluate(fake_images, real_images, (FID, KID), num_images=40, num_real=50, extractor=extractor, **SMALL)
    folder = write_pngs(tmp_path / "real", real_images)
    dataset = tf.data.Dataset.from_tensor_slices(real_images * 2.0 - 1.0).batch(12)
    for real_source in (folder, dataset):
        result = evaluate(fake_images, real_source, (FID, KID), num_images=40, num_real=50, extractor=extractor,
                          **SMALL)  # fmt: skip
        assert_same_values(result, reference, rtol=1e-6)


def test_keras_generator_gets_normal_latents_and_tanh_is_mapped(real_images, extractor):
    model = tiny_generator()
    result = evaluate(model, real_images, FID, num_images=130, extractor=extractor, seed=5)
    expected_images = []
    for count, block_seed in blocks_of(130, seed=5):
        latents = np.random.default_rng(block_seed).standard_normal((count, 3)).astype("float32")
        outputs = keras.ops.convert_to_numpy(model(latents))
        expected_images.append(np.clip((outputs + 1.0) / 2.0, 0.0, 1.0))
    expected = evaluate(np.concatenate(expected_images), real_images, FID, num_images=130, extractor=extractor)
    assert_same_values(result, expected, rtol=1e-6)


def test_gan_object_and_its_generate_method_agree(real_images, extractor):
    from gankit.models import GAN

    discriminator = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    gan = GAN(keras.Sequential([keras.Input((3,)), keras.layers.Dense(64, activation="tanh"),
                                keras.layers.Reshape((8, 8, 1))]), discriminator)  # fmt: skip
    by_object = evaluate(gan, real_images, FID, num_images=120, extractor=extractor, seed=1)
    by_method = evaluate(gan.generate, real_images, FID, num_images=120, extractor=extractor, seed=1)
    images = np.concatenate([gan.generate(count, seed=s) for count, s in blocks_of(120, seed=1)])
    by_array = evaluate(images, real_images, FID, num_images=120, extractor=extractor)
    assert_same_values(by_object, by_method)
    assert_same_values(by_object, by_array)


def test_seed_reproduces_and_changes_the_images(real_images, extractor):
    def run(seed):
        return evaluate(RecordingGenerator(), real_images, (FID, KID), num_images=40, extractor=extractor,
                        seed=seed, **SMALL)  # fmt: skip

    assert_same_values(run(0), run(0))
    assert run(0).values[FID] != run(1).values[FID]


def test_finite_sources_are_capped_and_the_counts_reported(fake_images, real_images, tmp_path, extractor):
    result = evaluate(fake_images, real_images, FID, num_images=25, num_real=30, extractor=extractor)
    assert (result.num_real, result.num_fake) == (30, 25)
    expected = evaluate(fake_images[:25], real_images[:30], FID, extractor=extractor)
    assert_same_values(result, expected)
    everything = evaluate(write_pngs(tmp_path / "f", fake_images), real_images, FID, extractor=extractor)
    assert (everything.num_real, everything.num_fake) == (50, 40)  # Fewer than the default 10000.


def test_folders_mix_sizes_and_skip_unreadable_files(real_images, tmp_path, extractor_class):
    settings = {**SMALL, "kid_subset_size": 5}  # Only 9 images.
    folder = write_pngs(tmp_path / "mixed", unit_images(5, seed=3))
    rgb = unit_images(4, seed=4, size=12, channels=3)
    for index, image in enumerate(rgb):
        iio.imwrite(folder / f"rgb_{index}.png", np.round(image * 255).astype(np.uint8))
    (folder / "broken.png").write_bytes(b"not an image")
    (folder / "notes.txt").write_text("ignored: not an image extension")
    with pytest.warns(UserWarning, match="Skipped 1 of 10"):  # The .txt is not counted.
        result = evaluate(str(folder), real_images, (FID, KID), extractor=extractor_class(), **settings)
    assert result.num_fake == 9
    oracle = extractor_class()
    fake_features = np.concatenate([oracle.features(unit_images(5, seed=3)), oracle.features(rgb)])
    expected = fid_from_features(oracle.features(real_images), fake_features)
    np.testing.assert_allclose(result.values[FID], expected, rtol=1e-6)


def test_dataset_names_load_the_test_split(monkeypatch, fake_images, extractor):
    import data_loaders

    raw = np.round(unit_images(30, seed=7)[..., 0] * 255).astype(np.uint8)  # (N, 28?, ...) uint8 like the loader
    splits = []

    def fake_loader(split="train", data_dir=None):
        splits.append(split)
        return raw, np.zeros(len(raw), np.int32)

    monkeypatch.setattr(data_loaders, "load_fashion_mnist_arrays", fake_loader)
    by_name = evaluate(fake_images, "fashion_mnist", FID, extractor=extractor)
    by_array = evaluate(fake_images, raw[..., None] / np.float32(255), FID, extractor=extractor)
    assert splits == [evaluation.DATASET_SPLIT] == ["test"]
    assert_same_values(by_name, by_array)


def test_digits_by_name(fake_images, extractor):
    import data_loaders

    digits = data_loaders.load_digits_arrays()[0][:100, ..., None] / np.float32(255)
    by_name = evaluate(fake_images, "digits", FID, num_real=100, extractor=extractor)
    assert_same_values(by_name, evaluate(fake_images, digits, FID, extractor=extractor))


def test_inception_score_alone_needs_no_real_images(fake_images, extractor):
    result = evaluate(fake_images, None, INCEPTION_SCORE, extractor=extractor, is_splits=4)
    assert result.num_real is None and result.num_fake == 40
    expected = inception_score_from_logits(extractor.logits(fake_images), splits=4).as_tuple()
    np.testing.assert_allclose((result.values["is"], result.stds["is"]), expected, rtol=1e-9)
    assert "N real" in str(result) and "\nis " in str(result)


# -- reference statistics and the cache ---------------------------------------


def test_reference_statistics_are_reused(fake_images, real_images, extractor, extractor_class):
    reference = reference_statistics(real_images, extractor=extractor, metrics=(FID, KID))
    assert reference.num_images == 50 and reference.features.shape == (50, 16)
    counting = extractor_class()
    result = evaluate(fake_images, reference, (FID, KID), extractor=counting, **SMALL)
    assert counting.images_seen == 40  # The fakes only.
    assert_same_values(result, evaluate(fake_images, real_images, (FID, KID), extractor=extractor, **SMALL))
    fid_only = reference_statistics(real_images, extractor=extractor)
    assert fid_only.features is None  # FID keeps O(d²), not the n x d features.


def test_real_cache_is_written_then_reused(fake_images, real_images, tmp_path, extractor_class):
    cache = tmp_path / "stats" / "real.npz"
    first = extractor_class()
    written = evaluate(fake_images, real_images, (FID, KID), extractor=first, real_cache=cache, **SMALL)
    assert first.images_seen == 90
    with np.load(cache) as data:
        assert str(data["extractor_name"]) == "pooled_pixels" and int(data["num_images"]) == 50
        assert set(data.files) >= {"mean", "covariance", "features"}
    second = extractor_class()
    reused = evaluate(fake_images, real_images, (FID, KID), extractor=second, real_cache=cache, **SMALL)
    assert second.images_seen == 40
    assert_same_values(written, reused)


@pytest.mark.parametrize(
    "change", ["extractor_name", "num_real", "real_images", "needs_features", "broken_zip", "other_npz"]
)
def test_real_cache_is_rebuilt_when_it_does_not_match(change, fake_images, real_images, tmp_path, extractor_class):
    cache = tmp_path / "real.npz"
    evaluate(fake_images, real_images, FID, extractor=extractor_class(), real_cache=cache)
    if change == "broken_zip":
        cache.write_bytes(b"PK\x03\x04 truncated")
    if change == "other_npz":
        np.savez(cache, mean=np.zeros(16))
    arguments = {"metrics": FID, "num_real": None, "real_source": real_images}
    extractor = extractor_class(name="other" if change == "extractor_name" else "pooled_pixels")
    if change == "num_real":
        arguments["num_real"] = 30
    if change == "real_images":
        arguments["real_source"] = unit_images(50, seed=9)
    if change == "needs_features":
        arguments["metrics"] = (FID, KID)
    result = evaluate(fake_images, extractor=extractor, real_cache=cache, **arguments, **SMALL)
    assert extractor.images_seen == 40 + result.num_real  # Real images read again...
    rebuilt = ReferenceStatistics.load(cache)  # ...and the cache rewritten.
    assert (rebuilt.extractor_name, rebuilt.num_images) == (extractor.name, result.num_real)


def test_reference_statistics_save_load_round_trip(real_images, tmp_path, extractor):
    reference = reference_statistics(real_images, extractor=extractor, metrics=KID)
    reference.save(tmp_path / "r.npz")
    loaded = ReferenceStatistics.load(tmp_path / "r.npz")
    for name in ("mean", "covariance", "features"):
        np.testing.assert_array_equal(getattr(loaded, name), getattr(reference, name))
    assert (loaded.extractor_name, loaded.num_images, loaded.source) == (
        reference.extractor_name, reference.num_images, reference.source)  # fmt: skip
    with pytest.raises(FileNotFoundError):
        ReferenceStatistics.load(tmp_path / "missing.npz")
    np.save(tmp_path / "array.npy", np.zeros(3))
    with pytest.raises(ValueError, match="not a gankit reference statistics file"):
        ReferenceStatistics.load(tmp_path / "array.npy")


class _RunsCode:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_statistics_file_holding_a_pickle_runs_nothing(tmp_path):
    marker = tmp_path / "executed"
    np.savez(tmp_path / "r.npz", format_version=np.array([_RunsCode(marker)], dtype=object))
    with pytest.raises(ValueError, match="r.npz"):
        loaded = ReferenceStatistics.load(tmp_path / "r.npz")
        loaded.mean  # noqa: B018 (not reached)
    assert not marker.exists()


def test_saving_statistics_into_a_folder_leaves_nothing(real_images, tmp_path, extractor):
    reference = reference_statistics(real_images, extractor=extractor)
    (tmp_path / "stats.npz").mkdir()
    with pytest.raises(IsADirectoryError, match="stats.npz"):
        reference.save(tmp_path / "stats.npz")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stats.npz"]


# -- results ----------------------------------------------------------------------


def test_result_dict_and_table(fake_images, real_images, extractor):
    result = evaluate(fake_images, real_images, METRIC_NAMES, extractor=extractor, **SMALL)
    flat = result.as_dict()
    assert list(flat) == ["fid", "kid", "kid_std", "is", "is_std", "mifid", "mifid_memorization_distance",
                          "num_real", "num_fake", "extractor"]  # fmt: skip
    assert (flat["num_real"], flat["num_fake"], flat["extractor"]) == (50, 40, "pooled_pixels")
    json.dumps(flat)  # JSON-ready.
    lines = str(result).splitlines()
    assert lines[0].split() == ["metric", "value", "std", "N", "real", "N", "fake"]
    assert lines[1].split()[0] == "fid" and lines[1].split()[-2:] == ["50", "40"]
    assert lines[3].split()[0] == "is" and lines[3].split()[-2:] == ["-", "40"]
    assert lines[-1] == "extractor: pooled_pixels"
    assert isinstance(result, EvaluationResult)


def test_verbose_shows_progress(fake_images, real_images, extractor, capsys):
    evaluate(fake_images, real_images, FID, num_images=40, extractor=extractor, verbose=1)
    out = capsys.readouterr().out
    assert "Real images" in out and "Generated images" in out and "40/40" in out


# -- errors -----------------------------------------------------------------------


def _wrong_count(n, seed=None):
    return unit_images(n + 1, seed)


@pytest.mark.parametrize(
    "arguments,error,message",
    [
        ({"metrics": ("fid", "swd?")}, ValueError, "fid, kid, is, mifid"),
        ({"metrics": ()}, ValueError, "one or more"),
        ({"metrics": ("fid", "fid")}, ValueError, "twice"),
        ({"generator_or_images": np.zeros((4, 8, 8, 1), np.uint8)}, TypeError, "255"),
        ({"generator_or_images": np.full((4, 8, 8, 1), 2.0)}, ValueError, r"\[0, 1\]"),
        ({"generator_or_images": np.full((4, 8, 8, 1), np.nan)}, ValueError, r"\[0, 1\]"),
        ({"generator_or_images": np.zeros((4, 8))}, ValueError, "shape"),
        ({"generator_or_images": 42}, TypeError, "int"),
        ({"generator_or_images": "no/such/folder"}, FileNotFoundError, "no/such/folder"),
        ({"generator_or_images": _wrong_count}, ValueError, "asked for"),
        ({"generator_or_images": unit_images(1, 0)}, ValueError, "at least 2"),
        ({"real_source": None}, ValueError, "only 'is'"),
        ({"real_source": "no_such_dataset"}, ValueError, "fashion_mnist"),
        ({"real_source": [0.5]}, TypeError, "list"),
        ({"extractor": object()}, TypeError, "lacks name, feature_dim, features"),
        ({"num_images": 0}, ValueError, "num_images"),
        ({"batch_size": 2.5}, TypeError, "batch_size"),
        ({"seed": -1}, ValueError, "seed"),
    ],
)
def test_errors(arguments, error, message, fake_images, real_images, extractor):
    call = {"generator_or_images": fake_images, "real_source": real_images, "extractor": extractor, **arguments}
    with pytest.raises(error, match=message):
        evaluate(**call)


def test_the_default_extractor_is_inception_and_says_when_weights_are_missing(
    fake_images, real_images, tmp_path, monkeypatch
):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))  # An empty Keras cache.
    with pytest.raises(FileNotFoundError, match="inception_v3_weights_tf_dim_ordering_tf_kernels.h5"):
        evaluate(fake_images, real_images)


def test_keras_generator_outputs_must_be_tanh(fake_images, real_images, extractor):
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        evaluate(tiny_generator(activation=None, bias=5.0), real_images, extractor=extractor)


def test_reference_statistics_must_fit(fake_images, real_images, extractor, extractor_class, tmp_path):
    reference = reference_statistics(real_images, extractor=extractor)
    with pytest.raises(ValueError, match="another extractor"):
        evaluate(fake_images, reference, extractor=extractor_class(name="other"))
    with pytest.raises(ValueError, match="real features"):
        evaluate(fake_images, reference, KID, extractor=extractor)
    with pytest.raises(ValueError, match="Pass one"):
        evaluate(fake_images, reference, extractor=extractor, real_cache=tmp_path / "c.npz")


def test_running_statistics_docstring_examples_run():
    import doctest

    from gankit.metrics import running_statistics

    result = doctest.testmod(running_statistics, globs={"np": np, **vars(running_statistics)})
    assert result.attempted > 0 and result.failed == 0
