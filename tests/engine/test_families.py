"""One set of checks for every GAN family on the engine (`gankit.engine.AdversarialModel`).

Each test runs for GAN, ConditionalGAN, SemiSupervisedGAN, CycleGAN and
ProgressiveStage on the tiny networks of `families.py`. The distributed
update (MirroredStrategy equals one device) is checked per family in
tests/models/test_distribution.py, and a run split by a SIGKILL and a
`TrainingBackup` resume in tests/training/test_resume.py.
"""

import os
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

# pytest runs with --import-mode=importlib: the shared helper module is
# found through this folder, as the resume worker script finds it.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import families  # noqa: E402
from families import FAMILIES  # noqa: E402

from gankit.engine import AdversarialModel  # noqa: E402


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_runs_on_the_engine(family):
    model = families.build(family, compile=False)
    assert isinstance(model, AdversarialModel)
    # No family writes its own update loop.
    families_classes = [cls for cls in type(model).__mro__ if issubclass(cls, AdversarialModel)]
    assert all("train_step" not in cls.__dict__ for cls in families_classes if cls is not AdversarialModel)


@pytest.mark.parametrize("family", FAMILIES)
def test_d_steps_and_g_steps_count_optimizer_updates(family):
    model = families.build(family, d_steps=2, g_steps=3)
    model.fit(families.dataset(family).take(1), epochs=1, verbose=0)
    assert int(model.d_optimizer.iterations) == 2
    assert int(model.g_optimizer.iterations) == 3
    if family == "sgan":
        assert int(model.supervised_optimizer.iterations) == 1
    assert int(model.step_counter) == 1


@pytest.mark.parametrize("family", FAMILIES)
def test_compile_order_is_d_optimizer_then_g_optimizer(family):
    model = families.build(family, compile=False)
    d, g = keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.2)
    model.compile(d, g)
    assert model.d_optimizer is d and model.g_optimizer is g
    with pytest.raises(ValueError, match="optimizer objects"):
        model.compile(d, d)
    with pytest.raises(TypeError, match="`g_optimizer` must be a keras optimizer"):
        model.compile(d, "adam")


@pytest.mark.parametrize("family", FAMILIES)
def test_save_then_load_gives_the_same_outputs_and_optimizer_state(family, tmp_path):
    model = families.build(family)
    model.fit(families.dataset(family), epochs=1, verbose=0)
    path = tmp_path / f"{family}.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert type(loaded) is type(model)
    np.testing.assert_array_equal(families.outputs(loaded, family), families.outputs(model, family))
    assert loaded.training_options == model.training_options
    for role, optimizer in families.optimizers(model).items():
        restored = getattr(loaded, role)
        assert len(restored.variables) == len(optimizer.variables) > 1
        for a, b in zip(restored.variables, optimizer.variables):
            np.testing.assert_array_equal(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b))
    for a, b in zip(loaded.variables, model.variables):
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b), err_msg=a.path)
    loaded.fit(families.dataset(family), epochs=1, verbose=0)  # trains on


@pytest.mark.parametrize("family", FAMILIES)
def test_compile_config_round_trip(family):
    model = families.build(family, d_optimizer=keras.optimizers.Adam(3e-4), d_steps=2, update_scheme="fresh")
    config = model.get_compile_config()
    clone = type(model).from_config(model.get_config())
    clone.compile_from_config(config)
    assert clone.get_compile_config() == config
    assert clone.training_options == model.training_options
    assert clone.training_options["d_steps"] == 2 and clone.training_options["update_scheme"] == "fresh"
    assert float(clone.d_optimizer.learning_rate) == pytest.approx(3e-4)


@pytest.mark.parametrize("family", FAMILIES)
def test_mixed_precision_trains_with_one_loss_scale_optimizer_per_role(family):
    keras.mixed_precision.set_dtype_policy("mixed_float16")  # reset by conftest
    model = families.build(family)
    history = model.fit(families.dataset(family).take(2), epochs=1, verbose=0).history
    for role, optimizer in families.optimizers(model).items():
        assert isinstance(optimizer, keras.optimizers.LossScaleOptimizer), role
    assert len({id(o) for o in families.optimizers(model).values()}) == len(model.OPTIMIZERS)
    assert all(np.isfinite(values[-1]) for values in history.values())


def _bad(family):
    wide = np.zeros((families.NUM_SAMPLES, families.FEATURES + 1), "float32")
    labels = np.zeros(families.NUM_SAMPLES, "int32")
    data = {
        "gan": wide,
        "progressive": wide,
        "cgan": (wide, labels),
        "sgan": ((wide, labels), wide),
        "cyclegan": (wide, wide),
    }[family]
    return tf.data.Dataset.from_tensor_slices(data).batch(2)


@pytest.mark.parametrize("family", FAMILIES)
def test_bad_and_empty_batches_are_refused_with_one_message(family):
    model = families.build(family)
    before = families.state(model)
    with pytest.raises(
        ValueError, match=r"\.fit\(\) needs batches of .*shape \(batch, 4\).* Received: a batch of shape \(None, 5\)"
    ):
        model.fit(_bad(family), epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"\.fit\(\) received a dataset that yields no batch \(cardinality 0\)"):
        model.fit(families.dataset(family).take(0), epochs=1, verbose=0)
    # A refused fit changed nothing and the model trains on good data.
    assert all(np.array_equal(before[k], v) for k, v in families.state(model).items())
    model.fit(families.dataset(family).take(1), epochs=1, verbose=0)
    assert int(model.step_counter) == 1


@pytest.mark.parametrize("family", FAMILIES)
def test_fit_before_compile_says_so(family):
    model = families.build(family, compile=False)
    with pytest.raises(RuntimeError, match=rf"Call `compile\(\)` on the {type(model).__name__} before `fit\(\)`"):
        model.train_step(next(iter(families.dataset(family))))


@pytest.mark.parametrize("family", FAMILIES)
def test_same_seed_same_training_and_every_draw_from_rng_state(family):
    # Two models with the same initial weights and rng_state train to the same
    # weights; a different rng_state changes them: the step's randomness all
    # comes from the checkpointed state, not from TensorFlow's global seed.
    def trained(rng_offset, global_seed):
        keras.utils.set_random_seed(0)
        model = families.build(family)
        model.rng_state.assign(model.rng_state + np.array([rng_offset, 0]))
        tf.random.set_seed(global_seed)
        model.fit(families.dataset(family), epochs=1, verbose=0)
        return [keras.ops.convert_to_numpy(w) for w in model.weights]

    reference = trained(0, 1)
    for a, b in zip(reference, trained(0, 2)):
        np.testing.assert_array_equal(a, b)
    assert any(not np.array_equal(a, b) for a, b in zip(reference, trained(1, 1)))


@pytest.mark.parametrize("family", FAMILIES)
def test_real_then_fake_takes_two_discriminator_steps_in_every_family(family):
    if family == "progressive":
        # WGAN-GP: the penalty reads real and fake images at once.
        with pytest.raises(ValueError, match="gradient_penalty_weight=10"):
            families.build(family, d_update="real_then_fake")
        return
    model = families.build(family, d_update="real_then_fake")
    history = model.fit(families.dataset(family).take(1), epochs=1, verbose=0).history
    assert int(model.d_optimizer.iterations) == 2
    assert int(model.g_optimizer.iterations) == 1
    # The two steps' terms add up to the logged discriminator loss (the
    # SGAN logs half of it, the book's scale).
    d_loss = {"cyclegan": ["d_a_loss", "d_b_loss"], "sgan": ["d_unsupervised_loss"]}.get(family, ["d_loss"])
    scale = 0.5 if family == "sgan" else 1.0
    total = sum(history[key][0] for key in d_loss)
    assert total == pytest.approx(scale * (history["d_real_loss"][0] + history["d_fake_loss"][0]), rel=1e-5)
    clone = type(model).from_config(model.get_config())
    clone.compile_from_config(model.get_compile_config())
    assert clone.training_options["d_update"] == "real_then_fake"
