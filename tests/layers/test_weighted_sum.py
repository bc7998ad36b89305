import keras
import numpy as np
import pytest

from gankit.layers import WeightedSum


def test_layer_harness(layer_checks, rng):
    old = rng.normal(size=(2, 4, 4, 3)).astype("float32")
    new = rng.normal(size=(2, 4, 4, 3)).astype("float32")
    layer_checks(WeightedSum, {"alpha": 0.3}, [old, new], (2, 4, 4, 3), 0, 1)


def test_alpha_zero_returns_old_and_one_returns_new(rng):
    old = rng.normal(size=(3, 5)).astype("float32")
    new = rng.normal(size=(3, 5)).astype("float32")
    layer = WeightedSum()
    np.testing.assert_array_equal(layer([old, new]).numpy(), old)
    layer.set_alpha(1.0)
    np.testing.assert_array_equal(layer([old, new]).numpy(), new)
    layer.set_alpha(0.25)
    np.testing.assert_allclose(layer([old, new]).numpy(), 0.75 * old + 0.25 * new, rtol=1e-6)


def test_alpha_set_from_callback_during_fit(rng):
    old_in = keras.Input((2,))
    new_in = keras.Input((2,))
    layer = WeightedSum(name="fade")
    model = keras.Model([old_in, new_in], layer([old_in, new_in]))
    model.compile(optimizer="sgd", loss="mse")
    seen = []

    class Fade(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            self.model.get_layer("fade").set_alpha(min(1.0, batch / 3))

        def on_train_batch_end(self, batch, logs=None):
            seen.append(float(self.model.get_layer("fade").alpha.numpy()))

    data = [np.zeros((8, 2), "float32"), np.ones((8, 2), "float32")]
    model.fit(data, np.zeros((8, 2), "float32"), batch_size=2, epochs=1, verbose=0, callbacks=[Fade()])
    np.testing.assert_allclose(seen, [0.0, 1 / 3, 2 / 3, 1.0], rtol=1e-6)
    # The compiled graph reads the variable, so the new alpha takes effect.
    np.testing.assert_allclose(model.predict(data, verbose=0), np.ones((8, 2)), rtol=1e-6)


@pytest.mark.parametrize("alpha,error", [(-0.1, ValueError), (1.5, ValueError), ("0.5", TypeError)])
def test_bad_alpha(alpha, error):
    with pytest.raises(error, match="alpha"):
        WeightedSum(alpha=alpha)
    with pytest.raises(error, match="alpha"):
        WeightedSum().set_alpha(alpha)


def test_mismatched_inputs_rejected():
    with pytest.raises(ValueError, match="same shape"):
        WeightedSum()([np.zeros((1, 2), "float32"), np.zeros((1, 3), "float32")])
