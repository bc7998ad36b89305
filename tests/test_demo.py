"""The job behind `make demo` runs end to end on a tiny setting."""

import importlib.metadata
import importlib.util
import json
import pathlib
import re
import subprocess
import sys
import textwrap

import keras
import numpy as np
from packaging.requirements import Requirement

ROOT = pathlib.Path(__file__).resolve().parents[1]
DEMO = ROOT / "scripts" / "demo.py"
TINY = ["--epochs", "2", "--steps-per-epoch", "2", "--batch-size", "8", "--quiet"]


def _load_demo():
    spec = importlib.util.spec_from_file_location("gankit_demo", DEMO)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_writes_samples_gif_plots_and_generator(tmp_path, capsys):
    demo = _load_demo()
    out = tmp_path / "demo"
    status = demo.main(["--out", str(out), *TINY])
    assert status == 0
    names = {p.name for p in out.iterdir()}
    assert {"generator.keras", "gan.keras", "training.gif", "losses_all_time.png", "history.json"} <= names
    assert {"samples_epoch_0001.png", "samples_epoch_0002.png"} <= names
    assert str(out.resolve()) in capsys.readouterr().out
    generator = keras.saving.load_model(out / "generator.keras", safe_mode=True)
    images = generator(np.zeros((2, generator.input_shape[-1]), "float32"), training=False).numpy()
    assert images.shape == (2, 28, 28, 1)
    assert images.min() >= -1.0 and images.max() <= 1.0


# -- the offline fallback with only what `pip install -e .` installs ------------


def _canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _core_distributions():
    """gankit and every distribution its core dependencies pull in, transitively."""
    environment = {"extra": ""}
    wanted, seen = ["gankit"], set()
    while wanted:
        name = _canonical(wanted.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            requirements = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue  # An optional platform dependency that is not installed.
        for text in requirements:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate(environment):
                wanted.append(requirement.name)
    return seen


def _modules_outside(distributions):
    """Top-level modules installed here by distributions not in `distributions`."""
    hidden = set()
    for module, owners in importlib.metadata.packages_distributions().items():
        if module.isidentifier() and not any(_canonical(owner) in distributions for owner in owners):
            hidden.add(module)
    return sorted(hidden)


FALLBACK_SCRIPT = textwrap.dedent(
    """
    import importlib.abc, json, runpy, sys

    hidden = set(json.loads(sys.argv[1]))

    class HideExtras(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in hidden:
                raise ModuleNotFoundError(f"No module named {name!r} (not installed by `pip install -e .`)")
            return None

    sys.meta_path.insert(0, HideExtras())
    import keras
    import data_loaders.mnist_family

    # Neither the Debian files nor the network: the demo must fall back to digits.
    data_loaders.mnist_family.DEBIAN_FASHION_MNIST_DIR = sys.argv[2] + "/no-debian-package"

    def offline():
        raise Exception("URL fetch failure on https://storage.googleapis.com: no network in this test")

    keras.datasets.fashion_mnist.load_data = offline
    demo = runpy.run_path(sys.argv[3])
    sys.exit(demo["main"](["--out", sys.argv[2] + "/demo", *sys.argv[4:]]))
    """
)


def test_demo_falls_back_to_digits_with_only_the_core_dependencies(tmp_path):
    core = _core_distributions()
    assert {"tensorflow", "numpy", "scikit-learn"} <= core
    hidden = _modules_outside(core)
    # The test extras are installed here, so they are what gets hidden.
    assert {"pytest", "nbclient", "mkdocs"} <= set(hidden)
    result = subprocess.run(
        [sys.executable, "-c", FALLBACK_SCRIPT, json.dumps(hidden), str(tmp_path), str(DEMO), *TINY],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Fashion-MNIST is not available" in result.stderr
    assert "training a 28x28 DCGAN on digits" in result.stdout
    assert (tmp_path / "demo" / "generator.keras").is_file()
    assert (tmp_path / "demo" / "samples_epoch_0002.png").is_file()
