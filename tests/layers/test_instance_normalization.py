import keras
import numpy as np
import pytest
import tensorflow as tf

from gankit.layers import InstanceNormalization


def test_layer_harness(layer_checks, rng):
    data = rng.normal(size=(2, 4, 4, 3)).astype("float32")
    layer_checks(InstanceNormalization, {}, data, (2, 4, 4, 3), 2, 0)


def test_matches_numpy_oracle(rng):
    data = rng.normal(loc=2.0, scale=3.0, size=(3, 5, 6, 4)).astype("float32")
    mean = data.mean(axis=(1, 2), keepdims=True)
    var = data.var(axis=(1, 2), keepdims=True)
    expected = (data - mean) / np.sqrt(var + 1e-3)
    np.testing.assert_allclose(InstanceNormalization()(data).numpy(), expected, rtol=1e-4, atol=1e-4)


@pytest.mark.cpu_invariance
def test_each_sample_is_independent(rng):
    data = rng.normal(size=(2, 4, 4, 3)).astype("float32")
    layer = InstanceNormalization()
    alone = layer(data[:1]).numpy()
    np.testing.assert_allclose(layer(data).numpy()[:1], alone, rtol=1e-5, atol=1e-6)


def test_groups_argument_rejected():
    with pytest.raises(TypeError, match="groups"):
        InstanceNormalization(groups=2)


# -- axis=None: the keras_contrib layer "GANs in Action" chapter 9 ran ------------


def keras_contrib_oracle(x, epsilon=1e-3, gamma=1.0, beta=0.0):
    """keras_contrib `InstanceNormalization(axis=None).call` in NumPy:
    `(x - K.mean) / (K.std + epsilon) * gamma + beta` over all non-batch axes
    (`K.std` is the population standard deviation)."""
    axes = tuple(range(1, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    std = x.std(axis=axes, keepdims=True)
    return (x - mean) / (std + epsilon) * gamma + beta


def test_whole_sample_layer_harness(layer_checks, rng):
    data = rng.normal(size=(2, 4, 4, 3)).astype("float32")
    layer_checks(InstanceNormalization, {"axis": None}, data, (2, 4, 4, 3), 2, 0)


def test_whole_sample_by_hand():
    """One sample 0, 2, 4, 6: mean 3, population variance (9 + 1 + 1 + 9) / 4 = 5."""
    x = np.array([0.0, 2.0, 4.0, 6.0], "float32").reshape(1, 2, 1, 2)
    expected = np.array([-3.0, -1.0, 1.0, 3.0]) / (np.sqrt(5.0) + 1e-3)
    np.testing.assert_allclose(InstanceNormalization(axis=None)(x).numpy().ravel(), expected, rtol=1e-6)


def test_whole_sample_adds_epsilon_to_the_std_not_the_variance():
    """Values 0 and 2e-3: std 1e-3, so keras_contrib gives +-1e-3 / (1e-3 + 1e-3) = +-0.5,
    where `sqrt(var + epsilon)` would give +-1e-3 / sqrt(1e-6 + 1e-3) = +-0.0316."""
    x = np.array([0.0, 2e-3], "float32").reshape(1, 1, 1, 2)
    np.testing.assert_allclose(InstanceNormalization(axis=None)(x).numpy().ravel(), [-0.5, 0.5], rtol=1e-4)


def test_whole_sample_matches_the_keras_contrib_formula(rng):
    data = rng.normal(loc=2.0, scale=3.0, size=(3, 5, 6, 4)).astype("float32")
    layer = InstanceNormalization(
        axis=None,
        gamma_initializer=keras.initializers.Constant(1.5),
        beta_initializer=keras.initializers.Constant(-0.25),
    )
    expected = keras_contrib_oracle(data.astype("float64"), gamma=1.5, beta=-0.25)
    np.testing.assert_allclose(layer(data).numpy(), expected, rtol=1e-4, atol=1e-4)


def test_whole_sample_weights_are_scalars():
    layer = InstanceNormalization(axis=None)
    layer.build((None, 4, 4, 3))
    assert [(w.name, tuple(w.shape)) for w in layer.weights] == [("gamma", (1,)), ("beta", (1,))]
    assert layer.get_config()["axis"] is None and "groups" not in layer.get_config()
    per_channel = InstanceNormalization()
    per_channel.build((None, 4, 4, 3))
    assert [tuple(w.shape) for w in per_channel.weights] == [(3,), (3,)]


def test_whole_sample_differs_from_per_channel(rng):
    """Channels of scale 1 and 100: per channel, each comes out with std ~1; over the whole
    sample, the small channel is squashed to std ~1/71 (the pooled std is ~sqrt((1 + 1e4) / 2))."""
    data = rng.normal(size=(2, 8, 8, 2)).astype("float32") * np.array([1.0, 100.0], "float32")
    per_channel = InstanceNormalization()(data).numpy().std(axis=(1, 2))
    whole_sample = InstanceNormalization(axis=None)(data).numpy().std(axis=(1, 2))
    np.testing.assert_allclose(per_channel, 1.0, atol=1e-2)
    assert np.all(whole_sample[:, 0] < 0.05) and np.all(whole_sample[:, 1] > 1.0)


def test_whole_sample_gradients_are_finite_on_a_constant_sample():
    x = tf.constant(np.full((2, 4, 4, 3), 0.7, "float32"))
    layer = InstanceNormalization(axis=None)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x)
        loss = tf.reduce_sum(y * tf.reshape(tf.range(96.0), x.shape))  # not symmetric in x
    gradients = tape.gradient(loss, [x, *layer.trainable_weights])
    np.testing.assert_array_equal(y.numpy(), 0.0)  # std 0: (x - mean) / epsilon = 0
    assert all(np.all(np.isfinite(g.numpy())) for g in gradients)


def test_axis_must_be_an_int_or_none():
    with pytest.raises(TypeError, match="axis"):
        InstanceNormalization(axis="channels")
