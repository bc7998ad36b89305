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


def test_demo_writes_samples_plot_and_generator(tmp_path, capsys):
    pytest.importorskip("sklearn")  # the offline fallback when Debian files are absent
    demo = _load_demo()
    out = tmp_path / "demo"
    assert demo.main(["--output-dir", str(out), "--epochs", "2", "--steps-per-epoch", "2", "--batch-size", "8"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "generator.keras",
        "losses.png",
        "samples_epoch_001.png",
        "samples_epoch_002.png",
    ]
    printed = capsys.readouterr().out
    assert str(out.resolve()) in printed
    generator = keras.saving.load_model(out / "generator.keras", safe_mode=True)
    images = generator(np.zeros((2, 64), "float32"), training=False).numpy()
    assert images.shape == (2, 28, 28, 1)
    assert images.min() >= -1.0 and images.max() <= 1.0


def test_demo_rejects_bad_arguments(tmp_path):
    demo = _load_demo()
    with pytest.raises(SystemExit):
        demo.main(["--output-dir", str(tmp_path), "--epochs", "0"])
