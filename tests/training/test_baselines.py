"""gankit.training.train_supervised_baseline and gankit.metrics.classifier_accuracy."""

import keras
import numpy as np
import pytest

from gankit.metrics import classifier_accuracy
from gankit.training import train_supervised_baseline

SHAPE = (8, 8, 1)


def tiny_data(n, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, (n,) + SHAPE).astype("float32"), (np.arange(n) % 3).astype("int32")


def test_baseline_and_classifier_round_trip(tmp_path):
    xl, yl = tiny_data(6)
    classifier = train_supervised_baseline(xl, yl, num_classes=3, epochs=1, batch_size=3)
    assert classifier.output_shape == (None, 3)
    path = str(tmp_path / "classifier.keras")
    classifier.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    np.testing.assert_allclose(loaded.predict(xl, verbose=0), classifier.predict(xl, verbose=0), rtol=1e-6)
    # Oracle: the share of arg-max logits equal to the labels.
    predicted = np.argmax(classifier.predict(xl, verbose=0), axis=-1)
    assert classifier_accuracy(classifier, xl, yl) == pytest.approx(np.mean(predicted == yl))


def test_classifier_accuracy_refuses_bad_labels():
    classifier = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)])
    with pytest.raises(ValueError, match=r"`labels` must lie in \[0, 2\]"):
        classifier_accuracy(classifier, np.zeros((2, 2)), [0, 3])
    with pytest.raises(ValueError, match="same length"):
        classifier_accuracy(classifier, np.zeros((2, 2)), [0])


def test_baseline_callbacks_see_every_epoch():
    # 6 images at batch 3: 2 steps per epoch; the callback records the epochs
    # and the model's optimizer step count at each epoch end.
    xl, yl = tiny_data(6)
    seen = []
    recorder = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append((epoch, int(recorder.model.optimizer.iterations)))
    )
    train_supervised_baseline(xl, yl, num_classes=3, epochs=3, batch_size=3, callbacks=[recorder])
    assert seen == [(0, 2), (1, 4), (2, 6)]
