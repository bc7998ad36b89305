"""The shared layer harness: every gankit layer goes through the same checks."""

import keras
import numpy as np
import pytest


def _as_list(data):
    return list(data) if isinstance(data, (list, tuple)) else [data]


def _functional(layer, inputs):
    symbolic = [keras.Input(shape=x.shape[1:], dtype=str(x.dtype)) for x in inputs]
    outputs = layer(symbolic if len(symbolic) > 1 else symbolic[0])
    return keras.Model(symbolic if len(symbolic) > 1 else symbolic[0], outputs)


def _call(model, inputs, training=False):
    return model(inputs if len(inputs) > 1 else inputs[0], training=training)


def run_layer_checks(
    tmp_path,
    layer_cls,
    init_kwargs,
    input_data,
    expected_output_shape,
    expected_num_trainable_weights,
    expected_num_non_trainable_weights,
):
    """Shapes, dtypes, weight counts, config and `.keras` round trips,
    one training step inside `fit`, and a mixed-precision call."""
    inputs = _as_list(input_data)

    # Shapes, dtype and weights.
    layer = layer_cls(**init_kwargs)
    outputs = layer(inputs if len(inputs) > 1 else inputs[0])
    assert tuple(outputs.shape) == tuple(expected_output_shape)
    assert keras.backend.standardize_dtype(outputs.dtype) == "float32"
    assert len(layer.trainable_weights) == expected_num_trainable_weights
    assert len(layer.non_trainable_weights) == expected_num_non_trainable_weights
    symbolic_shapes = [x.shape for x in inputs]
    computed = layer.compute_output_shape(symbolic_shapes if len(inputs) > 1 else symbolic_shapes[0])
    assert tuple(computed) == tuple(expected_output_shape)

    # get_config round trip, directly and through keras serialization.
    config = layer.get_config()
    assert layer_cls.from_config(config).get_config() == config
    revived = keras.layers.deserialize(keras.layers.serialize(layer))
    assert type(revived) is layer_cls
    assert revived.get_config() == config

    # .keras save -> load (safe mode) gives identical outputs.
    model = _functional(layer_cls(**init_kwargs), inputs)
    expected = keras.ops.convert_to_numpy(_call(model, inputs))
    path = tmp_path / f"{layer_cls.__name__}.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(_call(loaded, inputs)), expected)

    # One training step inside fit() runs and gives a finite loss.
    model.compile(optimizer="adam", loss="mse")
    target = np.zeros(expected_output_shape, "float32")
    history = model.fit(inputs if len(inputs) > 1 else inputs[0], target, batch_size=len(target), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])

    # Mixed precision: float32 variables, float16 computation, finite output.
    keras.mixed_precision.set_dtype_policy("mixed_float16")
    try:
        mixed = layer_cls(**init_kwargs)
        out16 = mixed(inputs if len(inputs) > 1 else inputs[0])
        assert keras.backend.standardize_dtype(out16.dtype) == "float16"
        assert all(keras.backend.standardize_dtype(w.dtype) == "float32" for w in mixed.weights)
        assert np.all(np.isfinite(keras.ops.convert_to_numpy(out16)))
    finally:
        keras.mixed_precision.set_dtype_policy("float32")


@pytest.fixture
def layer_checks(tmp_path):
    """`layer_checks(layer_cls, init_kwargs, input_data, output_shape, n_trainable, n_non_trainable)`."""

    def check(*args, **kwargs):
        run_layer_checks(tmp_path, *args, **kwargs)

    return check
