"""The job behind `make demo` runs end to end on a tiny setting."""

import importlib.util
import pathlib

import keras
import numpy as np
import pytest

DEMO = pathlib.Path(__file__).resolve().parents[1] / "scripts" / "demo.py"


def _load_demo():
    spec = importlib.util.spec_from_file_location("gankit_demo", DEMO)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_writes_samples_gif_plots_and_generator(tmp_path, capsys):
    demo = _load_demo()
    if demo.choose_dataset() == "digits":
        pytest.importorskip("sklearn")
    out = tmp_path / "demo"
    status = demo.main(
        ["--out", str(out), "--epochs", "2", "--steps-per-epoch", "2", "--batch-size", "8", "--quiet"]
    )
    assert status == 0
    names = {p.name for p in out.iterdir()}
    assert {"generator.keras", "gan.keras", "training.gif", "losses_all_time.png", "history.json"} <= names
    assert {"samples_epoch_0001.png", "samples_epoch_0002.png"} <= names
    assert str(out.resolve()) in capsys.readouterr().out
    generator = keras.saving.load_model(out / "generator.keras", safe_mode=True)
    images = generator(np.zeros((2, generator.input_shape[-1]), "float32"), training=False).numpy()
    assert images.shape == (2, 28, 28, 1)
    assert images.min() >= -1.0 and images.max() <= 1.0
