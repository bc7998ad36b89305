import numpy as np
import pytest

from gankit.layers import MinibatchStdDev


def minibatch_stddev_oracle(x, group_size, epsilon=1e-8):
    """Direct loop over groups, following Karras et al.'s reference code."""
    batch = x.shape[0]
    group = max(g for g in range(1, min(group_size, batch) + 1) if batch % g == 0)
    groups_count = batch // group
    out = np.empty(x.shape[:-1] + (1,), "float64")
    for m in range(groups_count):
        members = x[m::groups_count].astype("float64")  # images m, m + M, ...
        stat = np.mean(np.sqrt(np.var(members, axis=0) + epsilon))
        out[m::groups_count] = stat
    return np.concatenate([x, out], axis=-1)


def test_layer_harness(layer_checks, rng):
    data = rng.normal(size=(4, 4, 4, 3)).astype("float32")
    layer_checks(MinibatchStdDev, {"group_size": 2}, data, (4, 4, 4, 4), 0, 0)


@pytest.mark.parametrize(
    "batch,group_size",
    [(8, 4), (8, 2), (6, 4), (7, 4), (3, 4), (1, 4), (5, 1)],
    ids=["divisible", "pairs", "not-divisible", "prime", "smaller", "single", "group-one"],
)
@pytest.mark.cpu_invariance
def test_matches_oracle_for_any_batch_size(rng, batch, group_size):
    data = rng.normal(size=(batch, 3, 3, 2)).astype("float32")
    out = MinibatchStdDev(group_size=group_size)(data).numpy()
    np.testing.assert_allclose(out, minibatch_stddev_oracle(data, group_size), rtol=1e-5, atol=1e-6)


def test_hand_case():
    # Two images, one feature: values 1 and 3 -> variance 1, std sqrt(1 + 1e-8).
    data = np.array([1.0, 3.0], "float32").reshape(2, 1, 1, 1)
    out = MinibatchStdDev(group_size=2)(data).numpy()
    np.testing.assert_allclose(out[:, 0, 0, 1], [1.0, 1.0], rtol=1e-6)


def test_identical_batch_gives_sqrt_epsilon():
    # The listing in "GANs in Action" squares x + 1e8 and would give ~1e16 here.
    data = np.ones((4, 2, 2, 3), "float32")
    out = MinibatchStdDev()(data).numpy()
    np.testing.assert_allclose(out[..., -1], np.sqrt(1e-8), rtol=1e-4)


def test_works_with_unknown_batch_in_graph(rng):
    import tensorflow as tf

    layer = MinibatchStdDev(group_size=4)
    fn = tf.function(layer, input_signature=[tf.TensorSpec((None, 2, 2, 3), tf.float32)])
    for batch in (2, 5, 8):
        data = rng.normal(size=(batch, 2, 2, 3)).astype("float32")
        np.testing.assert_allclose(fn(data).numpy(), minibatch_stddev_oracle(data, 4), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "kwargs,error,match",
    [
        ({"group_size": 0}, ValueError, "group_size"),
        ({"group_size": 2.5}, TypeError, "group_size"),
        ({"epsilon": -1e-8}, ValueError, "epsilon"),
    ],
)
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        MinibatchStdDev(**kwargs)


def test_rejects_non_4d_input():
    with pytest.raises(ValueError, match="4D"):
        MinibatchStdDev()(np.zeros((2, 3), "float32"))
