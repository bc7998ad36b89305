import keras
import numpy as np
import pytest
import tensorflow as tf

from gankit.layers import ConvSN2D
from gankit.layers import ConvSN2DTranspose
from gankit.layers import DenseSN


def power_iteration(matrix, u, iterations):
    """NumPy oracle of the layers' power iteration on a (rows, cols) matrix."""
    for _ in range(iterations):
        v = u @ matrix.T
        v = v / np.linalg.norm(v)
        u = v @ matrix
        u = u / np.linalg.norm(u)
    return u, v, float((v @ matrix @ u.T)[0, 0])


def matrix_with_singular_values(rows, cols, singular_values, seed=0):
    rng = np.random.default_rng(seed)
    left, _ = np.linalg.qr(rng.normal(size=(rows, rows)))
    right, _ = np.linalg.qr(rng.normal(size=(cols, cols)))
    diagonal = np.zeros((rows, cols))
    diagonal[: len(singular_values), : len(singular_values)] = np.diag(singular_values)
    return (left @ diagonal @ right.T).astype("float32")


LAYER_CASES = [
    (ConvSN2D, {"filters": 4, "kernel_size": 3, "padding": "same", "sn_seed": 1}, (2, 8, 8, 3), (2, 8, 8, 4)),
    (
        ConvSN2DTranspose,
        {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same", "sn_seed": 1},
        (2, 8, 8, 3),
        (2, 16, 16, 4),
    ),
    (DenseSN, {"units": 5, "sn_seed": 1}, (2, 6), (2, 5)),
]


@pytest.mark.parametrize("layer_cls,kwargs,input_shape,output_shape", LAYER_CASES)
def test_layer_harness(layer_checks, rng, layer_cls, kwargs, input_shape, output_shape):
    data = rng.normal(size=input_shape).astype("float32")
    layer_checks(layer_cls, kwargs, data, output_shape, 2, 1)


@pytest.mark.parametrize("layer_cls,kwargs,input_shape,output_shape", LAYER_CASES)
def test_sigma_converges_to_largest_singular_value(rng, layer_cls, kwargs, input_shape, output_shape):
    data = rng.normal(size=input_shape).astype("float32")
    errors = []
    for iterations in (1, 2, 4, 8, 32, 128):
        layer = layer_cls(**{**kwargs, "power_iterations": iterations})
        layer(data)
        if errors == []:
            kernel = rng.normal(size=layer.kernel.shape).astype("float32")
            largest = np.linalg.svd(kernel.reshape(-1, kernel.shape[-1]), compute_uv=False)[0]
        layer.kernel.assign(kernel)
        estimate = float(layer.spectral_norm())
        errors.append(abs(estimate - largest) / largest)
    assert all(later <= earlier + 1e-6 for earlier, later in zip(errors, errors[1:])), errors
    assert errors[0] > 1e-4  # one step from a random vector is not yet exact
    assert errors[-1] < 1e-5


def test_sigma_matches_known_spectrum():
    # Singular values 3, 1.5, 1, 0.5: power iteration gains a factor
    # (1.5 / 3) ** 2 per step, so 20 steps are exact to float32 precision.
    kernel = matrix_with_singular_values(6, 4, [3.0, 1.5, 1.0, 0.5])
    layer = DenseSN(4, power_iterations=20, sn_seed=3)
    layer.build((None, 6))
    layer.kernel.assign(kernel)
    np.testing.assert_allclose(float(layer.spectral_norm()), 3.0, rtol=1e-5)
    np.testing.assert_allclose(np.linalg.svd(layer.normalized_kernel().numpy(), compute_uv=False)[0], 1.0, rtol=1e-5)


def test_stored_vector_carries_power_iteration_across_training_calls(rng):
    kernel = matrix_with_singular_values(6, 4, [3.0, 1.5, 1.0, 0.5])
    layer = DenseSN(4, sn_seed=2)  # one iteration per call, as in the paper
    layer.build((None, 6))
    layer.kernel.assign(kernel)
    u0 = layer.sn_u.numpy().copy()
    data = rng.normal(size=(3, 6)).astype("float32")
    for _ in range(25):
        layer(data, training=True)
    expected_u, _, _ = power_iteration(kernel, u0, 25)
    np.testing.assert_allclose(layer.sn_u.numpy(), expected_u, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(float(layer.spectral_norm()), 3.0, rtol=1e-5)


@pytest.mark.parametrize("layer_cls,kwargs,input_shape,output_shape", LAYER_CASES)
def test_inference_does_not_change_state(rng, layer_cls, kwargs, input_shape, output_shape):
    data = rng.normal(size=input_shape).astype("float32")
    layer = layer_cls(**kwargs)
    first = layer(data).numpy()
    u_before = layer.sn_u.numpy().copy()
    for _ in range(3):
        np.testing.assert_array_equal(layer(data, training=False).numpy(), first)
    layer.spectral_norm()
    layer.normalized_kernel()
    np.testing.assert_array_equal(layer.sn_u.numpy(), u_before)
    layer(data, training=True)
    assert not np.array_equal(layer.sn_u.numpy(), u_before)


def test_dense_output_is_input_times_kernel_over_sigma(rng):
    layer = DenseSN(3, power_iterations=2, sn_seed=5, bias_initializer="ones", activation="relu")
    data = rng.normal(size=(4, 5)).astype("float32")
    layer.build((None, 5))
    kernel = layer.kernel.numpy()
    _, _, sigma = power_iteration(kernel, layer.sn_u.numpy(), 2)
    expected = np.maximum(data @ (kernel / sigma) + 1.0, 0.0)
    np.testing.assert_allclose(layer(data).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_conv_output_matches_plain_conv_with_normalized_kernel(rng):
    layer = ConvSN2D(4, 3, padding="same", sn_seed=5)
    data = rng.normal(size=(2, 6, 6, 3)).astype("float32")
    layer.build(data.shape)
    kernel = layer.kernel.numpy()
    _, _, sigma = power_iteration(kernel.reshape(-1, 4), layer.sn_u.numpy(), 1)
    plain = keras.layers.Conv2D(4, 3, padding="same")
    plain.build(data.shape)
    plain.set_weights([kernel / sigma, layer.bias.numpy()])
    np.testing.assert_allclose(layer(data).numpy(), plain(data).numpy(), rtol=1e-5, atol=1e-5)


def test_gradient_flows_through_sigma(rng):
    # f(W) = sum(x @ W / sigma(W)) with u, v held constant (Miyato et al., Eq. 12):
    # df/dW = x^T 1 / sigma - f(W) / sigma * v^T u.
    layer = DenseSN(3, use_bias=False, sn_seed=7)
    data = rng.normal(size=(4, 5)).astype("float32")
    layer.build((None, 5))
    kernel = layer.kernel.numpy().astype("float64")
    u, v, sigma = power_iteration(kernel, layer.sn_u.numpy().astype("float64"), 1)
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(layer(data))
    gradient = tape.gradient(total, layer.kernel.value).numpy()
    x_term = data.sum(axis=0)[:, None].astype("float64") * np.ones((1, 3))
    expected = x_term / sigma - float(total) / sigma * (v.T @ u)
    np.testing.assert_allclose(gradient, expected, rtol=1e-4, atol=1e-5)
    # The gradient with sigma treated as a constant (the Keras core slip) differs.
    assert not np.allclose(gradient, x_term / sigma, atol=1e-3)


@pytest.mark.cpu_invariance
def test_update_under_mirrored_strategy(rng, mirrored_strategy):
    with mirrored_strategy.scope():
        model = keras.Sequential(
            [keras.Input((6, 6, 3)), ConvSN2D(4, 3, sn_seed=11), keras.layers.Flatten(), DenseSN(1, sn_seed=12)]
        )
        # A zero learning rate keeps the kernels fixed, so the stored vectors
        # after N steps are exactly N power iterations from the start.
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    conv = model.layers[0]
    kernel = conv.kernel.numpy().reshape(-1, 4)
    u0 = conv.sn_u.numpy().copy()
    data = rng.normal(size=(12, 6, 6, 3)).astype("float32")
    model.fit(data, np.zeros((12, 1), "float32"), batch_size=4, epochs=1, verbose=0, shuffle=False)
    expected_u, _, _ = power_iteration(kernel, u0, 3)
    replicas = [v.numpy() for v in conv.sn_u.value.values]
    assert len(replicas) == 2
    # Exact by construction: `only_first_replica` copies replica 0's vector.
    np.testing.assert_array_equal(replicas[0], replicas[1])
    np.testing.assert_allclose(replicas[0], expected_u, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize(
    "value,error",
    [(0, ValueError), (-2, ValueError), (1.5, TypeError), (True, TypeError)],
)
@pytest.mark.parametrize("layer_cls,kwargs,input_shape,output_shape", LAYER_CASES)
def test_bad_power_iterations(layer_cls, kwargs, input_shape, output_shape, value, error):
    with pytest.raises(error, match="power_iterations"):
        layer_cls(**{**kwargs, "power_iterations": value})
